"""Planning instruments are approved only through a passing vote of the competent body."""

import pytest
from django.core.exceptions import PermissionDenied

from councils.models import BodyKind, VoteOption
from councils.services import sessions as session_services
from councils.services import votes as vote_services
from implan.errors import DomainError
from implan.models import Event, LifecycleState
from planning.services import lifecycle
from tests.councils.builders import council, session_in_progress
from tests.factories import BudgetFactory, ProgrammeFactory
from tests.planning.mir_builders import complete_mir

pytestmark = pytest.mark.django_db


@pytest.fixture
def ayuntamiento():
    return council(size=5, slug="ayuntamiento", kind=BodyKind.AYUNTAMIENTO, seat_limit=None)


def _vote(c, subject, *, option):
    session = session_in_progress(c, present=5, subject=subject)
    motion = vote_services.motion_open(actor=c.secretary, item=session.agenda_items.get(), text="Se aprueba")
    for i in range(5):
        vote_services.vote_cast(actor=c.user(i), motion=motion, option=option)
    resolution = vote_services.motion_close(actor=c.secretary, motion=motion)
    session_services.session_close(actor=c.secretary, session=session)  # a body sits in one session at a time
    return resolution


def test_a_budget_passed_by_the_ayuntamiento_is_approved_with_a_hash(ayuntamiento, planner):
    budget = lifecycle.instrument_submit(instrument=BudgetFactory(), actor=planner)
    resolution = _vote(ayuntamiento, budget, option=VoteOption.YES)
    budget.refresh_from_db()
    assert budget.state == LifecycleState.APPROVED
    assert budget.content_hash == lifecycle.content_hash(budget.hashed_content())
    event = Event.objects.get(action="instrument_aprobado")
    assert event.data == {"resolution": resolution.pk}


def test_a_failed_vote_sends_the_budget_back_to_draft(ayuntamiento, planner):
    budget = lifecycle.instrument_submit(instrument=BudgetFactory(), actor=planner)
    _vote(ayuntamiento, budget, option=VoteOption.NO)
    budget.refresh_from_db()
    assert budget.state == LifecycleState.DRAFT


def test_a_draft_cannot_be_put_to_the_vote(ayuntamiento):
    with pytest.raises(DomainError, match="en revisión"):
        session_in_progress(ayuntamiento, present=5, subject=BudgetFactory())


def test_nothing_approves_without_a_vote(planner):
    budget = lifecycle.instrument_submit(instrument=BudgetFactory(), actor=planner)
    with pytest.raises(DomainError):
        lifecycle.instrument_publish(instrument=budget, actor=planner)
    with pytest.raises(DomainError):
        lifecycle._move(budget, "publicado", actor=planner, reason="atajo")
    budget.refresh_from_db()
    assert budget.state == LifecycleState.IN_REVIEW


def test_only_planners_submit(outsider):
    with pytest.raises(PermissionDenied):
        lifecycle.instrument_submit(instrument=BudgetFactory(), actor=outsider)


def test_a_programme_passes_its_commission_the_council_and_the_ayuntamiento_in_order(ayuntamiento, planner):
    commission = council(size=5, slug="comision", kind=BodyKind.STRATEGY_COMMISSION, seat_limit=None)
    consultative = council(size=5, slug="consejo-consultivo", seat_limit=25)
    programme = ProgrammeFactory(strategy__commission=commission.body)
    complete_mir(programme)  # a programme goes to approval only with a complete MIR
    lifecycle.instrument_submit(instrument=programme, actor=planner)
    with pytest.raises(DomainError, match="debe votarse primero"):
        session_in_progress(ayuntamiento, present=5, subject=programme)
    for body in (commission, consultative):
        _vote(body, programme, option=VoteOption.YES)
        programme.refresh_from_db()
        assert programme.state == LifecycleState.IN_REVIEW
    _vote(ayuntamiento, programme, option=VoteOption.YES)
    programme.refresh_from_db()
    assert programme.state == LifecycleState.APPROVED


def test_publishing_a_new_version_supersedes_the_old_one(ayuntamiento, planner):
    old = BudgetFactory(state=LifecycleState.PUBLISHED)
    new = BudgetFactory(fiscal_year=old.fiscal_year, version=2, previous_version=old)
    lifecycle.instrument_submit(instrument=new, actor=planner)
    _vote(ayuntamiento, new, option=VoteOption.YES)
    lifecycle.instrument_publish(instrument=new, actor=planner)
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.state, new.state) == (LifecycleState.SUPERSEDED, LifecycleState.PUBLISHED)


@pytest.mark.parametrize("how", ["withdrawn", "rejected"])
def test_sent_back_edited_and_resubmitted_it_goes_through_the_whole_chain_again(ayuntamiento, planner, how):
    """Votes passed on an earlier submission do not carry over: the commission and the council passed another text."""
    from planning.services import plan as plan_services

    commission = council(size=5, slug="comision", kind=BodyKind.STRATEGY_COMMISSION, seat_limit=None)
    consultative = council(size=5, slug="consejo-consultivo", seat_limit=25)
    programme = ProgrammeFactory(strategy__commission=commission.body, name="Texto aprobado por la comisión")
    complete_mir(programme)  # a programme goes to approval only with a complete MIR
    lifecycle.instrument_submit(instrument=programme, actor=planner)
    for body in (commission, consultative):
        _vote(body, programme, option=VoteOption.YES)
    if how == "withdrawn":
        lifecycle.instrument_withdraw(instrument=programme, actor=planner)
    else:
        _vote(ayuntamiento, programme, option=VoteOption.NO)
    programme.refresh_from_db()
    assert programme.state == LifecycleState.DRAFT
    plan_services.programme_update(actor=planner, programme=programme, values={"name": "Otro contenido"}, seen=None)
    lifecycle.instrument_submit(instrument=programme, actor=planner)

    assert lifecycle.awaiting_body(programme).pk == commission.body.pk
    with pytest.raises(DomainError, match="debe votarse primero"):
        session_in_progress(ayuntamiento, present=5, subject=programme)
    for body in (commission, consultative, ayuntamiento):
        _vote(body, programme, option=VoteOption.YES)
    programme.refresh_from_db()
    assert programme.state == LifecycleState.APPROVED and programme.name == "Otro contenido"


def test_an_old_agenda_item_cannot_vote_a_subject_that_now_awaits_an_earlier_body(ayuntamiento, planner):
    """The Ayuntamiento put the programme on its agenda; it was withdrawn, edited and resubmitted before the vote:
    the commission must vote first, so the old item's vote does not open."""
    commission = council(size=5, slug="comision", kind=BodyKind.STRATEGY_COMMISSION, seat_limit=None)
    consultative = council(size=5, slug="consejo-consultivo", seat_limit=25)
    programme = ProgrammeFactory(strategy__commission=commission.body)
    complete_mir(programme)  # a programme goes to approval only with a complete MIR
    lifecycle.instrument_submit(instrument=programme, actor=planner)
    for body in (commission, consultative):
        _vote(body, programme, option=VoteOption.YES)
    session = session_in_progress(ayuntamiento, present=5, subject=programme)
    lifecycle.instrument_withdraw(instrument=programme, actor=planner)
    lifecycle.instrument_submit(instrument=programme, actor=planner)
    with pytest.raises(DomainError, match="debe votarse primero"):
        vote_services.motion_open(actor=ayuntamiento.secretary, item=session.agenda_items.get(), text="Se aprueba")
