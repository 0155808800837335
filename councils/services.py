"""Every write of the councils app: memberships, renewals, sessions, attendance, votes, resolutions, minutes.

Each service takes the acting user explicitly, runs in a transaction, locks the row it changes, checks the rule
it enforces (raising ``DomainError`` with a Spanish message, or ``PermissionDenied``), writes history with a
reason and an event row.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from councils import approvals
from councils.models import (
    AgendaItem,
    AgendaItemKind,
    Attendance,
    AttendanceStatus,
    Body,
    BodyTerm,
    Membership,
    MembershipRole,
    Minutes,
    MinutesState,
    Motion,
    MotionResult,
    MotionState,
    Person,
    Resolution,
    Sector,
    Session,
    SessionKind,
    SessionState,
    Vote,
    VoteOption,
)
from implan.errors import DomainError
from implan.events import event_record
from implan.hashing import content_hash
from implan.permissions import objects_for

User = AbstractBaseUser

# --- Permissions ---------------------------------------------------------------------------------------------


def can_manage_sessions(user: User, body: Body) -> bool:
    return user.is_active and user.has_perm("councils.manage_sessions", body)


def can_manage_memberships(user: User, body: Body) -> bool:
    return user.is_active and user.has_perm("councils.manage_memberships", body)


def _require_sessions(actor: User, body: Body) -> None:
    if not can_manage_sessions(actor, body):
        raise PermissionDenied(_("Solo la secretaría técnica de este órgano puede hacerlo."))


def _require_memberships(actor: User, body: Body) -> None:
    if not can_manage_memberships(actor, body):
        raise PermissionDenied(_("No tiene permiso para administrar las membresías de este órgano."))


def _with_reason(obj: Any, reason: str) -> Any:
    obj._change_reason = reason  # read by django-simple-history when the row is saved
    return obj


# --- People --------------------------------------------------------------------------------------------------

# How many times a new person's slug is tried again when a concurrent insert takes it first.
SLUG_ATTEMPTS = 5


def _free_slug(name: str) -> str:
    base = slugify(name)[:100] or "persona"
    slug, n = base, 1
    while Person.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def person_create(*, actor: User, name: str) -> Person:
    """Register a person typed in by a membership manager; the slug is the first free one for the name.

    Two managers adding namesakes at once may both see the same slug free: the loser's insert fails on the unique
    index inside a savepoint and the next free slug is tried, instead of answering with an error.
    """
    if not actor.is_active or not objects_for(actor, "councils.manage_memberships", Body.objects.all()).exists():
        raise PermissionDenied(_("No tiene permiso para registrar personas en los órganos."))
    name = name.strip()
    if not name:
        raise DomainError(_("Escriba el nombre de la persona."))
    limit = Person._meta.get_field("name").max_length
    if len(name) > limit:
        raise DomainError(_("El nombre «%(name)s…» es demasiado largo: el máximo es de %(n)s caracteres.")
                          % {"name": name[:40], "n": limit})
    for _attempt in range(SLUG_ATTEMPTS):
        person = _with_reason(Person(name=name, sort_name=name, slug=_free_slug(name)), _("Alta de persona"))
        try:
            with transaction.atomic():
                person.save()
        except IntegrityError:
            continue
        event_record(actor=actor, subject=person, action="person_created", note=name)
        return person
    raise DomainError(_("No se pudo registrar a %(name)s; intente de nuevo.") % {"name": name})


# --- Memberships ---------------------------------------------------------------------------------------------


def seats_used(*, body: Body, on: datetime.date) -> int:
    return body.memberships.active_on(on).voting().count()


@transaction.atomic
def membership_add(
    *,
    actor: User,
    body: Body,
    person: Person,
    role: str,
    sector: str,
    start_date: datetime.date,
    has_vote: bool = True,
    term: BodyTerm | None = None,
    on_behalf_of: Any = None,
) -> Membership:
    """Seat ``person`` on ``body`` from ``start_date``, within the body's seat limit."""
    _require_memberships(actor, body)
    body = Body.objects.select_for_update().get(pk=body.pk)
    if body.memberships.filter(person=person, end_date__isnull=True).exists():
        raise DomainError(_("%(person)s ya es integrante de %(body)s.") % {"person": person, "body": body})
    if has_vote and body.seat_limit is not None and seats_used(body=body, on=start_date) >= body.seat_limit:
        raise DomainError(
            ngettext("%(body)s ya tiene ocupado su %(limit)s asiento.",
                     "%(body)s ya tiene ocupados sus %(limit)s asientos.", body.seat_limit)
            % {"body": body, "limit": body.seat_limit}
        )
    membership = _with_reason(
        Membership(person=person, body=body, role=role, sector=sector, has_vote=has_vote, start_date=start_date,
                   term=term, on_behalf_of=on_behalf_of),
        _("Alta de integrante"),
    )
    membership.save()
    event_record(actor=actor, subject=membership, action="membership_added", to_state=role)
    return membership


@transaction.atomic
def membership_end(*, actor: User, membership: Membership, end_date: datetime.date, reason: str) -> Membership:
    """Close a membership; the person stays in the body's record as a past member."""
    _require_memberships(actor, membership.body)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.end_date is not None:
        raise DomainError(_("Esta membresía ya terminó."))
    if end_date < membership.start_date:
        raise DomainError(_("La fecha de término no puede ser anterior a la de inicio."))
    membership.end_date = end_date
    membership.end_reason = reason
    _with_reason(membership, reason or _("Baja de integrante")).save()
    event_record(actor=actor, subject=membership, action="membership_ended", note=reason)
    return membership


@transaction.atomic
def membership_change(
    *, actor: User, membership: Membership, role: str, sector: str, has_vote: bool, on: datetime.date
) -> Membership:
    """Change role or sector from ``on``: the old membership ends the day before, a new one starts."""
    _require_memberships(actor, membership.body)
    if on <= membership.start_date:
        raise DomainError(_("El cambio debe empezar después del inicio de la membresía actual."))
    membership_end(actor=actor, membership=membership, end_date=on - datetime.timedelta(days=1),
                   reason=_("Cambio de cargo"))
    return membership_add(actor=actor, body=membership.body, person=membership.person, role=role, sector=sector,
                          has_vote=has_vote, start_date=on, term=membership.term)


# --- Terms and renewal ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Joiner:
    person: Person
    role: str = MembershipRole.COUNCILLOR
    sector: str = Sector.CITIZEN


@transaction.atomic
def body_renew(
    *,
    actor: User,
    body: Body,
    name: str,
    start_date: datetime.date,
    end_date: datetime.date,
    continuing: Sequence[Membership],
    joining: Sequence[Joiner],
) -> BodyTerm:
    """Open a new term: pick which outgoing citizen members continue and who joins.

    Refused (nothing saved) when fewer than the body's minimum share of outgoing citizen members continue, or when
    the new term would exceed the seat limit.
    """
    _require_memberships(actor, body)
    body = Body.objects.select_for_update().get(pk=body.pk)
    if end_date <= start_date:
        raise DomainError(_("El periodo debe terminar después de empezar."))
    eve = start_date - datetime.timedelta(days=1)
    outgoing = list(body.memberships.active_on(eve).citizens().select_related("person"))
    outgoing_ids = {m.pk for m in outgoing}
    continuing_ids = {m.pk for m in continuing}
    if not continuing_ids <= outgoing_ids:
        raise DomainError(_("Solo pueden continuar integrantes ciudadanos del periodo que termina."))
    _check_continuity(body, kept=len(continuing_ids), outgoing=len(outgoing))
    joining_people = [j.person.pk for j in joining]
    continuing_people = {m.person_id for m in outgoing if m.pk in continuing_ids}
    if len(set(joining_people)) != len(joining_people) or continuing_people & set(joining_people):
        raise DomainError(_("Una persona aparece dos veces en la renovación."))
    other_voting = body.memberships.active_on(start_date).voting().exclude(pk__in=outgoing_ids).count()
    new_total = len(continuing_ids) + len(joining) + other_voting
    if body.seat_limit is not None and new_total > body.seat_limit:
        raise DomainError(
            ngettext("La renovación ocuparía %(total)s asiento y el órgano tiene %(limit)s.",
                     "La renovación ocuparía %(total)s asientos y el órgano tiene %(limit)s.", new_total)
            % {"total": new_total, "limit": body.seat_limit}
        )
    term = _with_reason(BodyTerm(body=body, name=name, start_date=start_date, end_date=end_date),
                        _("Renovación del órgano"))
    term.save()
    for membership in outgoing:
        membership.end_date = eve
        membership.end_reason = _("Fin del periodo")
        _with_reason(membership, _("Renovación del órgano")).save()
    for membership in outgoing:
        if membership.pk in continuing_ids:
            _with_reason(Membership(person=membership.person, body=body, term=term, role=membership.role,
                                    sector=membership.sector, has_vote=membership.has_vote, start_date=start_date),
                         _("Continúa en la renovación")).save()
    for joiner in joining:
        _with_reason(Membership(person=joiner.person, body=body, term=term, role=joiner.role, sector=joiner.sector,
                                start_date=start_date), _("Se integra en la renovación")).save()
    event_record(actor=actor, subject=term, action="body_renewed",
                 data={"continuing": len(continuing_ids), "outgoing": len(outgoing), "joining": len(joining)})
    return term


def _percent(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _check_continuity(body: Body, *, kept: int, outgoing: int) -> None:
    minimum = body.renewal_min_continuity_percent
    if minimum is None or outgoing == 0:
        return
    if Decimal(kept) * 100 < minimum * outgoing:
        raise DomainError(
            ngettext("Deben continuar al menos el %(min)s%% de %(outgoing)s integrante ciudadano saliente; "
                     "continúan %(kept)s.",
                     "Deben continuar al menos el %(min)s%% de los %(outgoing)s integrantes ciudadanos salientes; "
                     "continúan %(kept)s.", outgoing) % {"min": _percent(minimum), "outgoing": outgoing, "kept": kept}
        )


# --- Sessions, attendance and quorum -------------------------------------------------------------------------


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
    actor: User,
    body: Body,
    scheduled_at: datetime.datetime,
    place: str,
    agenda: Sequence[AgendaEntry],
    kind: str = SessionKind.ORDINARY,
) -> Session:
    """Convene a session with its agenda in order; its number is the body's next."""
    _require_sessions(actor, body)
    body = Body.objects.select_for_update().get(pk=body.pk)
    if not agenda:
        raise DomainError(_("El orden del día necesita al menos un punto."))
    number = (body.sessions.aggregate(last=Max("number"))["last"] or 0) + 1
    session = _with_reason(Session(body=body, number=number, kind=kind, scheduled_at=scheduled_at, place=place,
                                   convened_by=actor), _("Convocatoria"))
    session.save()
    for order, entry in enumerate(agenda, start=1):
        agenda_item_add(actor=actor, session=session, entry=entry, order=order)
    event_record(actor=actor, subject=session, action="session_convened", to_state=SessionState.CONVENED)
    return session


def agenda_item_add(*, actor: User, session: Session, entry: AgendaEntry, order: int | None = None) -> AgendaItem:
    """Add a point to a convened session's agenda; a subject must be awaiting this body's vote."""
    session = Session.objects.select_related("body").get(pk=session.pk)
    _require_sessions(actor, session.body)
    if session.state not in (SessionState.CONVENED, SessionState.IN_PROGRESS):
        raise DomainError(_("La sesión ya concluyó; su orden del día no cambia."))
    item = AgendaItem(session=session, title=entry.title, description=entry.description, kind=entry.kind,
                      requires_qualified_majority=entry.requires_qualified_majority,
                      order=order or (session.agenda_items.aggregate(last=Max("order"))["last"] or 0) + 1)
    if entry.subject is not None:
        _check_subject_for(session.body, entry.subject)
        item.kind = AgendaItemKind.DECISION
        item.subject_type = ContentType.objects.get_for_model(entry.subject)
        item.subject_id = entry.subject.pk
    _with_reason(item, _("Orden del día")).save()
    return item


def _check_subject_for(body: Body, subject: Any) -> None:
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
    voting = session_voting_members(session)
    total = voting.count()
    present = session.attendances.filter(status=AttendanceStatus.PRESENT, membership__in=voting).count()
    percent = session.body.quorum_percent
    required = int(total * percent / 100) + 1 if total else 1
    return Quorum(voting_members=total, present=present, required=required, reached=present >= required)


@transaction.atomic
def session_record_attendance(*, actor: User, session: Session, statuses: dict[int, str]) -> Quorum:
    """Record who attended (membership id → status); the session is under way from then on."""
    _require_sessions(actor, session.body)
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.state not in (SessionState.CONVENED, SessionState.IN_PROGRESS):
        raise DomainError(_("La asistencia solo se registra en sesiones convocadas o en curso."))
    if session.motions_open().exists():
        raise DomainError(_("No se puede cambiar la asistencia mientras hay una votación abierta."))
    members = {m.pk: m for m in session.body.memberships.active_on(timezone.localdate(session.scheduled_at))}
    unknown = set(statuses) - set(members)
    if unknown:
        raise DomainError(_("Solo se registra la asistencia de integrantes del órgano en la fecha de la sesión."))
    if any(status not in AttendanceStatus.values for status in statuses.values()):
        raise DomainError(_("Estado de asistencia no válido."))
    for membership_id, status in statuses.items():
        attendance, created = Attendance.objects.get_or_create(
            session=session, membership=members[membership_id], defaults={"status": status, "recorded_by": actor}
        )
        if not created and attendance.status != status:
            attendance.status = status
            attendance.recorded_by = actor
            _with_reason(attendance, _("Corrección de asistencia")).save()
    if session.state == SessionState.CONVENED:
        session.state = SessionState.IN_PROGRESS
        session.started_at = timezone.now()
        _with_reason(session, _("Inicio de la sesión")).save()
        event_record(actor=actor, subject=session, action="session_started", from_state=SessionState.CONVENED,
                     to_state=SessionState.IN_PROGRESS)
    return session_quorum(session)


@transaction.atomic
def session_close(*, actor: User, session: Session) -> Session:
    _require_sessions(actor, session.body)
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.state != SessionState.IN_PROGRESS:
        raise DomainError(_("Solo se puede concluir una sesión en curso."))
    if session.motions_open().exists():
        raise DomainError(_("Cierre primero las votaciones abiertas."))
    session.state = SessionState.CLOSED
    session.ended_at = timezone.now()
    _with_reason(session, _("Conclusión de la sesión")).save()
    event_record(actor=actor, subject=session, action="session_closed", from_state=SessionState.IN_PROGRESS,
                 to_state=SessionState.CLOSED)
    return session


@transaction.atomic
def session_cancel(*, actor: User, session: Session, reason: str) -> Session:
    _require_sessions(actor, session.body)
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.state != SessionState.CONVENED:
        raise DomainError(_("Solo se puede cancelar una sesión que no ha empezado."))
    session.state = SessionState.CANCELLED
    _with_reason(session, reason).save()
    event_record(actor=actor, subject=session, action="session_cancelled", from_state=SessionState.CONVENED,
                 to_state=SessionState.CANCELLED, note=reason)
    return session


# --- Motions and votes ---------------------------------------------------------------------------------------


@transaction.atomic
def motion_open(*, actor: User, item: AgendaItem, text: str) -> Motion:
    """Open the vote on an agenda item; refused without quorum."""
    session = Session.objects.select_for_update().get(pk=item.session_id)
    _require_sessions(actor, session.body)
    if session.state != SessionState.IN_PROGRESS:
        raise DomainError(_("Solo se vota en una sesión en curso (registre primero la asistencia)."))
    if item.kind != AgendaItemKind.DECISION:
        raise DomainError(_("Este punto es informativo; no se somete a votación."))
    if session.motions_open().exists():
        raise DomainError(_("Ya hay una votación abierta en esta sesión."))
    if item.motions.filter(result=MotionResult.PASSED).exists():
        raise DomainError(_("Este punto ya fue aprobado."))
    if item.subject_type_id is not None:
        # The subject may have moved since the agenda was set (withdrawn, edited and resubmitted, so it now awaits
        # an earlier body): it is put to this body's vote only if it still awaits this body.
        _check_subject_for(session.body, item.subject_type.get_object_for_this_type(pk=item.subject_id))
    quorum = session_quorum(session)
    if not quorum.reached:
        raise DomainError(
            ngettext("No hay quórum: está presente %(present)s de %(total)s integrantes con voto y se requieren "
                     "%(required)s.",
                     "No hay quórum: están presentes %(present)s de %(total)s integrantes con voto y se requieren "
                     "%(required)s.", quorum.present) % {"present": quorum.present, "total": quorum.voting_members,
                                                         "required": quorum.required}
        )
    body = session.body
    qualified = item.requires_qualified_majority
    motion = _with_reason(
        Motion(agenda_item=item, text=text.strip() or item.title, state=MotionState.OPEN, opened_at=timezone.now(),
               qualified=qualified, present_voting_members=quorum.present,
               required_percent=body.qualified_majority_percent if qualified else body.majority_percent),
        _("Apertura de la votación"),
    )
    motion.save()
    event_record(actor=actor, subject=motion, action="motion_opened", to_state=MotionState.OPEN)
    return motion


def voter_membership(*, motion: Motion, user: User) -> Membership:
    """The seat from which ``user`` may vote on ``motion``, or DomainError saying why they may not."""
    person = Person.objects.filter(user=user).first() if user.is_authenticated else None
    if person is None:
        raise DomainError(_("Su cuenta no corresponde a ningún integrante de este órgano."))
    session = motion.agenda_item.session
    membership = (
        session_voting_members(session).filter(person=person).first()
    )
    if membership is None:
        raise DomainError(_("Solo votan los integrantes con voto de este órgano."))
    present = session.attendances.filter(membership=membership, status=AttendanceStatus.PRESENT).exists()
    if not present:
        raise DomainError(_("Solo votan los integrantes presentes en la sesión."))
    return membership


@transaction.atomic
def vote_cast(*, actor: User, motion: Motion, option: str) -> Vote:
    """Cast or change the actor's own vote while the motion is open. One vote per member, always."""
    if option not in VoteOption.values:
        raise DomainError(_("Sentido del voto no válido."))
    # Locking the motion serialises every vote on it, so concurrent submissions cannot both insert.
    motion = Motion.objects.select_for_update().select_related("agenda_item__session__body").get(pk=motion.pk)
    if motion.state != MotionState.OPEN:
        raise DomainError(_("La votación no está abierta."))
    if motion.agenda_item.session.state != SessionState.IN_PROGRESS:
        raise DomainError(_("La sesión ya concluyó."))
    membership = voter_membership(motion=motion, user=actor)
    vote = Vote.objects.filter(motion=motion, voter=membership.person).first()
    if vote is None:
        vote = Vote(motion=motion, voter=membership.person, membership=membership, option=option)
        _with_reason(vote, _("Voto emitido")).save()
        event_record(actor=actor, subject=motion, action="vote_cast", to_state=option)
    elif vote.option != option:
        previous = vote.option
        vote.option = option
        vote.cast_at = timezone.now()
        _with_reason(vote, _("Voto cambiado")).save()
        event_record(actor=actor, subject=motion, action="vote_changed", from_state=previous, to_state=option)
    return vote


@dataclass(frozen=True)
class Tally:
    votes_for: int
    votes_against: int
    abstentions: int

    @property
    def cast(self) -> int:
        return self.votes_for + self.votes_against + self.abstentions


def tally_result(tally: Tally, *, required_percent: Decimal, qualified: bool) -> str:
    """Simple majority: votes for above the percentage of votes cast; qualified: at least the percentage."""
    if tally.cast == 0:
        return MotionResult.FAILED
    share = Decimal(tally.votes_for) * 100
    threshold = required_percent * tally.cast
    passed = share >= threshold if qualified else share > threshold
    return MotionResult.PASSED if passed else MotionResult.FAILED


def motion_tally(motion: Motion) -> Tally:
    options = list(motion.votes.values_list("option", flat=True))
    return Tally(votes_for=options.count(VoteOption.YES), votes_against=options.count(VoteOption.NO),
                 abstentions=options.count(VoteOption.ABSTAIN))


@transaction.atomic
def motion_close(*, actor: User, motion: Motion) -> Resolution:
    """Close the vote, record the count and the result as a numbered resolution, and tell the subject's owner."""
    motion = Motion.objects.select_for_update().select_related("agenda_item__session__body").get(pk=motion.pk)
    session = motion.agenda_item.session
    _require_sessions(actor, session.body)
    if motion.state != MotionState.OPEN:
        raise DomainError(_("La votación no está abierta."))
    tally = motion_tally(motion)
    motion.votes_for, motion.votes_against, motion.abstentions = (tally.votes_for, tally.votes_against,
                                                                  tally.abstentions)
    motion.result = tally_result(tally, required_percent=motion.required_percent or Decimal("50"),
                                 qualified=motion.qualified)
    motion.state = MotionState.CLOSED
    motion.closed_at = timezone.now()
    _with_reason(motion, _("Cierre de la votación")).save()
    event_record(actor=actor, subject=motion, action="motion_closed", from_state=MotionState.OPEN,
                 to_state=motion.result, data={"for": tally.votes_for, "against": tally.votes_against,
                                               "abstentions": tally.abstentions})
    resolution = resolution_record(actor=actor, motion=motion)
    _notify_subject_owner(motion=motion, resolution=resolution, actor=actor)
    return resolution


def resolution_record(*, actor: User, motion: Motion) -> Resolution:
    session = motion.agenda_item.session
    body = Body.objects.select_for_update().get(pk=session.body_id)
    year = timezone.localdate(session.scheduled_at).year
    number = (body.resolutions.filter(year=year).aggregate(last=Max("number"))["last"] or 0) + 1
    verdict = _("Se aprueba") if motion.result == MotionResult.PASSED else _("No se aprueba")
    text = _("%(verdict)s: %(text)s (a favor %(yes)s, en contra %(no)s, abstenciones %(abstain)s).") % {
        "verdict": verdict, "text": motion.text, "yes": motion.votes_for, "no": motion.votes_against,
        "abstain": motion.abstentions}
    # A resolution is dated by its session (the record of a past session keeps that session's date).
    resolution = Resolution(body=body, year=year, number=number, session=session, motion=motion, text=text,
                            adopted_on=timezone.localdate(session.scheduled_at))
    resolution.content_hash = content_hash(resolution.hashed_content())
    _with_reason(resolution, _("Acuerdo registrado")).save()
    event_record(actor=actor, subject=resolution, action="resolution_recorded", to_state=motion.result)
    return resolution


def _notify_subject_owner(*, motion: Motion, resolution: Resolution, actor: User) -> None:
    item = motion.agenda_item
    if item.subject_type_id is None:
        return
    subject = item.subject_type.get_object_for_this_type(pk=item.subject_id)
    rule = approvals.rule_for(subject)
    if rule is None:
        return
    if motion.result == MotionResult.FAILED:
        rule.on_rejected(subject, resolution, actor)
    elif approvals.next_body(subject) is None:
        rule.on_approved(subject, resolution, actor)


# --- Minutes -------------------------------------------------------------------------------------------------


@transaction.atomic
def minutes_draft(*, actor: User, session: Session, text: str) -> Minutes:
    """Write or rewrite the acta of a concluded session while it is a draft."""
    session = Session.objects.select_related("body").get(pk=session.pk)
    _require_sessions(actor, session.body)
    if session.state != SessionState.CLOSED:
        raise DomainError(_("El acta se redacta cuando la sesión ha concluido."))
    if not text.strip():
        raise DomainError(_("El acta no puede estar vacía."))
    minutes = Minutes.objects.select_for_update().filter(session=session).first()
    if minutes is None:
        minutes = Minutes(session=session, text=text)
        _with_reason(minutes, _("Borrador del acta")).save()
        event_record(actor=actor, subject=minutes, action="minutes_drafted", to_state=MinutesState.DRAFT)
        return minutes
    if minutes.state != MinutesState.DRAFT:
        raise DomainError(_("El acta ya fue aprobada y no se puede modificar; las correcciones se hacen con un "
                            "nuevo acuerdo."))
    minutes.text = text
    _with_reason(minutes, _("Corrección del borrador del acta")).save()
    return minutes


def minutes_mark_approved(minutes: Minutes, resolution: Resolution, actor: User) -> None:
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    minutes.state = MinutesState.APPROVED
    minutes.approved_in = resolution.session
    minutes.content_hash = content_hash(minutes.hashed_content())
    _with_reason(minutes, _("Acta aprobada")).save()
    event_record(actor=actor, subject=minutes, action="minutes_approved", from_state=MinutesState.DRAFT,
                 to_state=MinutesState.APPROVED, data={"resolution": resolution.pk})


def minutes_mark_rejected(minutes: Minutes, resolution: Resolution, actor: User) -> None:
    event_record(actor=actor, subject=minutes, action="minutes_rejected", note=resolution.text,
                 data={"resolution": resolution.pk})


@transaction.atomic
def minutes_publish(*, actor: User, minutes: Minutes) -> Minutes:
    _require_sessions(actor, minutes.session.body)
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if minutes.state != MinutesState.APPROVED:
        raise DomainError(_("Solo se publica un acta aprobada."))
    minutes.state = MinutesState.PUBLISHED
    minutes.published_at = timezone.now()
    _with_reason(minutes, _("Acta publicada")).save()
    event_record(actor=actor, subject=minutes, action="minutes_published", from_state=MinutesState.APPROVED,
                 to_state=MinutesState.PUBLISHED)
    return minutes


def _minutes_refusal(minutes: Minutes) -> str | None:
    if minutes.state != MinutesState.DRAFT:
        return _("El acta ya fue aprobada.")
    return None


def register_approvals() -> None:
    """Minutes are approved by their own body in a later session (called from the app config)."""
    approvals.register(
        Minutes,
        approving_bodies=lambda minutes: [minutes.session.body],
        on_approved=minutes_mark_approved,
        on_rejected=minutes_mark_rejected,
        can_be_put_to_vote=_minutes_refusal,
        pending=lambda: Minutes.objects.filter(state=MinutesState.DRAFT).select_related("session__body"),
    )


def open_votes_for(user: User) -> Iterable[Motion]:
    """Open motions in sessions where ``user`` sits with a vote (for the workspace)."""
    return Motion.objects.filter(
        state=MotionState.OPEN,
        agenda_item__session__body__memberships__person__user=user,
        agenda_item__session__body__memberships__end_date__isnull=True,
    ).select_related("agenda_item__session__body").distinct()
