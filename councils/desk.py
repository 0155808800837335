"""Reads of the secretary's desk and of a vote in progress (selectors: a fixed number of queries each).

The desk is what a technical secretary finds on the workspace home, per body they conduct: the subjects awaiting
that body, its sessions convened and in progress (a session left in progress too long is flagged), the minutes to
draft or publish, and the votes closed without a resolution. Its queries do not grow with the number of bodies or
sessions (only with the number of subjects awaiting a vote, which each owning app judges on its own).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from councils import approvals
from councils.models import (
    AgendaItem,
    Body,
    Minutes,
    MinutesState,
    Motion,
    MotionResult,
    MotionState,
    ReplyAnswer,
    Session,
    SessionState,
)
from implan.permissions import objects_for
from implan.types import Actor

# A session still «en curso» this long after it started was most likely never concluded: the desk flags it.
STALE_SESSION_AFTER = datetime.timedelta(hours=12)


@dataclass(frozen=True)
class PendingSubject:
    subject: Any
    key: str  # approvals.subject_key: what the «Convocar» link and the «Agregar» button send


@dataclass(frozen=True)
class SessionUnderWay:
    session: Session
    stale: bool  # in progress for more than STALE_SESSION_AFTER


@dataclass
class BodyDesk:
    body: Body
    awaiting: list[PendingSubject] = field(default_factory=list)
    convened: list[Session] = field(default_factory=list)
    in_progress: list[SessionUnderWay] = field(default_factory=list)
    minutes_to_draft: list[Session] = field(default_factory=list)
    minutes_to_publish: list[Minutes] = field(default_factory=list)
    without_resolution: list[Motion] = field(default_factory=list)

    @property
    def idle(self) -> bool:
        """Nothing waits for the secretary on this body."""
        return not (
            self.awaiting
            or self.convened
            or self.in_progress
            or self.minutes_to_draft
            or self.minutes_to_publish
            or self.without_resolution
        )


def secretary_desk(*, user: Actor, managed: list[Body] | None = None) -> list[BodyDesk]:
    """The desk of every body whose sessions ``user`` conducts, by name; empty for everyone else. ``managed``: those
    bodies (active or not, by name) when the caller has read them already."""
    if managed is None:
        managed = list(objects_for(user, "councils.manage_sessions", Body.objects.all()).order_by("name"))
    bodies = [b for b in managed if b.is_active]
    if not bodies:
        return []
    desks = {b.pk: BodyDesk(body=b) for b in bodies}
    stale_before = timezone.now() - STALE_SESSION_AFTER
    for session in (
        Session.objects.filter(body__in=desks, state__in=[SessionState.CONVENED, SessionState.IN_PROGRESS])
        # The members' answers to the convocation (asistiré / no asistiré), counted in the same query.
        .annotate(
            attending=Count("replies", filter=Q(replies__answer=ReplyAnswer.ATTENDING)),
            not_attending=Count("replies", filter=Q(replies__answer=ReplyAnswer.NOT_ATTENDING)),
        )
        .order_by("scheduled_at")
    ):
        desk = desks[session.body_id]
        if session.state == SessionState.CONVENED:
            desk.convened.append(session)
        else:
            stale = session.started_at is not None and session.started_at < stale_before
            desk.in_progress.append(SessionUnderWay(session=session, stale=stale))
    for session in Session.objects.filter(body__in=desks, state=SessionState.CLOSED, minutes__isnull=True).order_by(
        "-scheduled_at"
    ):
        desks[session.body_id].minutes_to_draft.append(session)
    for minutes in (
        Minutes.objects.filter(session__body__in=desks, state=MinutesState.APPROVED)
        .select_related("session")
        .order_by("session__scheduled_at")
    ):
        desks[minutes.session.body_id].minutes_to_publish.append(minutes)
    for motion in _without_resolution(desks):
        desks[motion.agenda_item.session.body_id].without_resolution.append(motion)
    awaiting = approvals.awaiting_by_body()
    # A subject already on the agenda of a session convened or under way is waiting for that session, not for the
    # secretary: it is not offered again.
    on_agenda = set(
        AgendaItem.objects.filter(
            session__body__in=desks,
            session__state__in=[SessionState.CONVENED, SessionState.IN_PROGRESS],
            subject_id__isnull=False,
        ).values_list("session__body_id", "subject_type_id", "subject_id")
    )
    for body_id, desk in desks.items():
        desk.awaiting = [
            PendingSubject(s, approvals.subject_key(s))
            for s in awaiting.get(body_id, [])
            if (body_id, ContentType.objects.get_for_model(s).pk, s.pk) not in on_agenda
        ]
    return list(desks.values())


def _without_resolution(desks: dict[int, BodyDesk]) -> list[Motion]:
    """Votes closed «sin mayoría» that are still the last word on their point (none opened on it since)."""
    later = Motion.objects.filter(agenda_item=OuterRef("agenda_item"), pk__gt=OuterRef("pk"))
    return list(
        Motion.objects.filter(
            agenda_item__session__body__in=desks, state=MotionState.CLOSED, result=MotionResult.NO_MAJORITY
        )
        .exclude(Exists(later))
        .select_related("agenda_item__session")
        .order_by("closed_at")
    )


# --- A vote in progress ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VoteCount:
    """How many of the members present have voted: the only thing said about an open vote while it is open."""

    cast: int
    present: int
    open: bool


def subject_url(item: AgendaItem) -> str | None:
    """The page where members read the subject of an agenda point (its owning app says which), if any."""
    if item.subject_type_id is None:
        return None
    subject = item.subject
    rule = approvals.rule_for(subject) if subject is not None else None
    return rule.subject_url(subject) if rule is not None else None
