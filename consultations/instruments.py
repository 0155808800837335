"""The instruments a consultation may be held on, by the kind names planning uses in its URLs."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from implan.models import LifecycleState
from planning.models import Diagnosis, GovernmentPlan, Programme, StrategicPlan
from planning.versions import kind_of

# kind (as in planning.versions.KINDS) → (the consultation's field, the model, its name for people)
CONSULTABLE: dict[str, tuple[str, type[models.Model], Any]] = {
    "plan": ("plan", StrategicPlan, _("Plan estratégico")),
    "diagnostico": ("diagnosis", Diagnosis, _("Diagnóstico")),
    "programa": ("programme", Programme, _("Programa")),
    "programa-de-gobierno": ("government_plan", GovernmentPlan, _("Programa de gobierno")),
}


def consultable_kind(instrument: models.Model) -> str | None:
    try:
        kind = kind_of(instrument)
    except KeyError:
        return None
    return kind if kind in CONSULTABLE else None


def draft_instruments() -> list[tuple[str, list[tuple[str, str]]]]:
    """Draft versions a planner may open a consultation on, grouped by kind, as (value "kind:pk", label) choices."""
    groups = []
    for kind, (_field, model, label) in CONSULTABLE.items():
        drafts = model.objects.filter(state=LifecycleState.DRAFT).order_by("-pk")
        choices = [(f"{kind}:{d.pk}", f"{d} (v{d.version})") for d in drafts]
        if choices:
            groups.append((str(label), choices))
    return groups


def instrument_from_choice(value: str) -> models.Model | None:
    kind, _sep, pk = value.partition(":")
    if kind not in CONSULTABLE or not pk.isdigit():
        return None
    return CONSULTABLE[kind][1].objects.filter(pk=int(pk)).first()


def section_titles(instrument: models.Model) -> list[str]:
    """A first list of sections from the instrument's own structure, for the planner to adjust."""
    if isinstance(instrument, StrategicPlan):
        # Section numbers come from the order: a strategy is named, not numbered again («2. 1. Agua» read wrong).
        return [str(_("Visión")), *(s.name for s in instrument.strategies.order_by("number"))]
    if isinstance(instrument, Diagnosis):
        return [s.title for s in instrument.sections.order_by("order")]
    if isinstance(instrument, GovernmentPlan):
        return [str(p) for p in instrument.programmes.order_by("code")]
    return [str(instrument)]
