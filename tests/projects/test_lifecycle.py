"""The lifecycle of a project: the declared map, reasons, assessment and commitment rules, events."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from implan.errors import DomainError
from implan.models import Event
from projects import services
from projects.models import Project, ProjectStatus
from tests.factories import AllocationFactory, BudgetLineFactory, GovernmentPlanFactory, ProjectFactory
from tests.projects.builders import committed

pytestmark = pytest.mark.django_db
S = ProjectStatus


@pytest.fixture
def in_portfolio():
    return committed(ProjectFactory(status=S.IN_PORTFOLIO, priority_score=Decimal("80")))


def test_a_project_walks_its_lifecycle_with_events(planner, in_portfolio):
    services.project_transition(actor=planner, project=in_portfolio, to=S.IN_EXECUTION)
    Project.objects.filter(pk=in_portfolio.pk).update(physical_progress=Decimal("100"))
    services.project_transition(actor=planner, project=in_portfolio, to=S.COMPLETED)
    assert list(Event.objects.filter(action="project_status").values_list("from_state", "to_state")) == [
        ("en_ejecucion", "concluido"),
        ("en_cartera", "en_ejecucion"),
    ]
    in_portfolio.refresh_from_db()
    assert in_portfolio.history.first().history_user == planner


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (S.PROPOSED, S.IN_PORTFOLIO),
        (S.PROPOSED, S.IN_EXECUTION),
        (S.UNDER_ASSESSMENT, S.IN_EXECUTION),
        (S.IN_PORTFOLIO, S.COMPLETED),
        (S.COMPLETED, S.IN_EXECUTION),
        (S.CANCELLED, S.IN_PORTFOLIO),
        (S.IN_EXECUTION, S.PROPOSED),
    ],
)
def test_a_move_not_in_the_map_is_refused_and_changes_nothing(planner, start, to):
    project = ProjectFactory(status=start, priority_score=Decimal("50"))
    with pytest.raises(DomainError, match="no puede pasar"):
        services.project_transition(actor=planner, project=project, to=to)
    project.refresh_from_db()
    assert project.status == start
    assert not Event.objects.exists()


def test_entering_the_portfolio_needs_an_assessment(planner):
    project = ProjectFactory(status=S.UNDER_ASSESSMENT, priority_score=None)
    with pytest.raises(DomainError, match="Evalúe el proyecto"):
        services.project_transition(actor=planner, project=project, to=S.IN_PORTFOLIO)


def test_entering_the_portfolio_needs_a_responsible_agency(planner):
    project = ProjectFactory(status=S.UNDER_ASSESSMENT, priority_score=Decimal("60"), agency=None)
    with pytest.raises(DomainError, match="dependencia responsable"):
        services.project_transition(actor=planner, project=project, to=S.IN_PORTFOLIO)
    assert project.history.count() == 1


def test_execution_needs_an_approved_commitment(planner):
    project = ProjectFactory(status=S.IN_PORTFOLIO)
    with pytest.raises(DomainError, match="comprometido"):
        services.project_transition(actor=planner, project=project, to=S.IN_EXECUTION)
    draft_plan = GovernmentPlanFactory(title="PG")
    project.government_plans.add(draft_plan)
    with pytest.raises(DomainError, match="comprometido"):
        services.project_transition(actor=planner, project=project, to=S.IN_EXECUTION)


def test_an_allocation_in_an_approved_budget_is_a_commitment(planner):
    project = ProjectFactory(status=S.IN_PORTFOLIO)
    line = BudgetLineFactory(budget__state="aprobado")
    AllocationFactory(project=project, fiscal_year=line.budget.fiscal_year, budget_line=line, amount=Decimal("1000"))
    services.project_transition(actor=planner, project=project, to=S.IN_EXECUTION)
    project.refresh_from_db()
    assert project.status == S.IN_EXECUTION


def test_a_project_is_completed_only_at_100_percent(planner, in_portfolio):
    services.project_transition(actor=planner, project=in_portfolio, to=S.IN_EXECUTION)
    with pytest.raises(DomainError, match="100 % de avance"):
        services.project_transition(actor=planner, project=in_portfolio, to=S.COMPLETED)


@pytest.mark.parametrize("to", [S.SUSPENDED, S.CANCELLED])
def test_suspending_or_cancelling_needs_a_reason(planner, in_portfolio, to):
    with pytest.raises(DomainError, match="motivo"):
        services.project_transition(actor=planner, project=in_portfolio, to=to, reason="  ")
    services.project_transition(actor=planner, project=in_portfolio, to=to, reason="Sin recursos")
    in_portfolio.refresh_from_db()
    assert (in_portfolio.status, in_portfolio.status_reason) == (to, "Sin recursos")
    assert Event.objects.get().note == "Sin recursos"


@pytest.mark.parametrize("who", ["liaison", "councillor", "outsider"])
def test_only_planners_move_projects(request, who, in_portfolio):
    with pytest.raises(PermissionDenied):
        services.project_transition(
            actor=request.getfixturevalue(who), project=in_portfolio, to=S.CANCELLED, reason="x"
        )
    in_portfolio.refresh_from_db()
    assert in_portfolio.status == S.IN_PORTFOLIO
