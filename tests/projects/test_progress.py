"""Progress reports: only the liaison of the project's own agency, 0–100, no silent regress, overspend flagged."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from implan import roles
from implan.errors import DomainError
from implan.models import Event
from projects import services
from projects.models import ProgressUpdate, ProjectStatus
from tests.factories import AgencyLiaisonFactory, AllocationFactory, ProjectFactory, UserFactory
from tests.projects.builders import liaison_of, running_project

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2025, 6, 1)


@pytest.fixture
def running(planner):
    project = running_project(planner)
    AllocationFactory(project=project, amount=Decimal("1000"))
    return project


@pytest.fixture
def enlace(running):
    return liaison_of(running)


def _report(actor, project, progress, spent="0", reason="", on=TODAY):
    return services.progress_report(
        actor=actor,
        project=project,
        reported_on=on,
        physical_progress=Decimal(progress),
        amount_spent=Decimal(spent),
        narrative="Avance de obra",
        decrease_reason=reason,
    )


def test_the_liaison_reports_progress_of_their_agencys_project(running, enlace):
    _report(enlace, running, "40", "500")
    running.refresh_from_db()
    assert running.physical_progress == Decimal("40")
    update = ProgressUpdate.objects.get()
    assert (update.reported_by, update.history.first().history_user) == (enlace, enlace)
    event = Event.objects.get(action="progress_reported")
    assert (event.from_state, event.to_state) == ("0.00", "40.00")


def test_an_agency_grant_covers_projects_created_after_it(planner, running, enlace):
    later = running_project(planner, agency=running.agency, code="PE-NUEVO")
    _report(enlace, later, "5")
    assert ProgressUpdate.objects.filter(project=later).count() == 1


def test_a_liaison_of_another_agency_is_refused_and_nothing_is_saved(running):
    other = UserFactory(username="enlace-otra", roles=[roles.AGENCY_LIAISON])
    AgencyLiaisonFactory(user=other)  # granted a different agency
    with pytest.raises(PermissionDenied, match="enlace de la dependencia responsable"):
        _report(other, running, "10")
    assert not ProgressUpdate.objects.exists()
    running.refresh_from_db()
    assert running.physical_progress == Decimal("0")


def test_a_grant_without_the_liaison_role_is_not_enough(running):
    user = UserFactory(username="sin-rol-con-permiso")
    AgencyLiaisonFactory(user=user, agency=running.agency)
    with pytest.raises(PermissionDenied):
        _report(user, running, "10")


def test_a_deactivated_liaison_is_refused(running, enlace):
    enlace.is_active = False
    enlace.save()
    with pytest.raises(PermissionDenied):
        _report(enlace, running, "10")


@pytest.mark.parametrize("progress", ["100.01", "-1", "250"])
def test_progress_outside_0_to_100_is_refused(running, enlace, progress):
    with pytest.raises(DomainError, match="entre 0 y 100"):
        _report(enlace, running, progress)
    assert not ProgressUpdate.objects.exists()


def test_progress_going_backwards_needs_a_reason(running, enlace):
    _report(enlace, running, "50")
    with pytest.raises(DomainError, match="explique el motivo"):
        _report(enlace, running, "45")
    assert ProgressUpdate.objects.count() == 1
    _report(enlace, running, "45", reason="Se demolió un tramo defectuoso")
    running.refresh_from_db()
    assert running.physical_progress == Decimal("45")


def test_spending_above_the_allocation_is_flagged_not_refused(running, enlace):
    within = _report(enlace, running, "10", "1000")
    above = _report(enlace, running, "20", "1000.01")
    assert (within.over_allocation, above.over_allocation) == (False, True)
    assert "Ejercido $1,000.01 MXN sobre $1,000.00 MXN" in Event.objects.filter(action="progress_reported").first().note


def test_the_public_page_warns_when_spending_is_above_the_allocation(client, running, enlace):
    page = reverse("projects:project_detail", args=[running.slug])
    _report(enlace, running, "10", "1000")
    assert "Lo ejercido supera lo asignado." not in client.get(page).content.decode()
    _report(enlace, running, "20", "1000.01")
    assert "Lo ejercido supera lo asignado." in client.get(page).content.decode()


def test_negative_spending_is_refused(running, enlace):
    with pytest.raises(DomainError, match="negativo"):
        _report(enlace, running, "10", "-5")


def test_a_report_dated_in_the_future_is_refused(running, enlace):
    # The clock stands still, so "tomorrow" cannot become today between reading the date and the check (midnight).
    with time_machine.travel(timezone.now(), tick=False), pytest.raises(DomainError, match="posterior a hoy"):
        _report(enlace, running, "10", on=timezone.localdate() + datetime.timedelta(days=1))


def test_no_progress_on_a_project_not_in_execution(planner):
    project = ProjectFactory(status=ProjectStatus.IN_PORTFOLIO)
    with pytest.raises(DomainError, match="en ejecución"):
        _report(liaison_of(project), project, "10")
