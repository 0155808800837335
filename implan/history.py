"""History people can read: who changed what, when, why, and each field from its old value to its new one.

Built on django-simple-history. ``history_entries`` turns historical rows of one or more objects (or querysets) into
entries with readable labels (the fields' verbose names, choice labels, related objects' names), newest first.
Every workspace object page shows them with ``{% include "partials/history.html" with entries=history %}``.

Lines read as a person would say them. A model may name its objects itself (a membership by its person and role,
never «membresía #93»), and may say in one line what many rows written together mean (the attendance of a session:
«asistencia registrada: 23 presentes, 2 ausentes», not 25 rows), through two optional class methods:

    @classmethod
    def history_names(cls, pks) -> dict[int, str]: ...        # one query for all the ids on the page
    @classmethod
    def history_summary(cls, records) -> str: ...            # historical rows created together, in one line
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection, models
from django.db.models.expressions import RawSQL
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from implan.formatting import long_date, long_datetime

ACTIONS = {"+": gettext_lazy("Creó"), "~": gettext_lazy("Modificó"), "-": gettext_lazy("Eliminó")}
# Fields that say what an object is, in order of preference, used to name it without extra queries.
NAMING_FIELDS = ("title", "name", "description", "code", "text", "statement", "number", "period")
EMPTY = "—"
DEFAULT_LIMIT = 200
# Rows of one model created by one person with one reason within this time are one act (e.g. one attendance form).
GROUP_WINDOW = datetime.timedelta(minutes=2)


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: datetime.datetime
    user: Any
    reason: str
    kind: str
    object_type: str
    object_label: str
    record: Any
    changes: list[FieldChange] = field(default_factory=list)
    # Rows created together that one line says (``history_summary``): the line, and every row it stands for.
    summary: str = ""
    grouped: list[Any] = field(default_factory=list)

    @property
    def action(self) -> str:
        return str(ACTIONS.get(self.kind, self.kind))

    # The history partial shows a page's entries by the dozen: the head of each line is put together here, where it
    # costs a fraction of the same lookups and tags in the template language.
    @property
    def author(self) -> str:
        """Who made the change: their full name, else their username; «Sistema» when nobody did."""
        if not self.user:
            return _("Sistema")
        return self.user.get_full_name() or self.user.get_username()

    @property
    def headline(self) -> str:
        """What was done to which object: «modificó línea presupuestal «1.1 · Servicios personales»»."""
        return f"{self.action.lower()} {self.object_type} " + _("«%(label)s»") % {"label": self.object_label}

    @property
    def css_class(self) -> str:
        return {"+": "created", "~": "changed", "-": "deleted"}.get(self.kind, "changed")

    @property
    def model_label(self) -> str:
        return self.record.instance_type._meta.label_lower


Source = models.Model | models.QuerySet


def history_entries(*sources: Source, limit: int = DEFAULT_LIMIT) -> list[HistoryEntry]:
    """The history of ``sources`` (objects or querysets of objects), newest first, at most ``limit`` entries."""
    records, previous = [], {}
    for source in sources:
        shown, before = _records(source, limit)
        records.extend(shown)
        previous.update(before)
    records.sort(key=lambda r: (r.history_date, r.history_id), reverse=True)
    records = records[:limit]
    return records_history(records, previous=previous)


def records_history(
    records: Iterable[Any], *, previous: dict[tuple[type, int], Any] | None = None
) -> list[HistoryEntry]:
    """Entries for historical rows already fetched (the audit log pages through them itself); ``previous``, the row
    just before each of them when already read with them (``_records``), else one query per historical model."""
    records = list(records)
    if previous is None:
        previous = _previous_records(records)
    entries = _grouped([_entry(record, previous.get((type(record), record.history_id))) for record in records])
    _name_objects(entries)
    _name_related_values(entries)
    return entries


def _model(entry: HistoryEntry) -> type[models.Model]:
    return entry.record.instance_type


def _same_act(group: HistoryEntry, entry: HistoryEntry) -> bool:
    return (
        entry.kind == group.kind == "+"
        and _model(entry) is _model(group)
        and entry.user == group.user
        and entry.reason == group.reason
        and abs(group.when - entry.when) <= GROUP_WINDOW
    )


def _grouped(entries: list[HistoryEntry]) -> list[HistoryEntry]:
    """Consecutive rows created in one act, of a model that can say them in one line, become that one line."""
    result: list[HistoryEntry] = []
    for entry in entries:
        summarise = getattr(_model(entry), "history_summary", None)
        if summarise is not None and result and result[-1].grouped and _same_act(result[-1], entry):
            result[-1].grouped.append(entry.record)
        else:
            if summarise is not None and entry.kind == "+":
                entry.grouped = [entry.record]
            result.append(entry)
    for entry in result:
        if entry.grouped:
            entry.summary = _model(entry).history_summary(entry.grouped)  # type: ignore[attr-defined]
    return result


def _name_objects(entries: list[HistoryEntry]) -> None:
    """Entries of a model that names its objects itself (``history_names``): one query per such model."""
    by_model: dict[type[models.Model], list[HistoryEntry]] = defaultdict(list)
    for entry in entries:
        if hasattr(_model(entry), "history_names") and not entry.summary:
            by_model[_model(entry)].append(entry)
    for model, named in by_model.items():
        names = model.history_names({e.record.id for e in named})  # type: ignore[attr-defined]
        for entry in named:
            entry.object_label = names.get(entry.record.id, entry.object_label)


def _records(source: Source, limit: int) -> tuple[list[Any], dict[tuple[type, int], Any]]:
    """The newest ``limit`` rows of ``source``'s history and, for each, the row just before it of the same object
    (what its changes are measured against), in one query.

    The database pairs each row with the one before it (LAG over each object's rows, before the LIMIT) and returns
    the shown rows and the rows just before them together. The shown rows are then the newest ``limit`` of what
    came back (every row before a shown one is older than it), and each one's previous row is the next older row of
    the same object among them (the row just before it is there, so nothing older can sit in between).
    """
    if isinstance(source, models.QuerySet):
        model = source.model.history.model
        try:
            keys_sql, keys = source.values("pk").order_by().query.sql_with_params()  # a set of keys: no sort
        except EmptyResultSet:  # ``.none()``: nothing to read
            return [], {}
    else:
        model = source.history.model  # type: ignore[attr-defined]  # django-simple-history's manager
        keys_sql, keys = "%s", (source.pk,)
    table, qn = model._meta.db_table, connection.ops.quote_name
    # Written out rather than built with the ORM's window and two subqueries, whose building cost a page more than
    # the database took to answer (a session's page asks it three times). The rows are looked up by their own key.
    newest = (
        f"WITH newest AS (SELECT history_id, LAG(history_id) OVER (PARTITION BY id ORDER BY history_date, history_id)"
        f" AS before_id FROM {qn(table)} WHERE id IN ({keys_sql}) ORDER BY history_date DESC, history_id DESC LIMIT %s)"
        f" SELECT history_id FROM newest UNION ALL SELECT before_id FROM newest"
    )
    rows = list(
        model.objects.filter(history_id__in=RawSQL(newest, (*keys, limit)))
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
    shown = rows[:limit]
    previous: dict[tuple[type, int], Any] = {}
    older: dict[Any, Any] = {}  # object id → the next older row met so far, walking from the oldest
    for row in reversed(rows):
        previous[(model, row.history_id)] = older.get(row.id)
        older[row.id] = row
    return shown, {key: previous[key] for key in ((model, r.history_id) for r in shown)}


def _previous_records(records: list[Any]) -> dict[tuple[type, int], Any]:
    """For each record, the record just before it of the same object: one query per historical model.

    The database pairs each row with the one before it (LAG over each object's rows) and returns only the rows
    just before the shown ones: an object changed a thousand times costs the page one row per entry shown, not
    its whole past.
    """
    by_model: dict[type[Any], list[Any]] = defaultdict(list)
    for record in records:
        by_model[type(record)].append(record)
    found: dict[tuple[type, int], Any] = {}
    for model, rows in by_model.items():
        table, qn = model._meta.db_table, connection.ops.quote_name
        ids, shown = sorted({r.id for r in rows}), [r.history_id for r in rows]
        sql = (
            f"WITH paired AS (SELECT history_id AS shown_id, LAG(history_id) OVER (PARTITION BY id "
            f"ORDER BY history_date, history_id) AS before_id FROM {qn(table)} WHERE id IN ({_marks(ids)})) "
            f"SELECT h.*, paired.shown_id AS previous_of FROM paired JOIN {qn(table)} AS h "
            f"ON h.history_id = paired.before_id WHERE paired.shown_id IN ({_marks(shown)})"
        )
        before = {row.previous_of: row for row in model.objects.raw(sql, [*ids, *shown])}
        for record in rows:
            found[(model, record.history_id)] = before.get(record.history_id)
    return found


def _marks(values: list[Any]) -> str:
    return ", ".join(["%s"] * len(values))


def _entry(record: Any, before: Any) -> HistoryEntry:
    opts = record.instance_type._meta
    entry = HistoryEntry(
        when=record.history_date,
        user=record.history_user,
        reason=record.history_change_reason or "",
        kind=record.history_type,
        object_type=str(opts.verbose_name),
        object_label=object_label(record),
        record=record,
    )
    if record.history_type == "~" and before is not None:
        delta = record.diff_against(before)
        entry.changes = [_change(opts, c.field, c.old, c.new) for c in delta.changes]
    return entry


def object_label(obj: Any) -> str:
    """A name for an object or historical row from its own columns (never follows a relation)."""
    for name in NAMING_FIELDS:
        value = getattr(obj, name, None) if _has_concrete(obj, name) else None
        if value not in (None, ""):
            text = str(value)
            return text if len(text) <= 90 else text[:87] + "…"
    # A historical row is named after the object it records (its verbose name and id, not "historical …").
    opts = obj.instance_type._meta if hasattr(obj, "instance_type") else obj._meta
    return f"{opts.verbose_name} #{getattr(obj, 'id', obj.pk)}"


def _has_concrete(obj: Any, name: str) -> bool:
    try:
        return obj._meta.get_field(name).concrete
    except Exception:  # FieldDoesNotExist and friends: the object has no such column
        return False


class _Related:
    """A related object's id, named later in one query per related model."""

    def __init__(self, model: type[models.Model], pk: Any) -> None:
        self.model, self.pk, self.text = model, pk, f"#{pk}"

    def __str__(self) -> str:
        return self.text


def _change(opts: Any, name: str, old: Any, new: Any) -> FieldChange:
    model_field = opts.get_field(name)
    return FieldChange(
        label=str(model_field.verbose_name), old=_readable(model_field, old), new=_readable(model_field, new)
    )


def _readable(model_field: Any, value: Any) -> Any:
    if value is None or value == "":
        return EMPTY
    if model_field.many_to_many:
        target = model_field.m2m_reverse_field_name()
        return [_Related(model_field.related_model, row.get(target)) for row in value] or EMPTY
    if model_field.is_relation:
        return _Related(model_field.related_model, value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Sí") if value else _("No")
    if isinstance(value, datetime.datetime):
        return long_datetime(value if timezone.is_aware(value) else timezone.make_aware(value))
    if isinstance(value, datetime.date):
        return long_date(value)
    if isinstance(value, Decimal):
        return formats.number_format(value.normalize(), use_l10n=True, force_grouping=True)
    return str(value)


def _name_related_values(entries: list[HistoryEntry]) -> None:
    """Replace related ids by the objects' names: one query per related model over all entries."""
    pending: dict[type[models.Model], list[_Related]] = defaultdict(list)
    for entry in entries:
        for change in entry.changes:
            for value in (change.old, change.new):
                for item in value if isinstance(value, list) else [value]:
                    if isinstance(item, _Related):
                        pending[item.model].append(item)
    for model, related in pending.items():
        if hasattr(model, "history_names"):
            names = model.history_names({r.pk for r in related})
            for named in related:
                named.text = names.get(named.pk) or _("(eliminado) #%(pk)s") % {"pk": named.pk}
            continue
        found = model._base_manager.in_bulk({r.pk for r in related})
        for named in related:
            obj = found.get(named.pk)
            named.text = object_label(obj) if obj is not None else _("(eliminado) #%(pk)s") % {"pk": named.pk}
    for entry in entries:
        entry.changes = [FieldChange(c.label, _joined(c.old), _joined(c.new)) for c in entry.changes]


def _joined(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


# --- The audit log: every recorded change of the portal, for administrators ------------------------------------

PORTAL_APPS = ("implan", "councils", "planning", "projects", "indicators", "consultations")


@dataclass(frozen=True)
class AuditFilter:
    user: Any = None
    model_label: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    text: str = ""


def audited_models() -> list[type[models.Model]]:
    """The portal's models that carry history, in a stable order (one historical table each)."""
    from django.apps import apps

    found = [
        m
        for label in PORTAL_APPS
        for m in apps.get_app_config(label).get_models()
        if getattr(m, "history", None) is not None and not m.__name__.startswith("Historical")
    ]
    return sorted(found, key=lambda m: m._meta.label_lower)


def audit_rows(criteria: AuditFilter) -> models.QuerySet:
    """One query over every historical table: (model, history_id, history_date), newest first, filtered."""
    parts = [
        _audit_part(model, criteria)
        for model in audited_models()
        if not criteria.model_label or model._meta.label_lower == criteria.model_label
    ]
    if not parts:
        return models.QuerySet().none()
    first, *rest = parts
    return first.union(*rest, all=True).order_by("-history_date", "-history_id")


def _audit_part(model: type[models.Model], criteria: AuditFilter) -> models.QuerySet:
    rows = model.history.model.objects.all()  # type: ignore[attr-defined]  # django-simple-history's manager
    if criteria.user is not None:
        rows = rows.filter(history_user=criteria.user)
    if criteria.date_from:
        rows = rows.filter(history_date__date__gte=criteria.date_from)
    if criteria.date_to:
        rows = rows.filter(history_date__date__lte=criteria.date_to)
    if criteria.text:
        text = models.Q(history_change_reason__icontains=criteria.text)
        for name in NAMING_FIELDS:
            if _has_concrete_field(model, name):
                text |= models.Q(**{f"{name}__icontains": criteria.text})
        rows = rows.filter(text)
    label = models.Value(model._meta.label_lower, output_field=models.CharField())
    # Without the historical model's own ordering: SQLite (the default run) refuses an ORDER BY inside a UNION's parts,
    # and the union is ordered as a whole anyway.
    return rows.annotate(model_label=label).values("model_label", "history_id", "history_date").order_by()


def _has_concrete_field(model: type[models.Model], name: str) -> bool:
    try:
        found = model._meta.get_field(name)
    except Exception:  # no such field
        return False
    return found.concrete and not found.is_relation


def audit_entries(rows: Iterable[dict[str, Any]]) -> list[HistoryEntry]:
    """The entries of one page of ``audit_rows``: one query per historical model on the page."""
    from django.apps import apps

    wanted: dict[str, list[int]] = defaultdict(list)
    rows = list(rows)
    for row in rows:
        wanted[row["model_label"]].append(row["history_id"])
    fetched = {}
    for label, ids in wanted.items():
        historical = apps.get_model(label).history.model
        for record in historical.objects.filter(history_id__in=ids).select_related("history_user"):
            fetched[(label, record.history_id)] = record
    return records_history(fetched[(r["model_label"], r["history_id"])] for r in rows)
