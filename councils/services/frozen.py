"""The version a session decides on: frozen when a point with a subject is put on the agenda.

The rule (enforced here, called by ``votes.motion_open`` and ``votes.motion_close``): a vote is opened and closed only
while the subject's content is the one frozen on the point. If it changed (withdrawn from approval, edited and sent
again), the point says so and is not voted; the body's secretary may freeze the new content only before the session
starts, so that members decide on what they received before it (the packet is laid out again). Once the session is
under way, a changed subject waits for another session. The owner of the subject refuses any change while a vote on
it is open (``approvals.vote_open_on``).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from councils import approvals, packets
from councils.models import AgendaItem, FrozenSubject, Session, SessionState
from councils.services.base import require_session_manager, with_reason
from implan.errors import DomainError
from implan.events import event_record
from implan.formatting import long_datetime
from implan.types import Actor

# The longest label kept (``FrozenSubject.label``).
LABEL_MAX = 300


def _read(subject: Any) -> tuple[str, dict[str, Any]]:
    """The subject's fingerprint and snapshot, as its owner computes them (empty when it registered none)."""
    rule = approvals.rule_for(subject)
    fingerprint = rule.fingerprint(subject) if rule is not None and rule.fingerprint is not None else ""
    snapshot = rule.snapshot(subject) if rule is not None and rule.snapshot is not None else {}
    snapshot.setdefault("label", str(subject))
    return fingerprint, snapshot


def subject_of(item: AgendaItem) -> Any:
    """The agenda point's subject as stored now."""
    assert item.subject_type is not None  # callers ask only about points with a subject
    return item.subject_type.get_object_for_this_type(pk=item.subject_id)


def subject_freeze(*, actor: Actor, item: AgendaItem, subject: Any) -> FrozenSubject:
    """Freeze the subject's current content on the point (called when the point is set; in its transaction)."""
    subject = type(subject)._default_manager.get(pk=subject.pk)  # as stored (an unsaved 1000000 reads 1000000.00)
    fingerprint, snapshot = _read(subject)
    frozen = FrozenSubject(
        agenda_item=item,
        label=str(snapshot["label"])[:LABEL_MAX],
        fingerprint=fingerprint,
        snapshot=snapshot,
        frozen_at=timezone.now(),
        frozen_by=actor,
    )
    with_reason(frozen, _("Versión congelada en el orden del día")).save()
    event_record(actor=actor, subject=item, action="agenda_subject_frozen", data={"label": frozen.label})
    return frozen


def changed_since_frozen(item: AgendaItem) -> str | None:
    """Why the point may not be voted as frozen (its subject changed since), or None. Points frozen before this rule
    existed (no ``FrozenSubject``) and subjects whose owner keeps no fingerprint are not checked."""
    frozen = FrozenSubject.objects.filter(agenda_item=item).first()
    if frozen is None or not frozen.fingerprint or item.subject_type is None:
        return None
    fingerprint, _snapshot = _read(subject_of(item))
    if fingerprint == frozen.fingerprint:
        return None
    return _(
        "«%(label)s» cambió después de congelarse para esta sesión (%(when)s): no se vota sobre un contenido "
        "distinto del que recibieron los integrantes. Antes de iniciar la sesión, la secretaría técnica puede "
        "congelar la versión actual; ya iniciada, el asunto se vota en otra sesión."
    ) % {"label": frozen.label, "when": long_datetime(frozen.frozen_at)}


def require_unchanged(item: AgendaItem) -> None:
    refusal = changed_since_frozen(item)
    if refusal:
        raise DomainError(refusal)


@transaction.atomic
def agenda_item_refreeze(*, actor: Actor, item: AgendaItem) -> FrozenSubject:
    """Freeze the subject's current content on the point again: only the body's secretary, only before the session
    starts, only for a subject that still awaits this body's vote. The packet is laid out again."""
    session = Session.objects.select_for_update().select_related("body").get(pk=item.session_id)
    require_session_manager(actor, session.body)
    if session.state != SessionState.CONVENED:
        raise DomainError(
            _(
                "La versión solo se vuelve a congelar antes de iniciar la sesión: los integrantes deciden sobre lo "
                "que recibieron. Incluya el asunto en otra sesión."
            )
        )
    item = AgendaItem.objects.select_related("subject_type").get(pk=item.pk)
    if item.subject_type is None:
        raise DomainError(_("Este punto no somete ningún asunto a aprobación."))
    frozen = FrozenSubject.objects.select_for_update().filter(agenda_item=item).first()
    subject = subject_of(item)
    from councils.services.sessions import check_subject_for  # sessions imports this module

    check_subject_for(session.body, subject)
    if frozen is None:
        frozen = subject_freeze(actor=actor, item=item, subject=subject)
    else:
        before = {"label": frozen.label, "fingerprint": frozen.fingerprint}
        frozen.fingerprint, frozen.snapshot = _read(subject)
        frozen.label = str(frozen.snapshot["label"])[:LABEL_MAX]
        frozen.frozen_at, frozen.frozen_by = timezone.now(), actor
        with_reason(frozen, _("Versión congelada de nuevo")).save()
        event_record(
            actor=actor,
            subject=item,
            action="agenda_subject_refrozen",
            data={"before": before, "after": {"label": frozen.label, "fingerprint": frozen.fingerprint}},
        )
    packets.schedule(session)
    return frozen
