"""Importing bodies, people and memberships in the Django admin obeys the councils' rules and answers in Spanish.

Each test posts a real file to the admin's import page (the preview) and, where the preview passes, confirms it.
"""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from councils.models import Body, Membership, Person
from councils.services import memberships as membership_services
from implan.models import Event
from tests.admin_files import can_confirm, confirm, csv_file, imported, preview, row_errors, xlsx_file
from tests.factories import BodyFactory, MembershipFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

HEADERS = ["person", "body", "role", "sector", "has_vote", "start_date", "end_date", "end_reason"]


@pytest.fixture
def small_body() -> Body:
    """A body of three seats, two of them taken."""
    body = BodyFactory(slug="consejo-chico", name="Consejo Chico", seat_limit=3)
    for n in (1, 2):
        MembershipFactory(body=body, person=PersonFactory(slug=f"sentado-{n}"))
    return body


def _row(
    person: str, *, body: str = "consejo-chico", role: str = "consejero", start: str = "2025-01-01", end: str = ""
) -> list[str]:
    return [person, body, role, "ciudadano", "1", start, end, ""]


def _people(*slugs: str) -> None:
    for slug in slugs:
        PersonFactory(slug=slug, name=slug.title())


def test_memberships_over_the_seat_limit_are_refused_at_the_preview_and_nothing_is_saved(client, superuser, small_body):
    _people("nueva-1", "nueva-2")
    client.force_login(superuser)
    response = preview(client, Membership, csv_file("membresias.csv", [HEADERS, _row("nueva-1"), _row("nueva-2")]))
    assert response.status_code == 200
    assert not can_confirm(response)
    assert row_errors(response) == ["Consejo Chico ya tiene ocupados sus 3 asientos."]
    assert small_body.memberships.count() == 2


def test_a_seat_taken_between_the_preview_and_the_confirmation_refuses_the_whole_file(client, superuser, small_body):
    _people("nueva-1", "otra")
    client.force_login(superuser)
    previewed = preview(client, Membership, csv_file("membresias.csv", [HEADERS, _row("nueva-1")]))
    assert row_errors(previewed) == []
    membership_services.membership_add(
        actor=superuser,
        body=small_body,
        person=Person.objects.get(slug="otra"),
        role="consejero",
        sector="ciudadano",
        start_date=datetime.date(2025, 1, 1),
    )
    response = confirm(client, Membership, previewed)
    assert not imported(response)  # the page with the rows' errors
    assert row_errors(response) == ["Consejo Chico ya tiene ocupados sus 3 asientos."]
    assert "No se importó nada" in response.content.decode()
    assert not small_body.memberships.filter(person__slug="nueva-1").exists()


def test_imported_memberships_are_saved_by_the_service_with_its_event_row(client, superuser, small_body):
    _people("nueva-1")
    client.force_login(superuser)
    previewed = preview(client, Membership, xlsx_file("membresias.xlsx", [HEADERS, _row("nueva-1")]))
    assert row_errors(previewed) == []
    response = confirm(client, Membership, previewed)
    assert imported(response)
    membership = small_body.memberships.get(person__slug="nueva-1")
    assert Event.objects.get(action="membership_added", object_id=membership.pk).actor == superuser
    assert membership.history.first().history_change_reason == "Alta de integrante"
    page = response.content.decode()
    assert "Importada" in page and "1 fila nueva" in page and "0 con error" in page


def test_a_second_open_seat_for_the_same_person_is_refused_in_spanish(client, superuser, small_body):
    client.force_login(superuser)
    response = preview(client, Membership, csv_file("membresias.csv", [HEADERS, _row("sentado-1", start="2025-06-01")]))
    [message] = row_errors(response)
    assert message.endswith("ya es integrante de Consejo Chico.")
    assert small_body.memberships.count() == 2


def test_ending_a_seat_through_the_import_goes_through_the_service(client, superuser, small_body):
    client.force_login(superuser)
    row = ["sentado-1", "consejo-chico", "consejero", "ciudadano", "1", "2024-01-01", "2025-03-31", "Renuncia"]
    response = confirm(client, Membership, preview(client, Membership, csv_file("bajas.csv", [HEADERS, row])))
    assert imported(response)
    membership = small_body.memberships.get(person__slug="sentado-1")
    assert (membership.end_date, membership.end_reason) == (datetime.date(2025, 3, 31), "Renuncia")
    assert Event.objects.filter(action="membership_ended", object_id=membership.pk).exists()


def test_a_role_written_as_its_label_is_refused_with_the_values_to_use(client, superuser, small_body):
    _people("nueva-1")
    client.force_login(superuser)
    response = preview(
        client, Membership, csv_file("membresias.csv", [HEADERS, _row("nueva-1", role="Consejero o consejera")])
    )
    [message] = row_errors(response)
    assert message.startswith("«Consejero o consejera» no es un valor válido de «cargo». Escriba uno de estos: ")
    assert "consejero (Consejero o consejera)" in message
    assert small_body.memberships.count() == 2


def test_an_unknown_person_is_a_row_error_not_a_traceback(client, superuser, small_body):
    client.force_login(superuser)
    response = preview(client, Membership, csv_file("membresias.csv", [HEADERS, _row("nadie")]))
    assert row_errors(response) == ["No existe persona con la clave «nadie»."]
    assert "Traceback" not in response.content.decode()


def test_a_staff_user_without_the_bodys_membership_rights_cannot_seat_anyone(client, small_body):
    staff = UserFactory(username="capturista", is_staff=True)
    staff.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="councils", codename__in=["add_membership", "change_membership", "view_membership"]
        )
    )
    _people("nueva-1")
    client.force_login(staff)
    response = preview(client, Membership, csv_file("membresias.csv", [HEADERS, _row("nueva-1")]))
    assert row_errors(response) == ["No tiene permiso para administrar las membresías de este órgano."]


def test_a_person_with_an_empty_name_is_refused_at_the_preview(client, superuser):
    client.force_login(superuser)
    rows = [
        ["slug", "name", "sort_name", "biography"],
        ["ana-ruiz", "Ana Ruiz", "Ruiz, Ana", ""],
        ["sin-nombre", "   ", "", ""],
    ]
    response = preview(client, Person, xlsx_file("personas.xlsx", rows))
    assert response.status_code == 200
    assert row_errors(response) == ["Este campo no puede estar en blanco."]
    assert not Person.objects.filter(slug__in=["ana-ruiz", "sin-nombre"]).exists()


def test_people_are_imported_without_their_account_link(client, superuser):
    """Whoever is linked to an account votes as that person: that link is never written by a file."""
    client.force_login(superuser)
    rows = [["slug", "name", "sort_name", "biography", "user"], ["ana-ruiz", "Ana Ruiz", "Ruiz, Ana", "", superuser.pk]]
    response = confirm(client, Person, preview(client, Person, csv_file("personas.csv", rows)))
    assert imported(response)
    assert Person.objects.get(slug="ana-ruiz").user is None


def test_a_bodys_seat_limit_cannot_drop_below_its_taken_seats(client, superuser, small_body):
    client.force_login(superuser)
    rows = [["slug", "name", "kind", "seat_limit"], ["consejo-chico", "Consejo Chico", "consejo_sectorial", "1"]]
    response = preview(client, Body, csv_file("organos.csv", rows))
    assert row_errors(response) == [
        "Consejo Chico tiene 2 asientos con voto ocupados; el número de asientos no puede ser menor."
    ]
    small_body.refresh_from_db()
    assert small_body.seat_limit == 3


def test_the_bodys_admin_form_applies_the_same_seat_rule(client, superuser, small_body):
    client.force_login(superuser)
    url = reverse("admin:councils_body_change", args=[small_body.pk])
    response = client.post(
        url,
        {
            "name": small_body.name,
            "slug": small_body.slug,
            "kind": small_body.kind,
            "seat_limit": "1",
            "quorum_percent": "50",
            "majority_percent": "50",
            "qualified_majority_percent": "66.67",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "tiene 2 asientos con voto ocupados" in response.content.decode()
    small_body.refresh_from_db()
    assert small_body.seat_limit == 3


@pytest.mark.parametrize("model", ["personcontact", "bodyterm"])
def test_records_without_a_guarded_import_offer_none(client, superuser, model):
    """Contact data and terms change in the workspace (renewal) or by hand, never by a file past the rules."""
    client.force_login(superuser)
    assert client.get(reverse(f"admin:councils_{model}_import")).status_code == 403
