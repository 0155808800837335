"""Optimistic concurrency for every edit form of the workspace.

When a form opens, it carries a signed snapshot of what the person saw (each field as displayed). On save, the
service locks the row and compares that snapshot with the stored values: if someone else saved in between, it
raises ``EditConflict`` listing each field that changed (label, value when opened → value now) and a fresh token,
so the form can be shown again with the person's own input kept and saved on purpose a second time.

A form that edits several rows at once (the scoring criteria, a session's attendance) snapshots them all under
keys of its own and checks them with ``check_snapshot``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core import signing
from django.db import models
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from implan.errors import DomainError
from implan.types import Label

SALT = "implan.concurrency"


@dataclass(frozen=True)
class FieldChange:
    label: Label
    # Text once shown; implan.history keeps the raw values (ids, lists) here until it names them.
    old: Any
    new: Any


class EditConflict(DomainError):
    """Someone else saved the record after the form was opened."""

    def __init__(
        self, *, changes: list[FieldChange], token: str, changed_by: Any = None, changed_at: Any = None
    ) -> None:
        super().__init__(
            _(
                "Alguien más guardó cambios en este registro después de que usted lo abrió. Revise lo "
                "que cambió; su texto sigue en el formulario y se guardará si lo envía de nuevo."
            )
        )
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
    if isinstance(value, list):  # a JSON list such as a project's SDG goals
        return ", ".join(str(item) for item in value)
    if isinstance(value, dict):  # a JSON mapping such as a MIR indicator's annual targets (year → value)
        return ", ".join(f"{key}: {item}" for key, item in value.items())
    return str(value)


def label(model: type[models.Model], name: str) -> str:
    return str(cast(models.Field, model._meta.get_field(name)).verbose_name).capitalize()


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, str]:
    return {name: display(obj, name) for name in fields}


def sign(seen: Mapping[str, str]) -> str:
    return signing.dumps(dict(seen), salt=SALT, compress=True)


def token_for(obj: models.Model, fields: Iterable[str]) -> str:
    return sign(snapshot(obj, fields))


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
    "cambió el registro entretanto. Ábralo de nuevo desde su página; no se guardó nada."
)


def _latest_change(objs: Iterable[models.Model]) -> Any:
    """The newest history row among ``objs``: who saved last, and when."""
    rows = [obj.history.select_related("history_user").first() for obj in objs if hasattr(obj, "history")]
    rows = [row for row in rows if row is not None]
    return max(rows, key=lambda row: row.history_date, default=None)


def check_snapshot(
    current: Mapping[str, str],
    seen: Mapping[str, str] | None,
    *,
    labels: Mapping[str, Label],
    rows: Iterable[models.Model] = (),
) -> None:
    """Raise ``EditConflict`` when ``current`` (read under lock) differs from what the editor saw.

    ``labels`` names each key for the person; ``rows`` are the records whose history says who changed them last.
    """
    if seen is None:
        return
    changes = [
        FieldChange(labels[key], seen.get(key, ""), value)
        for key, value in current.items()
        if seen.get(key, "") != value
    ]
    changes += [
        FieldChange(labels.get(key, key), old, "") for key, old in seen.items() if key not in current and old
    ]  # a row that is gone since the form opened
    if changes:
        latest = _latest_change(rows)
        raise EditConflict(
            changes=changes,
            token=sign(current),
            changed_by=getattr(latest, "history_user", None),
            changed_at=getattr(latest, "history_date", None),
        )


def check_unchanged(obj: models.Model, fields: Iterable[str], seen: dict[str, str] | None) -> None:
    """Raise ``EditConflict`` when the stored ``obj`` differs from what the editor saw (``obj`` is locked)."""
    fields = list(fields)
    check_snapshot(snapshot(obj, fields), seen, labels={name: label(type(obj), name) for name in fields}, rows=[obj])


def rows_snapshot(objs: Iterable[models.Model], fields: Iterable[str]) -> dict[str, str]:
    """Several rows edited in one form, each field under ``<pk>.<field>``."""
    fields = list(fields)
    return {f"{obj.pk}.{name}": display(obj, name) for obj in objs for name in fields}


def check_rows_unchanged(objs: Iterable[models.Model], fields: Iterable[str], seen: dict[str, str] | None) -> None:
    """``check_unchanged`` for a form that edits several rows at once (all of them locked)."""
    objs, fields = list(objs), list(fields)
    labels = {f"{obj.pk}.{name}": f"{obj} · {label(type(obj), name)}" for obj in objs for name in fields}
    check_snapshot(rows_snapshot(objs, fields), seen, labels=labels, rows=objs)


class OpenedMixin(forms.Form):
    """Carries a signed snapshot of the record as the person opened it, so the service can tell them when someone
    else saved in between. A form for a new record carries none."""

    opened = forms.CharField(widget=forms.HiddenInput, required=False)
    editing = False

    def remember(self, obj: models.Model, fields: Iterable[str]) -> None:
        self.remember_snapshot(snapshot(obj, fields))

    def remember_snapshot(self, seen: Mapping[str, str]) -> None:
        self.editing = True
        if not self.is_bound:
            self.initial["opened"] = sign(seen)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        # Editing a record without the snapshot would skip the conflict check and overwrite someone else's save.
        if self.editing and not data.get("opened"):
            self.add_error(None, MISSING_TOKEN)
        return data

    def seen(self) -> dict[str, str] | None:
        return read_token(self.cleaned_data.get("opened", ""))


def reopened(data: QueryDict, conflict: EditConflict) -> QueryDict:
    """The person's own input with a fresh token: shown again under the conflict, saved on purpose if resent."""
    data = data.copy()
    data["opened"] = conflict.token
    return data
