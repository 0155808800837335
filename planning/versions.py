"""Versions of an approvable instrument: its kind (as named in URLs) and its lineage (every version of it).

A lineage is every version sharing the instrument's natural key (a plan's slug, a programme's code, a budget's
fiscal year…); the diagnosis and the evaluation, which have no such key, follow the ``previous_version`` links.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import Http404
from django.urls import NoReverseMatch, reverse

from implan.models import Approvable, LifecycleState
from planning.models import (
    AnnualReport,
    Budget,
    Diagnosis,
    Evaluation,
    GovernmentPlan,
    Programme,
    StrategicPlan,
)

# The kinds of instrument as they appear in workspace URLs (/espacio/instrumentos/<kind>/<pk>/…).
KINDS: dict[str, type[Approvable]] = {
    "plan": StrategicPlan,
    "diagnostico": Diagnosis,
    "programa": Programme,
    "programa-de-gobierno": GovernmentPlan,
    "presupuesto": Budget,
    "informe": AnnualReport,
    "evaluacion": Evaluation,
}
_KIND_OF = {model: kind for kind, model in KINDS.items()}

# Fields whose values all versions of one instrument share.
LINEAGE_KEYS: dict[type[Approvable], tuple[str, ...]] = {
    StrategicPlan: ("slug",),
    Programme: ("code",),
    GovernmentPlan: ("administration_term_id",),
    Budget: ("fiscal_year_id",),
    AnnualReport: ("fiscal_year_id",),
}

IN_PREPARATION = (LifecycleState.DRAFT, LifecycleState.IN_REVIEW)


def kind_of(instrument: models.Model) -> str:
    return _KIND_OF[type(instrument)]


def instrument_get(kind: str, pk: int) -> Approvable:
    """The instrument named by a workspace URL, or 404."""
    model = KINDS.get(kind)
    instrument = model.objects.filter(pk=pk).first() if model else None
    if instrument is None:
        raise Http404
    return instrument


def versions_of(instrument: Approvable) -> list[Approvable]:
    """Every version of ``instrument``, newest first."""
    model = type(instrument)
    keys = LINEAGE_KEYS.get(model)
    if keys:
        lineage = model.objects.filter(**{k: getattr(instrument, k) for k in keys})
        return list(lineage.order_by("-version", "-pk"))
    return sorted(_chain(instrument), key=lambda v: (v.version, v.pk), reverse=True)


def _chain(instrument: Any) -> list[Any]:
    model = type(instrument)
    root = instrument
    seen = {root.pk}
    while root.previous_version_id and root.previous_version_id not in seen:
        root = model.objects.get(pk=root.previous_version_id)
        seen.add(root.pk)
    found, frontier = {root.pk: root}, [root.pk]
    while frontier:
        children = list(model.objects.filter(previous_version_id__in=frontier).exclude(pk__in=found))
        frontier = [c.pk for c in children]
        found.update({c.pk: c for c in children})
    return list(found.values())


def newest_version(instrument: Approvable) -> Approvable:
    return versions_of(instrument)[0]


def version_in_preparation(instrument: Approvable, versions: list[Approvable] | None = None) -> Approvable | None:
    """A newer draft or in-review version of the same instrument, if someone started one; ``versions``, its
    ``versions_of`` when already read."""
    for version in versions if versions is not None else versions_of(instrument):
        if version.pk != instrument.pk and version.state in IN_PREPARATION and version.version > instrument.version:
            return version
    return None


# Each instrument's workspace page, by URL name (``pk`` as the only argument). The budget, report and evaluation
# pages belong to the budget area: if their names differ, change them here.
WORKSPACE_URL_NAMES: dict[type[Approvable], str] = {
    StrategicPlan: "planning:plan_detail",
    Diagnosis: "planning:diagnosis_detail",
    Programme: "planning:programme_detail",
    GovernmentPlan: "planning:government_plan_detail",
    Budget: "planning:budget_workspace",
    AnnualReport: "planning:report_workspace",
    Evaluation: "planning:evaluation_workspace",
}


def workspace_url(instrument: Approvable) -> str | None:
    """The workspace page of ``instrument``, or None when that page does not exist (yet)."""
    try:
        return reverse(WORKSPACE_URL_NAMES[type(instrument)], args=[instrument.pk])
    except NoReverseMatch:
        return None
