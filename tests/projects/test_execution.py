"""Milestones with planned and actual dates; yearly allocations tied to budget lines; planners' edits."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from implan import roles
from implan.errors import DomainError
from projects import services
from projects.models import Allocation, Milestone, ProjectStatus
from tests.factories import AgencyLiaisonFactory, BudgetLineFactory, ProjectFactory, UserFactory
from tests.projects.builders import LEON_LAT, LEON_LON, liaison_of, running_project

pytestmark = pytest.mark.django_db
PLANNED = datetime.date(2025, 9, 15)


def test_the_liaison_records_milestones_and_their_actual_dates(planner):
    project = running_project(planner)
    enlace = liaison_of(project)
    first = services.milestone_save(actor=enlace, project=project, title="Licitación", planned_date=PLANNED)
    second = services.milestone_save(actor=enlace, project=project, title="Obra", planned_date=PLANNED)
    services.milestone_save(
        actor=enlace,
        project=project,
        milestone=first,
        title="Licitación",
        planned_date=PLANNED,
        actual_date=datetime.date(2025, 9, 20),
    )
    first.refresh_from_db()
    assert (first.order, second.order, first.actual_date) == (1, 2, datetime.date(2025, 9, 20))
    assert first.history.first().history_user == enlace


def test_a_liaison_of_another_agency_cannot_touch_milestones(planner):
    project = running_project(planner)
    other = UserFactory(username="enlace-ajeno", roles=[roles.AGENCY_LIAISON])
    AgencyLiaisonFactory(user=other)
    with pytest.raises(PermissionDenied):
        services.milestone_save(actor=other, project=project, title="Obra", planned_date=PLANNED)
    assert not Milestone.objects.exists()


def test_a_milestone_of_another_project_is_refused(planner):
    project, other = running_project(planner), running_project(planner, code="PE-OTRO")
    milestone = services.milestone_save(actor=planner, project=other, title="Obra", planned_date=PLANNED)
    with pytest.raises(DomainError, match="no pertenece"):
        services.milestone_save(actor=planner, project=project, milestone=milestone, title="X", planned_date=PLANNED)


def test_an_actual_date_in_the_future_is_refused(planner):
    project = running_project(planner)
    with pytest.raises(DomainError, match="posterior a hoy"):
        services.milestone_save(
            actor=planner,
            project=project,
            title="Obra",
            planned_date=PLANNED,
            actual_date=timezone.localdate() + datetime.timedelta(days=3),
        )


@pytest.fixture
def line():
    return BudgetLineFactory(budget__state="publicado", approved_amount=Decimal("1000000"))


def test_planners_allocate_money_of_a_budget_line_for_its_fiscal_year(planner, line):
    project = ProjectFactory(status=ProjectStatus.IN_PORTFOLIO)
    allocation = services.allocation_add(actor=planner, project=project, budget_line=line, amount=Decimal("600000"))
    assert (allocation.fiscal_year, allocation.amount) == (line.budget.fiscal_year, Decimal("600000.00"))
    services.project_transition(actor=planner, project=project, to=ProjectStatus.IN_EXECUTION)  # now committed


def test_allocations_cannot_exceed_what_the_line_has(planner, line):
    services.allocation_add(
        actor=planner,
        project=ProjectFactory(status=ProjectStatus.IN_PORTFOLIO),
        budget_line=line,
        amount=Decimal("700000"),
    )
    other = ProjectFactory(status=ProjectStatus.IN_PORTFOLIO)
    with pytest.raises(DomainError, match="no alcanza para \\$300,000.01 MXN"):
        services.allocation_add(actor=planner, project=other, budget_line=line, amount=Decimal("300000.01"))
    assert not Allocation.objects.filter(project=other).exists()


def test_a_modified_line_funds_up_to_its_modified_amount(planner, line):
    line.modified_amount = Decimal("1200000")
    line.save()
    allocation = services.allocation_add(
        actor=planner,
        project=ProjectFactory(status=ProjectStatus.IN_PORTFOLIO),
        budget_line=line,
        amount=Decimal("1200000"),  # more than the 1,000,000 approved
    )
    assert allocation.amount == Decimal("1200000.00")
    with pytest.raises(DomainError, match="no alcanza"):  # and not a cent more than the modified amount
        services.allocation_add(
            actor=planner,
            project=ProjectFactory(status=ProjectStatus.IN_PORTFOLIO),
            budget_line=line,
            amount=Decimal("0.01"),
        )


@pytest.mark.parametrize("amount", ["0", "-10"])
def test_an_allocation_must_be_positive(planner, line, amount):
    with pytest.raises(DomainError, match="mayor que cero"):
        services.allocation_add(
            actor=planner,
            project=ProjectFactory(status=ProjectStatus.IN_PORTFOLIO),
            budget_line=line,
            amount=Decimal(amount),
        )


def test_a_proposal_gets_no_money(planner, line):
    with pytest.raises(DomainError, match="en cartera"):
        services.allocation_add(actor=planner, project=ProjectFactory(), budget_line=line, amount=Decimal("10"))


def test_a_superseded_budget_funds_nothing(planner):
    old = BudgetLineFactory(budget__state="sustituido")
    with pytest.raises(DomainError, match="sustituido"):
        services.allocation_add(
            actor=planner,
            project=ProjectFactory(status=ProjectStatus.IN_PORTFOLIO),
            budget_line=old,
            amount=Decimal("10"),
        )


def test_only_planners_allocate(liaison, line):
    with pytest.raises(PermissionDenied):
        services.allocation_add(
            actor=liaison,
            project=ProjectFactory(status=ProjectStatus.IN_PORTFOLIO),
            budget_line=line,
            amount=Decimal("10"),
        )


def _data(project, **overrides):
    values = {
        "title": project.title,
        "problem": project.problem,
        "strategy": project.strategy,
        "territory": project.territory,
        "latitude": LEON_LAT,
        "longitude": LEON_LON,
        "agency": project.agency,
        "sdg_goals": [11, 6],
    }
    values.update(overrides)
    return services.ProjectData(**values)


def test_planners_complete_a_proposal_with_agency_and_sdgs(planner):
    project = ProjectFactory(agency=None)
    agency = ProjectFactory().agency
    services.project_update(actor=planner, project=project, data=_data(project, agency=agency, sector="health"))
    project.refresh_from_db()
    assert (project.agency, project.sdg_goals, project.sector) == (agency, [6, 11], "health")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"sdg_goals": [18]}, "del 1 al 17"),
        ({"sdg_goals": [3, 3]}, "del 1 al 17"),
        ({"latitude": Decimal("40.4168"), "longitude": Decimal("-3.7038")}, "fuera del municipio"),
        ({"estimated_cost": Decimal("-0.01")}, "negativo"),
    ],
)
def test_a_planners_bad_edit_is_refused_and_changes_nothing(planner, overrides, message):
    project = ProjectFactory()
    with pytest.raises(DomainError, match=message):
        services.project_update(actor=planner, project=project, data=_data(project, **overrides))
    assert project.history.count() == 1


def test_a_programme_of_another_strategy_is_refused(planner):
    from tests.factories import ProgrammeFactory

    project = ProjectFactory()
    with pytest.raises(DomainError, match="pertenece a otra estrategia"):
        services.project_update(actor=planner, project=project, data=_data(project, programme=ProgrammeFactory()))


def test_a_closed_project_is_not_edited(planner):
    project = ProjectFactory(status=ProjectStatus.CANCELLED)
    with pytest.raises(DomainError, match="ya no se modifica"):
        services.project_update(actor=planner, project=project, data=_data(project))


def test_only_planners_edit_project_data(liaison):
    project = ProjectFactory()
    with pytest.raises(PermissionDenied):
        services.project_update(actor=liaison, project=project, data=_data(project))
