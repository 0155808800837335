"""Majorities counted on a base the body sets (members present by default), tried against the services."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from councils.models import (
    AgendaItemKind,
    Body,
    MajorityBase,
    Motion,
    MotionResult,
    MotionState,
    Resolution,
    VoteOption,
)
from councils.services import rules as rules_services
from councils.services import sessions as session_services
from councils.services import votes as vote_services
from implan import roles
from implan.concurrency import EditConflict, snapshot
from implan.errors import DomainError
from implan.models import Event
from tests.councils.builders import council, session_in_progress
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _vote(c, motion, options: list[str]) -> None:
    for i, option in enumerate(options):
        vote_services.vote_cast(actor=c.user(i), motion=motion, option=option)


def _open(c, *, present: int, qualified: bool = False) -> Motion:
    session = session_in_progress(c, present=present, qualified=qualified)
    return vote_services.motion_open(actor=c.secretary, item=session.agenda_items.get(), text="Se aprueba")


def _rules(body: Body, **changes) -> rules_services.VotingRules:
    rules = rules_services.VotingRules.of(body)
    return rules_services.VotingRules(**{**rules.__dict__, **changes})


@pytest.fixture
def admin():
    return UserFactory(username="administracion", roles=[roles.ADMINISTRATION])


def test_bodies_count_their_simple_majority_on_members_present_and_qualified_on_the_whole_body():
    body = council(size=1).body
    assert (body.majority_base, body.qualified_majority_base) == (MajorityBase.PRESENT, MajorityBase.MEMBERS)


def test_one_vote_of_25_present_is_not_closed_without_confirmation_and_the_warning_names_the_count():
    c = council(size=25)
    motion = _open(c, present=25)
    _vote(c, motion, [VoteOption.YES])
    with pytest.raises(vote_services.VoteIncomplete, match="Votaron 1 de 25 integrantes presentes") as refusal:
        vote_services.motion_close(actor=c.secretary, motion=motion)
    assert "se necesitan 13 votos a favor" in refusal.value.message
    motion.refresh_from_db()
    assert motion.state == MotionState.OPEN
    assert not Resolution.objects.exists()
    assert not Event.objects.filter(action="motion_closed").exists()


@pytest.mark.parametrize("option", [VoteOption.YES, VoteOption.NO])
def test_the_refusal_depends_on_how_many_voted_never_on_how_they_voted(option):
    # While the vote is open the secretary sees only how many voted; a refusal that came only when the motion was
    # failing would tell them how it goes.
    c = council(size=5)
    motion = _open(c, present=5)
    _vote(c, motion, [option] * 4)
    with pytest.raises(vote_services.VoteIncomplete, match="Votaron 4 de 5"):
        vote_services.motion_close(actor=c.secretary, motion=motion)


def test_a_confirmed_close_with_1_of_25_present_is_without_majority_and_gets_no_numbered_resolution():
    c = council(size=25)
    motion = _open(c, present=25)
    _vote(c, motion, [VoteOption.YES])
    assert vote_services.motion_close(actor=c.secretary, motion=motion, confirmed=True) is None
    motion.refresh_from_db()
    assert (motion.state, motion.result, motion.votes_for) == (MotionState.CLOSED, MotionResult.NO_MAJORITY, 1)
    assert not Resolution.objects.exists()
    event = Event.objects.get(action="motion_closed")
    assert event.to_state == MotionResult.NO_MAJORITY
    assert event.data["confirmed"] is True
    # The point can be put to the vote again, and the next resolution is number 1.
    again = vote_services.motion_open(actor=c.secretary, item=motion.agenda_item, text="Se aprueba")
    _vote(c, again, [VoteOption.YES] * 25)
    assert vote_services.motion_close(actor=c.secretary, motion=again).number == 1


@pytest.mark.parametrize("base", MajorityBase.values)
def test_a_vote_closed_with_no_votes_produces_no_numbered_resolution_whatever_the_base(base, admin):
    c = council(size=3)
    rules_services.body_set_voting_rules(actor=admin, body=c.body, rules=_rules(c.body, majority_base=base), seen=None)
    motion = _open(c, present=3)
    with pytest.raises(vote_services.VoteIncomplete, match="Votaron 0 de 3"):
        vote_services.motion_close(actor=c.secretary, motion=motion)
    assert vote_services.motion_close(actor=c.secretary, motion=motion, confirmed=True) is None
    assert Motion.objects.get().result == MotionResult.NO_MAJORITY
    assert not Resolution.objects.exists()


def test_abstentions_count_against_a_majority_of_members_present():
    c = council(size=25)
    motion = _open(c, present=25)
    _vote(c, motion, [VoteOption.YES] * 12 + [VoteOption.NO] * 10 + [VoteOption.ABSTAIN] * 3)
    resolution = vote_services.motion_close(actor=c.secretary, motion=motion)
    motion.refresh_from_db()
    assert motion.result == MotionResult.FAILED  # 12 of 25 present is not more than half, though 12 > 10
    assert resolution.text.startswith("No se aprueba")


def test_a_majority_of_members_present_passes_even_if_some_did_not_vote_once_confirmed():
    c = council(size=25)
    motion = _open(c, present=25)
    _vote(c, motion, [VoteOption.YES] * 13 + [VoteOption.NO] * 2)
    with pytest.raises(vote_services.VoteIncomplete, match="Votaron 15 de 25"):
        vote_services.motion_close(actor=c.secretary, motion=motion)
    resolution = vote_services.motion_close(actor=c.secretary, motion=motion, confirmed=True)
    assert resolution.number == 1
    assert Motion.objects.get().result == MotionResult.PASSED


def test_a_rejection_the_missing_votes_could_not_change_is_numbered():
    c = council(size=25)
    motion = _open(c, present=25)
    _vote(c, motion, [VoteOption.NO] * 13)  # the 12 who did not vote could not reach 13 in favour
    resolution = vote_services.motion_close(actor=c.secretary, motion=motion, confirmed=True)
    assert resolution is not None
    assert Motion.objects.get().result == MotionResult.FAILED


def test_a_body_that_decides_by_votes_cast_keeps_that_rule(admin):
    c = council(size=25)
    rules_services.body_set_voting_rules(
        actor=admin, body=c.body, rules=_rules(c.body, majority_base=MajorityBase.CAST), seen=None
    )
    motion = _open(c, present=25)
    _vote(c, motion, [VoteOption.YES])
    with pytest.raises(vote_services.VoteIncomplete, match="Votaron 1 de 25"):
        vote_services.motion_close(actor=c.secretary, motion=motion)
    vote_services.motion_close(actor=c.secretary, motion=motion, confirmed=True)
    assert Motion.objects.get().result == MotionResult.PASSED


def test_qualified_majority_counts_two_thirds_of_the_whole_body_not_of_those_present():
    c = council(size=25)
    motion = _open(c, present=18, qualified=True)
    _vote(c, motion, [VoteOption.YES] * 16 + [VoteOption.NO] * 2)  # 16 of 18 present, but 17 of 25 are needed
    vote_services.motion_close(actor=c.secretary, motion=motion)
    assert Motion.objects.get().result == MotionResult.FAILED
    with pytest.raises(DomainError, match="ya se decidió"):  # a rejected point is decided: not voted again
        vote_services.motion_open(actor=c.secretary, item=motion.agenda_item, text="Otra vez")
    item = session_services.agenda_item_add(
        actor=c.secretary,
        session=motion.agenda_item.session,
        entry=session_services.AgendaEntry(
            title="Otra propuesta", kind=AgendaItemKind.DECISION, requires_qualified_majority=True
        ),
    )
    again = vote_services.motion_open(actor=c.secretary, item=item, text="Otra vez")
    _vote(c, again, [VoteOption.YES] * 17 + [VoteOption.NO])
    vote_services.motion_close(actor=c.secretary, motion=again)
    again.refresh_from_db()
    assert (again.result, again.voting_members, again.majority_base) == (MotionResult.PASSED, 25, MajorityBase.MEMBERS)


def test_a_qualified_vote_the_members_present_cannot_reach_is_not_opened():
    c = council(size=25)
    session = session_in_progress(c, present=16, qualified=True)
    with pytest.raises(DomainError, match="Con 16 integrantes presentes la propuesta no puede alcanzar los 17"):
        vote_services.motion_open(actor=c.secretary, item=session.agenda_items.get(), text="Reforma")
    assert not Motion.objects.exists()


def test_a_motion_keeps_the_rule_it_was_opened_with(admin):
    c = council(size=5)
    motion = _open(c, present=5)
    rules_services.body_set_voting_rules(
        actor=admin,
        body=c.body,
        rules=_rules(c.body, majority_base=MajorityBase.CAST, majority_percent=Decimal("10")),
        seen=None,
    )
    _vote(c, motion, [VoteOption.YES] * 2 + [VoteOption.NO] * 3)
    vote_services.motion_close(actor=c.secretary, motion=motion)
    motion.refresh_from_db()
    assert (motion.majority_base, motion.required_percent, motion.result) == (
        MajorityBase.PRESENT,
        Decimal("50.00"),
        MotionResult.FAILED,
    )


# --- Setting the rules -----------------------------------------------------------------------------------------


def _opened(body: Body) -> dict[str, str]:
    """The rules as the administrator's form showed them when opened."""
    return snapshot(body, rules_services.VOTING_RULES_FIELDS)


def test_an_administrator_sets_a_bodys_rules_with_history_and_an_event(admin):
    body = council(size=1).body
    wanted = _rules(body, majority_base=MajorityBase.MEMBERS, qualified_majority_percent=Decimal("75"))
    rules_services.body_set_voting_rules(actor=admin, body=body, rules=wanted, seen=_opened(body))
    body.refresh_from_db()
    assert rules_services.VotingRules.of(body) == wanted
    record = body.history.first()
    assert (record.history_user, record.history_change_reason) == (admin, "Reglas de votación")
    event = Event.objects.get(action="body_voting_rules_set")
    assert event.actor == admin
    assert event.data["before"]["majority_base"] == MajorityBase.PRESENT
    assert event.data["after"]["qualified_majority_percent"] == "75.00"
    # Saving the same rules again records nothing.
    rules_services.body_set_voting_rules(actor=admin, body=body, rules=wanted, seen=_opened(body))
    assert Event.objects.filter(action="body_voting_rules_set").count() == 1


def test_only_administration_sets_voting_rules_not_the_bodys_secretary():
    c = council(size=1)
    with pytest.raises(PermissionDenied):
        rules_services.body_set_voting_rules(
            actor=c.secretary, body=c.body, rules=_rules(c.body, majority_base=MajorityBase.CAST), seen=None
        )
    c.body.refresh_from_db()
    assert c.body.majority_base == MajorityBase.PRESENT


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"majority_base": "mayoria_de_mis_amigos"}, "Elija la base"),
        ({"qualified_majority_base": ""}, "Elija la base"),
        ({"majority_percent": Decimal("100.01")}, "entre 0 y 100"),
        ({"qualified_majority_percent": Decimal("-1")}, "entre 0 y 100"),
        ({"majority_percent": Decimal("60"), "qualified_majority_percent": Decimal("55")}, "no puede pedir menos"),
    ],
)
def test_nonsense_voting_rules_are_refused_and_nothing_is_saved(admin, changes, message):
    body = council(size=1).body
    with pytest.raises(DomainError, match=message):
        rules_services.body_set_voting_rules(actor=admin, body=body, rules=_rules(body, **changes), seen=None)
    body.refresh_from_db()
    assert rules_services.VotingRules.of(body) == rules_services.VotingRules(
        MajorityBase.PRESENT, Decimal("50"), MajorityBase.MEMBERS, Decimal("66.67")
    )
    assert not Event.objects.filter(action="body_voting_rules_set").exists()


def test_rules_changed_by_someone_else_meanwhile_are_not_overwritten(admin):
    body = council(size=1).body
    opened = _opened(body)
    rules_services.body_set_voting_rules(
        actor=admin, body=body, rules=_rules(body, majority_base=MajorityBase.CAST), seen=opened
    )
    with pytest.raises(EditConflict) as conflict:
        rules_services.body_set_voting_rules(
            actor=admin, body=body, rules=_rules(body, majority_percent=Decimal("60")), seen=opened
        )
    assert [(c.old, c.new) for c in conflict.value.changes] == [(MajorityBase.PRESENT.label, MajorityBase.CAST.label)]
    body.refresh_from_db()
    assert (body.majority_base, body.majority_percent) == (MajorityBase.CAST, Decimal("50"))
