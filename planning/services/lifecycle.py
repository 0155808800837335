"""The lifecycle of planning instruments: borrador → en revisión → aprobado → publicado (→ sustituido).

Approval happens only through a passing vote of the competent body (``councils.approvals`` calls
``instrument_mark_approved`` with the resolution); nothing else moves an instrument to *aprobado*.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from guardian.shortcuts import assign_perm, get_groups_with_perms, get_users_with_perms

from councils import approvals
from councils.models import Body, BodyKind, MotionResult, Resolution
from implan.errors import DomainError
from implan.events import event_record, events_for
from implan.hashing import content_hash
from implan.models import Approvable, LifecycleState
from implan.notifications import in_portal_language, notify, register_kind
from implan.permissions import require_planner
from planning import report_files
from planning.frozen import instrument_fingerprint, instrument_snapshot
from planning.models import (
    AnnualReport,
    Budget,
    Diagnosis,
    Evaluation,
    Goal,
    GovernmentPlan,
    Objective,
    Programme,
    StrategicPlan,
    Strategy,
    Vision,
)
from planning.services.mir import mir_copy
from planning.submission import refusal as submission_refusal
from planning.versions import versions_of, workspace_url

INSTRUMENT_APPROVED = "instrument_approved"
INSTRUMENT_REJECTED = "instrument_rejected"
INSTRUMENT_RETURNED = "instrument_returned"
register_kind(INSTRUMENT_APPROVED, gettext_lazy("Instrumento aprobado"))
register_kind(INSTRUMENT_REJECTED, gettext_lazy("Instrumento no aprobado en una votación"))
register_kind(INSTRUMENT_RETURNED, gettext_lazy("Instrumento devuelto a borrador por otra persona"))

ALLOWED = {
    LifecycleState.DRAFT: {LifecycleState.IN_REVIEW},
    LifecycleState.IN_REVIEW: {LifecycleState.APPROVED, LifecycleState.DRAFT},
    LifecycleState.APPROVED: {LifecycleState.PUBLISHED},
    LifecycleState.PUBLISHED: {LifecycleState.SUPERSEDED},
}


def _move(instrument: Approvable, to: str, *, actor: Any, reason: str, data: dict | None = None) -> Approvable:
    locked = type(instrument).objects.select_for_update().get(pk=instrument.pk)
    if to not in ALLOWED.get(locked.state, set()):
        raise DomainError(
            _("No se puede pasar de «%(from)s» a «%(to)s».")
            % {"from": locked.get_state_display(), "to": LifecycleState(to).label}
        )
    previous = locked.state
    locked.state = to
    if to == LifecycleState.APPROVED:
        locked.approved_at = timezone.now()
        locked.content_hash = content_hash(locked.hashed_content())
    if to == LifecycleState.PUBLISHED:
        locked.published_at = timezone.now()
    locked._change_reason = reason
    locked.save()
    event_record(
        actor=actor, subject=locked, action=f"instrument_{to}", from_state=previous, to_state=to, note=reason, data=data
    )
    return locked


@transaction.atomic
def instrument_submit(*, instrument: Approvable, actor: Any) -> Approvable:
    """Send a draft for approval: it becomes available for the agenda of the body whose vote it awaits.

    Apps above planning may hold it back (``planning.submission``), e.g. until a required consultation's report is
    published."""
    require_planner(actor)
    # Locked before the checks: an edit of its parts (a MIR row…) locks it too, so none lands between check and move.
    locked = type(instrument).objects.select_for_update().get(pk=instrument.pk)
    reason = submission_refusal(locked)
    if reason:
        raise DomainError(reason)
    return _move(locked, LifecycleState.IN_REVIEW, actor=actor, reason=_("Enviado a aprobación"))


@transaction.atomic
def instrument_withdraw(*, instrument: Approvable, actor: Any) -> Approvable:
    """Take an instrument in review back to draft, to edit it. Not while a body votes on it: the vote is on the
    version frozen on the agenda, which must not change under it (a session's agenda keeps that version; after an
    edit, its secretary freezes the new one before the session starts, or the point is not voted)."""
    require_planner(actor)
    if approvals.vote_open_on(instrument):
        raise DomainError(
            _(
                "«%(i)s» se está votando ahora en sesión: no se puede retirar de aprobación hasta que cierre "
                "la votación."
            )
            % {"i": instrument}
        )
    submitter = _submitter(instrument)
    moved = _move(instrument, LifecycleState.DRAFT, actor=actor, reason=_("Retirado de aprobación"))
    if submitter is not None and submitter != actor:
        _notify_submitter(
            moved,
            submitter,
            INSTRUMENT_RETURNED,
            _("Devuelto a borrador: %(i)s") % {"i": moved},
            _("Retirado de aprobación"),
        )
    return moved


@transaction.atomic
def instrument_publish(*, instrument: Approvable, actor: Any) -> Approvable:
    """Publish an approved version; the version published until now becomes *sustituido*.

    Every other published version of the same instrument is superseded, not only ``previous_version``: a version
    started from an approved one that was never published still replaces the one the public sees.
    """
    require_planner(actor)
    published = _move(instrument, LifecycleState.PUBLISHED, actor=actor, reason=_("Publicado"))
    if isinstance(published, AnnualReport):
        report_files.schedule(published)  # its PDF, laid out once by a worker after this commits
    for other in versions_of(published):
        if other.pk != published.pk and other.state == LifecycleState.PUBLISHED:
            _move(
                other,
                LifecycleState.SUPERSEDED,
                actor=actor,
                reason=_("Sustituido por la versión %(v)s") % {"v": published.version},
            )
    return published


# --- New versions ---------------------------------------------------------------------------------------------

M = TypeVar("M", bound=Any)
NEW_VERSION_FROM = (LifecycleState.APPROVED, LifecycleState.PUBLISHED)


@transaction.atomic
def instrument_new_version(*, instrument: Approvable, actor: Any) -> Approvable:
    """ "Edit" a frozen instrument: a deep copy as a new draft version (version + 1, ``previous_version``).

    Only from the newest version, once approved or published; the copy carries the instrument's parts (a plan's
    vision, vertientes, strategies, objectives and goals; a diagnosis's sections and cited indicators; a
    government plan's programmes and projects; a programme's MIR; a budget's lines and programme ceilings; a
    report's sections; an evaluation's findings). The frozen version stays as it was.
    """
    require_planner(actor)
    old = type(instrument).objects.select_for_update().get(pk=instrument.pk)
    newest = versions_of(old)[0]
    if newest.pk != old.pk:
        raise DomainError(
            _("Ya existe una versión más reciente (versión %(v)s, %(state)s); edite esa.")
            % {"v": newest.version, "state": newest.get_state_display().lower()}
        )
    if old.state not in NEW_VERSION_FROM:
        raise DomainError(
            _(
                "Solo se inicia una nueva versión a partir de una versión aprobada o publicada; "
                "esta está %(state)s y se edita directamente."
            )
            % {"state": old.get_state_display().lower()}
        )
    reason = _("Nueva versión a partir de la versión %(v)s") % {"v": old.version}
    new = _clone(
        old,
        actor=actor,
        reason=reason,
        state=LifecycleState.DRAFT,
        version=old.version + 1,
        previous_version_id=old.pk,
        approved_at=None,
        published_at=None,
        content_hash="",
    )
    COPY_PARTS[type(old)](old, new, actor=actor, reason=reason)
    event_record(
        actor=actor,
        subject=new,
        action="instrument_new_version",
        to_state=LifecycleState.DRAFT,
        note=reason,
        data={"from": old.pk, "from_version": old.version},
    )
    return new


def _clone(obj: M, *, actor: Any, reason: str, **overrides: Any) -> M:
    """A saved copy of ``obj`` with ``overrides`` (attribute names, e.g. ``plan_id``), history and all."""
    values = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if not f.primary_key}
    copy = type(obj)(**{**values, **overrides})
    copy._change_reason = reason
    copy._history_user = actor
    copy.save()
    return copy


def _copy_plan(old: StrategicPlan, new: StrategicPlan, *, actor: Any, reason: str) -> None:
    kw = {"actor": actor, "reason": reason}
    vision = Vision.objects.filter(plan=old).first()
    if vision is not None:
        _clone(vision, plan_id=new.pk, **kw)
    vertientes = {v.pk: _clone(v, plan_id=new.pk, **kw).pk for v in old.vertientes.all()}
    strategies = {}
    for strategy in old.strategies.all():
        strategies[strategy.pk] = _clone(strategy, plan_id=new.pk, vertiente_id=vertientes[strategy.vertiente_id], **kw)
        _copy_object_perms(strategy, strategies[strategy.pk])
    objectives = {
        o.pk: _clone(o, strategy_id=strategies[o.strategy_id].pk, **kw).pk
        for o in Objective.objects.filter(strategy__plan=old)
    }
    for goal in Goal.objects.filter(objective__strategy__plan=old):
        _clone(goal, objective_id=objectives[goal.objective_id], **kw)


def _copy_object_perms(old: Strategy, new: Strategy) -> None:
    """Explicit grants on a strategy (e.g. a commission's right to edit it) carry over to its new version."""
    # guardian's annotations say list[str] and Group; with attach_perms both answers are {holder: [codename, ...]}.
    users = cast(dict[Any, list[str]], get_users_with_perms(old, attach_perms=True, with_group_users=False))
    for user, perms in users.items():
        for perm in perms:
            assign_perm(perm, user, new)
    for group, perms in cast(dict[Any, list[str]], get_groups_with_perms(old, attach_perms=True)).items():
        for perm in perms:
            assign_perm(perm, group, new)


def _copy_diagnosis(old: Diagnosis, new: Diagnosis, *, actor: Any, reason: str) -> None:
    for section in old.sections.prefetch_related("indicators"):
        copy = _clone(section, diagnosis_id=new.pk, actor=actor, reason=reason)
        copy.indicators.set(section.indicators.all())


def _copy_government_plan(old: GovernmentPlan, new: GovernmentPlan, *, actor: Any, reason: str) -> None:
    new._history_user, new._change_reason = actor, reason  # type: ignore[attr-defined]  # read by django-simple-history
    new.programmes.set(old.programmes.all())
    # Projects commit to a government plan from their side (projects.Project.government_plans); planning reaches
    # them only through the reverse relation.
    for project in old.projects.all():
        project._history_user, project._change_reason = actor, reason  # type: ignore[attr-defined]  # read by django-simple-history
        project.government_plans.add(new)


def _copy_budget(old: Budget, new: Budget, *, actor: Any, reason: str) -> None:
    """The ceilings, the lines with their quarterly execution, and the closed quarters: a new version (an ampliación)
    carries the year's execution so far, and a quarter closed stays closed (its figures frozen) in every version."""
    for ceiling in old.programme_ceilings.all():
        _clone(ceiling, budget_id=new.pk, actor=actor, reason=reason)
    for line in old.lines.prefetch_related("executions"):
        copy = _clone(line, budget_id=new.pk, actor=actor, reason=reason)
        for execution in line.executions.all():
            _clone(execution, line_id=copy.pk, actor=actor, reason=reason)
    for closed in old.closed_quarters.all():
        _clone(closed, budget_id=new.pk, actor=actor, reason=reason)


def _copy_report(old: AnnualReport, new: AnnualReport, *, actor: Any, reason: str) -> None:
    for section in old.sections.all():
        _clone(section, report_id=new.pk, actor=actor, reason=reason)


def _copy_evaluation(old: Evaluation, new: Evaluation, *, actor: Any, reason: str) -> None:
    for finding in old.findings.all():
        _clone(finding, evaluation_id=new.pk, actor=actor, reason=reason)


def _copy_programme(old: Programme, new: Programme, *, actor: Any, reason: str) -> None:
    """A programme's own part is its MIR; projects and budget lines point at the version they chose."""
    mir_copy(old, new, clone=lambda obj, **overrides: _clone(obj, actor=actor, reason=reason, **overrides))


COPY_PARTS: dict[type[Approvable], Callable[..., None]] = {
    StrategicPlan: _copy_plan,
    Diagnosis: _copy_diagnosis,
    GovernmentPlan: _copy_government_plan,
    Budget: _copy_budget,
    AnnualReport: _copy_report,
    Evaluation: _copy_evaluation,
    Programme: _copy_programme,
}


def _check_resolution(instrument: Approvable, resolution: Resolution) -> None:
    """Defence in depth: the hook runs only for a resolution whose motion was about this very instrument."""
    item = resolution.motion.agenda_item if resolution.motion is not None else None
    if (
        item is None
        or item.subject_type_id != ContentType.objects.get_for_model(instrument).pk
        or item.subject_id != instrument.pk
    ):
        raise DomainError(_("El acuerdo no corresponde a este instrumento."))


def instrument_mark_approved(instrument: Approvable, resolution: Resolution, actor: Any) -> None:
    """Approval hook: called by councils when the last body in the chain passes the motion."""
    _check_resolution(instrument, resolution)
    assert resolution.motion is not None  # _check_resolution refused a resolution without its motion
    if resolution.motion.result != MotionResult.PASSED:
        raise DomainError(_("Solo una votación aprobatoria aprueba un instrumento."))
    _move(
        instrument,
        LifecycleState.APPROVED,
        actor=actor,
        reason=_("Aprobado por %(body)s, acuerdo %(n)s/%(y)s")
        % {"body": resolution.body, "n": resolution.number, "y": resolution.year},
        data={"resolution": resolution.pk},
    )
    _notify_outcome(instrument, resolution, INSTRUMENT_APPROVED)


def instrument_mark_rejected(instrument: Approvable, resolution: Resolution, actor: Any) -> None:
    """Rejection hook: the instrument goes back to draft with the resolution attached in its event."""
    _check_resolution(instrument, resolution)
    _move(
        instrument,
        LifecycleState.DRAFT,
        actor=actor,
        reason=_("No aprobado por %(body)s, acuerdo %(n)s/%(y)s")
        % {"body": resolution.body, "n": resolution.number, "y": resolution.year},
        data={"resolution": resolution.pk},
    )
    _notify_outcome(instrument, resolution, INSTRUMENT_REJECTED)


def _submitter(instrument: Approvable) -> Any:
    """Who last sent the instrument to approval (the planner its outcome is told to), or None."""
    event = (
        events_for(instrument)
        .filter(action=f"instrument_{LifecycleState.IN_REVIEW}", actor__isnull=False)
        .order_by("-created_at", "-pk")
        .first()
    )
    return event.actor if event is not None else None


@in_portal_language
def _notify_outcome(instrument: Approvable, resolution: Resolution, kind: str) -> None:
    submitter = _submitter(instrument)
    if submitter is None:
        return
    titles = {
        INSTRUMENT_APPROVED: _("Aprobado: %(i)s"),
        INSTRUMENT_REJECTED: _("No aprobado; vuelve a borrador: %(i)s"),
    }
    text = _("%(body)s, acuerdo %(n)s/%(y)s: %(text)s") % {
        "body": resolution.body,
        "n": resolution.number,
        "y": resolution.year,
        "text": resolution.text,
    }
    _notify_submitter(instrument, submitter, kind, titles[kind] % {"i": instrument}, text)


@in_portal_language
def _notify_submitter(instrument: Approvable, submitter: Any, kind: str, title: str, text: str) -> None:
    notify(kind=kind, title=title, text=text, url=workspace_url(instrument) or "", user=submitter)


def _must_be_in_review(instrument: Approvable) -> str | None:
    if instrument.state != LifecycleState.IN_REVIEW:
        return _("Solo se somete a votación un instrumento enviado a aprobación (en revisión).")
    return None


def _bodies(*kinds: str) -> list[Body]:
    bodies = {b.kind: b for b in Body.objects.filter(kind__in=kinds, is_active=True).order_by("pk")}
    missing = [k for k in kinds if k not in bodies]
    if missing:
        raise DomainError(_("Falta registrar el órgano competente: %(kind)s.") % {"kind": BodyKind(missing[0]).label})
    return [bodies[k] for k in kinds]


def _council_then_ayuntamiento(_instrument: Any) -> list[Body]:
    return _bodies(BodyKind.CONSULTATIVE_COUNCIL, BodyKind.AYUNTAMIENTO)


def _ayuntamiento(_instrument: Any) -> list[Body]:
    return _bodies(BodyKind.AYUNTAMIENTO)


def _consultative_council(_instrument: Any) -> list[Body]:
    return _bodies(BodyKind.CONSULTATIVE_COUNCIL)


def _programme_chain(programme: Programme) -> list[Body]:
    """A strategy's programme passes its commission first, then the Consejo Consultivo and the Ayuntamiento."""
    chain = _council_then_ayuntamiento(programme)
    commission = programme.strategy.commission if programme.strategy is not None else None
    return [commission, *chain] if commission is not None else chain


APPROVAL_CHAINS = {
    StrategicPlan: _council_then_ayuntamiento,
    GovernmentPlan: _council_then_ayuntamiento,
    Programme: _programme_chain,
    Budget: _ayuntamiento,
    AnnualReport: _ayuntamiento,
    Diagnosis: _consultative_council,
    Evaluation: _consultative_council,
}


def awaiting_body(instrument: Approvable) -> Body | None:
    """The body whose vote an instrument in review awaits (None when its chain is complete or not registered)."""
    try:
        return approvals.next_body(instrument)
    except DomainError:  # a competent body is not registered yet
        return None


def _in_review(model: type[Any]) -> Any:
    return lambda: model.objects.filter(state=LifecycleState.IN_REVIEW)


def submitted_at(instrument: Approvable) -> Any:
    """When the instrument was last sent to approval: its approval round starts there (see ``councils.approvals``)."""
    return _submissions(instrument).values_list("created_at", flat=True).first()


def submission_query(instrument: Approvable) -> Any:
    """``submitted_at`` as a query (its one column, at most one row), for a query that needs it inside."""
    return _submissions(instrument).values("created_at")[:1]


def _submissions(instrument: Approvable) -> Any:
    return events_for(instrument).filter(action=f"instrument_{LifecycleState.IN_REVIEW}").order_by("-created_at")


def register_approvals() -> None:
    """Tell councils which bodies approve each planning instrument (called from the app config)."""
    for model, chain in APPROVAL_CHAINS.items():
        approvals.register(
            model,
            approving_bodies=chain,
            on_approved=instrument_mark_approved,
            on_rejected=instrument_mark_rejected,
            can_be_put_to_vote=_must_be_in_review,
            pending=_in_review(model),
            round_started=submitted_at,
            round_started_query=submission_query,
            fingerprint=instrument_fingerprint,
            snapshot=instrument_snapshot,
            subject_url=workspace_url,
        )
