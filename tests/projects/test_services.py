"""Project lifecycle and progress rules."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from guardian.shortcuts import assign_perm

from implan.errors import DomainError
from implan.models import Event
from planning.models import GovernmentPlan
from projects import services
from projects.models import Allocation, ProgressUpdate, ProjectStatus
from tests.factories import AdministrationTermFactory, FiscalYearFactory, ProjectFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2025, 6, 1)


@pytest.fixture
def committed_project():
    project = ProjectFactory(status=ProjectStatus.IN_PORTFOLIO)
    plan = GovernmentPlan.objects.create(administration_term=AdministrationTermFactory(), title="PG", state="publicado")
    project.government_plans.add(plan)
    return project


@pytest.fixture
def running(committed_project, planner, liaison):
    services.project_transition(actor=planner, project=committed_project, to=ProjectStatus.IN_EXECUTION)
    assign_perm("projects.report_progress", liaison, committed_project)
    Allocation.objects.create(project=committed_project, fiscal_year=FiscalYearFactory(), amount=Decimal("1000"))
    committed_project.refresh_from_db()
    return committed_project


def test_a_project_walks_its_lifecycle_with_events(planner, committed_project):
    services.project_transition(actor=planner, project=committed_project, to=ProjectStatus.IN_EXECUTION)
    services.project_transition(actor=planner, project=committed_project, to=ProjectStatus.COMPLETED)
    assert list(Event.objects.filter(action="project_status").values_list("to_state", flat=True)) == [
        "concluido", "en_ejecucion"]


def test_a_move_not_in_the_map_is_refused(planner):
    project = ProjectFactory()
    with pytest.raises(DomainError, match="no puede pasar"):
        services.project_transition(actor=planner, project=project, to=ProjectStatus.COMPLETED)


def test_execution_needs_an_approved_commitment(planner):
    project = ProjectFactory(status=ProjectStatus.IN_PORTFOLIO)
    with pytest.raises(DomainError, match="comprometido"):
        services.project_transition(actor=planner, project=project, to=ProjectStatus.IN_EXECUTION)
    draft_plan = GovernmentPlan.objects.create(administration_term=AdministrationTermFactory(), title="PG")
    project.government_plans.add(draft_plan)
    with pytest.raises(DomainError):
        services.project_transition(actor=planner, project=project, to=ProjectStatus.IN_EXECUTION)


@pytest.mark.parametrize("to", [ProjectStatus.SUSPENDED, ProjectStatus.CANCELLED])
def test_suspending_or_cancelling_needs_a_reason(planner, committed_project, to):
    with pytest.raises(DomainError, match="motivo"):
        services.project_transition(actor=planner, project=committed_project, to=to, reason="  ")
    services.project_transition(actor=planner, project=committed_project, to=to, reason="Sin recursos")


def test_only_planners_move_projects(liaison, committed_project):
    with pytest.raises(PermissionDenied):
        services.project_transition(actor=liaison, project=committed_project, to=ProjectStatus.CANCELLED,
                                    reason="x")


def _report(actor, project, progress, spent="0", reason=""):
    return services.progress_report(actor=actor, project=project, reported_on=TODAY,
                                    physical_progress=Decimal(progress), amount_spent=Decimal(spent),
                                    narrative="Avance de obra", decrease_reason=reason)


def test_the_liaison_reports_progress_of_their_agencys_project(running, liaison):
    _report(liaison, running, "40", "500")
    running.refresh_from_db()
    assert running.physical_progress == Decimal("40")
    assert ProgressUpdate.objects.get().reported_by == liaison


def test_a_liaison_of_another_agency_is_refused(running):
    from implan import roles
    from tests.factories import UserFactory

    other = UserFactory(roles=[roles.AGENCY_LIAISON])
    with pytest.raises(PermissionDenied):
        _report(other, running, "10")
    assert not ProgressUpdate.objects.exists()


@pytest.mark.parametrize("progress", ["100.01", "-1"])
def test_progress_outside_0_to_100_is_refused(running, liaison, progress):
    with pytest.raises(DomainError, match="entre 0 y 100"):
        _report(liaison, running, progress)


def test_progress_going_backwards_needs_a_reason(running, liaison):
    _report(liaison, running, "50")
    with pytest.raises(DomainError, match="explique"):
        _report(liaison, running, "45")
    _report(liaison, running, "45", reason="Se demolió un tramo defectuoso")
    running.refresh_from_db()
    assert running.physical_progress == Decimal("45")


def test_spending_above_the_allocation_is_flagged_not_refused(running, liaison):
    within = _report(liaison, running, "10", "1000")
    above = _report(liaison, running, "20", "1000.01")
    assert (within.over_allocation, above.over_allocation) == (False, True)


def test_no_progress_on_a_project_not_in_execution(liaison):
    project = ProjectFactory(status=ProjectStatus.IN_PORTFOLIO)
    assign_perm("projects.report_progress", liaison, project)
    with pytest.raises(DomainError, match="en ejecución"):
        _report(liaison, project, "10")
