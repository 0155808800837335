"""Observations with structure (issue 17): explicit missing values, preliminary periods, breakdowns by category and
the cross-check of a territory's name against its code. Each rule is pushed where it could break."""

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from implan.models import TerritoryKind
from indicators.importing import names_agree
from indicators.models import (
    Category,
    Dimension,
    Frequency,
    ImportJob,
    ImportJobState,
    ImportRow,
    Observation,
    ObservationStatus,
    RowOutcome,
)
from indicators.selectors import card_for, series
from indicators.status import Light, is_judged
from tests.factories import IndicatorFactory, MunicipalityFactory, ObservationFactory, TerritoryFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "indicators" / "data" / "inegi"
HEADER = "indicador,territorio,periodo,valor"


@pytest.fixture
def world():
    leon = MunicipalityFactory()
    population = IndicatorFactory(code="POB-001", frequency=Frequency.YEARLY, unit="personas")
    sex = Dimension.objects.create(indicator=population, name="sexo", slug="sexo", order=1)
    Category.objects.create(dimension=sex, label="Mujeres", slug="mujeres", order=1)
    Category.objects.create(dimension=sex, label="Hombres", slug="hombres", order=2)
    age = Dimension.objects.create(indicator=population, name="grupo de edad", slug="grupo-de-edad", order=2)
    Category.objects.create(dimension=age, label="0 a 14 años", slug="0-14", order=1)
    Category.objects.create(dimension=age, label="15 años y más", slug="15-y-mas", order=2)
    IndicatorFactory(code="AGUA-01", frequency=Frequency.YEARLY)
    return leon, population


def load(planner, text: str, name: str = "datos.csv", encoding: str = "utf-8") -> ImportJob:
    from indicators import services

    return services.import_file_now(actor=planner, file_name=name, content=text.encode(encoding))


def errors_of(job: ImportJob) -> list[tuple[int, str, str]]:
    return [
        (row.line, column, message)
        for row in ImportRow.objects.filter(job=job, outcome=RowOutcome.ERROR).order_by("line")
        for column, message in row.error_list
    ]


# --- Missing values ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("written", ["N/D", "ND", "n/d", "-", "s/d", "S/D", "", "  ", "nd"])
def test_every_way_of_writing_no_data_is_sin_dato_never_zero_never_an_error(world, planner, written):
    job = load(planner, f"{HEADER}\nAGUA-01,11020,2019,95.5\nAGUA-01,11020,2020,{written}\n")
    assert job.state == ImportJobState.DONE, errors_of(job)
    stored = Observation.objects.get(period="2020")
    assert stored.value is None and stored.is_missing
    assert Observation.objects.get(period="2019").value == Decimal("95.5")


def test_a_missing_value_keeps_its_reason_and_a_present_value_never_carries_one(world, planner):
    job = load(
        planner,
        f"{HEADER},motivo\nAGUA-01,11020,2020,N/D,La encuesta no se levantó\nAGUA-01,11020,2021,96,Dato nuevo\n",
    )
    assert job.state == ImportJobState.DONE
    reasons = dict(Observation.objects.values_list("period", "missing_reason"))
    assert reasons == {"2020": "La encuesta no se levantó", "2021": ""}


def test_a_value_that_only_looks_missing_is_still_refused(world, planner):
    job = load(planner, f"{HEADER}\nAGUA-01,11020,2020,N/D/X\nAGUA-01,11020,2021,0-\n")
    assert job.state == ImportJobState.REFUSED
    assert Observation.objects.count() == 0
    assert [column for _line, column, _message in errors_of(job)] == ["valor", "valor"]


def test_a_later_value_replaces_sin_dato_and_reloading_sin_dato_changes_nothing(world, planner):
    load(planner, f"{HEADER}\nAGUA-01,11020,2020,N/D\n")
    again = load(planner, f"{HEADER}\nAGUA-01,11020,2020,s/d\n")
    assert again.state == ImportJobState.UNCHANGED
    filled = load(planner, f"{HEADER}\nAGUA-01,11020,2020,0\n")
    assert filled.state == ImportJobState.DONE and filled.counts["cambia"] == 1
    assert Observation.objects.get().value == 0  # a real zero, distinct from «sin dato»


def test_a_missing_value_is_a_gap_in_the_series_and_never_the_latest_value(world):
    leon, _population = world
    indicator = IndicatorFactory(code="AGUA-02")
    for year, value in [(2019, "90"), (2020, "92"), (2021, None)]:
        ObservationFactory(
            indicator=indicator, territory=leon, period=str(year), period_start=f"{year}-01-01", value=value
        )
    card = card_for(indicator, series(indicator, leon))
    assert card.latest.period == "2020"
    assert card.trend.direction == "sube"


def test_the_indicator_page_says_sin_dato_and_the_chart_shows_the_gap(world, client):
    leon, _population = world
    indicator = IndicatorFactory(code="AGUA-03", slug="agua-03")
    for year, value in [(2019, "90"), (2020, None), (2021, "93")]:
        ObservationFactory(
            indicator=indicator,
            territory=leon,
            period=str(year),
            period_start=f"{year}-01-01",
            value=value,
            missing_reason="Sin levantamiento" if value is None else "",
        )
    html = client.get(f"/indicadores/{indicator.slug}/").content.decode()
    assert "sin dato" in html and "Sin levantamiento" in html
    assert 'class="gap-mark"' in html  # the chart marks the period without a value
    assert html.count(" M") >= 1  # the line breaks at the gap: two segments


# --- Preliminary periods -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("columns", "cells"),
    [("preliminar", "sí"), ("preliminar", "X"), ("estado", "preliminar"), ("estatus", "P")],
)
def test_a_preliminary_period_is_read_from_the_file(world, planner, columns, cells):
    job = load(planner, f"{HEADER},{columns}\nAGUA-01,11020,2024,97,{cells}\nAGUA-01,11020,2023,96,\n")
    assert job.state == ImportJobState.DONE, errors_of(job)
    statuses = dict(Observation.objects.values_list("period", "status"))
    assert statuses == {"2024": ObservationStatus.PRELIMINARY, "2023": ObservationStatus.FINAL}


def test_a_preliminary_year_loaded_again_unmarked_becomes_final_and_back(world, planner):
    """An existing value whose file changes only its «preliminar» mark: the status is compared and written."""
    assert load(planner, f"{HEADER},preliminar\nAGUA-01,11020,2024,97,sí\n").state == ImportJobState.DONE
    job = load(planner, f"{HEADER},preliminar\nAGUA-01,11020,2024,97,\n")
    assert job.state == ImportJobState.DONE, errors_of(job)
    assert Observation.objects.get(period="2024").status == ObservationStatus.FINAL
    assert load(planner, f"{HEADER},preliminar\nAGUA-01,11020,2024,97,x\n").state == ImportJobState.DONE
    assert Observation.objects.get(period="2024").status == ObservationStatus.PRELIMINARY


def test_a_preliminar_column_with_something_else_is_refused(world, planner):
    job = load(planner, f"{HEADER},preliminar\nAGUA-01,11020,2024,97,quizá\n")
    assert job.state == ImportJobState.REFUSED
    ((line, column, message),) = errors_of(job)
    assert (line, column) == (2, "preliminar") and "«quizá»" in message


def test_a_preliminary_value_drives_neither_the_trend_nor_the_traffic_light(world):
    leon, _population = world
    indicator = IndicatorFactory(code="AGUA-04")
    rows = [(2021, "80", ObservationStatus.FINAL), (2022, "85", ObservationStatus.FINAL)]
    rows.append((2023, "10", ObservationStatus.PRELIMINARY))  # a collapse that may be revised
    for year, value, status in rows:
        ObservationFactory(
            indicator=indicator,
            territory=leon,
            period=str(year),
            period_start=f"{year}-01-01",
            value=value,
            status=status,
        )
    card = card_for(indicator, series(indicator, leon))
    assert card.latest.period == "2022" and card.trend.direction == "sube"
    assert card.left_out.period == "2023"
    assert not is_judged(card.left_out)


def test_once_final_the_same_value_is_judged(world):
    leon, _population = world
    indicator = IndicatorFactory(code="AGUA-05")
    ObservationFactory(indicator=indicator, territory=leon, period="2022", period_start="2022-01-01", value="85")
    ObservationFactory(indicator=indicator, territory=leon, period="2023", period_start="2023-01-01", value="10")
    card = card_for(indicator, series(indicator, leon))
    assert card.latest.period == "2023" and card.trend.direction == "baja" and card.left_out is None


def test_the_dashboard_card_without_any_final_value_has_no_light(world):
    leon, _population = world
    indicator = IndicatorFactory(code="AGUA-06")
    ObservationFactory(
        indicator=indicator,
        territory=leon,
        period="2024",
        period_start="2024-01-01",
        status=ObservationStatus.PRELIMINARY,
    )
    card = card_for(indicator, series(indicator, leon))
    assert card.latest is None and card.light == Light.NO_DATA and card.left_out is not None


# --- Breakdowns --------------------------------------------------------------------------------------------------


def test_a_breakdown_file_stores_one_value_per_category_beside_the_total(world, planner):
    job = load(
        planner,
        f"{HEADER},Sexo\nPOB-001,11020,2020,1721215,\nPOB-001,11020,2020,874542,mujeres\n"
        "POB-001,11020,2020,846673,HOMBRES\n",
    )
    assert job.state == ImportJobState.DONE, errors_of(job)
    stored = dict(Observation.objects.values_list("breakdown", "value"))
    assert stored == {"": 1721215, "sexo=mujeres": 874542, "sexo=hombres": 846673}


def test_categories_are_read_without_accents_or_case_and_columns_in_any_order(world, planner):
    job = load(
        planner,
        "Grupo de Edad,indicador,territorio,periodo,sexo,valor\n0 A 14 AÑOS,POB-001,11020,2020,Mujeres,200\n"
        "15 anos y mas,POB-001,11020,2020,mujeres,674542\n",
    )
    assert job.state == ImportJobState.DONE, errors_of(job)
    assert set(Observation.objects.values_list("breakdown", flat=True)) == {
        "grupo-de-edad=0-14;sexo=mujeres",
        "grupo-de-edad=15-y-mas;sexo=mujeres",
    }


def test_an_unknown_category_is_refused_with_its_row_and_the_categories_expected(world, planner):
    job = load(planner, f"{HEADER},sexo\nPOB-001,11020,2020,1,mujeres\nPOB-001,11020,2020,2,Mujer\n")
    assert job.state == ImportJobState.REFUSED
    assert Observation.objects.count() == 0
    ((line, column, message),) = errors_of(job)
    assert (line, column) == (3, "sexo")
    assert message == "Fila 3: «Mujer» no es una categoría de «sexo» (se esperan: Hombres, Mujeres)."


def test_a_category_for_an_indicator_without_that_breakdown_is_refused(world, planner):
    job = load(planner, f"{HEADER},sexo\nAGUA-01,11020,2020,95,mujeres\n")
    assert job.state == ImportJobState.REFUSED
    ((line, _column, message),) = errors_of(job)
    assert line == 2 and "no declara la desagregación «sexo»" in message


def test_the_same_categories_twice_are_a_repeated_row_whatever_the_spelling(world, planner):
    job = load(planner, f"{HEADER},sexo\nPOB-001,11020,2020,1,Mujeres\nPOB-001,11020,2020,2,MUJERES\n")
    assert job.state == ImportJobState.REFUSED
    ((line, _column, message),) = errors_of(job)
    assert line == 3 and "de la fila 2" in message


def test_the_database_holds_one_value_per_indicator_territory_period_and_categories(world):
    from django.db import IntegrityError, transaction

    leon, population = world
    ObservationFactory(indicator=population, territory=leon, breakdown="sexo=mujeres")
    ObservationFactory(indicator=population, territory=leon, breakdown="")
    with pytest.raises(IntegrityError), transaction.atomic():
        ObservationFactory(indicator=population, territory=leon, breakdown="sexo=mujeres")


def test_the_trend_uses_the_total_not_a_category(world):
    leon, population = world
    for year, total, women in [(2019, "100", "60"), (2020, "110", "50")]:
        start = f"{year}-01-01"
        ObservationFactory(indicator=population, territory=leon, period=str(year), period_start=start, value=total)
        ObservationFactory(
            indicator=population, territory=leon, period=str(year), period_start=start, value=women,
            breakdown="sexo=mujeres",
        )  # fmt: skip
    card = card_for(population, series(population, leon))
    assert card.latest.value == 110 and card.trend.direction == "sube"


def test_the_indicator_page_shows_each_category_as_a_small_chart_with_its_table(world, client):
    leon, population = world
    population.slug = "poblacion"
    population.save()
    for key, value in [("", "1721215"), ("sexo=mujeres", "874542"), ("sexo=hombres", "846673")]:
        ObservationFactory(indicator=population, territory=leon, breakdown=key, value=value)
    html = client.get("/indicadores/poblacion/").content.decode()
    assert "Sexo: Mujeres" in html and "Sexo: Hombres" in html
    assert html.index("Sexo: Mujeres") < html.index("Sexo: Hombres")  # declared order, not alphabetical
    assert html.count('class="chart small-multiple"') == 2
    assert "874,542" in html and "846,673" in html


# --- Name and code cross-check -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "official"),
    [
        ("Dolores Hidalgo", "Dolores Hidalgo Cuna de la Independencia Nacional"),
        ("Silao", "Silao de la Victoria"),
        ("SAN JOSÉ ITURBIDE", "San José de Iturbide"),
        ("leon", "León"),
        ("León de los Aldama", "León"),
        ("Santiago Maravatío", "Santiago Maravatío"),
        ("San Felipe", "San Felipe Torres Mochas"),
    ],
)
def test_names_agree_ignoring_accents_case_articles_and_inegis_long_names(given, official):
    assert names_agree(given, official)


@pytest.mark.parametrize(
    ("given", "official"),
    [
        ("Celaya", "León"),
        ("San Felipe", "San Francisco del Rincón"),
        ("Victoria", "Silao de la Victoria"),
        ("", "León"),
        ("San", "San Felipe"),  # a word that starts many names is no short form of one
        ("Santa Catarina", "Santa"),
        ("Valle", "Valle de Santiago"),
    ],
)
def test_names_of_other_places_do_not_agree(given, official):
    assert not names_agree(given, official)


@pytest.fixture
def guanajuato():
    with (DATA / "municipios_guanajuato_2020.csv").open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    for row in rows:
        TerritoryFactory(
            code=row["cve_completa"],
            inegi_code=row["cve_completa"],
            name=row["nom_municipio"],
            kind=TerritoryKind.MUNICIPIO,
        )
    IndicatorFactory(code="POB-TOT", frequency=Frequency.YEARLY)
    return rows


def census_file(guanajuato: list[dict[str, str]], *, swap: tuple[int, int] | None = None) -> str:
    """The republished census population (names only) with INEGI's codes beside them, in the file's order, as a
    planner would join them."""
    with (DATA / "poblacion_municipal_gto_2020.csv").open(encoding="utf-8") as file:
        people = list(csv.DictReader(file))
    codes = [row["cve_completa"] for row in guanajuato]
    if swap:
        codes[swap[0]], codes[swap[1]] = codes[swap[1]], codes[swap[0]]
    lines = ["indicador,CVEGEO,NOM_MUN,periodo,valor"]
    lines += [
        f"POB-TOT,{code},{row['Municipio']},2020,{row['Poblacion']}" for code, row in zip(codes, people, strict=True)
    ]
    return "\n".join(lines) + "\n"


def test_a_real_census_file_with_short_and_long_names_passes_the_cross_check(guanajuato, planner):
    job = load(planner, census_file(guanajuato), encoding="cp1252")
    assert job.state == ImportJobState.DONE, errors_of(job)
    assert Observation.objects.count() == 46
    assert Observation.objects.get(territory__inegi_code="11020").value == 1721215


def test_a_name_that_maps_to_the_wrong_code_is_refused_with_both_names(guanajuato, planner):
    job = load(planner, census_file(guanajuato, swap=(6, 19)))  # Celaya and León exchange codes
    assert job.state == ImportJobState.REFUSED
    assert Observation.objects.count() == 0
    found = errors_of(job)
    assert (8, "nombre", "El nombre «Celaya» no corresponde a la clave «11020», que es «León».") in found
    assert (21, "nombre", "El nombre «León» no corresponde a la clave «11007», que es «Celaya».") in found
    assert len(found) == 2


# --- Rates -------------------------------------------------------------------------------------------------------


@pytest.fixture
def rate(world, planner):
    from indicators import services

    leon, _population = world
    TerritoryFactory(code="11007", inegi_code="11007", name="Celaya", kind=TerritoryKind.MUNICIPIO)
    crimes = IndicatorFactory(code="DEL-01", frequency=Frequency.YEARLY, unit="delitos")
    people = IndicatorFactory(code="POB-TOT", frequency=Frequency.YEARLY, unit="personas")
    per_100k = IndicatorFactory(code="DEL-TASA", slug="del-tasa", frequency=Frequency.YEARLY)
    load(
        planner,
        f"{HEADER},estatus\nPOB-TOT,11020,2020,1721215,\nPOB-TOT,11020,2021,1740000,preliminar\n"
        "POB-TOT,11007,2020,N/D,\nPOB-TOT,11020,2022,0,\n"
        "DEL-01,11020,2020,17212,\nDEL-01,11020,2021,1000,\nDEL-01,11007,2020,300,\nDEL-01,11020,2022,5,\n"
        "DEL-01,11020,2023,9,\n",
    )
    return services.indicator_define_rate(
        actor=planner, indicator=per_100k, numerator=crimes, denominator=people, per=100000
    )


def rate_values(rate):
    return {
        (o.territory.code, o.period): (o.value, o.status)
        for o in Observation.objects.filter(indicator=rate).select_related("territory")
    }


def test_a_rate_is_computed_wherever_both_values_exist_and_is_preliminary_if_either_is(rate):
    assert rate_values(rate) == {
        ("11020", "2020"): (Decimal("999.991285"), ObservationStatus.FINAL),
        ("11020", "2021"): (Decimal("57.471264"), ObservationStatus.PRELIMINARY),
    }  # not Celaya 2020 (population sin dato), not 2022 (population zero), not 2023 (no population)


def test_loading_either_input_again_recomputes_the_rate_in_the_same_save(rate, planner):
    job = load(planner, f"{HEADER}\nDEL-01,11020,2020,8606\nPOB-TOT,11007,2020,521169\nPOB-TOT,11020,2023,1800000\n")
    assert job.state == ImportJobState.DONE
    values = rate_values(rate)
    assert values[("11020", "2020")][0] == Decimal("499.995643")
    assert values[("11007", "2020")][0] == Decimal("57.562902")
    assert values[("11020", "2023")][0] == Decimal("0.500000")
    history = Observation.history.filter(indicator_id=rate.pk, period="2020", territory__code="11020")
    assert history.count() == 2 and history.first().history_change_reason.startswith("Calculada")


def test_an_input_that_becomes_sin_dato_removes_the_rate_there(rate, planner):
    load(planner, f"{HEADER}\nPOB-TOT,11020,2020,N/D\n")
    assert ("11020", "2020") not in rate_values(rate)


def test_a_rate_cannot_be_loaded_from_a_file(rate, planner):
    job = load(planner, f"{HEADER}\nDEL-TASA,11020,2019,12\n")
    assert job.state == ImportJobState.REFUSED
    ((_line, column, message),) = errors_of(job)
    assert column == "indicador" and "tasa que calcula el portal" in message


@pytest.mark.parametrize("per", [10, 0])
def test_a_rate_is_per_100_1000_or_100000_only(world, planner, per):
    from implan.errors import DomainError
    from indicators import services

    a, b, c = IndicatorFactory(code="A-1"), IndicatorFactory(code="B-1"), IndicatorFactory(code="C-1")
    with pytest.raises(DomainError):
        services.indicator_define_rate(actor=planner, indicator=c, numerator=a, denominator=b, per=per)
    with pytest.raises(DomainError):
        services.indicator_define_rate(actor=planner, indicator=c, numerator=a, denominator=a, per=100)


def test_the_rate_page_shows_its_method(rate, client):
    html = client.get("/indicadores/del-tasa/").content.decode()
    assert "Tasa calculada por el portal" in html and "por cada 100,000" in html


# --- Open data ---------------------------------------------------------------------------------------------------


def test_the_export_writes_categories_missing_values_and_status_and_loads_back_unchanged(world, planner, client):
    leon, population = world
    load(
        planner,
        f"{HEADER},sexo,motivo,estatus\nPOB-001,11020,2020,1721215,,,\nPOB-001,11020,2020,874542,Mujeres,,\n"
        "POB-001,11020,2021,N/D,Mujeres,Sin conteo,preliminar\n",
    )
    response = client.get("/datos/indicadores/observaciones.csv?indicador=POB-001")
    exported = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = exported.splitlines()
    assert lines[0].split(",")[8:11] == ["categorias", "valor", "motivo_sin_dato"]
    assert any(",total,1721215," in line for line in lines)
    assert any(",sexo=mujeres,,Sin conteo,preliminar," in line for line in lines)
    again = load(planner, exported, name="observaciones.csv")
    assert again.state == ImportJobState.UNCHANGED, errors_of(again)


# --- The workspace -----------------------------------------------------------------------------------------------


def test_a_planner_declares_a_breakdown_in_the_workspace_and_a_file_then_uses_it(world, planner, client):
    indicator = IndicatorFactory(code="EDU-01", frequency=Frequency.YEARLY)
    client.force_login(planner)
    response = client.post(
        f"/espacio/indicadores/{indicator.pk}/desagregaciones/",
        {"name": "Tipo de escuela", "categories": "Pública\nPrivada, Pública"},
    )
    assert response.status_code == 302
    dimension = indicator.dimensions.get()
    assert (dimension.slug, list(dimension.categories.values_list("label", flat=True))) == (
        "tipo-de-escuela",
        ["Pública", "Privada"],
    )
    page = client.get(f"/espacio/indicadores/{indicator.pk}/").content.decode()
    assert "Tipo de escuela" in page and "Privada" in page
    job = load(planner, f"{HEADER},tipo de escuela\nEDU-01,11020,2020,10,publica\nEDU-01,11020,2020,3,PRIVADA\n")
    assert job.state == ImportJobState.DONE, errors_of(job)


def test_a_planner_defines_a_rate_in_the_workspace_and_a_bad_choice_saves_nothing(world, planner, client):
    numerator, denominator = IndicatorFactory(code="N-1"), IndicatorFactory(code="D-1")
    rate = IndicatorFactory(code="T-1")
    client.force_login(planner)
    refused = client.post(
        f"/espacio/indicadores/{rate.pk}/tasa/",
        {"numerator": numerator.pk, "denominator": numerator.pk, "per": 1000},
        follow=True,
    )
    assert "otros dos indicadores distintos" in refused.content.decode()
    rate.refresh_from_db()
    assert not rate.is_rate
    client.post(
        f"/espacio/indicadores/{rate.pk}/tasa/", {"numerator": numerator.pk, "denominator": denominator.pk, "per": 1000}
    )
    rate.refresh_from_db()
    assert (rate.rate_numerator, rate.rate_denominator, rate.rate_per) == (numerator, denominator, 1000)


def test_the_broken_down_page_runs_the_same_queries_for_two_or_twenty_categories(world, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    leon, population = world
    population.slug = "poblacion"
    population.save()
    age = population.dimensions.get(slug="grupo-de-edad")

    def fill(start: int, categories: int) -> int:
        for n in range(start, categories):
            category, _ = Category.objects.get_or_create(dimension=age, slug=f"g{n}", defaults={"label": f"G {n}"})
            for year in (2019, 2020, 2021):
                ObservationFactory(
                    indicator=population,
                    territory=leon,
                    period=str(year),
                    period_start=f"{year}-01-01",
                    breakdown=f"grupo-de-edad=g{n}",
                    value=n + year,
                    status=ObservationStatus.PRELIMINARY if year == 2021 else ObservationStatus.FINAL,
                )
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/indicadores/poblacion/").status_code == 200
        return len(queries)

    ObservationFactory(indicator=population, territory=leon, period="2020", period_start="2020-01-01")
    assert fill(0, 2) == fill(2, 20)


def test_the_dashboard_card_shows_the_judged_value_and_the_preliminary_one_apart(world, client):
    leon, _population = world
    indicator = IndicatorFactory(code="AGUA-07", name="Cobertura de agua")
    ObservationFactory(indicator=indicator, territory=leon, period="2022", period_start="2022-01-01", value="95")
    ObservationFactory(
        indicator=indicator,
        territory=leon,
        period="2023",
        period_start="2023-01-01",
        value="40",
        status=ObservationStatus.PRELIMINARY,
    )
    html = client.get("/indicadores/").content.decode()
    card = html[html.index("Cobertura de agua") :]
    assert "<strong>95</strong>" in card
    assert "2023: 40 %, preliminar; no cuenta en la tendencia ni el semáforo." in card


def test_a_rate_by_category_divides_by_the_same_category_or_by_the_total_when_the_population_has_no_such_breakdown(
    rate, planner
):
    from indicators import services

    crimes = rate.rate_numerator
    services.indicator_declare_breakdown(actor=planner, indicator=crimes, name="tipo de delito", categories=["Robo"])
    services.indicator_declare_breakdown(actor=planner, indicator=crimes, name="sexo", categories=["Mujeres"])
    people = rate.rate_denominator
    services.indicator_declare_breakdown(actor=planner, indicator=people, name="sexo", categories=["Mujeres"])
    job = load(
        planner,
        f"{HEADER},tipo de delito,sexo\nDEL-01,11020,2020,1721,robo,\nDEL-01,11020,2020,500,,mujeres\n"
        "POB-TOT,11020,2020,1000000,,mujeres\n",
    )
    assert job.state == ImportJobState.DONE, errors_of(job)
    values = {
        o.breakdown: o.value for o in Observation.objects.filter(indicator=rate, period="2020", territory__code="11020")
    }
    assert values == {
        "": Decimal("999.991285"),
        "tipo-de-delito=robo": Decimal("99.987509"),  # over the total population
        "sexo=mujeres": Decimal("50.000000"),  # women over women
    }
