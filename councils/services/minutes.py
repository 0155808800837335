"""Minutes: the secretary's draft, approval by the body in a later session, publication."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from councils import approvals
from councils.models import (
    Minutes,
    MinutesState,
    Resolution,
    Session,
    SessionState,
)
from councils.services import notices
from councils.services.base import require_session_manager, with_reason
from implan.concurrency import check_unchanged
from implan.errors import DomainError
from implan.events import event_record
from implan.hashing import content_hash
from implan.types import Actor

# What a secretary edits: the fields compared to detect a concurrent save (implan.concurrency).
MINUTES_FIELDS = ("text",)


@transaction.atomic
def minutes_draft(*, actor: Actor, session: Session, text: str, seen: dict[str, str] | None = None) -> Minutes:
    """Write or rewrite the acta of a concluded session while it is a draft.

    ``seen`` is the text the secretary's form showed (empty before any draft): ``EditConflict`` when someone saved
    another text since.
    """
    session = Session.objects.select_related("body").get(pk=session.pk)
    require_session_manager(actor, session.body)
    if session.state != SessionState.CLOSED:
        raise DomainError(_("El acta se redacta cuando la sesión ha concluido."))
    if not text.strip():
        raise DomainError(_("El acta no puede estar vacía."))
    minutes = Minutes.objects.select_for_update().filter(session=session).first()
    if minutes is None:
        minutes = Minutes(session=session, text=text)
        with_reason(minutes, _("Borrador del acta")).save()
        event_record(actor=actor, subject=minutes, action="minutes_drafted", to_state=MinutesState.DRAFT)
        notices.notify_minutes_ready(minutes)
        return minutes
    check_unchanged(minutes, MINUTES_FIELDS, seen)
    if minutes.state != MinutesState.DRAFT:
        raise DomainError(
            _("El acta ya fue aprobada y no se puede modificar; las correcciones se hacen con un nuevo acuerdo.")
        )
    minutes.text = text
    with_reason(minutes, _("Corrección del borrador del acta")).save()
    return minutes


def minutes_mark_approved(minutes: Minutes, resolution: Resolution, actor: Actor) -> None:
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    minutes.state = MinutesState.APPROVED
    minutes.approved_in = resolution.session
    minutes.content_hash = content_hash(minutes.hashed_content())
    with_reason(minutes, _("Acta aprobada")).save()
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
    require_session_manager(actor, minutes.session.body)
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if minutes.state != MinutesState.APPROVED:
        raise DomainError(_("Solo se publica un acta aprobada."))
    minutes.state = MinutesState.PUBLISHED
    minutes.published_at = timezone.now()
    with_reason(minutes, _("Acta publicada")).save()
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
        # The text the session approves is the one frozen on its agenda: a later edit of the draft is not approved.
        fingerprint=lambda minutes: content_hash({"text": minutes.text}),
        snapshot=_minutes_snapshot,
        subject_url=lambda minutes: reverse("councils:workspace_session", args=[minutes.session_id]) + "#acta",
    )


def _minutes_snapshot(minutes: Minutes) -> dict[str, Any]:
    return {"label": str(minutes), "version": None, "data": [[_("Texto del acta"), minutes.text]], "diff": None}
