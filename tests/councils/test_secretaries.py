"""The administration names a body's technical secretaries through a service, with an event row, on the body's
«Secretaría técnica» page; nobody else grants or removes them."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from guardian.shortcuts import assign_perm, get_user_perms

from councils.services import base as council_base
from councils.services import secretaries as secretary_services
from implan import roles
from implan.errors import DomainError
from implan.events import events_for
from implan.formatting import account_name
from tests.factories import BodyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def body():
    return BodyFactory(name="Consejo Sectorial de Obra Pública", slug="consejo-sectorial-obra-publica")


def _granted(user, body) -> set[str]:
    return set(get_user_perms(user, body))


def test_an_administrator_makes_a_secretary_able_to_convene_and_keep_the_members(administrator, secretary, body):
    assert secretary_services.body_secretary_grant(actor=administrator, body=body, user=secretary) is True
    assert _granted(secretary, body) == {"manage_sessions", "manage_memberships"}
    assert council_base.can_manage_sessions(secretary, body) and council_base.can_manage_memberships(secretary, body)
    event = events_for(body).get(action="body_secretary_granted")
    assert event.actor == administrator
    assert event.data["username"] == secretary.username
    assert event.data["permissions"] == ["manage_sessions", "manage_memberships"]


def test_granting_twice_changes_nothing_and_records_nothing(administrator, secretary, body):
    secretary_services.body_secretary_grant(actor=administrator, body=body, user=secretary)
    assert secretary_services.body_secretary_grant(actor=administrator, body=body, user=secretary) is False
    assert events_for(body).filter(action="body_secretary_granted").count() == 1


def test_a_grant_completes_a_secretary_who_held_only_the_sessions(administrator, secretary, body):
    assign_perm("councils.manage_sessions", secretary, body)
    secretary_services.body_secretary_grant(actor=administrator, body=body, user=secretary)
    assert events_for(body).get(action="body_secretary_granted").data["permissions"] == ["manage_memberships"]


def test_revoking_takes_both_permissions_away_once(administrator, secretary, body):
    secretary_services.body_secretary_grant(actor=administrator, body=body, user=secretary)
    assert secretary_services.body_secretary_revoke(actor=administrator, body=body, user=secretary) is True
    assert _granted(secretary, body) == set()
    assert secretary_services.body_secretary_revoke(actor=administrator, body=body, user=secretary) is False
    revoked = events_for(body).filter(action="body_secretary_revoked")
    assert revoked.count() == 1 and revoked.get().actor == administrator


@pytest.mark.parametrize("service", [secretary_services.body_secretary_grant, secretary_services.body_secretary_revoke])
def test_only_the_administration_grants_or_removes_a_secretary(planner, secretary, body, service):
    for actor in (planner, secretary):
        with pytest.raises(PermissionDenied):
            service(actor=actor, body=body, user=secretary)
    assert not events_for(body).exists()


def test_only_an_active_account_with_the_secretary_role_is_granted(administrator, councillor, secretary, body):
    with pytest.raises(DomainError, match="no tiene el rol «Secretaría técnica»"):
        secretary_services.body_secretary_grant(actor=administrator, body=body, user=councillor)
    secretary.is_active = False
    secretary.save()
    with pytest.raises(DomainError):
        secretary_services.body_secretary_grant(actor=administrator, body=body, user=secretary)
    assert _granted(councillor, body) == _granted(secretary, body) == set()


def test_the_page_lists_the_secretaries_and_offers_only_accounts_with_the_role(
    client, administrator, secretary, councillor, body
):
    UserFactory(username="otra_secretaria", first_name="Alma", last_name="Rojas", roles=[roles.TECHNICAL_SECRETARY])
    secretary_services.body_secretary_grant(actor=administrator, body=body, user=secretary)
    client.force_login(administrator)
    html = client.get(reverse("councils:body_secretaries", args=[body.slug])).content.decode()
    assert secretary.username in html and "Quitar" in html
    assert ">Alma Rojas (otra_secretaria)</option>" in html  # a candidate in the form
    assert councillor.username not in html  # no role, not offered
    assert f">{account_name(secretary)}</option>" not in html  # already holds it
    assert f"asignó a {account_name(secretary)}" in html


def test_granting_from_the_page_goes_through_the_service(client, administrator, secretary, body):
    client.force_login(administrator)
    response = client.post(reverse("councils:body_secretaries", args=[body.slug]), {"user": secretary.pk}, follow=True)
    assert "tiene ahora la secretaría técnica" in response.content.decode()
    assert _granted(secretary, body) == {"manage_sessions", "manage_memberships"}
    assert events_for(body).get(action="body_secretary_granted").actor == administrator


def test_an_account_without_the_role_is_refused_in_spanish_and_nothing_is_granted(
    client, administrator, councillor, body
):
    client.force_login(administrator)
    response = client.post(reverse("councils:body_secretaries", args=[body.slug]), {"user": councillor.pk})
    assert response.status_code == 200
    assert "Esa cuenta ya no se puede elegir" in response.content.decode()
    assert _granted(councillor, body) == set()
    response = client.post(reverse("councils:body_secretaries", args=[body.slug]), {"user": ""})
    assert "Elija la cuenta que tendrá la secretaría técnica." in response.content.decode()


def test_removing_from_the_page_goes_through_the_service_and_twice_is_harmless(client, administrator, secretary, body):
    secretary_services.body_secretary_grant(actor=administrator, body=body, user=secretary)
    client.force_login(administrator)
    url = reverse("councils:body_secretary_revoke", args=[body.slug, secretary.pk])
    assert "ya no tiene la secretaría técnica" in client.post(url, follow=True).content.decode()
    assert "no hubo nada que quitar" in client.post(url, follow=True).content.decode()
    assert _granted(secretary, body) == set()
    assert events_for(body).filter(action="body_secretary_revoked").count() == 1


def test_the_page_says_when_nobody_holds_the_secretary_and_nobody_can_receive_it(client, administrator, body):
    client.force_login(administrator)
    html = client.get(reverse("councils:body_secretaries", args=[body.slug])).content.decode()
    assert "Nadie tiene la secretaría técnica de este órgano" in html
    assert "No hay cuentas activas con el rol «Secretaría técnica»" in html
    assert "Sin movimientos registrados." in html


def test_the_bodys_page_links_the_secretary_page_for_administrators_only(client, administrator, secretary, body):
    secretary_services.body_secretary_grant(actor=administrator, body=body, user=secretary)
    link = reverse("councils:body_secretaries", args=[body.slug])
    client.force_login(administrator)
    assert link in client.get(reverse("councils:workspace_body", args=[body.slug])).content.decode()
    client.force_login(secretary)
    assert link not in client.get(reverse("councils:workspace_body", args=[body.slug])).content.decode()
