"""Rules of the councils, tried against the services (the only path that writes)."""

import datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from councils.models import (
    AgendaItemKind,
    AttendanceStatus,
    Body,
    BodyTerm,
    MajorityBase,
    Membership,
    MinutesState,
    MotionResult,
    MotionState,
    Resolution,
    SessionState,
    Vote,
    VoteOption,
)
from councils.services import memberships as membership_services
from councils.services import minutes as minutes_services
from councils.services import renewal as renewal_services
from councils.services import sessions as session_services
from councils.services import votes as vote_services
from implan.errors import DomainError
from implan.integrity import verify_all
from implan.models import Event
from tests.councils.builders import council, session_in_progress
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

RENEWAL_START = datetime.date(2027, 1, 1)


def _renew(c, *, keep: int, join: int):
    newcomers = [renewal_services.Joiner(person=PersonFactory()) for _ in range(join)]
    return renewal_services.body_renew(
        actor=c.secretary,
        body=c.body,
        name="2027–2030",
        start_date=RENEWAL_START,
        end_date=datetime.date(2029, 12, 31),
        continuing=c.members[:keep],
        joining=newcomers,
    )


def test_renewal_keeping_12_of_25_citizens_is_refused_and_saves_nothing():
    c = council()
    with pytest.raises(DomainError, match="al menos el 50%"):
        _renew(c, keep=12, join=13)
    assert not BodyTerm.objects.exists()
    assert Membership.objects.filter(body=c.body, end_date__isnull=True).count() == 25


def test_renewal_keeping_13_of_25_citizens_passes():
    c = council()
    term = _renew(c, keep=13, join=12)
    current = Membership.objects.filter(body=c.body).active_on(RENEWAL_START)
    assert current.count() == 25
    assert current.filter(term=term).count() == 25
    assert Membership.objects.filter(body=c.body, end_date=RENEWAL_START - datetime.timedelta(days=1)).count() == 25


def test_renewal_over_the_seat_limit_is_refused():
    c = council()
    with pytest.raises(DomainError, match="asientos"):
        _renew(c, keep=20, join=6)
    assert not BodyTerm.objects.exists()


def test_continuity_share_is_a_setting_of_the_body():
    c = council()
    Body.objects.filter(pk=c.body.pk).update(renewal_min_continuity_percent=60)
    c.body.refresh_from_db()
    with pytest.raises(DomainError):
        _renew(c, keep=13, join=12)
    _renew(c, keep=15, join=10)


def test_two_of_three_outgoing_citizens_meet_a_continuity_of_two_thirds():
    c = council(size=3)
    Body.objects.filter(pk=c.body.pk).update(renewal_min_continuity_percent=Decimal("66.67"))
    with pytest.raises(DomainError, match="al menos el 66.67% de los 3 integrantes"):
        _renew(c, keep=1, join=2)
    assert _renew(c, keep=2, join=1).memberships.count() == 3


def test_body_as_of_a_date_answers_who_sat_on_it():
    c = council(size=3)
    membership_services.membership_end(
        actor=c.secretary, membership=c.members[0], end_date=datetime.date(2024, 6, 30), reason="Renuncia"
    )
    assert Membership.objects.filter(body=c.body).active_on(datetime.date(2024, 6, 1)).count() == 3
    assert Membership.objects.filter(body=c.body).active_on(datetime.date(2024, 7, 1)).count() == 2


def test_a_membership_over_the_seat_limit_is_refused():
    c = council(size=25)
    with pytest.raises(DomainError, match="25 asientos"):
        membership_services.membership_add(
            actor=c.secretary,
            body=c.body,
            person=PersonFactory(),
            role="consejero",
            sector="ciudadano",
            start_date=datetime.date(2025, 1, 1),
        )


def test_a_user_without_the_permission_cannot_add_members():
    c = council(size=1)
    with pytest.raises(PermissionDenied):
        membership_services.membership_add(
            actor=UserFactory(),
            body=c.body,
            person=PersonFactory(),
            role="consejero",
            sector="ciudadano",
            start_date=datetime.date(2025, 1, 1),
        )


def test_sessions_are_numbered_per_body():
    a, b = council(size=1, slug="a"), council(size=1, slug="b")
    entry = [session_services.AgendaEntry(title="Informe")]
    first = session_services.session_convene(
        late_reason="Sesión de prueba",
        actor=a.secretary,
        body=a.body,
        scheduled_at=timezone.now(),
        place="x",
        agenda=entry,
    )
    second = session_services.session_convene(
        late_reason="Sesión de prueba",
        actor=a.secretary,
        body=a.body,
        scheduled_at=timezone.now(),
        place="x",
        agenda=entry,
    )
    other = session_services.session_convene(
        late_reason="Sesión de prueba",
        actor=b.secretary,
        body=b.body,
        scheduled_at=timezone.now(),
        place="x",
        agenda=entry,
    )
    assert (first.number, second.number, other.number) == (1, 2, 1)


def test_the_secretary_of_one_body_cannot_convene_another():
    a, b = council(size=1, slug="a"), council(size=1, slug="b")
    with pytest.raises(PermissionDenied):
        session_services.session_convene(
            late_reason="Sesión de prueba",
            actor=a.secretary,
            body=b.body,
            scheduled_at=timezone.now(),
            place="x",
            agenda=[session_services.AgendaEntry(title="Informe")],
        )


def test_a_vote_cannot_open_without_quorum():
    c = council()
    session = session_in_progress(c, present=12)
    with pytest.raises(DomainError, match="No hay quórum"):
        vote_services.motion_open(actor=c.secretary, item=session.agenda_items.get(), text="")
    assert not session.agenda_items.get().motions.exists()


def test_a_vote_opens_with_half_plus_one_present():
    c = council()
    session = session_in_progress(c, present=13)
    assert session_services.session_quorum(session).reached
    motion = vote_services.motion_open(actor=c.secretary, item=session.agenda_items.get(), text="Se aprueba")
    assert motion.state == MotionState.OPEN
    assert motion.present_voting_members == 13


@pytest.mark.parametrize(("present", "reached"), [(1, False), (2, True)])
def test_a_quorum_of_a_third_needs_more_than_one_of_three(present, reached):
    c = council(size=3)
    Body.objects.filter(pk=c.body.pk).update(quorum_percent=Decimal("33.33"))
    quorum = session_services.session_quorum(session_in_progress(c, present=present))
    assert (quorum.required, quorum.reached) == (2, reached)  # one of three is a third, not more than a third


def test_informative_items_are_not_put_to_the_vote():
    c = council(size=3)
    session = session_services.session_convene(
        late_reason="Sesión de prueba",
        actor=c.secretary,
        body=c.body,
        scheduled_at=timezone.now(),
        place="x",
        agenda=[session_services.AgendaEntry(title="Informe", kind="informativo")],
    )
    session_services.session_record_attendance(
        actor=c.secretary, session=session, statuses={m.pk: AttendanceStatus.PRESENT for m in c.members}
    )
    with pytest.raises(DomainError, match="informativo"):
        vote_services.motion_open(actor=c.secretary, item=session.agenda_items.get(), text="")


@pytest.fixture
def open_motion():
    c = council(size=5)
    session = session_in_progress(c, present=4)
    motion = vote_services.motion_open(actor=c.secretary, item=session.agenda_items.get(), text="Se aprueba")
    return c, motion


def test_a_vote_closed_after_midnight_on_new_years_eve_is_numbered_and_dated_by_its_session():
    with time_machine.travel(datetime.datetime(2026, 12, 31, 23, 50, tzinfo=ZoneInfo("America/Mexico_City"))):
        c = council(size=5)
        motion = vote_services.motion_open(
            actor=c.secretary, item=session_in_progress(c, present=4).agenda_items.get(), text="Se aprueba"
        )
    with time_machine.travel(datetime.datetime(2027, 1, 1, 0, 10, tzinfo=ZoneInfo("America/Mexico_City"))):
        for i in range(4):  # every member present votes: the close needs no confirmation
            vote_services.vote_cast(actor=c.user(i), motion=motion, option=VoteOption.YES)
        resolution = vote_services.motion_close(actor=c.secretary, motion=motion)
    assert (resolution.number, resolution.year, resolution.adopted_on) == (1, 2026, datetime.date(2026, 12, 31))


def test_a_member_votes_and_changes_their_vote_while_open(open_motion, client, administrator):
    c, motion = open_motion
    vote_services.vote_cast(actor=c.user(0), motion=motion, option=VoteOption.YES)
    vote_services.vote_cast(actor=c.user(0), motion=motion, option=VoteOption.NO)
    vote_services.motion_close(actor=c.secretary, motion=motion, confirmed=True)
    motion.refresh_from_db()
    assert (motion.votes_for, motion.votes_against) == (0, 1)  # the last vote counts, once
    # The change stays on record: the audit log shows the vote going from «A favor» to «En contra».
    client.force_login(administrator)
    log = client.get(reverse("implan:audit_log"), {"tipo": "councils.vote"}).content.decode()
    assert "A favor" in log and "En contra" in log


def test_an_absent_member_cannot_vote(open_motion):
    c, motion = open_motion
    with pytest.raises(DomainError, match="presentes"):
        vote_services.vote_cast(actor=c.user(4), motion=motion, option=VoteOption.YES)
    assert not Vote.objects.exists()


def test_a_non_member_cannot_vote(open_motion):
    _, motion = open_motion
    stranger = UserFactory()
    PersonFactory(user=stranger)
    with pytest.raises(DomainError, match="integrantes con voto"):
        vote_services.vote_cast(actor=stranger, motion=motion, option=VoteOption.YES)
    with pytest.raises(DomainError, match="no corresponde"):
        vote_services.vote_cast(actor=UserFactory(), motion=motion, option=VoteOption.YES)


def test_a_member_without_vote_cannot_vote(open_motion):
    c, motion = open_motion
    Membership.objects.filter(pk=c.members[1].pk).update(has_vote=False)
    with pytest.raises(DomainError):
        vote_services.vote_cast(actor=c.user(1), motion=motion, option=VoteOption.YES)


def test_nobody_votes_on_a_closed_motion(open_motion):
    c, motion = open_motion
    vote_services.vote_cast(actor=c.user(0), motion=motion, option=VoteOption.YES)
    vote_services.motion_close(actor=c.secretary, motion=motion, confirmed=True)
    with pytest.raises(DomainError, match="no está abierta"):
        vote_services.vote_cast(actor=c.user(0), motion=motion, option=VoteOption.NO)
    assert Vote.objects.get().option == VoteOption.YES


def test_an_invalid_option_is_refused(open_motion):
    c, motion = open_motion
    with pytest.raises(DomainError):
        vote_services.vote_cast(actor=c.user(0), motion=motion, option="tal vez")


def test_closing_records_the_count_and_a_numbered_resolution(open_motion):
    c, motion = open_motion
    for i, option in enumerate([VoteOption.YES, VoteOption.YES, VoteOption.NO, VoteOption.ABSTAIN]):
        vote_services.vote_cast(actor=c.user(i), motion=motion, option=option)
    resolution = vote_services.motion_close(actor=c.secretary, motion=motion)
    motion.refresh_from_db()
    assert (motion.votes_for, motion.votes_against, motion.abstentions) == (2, 1, 1)
    assert motion.result == MotionResult.FAILED  # 2 of 4 cast is not more than half
    assert resolution.number == 1
    # The year of its session, not of the closing moment (they differ when a vote closes after midnight, 31 Dec).
    assert resolution.year == timezone.localdate(motion.agenda_item.session.scheduled_at).year
    assert Event.objects.filter(action="motion_closed").exists()
    # The resolution is sealed: `manage.py verify_hashes` vouches for it, and catches an edit behind the portal's back.
    assert verify_all() == (1, [])
    Resolution.objects.filter(pk=resolution.pk).update(text="Se aprueba otra cosa")
    assert [m.pk for m in verify_all()[1]] == [resolution.pk]


def test_resolutions_are_numbered_per_body_and_year(open_motion):
    c, motion = open_motion
    for i in range(4):
        vote_services.vote_cast(actor=c.user(i), motion=motion, option=VoteOption.NO)
    first = vote_services.motion_close(actor=c.secretary, motion=motion)
    item = session_services.agenda_item_add(  # the first point is decided; a second one is voted
        actor=c.secretary,
        session=motion.agenda_item.session,
        entry=session_services.AgendaEntry(title="Otra propuesta", kind=AgendaItemKind.DECISION),
    )
    second_motion = vote_services.motion_open(actor=c.secretary, item=item, text="Otra vez")
    for i in range(4):
        vote_services.vote_cast(actor=c.user(i), motion=second_motion, option=VoteOption.YES)
    second = vote_services.motion_close(actor=c.secretary, motion=second_motion)
    assert (first.number, second.number) == (1, 2)
    assert Resolution.objects.filter(body=c.body).count() == 2


def test_only_the_secretary_opens_and_closes_votes(open_motion):
    c, motion = open_motion
    with pytest.raises(PermissionDenied):
        vote_services.motion_close(actor=c.user(0), motion=motion)


def test_attendance_cannot_change_while_a_vote_is_open(open_motion):
    c, motion = open_motion
    with pytest.raises(DomainError):
        session_services.session_record_attendance(
            actor=c.secretary, session=motion.agenda_item.session, statuses={c.members[4].pk: AttendanceStatus.PRESENT}
        )


def test_a_session_cannot_close_with_an_open_vote_and_no_vote_after_close(open_motion):
    c, motion = open_motion
    session = motion.agenda_item.session
    with pytest.raises(DomainError):
        session_services.session_close(actor=c.secretary, session=session)
    vote_services.motion_close(actor=c.secretary, motion=motion, confirmed=True)
    session_services.session_close(actor=c.secretary, session=session)
    session.refresh_from_db()
    assert session.state == SessionState.CLOSED


@pytest.mark.parametrize(("votes_for", "result"), [(4, MotionResult.PASSED), (3, MotionResult.FAILED)])
def test_qualified_majority_needs_two_thirds_of_the_body(votes_for, result):
    c = council(size=6)
    session = session_in_progress(c, present=6, qualified=True)
    motion = vote_services.motion_open(actor=c.secretary, item=session.agenda_items.get(), text="Reforma")
    for i in range(6):
        vote_services.vote_cast(
            actor=c.user(i), motion=motion, option=VoteOption.YES if i < votes_for else VoteOption.NO
        )
    vote_services.motion_close(actor=c.secretary, motion=motion)
    motion.refresh_from_db()
    assert motion.result == result  # 4 of 6 is two thirds, which 66.67 % stands for


def _read_at_two_decimals(votes: int, base: int) -> Decimal:
    """The share ``votes`` of ``base`` as a person reads it: a percentage rounded to two decimals."""
    return (Decimal(100 * votes) / base).quantize(Decimal("0.01"), ROUND_HALF_UP)


@given(
    # Bases up to 60: below 70 no two different shares of them read as the same percentage, so rounding each share
    # to two decimals and comparing is an independent statement of the rule.
    votes_for=st.integers(0, 15),
    votes_against=st.integers(0, 15),
    abstentions=st.integers(0, 15),
    silent=st.integers(0, 15),
    voting_members=st.integers(0, 60),
    base=st.sampled_from(MajorityBase.values),
    percent=st.decimals(min_value=0, max_value=100, places=2),
    qualified=st.booleans(),
)
@settings(max_examples=400, deadline=None)
def test_an_outcome_passes_exactly_when_the_votes_in_favour_reach_the_share_of_its_base(
    votes_for, votes_against, abstentions, silent, voting_members, base, percent, qualified
):
    tally = vote_services.Tally(votes_for=votes_for, votes_against=votes_against, abstentions=abstentions)
    present = tally.cast + silent
    outcome = vote_services.Outcome(
        tally=tally,
        base=base,
        present=present,
        voting_members=max(voting_members, present),
        required_percent=percent,
        qualified=qualified,
    )
    base_count = {"presentes": present, "integrantes": max(voting_members, present)}.get(base, tally.cast)
    if base_count:
        read = _read_at_two_decimals(votes_for, base_count)
        assert outcome.passed == (votes_for > 0 and (read >= percent if qualified else read > percent))
    else:
        assert not outcome.passed
    if silent == 0 and tally.cast > 0:  # everyone present voted: the body decided, one way or the other
        assert outcome.result() == (MotionResult.PASSED if outcome.passed else MotionResult.FAILED)
    if tally.cast == 0:
        assert outcome.result() == MotionResult.NO_MAJORITY


@given(present=st.integers(4, 7), choices=st.lists(st.sampled_from(VoteOption.values), min_size=7, max_size=7))
@settings(max_examples=15, deadline=None)
def test_votes_counted_never_exceed_present_members(present, choices):
    # Each example runs in its own savepoint, rolled back, so examples do not see each other's rows.
    with transaction.atomic():
        c = council(size=7, slug="hipotesis")
        session = session_in_progress(c, present=present)
        motion = vote_services.motion_open(actor=c.secretary, item=session.agenda_items.get(), text="x")
        for i, option in enumerate(choices):
            try:
                vote_services.vote_cast(actor=c.user(i), motion=motion, option=option)
            except DomainError:
                assert i >= present  # only absent members are refused
        vote_services.motion_close(actor=c.secretary, motion=motion)
        motion.refresh_from_db()
        cast = motion.votes_for + motion.votes_against + motion.abstentions
        assert cast == present == motion.present_voting_members
        assert cast == Vote.objects.filter(motion=motion).count()
        assert motion.result == vote_services.motion_outcome(motion).result()
        assert motion.result != MotionResult.NO_MAJORITY  # every present member voted
        transaction.set_rollback(True)


def test_minutes_are_approved_in_a_later_session_then_published_and_frozen():
    c = council(size=3)
    first = session_services.session_convene(
        late_reason="Sesión de prueba",
        actor=c.secretary,
        body=c.body,
        scheduled_at=timezone.now(),
        place="x",
        agenda=[session_services.AgendaEntry(title="Informe")],
    )
    session_services.session_record_attendance(
        actor=c.secretary, session=first, statuses={m.pk: AttendanceStatus.PRESENT for m in c.members}
    )
    session_services.session_close(actor=c.secretary, session=first)
    minutes = minutes_services.minutes_draft(actor=c.secretary, session=first, text="Acta de la primera sesión.")
    second = session_in_progress(c, present=3, subject=minutes)
    motion = vote_services.motion_open(actor=c.secretary, item=second.agenda_items.get(), text="Se aprueba el acta")
    for i in range(3):
        vote_services.vote_cast(actor=c.user(i), motion=motion, option=VoteOption.YES)
    vote_services.motion_close(actor=c.secretary, motion=motion)
    minutes.refresh_from_db()
    assert minutes.state == MinutesState.APPROVED
    assert minutes.approved_in == second
    with pytest.raises(DomainError, match="no se puede modificar"):
        minutes_services.minutes_draft(actor=c.secretary, session=first, text="Cambio posterior")
    minutes_services.minutes_publish(actor=c.secretary, minutes=minutes)
    minutes.refresh_from_db()
    assert minutes.state == MinutesState.PUBLISHED
    assert minutes.text == "Acta de la primera sesión."


def test_a_subject_cannot_be_put_before_the_wrong_body():
    a, b = council(size=3, slug="a"), council(size=3, slug="b")
    first = session_services.session_convene(
        late_reason="Sesión de prueba",
        actor=a.secretary,
        body=a.body,
        scheduled_at=timezone.now(),
        place="x",
        agenda=[session_services.AgendaEntry(title="Informe")],
    )
    session_services.session_record_attendance(
        actor=a.secretary, session=first, statuses={m.pk: AttendanceStatus.PRESENT for m in a.members}
    )
    session_services.session_close(actor=a.secretary, session=first)
    minutes = minutes_services.minutes_draft(actor=a.secretary, session=first, text="Acta")
    with pytest.raises(DomainError, match="debe votarse primero"):
        session_services.session_convene(
            late_reason="Sesión de prueba",
            actor=b.secretary,
            body=b.body,
            scheduled_at=timezone.now(),
            place="x",
            agenda=[session_services.AgendaEntry(title="Acta ajena", kind=AgendaItemKind.DECISION, subject=minutes)],
        )
