"""The public plan, strategy and government plan pages: published only, escaped, constant queries as data grows."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from implan.models import LifecycleState, TerritoryKind
from planning.models import Objective
from planning.selectors.goals import GoalStatus
from planning.selectors.plan import government_plan_alignment, strategy_objectives
from planning.services import lifecycle
from planning.services import plan as services
from tests.factories import (
    GoalFactory,
    GovernmentPlanFactory,
    IndicatorFactory,
    MunicipalityFactory,
    ObjectiveFactory,
    ObservationFactory,
    ProgrammeFactory,
    ProjectFactory,
    StrategyFactory,
    TerritoryFactory,
)
from tests.planning.plan_builders import plan_world

pytestmark = pytest.mark.django_db


def _publish_programmes(world):
    for programme in world.programmes:
        programme.state = LifecycleState.PUBLISHED
        programme.save()


def test_nothing_is_public_before_a_plan_is_published(client):
    plan_world()
    assert client.get(reverse("planning:plan_public")).status_code == 404
    assert client.get(reverse("planning:strategy_public", args=["estrategia-1"])).status_code == 404
    assert client.get(reverse("planning:government_plan_public_latest")).status_code == 404


def test_the_public_plan_shows_vision_strategies_objectives_goals_and_published_programmes(client):
    world = plan_world(state=LifecycleState.PUBLISHED)
    world.programmes[0].state = LifecycleState.PUBLISHED
    world.programmes[0].save()
    ObservationFactory(
        indicator=world.goals[0].indicator,
        territory=MunicipalityFactory(),
        period="2024",
        period_start=datetime.date(2024, 1, 1),
        value=Decimal("19.5"),
    )
    page = client.get(reverse("planning:plan_public")).content.decode()
    for text in (
        "León es una ciudad sustentable.",
        "Ordenamiento sustentable del territorio",
        "Desarrollo Sustentable",
        "Objetivo de Desarrollo Sustentable",
        "Meta de Desarrollo Sustentable",
        world.goals[0].indicator.name,
        world.programmes[0].name,
        "19.5",
        "En camino",
    ):
        assert text in page
    assert world.programmes[1].name not in page  # a draft programme is not public


def test_a_goal_is_judged_by_the_portal_s_municipality_not_by_another_municipality_or_a_colonia():
    leon = MunicipalityFactory()
    silao = TerritoryFactory(name="Silao", kind=TerritoryKind.MUNICIPIO, code="11037")
    goal = GoalFactory(baseline_value=Decimal("50"), baseline_year=2020, target_value=Decimal("70"), target_year=2030)
    for territory, year, value in [(leon, 2024, "48"), (silao, 2025, "90"), (TerritoryFactory(), 2025, "99")]:
        ObservationFactory(
            indicator=goal.indicator,
            territory=territory,
            period=str(year),
            period_start=datetime.date(year, 1, 1),
            value=Decimal(value),
        )
    [judged] = [g for objective in strategy_objectives(goal.objective.strategy) for g in objective.goals.all()]
    # Before, the plan's pages took the newest value of any municipality (Silao's 90: «cumplida»).
    assert (judged.latest_value, judged.latest_period, judged.status) == (Decimal("48"), "2024", GoalStatus.AT_RISK)


def test_a_draft_new_version_stays_out_of_the_public_page_until_published(client, planner):
    world = plan_world(state=LifecycleState.PUBLISHED)
    new = lifecycle.instrument_new_version(instrument=world.plan, actor=planner)
    services.objective_update(
        actor=planner,
        objective=Objective.objects.get(strategy__plan=new, strategy__number=1),
        values={"title": "Objetivo reescrito"},
        seen=None,
    )
    assert "Objetivo reescrito" not in client.get(reverse("planning:plan_public")).content.decode()


def test_a_strategy_page_has_its_goals_and_the_programmes_of_earlier_plan_versions(client, planner):
    world = plan_world(state=LifecycleState.PUBLISHED)
    _publish_programmes(world)
    new = lifecycle.instrument_new_version(instrument=world.plan, actor=planner)
    new.state = LifecycleState.PUBLISHED  # as if approved and published; the programme points at version 1
    new.save()
    world.plan.state = LifecycleState.SUPERSEDED
    world.plan.save()
    page = client.get(reverse("planning:strategy_public", args=["estrategia-1"])).content.decode()
    assert "Objetivo de Desarrollo Sustentable" in page
    assert world.programmes[0].name in page
    assert world.programmes[1].name not in page


def test_text_people_wrote_is_escaped_on_public_pages(client):
    world = plan_world(state=LifecycleState.PUBLISHED)
    Objective.objects.filter(pk=world.objectives[0].pk).update(description='<script>alert("x")</script>')
    page = client.get(reverse("planning:strategy_public", args=["estrategia-1"])).content.decode()
    assert '<script>alert("x")</script>' not in page
    assert "&lt;script&gt;" in page


def _grow(world, n):
    """Add ``n`` strategies, each with two objectives, two goals with data and a published programme."""
    territory = MunicipalityFactory()
    for i in range(n):
        strategy = StrategyFactory(
            plan=world.plan, vertiente=world.vertientes[i % 2], number=10 + i, slug=f"extra-{i}", commission=None
        )
        for number in (1, 2):
            objective = ObjectiveFactory(strategy=strategy, number=number, title=f"Objetivo {i}.{number}")
            indicator = IndicatorFactory(code=f"X-{i}-{number}", slug=f"x-{i}-{number}")
            ObservationFactory(
                indicator=indicator, territory=territory, period="2023", period_start=datetime.date(2023, 1, 1)
            )
            GoalFactory(
                objective=objective,
                description=f"Meta {i}.{number}",
                indicator=indicator,
                baseline_value=1,
                baseline_year=2020,
                target_value=5,
                target_year=2030,
            )
        ProgrammeFactory(code=f"X{i:03d}", strategy=strategy, state=LifecycleState.PUBLISHED)


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "url",
    [
        reverse("planning:plan_public"),
        reverse("planning:strategy_public", args=["estrategia-1"]),
        reverse("planning:government_plan_public_latest"),
    ],
)
def test_public_pages_make_the_same_number_of_queries_as_the_plan_grows(client, url):
    world = plan_world(state=LifecycleState.PUBLISHED)
    _publish_programmes(world)
    government = GovernmentPlanFactory(title="PG", state=LifecycleState.PUBLISHED, programmes=world.programmes)
    small = _queries(client, url)
    _grow(world, 6)
    ObjectiveFactory(strategy=world.strategies[0], number=2, title="Otro objetivo")
    government.programmes.add(*world.plan.strategies.exclude(programmes=None).values_list("programmes", flat=True))
    for programme in government.programmes.all():
        ProjectFactory(strategy=programme.strategy, programme=programme, status="en_cartera").government_plans.add(
            government
        )
    assert _queries(client, url) == small


def test_the_alignment_lists_strategies_without_commitments_and_orphan_programmes():
    world = plan_world(state=LifecycleState.PUBLISHED)
    orphan = ProgrammeFactory(code="P-HUERFANO", strategy=None)
    government = GovernmentPlanFactory(title="PG", programmes=[world.programmes[0], orphan])
    alignment = government_plan_alignment(plan=government)
    assert alignment.strategies_without_commitments == [world.strategies[1]]
    assert alignment.orphan_programmes == [orphan]
    ProjectFactory(strategy=world.strategies[1]).government_plans.add(government)  # a project also commits
    assert government_plan_alignment(plan=government).strategies_without_commitments == []


def test_the_public_government_plan_shows_commitments_by_strategy_and_only_public_projects(client):
    world = plan_world(state=LifecycleState.PUBLISHED)
    government = GovernmentPlanFactory(state=LifecycleState.PUBLISHED, programmes=[world.programmes[0]])
    visible = ProjectFactory(
        title="Parque lineal", strategy=world.strategies[0], programme=world.programmes[0], status="en_ejecucion"
    )
    hidden = ProjectFactory(
        title="Idea en evaluación", strategy=world.strategies[0], programme=world.programmes[0], status="propuesto"
    )
    for project in (visible, hidden):
        project.government_plans.add(government)
    page = client.get(reverse("planning:government_plan_public", args=["2024-2027"])).content.decode()
    assert "Parque lineal" in page and "Idea en evaluación" not in page
    assert "Estrategias sin compromisos en este programa" in page
    assert "Educación para la Vida" in page[page.index("Estrategias sin compromisos") :]
    assert client.get(reverse("planning:government_plan_public", args=["2030-2033"])).status_code == 404
    assert client.get(reverse("planning:government_plan_public", args=["abc"])).status_code == 404


def test_the_public_diagnosis_shows_sections_with_the_latest_value_of_each_cited_indicator(client):
    world = plan_world(state=LifecycleState.PUBLISHED)
    url = reverse("planning:diagnosis_public")
    assert client.get(url).status_code == 404  # the diagnosis is still a draft
    world.diagnosis.state = LifecycleState.PUBLISHED
    world.diagnosis.save()
    territory = MunicipalityFactory()
    for year, value in ((2022, "17.25"), (2024, "1234567.5")):
        ObservationFactory(
            indicator=world.goals[0].indicator,
            territory=territory,
            period=str(year),
            period_start=datetime.date(year, 1, 1),
            value=Decimal(value),
        )
    page = client.get(url).content.decode()
    assert "Agua" in page and "El acuífero." in page
    assert "1,234,567.50" in page and "2024" in page and "17.25" not in page
    few = _queries(client, url)
    for order in range(2, 8):
        section = world.diagnosis.sections.create(order=order, title=f"Sección {order}", body="Texto")
        section.indicators.set([IndicatorFactory(code=f"D-{order}", slug=f"d-{order}"), world.goals[1].indicator])
    assert _queries(client, url) == few


def test_the_draft_diagnosis_in_the_workspace_shows_the_latest_value_of_each_cited_indicator(client, planner):
    world = plan_world()
    territory = MunicipalityFactory()
    for year, value in ((2021, "9.5"), (2023, "48.75")):
        ObservationFactory(
            indicator=world.goals[0].indicator,
            territory=territory,
            period=str(year),
            period_start=datetime.date(year, 1, 1),
            value=Decimal(value),
        )
    client.force_login(planner)
    page = client.get(reverse("planning:diagnosis_detail", args=[world.diagnosis.pk])).content.decode()
    assert "El acuífero." in page
    assert "48.75" in page and "2023" in page and "9.50" not in page
