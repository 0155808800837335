"""Optimistic concurrency for the plan's edit forms.

When a form opens, it carries a signed snapshot of what the person saw (each field as displayed). On save, the
service locks the row and compares that snapshot with the stored values: if someone else saved in between, it
raises ``EditConflict`` listing each field that changed (label, value when opened → value now) and a fresh token,
so the form can be shown again with the person's own input kept and saved on purpose a second time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core import signing
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from implan.errors import DomainError

SALT = "planning.concurrency"


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


class EditConflict(DomainError):
    """Someone else saved the record after the form was opened."""

    def __init__(self, *, changes: list[FieldChange], token: str, changed_by: Any = None,
                 changed_at: Any = None) -> None:
        super().__init__(_("Alguien más guardó cambios en este registro después de que usted lo abrió. Revise lo "
                           "que cambió; su texto sigue en el formulario y se guardará si lo envía de nuevo."))
        self.changes = changes
        self.token = token
        self.changed_by = changed_by
        self.changed_at = changed_at


def display(obj: models.Model, name: str) -> str:
    """A field's value as a person reads it (choices by label, relations by name, lists sorted)."""
    field = obj._meta.get_field(name)
    if field.many_to_many:
        return ", ".join(sorted(str(item) for item in getattr(obj, name).all())) if obj.pk else ""
    value = getattr(obj, name)
    if value is None:
        return ""
    if getattr(field, "choices", None):
        return str(getattr(obj, f"get_{name}_display")())
    if isinstance(value, bool):
        return _("Sí") if value else _("No")
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")  # 12.500000 → 12.5; 1000.000000 → 1000
    return str(value)


def label(model: type[models.Model], name: str) -> str:
    return str(model._meta.get_field(name).verbose_name).capitalize()


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, str]:
    return {name: display(obj, name) for name in fields}


def token_for(obj: models.Model, fields: Iterable[str]) -> str:
    return signing.dumps(snapshot(obj, fields), salt=SALT, compress=True)


def read_token(token: str) -> dict[str, str] | None:
    """The snapshot a form was opened with; None when there is none (a new record)."""
    if not token:
        return None
    try:
        return signing.loads(token, salt=SALT)
    except signing.BadSignature as error:
        raise DomainError(_("El formulario no es válido o caducó; vuelva a abrirlo.")) from error


MISSING_TOKEN = gettext_lazy(
    "El formulario llegó sin la marca de lo que usted vio al abrirlo, así que no se puede saber si alguien más "
    "cambió el registro entretanto. Ábralo de nuevo desde su página; no se guardó nada.")


def check_unchanged(obj: models.Model, fields: Iterable[str], seen: dict[str, str] | None) -> None:
    """Raise ``EditConflict`` when the stored ``obj`` differs from what the editor saw (``obj`` is locked)."""
    if seen is None:
        return
    fields = list(fields)
    current = snapshot(obj, fields)
    changes = [FieldChange(label(type(obj), name), seen.get(name, ""), current[name])
               for name in fields if seen.get(name, "") != current[name]]
    if changes:
        latest = obj.history.select_related("history_user").first() if hasattr(obj, "history") else None
        raise EditConflict(changes=changes, token=signing.dumps(current, salt=SALT, compress=True),
                           changed_by=getattr(latest, "history_user", None),
                           changed_at=getattr(latest, "history_date", None))
