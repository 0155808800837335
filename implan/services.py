"""Writes of the core: reverting a recorded change, deactivating and reactivating accounts (administrators
only).

A reversion is itself a new change: it is saved through the model with a reason, so history records who reverted what,
and an event row says which change was undone. It never touches the record of a decision (votes, motions,
resolutions, attendance, minutes), lifecycle bookkeeping (states, versions, approval dates, hashes), or anything
belonging to an approved or published instrument — those change only through their own services.
"""

from __future__ import annotations

from typing import Any, cast

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.http import Http404
from django.utils.translation import gettext as _

from implan.errors import DomainError
from implan.events import event_record
from implan.history import object_label
from implan.models import Approvable
from implan.permissions import require_administrator

# The record of a decision: changed only by the councils' services, never reverted by hand.
NOT_REVERTIBLE = frozenset(
    {
        "councils.vote",
        "councils.motion",
        "councils.resolution",
        "councils.attendance",
        "councils.minutes",
        "councils.session",
        "councils.agendaitem",
    }
)
# Bookkeeping of lifecycles and workflows (moved only by transitions) and figures the services derive (a project's
# progress and score come from its progress reports and assessments, with their own rules).
PROTECTED_FIELDS = frozenset(
    {
        "id",
        "state",
        "status",
        "status_reason",
        "version",
        "approved_at",
        "published_at",
        "content_hash",
        "previous_version",
        "result",
        "opened_at",
        "closed_at",
        "physical_progress",
        "priority_score",
        "over_allocation",
    }
)
# How far up the foreign keys to look for an approved instrument that owns the object (goal → objective →
# strategy → plan).
OWNER_DEPTH = 4


def historical_record(model_label: str, history_id: int) -> Any:
    """The historical row ``history_id`` of the model ``app_label.model_name``; 404 when there is none."""
    try:
        model = apps.get_model(model_label)
    except (LookupError, ValueError) as error:
        raise Http404 from error
    history = getattr(model, "history", None)
    if history is None:
        raise Http404
    record = history.model.objects.filter(history_id=history_id).first()
    if record is None:
        raise Http404
    return record


@transaction.atomic
def history_revert(*, record: Any, actor: Any) -> models.Model:
    """Undo the change recorded in ``record``: its fields go back to their values before it."""
    require_administrator(actor, _("Solo la administración puede revertir cambios."))
    model = record.instance_type
    if model._meta.label_lower in NOT_REVERTIBLE:
        raise DomainError(_("Los registros de decisiones (votos, acuerdos, actas, asistencia) no se revierten."))
    if record.history_type != "~":
        raise DomainError(_("Solo se revierten modificaciones; las altas y bajas se gestionan en su página."))
    current = model._base_manager.select_for_update().filter(pk=record.id).first()
    if current is None:
        raise DomainError(_("El registro ya no existe."))
    _refuse_if_frozen(current)
    before = record.prev_record
    changes = [c for c in record.diff_against(before).changes if c.field not in PROTECTED_FIELDS]
    if not changes:
        raise DomainError(_("Ese cambio solo tocó datos de control que no se revierten a mano."))
    for change in changes:
        _restore(current, record, change)
    current._history_user = actor
    current._change_reason = _("Reversión del cambio #%(id)s") % {"id": record.history_id}
    current.save()
    event_record(
        actor=actor,
        subject=current,
        action="history_revert",
        data={"history_id": record.history_id, "fields": [c.field for c in changes]},
    )
    return current


@transaction.atomic
def user_deactivate(*, actor: Any, user: Any) -> Any:
    """Close an account: it no longer logs in, and every history row and event keeps naming it (never deleted)."""
    user = _lock_account(actor, user)
    if user.pk == actor.pk:
        raise DomainError(_("No puede desactivar su propia cuenta."))
    if not user.is_active:
        raise DomainError(_("La cuenta %(user)s ya estaba desactivada.") % {"user": user.get_username()})
    user.is_active = False
    user.save(update_fields=["is_active"])
    event_record(actor=actor, subject=user, action="user_deactivated", data={"username": user.get_username()})
    return user


@transaction.atomic
def user_reactivate(*, actor: Any, user: Any) -> Any:
    """Open a deactivated account again, with its roles and history as they were."""
    user = _lock_account(actor, user)
    if user.is_active:
        raise DomainError(_("La cuenta %(user)s ya está activa.") % {"user": user.get_username()})
    user.is_active = True
    user.save(update_fields=["is_active"])
    event_record(actor=actor, subject=user, action="user_reactivated", data={"username": user.get_username()})
    return user


def _lock_account(actor: Any, user: Any) -> Any:
    require_administrator(actor, _("Solo la administración activa o desactiva cuentas."))
    return get_user_model()._default_manager.select_for_update().get(pk=user.pk)


def _restore(current: models.Model, record: Any, change: Any) -> None:
    # A concrete or many-to-many field: the stubs' union has neither m2m_reverse_field_name nor one type for both.
    field: Any = current._meta.get_field(change.field)
    if field.many_to_many:
        target = field.m2m_reverse_field_name()
        if sorted(getattr(current, field.name).values_list("pk", flat=True)) != sorted(
            row[target] for row in change.new
        ):
            raise DomainError(
                _("«%(field)s» cambió después; revierta primero los cambios posteriores.")
                % {"field": field.verbose_name}
            )
        getattr(current, field.name).set([row[target] for row in change.old])
        return
    if field.value_from_object(current) != change.new:
        raise DomainError(
            _("«%(field)s» cambió después; revierta primero los cambios posteriores.") % {"field": field.verbose_name}
        )
    setattr(current, field.attname, change.old)


def _refuse_if_frozen(obj: models.Model, depth: int = 0) -> None:
    """Refuse when the object is, or belongs to, an approved or published instrument."""
    if isinstance(obj, Approvable) and obj.is_frozen:
        raise DomainError(
            _("«%(name)s» pertenece a un instrumento aprobado o publicado; para cambiarlo cree una nueva versión.")
            % {"name": object_label(obj)}
        )
    if depth >= OWNER_DEPTH:
        return
    for field in obj._meta.concrete_fields:
        if (
            field.many_to_one
            and field.name != "previous_version"
            and _may_own(cast(type[models.Model], field.related_model))
        ):
            parent = getattr(obj, field.name)
            if parent is not None:
                _refuse_if_frozen(parent, depth + 1)


def _may_own(model: type[models.Model]) -> bool:
    return model._meta.app_label in {"planning", "projects", "councils", "indicators"}
