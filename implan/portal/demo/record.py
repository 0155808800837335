"""Approvals of the seed as if decided in recorded sessions, through the councils' own services."""

import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from councils.models import AttendanceStatus, Body, MinutesState, Session, SessionState, VoteOption
from councils.services import minutes as minutes_services
from councils.services import sessions as session_services
from councils.services import votes as vote_services
from implan.models import LifecycleState
from implan.types import Actor
from planning.services import lifecycle

MX = ZoneInfo("America/Mexico_City")


def _at(year: int, month: int, day: int) -> datetime.datetime:
    return datetime.datetime(year, month, day, 17, 0, tzinfo=MX)


def _hold_session(
    *,
    secretary: Actor,
    body: Body,
    when: datetime.datetime,
    place: str,
    items: list[tuple[str, Any]],
    absent: int = 1,
) -> Session:
    """Convene, take attendance, vote each item (one abstention, the rest in favour) and close."""
    agenda = [session_services.AgendaEntry(title=title, subject=subject) for title, subject in items]
    session = session_services.session_convene(
        actor=secretary,
        body=body,
        scheduled_at=when,
        place=place,
        agenda=agenda,
        late_reason="Registro en el portal de una sesión ya celebrada.",
    )
    voting = list(
        session_services.session_voting_members(session).select_related("person__user").order_by("person__slug")
    )
    statuses: dict[int, str] = {
        m.pk: AttendanceStatus.ABSENT if i < absent else AttendanceStatus.PRESENT for i, m in enumerate(voting)
    }
    session_services.session_record_attendance(actor=secretary, session=session, statuses=statuses)
    present = [m for i, m in enumerate(voting) if i >= absent]
    for item in session.agenda_items.order_by("order"):
        motion = vote_services.motion_open(actor=secretary, item=item, text=item.title)
        for i, membership in enumerate(present):
            option = VoteOption.ABSTAIN if i == len(present) - 1 else VoteOption.YES
            vote_services.vote_cast(actor=membership.person.user, motion=motion, option=option)
        vote_services.motion_close(actor=secretary, motion=motion)
    return session_services.session_close(actor=secretary, session=session)


def approve_earlier_budget(
    *, users: dict[str, Actor], ayuntamiento: Body, budget: Any, when: datetime.datetime
) -> bool:
    """A budget approved by the Ayuntamiento of its time before its year began, then published (once)."""
    if budget.state != LifecycleState.DRAFT:
        return False
    planner = users["planeador"]
    lifecycle.instrument_submit(instrument=budget, actor=planner)
    _hold_session(
        secretary=users["secretario"],
        body=ayuntamiento,
        when=when,
        place="Salón de Cabildo",
        items=[(f"Aprobación del {budget.title}", budget)],
    )
    lifecycle.instrument_publish(instrument=type(budget).objects.get(pk=budget.pk), actor=planner)
    return True


def approve_seed(
    *, users: dict[str, Actor], ayuntamiento: Body, consultative: Body, plan: Any, government_plan: Any, budget: Any
) -> bool:
    """Run the approvals once; False when they had already been recorded."""
    if plan.state != LifecycleState.DRAFT:
        return False
    secretary, planner = users["secretario"], users["planeador"]
    for instrument in (plan, government_plan, budget):
        lifecycle.instrument_submit(instrument=instrument, actor=planner)
    opinion = _hold_session(
        secretary=secretary,
        body=consultative,
        when=_at(2024, 11, 21),
        absent=3,
        place="Sala de consejo del IMPLAN, Blvd. Juan Alonso de Torres 1 (ficticio)",
        items=[
            ("Opinión sobre el plan «León hacia el Futuro, Visión 2025»", plan),
            ("Opinión sobre el Programa de Gobierno 2024–2027", government_plan),
        ],
    )
    _hold_session(
        secretary=secretary,
        body=ayuntamiento,
        when=_at(2024, 11, 28),
        place="Salón de Cabildo",
        items=[
            ("Aprobación del plan «León hacia el Futuro, Visión 2025»", plan),
            ("Aprobación del Programa de Gobierno 2024–2027", government_plan),
        ],
    )
    _hold_session(
        secretary=secretary,
        body=ayuntamiento,
        when=_at(2024, 12, 15),
        place="Salón de Cabildo",
        items=[("Aprobación del Presupuesto de egresos 2025", budget)],
    )
    for instrument in (plan, government_plan, budget):
        lifecycle.instrument_publish(instrument=type(instrument).objects.get(pk=instrument.pk), actor=planner)
    minutes = minutes_services.minutes_draft(
        actor=secretary,
        session=opinion,
        text="Acta de la sesión ordinaria 1 del Consejo Consultivo de Planeación. Se emitió opinión favorable "
        "sobre el plan de largo plazo y el Programa de Gobierno 2024–2027.",
    )
    _hold_session(
        secretary=secretary,
        body=consultative,
        when=_at(2025, 2, 20),
        absent=4,
        place="Sala de consejo del IMPLAN",
        items=[("Aprobación del acta de la sesión 1", minutes)],
    )
    minutes.refresh_from_db()
    if minutes.state == MinutesState.APPROVED:
        minutes_services.minutes_publish(actor=secretary, minutes=minutes)
    return True


def convene_upcoming(*, users: dict[str, Actor], consultative: Body, budget_draft: Any) -> None:
    """An upcoming session, so members find something ahead of them in their workspace."""
    if consultative.sessions.filter(state=SessionState.CONVENED).exists():
        return
    when = (timezone.localtime() + datetime.timedelta(days=14)).replace(hour=17, minute=0, second=0, microsecond=0)
    session_services.session_convene(
        actor=users["secretario"],
        body=consultative,
        scheduled_at=when,
        place="Sala de consejo del IMPLAN",
        agenda=[
            session_services.AgendaEntry(title=f"Presentación del proyecto de {budget_draft}"),
            session_services.AgendaEntry(title="Avance de la cartera de proyectos estratégicos"),
        ],
    )
