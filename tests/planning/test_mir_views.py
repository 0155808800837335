"""A programme's MIR on the site: the public table (constant queries), its PDF, the open-data files, the workspace
forms of planners and the commission (with their refusals), and the MIR's progress in the report and evaluation."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from councils.models import BodyKind
from implan.models import LifecycleState
from planning.models.mir import MirIndicator, MirLevel, MirRow
from planning.selectors.evaluation import evaluation_data
from planning.selectors.mir import mir_progress
from tests.factories import (
    BodyFactory,
    EvaluationFactory,
    IndicatorFactory,
    MunicipalityFactory,
    ObservationFactory,
    ProgrammeFactory,
)
from tests.planning.mir_builders import complete_mir, mir_indicator
from tests.planning.plan_builders import commission_member

pytestmark = pytest.mark.django_db


def _published(**kwargs):
    programme = ProgrammeFactory(state=LifecycleState.PUBLISHED, **kwargs)
    complete_mir(programme)
    return programme


def test_the_public_mir_is_the_classic_table_in_the_order_of_its_logic(client):
    programme = _published(code="P02", name="Agua para Todos")
    page = client.get(reverse("planning:mir_public", args=["P02"])).content.decode()
    levels = ["Fin", "Propósito", "Componente 1", "Actividad 1.1", "Componente 2", "Actividad 2.1"]
    positions = [page.index(f'class="mir-level">{level}') for level in levels]
    assert positions == sorted(positions)
    for column in ("Resumen narrativo", "Indicadores", "Medios de verificación", "Supuestos"):
        assert f'<th scope="col">{column}</th>' in page
    assert "Los hogares de León reciben agua potable todos los días." in page
    assert "A / B × 100" in page and "2025: 50; 2027: 60" in page
    assert reverse("planning:mir_public_pdf", args=["P02"]) in page
    assert programme.name in page


def test_the_strategy_page_links_each_published_programmes_mir(client):
    programme = _published()
    programme.strategy.plan.state = LifecycleState.PUBLISHED
    programme.strategy.plan.save()
    page = client.get(reverse("planning:strategy_public", args=[programme.strategy.slug])).content.decode()
    assert reverse("planning:mir_public", args=[programme.code]) in page


def test_a_draft_programmes_mir_is_not_public(client):
    programme = ProgrammeFactory()
    complete_mir(programme)
    assert client.get(reverse("planning:mir_public", args=[programme.code])).status_code == 404
    assert client.get(reverse("planning:mir_public_pdf", args=[programme.code])).status_code == 404


def test_the_public_mir_keeps_a_constant_query_count_as_the_mir_grows(client):
    programme = _published(code="P09")
    leon = MunicipalityFactory()
    url = reverse("planning:mir_public", args=["P09"])
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    componente = MirRow.objects.create(
        programme=programme, level=MirLevel.COMPONENTE, order=3, summary="Otro", verification="v", assumptions="s"
    )
    for n in range(3):
        actividad = MirRow.objects.create(
            programme=programme, level=MirLevel.ACTIVIDAD, parent=componente, order=n + 1, summary="A", verification="v"
        )
        link = mir_indicator(actividad, code=f"EXTRA-{n}")
        ObservationFactory(indicator=link.indicator, territory=leon, period="2024", period_start="2024-01-01")
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_public_mir_as_a_pdf(client):
    _published(code="P05")
    response = client.get(reverse("planning:mir_public_pdf", args=["P05"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_open_data_files_have_one_row_per_level_and_indicator_of_published_programmes(client):
    _published(code="P01")
    draft = ProgrammeFactory(code="P99")
    complete_mir(draft)
    text = client.get(reverse("planning:mir_csv")).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 6 and {r["programa_clave"] for r in rows} == {"P01"}
    assert [r["nivel"] for r in rows[:2]] == [MirLevel.FIN, MirLevel.PROPOSITO]
    assert {r["nivel_numero"] for r in rows if r["nivel"] == MirLevel.ACTIVIDAD} == {"1.1", "2.1"}
    assert rows[0]["metas"] == "2025: 50; 2027: 60" and rows[0]["linea_base"] == "40.000000"
    data = client.get(reverse("planning:mir_json")).json()
    assert len(data["mir"]) == 6 and data["mir"][0]["metas"] == {"2025": "50", "2027": "60"}
    assert data["mir"][0]["programa_clave"] == "P01" and "programa_clave" in data["columnas"]


def test_an_indicator_withdrawn_from_the_catalogue_leaves_the_public_mir_and_its_files(client):
    programme = _published(code="P01")
    withdrawn = MirIndicator.objects.filter(row__programme=programme, row__level=MirLevel.FIN).get().indicator
    withdrawn.is_published = False
    withdrawn.save()
    urls = [reverse(name, args=["P01"]) for name in ("planning:mir_public", "planning:mir_public_pdf")]
    urls += [reverse("planning:mir_csv"), reverse("planning:mir_json")]
    page, _pdf, text, data = (client.get(url) for url in urls)
    assert withdrawn.code not in page.content.decode() and withdrawn.code not in text.content.decode("utf-8-sig")
    assert withdrawn.code not in str(data.json()) and len(data.json()["mir"]) == 5
    assert withdrawn.code not in str([p.indicators for p in mir_progress()])


# --- Workspace ------------------------------------------------------------------------------------------------


def test_a_planner_adds_rows_and_an_indicator_through_the_forms(client, planner):
    programme = ProgrammeFactory()
    client.force_login(planner)
    url = reverse("planning:mir_row_create", args=[programme.pk])
    texts = {"summary": "Hogares con agua", "verification": "Informe", "assumptions": "Llueve"}
    response = client.post(url, {"level": MirLevel.COMPONENTE, **texts})
    assert response.status_code == 302 and response["Location"] == reverse(
        "planning:mir_workspace", args=[programme.pk]
    )
    componente = programme.mir_rows.get()
    indicator = IndicatorFactory()
    response = client.post(
        reverse("planning:mir_indicator_create", args=[componente.pk]),
        {
            "indicator": indicator.pk,
            "dimension": "eficacia",
            "baseline_value": "10",
            "baseline_year": "2023",
            "targets": "2025: 12.5\n2027: 1,500",
        },
    )
    assert response.status_code == 302
    assert MirIndicator.objects.get().targets == {"2025": "12.5", "2027": "1500"}
    page = client.get(reverse("planning:mir_workspace", args=[programme.pk])).content.decode()
    assert "Hogares con agua" in page and "no tiene Fin" in page and "no tiene ninguna Actividad" in page


def test_bad_input_gets_a_spanish_message_and_saves_nothing(client, planner):
    programme = ProgrammeFactory()
    client.force_login(planner)
    texts = {"summary": "Algo", "verification": "Informe", "assumptions": "Nada"}
    page = client.post(reverse("planning:mir_row_create", args=[programme.pk]), {"level": MirLevel.ACTIVIDAD, **texts})
    assert "Elija el componente al que contribuye esta actividad." in page.content.decode()
    assert not programme.mir_rows.exists()
    row = MirRow.objects.create(programme=programme, level=MirLevel.FIN, summary="F", verification="v")
    page = client.post(
        reverse("planning:mir_indicator_create", args=[row.pk]),
        {"indicator": IndicatorFactory().pk, "dimension": "eficacia", "targets": "2025 = 40"},
    )
    assert "Escriba cada meta en su línea como «año: valor»" in page.content.decode()
    page = client.post(reverse("planning:mir_row_create", args=[programme.pk]), {"level": MirLevel.FIN, **texts})
    assert "ya tiene un renglón de Fin" in page.content.decode()
    assert not MirIndicator.objects.exists() and programme.mir_rows.count() == 1


def test_the_commission_of_the_programmes_strategy_edits_its_mir_and_others_do_not_see_it(client, outsider):
    programme = ProgrammeFactory(strategy__commission=BodyFactory(kind=BodyKind.STRATEGY_COMMISSION))
    member = commission_member(programme.strategy, username="comisionada-mir")
    texts = {"summary": "Fin del programa", "verification": "Informe", "assumptions": "Nada"}
    url = reverse("planning:mir_row_create", args=[programme.pk])
    client.force_login(outsider)
    assert client.get(reverse("planning:mir_workspace", args=[programme.pk])).status_code == 404
    assert client.post(url, {"level": MirLevel.FIN, **texts}).status_code == 404
    client.force_login(member)
    assert client.post(url, {"level": MirLevel.FIN, **texts}).status_code == 302
    assert programme.mir_rows.get().summary == "Fin del programa"


def test_the_forms_of_a_frozen_mir_send_back_with_the_reason(client, planner):
    programme = _published()
    client.force_login(planner)
    response = client.get(reverse("planning:mir_row_create", args=[programme.pk]), follow=True)
    assert "inicie una nueva versión" in response.content.decode()
    page = client.get(reverse("planning:mir_workspace", args=[programme.pk])).content.decode()
    assert reverse("planning:mir_row_create", args=[programme.pk]) not in page
    assert "La MIR está completa" in page


def test_the_workspace_mir_page_keeps_a_constant_query_count(client, planner):
    programme = ProgrammeFactory()
    complete_mir(programme)
    client.force_login(planner)
    url = reverse("planning:mir_workspace", args=[programme.pk])
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    componente = programme.mir_rows.filter(level=MirLevel.COMPONENTE).first()
    for n in range(3):
        row = MirRow.objects.create(
            programme=programme, level=MirLevel.ACTIVIDAD, parent=componente, order=n + 5, summary="A", verification="v"
        )
        mir_indicator(row, code=f"MAS-{n}")
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


# --- Report and evaluation ------------------------------------------------------------------------------------


def test_the_mir_progress_uses_the_traffic_light_up_to_the_year(client):
    programme = _published(code="P03")
    leon = MunicipalityFactory()
    fin = MirIndicator.objects.get(row__programme=programme, row__level=MirLevel.FIN)  # 40 (2023) → 60 (2027)
    ObservationFactory(
        indicator=fin.indicator, territory=leon, period="2024", period_start="2024-01-01", value=Decimal("46")
    )
    ObservationFactory(
        indicator=fin.indicator, territory=leon, period="2025", period_start="2025-01-01", value=Decimal("30")
    )
    [group] = mir_progress(until_year=2024)
    assert group.programme == programme and len(group.indicators) == 6
    lights = {p.link.pk: p.light for p in group.indicators}
    assert lights[fin.pk] == "verde"  # 30 % of the way in 25 % of the time
    assert {light for pk, light in lights.items() if pk != fin.pk} == {"sin_datos"}
    [later] = mir_progress(until_year=2025)
    assert {p.link.pk: p.light for p in later.indicators}[fin.pk] == "rojo"  # below the baseline


def test_the_evaluation_page_lists_the_mir_indicators(client):
    _published(code="P04", name="Escuelas dignas")
    evaluation = EvaluationFactory(state=LifecycleState.PUBLISHED)
    assert len(evaluation_data(evaluation=evaluation).mir[0].indicators) == 6
    page = client.get(reverse("planning:evaluation_year", args=[evaluation.fiscal_year.year])).content.decode()
    assert "Indicadores de las MIR de los programas" in page and "P04 · Escuelas dignas" in page


def test_the_demo_water_programme_has_a_complete_mir_with_its_lights(client, demo):
    from planning.models import Programme
    from planning.services.mir import mir_problems

    programme = Programme.objects.published().get(code="P02")
    assert mir_problems(programme) == []
    page = client.get(reverse("planning:mir_public", args=["P02"])).content.decode()
    assert "light light-verde" in page and "Hogares con servicio continuo de agua potable" in page
    for name in ("planning:report_year", "planning:evaluation_year"):
        page = client.get(reverse(name, args=[2025])).content.decode()
        assert "Indicadores de las MIR de los programas" in page and "Agua para Todos" in page, name


@pytest.mark.parametrize(
    # One query of them reads every indicator's variables at once.
    ("name", "queries"),
    [("planning:mir_public", 6), ("planning:mir_csv", 2), ("planning:mir_json", 2)],
)
def test_the_public_mir_pages_and_files_take_a_fixed_number_of_queries(
    client, django_assert_num_queries, name, queries
):
    _published(code="P07")
    url = reverse(name, args=["P07"]) if name == "planning:mir_public" else reverse(name)
    client.get(url)  # the first request warms the site's caches
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


def test_the_comparison_of_two_versions_shows_the_mir_changes(client, planner):
    from planning.services import lifecycle
    from planning.services import mir as services

    old = _published()
    new = lifecycle.instrument_new_version(instrument=old, actor=planner)
    fin = new.mir_rows.get(level=MirLevel.FIN)
    services.mir_row_update(actor=planner, row=fin, values={"summary": "Un fin más ambicioso"}, seen=None)
    client.force_login(planner)
    url = reverse("planning:instrument_compare", args=["programa", new.pk])
    page = client.get(f"{url}?con={old.pk}").content.decode()
    assert "Renglones de la MIR" in page and "ambicioso" in page and "Fin 1" in page


def test_the_new_row_form_reads_its_componente_from_the_address_only_as_an_id(client, planner):
    programme = ProgrammeFactory()
    componente = MirRow.objects.create(programme=programme, level=MirLevel.COMPONENTE, order=1, summary="Redes")
    client.force_login(planner)
    url = reverse("planning:mir_row_create", args=[programme.pk])
    for bad in ("²", "1; DROP", "-1", "99999999999999999999"):
        assert client.get(url, {"nivel": MirLevel.ACTIVIDAD, "componente": bad}).status_code == 200
    page = client.get(url, {"nivel": MirLevel.ACTIVIDAD, "componente": str(componente.pk)})
    assert page.status_code == 200 and f'value="{componente.pk}" selected' in page.content.decode()
