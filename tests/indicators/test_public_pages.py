"""The public dashboard and indicator page: latest value, trend, traffic light against the published goal."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from implan.models import LifecycleState
from indicators.models import Family, Polarity
from tests.factories import (
    GoalFactory,
    IndicatorFactory,
    MunicipalityFactory,
    ObservationFactory,
    StrategyFactory,
    TerritoryFactory,
)

pytestmark = pytest.mark.django_db


def goal(indicator, *, target: str, baseline: str, state: str = LifecycleState.PUBLISHED, target_year: int = 2027):
    strategy = StrategyFactory()
    strategy.plan.state = state
    strategy.plan.save()
    return GoalFactory(
        objective__strategy=strategy,
        indicator=indicator,
        description=f"Meta de {indicator.code}",
        baseline_value=Decimal(baseline),
        baseline_year=2015,
        target_value=Decimal(target),
        target_year=target_year,
    )


def series(indicator, territory, values: dict[int, str]) -> None:
    for year, value in values.items():
        ObservationFactory(
            indicator=indicator,
            territory=territory,
            period=str(year),
            period_start=datetime.date(year, 1, 1),
            value=Decimal(value),
        )


@pytest.fixture
def leon():
    return MunicipalityFactory()


def _card(response, code):
    return next(c for g in response.context["groups"] for c in g.cards if c.indicator.code == code)


def test_the_dashboard_shows_each_family_with_latest_value_trend_and_light(client, leon):
    water = IndicatorFactory(code="SUS-01", family=Family.SUSTAINABILITY, polarity=Polarity.HIGHER_IS_BETTER)
    crime = IndicatorFactory(code="CDV-02", family=Family.QUALITY_OF_LIFE, polarity=Polarity.LOWER_IS_BETTER)
    IndicatorFactory(code="COM-02", family=Family.COMPETITIVENESS)
    series(water, leon, {2015: "90", 2023: "96", 2024: "97"})  # 7 of 9 points in 9 of 12 years: on track
    series(crime, leon, {2015: "20", 2023: "24", 2024: "26"})  # lower is better, and it rises: red
    goal(water, target="99", baseline="90")
    goal(crime, target="15", baseline="20")
    response = client.get(reverse("indicators:dashboard"))
    assert [g.family for g in response.context["groups"]] == [
        Family.SUSTAINABILITY,
        Family.COMPETITIVENESS,
        Family.QUALITY_OF_LIFE,
    ]
    water_card, crime_card, jobs_card = (_card(response, c) for c in ("SUS-01", "CDV-02", "COM-02"))
    assert (water_card.latest.value, water_card.light, water_card.trend.improving) == (97, "verde", True)
    assert (crime_card.light, crime_card.trend.direction, crime_card.trend.improving) == ("rojo", "sube", False)
    assert jobs_card.latest is None and jobs_card.light == "sin_datos"
    html = response.content.decode()
    assert "Se aleja de la meta" in html and "Sube: empeora" in html and "Sin datos para este territorio." in html


def test_a_slow_improvement_is_amber_and_a_met_target_is_green_for_a_lower_is_better_indicator(client, leon):
    slow = IndicatorFactory(code="COM-03", polarity=Polarity.LOWER_IS_BETTER)
    met = IndicatorFactory(code="CDV-05", polarity=Polarity.LOWER_IS_BETTER)
    series(slow, leon, {2015: "45", 2024: "44"})
    series(met, leon, {2015: "2.1", 2024: "0.7"})
    goal(slow, target="38", baseline="45")
    goal(met, target="0.8", baseline="2.1")
    response = client.get(reverse("indicators:dashboard"))
    assert _card(response, "COM-03").light == "ambar"
    assert _card(response, "CDV-05").light == "verde"


def test_targets_of_unpublished_plans_are_not_used(client, leon):
    water = IndicatorFactory(code="SUS-01")
    series(water, leon, {2015: "90", 2024: "97"})
    goal(water, target="99", baseline="90", state=LifecycleState.DRAFT)
    assert _card(client.get(reverse("indicators:dashboard")), "SUS-01").target is None


def test_the_dashboard_filters_by_theme_and_territory_and_hides_unpublished(client, leon):
    north = TerritoryFactory(code="delegacion-norte", name="Delegación Norte", kind="delegacion")
    water = IndicatorFactory(code="SUS-01", theme="Agua")
    IndicatorFactory(code="SUS-02", theme="Medio ambiente")
    IndicatorFactory(code="OCULTO", theme="Agua", is_published=False)
    series(water, leon, {2024: "97"})
    series(water, north, {2024: "88"})
    response = client.get(reverse("indicators:dashboard"), {"tema": "Agua", "territorio": "delegacion-norte"})
    codes = [c.indicator.code for g in response.context["groups"] for c in g.cards]
    assert codes == ["SUS-01"]
    assert _card(response, "SUS-01").latest.value == 88
    assert client.get(reverse("indicators:dashboard"), {"tema": "no existe"}).context["theme"] == ""


def test_the_indicator_page_has_the_chart_with_target_the_text_alternative_the_table_and_downloads(client, leon):
    water = IndicatorFactory(
        code="SUS-01", slug="agua", name="Cobertura de agua", unit="%", definition="Viviendas con **agua** entubada."
    )
    for number in range(3):
        place = TerritoryFactory(code=f"delegacion-{number}", name=f"Delegación {number}", kind="delegacion")
        series(water, place, {2024: str(90 + number)})
    series(water, leon, {2015: "90", 2020: "94", 2024: "97"})
    goal(water, target="99", baseline="90")
    response = client.get(reverse("indicators:indicator_detail", args=["agua"]))
    html = response.content.decode()
    assert "<strong>agua</strong>" in html  # the definition's Markdown
    assert 'class="target-line"' in html and "Meta 2027: 99" in html
    assert html.count('class="point"') == 3
    assert "De 2015 a 2024 (3 periodos), el valor pasó de 90 a 97 %." in html
    assert "La meta del plan es 99 % en 2027" in html
    assert [o.period for o in response.context["points"]] == ["2015", "2020", "2024"]
    comparison = response.context["comparison"]
    assert comparison.kind == "delegacion" and [o.value for o in comparison.rows] == [92, 91, 90]
    assert "?indicador=SUS-01" in html and 'role="img"' in html and "<caption>" in html


def test_an_unpublished_indicator_page_does_not_exist(client):
    IndicatorFactory(slug="oculto", is_published=False)
    assert client.get(reverse("indicators:indicator_detail", args=["oculto"])).status_code == 404


def test_a_page_without_data_says_so(client):
    IndicatorFactory(slug="vacio")
    response = client.get(reverse("indicators:indicator_detail", args=["vacio"]))
    assert "Todavía no hay datos de este indicador." in response.content.decode()


def test_a_cached_public_page_shows_values_imported_after_it_was_cached(
    client, leon, planner, django_capture_on_commit_callbacks
):
    from indicators.services import import_file_now

    water = IndicatorFactory(code="SUS-01", slug="agua")
    series(water, leon, {2023: "96"})
    url = reverse("indicators:indicator_detail", args=["agua"])
    assert "96" in client.get(url).content.decode() and "97.5" not in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        job = import_file_now(
            actor=planner, file_name="a.csv", content=b"indicador,territorio,periodo,valor\nSUS-01,11020,2024,97.5\n"
        )
    assert job.state == "aplicada"
    assert "97.5" in client.get(url).content.decode()
