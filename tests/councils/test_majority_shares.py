"""A percentage typed with two decimals means the share people have in mind: 66.67 is two thirds, so 10 of 15 reach
it. Tried over every body size from 1 to 30 for two thirds, three quarters and a simple majority, on the count
required, on whether a vote can be opened and on how it closes; then end to end on the demo's Ayuntamiento."""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from councils.models import MajorityBase, Motion, MotionResult, VoteOption
from councils.services import base as council_base
from councils.services import votes as vote_services
from implan.errors import DomainError
from tests.councils.builders import council, session_in_progress

SIZES = range(1, 31)
# (rule, percent as the body stores it, qualified, the fewest votes in favour that pass with n members).
RULES = [
    ("dos terceras partes", Decimal("66.67"), True, lambda n: -(-2 * n // 3)),
    ("tres cuartas partes", Decimal("75.00"), True, lambda n: -(-3 * n // 4)),
    ("más de la mitad", Decimal("50.00"), False, lambda n: n // 2 + 1),
]
CASES = [
    pytest.param(percent, qualified, needed(n), n, id=f"{rule}-{n}")
    for rule, percent, qualified, needed in RULES
    for n in SIZES
]


def _motion(*, members: int, present: int, percent: Decimal, qualified: bool) -> Motion:
    """A motion as it is opened (not saved): the rule and the counts copied from the body."""
    return Motion(
        text="Se aprueba",
        required_percent=percent,
        qualified=qualified,
        majority_base=MajorityBase.MEMBERS,
        present_voting_members=present,
        voting_members=members,
    )


def _outcome(members: int, percent: Decimal, qualified: bool, votes_for: int) -> vote_services.Outcome:
    """Every member present and voting: ``votes_for`` in favour, the rest against."""
    tally = vote_services.Tally(votes_for=votes_for, votes_against=members - votes_for, abstentions=0)
    return vote_services.Outcome(
        tally=tally,
        base=MajorityBase.MEMBERS,
        present=members,
        voting_members=members,
        required_percent=percent,
        qualified=qualified,
    )


@pytest.mark.parametrize(("percent", "qualified", "needed", "members"), CASES)
def test_the_votes_required_are_the_share_people_mean(percent, qualified, needed, members):
    assert vote_services.votes_needed(base_count=members, required_percent=percent, qualified=qualified) == needed


@pytest.mark.parametrize(("percent", "qualified", "needed", "members"), CASES)
def test_a_vote_opens_exactly_when_the_members_present_can_reach_the_share(percent, qualified, needed, members):
    vote_services._check_reachable(_motion(members=members, present=needed, percent=percent, qualified=qualified))
    if needed > 1:
        with pytest.raises(DomainError, match=f"no puede alcanzar los {needed} votos"):
            vote_services._check_reachable(
                _motion(members=members, present=needed - 1, percent=percent, qualified=qualified)
            )


@pytest.mark.parametrize(("percent", "qualified", "needed", "members"), CASES)
def test_a_vote_closes_approved_with_the_share_and_rejected_with_one_vote_less(percent, qualified, needed, members):
    assert _outcome(members, percent, qualified, needed).result() == MotionResult.PASSED
    if needed > 1:
        assert _outcome(members, percent, qualified, needed - 1).result() == MotionResult.FAILED


@pytest.mark.parametrize(
    ("percent", "share"),
    [
        ("66.67", Fraction(2, 3)),
        ("33.33", Fraction(1, 3)),
        ("75", Fraction(3, 4)),
        ("50", Fraction(1, 2)),
        ("60", Fraction(3, 5)),
        ("100", Fraction(1)),
        ("0", Fraction(0)),
    ],
)
def test_a_percentage_reads_as_the_share_people_mean(percent, share):
    assert council_base.percent_share(Decimal(percent)) == share


@given(percent=st.decimals(min_value=0, max_value=100, places=2))
@settings(max_examples=300, deadline=None)
def test_every_percentage_reads_as_a_share_that_rounds_back_to_it(percent):
    share = council_base.percent_share(percent)
    as_percent = (Decimal(share.numerator) * 100 / share.denominator).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert as_percent == percent


# --- End to end: the demo's Ayuntamiento and a commission of three --------------------------------------------------


@pytest.mark.django_db
def test_ten_of_fifteen_in_favour_pass_a_two_thirds_item_of_the_ayuntamiento():
    c = council(size=15, slug="ayuntamiento")
    session = session_in_progress(c, present=15, qualified=True)
    motion = vote_services.motion_open(actor=c.secretary, item=session.agenda_items.get(), text="Reforma")
    for i in range(15):
        vote_services.vote_cast(actor=c.user(i), motion=motion, option=VoteOption.YES if i < 10 else VoteOption.NO)
    resolution = vote_services.motion_close(actor=c.secretary, motion=motion)
    motion.refresh_from_db()
    assert (motion.required_percent, motion.result) == (Decimal("66.67"), MotionResult.PASSED)
    assert resolution.text.startswith("Se aprueba")


@pytest.mark.django_db
def test_a_two_thirds_vote_of_the_ayuntamiento_opens_with_ten_of_fifteen_present():
    c = council(size=15, slug="ayuntamiento")
    session = session_in_progress(c, present=10, qualified=True)
    motion = vote_services.motion_open(actor=c.secretary, item=session.agenda_items.get(), text="Reforma")
    for i in range(10):
        vote_services.vote_cast(actor=c.user(i), motion=motion, option=VoteOption.YES)
    vote_services.motion_close(actor=c.secretary, motion=motion)
    motion.refresh_from_db()
    assert motion.result == MotionResult.PASSED


@pytest.mark.django_db
def test_two_of_a_commission_of_three_pass_a_two_thirds_item():
    c = council(size=3, slug="comision")
    session = session_in_progress(c, present=3, qualified=True)
    motion = vote_services.motion_open(actor=c.secretary, item=session.agenda_items.get(), text="Reforma")
    for i, option in enumerate([VoteOption.YES, VoteOption.YES, VoteOption.NO]):
        vote_services.vote_cast(actor=c.user(i), motion=motion, option=option)
    vote_services.motion_close(actor=c.secretary, motion=motion)
    motion.refresh_from_db()
    assert motion.result == MotionResult.PASSED
