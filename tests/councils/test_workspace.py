"""The councils' workspace, view by view: anonymous, outsider, member, secretary; and the rules through the web."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from councils import selectors
from councils.models import AttendanceStatus, BodyTerm, Membership, Motion, Person, Session, Vote, VoteOption
from councils.services import sessions as session_services
from councils.services import votes as vote_services
from implan.concurrency import sign
from tests.councils.builders import council, session_in_progress
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    c = council(size=5)
    session = session_in_progress(c, present=4)
    return c, session


def _urls(c, session):
    item = session.agenda_items.get()
    return {
        "bodies": reverse("councils:workspace_bodies"),
        "body": reverse("councils:workspace_body", args=[c.body.slug]),
        "add": reverse("councils:membership_add", args=[c.body.slug]),
        "renew": reverse("councils:body_renew", args=[c.body.slug]),
        "convene": reverse("councils:session_convene", args=[c.body.slug]),
        "end": reverse("councils:membership_end", args=[c.members[0].pk]),
        "change": reverse("councils:membership_change", args=[c.members[0].pk]),
        "session": reverse("councils:workspace_session", args=[session.pk]),
        "open": reverse("councils:motion_open", args=[item.pk]),
    }


MANAGE_PAGES = ["add", "renew", "convene", "end", "change"]


def test_anonymous_visitors_are_sent_to_the_login_page(client, world):
    for name, url in _urls(*world).items():
        response = client.get(url) if name != "open" else client.post(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("login")), name


def test_outsiders_see_nothing_of_the_body(client, world, outsider):
    client.force_login(outsider)
    urls = _urls(*world)
    assert client.get(urls["bodies"]).status_code == 200
    for name in ["body", "session", *MANAGE_PAGES]:
        assert client.get(urls[name]).status_code == 404, name
    assert client.post(urls["open"]).status_code == 404


def test_members_see_their_body_but_cannot_manage_it(client, world):
    c, session = world
    client.force_login(c.user(0))
    urls = _urls(c, session)
    assert client.get(urls["body"]).status_code == 200
    assert client.get(urls["session"]).status_code == 200
    for name in MANAGE_PAGES:
        assert client.get(urls[name]).status_code == 403, name
    assert client.post(urls["open"]).status_code == 403


def test_the_secretary_reaches_every_page(client, world):
    c, session = world
    client.force_login(c.secretary)
    for name, url in _urls(c, session).items():
        if name != "open":
            assert client.get(url).status_code == 200, name


def test_the_secretary_of_another_body_gets_404(client, world):
    c, session = world
    other = council(size=2, slug="otro")
    client.force_login(other.secretary)
    urls = _urls(c, session)
    assert client.get(urls["session"]).status_code == 404
    assert client.post(urls["open"]).status_code == 404


def test_secretary_convenes_a_session_with_its_agenda_in_order(client, world):
    c, _ = world
    client.force_login(c.secretary)
    data = {
        "kind": "ordinaria",
        "scheduled_at": "2026-12-10T17:00",
        "place": "Sala del IMPLAN",
        "punto-TOTAL_FORMS": "3",
        "punto-INITIAL_FORMS": "0",
        "punto-MIN_NUM_FORMS": "0",
        "punto-MAX_NUM_FORMS": "30",
        "punto-0-title": "Lista de asistencia",
        "punto-1-title": "Dictamen de la comisión",
        "punto-1-for_decision": "on",
        "punto-2-title": "",
    }
    response = client.post(reverse("councils:session_convene", args=[c.body.slug]), data)
    session = Session.objects.order_by("-number").first()
    assert response.status_code == 302
    assert list(session.agenda_items.values_list("order", "title", "kind")) == [
        (1, "Lista de asistencia", "informativo"),
        (2, "Dictamen de la comisión", "decision"),
    ]


def test_convening_without_agenda_says_why_and_saves_nothing(client, world):
    c, _ = world
    client.force_login(c.secretary)
    before = Session.objects.count()
    data = {
        "kind": "ordinaria",
        "scheduled_at": "2026-12-10T17:00",
        "place": "Sala",
        "punto-TOTAL_FORMS": "1",
        "punto-INITIAL_FORMS": "0",
        "punto-0-title": "",
    }
    response = client.post(reverse("councils:session_convene", args=[c.body.slug]), data)
    assert "El orden del día necesita al menos un punto." in response.content.decode()
    assert Session.objects.count() == before


def test_opening_a_vote_without_quorum_shows_the_refusal(client):
    c = council(size=5)
    session = session_in_progress(c, present=2)
    client.force_login(c.secretary)
    response = client.post(reverse("councils:motion_open", args=[session.agenda_items.get().pk]), follow=True)
    assert "No hay quórum: están presentes 2 de 5" in response.content.decode()
    assert not Motion.objects.exists()


def test_a_member_votes_from_their_own_account_and_only_for_themselves(client, world):
    c, session = world
    motion = vote_services.motion_open(actor=c.secretary, item=session.agenda_items.get(), text="Se aprueba")
    client.force_login(c.user(0))
    url = reverse("councils:vote_cast", args=[motion.pk])
    # A forged field naming another member changes nothing: the voter is the logged-in user.
    client.post(url, {"option": VoteOption.NO, "voter": c.members[1].person.pk})
    assert list(Vote.objects.values_list("voter", "option")) == [(c.members[0].person.pk, VoteOption.NO)]
    client.post(url, {"option": VoteOption.YES})
    assert Vote.objects.get().option == VoteOption.YES
    page = client.get(reverse("councils:workspace_session", args=[session.pk])).content.decode()
    assert "Su voto: <strong>A favor</strong>" in page


def test_an_absent_member_is_told_they_cannot_vote(client, world):
    c, session = world
    motion = vote_services.motion_open(actor=c.secretary, item=session.agenda_items.get(), text="Se aprueba")
    client.force_login(c.user(4))  # the fifth member is absent
    response = client.post(reverse("councils:vote_cast", args=[motion.pk]), {"option": VoteOption.YES}, follow=True)
    assert "Solo votan los integrantes presentes en la sesión." in response.content.decode()
    assert not Vote.objects.exists()


def test_attendance_form_records_and_reports_quorum(client):
    c = council(size=3)
    session = session_services.session_convene(
        late_reason="Sesión de prueba",
        actor=c.secretary,
        body=c.body,
        scheduled_at=timezone.now(),
        place="x",
        agenda=[session_services.AgendaEntry(title="Informe")],
    )
    client.force_login(c.secretary)
    data = {f"m{m.pk}": AttendanceStatus.PRESENT for m in c.members}
    data["opened"] = sign(session_services.attendance_snapshot({}, c.members))  # none recorded when the page opened
    response = client.post(reverse("councils:session_attendance", args=[session.pk]), data, follow=True)
    assert "hay quórum" in response.content.decode()
    assert session.attendances.count() == 3


def _renewal_data(c, keep: int, join: int) -> dict:
    newcomers = [PersonFactory() for _ in range(join)]
    return {
        "name": "2027–2030",
        "start_date": "2027-01-01",
        "end_date": "2029-12-31",
        "continuing": [m.pk for m in c.members[:keep]],
        "joining": [p.pk for p in newcomers],
        "new_names": "",
        "opened": sign(selectors.renewal_snapshot(None)),
    }  # no renewal was recorded when the page opened


def test_renewal_form_refuses_12_of_25_and_saves_nothing(client):
    c = council(size=25)
    client.force_login(c.secretary)
    data = _renewal_data(c, 12, 12)
    data["new_names"] = "Alguien Nuevo"
    people = Person.objects.count()
    response = client.post(reverse("councils:body_renew", args=[c.body.slug]), data)
    assert Person.objects.count() == people
    assert "Deben continuar al menos el 50% de los 25 integrantes ciudadanos salientes; continúan 12." in (
        response.content.decode()
    )
    assert not BodyTerm.objects.exists()
    assert Membership.objects.filter(body=c.body, end_date__isnull=True).count() == 25


def test_renewal_form_accepts_13_of_25_with_new_names(client):
    c = council(size=25)
    client.force_login(c.secretary)
    data = _renewal_data(c, 13, 10)
    data["new_names"] = "Ana Nueva Pérez\nLuis Nuevo Gómez"
    response = client.post(reverse("councils:body_renew", args=[c.body.slug]), data)
    assert response.status_code == 302
    assert Membership.objects.filter(body=c.body).active_on(datetime.date(2027, 1, 2)).count() == 25


def test_adding_a_member_over_the_seat_limit_is_refused_in_the_form(client):
    c = council(size=25)
    client.force_login(c.secretary)
    people = Person.objects.count()
    response = client.post(
        reverse("councils:membership_add", args=[c.body.slug]),
        {
            "new_person_name": "Persona Extra",
            "role": "consejero",
            "sector": "ciudadano",
            "has_vote": "on",
            "start_date": "2025-01-01",
        },
    )
    assert "ya tiene ocupados sus 25 asientos" in response.content.decode()
    assert Membership.objects.filter(body=c.body).count() == 25
    assert Person.objects.count() == people  # the typed-in person was not half-saved
