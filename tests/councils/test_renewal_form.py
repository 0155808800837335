"""The renewal form edits the renewal recorded in advance: two secretaries saving it at once, the second is told what
the first recorded (before → now) and keeps their input; a refused renewal registers none of its new people; the
page says the seat limit as it is. Every date is explicit and far ahead, so "still to begin" holds at any hour."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from guardian.shortcuts import assign_perm

from councils import selectors
from councils.models import BodyTerm, Membership, Person
from councils.services import renewal as renewal_services
from implan import roles
from implan.concurrency import EditConflict, read_token
from implan.errors import DomainError
from tests.councils.builders import council
from tests.factories import PersonFactory, UserFactory
from tests.htmlforms import Form, post_form

pytestmark = pytest.mark.django_db

START = datetime.date(2099, 1, 1)
CONFLICT = "Este registro cambió desde que lo abrió"


def _secretaries(c):
    """Ana and Beto, both technical secretaries of the body."""
    beto = UserFactory(username="beto", roles=[roles.TECHNICAL_SECRETARY])
    assign_perm("councils.manage_memberships", beto, c.body)
    return c.secretary, beto


def _open(client, c) -> tuple[str, Form]:
    url = reverse("councils:body_renew", args=[c.body.slug])
    return url, post_form(client.get(url).content.decode(), url, url)


def _renewal(form: Form, c, *, keep: range, new_name: str, name: str) -> dict:
    return form.data(
        name=name,
        start_date=START.isoformat(),
        end_date="2101-12-31",
        new_names=new_name,
        continuing=[str(c.members[i].pk) for i in keep],
    )


def _seated(c) -> set[str]:
    return set(Membership.objects.filter(body=c.body).active_on(START).values_list("person__name", flat=True))


def test_the_second_secretary_saving_an_older_form_is_told_what_changed_and_undoes_nothing(client):
    c = council(size=6)
    ana, beto = _secretaries(c)
    client.force_login(ana)
    url, ana_form = _open(client, c)
    beto_client = type(client)()
    beto_client.force_login(beto)
    _url, beto_form = _open(beto_client, c)

    saved = client.post(url, _renewal(ana_form, c, keep=range(0, 4), new_name="Persona de Ana", name="De Ana"))
    assert saved.status_code == 302
    refused = beto_client.post(
        url, _renewal(beto_form, c, keep=range(2, 6), new_name="Persona de Beto", name="De Beto")
    )

    page = refused.content.decode()
    assert refused.status_code == 200 and CONFLICT in page
    assert '<td class="diff-new">Persona de Ana</td>' in page  # before: nobody joined; now: Ana's new person
    assert '<td class="diff-new">De Ana</td>' in page
    kept = post_form(page, url, url)
    assert kept.value("new_names") == ["Persona de Beto"]
    assert kept.value("continuing") == [str(c.members[i].pk) for i in range(2, 6)]
    # Ana's renewal stands, and Beto's new person was not registered.
    assert _seated(c) == {c.members[i].person.name for i in range(4)} | {"Persona de Ana"}
    assert not Person.objects.filter(name="Persona de Beto").exists()
    # Sent again on purpose, Beto's version replaces Ana's.
    assert beto_client.post(url, kept.data()).status_code == 302
    assert _seated(c) == {c.members[i].person.name for i in range(2, 6)} | {"Persona de Beto"}


def test_a_stale_renewal_is_refused_by_the_service_before_it_registers_anyone():
    c = council(size=4)
    opened = selectors.renewal_snapshot(selectors.scheduled_renewal(body=c.body))
    renewal_services.body_renew(
        actor=c.secretary,
        body=c.body,
        name="Primera",
        start_date=START,
        end_date=datetime.date(2101, 12, 31),
        continuing=c.members[:2],
        joining=[],
    )
    people = Person.objects.count()
    with pytest.raises(EditConflict) as conflict:
        renewal_services.body_renew(
            actor=c.secretary,
            body=c.body,
            name="Segunda",
            start_date=START,
            end_date=datetime.date(2101, 12, 31),
            continuing=c.members[:3],
            joining=[],
            new_names=["Alguien Nuevo"],
            seen=opened,
        )
    assert [(change.old, change.new) for change in conflict.value.changes][:1] == [("", "Primera")]
    assert Person.objects.count() == people
    assert BodyTerm.objects.get().name == "Primera"


def test_a_renewal_refused_by_its_rules_registers_none_of_its_new_people():
    c = council(size=4, seat_limit=4)
    people = Person.objects.count()
    with pytest.raises(DomainError, match="ocuparía 5 asientos"):
        renewal_services.body_renew(
            actor=c.secretary,
            body=c.body,
            name="Llena",
            start_date=START,
            end_date=datetime.date(2101, 12, 31),
            continuing=c.members[:4],
            joining=[],
            new_names=["Quinta Persona"],
            seen=selectors.renewal_snapshot(None),
        )
    assert Person.objects.count() == people
    assert not BodyTerm.objects.exists()


def test_new_people_of_an_accepted_renewal_are_registered_and_seated():
    c = council(size=2)
    term = renewal_services.body_renew(
        actor=c.secretary,
        body=c.body,
        name="Con nuevos",
        start_date=START,
        end_date=datetime.date(2101, 12, 31),
        continuing=c.members[:1],
        joining=[renewal_services.Joiner(person=PersonFactory(name="Ya Registrada"))],
        new_names=["Recién Llegada"],
    )
    assert set(term.memberships.values_list("person__name", flat=True)) == {
        c.members[0].person.name,
        "Ya Registrada",
        "Recién Llegada",
    }


# --- What the page says ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seat_limit", "said", "not_said"),
    [
        (None, None, ["asiento", "None"]),
        (1, "El órgano tiene 1 asiento; la renovación no puede ocupar más.", ["1 asientos"]),
        (25, "El órgano tiene 25 asientos; la renovación no puede ocupar más.", ["None"]),
    ],
)
def test_the_renewal_page_says_the_seat_limit_as_it_is(client, seat_limit, said, not_said):
    c = council(size=1, seat_limit=seat_limit)
    client.force_login(c.secretary)
    page = client.get(reverse("councils:body_renew", args=[c.body.slug])).content.decode()
    lead = page[page.index('<p class="lead">') : page.index("</p>", page.index('<p class="lead">'))]
    assert "Elija si continúa el integrante ciudadano saliente (al menos el 50 %)" in lead
    if said:
        assert said in lead
    assert not any(text in lead for text in not_said)


def test_the_renewal_page_makes_as_many_queries_for_a_large_scheduled_renewal_as_for_a_small_one(client):
    counts = []
    for size in (3, 20):
        c = council(size=size, slug=f"consejo-{size}")
        renewal_services.body_renew(
            actor=c.secretary,
            body=c.body,
            name="Programada",
            start_date=START,
            end_date=datetime.date(2101, 12, 31),
            continuing=c.members,
            joining=[renewal_services.Joiner(person=PersonFactory()) for _ in range(2)],
        )
        client.force_login(c.secretary)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("councils:body_renew", args=[c.body.slug])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_form_opened_before_any_renewal_remembers_that_there_was_none(client):
    c = council(size=2)
    client.force_login(c.secretary)
    page = client.get(reverse("councils:body_renew", args=[c.body.slug]))
    assert read_token(page.context["form"].initial["opened"]) == dict.fromkeys(selectors.RENEWAL_LABELS, "")
