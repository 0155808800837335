"""A renewal recorded in advance: the outgoing members vote (and see the vote on their home) until their seat ends,
and the renewal can be recorded again to correct it. Every date is explicit."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.urls import reverse

from councils.models import AttendanceStatus, BodyTerm, Membership, VoteOption
from councils.services import renewal as renewal_services
from councils.services import sessions as session_services
from councils.services import votes as vote_services
from implan.errors import DomainError
from implan.models import Event
from tests.councils.builders import council, session_in_progress
from tests.factories import BodyTermFactory, MembershipFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

MX = ZoneInfo("America/Mexico_City")
START = datetime.date(2029, 7, 1)
EVE = datetime.date(2029, 6, 30)
# Late on the outgoing members' last day: already 1 July in UTC, still 30 June in León.
LAST_EVENING = datetime.datetime(2029, 6, 30, 20, 30, tzinfo=MX)


def _renew(c, *, keep: int, joining=(), start: datetime.date = START):
    return renewal_services.body_renew(
        actor=c.secretary,
        body=c.body,
        name=f"Periodo desde {start}",
        start_date=start,
        end_date=start.replace(year=start.year + 3),
        continuing=c.members[:keep],
        joining=[renewal_services.Joiner(person=p) for p in joining],
    )


def _may_vote(user, motion) -> bool:
    try:
        with transaction.atomic():
            vote_services.vote_cast(actor=user, motion=motion, option=VoteOption.ABSTAIN)
            transaction.set_rollback(True)
    except DomainError:
        return False
    return True


def test_outgoing_members_see_the_open_vote_on_their_home_while_they_may_still_vote(client):
    c = council(size=5)
    _renew(c, keep=3, joining=[PersonFactory()])
    session = session_in_progress(c, present=5, when=LAST_EVENING)
    vote_services.motion_open(actor=c.secretary, item=session.agenda_items.get(), text="Se aprueba")
    outgoing = c.user(4)  # does not continue: their seat ends on 30 June
    assert Membership.objects.get(pk=c.members[4].pk).end_date == EVE
    client.force_login(outgoing)
    html = client.get(reverse("implan:workspace")).content.decode()
    assert "Votaciones abiertas" in html
    assert "Asunto a votar" in html


def test_the_home_prompt_and_the_vote_follow_one_rule():
    c = council(size=6)
    joiner = PersonFactory(user=UserFactory(username="se-integra"))
    _renew(c, keep=3, joining=[joiner])
    Membership.objects.filter(pk=c.members[5].pk).update(has_vote=False)
    session = session_in_progress(c, present=5, when=LAST_EVENING)  # member 6 (index 5) is absent
    motion = vote_services.motion_open(actor=c.secretary, item=session.agenda_items.get(), text="Se aprueba")
    other = council(size=1, slug="otro")
    stranger = PersonFactory(user=UserFactory(username="sin-asiento")).user
    people = {
        "continúa": c.user(0),
        "sale": c.user(4),
        "sin voto y ausente": c.user(5),
        "se integra": joiner.user,
        "de otro órgano": other.user(0),
        "sin asiento": stranger,
        "secretaría": c.secretary,
    }
    prompted = {name: motion in vote_services.open_votes_for(user) for name, user in people.items()}
    assert prompted == {name: _may_vote(user, motion) for name, user in people.items()}
    assert prompted == {
        "continúa": True,
        "sale": True,
        "sin voto y ausente": False,
        "se integra": False,
        "de otro órgano": False,
        "sin asiento": False,
        "secretaría": False,
    }


def test_an_absent_member_gets_no_prompt():
    c = council(size=3)
    session = session_in_progress(c, present=2, when=LAST_EVENING)
    motion = vote_services.motion_open(actor=c.secretary, item=session.agenda_items.get(), text="Se aprueba")
    assert list(vote_services.open_votes_for(c.user(0))) == [motion]
    assert list(vote_services.open_votes_for(c.user(2))) == []


# --- Recording the renewal again ---------------------------------------------------------------------------------


def test_a_second_renewal_replaces_the_one_recorded_in_advance():
    c = council(size=25)
    newcomers = [PersonFactory() for _ in range(12)]
    first = _renew(c, keep=13, joining=newcomers)
    second = _renew(c, keep=20, joining=newcomers[:5])
    assert not BodyTerm.objects.filter(pk=first.pk).exists()
    seated = Membership.objects.filter(body=c.body).active_on(START)
    assert seated.count() == 25
    assert set(seated.values_list("person_id", flat=True)) == (
        {m.person_id for m in c.members[:20]} | {p.pk for p in newcomers[:5]}
    )
    assert set(seated.values_list("term_id", flat=True)) == {second.pk}
    # Every original seat ends once, on the eve of the renewal that stands.
    assert set(Membership.objects.filter(pk__in=[m.pk for m in c.members]).values_list("end_date", flat=True)) == {EVE}
    event = Event.objects.get(action="body_renewal_replaced")
    assert event.data["seats_removed"] == 25
    assert Event.objects.filter(action="body_renewed").first().data["replaced"] == first.name


# A renewal recorded in advance and then moved later is recognised as "still to begin" by today's date, so these
# tests place it far ahead; the ones above need no today at all.
FAR = datetime.date(2099, 7, 1)


def test_a_renewal_moved_later_gives_back_the_days_the_first_one_took():
    c = council(size=4)
    _renew(c, keep=2, start=FAR)
    _renew(c, keep=3, start=datetime.date(2099, 9, 1))
    assert BodyTerm.objects.get().start_date == datetime.date(2099, 9, 1)
    assert set(Membership.objects.filter(pk__in=[m.pk for m in c.members]).values_list("end_date", flat=True)) == {
        datetime.date(2099, 8, 31)
    }
    assert Membership.objects.filter(body=c.body).active_on(datetime.date(2099, 8, 15)).count() == 4


def test_a_seat_with_its_own_end_date_gets_it_back_when_the_renewal_is_replaced():
    c = council(size=4)
    early = MembershipFactory(
        person=PersonFactory(),
        body=c.body,
        sector="ciudadano",
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2099, 12, 31),
    )
    _renew(c, keep=3, start=FAR)
    early.refresh_from_db()
    assert early.end_date == datetime.date(2099, 6, 30)
    _renew(c, keep=3, start=datetime.date(2100, 3, 1))
    early.refresh_from_db()
    assert early.end_date == datetime.date(2099, 12, 31)  # back to its own end: it no longer reaches the renewal


def test_renewing_a_term_that_has_begun_is_an_ordinary_renewal_not_a_replacement():
    c = council(size=4)
    first = _renew(c, keep=2, joining=[PersonFactory(), PersonFactory()], start=datetime.date(2024, 7, 1))
    second = renewal_services.body_renew(
        actor=c.secretary,
        body=c.body,
        name="siguiente",
        start_date=datetime.date(2027, 7, 1),
        end_date=datetime.date(2030, 6, 30),
        continuing=list(first.memberships.all()),
        joining=[],
    )
    assert set(BodyTerm.objects.all()) == {first, second}
    assert not Event.objects.filter(action="body_renewal_replaced").exists()


def test_a_renewal_in_which_members_already_attended_is_not_replaced():
    c = council(size=4)
    term = _renew(c, keep=2, joining=[PersonFactory(), PersonFactory()])
    new_seats = list(term.memberships.all())
    session = session_services.session_convene(
        actor=c.secretary,
        body=c.body,
        place="Sala",
        scheduled_at=datetime.datetime(2029, 8, 1, 17, 0, tzinfo=MX),
        agenda=[session_services.AgendaEntry(title="Informe")],
    )
    session_services.session_record_attendance(
        actor=c.secretary, session=session, statuses={m.pk: AttendanceStatus.PRESENT for m in new_seats}
    )
    with pytest.raises(DomainError, match="ya tiene asistencias o votos"):
        _renew(c, keep=3)
    assert BodyTerm.objects.get() == term
    assert set(Membership.objects.filter(body=c.body).active_on(START)) == set(new_seats)


def test_a_term_no_renewal_recorded_is_not_replaced():
    c = council(size=4)
    BodyTermFactory(body=c.body, name="Cargado a mano", start_date=START, end_date=datetime.date(2032, 6, 30))
    with pytest.raises(DomainError, match="no se registró con una renovación"):
        _renew(c, keep=3)
    assert BodyTerm.objects.count() == 1


def test_the_renewal_form_shows_the_scheduled_renewal_and_saving_it_again_replaces_it(client):
    c = council(size=25)
    newcomers = [PersonFactory() for _ in range(12)]
    # Far enough ahead to be "scheduled" for the form whatever today is; the service itself does not look at today.
    far = datetime.date(2099, 1, 1)
    _renew(c, keep=13, joining=newcomers, start=far)
    client.force_login(c.secretary)
    url = reverse("councils:body_renew", args=[c.body.slug])
    page = client.get(url)
    assert "Ya está registrada la renovación" in page.content.decode()
    assert sorted(page.context["form"].initial["continuing"]) == sorted(m.pk for m in c.members[:13])
    response = client.post(
        url,
        {
            "name": "2099–2102",
            "start_date": far.isoformat(),
            "end_date": "2101-12-31",
            "continuing": [m.pk for m in c.members[:14]],
            "joining": [p.pk for p in newcomers[:11]],
            "new_names": "",
            "opened": page.context["form"].initial["opened"],
        },
    )  # the renewal the page showed
    assert response.status_code == 302
    assert BodyTerm.objects.get().name == "2099–2102"
    assert Membership.objects.filter(body=c.body).active_on(far).count() == 25
