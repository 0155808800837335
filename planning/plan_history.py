"""Who changed what in an instrument and its parts, from django-simple-history (one query per model involved).

Interim stand-in with the interface of the shared ``implan.history.history_entries`` announced for main; the plan's
pages switch to the shared one when it lands.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import models

from planning.concurrency import label

IGNORED = {"id", "history_id", "history_date", "history_change_reason", "history_type", "history_user",
           "history_user_id", "state", "approved_at", "published_at", "content_hash", "version", "previous_version"}


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class Entry:
    subject: str
    who: Any
    when: Any
    reason: str
    kind: str  # "+" created, "~" changed, "-" deleted
    changes: list[Change]
    count: int = 1  # records created together (e.g. the parts copied into a new version) are shown once


def _shown(field: models.Field, value: Any) -> str:
    if value is None or value == "":
        return ""
    if field.is_relation:  # rare (a change of vertiente, commission…): one look-up each
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else f"#{value}"
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def _entries(model: type[models.Model], objects: list[models.Model]) -> list[Entry]:
    fields = [f for f in model._meta.concrete_fields if f.name not in IGNORED]
    by_pk = {o.pk: o for o in objects}
    records = (model.history.filter(id__in=list(by_pk)).select_related("history_user")
               .order_by("id", "history_date", "history_id"))
    result, previous = [], {}
    for record in records:
        before = previous.get(record.id)
        changes = [] if before is None else [
            Change(label(model, f.name), _shown(f, getattr(before, f.attname)), _shown(f, getattr(record, f.attname)))
            for f in fields if getattr(before, f.attname) != getattr(record, f.attname)
        ]
        previous[record.id] = record
        if changes or record.history_change_reason:
            result.append(Entry(subject=str(by_pk[record.id]), who=record.history_user, when=record.history_date,
                                reason=record.history_change_reason or "", kind=record.history_type,
                                changes=changes))
    return result


def history_entries(*objects: models.Model | None, limit: int = 60) -> list[Entry]:
    """The history of ``objects`` merged, newest first."""
    groups: dict[type[models.Model], list[models.Model]] = defaultdict(list)
    for obj in objects:
        if obj is not None and hasattr(type(obj), "history"):
            groups[type(obj)].append(obj)
    entries = sorted((e for model, objs in groups.items() for e in _entries(model, objs)),
                     key=lambda e: e.when, reverse=True)
    collapsed: list[Entry] = []
    for entry in entries:
        last = collapsed[-1] if collapsed else None
        if (last is not None and entry.kind == last.kind == "+" and (entry.who, entry.reason) == (last.who, last.reason)
                and abs((last.when - entry.when).total_seconds()) < 60):
            collapsed[-1] = Entry(last.subject, last.who, last.when, last.reason, last.kind, [], last.count + 1)
        else:
            collapsed.append(entry)
    return collapsed[:limit]
