"""The instruments a consultation may be held on, by the kind names planning uses in its URLs.

A programme's MIR is part of its programme (it follows the programme's versions and approval), so it is consulted
with its programme: the sections taken from a programme are the programme and the rows of its MIR."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from implan.limits import SHORT_TEXT
from implan.models import LifecycleState
from implan.notifications import in_portal_language
from implan.params import is_number
from planning.models import Diagnosis, GovernmentPlan, Programme, StrategicPlan
from planning.models.mir import MirLevel
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
    if kind not in CONSULTABLE or not is_number(pk):
        return None
    return CONSULTABLE[kind][1].objects.filter(pk=int(pk)).first()


def _excerpt(text: str) -> str:
    """What a section shows of the instrument's own text (the full text stays on the instrument)."""
    return Truncator(text.strip()).chars(SHORT_TEXT)


def _mir_sections(programme: Programme) -> list[tuple[str, str]]:
    """A programme's MIR, consulted with its programme: the Fin, the Propósito and each Componente (its Actividades
    named in its description), each open to comment on its resumen narrativo."""
    rows = list(programme.mir_rows.in_table_order().select_related("parent"))
    activities: dict[int, list[str]] = {}
    for row in rows:
        if row.level == MirLevel.ACTIVIDAD and row.parent_id is not None:
            activities.setdefault(row.parent_id, []).append(f"{row.number} {row.summary}")
    sections = []
    for row in rows:
        if row.level == MirLevel.ACTIVIDAD:
            continue
        title = _("MIR · %(row)s") % {"row": f"{row.get_level_display()} {row.number}".strip()}
        description = row.summary
        if activities.get(row.pk):
            description += "\n" + _("Actividades: %(list)s") % {"list": "; ".join(activities[row.pk])}
        sections.append((title, _excerpt(description)))
    return sections


@in_portal_language  # stored as the consultation's sections: Spanish, whatever the planner's language
def section_parts(instrument: models.Model) -> list[tuple[str, str]]:
    """A first list of sections (title, description) from the instrument's own structure, for the planner to
    adjust: the description quotes the instrument, so that whoever comments reads what the section says."""
    if isinstance(instrument, StrategicPlan):
        # Section numbers come from the order: a strategy is named, not numbered again («2. 1. Agua» read wrong).
        return [
            (str(_("Visión")), _excerpt(instrument.summary)),
            *((s.name, _excerpt(s.description)) for s in instrument.strategies.order_by("number")),
        ]
    if isinstance(instrument, Diagnosis):
        return [(s.title, _excerpt(s.body)) for s in instrument.sections.order_by("order")]
    if isinstance(instrument, GovernmentPlan):
        return [(str(p), _excerpt(p.description)) for p in instrument.programmes.order_by("code")]
    if isinstance(instrument, Programme):
        return [(str(instrument), _excerpt(instrument.description)), *_mir_sections(instrument)]
    return [(str(instrument), "")]
