"""Every write of the councils app: memberships, renewals, sessions, attendance, votes, resolutions, minutes.

Each service takes the acting user explicitly, runs in a transaction, locks the row it changes, checks the rule
it enforces (raising ``DomainError`` with a Spanish message, or ``PermissionDenied``), writes history with a
reason and an event row.
"""

from __future__ import annotations

import datetime
import functools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, replace
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from guardian.shortcuts import assign_perm, get_user_perms, remove_perm

from councils import approvals, selectors
from councils.models import (
    AgendaItem,
    AgendaItemKind,
    Attendance,
    AttendanceStatus,
    Body,
    BodyTerm,
    MajorityBase,
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
from implan import roles
from implan.concurrency import check_snapshot, check_unchanged
from implan.errors import DomainError
from implan.events import event_record, events_for
from implan.formatting import account_name, long_date
from implan.hashing import content_hash
from implan.limits import require_text_limits, text_limit
from implan.permissions import has_role, is_administrator, objects_for
from implan.slugs import unique_slug
from implan.types import Actor

# What a person edits on each record: the fields compared to detect a concurrent save (implan.concurrency).
MEMBERSHIP_FIELDS = ("role", "sector", "has_vote", "start_date", "end_date")
MINUTES_FIELDS = ("text",)
VOTING_RULES_FIELDS = ("majority_base", "majority_percent", "qualified_majority_base", "qualified_majority_percent")

# --- Permissions ---------------------------------------------------------------------------------------------


def can_manage_sessions(user: Actor, body: Body) -> bool:
    return user.is_active and user.has_perm("councils.manage_sessions", body)


def can_manage_memberships(user: Actor, body: Body) -> bool:
    return user.is_active and user.has_perm("councils.manage_memberships", body)


def _require_sessions(actor: Actor, body: Body) -> None:
    if not can_manage_sessions(actor, body):
        raise PermissionDenied(_("Solo la secretaría técnica de este órgano puede hacerlo."))


def _require_memberships(actor: Actor, body: Body) -> None:
    if not can_manage_memberships(actor, body):
        raise PermissionDenied(_("No tiene permiso para administrar las membresías de este órgano."))


def _with_reason(obj: Any, reason: str) -> Any:
    """The object, refused if a text is over its maximum, with the reason django-simple-history records."""
    obj._change_reason = reason  # read by django-simple-history when the row is saved
    require_text_limits(obj)
    return obj


# --- People --------------------------------------------------------------------------------------------------

# How many times a new person's slug is tried again when a concurrent insert takes it first.
SLUG_ATTEMPTS = 5


@transaction.atomic
def person_create(*, actor: Actor, name: str) -> Person:
    """Register a person typed in by a membership manager; the slug is the first free one for the name.

    Two managers adding namesakes at once may both see the same slug free: the loser's insert fails on the unique
    index inside a savepoint and the next free slug is tried, instead of answering with an error.
    """
    if not actor.is_active or not objects_for(actor, "councils.manage_memberships", Body.objects.all()).exists():
        raise PermissionDenied(_("No tiene permiso para registrar personas en los órganos."))
    name = name.strip()
    if not name:
        raise DomainError(_("Escriba el nombre de la persona."))
    limit = text_limit(Person, "name")
    if len(name) > limit:
        raise DomainError(
            _("El nombre «%(name)s…» es demasiado largo: el máximo es de %(n)s caracteres.")
            % {"name": name[:40], "n": limit}
        )
    for _attempt in range(SLUG_ATTEMPTS):
        slug = unique_slug(Person.objects.all(), name, fallback="persona")
        person = _with_reason(Person(name=name, sort_name=name, slug=slug), _("Alta de persona"))
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


def check_seat_limit(*, body: Body, seat_limit: int | None) -> None:
    """Refuse a seat limit below the voting seats the body already has taken, today or on any seat scheduled to
    start later (a renewal recorded in advance): the public page would read «27 de 20»."""
    if seat_limit is None or body.pk is None:
        return
    today = timezone.localdate()
    days = {today, *body.memberships.filter(start_date__gt=today).values_list("start_date", flat=True)}
    taken = max(seats_used(body=body, on=day) for day in days)
    if taken > seat_limit:
        raise DomainError(
            ngettext(
                "%(body)s tiene %(n)s asiento con voto ocupado; el número de asientos no puede ser menor.",
                "%(body)s tiene %(n)s asientos con voto ocupados; el número de asientos no puede ser menor.",
                taken,
            )
            % {"body": body, "n": taken}
        )


@transaction.atomic
def membership_add(
    *,
    actor: Actor,
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
            ngettext(
                "%(body)s ya tiene ocupado su %(limit)s asiento.",
                "%(body)s ya tiene ocupados sus %(limit)s asientos.",
                body.seat_limit,
            )
            % {"body": body, "limit": body.seat_limit}
        )
    membership = _with_reason(
        Membership(
            person=person,
            body=body,
            role=role,
            sector=sector,
            has_vote=has_vote,
            start_date=start_date,
            term=term,
            on_behalf_of=on_behalf_of,
        ),
        _("Alta de integrante"),
    )
    membership.save()
    event_record(actor=actor, subject=membership, action="membership_added", to_state=role)
    return membership


@transaction.atomic
def membership_end(
    *, actor: Actor, membership: Membership, end_date: datetime.date, reason: str, seen: dict[str, str] | None = None
) -> Membership:
    """Close a membership; the person stays in the body's record as a past member.

    ``seen`` is the membership as the manager's form showed it: ``EditConflict`` when someone changed it since.
    """
    _require_memberships(actor, membership.body)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    check_unchanged(membership, MEMBERSHIP_FIELDS, seen)
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
    *,
    actor: Actor,
    membership: Membership,
    role: str,
    sector: str,
    has_vote: bool,
    on: datetime.date,
    seen: dict[str, str] | None = None,
) -> Membership:
    """Change role or sector from ``on``: the old membership ends the day before, a new one starts."""
    _require_memberships(actor, membership.body)
    if on <= membership.start_date:
        raise DomainError(_("El cambio debe empezar después del inicio de la membresía actual."))
    membership_end(
        actor=actor,
        membership=membership,
        end_date=on - datetime.timedelta(days=1),
        reason=_("Cambio de cargo"),
        seen=seen,
    )
    return membership_add(
        actor=actor,
        body=membership.body,
        person=membership.person,
        role=role,
        sector=sector,
        has_vote=has_vote,
        start_date=on,
        term=membership.term,
    )


# --- Terms and renewal ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Joiner:
    person: Person
    role: str = MembershipRole.COUNCILLOR
    sector: str = Sector.CITIZEN


@transaction.atomic
def body_renew(
    *,
    actor: Actor,
    body: Body,
    name: str,
    start_date: datetime.date,
    end_date: datetime.date,
    continuing: Sequence[Membership],
    joining: Sequence[Joiner],
    new_names: Sequence[str] = (),
    seen: dict[str, str] | None = None,
) -> BodyTerm:
    """Open a new term: pick which outgoing citizen members continue, who joins, and new people (``new_names``,
    registered only if the renewal is saved).

    Refused (nothing saved) when fewer than the body's minimum share of outgoing citizen members continue, or when
    the new term would exceed the seat limit. A renewal recorded in advance, in which nothing has happened yet, is
    replaced by recording it again (see ``_renewal_to_replace``): that is how it is corrected. ``seen`` is the
    renewal recorded in advance as the secretary's form showed it (``selectors.renewal_snapshot``): EditConflict
    when someone recorded or replaced one since, so a second secretary does not silently undo the first's.
    """
    _require_memberships(actor, body)
    body = Body.objects.select_for_update().get(pk=body.pk)
    _check_renewal_unchanged(body, seen)
    if end_date <= start_date:
        raise DomainError(_("El periodo debe terminar después de empezar."))
    replaced = _renewal_to_replace(body, start_date=start_date)
    if replaced is not None:
        _renewal_undo(actor=actor, body=body, term=replaced)
    eve = start_date - datetime.timedelta(days=1)
    outgoing = list(body.memberships.active_on(eve).citizens().select_related("person"))
    outgoing_ids = {m.pk for m in outgoing}
    continuing_ids = {m.pk for m in continuing}
    if not continuing_ids <= outgoing_ids:
        raise DomainError(
            _("Solo pueden continuar integrantes ciudadanos en funciones el %(eve)s, víspera del nuevo periodo.")
            % {"eve": long_date(eve)}
        )
    _check_continuity(body, kept=len(continuing_ids), outgoing=len(outgoing))
    joining_people = [j.person.pk for j in joining]
    continuing_people = {m.person_id for m in outgoing if m.pk in continuing_ids}
    if len(set(joining_people)) != len(joining_people) or continuing_people & set(joining_people):
        raise DomainError(_("Una persona aparece dos veces en la renovación."))
    other_voting = body.memberships.active_on(start_date).voting().exclude(pk__in=outgoing_ids).count()
    new_total = len(continuing_ids) + len(joining) + len(new_names) + other_voting
    if body.seat_limit is not None and new_total > body.seat_limit:
        raise DomainError(
            ngettext(
                "La renovación ocuparía %(total)s asiento y el órgano tiene %(limit)s.",
                "La renovación ocuparía %(total)s asientos y el órgano tiene %(limit)s.",
                new_total,
            )
            % {"total": new_total, "limit": body.seat_limit}
        )
    joining = [*joining, *(Joiner(person=person_create(actor=actor, name=n)) for n in new_names)]
    term = _with_reason(
        BodyTerm(body=body, name=name, start_date=start_date, end_date=end_date), _("Renovación del órgano")
    )
    term.save()
    for membership in outgoing:
        membership.end_date = eve
        membership.end_reason = _("Fin del periodo")
        _with_reason(membership, _("Renovación del órgano")).save()
    for membership in outgoing:
        if membership.pk in continuing_ids:
            _with_reason(
                Membership(
                    person=membership.person,
                    body=body,
                    term=term,
                    role=membership.role,
                    sector=membership.sector,
                    has_vote=membership.has_vote,
                    start_date=start_date,
                ),
                _("Continúa en la renovación"),
            ).save()
    for joiner in joining:
        _with_reason(
            Membership(
                person=joiner.person,
                body=body,
                term=term,
                role=joiner.role,
                sector=joiner.sector,
                start_date=start_date,
            ),
            _("Se integra en la renovación"),
        ).save()
    event_record(
        actor=actor,
        subject=term,
        action="body_renewed",
        data={
            "continuing": len(continuing_ids),
            "outgoing": len(outgoing),
            "joining": len(joining),
            "replaced": replaced.name if replaced else None,
        },
    )
    return term


def _check_renewal_unchanged(body: Body, seen: dict[str, str] | None) -> None:
    """EditConflict when the renewal recorded in advance is not the one the form showed (``body`` is locked)."""
    scheduled = selectors.scheduled_renewal(body=body)
    check_snapshot(
        selectors.renewal_snapshot(scheduled),
        seen,
        labels=selectors.RENEWAL_LABELS,
        rows=[scheduled.term] if scheduled else [],
    )


def _renewal_to_replace(body: Body, *, start_date: datetime.date) -> BodyTerm | None:
    """The renewal a new one starting on ``start_date`` replaces, or None; DomainError when it cannot be replaced.

    Replaced: a term starting on or after ``start_date``, or a term still to begin that ``start_date`` falls in
    (the renewal recorded in advance, moved later). Only the latest term can be replaced, only if a renewal recorded
    it (not a loader or the admin) and only while nothing has happened in it: no attendance, no vote from its seats.
    """
    later = list(body.terms.filter(start_date__gte=start_date).order_by("start_date")) or list(
        body.terms.filter(start_date__gt=timezone.localdate(), start_date__lt=start_date, end_date__gte=start_date)
    )
    if not later:
        return None
    term = later[-1]
    scheduled = _("%(name)s, desde el %(date)s") % {"name": term.name, "date": long_date(term.start_date)}
    if len(later) > 1:
        raise DomainError(
            _(
                "Hay %(n)s periodos registrados que empiezan el %(date)s o después; solo se puede "
                "reemplazar el último (%(term)s)."
            )
            % {"n": len(later), "date": long_date(start_date), "term": scheduled}
        )
    if not events_for(term).filter(action="body_renewed").exists():
        raise DomainError(
            _(
                "El periodo %(term)s no se registró con una renovación, así que no se puede "
                "reemplazar con otra; elija una fecha de inicio posterior."
            )
            % {"term": scheduled}
        )
    seats = term.memberships.all()
    if Attendance.objects.filter(membership__in=seats).exists() or Vote.objects.filter(membership__in=seats).exists():
        raise DomainError(
            _(
                "La renovación %(term)s ya tiene asistencias o votos de sus integrantes; forma parte del "
                "registro del órgano y no se puede reemplazar."
            )
            % {"term": scheduled}
        )
    return term


def _renewal_undo(*, actor: Actor, body: Body, term: BodyTerm) -> None:
    """Undo a renewal nobody has acted in: its seats go, the seats it closed get back the end they had before.

    The seats it closed are those whose history shows the renewal's own change (saved between the term's creation and
    the renewal's event, in its transaction); each gets the end date and reason of its last record before that.
    """
    renewed = events_for(term).filter(action="body_renewed").earliest("created_at")
    created = term.history.earliest("history_date").history_date
    eve = term.start_date - datetime.timedelta(days=1)
    reason = _("Renovación reemplazada")
    removed = 0
    for membership in term.memberships.select_for_update():  # first, so a reopened seat meets no open one
        _with_reason(membership, reason).delete()
        removed += 1
    for membership in body.memberships.select_for_update().filter(end_date=eve):
        if not membership.history.filter(history_date__range=(created, renewed.created_at), end_date=eve).exists():
            continue
        before = membership.history.filter(history_date__lt=created).order_by("-history_date", "-history_id").first()
        if before is not None:
            membership.end_date, membership.end_reason = before.end_date, before.end_reason
            _with_reason(membership, reason).save()
    event_record(
        actor=actor,
        subject=body,
        action="body_renewal_replaced",
        note=term.name,
        data={"term": term.name, "start_date": term.start_date.isoformat(), "seats_removed": removed},
    )
    _with_reason(term, reason).delete()


def _percent(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@functools.cache
def percent_share(percent: Decimal) -> Fraction:
    """The share a percentage of the body's rules stands for, read at the two decimals it is typed with.

    Any share from 66.665 % up to (not including) 66.675 % reads as 66.67 %; the simplest of them, two thirds, is
    the one people mean, so 10 of 15 reach it. Taken literally, 6667/10000 of 15 is 10.0005 and «two thirds» would
    ask for 11. Likewise 33.33 is one third, 75 three quarters and 50 one half; a share with no simpler reading keeps
    its exact value (66.66 stays 66.66 %).
    """
    hundredths = int(percent.quantize(Decimal("0.01")) * 100)  # 66.67 → 6667
    low, high = 2 * hundredths - 1, 2 * hundredths + 1  # the shares that read as it: [low, high) / 20000
    for denominator in range(1, 10000):
        numerator = -(-low * denominator // 20000)  # the smallest numerator that reaches low
        if numerator * 20000 < high * denominator:
            return Fraction(numerator, denominator)
    return Fraction(hundredths, 10000)  # the typed value itself, always in the range


def _check_continuity(body: Body, *, kept: int, outgoing: int) -> None:
    minimum = body.renewal_min_continuity_percent
    if minimum is None or outgoing == 0:
        return
    if kept < percent_share(minimum) * outgoing:
        raise DomainError(
            ngettext(
                "Deben continuar al menos el %(min)s%% de %(outgoing)s integrante ciudadano saliente; "
                "continúan %(kept)s.",
                "Deben continuar al menos el %(min)s%% de los %(outgoing)s integrantes ciudadanos salientes; "
                "continúan %(kept)s.",
                outgoing,
            )
            % {"min": _percent(minimum), "outgoing": outgoing, "kept": kept}
        )


# --- Voting rules --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VotingRules:
    """How a body's majorities are counted: a percentage of a base, for simple and for qualified majorities."""

    majority_base: str
    majority_percent: Decimal
    qualified_majority_base: str
    qualified_majority_percent: Decimal

    @classmethod
    def of(cls, body: Body) -> VotingRules:
        return cls(
            majority_base=body.majority_base,
            majority_percent=body.majority_percent,
            qualified_majority_base=body.qualified_majority_base,
            qualified_majority_percent=body.qualified_majority_percent,
        )

    def simple_text(self) -> str:
        return majority_rule_text(base=self.majority_base, required_percent=self.majority_percent, qualified=False)

    def qualified_text(self) -> str:
        return majority_rule_text(
            base=self.qualified_majority_base, required_percent=self.qualified_majority_percent, qualified=True
        )

    def describe(self) -> str:
        return _("mayoría simple: %(simple)s; mayoría calificada: %(qualified)s") % {
            "simple": self.simple_text(),
            "qualified": self.qualified_text(),
        }

    def as_data(self) -> dict[str, str]:
        return {field.name: str(getattr(self, field.name)) for field in fields(self)}


def can_set_voting_rules(user: Actor) -> bool:
    return is_administrator(user)


def _check_voting_rules(rules: VotingRules) -> VotingRules:
    if {rules.majority_base, rules.qualified_majority_base} - set(MajorityBase.values):
        raise DomainError(_("Elija la base de cada mayoría entre las opciones ofrecidas."))
    for percent in (rules.majority_percent, rules.qualified_majority_percent):
        if not Decimal("0") <= percent <= Decimal("100"):
            raise DomainError(_("Cada porcentaje debe estar entre 0 y 100; se recibió %(p)s.") % {"p": percent})
    if rules.qualified_majority_percent < rules.majority_percent:
        raise DomainError(_("La mayoría calificada no puede pedir menos que la simple."))
    cents = Decimal("0.01")
    return replace(
        rules,
        majority_percent=rules.majority_percent.quantize(cents),
        qualified_majority_percent=rules.qualified_majority_percent.quantize(cents),
    )


@transaction.atomic
def body_set_voting_rules(*, actor: Actor, body: Body, rules: VotingRules, seen: dict[str, str] | None) -> Body:
    """Administrators set how a body's majorities are counted. Votes already open keep the rule they opened with.

    ``seen`` is the rules as the editor's form showed them: ``EditConflict`` (what changed, before → now) when
    someone else changed them meanwhile, and nothing is saved.
    """
    if not can_set_voting_rules(actor):
        raise PermissionDenied(_("Solo la administración fija las reglas de votación de los órganos."))
    body = Body.objects.select_for_update().get(pk=body.pk)
    check_unchanged(body, VOTING_RULES_FIELDS, seen)
    before = VotingRules.of(body)
    rules = _check_voting_rules(rules)
    if rules == before:
        return body
    names = [field.name for field in fields(VotingRules)]
    for name in names:
        setattr(body, name, getattr(rules, name))
    body._history_user = actor  # type: ignore[attr-defined]  # read by django-simple-history when it saves
    _with_reason(body, _("Reglas de votación")).save(update_fields=names)
    event_record(
        actor=actor,
        subject=body,
        action="body_voting_rules_set",
        note=rules.describe(),
        data={"before": before.as_data(), "after": rules.as_data()},
    )
    return body


# --- Technical secretaries -----------------------------------------------------------------------------------


def _secretary_event(*, actor: Actor, body: Body, user: Actor, action: str, permissions: list[str]) -> None:
    event_record(
        actor=actor,
        subject=body,
        action=action,
        note=account_name(user),
        data={"user": user.pk, "username": user.get_username(), "permissions": permissions},
    )


def _locked_for_administrator(actor: Actor, body: Body) -> Body:
    if not is_administrator(actor):
        raise PermissionDenied(_("Solo la administración asigna y quita la secretaría técnica de los órganos."))
    return Body.objects.select_for_update().get(pk=body.pk)


@transaction.atomic
def body_secretary_grant(*, actor: Actor, body: Body, user: Actor) -> bool:
    """Make ``user`` a technical secretary of ``body``: they convene and conduct its sessions and keep its members.

    Administrators only; the account must be active and hold the «Secretaría técnica» role. Returns whether
    anything was granted: granting again changes nothing and records nothing.
    """
    body = _locked_for_administrator(actor, body)
    if not user.is_active or not has_role(user, roles.TECHNICAL_SECRETARY):
        raise DomainError(
            _(
                "La cuenta %(user)s no tiene el rol «Secretaría técnica»; asígneselo primero en la "
                "administración de cuentas."
            )
            % {"user": account_name(user)}
        )
    held = set(get_user_perms(user, body))
    missing = [p for p in selectors.SECRETARY_PERMISSIONS if p not in held]
    for codename in missing:
        assign_perm(f"councils.{codename}", user, body)
    if missing:
        _secretary_event(actor=actor, body=body, user=user, action="body_secretary_granted", permissions=missing)
    return bool(missing)


@transaction.atomic
def body_secretary_revoke(*, actor: Actor, body: Body, user: Actor) -> bool:
    """Take a body's technical secretary away from ``user`` (both permissions). Administrators only; returns whether
    the account held anything (revoking again changes nothing and records nothing)."""
    body = _locked_for_administrator(actor, body)
    held = set(get_user_perms(user, body))
    removed = [p for p in selectors.SECRETARY_PERMISSIONS if p in held]
    for codename in removed:
        remove_perm(f"councils.{codename}", user, body)
    if removed:
        _secretary_event(actor=actor, body=body, user=user, action="body_secretary_revoked", permissions=removed)
    return bool(removed)


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
    actor: Actor,
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
    session = _with_reason(
        Session(body=body, number=number, kind=kind, scheduled_at=scheduled_at, place=place, convened_by=actor),
        _("Convocatoria"),
    )
    session.save()
    for order, entry in enumerate(agenda, start=1):
        agenda_item_add(actor=actor, session=session, entry=entry, order=order)
    event_record(actor=actor, subject=session, action="session_convened", to_state=SessionState.CONVENED)
    return session


def agenda_item_add(*, actor: Actor, session: Session, entry: AgendaEntry, order: int | None = None) -> AgendaItem:
    """Add a point to a convened session's agenda; a subject must be awaiting this body's vote."""
    session = Session.objects.select_related("body").get(pk=session.pk)
    _require_sessions(actor, session.body)
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
    _require_sessions(actor, session.body)
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
        event_record(
            actor=actor,
            subject=session,
            action="session_started",
            from_state=SessionState.CONVENED,
            to_state=SessionState.IN_PROGRESS,
        )
    return session_quorum(session)


@transaction.atomic
def session_close(*, actor: Actor, session: Session) -> Session:
    _require_sessions(actor, session.body)
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.state != SessionState.IN_PROGRESS:
        raise DomainError(_("Solo se puede concluir una sesión en curso."))
    if session.motions_open().exists():
        raise DomainError(_("Cierre primero las votaciones abiertas."))
    session.state = SessionState.CLOSED
    session.ended_at = timezone.now()
    _with_reason(session, _("Conclusión de la sesión")).save()
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
    _require_sessions(actor, session.body)
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.state != SessionState.CONVENED:
        raise DomainError(_("Solo se puede cancelar una sesión que no ha empezado."))
    session.state = SessionState.CANCELLED
    _with_reason(session, reason).save()
    event_record(
        actor=actor,
        subject=session,
        action="session_cancelled",
        from_state=SessionState.CONVENED,
        to_state=SessionState.CANCELLED,
        note=reason,
    )
    return session


# --- Motions and votes ---------------------------------------------------------------------------------------


@transaction.atomic
def motion_open(*, actor: Actor, item: AgendaItem, text: str) -> Motion:
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
    if item.subject_type is not None:
        # The subject may have moved since the agenda was set (withdrawn, edited and resubmitted, so it now awaits
        # an earlier body): it is put to this body's vote only if it still awaits this body.
        _check_subject_for(session.body, item.subject_type.get_object_for_this_type(pk=item.subject_id))
    quorum = session_quorum(session)
    if not quorum.reached:
        raise DomainError(
            ngettext(
                "No hay quórum: está presente %(present)s de %(total)s integrantes con voto y se requieren "
                "%(required)s.",
                "No hay quórum: están presentes %(present)s de %(total)s integrantes con voto y se requieren "
                "%(required)s.",
                quorum.present,
            )
            % {"present": quorum.present, "total": quorum.voting_members, "required": quorum.required}
        )
    motion = _with_reason(
        Motion(
            agenda_item=item,
            text=text.strip() or item.title,
            state=MotionState.OPEN,
            opened_at=timezone.now(),
            present_voting_members=quorum.present,
            voting_members=quorum.voting_members,
            **_majority_rule(session.body, qualified=item.requires_qualified_majority),
        ),
        _("Apertura de la votación"),
    )
    _check_reachable(motion)
    motion.save()
    event_record(actor=actor, subject=motion, action="motion_opened", to_state=MotionState.OPEN)
    return motion


def voting_attendances(*, day: Any) -> QuerySet[Attendance]:
    """The one rule of who may vote in a session: a seat with a vote, in force on the session's day, marked present.

    ``day`` is the session's date, or an expression for it when the question is asked over many sessions at once.
    ``vote_cast`` (through ``voter_membership``) and the workspace home's «Votaciones abiertas» both ask this, so
    whoever may vote sees the prompt, also a member whose seat ends on a later day (a renewal recorded in advance).
    """
    return Attendance.objects.filter(
        Q(membership__end_date__isnull=True) | Q(membership__end_date__gte=day),
        status=AttendanceStatus.PRESENT,
        membership__has_vote=True,
        membership__start_date__lte=day,
    )


def voter_membership(*, motion: Motion, user: Actor) -> Membership:
    """The seat from which ``user`` may vote on ``motion``, or DomainError saying why they may not."""
    person = Person.objects.filter(user=user).first() if user.is_authenticated else None
    if person is None:
        raise DomainError(_("Su cuenta no corresponde a ningún integrante de este órgano."))
    session = motion.agenda_item.session
    seat = (
        voting_attendances(day=timezone.localdate(session.scheduled_at))
        .filter(session=session, membership__person=person)
        .select_related("membership")
        .first()
    )
    if seat is not None:
        return seat.membership
    if not session_voting_members(session).filter(person=person).exists():
        raise DomainError(_("Solo votan los integrantes con voto de este órgano."))
    raise DomainError(_("Solo votan los integrantes presentes en la sesión."))


@transaction.atomic
def vote_cast(*, actor: Actor, motion: Motion, option: str) -> Vote:
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


def _majority_rule(body: Body, *, qualified: bool) -> dict[str, Any]:
    """The body's rule for a motion, copied onto it when the vote opens so a later change does not rewrite it."""
    if qualified:
        return {
            "qualified": True,
            "required_percent": body.qualified_majority_percent,
            "majority_base": body.qualified_majority_base,
        }
    return {"qualified": False, "required_percent": body.majority_percent, "majority_base": body.majority_base}


def votes_needed(*, base_count: int, required_percent: Decimal, qualified: bool) -> int:
    """Fewest votes in favour that pass: more than the share of the base (simple), at least it (qualified), the
    percentage read as ``percent_share`` reads it.

    Never fewer than one: nothing is approved without a vote in favour.
    """
    share = percent_share(required_percent) * base_count
    needed = math.ceil(share) if qualified else math.floor(share) + 1
    return max(needed, 1)


@dataclass(frozen=True)
class Outcome:
    """A motion's votes measured against its majority base: what it needs, and whether the missing votes matter."""

    tally: Tally
    base: str
    present: int
    voting_members: int
    required_percent: Decimal
    qualified: bool

    def needed(self, cast: int) -> int:
        counts: dict[str, int] = {MajorityBase.PRESENT: self.present, MajorityBase.MEMBERS: self.voting_members}
        base_count = counts.get(self.base, cast)
        return votes_needed(base_count=base_count, required_percent=self.required_percent, qualified=self.qualified)

    def _passes(self, votes_for: int, cast: int) -> bool:
        return cast > 0 and votes_for >= self.needed(cast)

    @property
    def missing(self) -> int:
        """Present members who have not voted (only present members vote, so never negative)."""
        return max(self.present - self.tally.cast, 0)

    @property
    def passed(self) -> bool:
        return self._passes(self.tally.votes_for, self.tally.cast)

    @property
    def settled(self) -> bool:
        """The missing votes could not change the result: all of them in favour or all against give the same."""
        everyone = self.tally.cast + self.missing
        return self._passes(self.tally.votes_for, everyone) == self._passes(
            self.tally.votes_for + self.missing, everyone
        )

    def result(self) -> str:
        """Passed; rejected when the body decided (the missing votes could not have passed it); else no majority."""
        if self.passed:
            return MotionResult.PASSED
        if self.settled and self.tally.cast > 0:
            return MotionResult.FAILED
        return MotionResult.NO_MAJORITY


def motion_outcome(motion: Motion, tally: Tally | None = None) -> Outcome:
    """The motion's votes (``tally``, or those cast so far) under the rule it was opened with."""
    return Outcome(
        tally=tally if tally is not None else motion_tally(motion),
        base=motion.majority_base or MajorityBase.CAST,
        present=motion.present_voting_members,
        voting_members=motion.voting_members,
        required_percent=motion.required_percent or Decimal("50"),
        qualified=motion.qualified,
    )


def majority_rule_text(
    *, base: str, required_percent: Decimal, qualified: bool, voting_members: int | None = None
) -> str:
    """The rule in words, e.g. «más del 50% de los integrantes con voto presentes» (with the body's size if known)."""
    share = (_("al menos el %(percent)s%%") if qualified else _("más del %(percent)s%%")) % {
        "percent": _percent(required_percent)
    }
    if base == MajorityBase.PRESENT:
        whom = _("de los integrantes con voto presentes")
    elif base == MajorityBase.MEMBERS and voting_members is None:
        whom = _("de todos los integrantes con voto del órgano")
    elif base == MajorityBase.MEMBERS:
        assert voting_members is not None  # the branch above took None; this tells mypy
        whom = ngettext(
            "de %(n)s integrante con voto del órgano", "de los %(n)s integrantes con voto del órgano", voting_members
        ) % {"n": voting_members}
    else:
        whom = _("de los votos emitidos")
    return f"{share} {whom}"


def motion_rule_text(motion: Motion) -> str:
    return majority_rule_text(
        base=motion.majority_base or MajorityBase.CAST,
        required_percent=motion.required_percent or Decimal("50"),
        qualified=motion.qualified,
        voting_members=motion.voting_members,
    )


def _check_reachable(motion: Motion) -> None:
    """A vote whose majority the members present cannot reach even all in favour is not opened."""
    outcome = motion_outcome(motion, Tally(0, 0, 0))
    needed = outcome.needed(outcome.present)
    if outcome.base != MajorityBase.CAST and needed > outcome.present:
        raise DomainError(
            ngettext(
                "Con %(present)s integrante presente la propuesta no puede alcanzar los %(needed)s votos a "
                "favor que exige la regla (%(rule)s).",
                "Con %(present)s integrantes presentes la propuesta no puede alcanzar los %(needed)s votos a "
                "favor que exige la regla (%(rule)s).",
                outcome.present,
            )
            % {"present": outcome.present, "needed": needed, "rule": motion_rule_text(motion)}
        )


class VoteIncomplete(DomainError):
    """Closing was asked while present members had not voted; the secretary must confirm it on purpose."""


def _incomplete_message(motion: Motion, outcome: Outcome) -> str:
    count = ngettext(
        "Votó %(cast)s de %(present)s integrante presente.",
        "Votaron %(cast)s de %(present)s integrantes presentes.",
        outcome.present,
    ) % {"cast": outcome.tally.cast, "present": outcome.present}
    rule = _("Regla de este órgano: %(rule)s.") % {"rule": motion_rule_text(motion)}
    if outcome.base != MajorityBase.CAST:
        needed = outcome.needed(outcome.present)
        rule = ngettext(
            "Para aprobarse se necesita %(needed)s voto a favor (%(rule)s).",
            "Para aprobarse se necesitan %(needed)s votos a favor (%(rule)s).",
            needed,
        ) % {"needed": needed, "rule": motion_rule_text(motion)}
    return " ".join(
        [
            count,
            rule,
            _(
                "Espere a que voten o confirme el cierre: si con los votos emitidos no se alcanza la mayoría y los "
                "que faltan pudieran cambiar el resultado, la votación queda «sin mayoría», sin número de acuerdo, y "
                "el punto puede votarse de nuevo."
            ),
        ]
    )


def motion_tally(motion: Motion) -> Tally:
    options = list(motion.votes.values_list("option", flat=True))
    return Tally(
        votes_for=options.count(VoteOption.YES),
        votes_against=options.count(VoteOption.NO),
        abstentions=options.count(VoteOption.ABSTAIN),
    )


@transaction.atomic
def motion_close(*, actor: Actor, motion: Motion, confirmed: bool = False) -> Resolution | None:
    """Close the vote and record the count; a passed or rejected motion becomes a numbered resolution.

    While present members have not voted, closing is refused with the count (``VoteIncomplete``) unless the
    secretary ``confirmed`` it. The secretary never learns from the refusal how the votes go: it depends only on
    how many voted. A motion closed without a majority that the missing votes could have changed (or with no vote
    at all) is «sin mayoría»: no resolution, the subject is not rejected, and the point may be voted again.
    """
    motion = Motion.objects.select_for_update().select_related("agenda_item__session__body").get(pk=motion.pk)
    session = motion.agenda_item.session
    _require_sessions(actor, session.body)
    if motion.state != MotionState.OPEN:
        raise DomainError(_("La votación no está abierta."))
    outcome = motion_outcome(motion)
    if outcome.missing and not confirmed:
        raise VoteIncomplete(_incomplete_message(motion, outcome))
    tally = outcome.tally
    motion.votes_for, motion.votes_against, motion.abstentions = (
        tally.votes_for,
        tally.votes_against,
        tally.abstentions,
    )
    motion.result = outcome.result()
    motion.state = MotionState.CLOSED
    motion.closed_at = timezone.now()
    _with_reason(motion, _("Cierre de la votación")).save()
    event_record(
        actor=actor,
        subject=motion,
        action="motion_closed",
        from_state=MotionState.OPEN,
        to_state=motion.result,
        data={
            "for": tally.votes_for,
            "against": tally.votes_against,
            "abstentions": tally.abstentions,
            "present": outcome.present,
            "base": outcome.base,
            "needed": outcome.needed(tally.cast),
            "confirmed": bool(outcome.missing),
        },
    )
    if motion.result == MotionResult.NO_MAJORITY:
        return None
    resolution = resolution_record(actor=actor, motion=motion)
    _notify_subject_owner(motion=motion, resolution=resolution, actor=actor)
    return resolution


def resolution_record(*, actor: Actor, motion: Motion) -> Resolution:
    session = motion.agenda_item.session
    body = Body.objects.select_for_update().get(pk=session.body_id)
    year = timezone.localdate(session.scheduled_at).year
    number = (body.resolutions.filter(year=year).aggregate(last=Max("number"))["last"] or 0) + 1
    verdict = _("Se aprueba") if motion.result == MotionResult.PASSED else _("No se aprueba")
    text = _("%(verdict)s: %(text)s (a favor %(yes)s, en contra %(no)s, abstenciones %(abstain)s).") % {
        "verdict": verdict,
        "text": motion.text,
        "yes": motion.votes_for,
        "no": motion.votes_against,
        "abstain": motion.abstentions,
    }
    # A resolution is dated by its session (the record of a past session keeps that session's date).
    resolution = Resolution(
        body=body,
        year=year,
        number=number,
        session=session,
        motion=motion,
        text=text,
        adopted_on=timezone.localdate(session.scheduled_at),
    )
    resolution.content_hash = content_hash(resolution.hashed_content())
    _with_reason(resolution, _("Acuerdo registrado")).save()
    event_record(actor=actor, subject=resolution, action="resolution_recorded", to_state=motion.result)
    return resolution


def _notify_subject_owner(*, motion: Motion, resolution: Resolution, actor: Actor) -> None:
    item = motion.agenda_item
    if item.subject_type is None:
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
def minutes_draft(*, actor: Actor, session: Session, text: str, seen: dict[str, str] | None = None) -> Minutes:
    """Write or rewrite the acta of a concluded session while it is a draft.

    ``seen`` is the text the secretary's form showed (empty before any draft): ``EditConflict`` when someone saved
    another text since.
    """
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
    check_unchanged(minutes, MINUTES_FIELDS, seen)
    if minutes.state != MinutesState.DRAFT:
        raise DomainError(
            _("El acta ya fue aprobada y no se puede modificar; las correcciones se hacen con un nuevo acuerdo.")
        )
    minutes.text = text
    _with_reason(minutes, _("Corrección del borrador del acta")).save()
    return minutes


def minutes_mark_approved(minutes: Minutes, resolution: Resolution, actor: Actor) -> None:
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    minutes.state = MinutesState.APPROVED
    minutes.approved_in = resolution.session
    minutes.content_hash = content_hash(minutes.hashed_content())
    _with_reason(minutes, _("Acta aprobada")).save()
    event_record(
        actor=actor,
        subject=minutes,
        action="minutes_approved",
        from_state=MinutesState.DRAFT,
        to_state=MinutesState.APPROVED,
        data={"resolution": resolution.pk},
    )


def minutes_mark_rejected(minutes: Minutes, resolution: Resolution, actor: Actor) -> None:
    event_record(
        actor=actor,
        subject=minutes,
        action="minutes_rejected",
        note=resolution.text,
        data={"resolution": resolution.pk},
    )


@transaction.atomic
def minutes_publish(*, actor: Actor, minutes: Minutes) -> Minutes:
    _require_sessions(actor, minutes.session.body)
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if minutes.state != MinutesState.APPROVED:
        raise DomainError(_("Solo se publica un acta aprobada."))
    minutes.state = MinutesState.PUBLISHED
    minutes.published_at = timezone.now()
    _with_reason(minutes, _("Acta publicada")).save()
    event_record(
        actor=actor,
        subject=minutes,
        action="minutes_published",
        from_state=MinutesState.APPROVED,
        to_state=MinutesState.PUBLISHED,
    )
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


def open_votes_for(user: Actor) -> QuerySet[Motion]:
    """Open motions in sessions under way where ``user`` may vote: the rule ``vote_cast`` applies, for the home."""
    if not user.is_authenticated:
        return Motion.objects.none()
    # The session's day in the portal's time zone, as timezone.localdate(session.scheduled_at) gives it.
    seats = voting_attendances(day=OuterRef("session_day")).filter(
        session=OuterRef("agenda_item__session"), membership__person__user=user
    )
    return (
        Motion.objects.filter(state=MotionState.OPEN, agenda_item__session__state=SessionState.IN_PROGRESS)
        .annotate(session_day=TruncDate("agenda_item__session__scheduled_at"))
        .filter(Exists(seats))
        .select_related("agenda_item__session__body")
        .order_by("agenda_item__session__scheduled_at", "pk")
    )
