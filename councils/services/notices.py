"""Telling the members: the convocation and its changes (with the calendar invitation), the notice period, the
«acuse» of each message, the members' answers (asistiré / no asistiré), reminders, open votes and minutes to review.

Every notice goes through ``implan.notifications`` (inbox and, by the person's choice, e-mail through the mail task);
each convocation, change, cancellation and reminder sent to a recipient is a ``SessionNotice`` row, whose e-mail row
tells the secretary whether it was delivered.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from guardian.shortcuts import get_users_with_perms

from councils import opendata
from councils.models import (
    AttendanceReply,
    AttendanceStatus,
    Body,
    Minutes,
    Motion,
    NoticeKind,
    Person,
    ReplyAnswer,
    ReplyChannel,
    Session,
    SessionKind,
    SessionNotice,
    SessionState,
)
from councils.services.base import with_reason
from implan.errors import DomainError
from implan.events import event_record
from implan.formatting import account_name, long_datetime
from implan.notifications import Letter, absolute, in_portal_language, notify, register_kind

RSVP_SALT = "councils.rsvp"
REMINDER_BEFORE = datetime.timedelta(hours=24)

SESSION_CONVENED = "session_convened"
SESSION_CHANGED = "session_changed"
SESSION_CANCELLED = "session_cancelled"
SESSION_REMINDER = "session_reminder"
VOTE_OPENED = "vote_opened"
MINUTES_READY = "minutes_ready"

register_kind(SESSION_CONVENED, gettext_lazy("Convocatoria a una sesión"))
register_kind(SESSION_CHANGED, gettext_lazy("Cambio de fecha o lugar de una sesión"))
register_kind(SESSION_CANCELLED, gettext_lazy("Cancelación de una sesión"))
register_kind(SESSION_REMINDER, gettext_lazy("Recordatorio un día antes de una sesión"))
register_kind(VOTE_OPENED, gettext_lazy("Votación abierta en una sesión a la que asiste"))
register_kind(MINUTES_READY, gettext_lazy("Acta lista para revisión"))

NOTICE_KINDS = {
    NoticeKind.CONVOCATION: SESSION_CONVENED,
    NoticeKind.CHANGE: SESSION_CHANGED,
    NoticeKind.CANCELLATION: SESSION_CANCELLED,
    NoticeKind.REMINDER: SESSION_REMINDER,
}


# --- The notice period ------------------------------------------------------------------------------------------


class LateNotice(DomainError):
    """Convening within the body's notice period without saying why."""


def notice_period(body: Body, kind: str) -> datetime.timedelta:
    hours = body.notice_hours_extraordinary if kind == SessionKind.EXTRAORDINARY else body.notice_hours_ordinary
    return datetime.timedelta(hours=hours)


def late_notice_reason(*, body: Body, kind: str, scheduled_at: datetime.datetime, reason: str) -> str:
    """The reason to record: empty when the session is convened in time; LateNotice when it is late and none given."""
    period = notice_period(body, kind)
    if scheduled_at - timezone.now() >= period:
        return ""
    if not reason.strip():
        hours = int(period.total_seconds() // 3600)
        raise LateNotice(
            ngettext(
                "El plazo de %(body)s para convocar una sesión %(kind)s es de %(hours)s hora de anticipación y esta "
                "sesión queda dentro de ese plazo. Escriba el motivo de convocarla así; los integrantes lo verán.",
                "El plazo de %(body)s para convocar una sesión %(kind)s es de %(hours)s horas de anticipación y "
                "esta sesión queda dentro de ese plazo. Escriba el motivo de convocarla así; los integrantes lo "
                "verán.",
                hours,
            )
            % {"body": body, "kind": SessionKind(kind).label.lower(), "hours": hours}
        )
    return reason.strip()


# --- Who is told ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    person: Person | None
    user: Any
    address: str

    @property
    def is_member(self) -> bool:
        return self.person is not None


def session_recipients(session: Session) -> list[Recipient]:
    """The body's members on the session's date, then its secretaries who are not members; each with the address
    the notice goes to (the private contact's, else the account's; empty when there is none)."""
    from councils.services.sessions import session_members

    found: list[Recipient] = []
    users: set[int] = set()
    members = session_members(session).select_related("person__user", "person__contact").order_by("person__sort_name")
    for membership in members:
        person = membership.person
        contact = getattr(person, "contact", None)
        address = (contact.email if contact is not None else "") or (person.user.email if person.user else "")
        found.append(Recipient(person=person, user=person.user, address=address))
        if person.user_id:
            users.add(person.user_id)
    secretaries: Any = get_users_with_perms(
        session.body, only_with_perms_in=["manage_sessions"], with_group_users=False
    )
    for user in secretaries.filter(is_active=True).order_by("username"):
        if user.pk not in users:
            found.append(Recipient(person=None, user=user, address=user.email))
    return found


# --- Sending ----------------------------------------------------------------------------------------------------


@in_portal_language
def session_send_notices(*, session: Session, kind: str) -> int:
    """Tell every recipient about the session (``NoticeKind``); a notice row each. How many e-mails were queued.

    A session whose time has come is not announced: convening one already held records it after the fact (the
    demonstration's past sessions, a session registered late), and nobody can attend it any more.
    """
    session = Session.objects.select_related("body").get(pk=session.pk)
    if session.scheduled_at <= timezone.now():
        return 0
    items = list(session.agenda_items.order_by("order"))
    sent = 0
    for recipient in session_recipients(session):

        def compose(unsubscribe: str, recipient: Recipient = recipient) -> Letter:
            return _letter(session, items, kind, recipient, unsubscribe)

        delivery = notify(
            kind=NOTICE_KINDS[NoticeKind(kind)],
            title=_notice_title(session, kind),
            text=_notice_text(session, kind),
            url=reverse("councils:workspace_session", args=[session.pk]),
            user=recipient.user,
            address=recipient.address,
            letter=compose,
        )
        SessionNotice.objects.create(
            session=session,
            person=recipient.person,
            user=recipient.user,
            kind=kind,
            sequence=session.sequence,
            address=recipient.address,
            email=delivery.email,
        )
        sent += delivery.email is not None
    return sent


def _session_name(session: Session) -> str:
    return _("sesión %(kind)s %(number)s de %(body)s") % {
        "kind": session.get_kind_display().lower(),
        "number": session.number,
        "body": session.body.name,
    }


def _notice_title(session: Session, kind: str) -> str:
    name = _session_name(session)
    titles = {
        NoticeKind.CONVOCATION: _("Convocatoria: %(name)s"),
        NoticeKind.CHANGE: _("Cambio en la %(name)s"),
        NoticeKind.CANCELLATION: _("Cancelada: %(name)s"),
        NoticeKind.REMINDER: _("Recordatorio: %(name)s es mañana"),
    }
    return titles[NoticeKind(kind)] % {"name": name}


def _when(session: Session) -> str:
    """«martes 8 de diciembre de 2026, 17:00 h»: the weekday too, as a convocation names it."""
    with translation.override(settings.LANGUAGE_CODE):
        weekday = date_format(timezone.localtime(session.scheduled_at), "l").lower()
        return f"{weekday} {long_datetime(session.scheduled_at)}"


def _notice_text(session: Session, kind: str) -> str:
    return _("%(when)s · %(place)s") % {"when": _when(session), "place": session.place}


def rsvp_token(session: Session, person: Person) -> str:
    return signing.dumps({"s": session.pk, "p": person.pk}, salt=RSVP_SALT)


def rsvp_url(session: Session, person: Person, answer: str = "") -> str:
    url = absolute(reverse("councils:rsvp", args=[rsvp_token(session, person)]))
    return f"{url}?respuesta={answer}" if answer else url


def _letter(session: Session, items: list[Any], kind: str, recipient: Recipient, unsubscribe: str) -> Letter:
    member_page = absolute(reverse("councils:workspace_session", args=[session.pk]))
    person = recipient.person if kind in (NoticeKind.CONVOCATION, NoticeKind.CHANGE) else None
    context = {
        "session": session,
        "body": session.body,
        "kind": kind,
        "title": _notice_title(session, kind),
        "session_name": _session_name(session),
        "when": _when(session),
        "items": items,
        "session_url": member_page,
        # The meeting packet's short link: anyone for a public body's session, members after logging in otherwise.
        "packet_url": absolute(reverse("councils:packet_public", args=[session.pk])),
        "attend_url": rsvp_url(session, person, ReplyAnswer.ATTENDING) if person else "",
        "decline_url": rsvp_url(session, person, ReplyAnswer.NOT_ATTENDING) if person else "",
        "unsubscribe_url": unsubscribe,
        "INSTITUTE_NAME": settings.INSTITUTE_NAME,
        "INSTITUTE_SHORT_NAME": settings.INSTITUTE_SHORT_NAME,
    }
    attachments: tuple[Any, ...] = ()
    if kind != NoticeKind.REMINDER and recipient.address:
        method = "CANCEL" if kind == NoticeKind.CANCELLATION else "REQUEST"
        invitation = opendata.session_invitation(
            session,
            base_url=settings.PORTAL_URL,
            method=method,
            organizer=_sender_address(),
            attendee=recipient.address,
        )
        attachments = ((f"sesion-{session.body.slug}-{session.number}.ics", invitation, "text/calendar"),)
    return Letter(
        subject=f"{settings.INSTITUTE_SHORT_NAME}: {context['title']}",
        text=render_to_string("councils/emails/session_notice.txt", context),
        html=render_to_string("councils/emails/session_notice.html", context),
        attachments=attachments,
    )


def _sender_address() -> str:
    from email.utils import parseaddr

    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "no-responder@localhost"


# --- Answers (asistiré / no asistiré) ---------------------------------------------------------------------------


def rsvp_target(token: str) -> tuple[Session, Person]:
    """The session and member a signed link names; DomainError (in Spanish) when it was altered or has expired."""
    try:
        data = signing.loads(token, salt=RSVP_SALT)
        session = Session.objects.select_related("body").get(pk=data["s"])
        person = Person.objects.get(pk=data["p"])
    except (signing.BadSignature, KeyError, TypeError, Session.DoesNotExist, Person.DoesNotExist):
        raise DomainError(
            _("El enlace no es válido: puede estar incompleto o alterado. Copie el enlace completo del correo.")
        ) from None
    return session, person


def reply_refusal(session: Session) -> str | None:
    """Why a session no longer takes answers (the links expire with it), or None."""
    if session.state == SessionState.CANCELLED:
        return _("La sesión fue cancelada; ya no hace falta confirmar la asistencia.")
    if session.state != SessionState.CONVENED or session.scheduled_at <= timezone.now():
        return _("El enlace venció: la sesión ya empezó o concluyó y la asistencia la registra la secretaría.")
    return None


@transaction.atomic
def session_reply(*, session: Session, person: Person, answer: str, channel: str, actor: Any = None) -> AttendanceReply:
    """A member answers the convocation, from the e-mail's signed link (no account needed) or the portal."""
    session = Session.objects.select_for_update().select_related("body").get(pk=session.pk)
    if answer not in ReplyAnswer.values or channel not in ReplyChannel.values:
        raise DomainError(_("Elija «asistiré» o «no asistiré»."))
    refusal = reply_refusal(session)
    if refusal:
        raise DomainError(refusal)
    from councils.services.sessions import session_members

    if not session_members(session).filter(person=person).exists():
        raise DomainError(_("Solo los integrantes del órgano confirman su asistencia."))
    reply = AttendanceReply.objects.select_for_update().filter(session=session, person=person).first()
    previous = reply.answer if reply else ""
    if reply is None:
        reply = AttendanceReply(session=session, person=person, answer=answer, channel=channel)
    elif reply.answer == answer:
        return reply
    reply.answer, reply.channel, reply.answered_at = answer, channel, timezone.now()
    if actor is not None and getattr(actor, "is_authenticated", False):
        reply._history_user = actor  # type: ignore[attr-defined]  # read by django-simple-history
    with_reason(reply, _("Confirmación de asistencia")).save()
    event_record(
        actor=actor,
        subject=session,
        action="session_reply",
        from_state=previous,
        to_state=answer,
        note=person.name,
        data={"person": person.pk, "channel": channel},
    )
    return reply


# --- Reminders, open votes, minutes -----------------------------------------------------------------------------


def session_reminders_send() -> int:
    """Remind the members of each convened session starting within 24 hours; how many sessions were reminded.

    Safe to run twice (the periodic timer, two machines): each session is claimed with a conditional UPDATE first.
    """
    now = timezone.now()
    due = Session.objects.filter(
        state=SessionState.CONVENED,
        scheduled_at__gt=now,
        scheduled_at__lte=now + REMINDER_BEFORE,
        reminder_sent_at__isnull=True,
    ).values_list("pk", flat=True)
    reminded = 0
    for pk in list(due):
        with transaction.atomic():
            if Session.objects.filter(pk=pk, reminder_sent_at__isnull=True).update(reminder_sent_at=now):
                session_send_notices(session=Session(pk=pk), kind=NoticeKind.REMINDER)
                reminded += 1
    return reminded


@in_portal_language
def notify_vote_opened(motion: Motion) -> None:
    """Tell the members present (those who may vote) that the vote is open, with a link to the session."""
    session = motion.agenda_item.session
    present = session.attendances.filter(status=AttendanceStatus.PRESENT, membership__has_vote=True)
    for attendance in present.select_related("membership__person__user"):
        user = attendance.membership.person.user
        if user is None:
            continue
        notify(
            kind=VOTE_OPENED,
            title=_("Votación abierta: %(item)s") % {"item": motion.agenda_item.title},
            text=_session_name(session),
            url=reverse("councils:workspace_session", args=[session.pk]),
            user=user,
        )


@in_portal_language
def notify_minutes_ready(minutes: Minutes) -> None:
    """Tell the members who attended the session that its draft minutes can be reviewed before the vote."""
    session = minutes.session
    attended = session.attendances.filter(status=AttendanceStatus.PRESENT).select_related("membership__person__user")
    for attendance in attended:
        user = attendance.membership.person.user
        if user is None:
            continue
        notify(
            kind=MINUTES_READY,
            title=_("Acta para revisión: %(name)s") % {"name": _session_name(session)},
            text=_("El borrador del acta está listo; se aprobará por votación en una sesión posterior."),
            url=reverse("councils:workspace_session", args=[session.pk]),
            user=user,
        )


# --- What the secretary reads -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Receipt:
    """The latest notice to one recipient and how its e-mail went."""

    name: str
    notice: SessionNotice
    reply: AttendanceReply | None


def session_receipts(session: Session, replies: Iterable[AttendanceReply] | None = None) -> Iterator[Receipt]:
    """The acuse: per recipient, the latest notice (its e-mail's state and server answer) and their answer.
    ``replies``: the session's answers, when the caller has read them already."""
    latest: dict[tuple[int | None, int | None], SessionNotice] = {}
    notices = (
        SessionNotice.objects.filter(session=session)
        .exclude(kind=NoticeKind.REMINDER)
        .select_related("person", "user", "email")
        .order_by("created_at", "pk")
    )
    for notice in notices:
        latest[(notice.person_id, notice.user_id)] = notice
    by_person = {r.person_id: r for r in (session.replies.all() if replies is None else replies)}
    for notice in latest.values():
        name = notice.person.name if notice.person else account_name(notice.user)
        reply = by_person.get(notice.person_id) if notice.person_id is not None else None
        yield Receipt(name=name, notice=notice, reply=reply)
