"""The generic approval mechanism: councils approves things it does not know.

An owning app registers, for each model it wants approved, which bodies must pass it and in which order, and
what happens when the final vote passes or any vote fails. ``councils`` only calls those hooks.

    approvals.register(
        Budget,
        approving_bodies=lambda budget: [consultative_council(), ayuntamiento()],
        on_approved=budget_mark_approved,   # (subject, resolution, actor) -> None
        on_rejected=budget_mark_rejected,   # (subject, resolution, actor) -> None
        fingerprint=instrument_fingerprint, # (subject) -> str: the hash of its content
        snapshot=instrument_snapshot,       # (subject) -> dict: what members read, frozen on the agenda
    )

What a session decides on is frozen when the subject is put on its agenda (``councils.models.FrozenSubject``): the
``fingerprint`` of its content and a ``snapshot`` that councils stores and shows without knowing the subject:

    {
        "label": "Plan municipal, versión 2",           # the exact version under vote
        "version": 2,                                    # or None
        "data": [["Título", "…"], ["Resumen", "…"]],     # the version's own data, as label/value pairs
        "in_force": "versión 1 (publicada)",             # the version it would replace, or ""
        "diff": None | {                                 # its differences from the version in force
            "from": 1, "to": 2, "is_empty": False,
            "fields": [{"label", "old", "new", "words": None | [[op, text], …]}],  # op: equal | delete | insert
            "groups": [{"label", "parts": [{"title", "status", "status_label", "fields": [...]}]}],
        },
        "url": "/espacio/instrumentos/plan/7/comparar/?con=3",  # the owner's page of those differences
    }
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, Q, Subquery
from django.utils.translation import gettext_lazy

from implan.errors import DomainError
from implan.params import is_number

if TYPE_CHECKING:
    from councils.models import Body, Resolution

Hook = Callable[[Any, "Resolution", Any], None]


@dataclass(frozen=True)
class ApprovalRule:
    approving_bodies: Callable[[Any], list[Body]]
    on_approved: Hook
    on_rejected: Hook
    # Called when the subject is put on an agenda: the owner may refuse (e.g. not submitted yet).
    can_be_put_to_vote: Callable[[Any], str | None] = lambda subject: None
    # The owner's candidates for a vote (e.g. instruments in review), offered when a session is convened.
    pending: Callable[[], Any] | None = None
    # When the subject's current approval round began (e.g. its latest submission), or None for "always": votes
    # passed before it do not count, so content withdrawn or rejected, edited and submitted again goes through the
    # whole chain again instead of skipping the bodies that passed a different text.
    round_started: Callable[[Any], datetime.datetime | None] = lambda subject: None
    # The same as a query of one column and at most one row (None: only ``round_started``), so that a page asking
    # where the subject stands reads it inside its own query instead of before it.
    round_started_query: Callable[[Any], models.QuerySet] | None = None
    # The hash of the subject's content (its own data and its parts): a vote is opened and closed only on the
    # content frozen on the agenda. None: the subject has no content that can change under the vote.
    fingerprint: Callable[[Any], str] | None = None
    # What members read about the exact version under vote (see the module's docstring).
    snapshot: Callable[[Any], dict[str, Any]] | None = None
    # The page where members read the subject (linked beside an open vote), or None when it has none.
    subject_url: Callable[[Any], str | None] = lambda subject: None


_registry: dict[type[models.Model], ApprovalRule] = {}


def register(model: type[models.Model], **rule: Any) -> None:
    _registry[model] = ApprovalRule(**rule)


def rule_for(subject: models.Model) -> ApprovalRule | None:
    return _registry.get(type(subject))


def registered_models() -> list[type[models.Model]]:
    return list(_registry)


def passed_bodies(subject: models.Model) -> list[int]:
    """Ids of the bodies that have passed a motion on ``subject`` in its current approval round, in order."""
    from councils.models import Motion, MotionResult

    motions = Motion.objects.filter(
        agenda_item__subject_type=ContentType.objects.get_for_model(subject),
        agenda_item__subject_id=subject.pk,
        result=MotionResult.PASSED,
    )
    rule = rule_for(subject)
    if rule is not None:
        motions = _in_round(motions, rule, subject)
    return list(motions.order_by("closed_at").values_list("agenda_item__session__body_id", flat=True))


def _in_round(motions: models.QuerySet, rule: ApprovalRule, subject: models.Model) -> models.QuerySet:
    """The ``motions`` opened since the subject's current approval round began: a vote opened before it was on
    another text."""
    if rule.round_started_query is not None:  # the same rule inside the motions' query
        latest = rule.round_started_query(subject)
        return motions.filter(Q(opened_at__gte=Subquery(latest)) | ~Exists(latest))
    started = rule.round_started(subject)
    return motions.filter(opened_at__gte=started) if started is not None else motions


def next_body(subject: models.Model) -> Body | None:
    """The body whose vote ``subject`` awaits, or None when the chain is complete."""
    rule = rule_for(subject)
    if rule is None:
        return None
    done = set(passed_bodies(subject))
    for body in rule.approving_bodies(subject):
        if body.pk not in done:
            return body
    return None


def awaiting(body: Body) -> list[models.Model]:
    """Subjects whose next vote is this body's: what a secretary can put on the next agenda."""
    found = []
    for rule in _registry.values():
        if rule.pending is None:
            continue
        for subject in rule.pending():
            if rule.can_be_put_to_vote(subject) is None and getattr(next_body(subject), "pk", None) == body.pk:
                found.append(subject)
    return found


def is_final_step(subject: models.Model, body: Body) -> bool:
    rule = rule_for(subject)
    return rule is not None and rule.approving_bodies(subject)[-1].pk == body.pk


def vote_open_on(subject: models.Model) -> bool:
    """Whether a vote on ``subject`` is open now: its owner must not let it change meanwhile."""
    from councils.models import Motion, MotionState

    return Motion.objects.filter(
        agenda_item__subject_type=ContentType.objects.get_for_model(subject),
        agenda_item__subject_id=subject.pk,
        state=MotionState.OPEN,
    ).exists()


class ChainStatus(models.TextChoices):
    DONE = "aprobo", gettext_lazy("Aprobado")
    IN_SESSION = "en_sesion", gettext_lazy("En sesión")
    WAITING = "en_espera", gettext_lazy("En espera")


@dataclass(frozen=True)
class ChainStep:
    """One body of a subject's approval chain: done (with its resolution), on a session's agenda, or waiting."""

    body: Body
    status: str
    session: Any = None  # the session that approved it, or whose agenda has it now
    resolution: Any = None

    @property
    def status_label(self) -> str:
        return str(ChainStatus(self.status).label)


def approval_chain(subject: models.Model) -> list[ChainStep]:
    """Every body that must approve ``subject``, in order, with where the subject stands with each (3 queries).

    Done: the body passed a motion on it in the current round. In session: it is on the agenda of a session of
    that body convened or under way (and not yet passed there). Waiting: neither.
    """
    from councils.models import AgendaItem, Motion, MotionResult, SessionState

    rule = rule_for(subject)
    if rule is None:
        return []
    bodies = rule.approving_bodies(subject)
    subject_type = ContentType.objects.get_for_model(subject)
    passed = Motion.objects.filter(
        agenda_item__subject_type=subject_type, agenda_item__subject_id=subject.pk, result=MotionResult.PASSED
    )
    passed = _in_round(passed, rule, subject)
    done = {
        m.agenda_item.session.body_id: m
        for m in passed.select_related("agenda_item__session", "resolution").order_by("closed_at")
    }
    pending = AgendaItem.objects.filter(
        subject_type=subject_type,
        subject_id=subject.pk,
        session__state__in=[SessionState.CONVENED, SessionState.IN_PROGRESS],
    ).select_related("session")
    on_agenda = {item.session.body_id: item.session for item in pending.order_by("session__scheduled_at")}
    steps = []
    for body in bodies:
        if body.pk in done:
            motion = done[body.pk]
            resolution = getattr(motion, "resolution", None)
            steps.append(ChainStep(body, ChainStatus.DONE, motion.agenda_item.session, resolution))
        elif body.pk in on_agenda:
            steps.append(ChainStep(body, ChainStatus.IN_SESSION, on_agenda[body.pk]))
        else:
            steps.append(ChainStep(body, ChainStatus.WAITING))
    return steps


def subject_key(subject: models.Model) -> str:
    """How a form names a subject: ``<app>.<model>:<id>`` (the convocation's checkboxes, the desk's buttons)."""
    return f"{subject._meta.label_lower}:{subject.pk}"


def subject_from_key(key: str) -> models.Model | None:
    """The subject a ``subject_key`` names, if its model is one the bodies approve and it exists."""
    label, _, pk = key.partition(":")
    model = next((m for m in _registry if m._meta.label_lower == label), None)
    if model is None or not is_number(pk):
        return None
    return model._default_manager.filter(pk=int(pk)).first()


def awaiting_by_body() -> dict[int, list[models.Model]]:
    """Every pending subject grouped by the id of the body whose vote it awaits: one pass for all bodies.

    The queries depend on the number of pending subjects, never on the number of bodies or sessions (the desk lists
    many bodies on one page).
    """
    found: dict[int, list[models.Model]] = {}
    for rule in _registry.values():
        if rule.pending is None:
            continue
        for subject in rule.pending():
            if rule.can_be_put_to_vote(subject) is not None:
                continue
            try:
                body = next_body(subject)
            except DomainError:  # a chain whose competent body is not registered yet awaits nobody
                continue
            if body is not None:
                found.setdefault(body.pk, []).append(subject)
    return found
