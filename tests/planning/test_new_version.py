""" "Editing" a frozen instrument starts a new draft version that carries all of its parts."""

from decimal import Decimal

import pytest
from guardian.shortcuts import assign_perm

from implan.errors import DomainError
from implan.models import Event, LifecycleState
from planning.models import (
    FindingKind,
    SpendingChapter,
)
from planning.services import lifecycle
from planning.services import plan as services
from planning.versions import versions_of
from tests.factories import (
    AgencyFactory,
    AnnualReportFactory,
    BudgetFactory,
    BudgetLineFactory,
    EvaluationFactory,
    EvaluationFindingFactory,
    FiscalYearFactory,
    GovernmentPlanFactory,
    ProgrammeCeilingFactory,
    ProjectFactory,
    ReportSectionFactory,
    UserFactory,
)
from tests.planning.plan_builders import plan_world

pytestmark = pytest.mark.django_db


def _shape(plan):
    return {
        "vision": plan.vision.statement,
        "vertientes": sorted(plan.vertientes.values_list("order", "name")),
        "strategies": sorted(plan.strategies.values_list("number", "slug", "vertiente__name", "commission_id")),
        "objectives": sorted(plan.strategies.values_list("slug", "objectives__number", "objectives__title")),
        "goals": sorted(
            plan.strategies.values_list(
                "objectives__goals__description", "objectives__goals__indicator_id", "objectives__goals__target_value"
            )
        ),
    }


def test_a_new_version_of_a_published_plan_copies_every_part_into_a_draft(planner):
    world = plan_world(state=LifecycleState.PUBLISHED)
    new = lifecycle.instrument_new_version(instrument=world.plan, actor=planner)
    assert (new.state, new.version, new.previous_version, new.slug) == (
        LifecycleState.DRAFT,
        2,
        world.plan,
        world.plan.slug,
    )
    assert _shape(new) == _shape(world.plan)
    assert set(new.strategies.values_list("pk", flat=True)).isdisjoint(
        world.plan.strategies.values_list("pk", flat=True)
    )
    assert new.history.first().history_user == planner
    assert Event.objects.get(action="instrument_new_version").data["from"] == world.plan.pk


def test_editing_the_new_version_leaves_the_published_one_untouched(planner):
    world = plan_world(state=LifecycleState.PUBLISHED)
    new = lifecycle.instrument_new_version(instrument=world.plan, actor=planner)
    objective = new.strategies.get(number=1).objectives.get()
    services.objective_update(actor=world.commission_member, objective=objective, values={"title": "Nuevo"}, seen=None)
    world.objectives[0].refresh_from_db()
    assert world.objectives[0].title == "Objetivo de Desarrollo Sustentable"


def test_a_grant_on_a_strategy_carries_over_to_its_new_version(planner):
    world = plan_world(state=LifecycleState.PUBLISHED)
    granted = UserFactory(username="enlace_con_permiso")
    assign_perm("planning.edit_strategy_content", granted, world.strategies[1])
    new = lifecycle.instrument_new_version(instrument=world.plan, actor=planner)
    assert granted.has_perm("planning.edit_strategy_content", new.strategies.get(number=2))


@pytest.mark.parametrize("state", [LifecycleState.DRAFT, LifecycleState.IN_REVIEW])
def test_a_draft_or_in_review_instrument_gets_no_new_version(planner, state):
    world = plan_world(state=state)
    with pytest.raises(DomainError):
        lifecycle.instrument_new_version(instrument=world.plan, actor=planner)
    assert len(versions_of(world.plan)) == 1


def test_only_one_version_in_preparation_and_only_from_the_newest(planner):
    world = plan_world(state=LifecycleState.PUBLISHED)
    lifecycle.instrument_new_version(instrument=world.plan, actor=planner)
    with pytest.raises(DomainError, match="más reciente"):
        lifecycle.instrument_new_version(instrument=world.plan, actor=planner)
    assert len(versions_of(world.plan)) == 2


def test_a_new_diagnosis_carries_its_sections_and_their_cited_indicators(planner):
    world = plan_world()
    world.diagnosis.state = LifecycleState.APPROVED
    world.diagnosis.save()
    new = lifecycle.instrument_new_version(instrument=world.diagnosis, actor=planner)
    section = new.sections.get()
    assert (section.title, list(section.indicators.all())) == ("Agua", [world.goals[0].indicator])
    assert [v.pk for v in versions_of(world.diagnosis)] == [new.pk, world.diagnosis.pk]


def test_a_new_government_plan_commits_to_the_same_programmes_and_projects(planner):
    world = plan_world()
    old = GovernmentPlanFactory(title="PG", state=LifecycleState.PUBLISHED, programmes=world.programmes)
    project = ProjectFactory(strategy=world.strategies[0])
    project.government_plans.add(old)
    new = lifecycle.instrument_new_version(instrument=old, actor=planner)
    assert set(new.programmes.all()) == set(world.programmes)
    assert list(new.projects.all()) == [project]


def test_a_new_budget_carries_its_lines_and_programme_ceilings(planner):
    world = plan_world()
    budget = BudgetFactory(state=LifecycleState.PUBLISHED)
    agency = AgencyFactory()
    ProgrammeCeilingFactory(budget=budget, programme=world.programmes[0], amount=Decimal("500000"))
    BudgetLineFactory(
        budget=budget,
        programme=world.programmes[0],
        agency=agency,
        chapter=SpendingChapter.PUBLIC_WORKS,
        approved_amount=Decimal("400000"),
        executed_amount=Decimal("100"),
    )
    new = lifecycle.instrument_new_version(instrument=budget, actor=planner)
    assert list(new.programme_ceilings.values_list("programme", "amount")) == [
        (world.programmes[0].pk, Decimal("500000"))
    ]
    assert list(new.lines.values_list("programme", "agency", "chapter", "approved_amount", "executed_amount")) == [
        (world.programmes[0].pk, agency.pk, "6000", Decimal("400000"), Decimal("100"))
    ]
    assert new.fiscal_year == budget.fiscal_year and new.version == 2


def test_a_new_report_and_a_new_evaluation_carry_their_sections_and_findings(planner):
    world = plan_world()
    year = FiscalYearFactory()
    report = AnnualReportFactory(fiscal_year=year, title="Informe 2025", state=LifecycleState.APPROVED)
    ReportSectionFactory(report=report, order=1, title="Presentación", body="Texto", strategy=world.strategies[0])
    evaluation = EvaluationFactory(
        plan=world.plan, fiscal_year=year, title="Evaluación 2025", state=LifecycleState.PUBLISHED
    )
    EvaluationFindingFactory(
        evaluation=evaluation, goal=world.goals[0], kind=FindingKind.RECOMMENDATION, text="Medir cada año"
    )
    new_report = lifecycle.instrument_new_version(instrument=report, actor=planner)
    new_evaluation = lifecycle.instrument_new_version(instrument=evaluation, actor=planner)
    assert list(new_report.sections.values_list("order", "title", "strategy")) == [
        (1, "Presentación", world.strategies[0].pk)
    ]
    assert list(new_evaluation.findings.values_list("goal", "kind", "text")) == [
        (world.goals[0].pk, FindingKind.RECOMMENDATION, "Medir cada año")
    ]
    assert (new_evaluation.plan, new_evaluation.previous_version) == (world.plan, evaluation)


def test_a_new_programme_version_keeps_its_code_and_alignment(planner):
    world = plan_world()
    programme = world.programmes[0]
    programme.state = LifecycleState.PUBLISHED
    programme.save()
    new = lifecycle.instrument_new_version(instrument=programme, actor=planner)
    assert (new.code, new.version, new.strategy, new.state) == (
        programme.code,
        2,
        programme.strategy,
        LifecycleState.DRAFT,
    )


def test_publishing_a_version_started_from_an_unpublished_one_still_supersedes_the_public_one(planner):
    world = plan_world(state=LifecycleState.PUBLISHED)
    second = lifecycle.instrument_new_version(instrument=world.plan, actor=planner)
    type(second).objects.filter(pk=second.pk).update(state=LifecycleState.APPROVED)  # approved, never published
    third = lifecycle.instrument_new_version(instrument=type(second).objects.get(pk=second.pk), actor=planner)
    type(third).objects.filter(pk=third.pk).update(state=LifecycleState.APPROVED)
    lifecycle.instrument_publish(instrument=third, actor=planner)
    states = dict(type(third).objects.filter(slug=world.plan.slug).values_list("version", "state"))
    assert states == {1: LifecycleState.SUPERSEDED, 2: LifecycleState.APPROVED, 3: LifecycleState.PUBLISHED}
