"""The exact version of an instrument that a council session decides on: the hash of its content and what members
read about it, frozen on the agenda when the point is set (``councils.approvals`` calls these; see its docstring).

The fingerprint covers the instrument's own fields and every part the comparison of versions lists (a plan's vision,
vertientes, strategies, objectives and goals; a budget's ceilings and lines…), all their stored values, not only
the ones shown. The snapshot is the version's data and its differences from the version in force, as the
comparison page shows them; ``instrument_compare`` renders a frozen one from the agenda point (``?punto=``).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext as _

from implan.concurrency import display, label
from implan.hashing import content_hash
from implan.models import LIFECYCLE_FIELDS, Approvable, LifecycleState
from planning.diff import GROUPS, OWN_FIELDS, InstrumentDiff, instrument_diff
from planning.versions import kind_of, versions_of


def _stored(obj: models.Model, names: tuple[str, ...] = ()) -> dict[str, Any]:
    """Every stored value of a row but its id and timestamps kept by the database, plus the many-to-many fields
    named in ``names`` (as sorted ids)."""
    values = {
        f.attname: getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if not f.primary_key
        and f.attname not in LIFECYCLE_FIELDS
        and not getattr(f, "auto_now", False)
        and not getattr(f, "auto_now_add", False)
    }
    for name in names:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            values[name] = sorted(item.pk for item in getattr(obj, name).all())
    return values


def instrument_fingerprint(instrument: Approvable) -> str:
    """The hash of the instrument's content with its parts: it changes with any edit, never with its lifecycle."""
    model = type(instrument)
    parts = [[_stored(obj, group.fields) for obj in group.objects(instrument)] for group in GROUPS[model]]
    return content_hash({"own": _stored(instrument), "parts": parts})


def version_in_force(instrument: Approvable) -> Approvable | None:
    """The published version of the same instrument, which an approval of ``instrument`` would replace."""
    return next(
        (v for v in versions_of(instrument) if v.pk != instrument.pk and v.state == LifecycleState.PUBLISHED), None
    )


def diff_data(diff: InstrumentDiff) -> dict[str, Any]:
    """A comparison as plain data, in the shape the comparison page reads (``diff.old.version``,
    ``part.status_label``)."""
    return {
        "old": {"version": diff.old.version},
        "new": {"version": diff.new.version},
        "is_empty": diff.is_empty,
        "fields": [asdict(f) for f in diff.fields],
        "groups": [
            {
                "label": group.label,
                "parts": [{**asdict(part), "status_label": part.status_label} for part in group.parts],
            }
            for group in diff.groups
        ],
    }


def instrument_snapshot(instrument: Approvable) -> dict[str, Any]:
    """What members read about the version under vote: its data and its differences from the version in force."""
    model = type(instrument)
    in_force = version_in_force(instrument)
    url = reverse("planning:instrument_compare", args=[kind_of(instrument), instrument.pk])
    return {
        "label": _("%(instrument)s, versión %(version)s") % {"instrument": instrument, "version": instrument.version},
        "version": instrument.version,
        "data": [[label(model, name), value] for name in OWN_FIELDS[model] if (value := display(instrument, name))],
        "in_force": (
            _("versión %(version)s (publicada)") % {"version": in_force.version} if in_force is not None else ""
        ),
        "diff": diff_data(instrument_diff(old=in_force, new=instrument)) if in_force is not None else None,
        "url": f"{url}?con={in_force.pk}" if in_force is not None else url,
    }
