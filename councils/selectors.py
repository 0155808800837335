"""Reads of the councils' public record. Each page is a fixed number of queries, whatever the data size.

Public code never touches ``PersonContact``: only public names, roles, attendance and votes leave the portal.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from guardian.shortcuts import get_users_with_perms

from councils.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Body,
    BodyTerm,
    Membership,
    Minutes,
    MinutesState,
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
from implan import roles
from implan.events import events_for
from implan.licence import popolo_meta
from implan.models import Event

PUBLIC_SESSION_STATES = [SessionState.CONVENED, SessionState.IN_PROGRESS, SessionState.CLOSED]


def public_bodies() -> QuerySet[Body]:
    return (
        Body.objects.active()
        .annotate(
            members=Count("memberships", filter=Q(memberships__end_date__isnull=True), distinct=True),
        )
        .order_by("kind", "name")
    )


@dataclass(frozen=True)
class BodyRecord:
    body: Body
    on: datetime.date
    current: list[Membership]
    past: list[Membership]
    seats_used: int
    resolutions: list[Resolution]
    term: BodyTerm | None = None  # the term in force on ``on``
    next_term: BodyTerm | None = None  # the first term to begin after ``on``, once a renewal recorded it
    next_members: list[Membership] = field(default_factory=list)  # the seats that term opens


def body_record(*, body: Body, on: datetime.date | None = None) -> BodyRecord:
    """Members as of ``on`` (today by default), past members, recent resolutions, the term in force and the next
    one with its members: four queries."""
    on = on or timezone.localdate()
    memberships = list(body.memberships.select_related("person").order_by("person__sort_name", "start_date"))
    current = [m for m in memberships if m.start_date <= on and (m.end_date is None or m.end_date >= on)]
    past = [m for m in memberships if m.end_date is not None and m.end_date < on]
    resolutions = list(body.resolutions.select_related("session").order_by("-adopted_on", "-number")[:10])
    terms = list(body.terms.order_by("start_date"))
    term = next((t for t in terms if t.start_date <= on <= t.end_date), None)
    next_term = next((t for t in terms if t.start_date > on), None)
    return BodyRecord(
        body=body,
        on=on,
        current=current,
        past=past,
        seats_used=sum(1 for m in current if m.has_vote),
        resolutions=resolutions,
        term=term,
        next_term=next_term,
        next_members=[m for m in memberships if next_term is not None and m.term_id == next_term.pk],
    )


# --- Renewal ---------------------------------------------------------------------------------------------------


def renewal_outgoing(*, body: Body) -> QuerySet[Membership]:
    """The body's citizen members today: those a renewal may keep."""
    return body.memberships.current().citizens().select_related("person").order_by("person__sort_name")


@dataclass(frozen=True)
class ScheduledRenewal:
    """A renewal recorded in advance: its term, who of the outgoing citizens continues and who joins."""

    term: BodyTerm
    continuing: list[Person]
    joining: list[Person]


def scheduled_renewal(*, body: Body) -> ScheduledRenewal | None:
    """The latest term still to begin, with the people it seats (three queries); None when there is none."""
    term = body.terms.filter(start_date__gt=timezone.localdate()).order_by("-start_date").first()
    if term is None:
        return None
    seated = [
        m.person
        for m in term.memberships.filter(start_date=term.start_date)
        .select_related("person")
        .order_by("person__sort_name", "person__name", "person__pk")
    ]
    eve = term.start_date - datetime.timedelta(days=1)
    outgoing = set(body.memberships.active_on(eve).citizens().values_list("person_id", flat=True))
    return ScheduledRenewal(
        term=term,
        continuing=[p for p in seated if p.pk in outgoing],
        joining=[p for p in seated if p.pk not in outgoing],
    )


def renewal_initial(*, renewal: ScheduledRenewal | None, outgoing: Iterable[Membership]) -> dict[str, Any]:
    """The renewal form's starting values: a renewal recorded in advance is corrected by recording it again."""
    if renewal is None:
        return {}
    outgoing = list(outgoing)
    seated = {p.pk for p in [*renewal.continuing, *renewal.joining]}
    outgoing_people = {m.person_id for m in outgoing}
    return {
        "name": renewal.term.name,
        "start_date": renewal.term.start_date,
        "end_date": renewal.term.end_date,
        "continuing": [m.pk for m in outgoing if m.person_id in seated],
        "joining": sorted(seated - outgoing_people),
    }


RENEWAL_LABELS = {
    "name": gettext_lazy("Nombre del nuevo periodo"),
    "start_date": gettext_lazy("Inicio del periodo"),
    "end_date": gettext_lazy("Fin del periodo"),
    "continuing": gettext_lazy("Integrantes ciudadanos que continúan"),
    "joining": gettext_lazy("Personas que se integran"),
}


def renewal_snapshot(renewal: ScheduledRenewal | None) -> dict[str, str]:
    """The renewal recorded in advance as the renewal form shows it (all empty when there is none): what the form
    remembers on opening and the service compares under the body's lock (``implan.concurrency``)."""
    if renewal is None:
        return dict.fromkeys(RENEWAL_LABELS, "")
    term = renewal.term
    return {
        "name": term.name,
        "start_date": term.start_date.isoformat(),
        "end_date": term.end_date.isoformat(),
        "continuing": ", ".join(p.name for p in renewal.continuing),
        "joining": ", ".join(p.name for p in renewal.joining),
    }


# --- Technical secretaries (the administration's page of a body) ----------------------------------------------

# What a body's technical secretary holds on it: django-guardian permissions on the body, granted and revoked together
# by councils.services.body_secretary_grant / body_secretary_revoke.
SECRETARY_PERMISSIONS = ("manage_sessions", "manage_memberships")
SECRETARY_ACTIONS = ("body_secretary_granted", "body_secretary_revoked")
SECRETARY_PERMISSION_LABELS = {
    "manage_sessions": gettext_lazy("convoca y conduce sus sesiones"),
    "manage_memberships": gettext_lazy("administra sus integrantes"),
}


@dataclass(frozen=True)
class SecretaryGrant:
    """An account holding a secretary's permissions on a body (both, or one left by an earlier grant)."""

    user: Any
    permissions: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return set(self.permissions) == set(SECRETARY_PERMISSIONS)

    @property
    def labels(self) -> list[str]:
        return [str(SECRETARY_PERMISSION_LABELS[p]) for p in SECRETARY_PERMISSIONS if p in self.permissions]


def body_secretaries(*, body: Body) -> list[SecretaryGrant]:
    """Accounts granted a secretary's permissions on ``body`` themselves (not through a group; superusers, who may
    do everything, are not listed), by surname."""
    # guardian's annotation says list[str]; with attach_perms it is {user: [codename, ...]}.
    held = cast(
        dict[Any, list[str]],
        get_users_with_perms(
            body,
            attach_perms=True,
            with_superusers=False,
            with_group_users=False,
            only_with_perms_in=list(SECRETARY_PERMISSIONS),
        ),
    )
    grants = [SecretaryGrant(user=user, permissions=tuple(sorted(perms))) for user, perms in held.items()]
    return sorted(grants, key=lambda g: (g.user.last_name, g.user.first_name, g.user.get_username()))


def secretary_candidates(*, holders: Iterable[SecretaryGrant]) -> QuerySet:
    """Active accounts with the «Secretaría técnica» role that do not yet hold both permissions on the body."""
    complete = [g.user.pk for g in holders if g.complete]
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=roles.TECHNICAL_SECRETARY)
        .exclude(pk__in=complete)
        .order_by("last_name", "first_name", "username")
    )


def secretary_movements(*, body: Body, limit: int = 20) -> QuerySet[Event]:
    """The latest grants and revocations of the body's technical secretary, newest first."""
    return events_for(body).filter(action__in=SECRETARY_ACTIONS).order_by("-created_at", "-pk")[:limit]


def public_sessions(*, body: Body) -> QuerySet[Session]:
    """The sessions the public sees: none of a private body (``Body.is_public``); each says whether its minutes are
    published (the list links them)."""
    if not body.is_public:
        return body.sessions.none()
    published = Minutes.objects.filter(session=OuterRef("pk"), state=MinutesState.PUBLISHED)
    return (
        body.sessions.filter(state__in=PUBLIC_SESSION_STATES)
        .annotate(minutes_published=Exists(published))
        .order_by("-scheduled_at")
    )


@dataclass(frozen=True)
class SessionRecord:
    session: Session
    items: list[AgendaItem]
    attendance: list[Attendance]
    present: int
    minutes: Minutes | None


def session_record(*, session: Session) -> SessionRecord:
    """Agenda with motions, each vote and resolution; attendance; published minutes (a fixed number of queries)."""
    votes = Vote.objects.select_related("voter", "membership").order_by("voter__sort_name")
    motions = (
        Motion.objects.filter(state=MotionState.CLOSED)
        .select_related("resolution")
        .prefetch_related(Prefetch("votes", queryset=votes))
        .order_by("closed_at")
    )
    items = list(
        session.agenda_items.prefetch_related(Prefetch("motions", queryset=motions), "subject").order_by("order")
    )
    attendance = list(
        session.attendances.select_related("membership__person").order_by("membership__person__sort_name")
    )
    minutes = Minutes.objects.filter(session=session, state=MinutesState.PUBLISHED).first()
    return SessionRecord(
        session=session,
        items=items,
        attendance=attendance,
        present=sum(1 for a in attendance if a.status == AttendanceStatus.PRESENT),
        minutes=minutes,
    )


# --- Open data ---------------------------------------------------------------------------------------------------

POPOLO_OPTION: dict[str, str] = {VoteOption.YES: "yes", VoteOption.NO: "no", VoteOption.ABSTAIN: "abstain"}
# Popolo knows pass and fail; a vote closed without a majority did not pass.
POPOLO_RESULT: dict[str, str] = {
    MotionResult.PASSED: "pass",
    MotionResult.FAILED: "fail",
    MotionResult.NO_MAJORITY: "fail",
}


def _iso(value: datetime.datetime | datetime.date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return value.isoformat()


def popolo_export() -> dict[str, Any]:
    """Bodies, people (public fields only), posts, memberships, motions and vote events in Popolo, with the
    licence and publisher in ``meta``."""
    bodies = list(Body.objects.select_related("parent").order_by("pk"))
    memberships = list(Membership.objects.select_related("person", "body").order_by("pk"))
    votes = Vote.objects.select_related("voter").order_by("pk")
    motions = list(
        Motion.objects.filter(state=MotionState.CLOSED, agenda_item__session__body__is_public=True)
        .select_related("agenda_item__session__body")
        .prefetch_related(Prefetch("votes", queryset=votes))
        .order_by("pk")
    )
    people = {m.person_id: m.person for m in memberships}
    posts = {(m.body_id, m.role): m for m in memberships}
    return {
        "meta": popolo_meta(),
        "organizations": [_organization(b) for b in bodies],
        "persons": [
            {"id": f"person/{p.slug}", "name": p.name, "sort_name": p.sort_name or p.name} for p in people.values()
        ],
        "posts": [
            {
                "id": _post_id(m),
                "label": m.get_role_display(),
                "role": m.role,
                "organization_id": f"organization/{m.body.slug}",
            }
            for m in posts.values()
        ],
        "memberships": [_membership(m) for m in memberships],
        "motions": [_motion(m) for m in motions],
        "vote_events": [_vote_event(m) for m in motions],
    }


def _organization(body: Body) -> dict[str, Any]:
    data = {"id": f"organization/{body.slug}", "name": body.name, "classification": body.kind}
    if body.parent is not None:
        data["parent_id"] = f"organization/{body.parent.slug}"
    return data


def _post_id(membership: Membership) -> str:
    return f"post/{membership.body.slug}/{membership.role}"


def _membership(m: Membership) -> dict[str, Any]:
    data = {
        "id": f"membership/{m.pk}",
        "person_id": f"person/{m.person.slug}",
        "role": m.get_role_display(),
        "organization_id": f"organization/{m.body.slug}",
        "post_id": _post_id(m),
        "start_date": _iso(m.start_date),
    }
    if m.end_date:
        data["end_date"] = _iso(m.end_date)
    return data


def _motion(m: Motion) -> dict[str, Any]:
    return {
        "id": f"motion/{m.pk}",
        "organization_id": f"organization/{m.agenda_item.session.body.slug}",
        "text": m.text,
        "date": _iso(m.opened_at),
        "result": POPOLO_RESULT[m.result],
        "requirement": "qualified majority" if m.qualified else "simple majority",
        "classification": m.agenda_item.get_kind_display(),
    }


def _vote_event(m: Motion) -> dict[str, Any]:
    event_id = f"vote_event/{m.pk}"
    return {
        "id": event_id,
        "motion_id": f"motion/{m.pk}",
        "organization_id": f"organization/{m.agenda_item.session.body.slug}",
        "start_date": _iso(m.opened_at),
        "end_date": _iso(m.closed_at),
        "result": POPOLO_RESULT[m.result],
        "counts": [
            {"option": "yes", "value": m.votes_for},
            {"option": "no", "value": m.votes_against},
            {"option": "abstain", "value": m.abstentions},
        ],
        "votes": [
            {"vote_event_id": event_id, "voter_id": f"person/{v.voter.slug}", "option": POPOLO_OPTION[v.option]}
            for v in m.votes.all()
        ],
    }


def calendar_sessions() -> QuerySet[Session]:
    return (
        Session.objects.filter(state__in=PUBLIC_SESSION_STATES, body__is_public=True)
        .select_related("body")
        .prefetch_related(Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("order")))
        .order_by("scheduled_at")
    )


def bodies_table() -> tuple[list[str], list[list[Any]]]:
    """The public list of bodies as a table (open data)."""
    header = [_("Identificador"), _("Órgano"), _("Tipo"), _("Integrantes vigentes"), _("Asientos"), _("Vigente")]
    rows = [
        [
            b.slug,
            b.name,
            b.get_kind_display(),
            b.members,  # type: ignore[attr-defined]  # public_bodies() annotates the count
            b.seat_limit,
            _("Sí") if b.is_active else _("No"),
        ]
        for b in public_bodies()
    ]
    return header, rows


def members_table() -> tuple[list[str], list[list[Any]]]:
    """Current members of every active body: public facts only (name, body, role, sector, since, vote)."""
    header = [_("Persona"), _("Órgano"), _("Cargo"), _("Sector"), _("Desde"), _("Con voto")]
    memberships = (
        Membership.objects.current()
        .filter(body__is_active=True)
        .select_related("person", "body")
        .order_by("body__name", "person__sort_name")
    )
    rows = [
        [
            m.person.name,
            m.body.name,
            m.get_role_display(),
            m.get_sector_display(),
            m.start_date.isoformat(),
            _("Sí") if m.has_vote else _("No"),
        ]
        for m in memberships
    ]
    return header, rows


def resolutions_table() -> tuple[list[str], list[list[Any]]]:
    """Each resolution with its proposal, result and counts in their own columns (the stored text, «Se aprueba:
    <proposal> (a favor 12, …)», says them all in one sentence that a spreadsheet cannot sum)."""
    header = [
        _("Órgano"),
        _("Año"),
        _("Número"),
        _("Fecha"),
        _("Sesión"),
        _("Propuesta"),
        _("Resultado"),
        _("A favor"),
        _("En contra"),
        _("Abstenciones"),
        _("Presentes"),
    ]
    resolutions = (
        Resolution.objects.filter(body__is_public=True)
        .select_related("body", "session", "motion")
        .order_by("-adopted_on", "body__name", "number")
    )
    return header, [
        [r.body.name, r.year, r.number, r.adopted_on.isoformat(), r.session.number, *_outcome(r)] for r in resolutions
    ]


def _outcome(resolution: Resolution) -> list[Any]:
    motion = resolution.motion
    if motion is None:  # recorded without a vote in the portal: its text is all there is
        return [resolution.text, "", "", "", "", ""]
    return [
        motion.text,
        motion.get_result_display(),
        motion.votes_for,
        motion.votes_against,
        motion.abstentions,
        motion.present_voting_members,
    ]
