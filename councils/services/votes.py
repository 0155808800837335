"""Motions and votes: opening a vote, one vote per member present, the tally against the body's majority, the
resolution it records, and the open votes a member may cast."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Exists, FilteredRelation, Max, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from councils import approvals
from councils.models import (
    AgendaItem,
    AgendaItemKind,
    Attendance,
    AttendanceStatus,
    Body,
    MajorityBase,
    Membership,
    Motion,
    MotionResult,
    MotionState,
    Person,
    Resolution,
    Session,
    SessionState,
    Vote,
    VoteOption,
)
from councils.services import notices
from councils.services.base import percent_share, percent_text, require_session_manager, with_reason
from councils.services.frozen import require_unchanged
from councils.services.sessions import check_subject_for, session_quorum, session_voting_members
from implan.errors import DomainError
from implan.events import event_record
from implan.hashing import content_hash
from implan.types import Actor

# Results that decide a point for good: a vote closed «sin mayoría» did not, and the point may be voted again.
DECIDED = (MotionResult.PASSED, MotionResult.FAILED)


@transaction.atomic
def motion_open(*, actor: Actor, item: AgendaItem, text: str) -> Motion:
    """Open the vote on an agenda item; refused without quorum."""
    session = Session.objects.select_for_update().get(pk=item.session_id)
    require_session_manager(actor, session.body)
    if session.state != SessionState.IN_PROGRESS:
        raise DomainError(_("Solo se vota en una sesión en curso (registre primero la asistencia)."))
    if item.kind != AgendaItemKind.DECISION:
        raise DomainError(_("Este punto es informativo; no se somete a votación."))
    if session.motions_open().exists():
        raise DomainError(_("Ya hay una votación abierta en esta sesión."))
    if item.motions.filter(result__in=DECIDED).exists():
        raise DomainError(_("Este punto ya se decidió; no se vota de nuevo."))
    if item.subject_type is not None:
        # The subject may have moved since the agenda was set (withdrawn, edited and resubmitted, so it now awaits
        # an earlier body): it is put to this body's vote only if it still awaits this body.
        check_subject_for(session.body, item.subject_type.get_object_for_this_type(pk=item.subject_id))
        require_unchanged(item)  # the content frozen on the agenda is what is voted
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
    motion = with_reason(
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
    notices.notify_vote_opened(motion)
    return motion


def voting_attendances(*, day: Any) -> QuerySet[Attendance]:
    """The one rule of who may vote in a session: a seat with a vote, in force on the session's day, marked present.

    ``day`` is the session's date, or an expression for it when the question is asked over many sessions at once.
    ``vote_cast`` (through ``_voter_seat``) and the workspace home's «Votaciones abiertas» both ask this, so
    whoever may vote sees the prompt, also a member whose seat ends on a later day (a renewal recorded in advance).
    """
    return Attendance.objects.filter(
        Q(membership__end_date__isnull=True) | Q(membership__end_date__gte=day),
        status=AttendanceStatus.PRESENT,
        membership__has_vote=True,
        membership__start_date__lte=day,
    )


def present_seat(members: Iterable[Membership], statuses: dict[int, str], user: Actor) -> Membership | None:
    """``voting_attendances``' rule over rows a page has read already: ``members``, the session's members on its day
    with their people (``session_members``), and ``statuses``, its attendance (membership id → status). The seat
    from which ``user`` may vote, or None (then ``seat_refusal`` says why not, as ``voter_membership`` would)."""
    for m in members:
        if m.person.user_id == user.pk and m.has_vote and statuses.get(m.pk) == AttendanceStatus.PRESENT:
            return m
    return None


def seat_refusal(members: Iterable[Membership], statuses: dict[int, str], user: Actor, person: Person | None) -> str:
    """Why ``user`` may not vote, as ``voter_membership`` words it, over rows a page has read already (``members``
    and ``statuses`` as ``present_seat``'s; ``person``, the user's, or None). Only for a user ``present_seat`` found no
    seat for; empty if they have one after all."""
    mine = [m for m in members if m.person.user_id == user.pk]
    if any(m.has_vote and statuses.get(m.pk) == AttendanceStatus.PRESENT for m in mine):
        return ""
    if any(m.has_vote for m in mine):
        return str(_("Solo votan los integrantes presentes en la sesión."))
    if person is None:
        return str(_("Su cuenta no corresponde a ningún integrante de este órgano."))
    return str(_("Solo votan los integrantes con voto de este órgano."))


def voter_membership(*, motion: Motion, user: Actor) -> Membership:
    """The seat from which ``user`` may vote on ``motion``, or DomainError saying why they may not: the rule read from
    the database, as ``vote_cast`` applies it (the tests hold ``seat_refusal``'s wording to this one's)."""
    return _voter_seat(motion=motion, user=user).membership


def _voter_seat(*, motion: Motion, user: Actor, own_vote: bool = False) -> Attendance:
    """The attendance that lets ``user`` vote on ``motion`` (with its membership and person), or DomainError saying
    why they may not. ``own_vote``: with the member's vote on the motion so far (``seat.own_vote``, unset if none)."""
    if not user.is_authenticated:
        raise DomainError(_("Su cuenta no corresponde a ningún integrante de este órgano."))
    session = motion.agenda_item.session
    # The common case in one query (it runs under the motion's lock, once per vote): the seat, with its person.
    seats = (
        voting_attendances(day=timezone.localdate(session.scheduled_at))
        .filter(session=session, membership__person__user=user)
        .select_related("membership__person")
    )
    if own_vote:  # joined to the seat's person: a member has one vote per motion (a constraint holds it)
        votes = FilteredRelation("membership__person__votes", condition=Q(membership__person__votes__motion=motion))
        # django-stubs does not know a FilteredRelation can be select_related by its alias; Django does.
        seats = seats.annotate(own_vote=votes).select_related("own_vote")  # type: ignore[misc]
    seat = seats.first()
    if seat is not None:
        return seat
    person = Person.objects.filter(user=user).first()
    if person is None:
        raise DomainError(_("Su cuenta no corresponde a ningún integrante de este órgano."))
    if not session_voting_members(session).filter(person=person).exists():
        raise DomainError(_("Solo votan los integrantes con voto de este órgano."))
    raise DomainError(_("Solo votan los integrantes presentes en la sesión."))


@transaction.atomic
def vote_cast(*, actor: Actor, motion: Motion, option: str) -> Vote:
    """Cast or change the actor's own vote while the motion is open. One vote per member, always.

    Only ``motion``'s key is read: the motion, its point and session are read again here, under the lock (a view
    may pass ``Motion(pk=...)`` and read nothing first). Raises ``Motion.DoesNotExist`` for a key that names none.
    The vote returned carries that motion, point and session (``vote.motion.agenda_item.session``).
    """
    if option not in VoteOption.values:
        raise DomainError(_("Sentido del voto no válido."))
    # Locking the motion serialises every vote on it, so concurrent submissions cannot both insert.
    motion = Motion.objects.select_for_update().select_related("agenda_item__session__body").get(pk=motion.pk)
    if motion.state != MotionState.OPEN:
        raise DomainError(_("La votación no está abierta."))
    if motion.agenda_item.session.state != SessionState.IN_PROGRESS:
        raise DomainError(_("La sesión ya concluyó."))
    seat = _voter_seat(motion=motion, user=actor, own_vote=True)
    # Django sets the joined vote only when there is one (a filtered relation left empty sets nothing).
    membership, vote = seat.membership, getattr(seat, "own_vote", None)
    if vote is None:
        vote = Vote(motion=motion, voter=membership.person, membership=membership, option=option)
        with_reason(vote, _("Voto emitido")).save()
        event_record(actor=actor, subject=motion, action="vote_cast", to_state=option)
        return vote
    vote.motion = motion  # the locked one, with its point and session: the caller reads them from the vote
    if vote.option != option:
        previous = vote.option
        vote.option = option
        vote.cast_at = timezone.now()
        with_reason(vote, _("Voto cambiado")).save()
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
        "percent": percent_text(required_percent)
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


def incomplete_message(motion: Motion, outcome: Outcome) -> str:
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
    require_session_manager(actor, session.body)
    if motion.state != MotionState.OPEN:
        raise DomainError(_("La votación no está abierta."))
    require_unchanged(motion.agenda_item)  # the decision is on the content frozen on the agenda, or none
    outcome = motion_outcome(motion)
    if outcome.missing and not confirmed:
        raise VoteIncomplete(incomplete_message(motion, outcome))
    tally = outcome.tally
    motion.votes_for, motion.votes_against, motion.abstentions = (
        tally.votes_for,
        tally.votes_against,
        tally.abstentions,
    )
    motion.result = outcome.result()
    motion.state = MotionState.CLOSED
    motion.closed_at = timezone.now()
    with_reason(motion, _("Cierre de la votación")).save()
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
    with_reason(resolution, _("Acuerdo registrado")).save()
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
