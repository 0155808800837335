"""The administration names who reports for each agency through a service, with history and an event row, on the
page «Enlaces de dependencia»; the Django admin only shows the grants."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from implan import roles
from implan.errors import DomainError
from implan.events import events_for
from implan.formatting import account_name
from projects import services
from projects.models import AgencyLiaison
from projects.permissions import can_report_progress
from tests.factories import AgencyFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency():
    return AgencyFactory(name="Dirección General de Obra Pública", slug="obra-publica")


def test_a_granted_liaison_reports_on_every_project_of_the_agency(administrator, liaison, agency):
    project = ProjectFactory(agency=agency)
    assert not can_report_progress(liaison, project)
    grant = services.agency_liaison_grant(actor=administrator, user=liaison, agency=agency)
    assert can_report_progress(liaison, project)
    assert can_report_progress(liaison, ProjectFactory(agency=agency))  # and the ones assigned later
    event = events_for(agency).get(action="agency_liaison_granted")
    assert event.actor == administrator and event.data["username"] == liaison.username
    record = grant.history.get()
    assert record.history_user == administrator and record.history_change_reason == "Enlace asignado"


def test_granting_twice_returns_the_same_grant_and_records_nothing(administrator, liaison, agency):
    first = services.agency_liaison_grant(actor=administrator, user=liaison, agency=agency)
    assert services.agency_liaison_grant(actor=administrator, user=liaison, agency=agency) == first
    assert events_for(agency).count() == 1 and first.history.count() == 1


def test_revoking_ends_the_reporting_keeps_the_history_and_twice_is_harmless(administrator, liaison, agency):
    project = ProjectFactory(agency=agency)
    grant = services.agency_liaison_grant(actor=administrator, user=liaison, agency=agency)
    assert services.agency_liaison_revoke(actor=administrator, user=liaison, agency=agency) is True
    assert not can_report_progress(liaison, project)
    assert services.agency_liaison_revoke(actor=administrator, user=liaison, agency=agency) is False
    assert events_for(agency).filter(action="agency_liaison_revoked").count() == 1
    removal = AgencyLiaison.history.filter(id=grant.pk, history_type="-").get()
    assert removal.history_user == administrator and removal.history_change_reason == "Enlace retirado"


@pytest.mark.parametrize("service", [services.agency_liaison_grant, services.agency_liaison_revoke])
def test_only_the_administration_grants_or_removes_a_liaison(planner, liaison, agency, service):
    for actor in (planner, liaison):
        with pytest.raises(PermissionDenied):
            service(actor=actor, user=liaison, agency=agency)
    assert not AgencyLiaison.objects.exists() and not events_for(agency).exists()


def test_only_an_active_liaison_account_and_an_active_agency_are_granted(administrator, councillor, liaison, agency):
    with pytest.raises(DomainError, match="no tiene el rol «Enlace de dependencia»"):
        services.agency_liaison_grant(actor=administrator, user=councillor, agency=agency)
    closed = AgencyFactory(is_active=False)
    with pytest.raises(DomainError, match="ya no está activa"):
        services.agency_liaison_grant(actor=administrator, user=liaison, agency=closed)
    assert not AgencyLiaison.objects.exists()


def test_the_page_lists_grants_and_offers_only_liaison_accounts(client, administrator, liaison, councillor, agency):
    services.agency_liaison_grant(actor=administrator, user=liaison, agency=agency)
    client.force_login(administrator)
    html = client.get(reverse("projects:liaisons")).content.decode()
    assert "Dirección General de Obra Pública" in html and "Quitar" in html
    assert f">{account_name(liaison)}</option>" in html  # may report for another agency too
    assert councillor.username not in html
    assert f"asignó a {account_name(liaison)}" in html


def test_granting_from_the_page_goes_through_the_service(client, administrator, liaison, agency):
    client.force_login(administrator)
    response = client.post(reverse("projects:liaisons"), {"user": liaison.pk, "agency": agency.pk}, follow=True)
    assert "reporta ahora los proyectos de Dirección General de Obra Pública" in response.content.decode()
    assert AgencyLiaison.objects.get().user == liaison
    assert events_for(agency).get().actor == administrator


def test_a_repeated_or_incomplete_grant_is_refused_in_spanish(client, administrator, liaison, agency):
    services.agency_liaison_grant(actor=administrator, user=liaison, agency=agency)
    client.force_login(administrator)
    html = client.post(reverse("projects:liaisons"), {"user": liaison.pk, "agency": agency.pk}).content.decode()
    assert "ya es enlace de Dirección General de Obra Pública" in html
    html = client.post(reverse("projects:liaisons"), {"user": "", "agency": ""}).content.decode()
    assert "Elija la cuenta que reportará por la dependencia." in html
    assert "Elija la dependencia por la que reportará." in html
    assert AgencyLiaison.objects.count() == 1


def test_removing_from_the_page_goes_through_the_service_and_twice_is_harmless(client, administrator, liaison, agency):
    grant = services.agency_liaison_grant(actor=administrator, user=liaison, agency=agency)
    client.force_login(administrator)
    url = reverse("projects:liaison_revoke", args=[grant.pk])
    assert "ya no reporta los proyectos de" in client.post(url, follow=True).content.decode()
    assert "no hubo nada que quitar" in client.post(url, follow=True).content.decode()
    assert not AgencyLiaison.objects.exists()
    assert events_for(agency).filter(action="agency_liaison_revoked").count() == 1


def test_the_page_says_when_no_agency_has_a_liaison_and_nobody_has_the_role(client, administrator):
    client.force_login(administrator)
    html = client.get(reverse("projects:liaisons")).content.decode()
    assert "Ninguna dependencia tiene enlace" in html
    assert "No hay cuentas activas con el rol «Enlace de dependencia»" in html


def test_the_liaison_page_is_the_administrations(client, planner, liaison):
    for user in (planner, liaison):
        client.force_login(user)
        assert client.get(reverse("projects:liaisons")).status_code == 403
    client.force_login(UserFactory(username="otra_admin", roles=[roles.ADMINISTRATION]))
    html = client.get(reverse("implan:workspace")).content.decode()
    assert reverse("projects:liaisons") in html


def test_the_admin_shows_liaisons_but_grants_them_only_through_the_service(client, superuser, liaison, agency):
    client.force_login(superuser)
    assert client.get(reverse("admin:projects_agencyliaison_add")).status_code == 403
    response = client.post(reverse("admin:projects_agencyliaison_add"), {"user": liaison.pk, "agency": agency.pk})
    assert response.status_code == 403 and not AgencyLiaison.objects.exists()
    grant = services.agency_liaison_grant(actor=superuser, user=liaison, agency=agency)
    assert client.get(reverse("admin:projects_agencyliaison_changelist")).status_code == 200
    assert (
        client.post(reverse("admin:projects_agencyliaison_delete", args=[grant.pk]), {"post": "yes"}).status_code == 403
    )
    assert AgencyLiaison.objects.filter(pk=grant.pk).exists()
