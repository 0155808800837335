"""The lifecycle of planning instruments: borrador → en revisión → aprobado → publicado (→ sustituido).

Approval happens only through a passing vote of the competent body (``councils.approvals`` calls
``instrument_mark_approved`` with the resolution); nothing else moves an instrument to *aprobado*.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from councils import approvals
from councils.models import Body, BodyKind, MotionResult, Resolution
from implan.errors import DomainError
from implan.events import event_record
from implan.hashing import content_hash
from implan.models import Approvable, LifecycleState
from implan.permissions import is_planner
from planning.models import (
    AnnualReport,
    Budget,
    Diagnosis,
    Evaluation,
    GovernmentPlan,
    Programme,
    StrategicPlan,
)

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
    event_record(actor=actor, subject=locked, action=f"instrument_{to}", from_state=previous, to_state=to,
                 note=reason, data=data)
    return locked


def _require_planner(actor: Any) -> None:
    if not is_planner(actor):
        raise PermissionDenied(_("Solo el cuerpo técnico de planeación puede hacerlo."))


@transaction.atomic
def instrument_submit(*, instrument: Approvable, actor: Any) -> Approvable:
    """Send a draft for approval: it becomes available for the agenda of the body whose vote it awaits."""
    _require_planner(actor)
    return _move(instrument, LifecycleState.IN_REVIEW, actor=actor, reason=_("Enviado a aprobación"))


@transaction.atomic
def instrument_withdraw(*, instrument: Approvable, actor: Any) -> Approvable:
    _require_planner(actor)
    return _move(instrument, LifecycleState.DRAFT, actor=actor, reason=_("Retirado de aprobación"))


@transaction.atomic
def instrument_publish(*, instrument: Approvable, actor: Any) -> Approvable:
    """Publish an approved version; the version it replaces becomes *sustituido*."""
    _require_planner(actor)
    published = _move(instrument, LifecycleState.PUBLISHED, actor=actor, reason=_("Publicado"))
    previous = getattr(published, "previous_version", None)
    if previous is not None and previous.state == LifecycleState.PUBLISHED:
        _move(previous, LifecycleState.SUPERSEDED, actor=actor, reason=_("Sustituido por una nueva versión"))
    return published


def _check_resolution(instrument: Approvable, resolution: Resolution) -> None:
    """Defence in depth: the hook runs only for a resolution whose motion was about this very instrument."""
    item = resolution.motion.agenda_item if resolution.motion_id else None
    if (
        item is None
        or item.subject_type_id != ContentType.objects.get_for_model(instrument).pk
        or item.subject_id != instrument.pk
    ):
        raise DomainError(_("El acuerdo no corresponde a este instrumento."))


def instrument_mark_approved(instrument: Approvable, resolution: Resolution, actor: Any) -> None:
    """Approval hook: called by councils when the last body in the chain passes the motion."""
    _check_resolution(instrument, resolution)
    if resolution.motion.result != MotionResult.PASSED:
        raise DomainError(_("Solo una votación aprobatoria aprueba un instrumento."))
    _move(instrument, LifecycleState.APPROVED, actor=actor, reason=_("Aprobado por %(body)s, acuerdo %(n)s/%(y)s")
          % {"body": resolution.body, "n": resolution.number, "y": resolution.year},
          data={"resolution": resolution.pk})


def instrument_mark_rejected(instrument: Approvable, resolution: Resolution, actor: Any) -> None:
    """Rejection hook: the instrument goes back to draft with the resolution attached in its event."""
    _check_resolution(instrument, resolution)
    _move(instrument, LifecycleState.DRAFT, actor=actor, reason=_("No aprobado por %(body)s, acuerdo %(n)s/%(y)s")
          % {"body": resolution.body, "n": resolution.number, "y": resolution.year},
          data={"resolution": resolution.pk})


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
    commission = programme.strategy.commission if programme.strategy_id else None
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


def _in_review(model: type) -> Any:
    return lambda: model.objects.filter(state=LifecycleState.IN_REVIEW)


def register_approvals() -> None:
    """Tell councils which bodies approve each planning instrument (called from the app config)."""
    for model, chain in APPROVAL_CHAINS.items():
        approvals.register(model, approving_bodies=chain, on_approved=instrument_mark_approved,
                           on_rejected=instrument_mark_rejected, can_be_put_to_vote=_must_be_in_review,
                           pending=_in_review(model))
