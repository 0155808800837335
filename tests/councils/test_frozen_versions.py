"""What a session decides on is the version frozen on its agenda: a later edit of the instrument cannot change it.

The rule under attack: an instrument edited after convocation (withdrawn, edited, sent again) is not voted until the
body's secretary freezes the new content, which is allowed only before the session starts; a change behind the
services while a vote is open blocks the approval; the instrument cannot be withdrawn while a vote on it is open.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from councils import approvals
from councils.models import AgendaItemKind, AttendanceStatus, BodyKind, FrozenSubject, SessionState, VoteOption
from councils.services import frozen as frozen_services
from councils.services import sessions as session_services
from councils.services import votes as vote_services
from implan.errors import DomainError
from implan.events import events_for
from implan.models import LifecycleState
from planning.models import Budget, ProgrammeCeiling
from planning.services import budget as budget_services
from planning.services import lifecycle
from tests.councils.builders import council
from tests.factories import BudgetFactory, ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ayuntamiento():
    return council(size=5, slug="ayuntamiento", kind=BodyKind.AYUNTAMIENTO, seat_limit=None)


def _convene(c, subject):
    return session_services.session_convene(
        late_reason="Sesión de prueba",
        actor=c.secretary,
        body=c.body,
        scheduled_at=timezone.now() + datetime.timedelta(days=3),
        place="Sala de cabildo",
        agenda=[session_services.AgendaEntry(title="Aprobación del presupuesto", subject=subject)],
    )


def _start(c, session):
    statuses = {m.pk: AttendanceStatus.PRESENT for m in c.members}
    session_services.session_record_attendance(actor=c.secretary, session=session, statuses=statuses)


def _edit_after_convening(budget, planner, *, ceiling="2000000.00"):
    lifecycle.instrument_withdraw(instrument=budget, actor=planner)
    budget = Budget.objects.get(pk=budget.pk)
    budget_services.budget_update(actor=planner, budget=budget, title=budget.title, ceiling=Decimal(ceiling))
    return lifecycle.instrument_submit(instrument=budget, actor=planner)


def _vote_all(c, motion, option=VoteOption.YES):
    for i in range(len(c.members)):
        vote_services.vote_cast(actor=c.user(i), motion=motion, option=option)


def test_convening_freezes_the_exact_version_under_vote(ayuntamiento, planner):
    budget = lifecycle.instrument_submit(instrument=BudgetFactory(title="Presupuesto 2026"), actor=planner)
    session = _convene(ayuntamiento, budget)
    item = session.agenda_items.get()
    frozen = FrozenSubject.objects.get(agenda_item=item)
    assert frozen.label == "Presupuesto 2026, versión 1"
    assert frozen.fingerprint and frozen.frozen_by == ayuntamiento.secretary
    assert any(row[1] == "1000000" for row in frozen.snapshot["data"])
    assert events_for(item).filter(action="agenda_subject_frozen").exists()
    assert frozen_services.changed_since_frozen(item) is None


def test_a_budget_edited_after_convening_cannot_be_voted_once_the_session_started(ayuntamiento, planner):
    budget = lifecycle.instrument_submit(instrument=BudgetFactory(), actor=planner)
    session = _convene(ayuntamiento, budget)
    item = session.agenda_items.get()
    _edit_after_convening(budget, planner)
    assert "cambió después de congelarse" in frozen_services.changed_since_frozen(item)
    _start(ayuntamiento, session)

    with pytest.raises(DomainError, match="cambió después de congelarse"):
        vote_services.motion_open(actor=ayuntamiento.secretary, item=item, text="Se aprueba")
    with pytest.raises(DomainError, match="antes de iniciar la sesión"):
        frozen_services.agenda_item_refreeze(actor=ayuntamiento.secretary, item=item)
    assert not item.motions.exists()
    assert Budget.objects.get(pk=budget.pk).state == LifecycleState.IN_REVIEW


def test_before_the_session_starts_the_secretary_freezes_the_new_version_and_that_one_is_approved(
    ayuntamiento, planner
):
    budget = lifecycle.instrument_submit(instrument=BudgetFactory(), actor=planner)
    session = _convene(ayuntamiento, budget)
    item = session.agenda_items.get()
    _edit_after_convening(budget, planner, ceiling="3000000.00")
    member = ayuntamiento.user(0)
    with pytest.raises(PermissionDenied):  # only the secretary re-freezes
        frozen_services.agenda_item_refreeze(actor=member, item=item)

    frozen = frozen_services.agenda_item_refreeze(actor=ayuntamiento.secretary, item=item)
    assert any(row[1] == "3000000" for row in frozen.snapshot["data"])
    event = events_for(item).get(action="agenda_subject_refrozen")
    assert event.actor == ayuntamiento.secretary and event.data["before"]["fingerprint"] != frozen.fingerprint

    _start(ayuntamiento, session)
    motion = vote_services.motion_open(actor=ayuntamiento.secretary, item=item, text="Se aprueba")
    _vote_all(ayuntamiento, motion)
    vote_services.motion_close(actor=ayuntamiento.secretary, motion=motion)
    budget = Budget.objects.get(pk=budget.pk)
    assert budget.state == LifecycleState.APPROVED and budget.ceiling == Decimal("3000000.00")


def test_the_instrument_cannot_be_withdrawn_while_a_vote_on_it_is_open(ayuntamiento, planner):
    budget = lifecycle.instrument_submit(instrument=BudgetFactory(), actor=planner)
    session = _convene(ayuntamiento, budget)
    _start(ayuntamiento, session)
    vote_services.motion_open(actor=ayuntamiento.secretary, item=session.agenda_items.get(), text="Se aprueba")
    assert approvals.vote_open_on(budget)
    with pytest.raises(DomainError, match="se está votando ahora"):
        lifecycle.instrument_withdraw(instrument=budget, actor=planner)
    assert Budget.objects.get(pk=budget.pk).state == LifecycleState.IN_REVIEW


def test_a_part_changed_behind_the_services_during_the_vote_blocks_the_approval(ayuntamiento, planner):
    """An allocation rewritten in the database while the vote is open: the vote closes on nothing changed, or not."""
    budget = BudgetFactory()
    programme = ProgrammeFactory()
    ceiling = ProgrammeCeiling.objects.create(budget=budget, programme=programme, amount=Decimal("100.00"))
    budget = lifecycle.instrument_submit(instrument=budget, actor=planner)
    session = _convene(ayuntamiento, budget)
    _start(ayuntamiento, session)
    motion = vote_services.motion_open(actor=ayuntamiento.secretary, item=session.agenda_items.get(), text="Sí")
    _vote_all(ayuntamiento, motion)
    ProgrammeCeiling.objects.filter(pk=ceiling.pk).update(amount=Decimal("900000.00"))

    with pytest.raises(DomainError, match="cambió después de congelarse"):
        vote_services.motion_close(actor=ayuntamiento.secretary, motion=motion)
    assert Budget.objects.get(pk=budget.pk).state == LifecycleState.IN_REVIEW
    assert not session.resolutions.exists()


def test_an_item_without_subject_and_a_session_not_started_refuse_a_refreeze(ayuntamiento):
    session = session_services.session_convene(
        late_reason="Sesión de prueba",
        actor=ayuntamiento.secretary,
        body=ayuntamiento.body,
        scheduled_at=timezone.now(),
        place="Sala",
        agenda=[session_services.AgendaEntry(title="Asuntos generales", kind=AgendaItemKind.DECISION)],
    )
    with pytest.raises(DomainError, match="no somete ningún asunto"):
        frozen_services.agenda_item_refreeze(actor=ayuntamiento.secretary, item=session.agenda_items.get())
    assert session.state == SessionState.CONVENED


def test_the_point_links_the_frozen_version_and_its_differences_from_the_version_in_force(
    client, ayuntamiento, planner
):
    in_force = BudgetFactory(title="Presupuesto 2026", state=LifecycleState.PUBLISHED)
    draft = lifecycle.instrument_new_version(instrument=in_force, actor=planner)
    budget_services.budget_update(
        actor=planner, budget=draft, title="Presupuesto 2026 con obra nueva", ceiling=Decimal("1500000.00")
    )
    draft = lifecycle.instrument_submit(instrument=Budget.objects.get(pk=draft.pk), actor=planner)
    session = _convene(ayuntamiento, draft)
    item = session.agenda_items.get()
    frozen = FrozenSubject.objects.get(agenda_item=item)
    assert frozen.snapshot["in_force"] == "versión 1 (publicada)"
    assert frozen.snapshot["diff"]["old"] == {"version": 1} and frozen.snapshot["diff"]["new"] == {"version": 2}

    # The session's page links it; a member (not a planner) reads the frozen differences.
    client.force_login(ayuntamiento.user(0))
    page = client.get(reverse("councils:workspace_session", args=[session.pk])).content.decode()
    compare_url = reverse("planning:instrument_compare", args=["presupuesto", draft.pk])
    link = f"{compare_url}?con={in_force.pk}&amp;punto={item.pk}"
    assert link in page and "Presupuesto 2026 con obra nueva, versión 2" in page
    compare = client.get(link.replace("&amp;", "&"))
    assert compare.status_code == 200
    text = compare.content.decode()
    assert "<del>1000000</del>" in text and "<ins>1500000</ins>" in text

    # Edited afterwards: the page still shows what the session decides on, and says it changed.
    _edit_after_convening(draft, planner, ceiling="1700000.00")
    text = client.get(link.replace("&amp;", "&")).content.decode()
    assert "<ins>1500000</ins>" in text and "1700000" not in text and "cambió después de congelarse" in text
    page = client.get(reverse("councils:workspace_session", args=[session.pk])).content.decode()
    assert "cambió después de congelarse" in page

    # A public session's frozen version is readable by anyone logged in (it is in the public packet too); a private
    # body's only by who sees the body.
    client.force_login(UserFactory(username="curioso"))
    assert client.get(link.replace("&amp;", "&")).status_code == 200
    ayuntamiento.body.is_public = False
    ayuntamiento.body.save()
    assert client.get(link.replace("&amp;", "&")).status_code == 404


def test_minutes_edited_after_convening_are_not_put_to_the_vote(ayuntamiento):
    from councils.services import minutes as minutes_services

    earlier = session_services.session_convene(
        late_reason="Sesión de prueba",
        actor=ayuntamiento.secretary,
        body=ayuntamiento.body,
        scheduled_at=timezone.now(),
        place="Sala",
        agenda=[session_services.AgendaEntry(title="Informe")],
    )
    _start(ayuntamiento, earlier)
    session_services.session_close(actor=ayuntamiento.secretary, session=earlier)
    minutes = minutes_services.minutes_draft(actor=ayuntamiento.secretary, session=earlier, text="Acta: se informó.")
    session = _convene(ayuntamiento, minutes)
    item = session.agenda_items.get()
    assert FrozenSubject.objects.get(agenda_item=item).snapshot["data"][0][1] == "Acta: se informó."
    minutes_services.minutes_draft(actor=ayuntamiento.secretary, session=earlier, text="Acta: se informó y se aprobó.")
    _start(ayuntamiento, session)
    with pytest.raises(DomainError, match="cambió después de congelarse"):
        vote_services.motion_open(actor=ayuntamiento.secretary, item=item, text="Se aprueba el acta")
