"""Sessions: convocation, the agenda, attendance and quorum, conclusion and cancellation."""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from councils import approvals, packets
from councils.models import (
    AgendaItem,
    AgendaItemKind,
    Attendance,
    AttendanceStatus,
    Body,
    Membership,
    NoticeKind,
    Session,
    SessionKind,
    SessionState,
)
from councils.services import notices
from councils.services.base import percent_share, require_session_manager, with_reason
from councils.services.frozen import subject_freeze
from implan.concurrency import check_snapshot
from implan.errors import DomainError
from implan.events import event_record
from implan.types import Actor


@dataclass(frozen=True)
class AgendaEntry:
    title: str
    description: str = ""
    kind: str = AgendaItemKind.INFORMATIVE
    requires_qualified_majority: bool = False
    subject: Any = None


@transaction.atomic
def session_convene(
    *,
    actor: Actor,
    body: Body,
    scheduled_at: datetime.datetime,
    place: str,
    agenda: Sequence[AgendaEntry],
    kind: str = SessionKind.ORDINARY,
    late_reason: str = "",
) -> Session:
    """Convene a session with its agenda in order; its number is the body's next. Every member and the body's
    secretaries are told (inbox, and e-mail with the calendar invitation).

    Within the body's notice period for the session's kind, ``late_reason`` is required (``LateNotice`` without it)
    and is recorded on the session, where the members read it.
    """
    require_session_manager(actor, body)
    body = Body.objects.select_for_update().get(pk=body.pk)
    if not agenda:
        raise DomainError(_("El orden del día necesita al menos un punto."))
    if kind not in SessionKind.values:
        raise DomainError(_("Elija si la sesión es ordinaria o extraordinaria."))
    reason = notices.late_notice_reason(body=body, kind=kind, scheduled_at=scheduled_at, reason=late_reason)
    number = (body.sessions.aggregate(last=Max("number"))["last"] or 0) + 1
    session = with_reason(
        Session(
            body=body,
            number=number,
            kind=kind,
            scheduled_at=scheduled_at,
            place=place,
            convened_by=actor,
            late_notice_reason=reason,
        ),
        _("Convocatoria"),
    )
    session.save()
    for order, entry in enumerate(agenda, start=1):
        _agenda_item_create(actor=actor, session=session, entry=entry, order=order)
    event_record(actor=actor, subject=session, action="session_convened", to_state=SessionState.CONVENED, note=reason)
    notices.session_send_notices(session=session, kind=NoticeKind.CONVOCATION)
    packets.schedule(session)
    return session


@transaction.atomic
def session_reschedule(
    *, actor: Actor, session: Session, scheduled_at: datetime.datetime, place: str, reason: str
) -> Session:
    """Move a convened session to another date or place; the members get the change (the calendar event updated,
    same UID, next SEQUENCE). A new date within the notice period counts from now, as a new convocation would."""
    require_session_manager(actor, session.body)
    session = Session.objects.select_for_update().select_related("body").get(pk=session.pk)
    if session.state != SessionState.CONVENED:
        raise DomainError(_("Solo se cambia la fecha o el lugar de una sesión convocada que no ha empezado."))
    if not reason.strip():
        raise DomainError(_("Escriba el motivo del cambio; los integrantes lo recibirán."))
    if scheduled_at == session.scheduled_at and place.strip() == session.place:
        raise DomainError(_("La fecha y el lugar son los mismos; no hay cambio que avisar."))
    if scheduled_at != session.scheduled_at:
        session.late_notice_reason = notices.late_notice_reason(
            body=session.body, kind=session.kind, scheduled_at=scheduled_at, reason=reason
        )
    before = {"scheduled_at": session.scheduled_at.isoformat(), "place": session.place}
    session.scheduled_at, session.place = scheduled_at, place.strip()
    session.sequence += 1
    session.reminder_sent_at = None  # the reminder is due again before the new date
    with_reason(session, reason.strip()).save()
    event_record(
        actor=actor,
        subject=session,
        action="session_rescheduled",
        note=reason.strip(),
        data={"before": before, "after": {"scheduled_at": scheduled_at.isoformat(), "place": session.place}},
    )
    notices.session_send_notices(session=session, kind=NoticeKind.CHANGE)
    packets.schedule(session)  # the packet names the date and the place
    return session


@transaction.atomic
def agenda_item_add(*, actor: Actor, session: Session, entry: AgendaEntry, order: int | None = None) -> AgendaItem:
    """Add a point to a convened session's agenda; a subject must be awaiting this body's vote, and the version
    under vote is frozen on the point. The meeting packet is laid out again."""
    item = _agenda_item_create(actor=actor, session=session, entry=entry, order=order)
    packets.schedule(item.session)
    return item


def _agenda_item_create(*, actor: Actor, session: Session, entry: AgendaEntry, order: int | None) -> AgendaItem:
    session = Session.objects.select_related("body").get(pk=session.pk)
    require_session_manager(actor, session.body)
    if session.state not in (SessionState.CONVENED, SessionState.IN_PROGRESS):
        raise DomainError(_("La sesión ya concluyó; su orden del día no cambia."))
    item = AgendaItem(
        session=session,
        title=entry.title,
        description=entry.description,
        kind=entry.kind,
        requires_qualified_majority=entry.requires_qualified_majority,
        order=order or (session.agenda_items.aggregate(last=Max("order"))["last"] or 0) + 1,
    )
    if entry.subject is not None:
        check_subject_for(session.body, entry.subject)
        item.kind = AgendaItemKind.DECISION
        item.subject_type = ContentType.objects.get_for_model(entry.subject)
        item.subject_id = entry.subject.pk
    with_reason(item, _("Orden del día")).save()
    if entry.subject is not None:
        subject_freeze(actor=actor, item=item, subject=entry.subject)
    return item


def check_subject_for(body: Body, subject: Any) -> None:
    subject = type(subject)._default_manager.get(pk=subject.pk)  # judge the stored state, not a stale copy
    rule = approvals.rule_for(subject)
    if rule is None:
        raise DomainError(_("Este tipo de asunto no se aprueba en los órganos."))
    refusal = rule.can_be_put_to_vote(subject)
    if refusal:
        raise DomainError(refusal)
    awaited = approvals.next_body(subject)
    if awaited is None:
        raise DomainError(_("Este asunto ya completó su aprobación."))
    if awaited.pk != body.pk:
        raise DomainError(_("Este asunto debe votarse primero en %(body)s.") % {"body": awaited})


@dataclass(frozen=True)
class Quorum:
    voting_members: int
    present: int
    required: int
    reached: bool


def session_voting_members(session: Session) -> Any:
    return session.body.memberships.active_on(timezone.localdate(session.scheduled_at)).voting()


def session_quorum(session: Session) -> Quorum:
    """Quorum: present voting members above the body's percentage of its voting members on the session's date."""
    here = Attendance.objects.filter(session=session, membership=OuterRef("pk"), status=AttendanceStatus.PRESENT)
    counts = session_voting_members(session).aggregate(total=Count("pk"), present=Count("pk", filter=Exists(here)))
    return _quorum(session, counts["total"], counts["present"])


def session_quorum_of(session: Session, members: Iterable[Membership], statuses: dict[int, str]) -> Quorum:
    """``session_quorum`` over rows a page has read already: ``members``, the session's members
    (``session_members``), and ``statuses``, the attendance recorded (membership id → status)."""
    voting = [m for m in members if m.has_vote]
    present = sum(statuses.get(m.pk) == AttendanceStatus.PRESENT for m in voting)
    return _quorum(session, len(voting), present)


def _quorum(session: Session, total: int, present: int) -> Quorum:
    percent = session.body.quorum_percent
    required = math.floor(percent_share(percent) * total) + 1 if total else 1
    return Quorum(voting_members=total, present=present, required=required, reached=present >= required)


def session_members(session: Session) -> Any:
    """Whose attendance a session records: the body's members on the session's date."""
    return session.body.memberships.active_on(timezone.localdate(session.scheduled_at))


def attendance_snapshot(recorded: dict[int, str], members: Iterable[Membership]) -> dict[str, str]:
    """The attendance as a form shows it: ``m<membership id>`` → the status recorded (membership id → status),
    empty when none is recorded yet."""
    return {f"m{m.pk}": str(AttendanceStatus(recorded[m.pk]).label) if m.pk in recorded else "" for m in members}


def _check_attendance_unchanged(session: Session, members: list[Membership], seen: dict[str, str] | None) -> None:
    recorded = dict(session.attendances.values_list("membership_id", "status"))
    check_snapshot(
        attendance_snapshot(recorded, members),
        seen,
        labels={f"m{m.pk}": m.person.name for m in members},
        rows=session.attendances.all(),
    )


@transaction.atomic
def session_record_attendance(
    *, actor: Actor, session: Session, statuses: dict[int, str], seen: dict[str, str] | None = None
) -> Quorum:
    """Record who attended (membership id → status); the session is under way from then on.

    ``seen``: the attendance the form showed (``EditConflict`` when someone recorded another one since).
    """
    require_session_manager(actor, session.body)
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.state not in (SessionState.CONVENED, SessionState.IN_PROGRESS):
        raise DomainError(_("La asistencia solo se registra en sesiones convocadas o en curso."))
    if session.motions_open().exists():
        raise DomainError(_("No se puede cambiar la asistencia mientras hay una votación abierta."))
    members = {m.pk: m for m in session_members(session).select_related("person")}
    _check_attendance_unchanged(session, list(members.values()), seen)
    unknown = set(statuses) - set(members)
    if unknown:
        raise DomainError(_("Solo se registra la asistencia de integrantes del órgano en la fecha de la sesión."))
    if any(status not in AttendanceStatus.values for status in statuses.values()):
        raise DomainError(_("Estado de asistencia no válido."))
    if session.state == SessionState.CONVENED:
        _check_no_other_session_in_progress(session)
    recorded = {a.membership_id: a for a in session.attendances.all()}
    for membership_id, status in statuses.items():
        attendance = recorded.get(membership_id)
        if attendance is None:
            # One reason for the whole form: history says the rows in one line («asistencia registrada: …»).
            new = Attendance(session=session, membership=members[membership_id], status=status, recorded_by=actor)
            with_reason(new, _("Registro de asistencia")).save()
        elif attendance.status != status:
            attendance.status = status
            attendance.recorded_by = actor
            with_reason(attendance, _("Corrección de asistencia")).save()
    if session.state == SessionState.CONVENED:
        session.state = SessionState.IN_PROGRESS
        session.started_at = timezone.now()
        with_reason(session, _("Inicio de la sesión")).save()
        event_record(
            actor=actor,
            subject=session,
            action="session_started",
            from_state=SessionState.CONVENED,
            to_state=SessionState.IN_PROGRESS,
        )
    return session_quorum(session)


def _check_no_other_session_in_progress(session: Session) -> None:
    """A body sits in one session at a time: starting a second one is refused until the first concludes.

    The body's row is locked first, so two secretaries starting two sessions of one body at once are served one
    after the other and the second is refused.
    """
    Body.objects.select_for_update().get(pk=session.body_id)
    other = (
        Session.objects.filter(body_id=session.body_id, state=SessionState.IN_PROGRESS).exclude(pk=session.pk).first()
    )
    if other is not None:
        raise DomainError(
            _("%(body)s ya tiene una sesión en curso (la %(n)s); concluya esa sesión antes de iniciar otra.")
            % {"body": session.body, "n": other.number}
        )


@transaction.atomic
def agenda_subject_add(*, actor: Actor, session: Session, subject: Any) -> AgendaItem:
    """Put a subject awaiting the body on the agenda of a session that has not started.

    Refused once the session is under way (members decide on the agenda they were convened with), when the subject
    is already on that agenda, or when it does not await this body.
    """
    require_session_manager(actor, session.body)
    session = Session.objects.select_for_update().select_related("body").get(pk=session.pk)
    if session.state != SessionState.CONVENED:
        raise DomainError(
            _("Solo se agregan asuntos a una sesión convocada que no ha empezado; la sesión %(n)s está %(state)s.")
            % {"n": session.number, "state": session.get_state_display().lower()}
        )
    subject_type = ContentType.objects.get_for_model(subject)
    if session.agenda_items.filter(subject_type=subject_type, subject_id=subject.pk).exists():
        raise DomainError(_("Este asunto ya está en el orden del día de la sesión %(n)s.") % {"n": session.number})
    item = agenda_item_add(
        actor=actor,
        session=session,
        entry=AgendaEntry(title=_("Aprobación: %(s)s") % {"s": subject}, subject=subject),
    )
    event_record(actor=actor, subject=session, action="agenda_subject_added", note=item.title)
    return item


@transaction.atomic
def session_close(*, actor: Actor, session: Session) -> Session:
    require_session_manager(actor, session.body)
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.state != SessionState.IN_PROGRESS:
        raise DomainError(_("Solo se puede concluir una sesión en curso."))
    if session.motions_open().exists():
        raise DomainError(_("Cierre primero las votaciones abiertas."))
    session.state = SessionState.CLOSED
    session.ended_at = timezone.now()
    with_reason(session, _("Conclusión de la sesión")).save()
    event_record(
        actor=actor,
        subject=session,
        action="session_closed",
        from_state=SessionState.IN_PROGRESS,
        to_state=SessionState.CLOSED,
    )
    return session


@transaction.atomic
def session_cancel(*, actor: Actor, session: Session, reason: str) -> Session:
    require_session_manager(actor, session.body)
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.state != SessionState.CONVENED:
        raise DomainError(_("Solo se puede cancelar una sesión que no ha empezado."))
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Escriba el motivo de la cancelación."))
    session.state = SessionState.CANCELLED
    session.sequence += 1
    with_reason(session, reason).save()
    event_record(
        actor=actor,
        subject=session,
        action="session_cancelled",
        from_state=SessionState.CONVENED,
        to_state=SessionState.CANCELLED,
        note=reason,
    )
    notices.session_send_notices(session=session, kind=NoticeKind.CANCELLATION)
    return session
