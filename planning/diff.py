"""The difference between two versions of an instrument, field by field and part by part, in readable labels.

Parts are matched across versions by a key that survives the copy (a strategy's slug, an objective's number within
its strategy, a section's order, a budget line's programme, agency, chapter and source…), so a part shows as
added, removed or changed. Long texts get a word-level diff as (operation, text) pairs that templates render with
``<del>``/``<ins>`` under autoescaping: nothing a person wrote is ever marked safe.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from implan.concurrency import display, label
from planning.models import (
    AnnualReport,
    Budget,
    BudgetLine,
    Diagnosis,
    Evaluation,
    Goal,
    GovernmentPlan,
    MirIndicator,
    MirIndicatorVariable,
    MirRow,
    Objective,
    Programme,
    StrategicPlan,
    Vision,
)
from planning.models.mir import level_rank

ADDED, REMOVED, CHANGED = "agregado", "eliminado", "modificado"
STATUS_LABELS = {
    ADDED: gettext_lazy("Agregado"),
    REMOVED: gettext_lazy("Eliminado"),
    CHANGED: gettext_lazy("Modificado"),
}
TOKENS = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass(frozen=True)
class FieldDiff:
    label: str
    old: str
    new: str
    words: list[tuple[str, str]] | None = None  # for long texts: ("equal" | "delete" | "insert", text)


@dataclass(frozen=True)
class PartDiff:
    title: str
    status: str
    fields: list[FieldDiff] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


@dataclass(frozen=True)
class GroupDiff:
    label: str
    parts: list[PartDiff]


@dataclass(frozen=True)
class InstrumentDiff:
    old: Any
    new: Any
    fields: list[FieldDiff]
    groups: list[GroupDiff]

    @property
    def is_empty(self) -> bool:
        return not self.fields and not self.groups


@dataclass(frozen=True)
class Group:
    """How to list one kind of part of an instrument and match it across versions."""

    label: Any
    objects: Callable[[Any], Iterable[models.Model]]
    key: Callable[[Any], Any]
    title: Callable[[Any], str]
    fields: tuple[str, ...] = ()


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Word-level difference of two texts: a list of (operation, text), consecutive runs merged."""
    a, b = TOKENS.findall(old), TOKENS.findall(new)
    result: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            result.append(("delete", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            result.append(("insert", "".join(b[j1:j2])))
        if op == "equal":
            result.append(("equal", "".join(a[i1:i2])))
    return result


def _field_diffs(old: models.Model | None, new: models.Model | None, names: Iterable[str]) -> list[FieldDiff]:
    diffs = []
    model = type(old if old is not None else new)
    for name in names:
        before = display(old, name) if old is not None else ""
        after = display(new, name) if new is not None else ""
        if before == after:
            continue
        long = isinstance(model._meta.get_field(name), models.TextField) and before and after
        diffs.append(FieldDiff(label(model, name), before, after, word_diff(before, after) if long else None))
    return diffs


def _numbered(objects: Iterable[Any], key: Callable[[Any], Any]) -> dict[Any, Any]:
    """Objects by key; repeated keys get their occurrence number so nothing is lost."""
    seen: Counter = Counter()
    result = {}
    for obj in objects:
        k = key(obj)
        seen[k] += 1
        result[(k, seen[k])] = obj
    return result


def _group_diff(group: Group, old: Any, new: Any) -> GroupDiff | None:
    before, after = _numbered(group.objects(old), group.key), _numbered(group.objects(new), group.key)
    parts = []
    for k in [*before, *(k for k in after if k not in before)]:
        a, b = before.get(k), after.get(k)
        if a is None:
            parts.append(PartDiff(group.title(b), ADDED, _field_diffs(None, b, group.fields)))
        elif b is None:
            parts.append(PartDiff(group.title(a), REMOVED, _field_diffs(a, None, group.fields)))
        elif changes := _field_diffs(a, b, group.fields):
            parts.append(PartDiff(group.title(b), CHANGED, changes))
    return GroupDiff(str(group.label), parts) if parts else None


def _strategy_title(strategy: Any) -> str:
    return _("Estrategia %(n)s · %(name)s") % {"n": strategy.number, "name": strategy.name}


def _objective_title(objective: Objective) -> str:
    return _("%(strategy)s · objetivo %(n)s") % {"strategy": _strategy_title(objective.strategy), "n": objective.number}


def _goals(plan: StrategicPlan) -> Any:
    return (
        Goal.objects.filter(objective__strategy__plan=plan)
        .select_related("objective__strategy", "indicator")
        .order_by("objective__strategy__number", "objective__number", "pk")
    )


def _lines(budget: Budget) -> Any:
    return (
        BudgetLine.objects.filter(budget=budget)
        .select_related("programme", "agency")
        .order_by("programme__code", "chapter", "pk")
    )


def _line_title(line: BudgetLine) -> str:
    return f"{line.programme.code} · {line.agency} · {line.get_chapter_display()} · {line.get_funding_source_display()}"


def _mir_row_key(row: MirRow) -> tuple[Any, ...]:
    """A MIR row across versions: its level and number (an Actividad's under its Componente's number)."""
    return (row.level, row.parent.order if row.parent_id else 0, row.order)


def _mir_row_title(row: MirRow) -> str:
    title = f"{row.get_level_display()} {row.order}"
    if row.parent_id:
        title = f"{row.parent.get_level_display()} {row.parent.order} · {title}"
    return title


def _mir_links(programme: Programme) -> Any:
    return (
        MirIndicator.objects.filter(row__programme=programme)
        .select_related("row__parent", "indicator")
        .alias(level_rank=level_rank("row__"))
        .order_by("level_rank", "row__parent__order", "row__order", "order", "pk")
    )


def _mir_variables(programme: Programme) -> Any:
    return (
        MirIndicatorVariable.objects.filter(link__row__programme=programme)
        .select_related("link__row__parent", "link__indicator")
        .alias(level_rank=level_rank("link__row__"))
        .order_by("level_rank", "link__row__parent__order", "link__row__order", "link__order", "order", "pk")
    )


GROUPS: dict[type[models.Model], list[Group]] = {
    StrategicPlan: [
        Group(
            gettext_lazy("Visión"),
            lambda p: Vision.objects.filter(plan=p),
            lambda v: "vision",
            lambda v: _("Visión"),
            ("statement", "horizon_year"),
        ),
        Group(
            gettext_lazy("Vertientes"),
            lambda p: p.vertientes.order_by("order"),
            lambda v: v.order,
            lambda v: v.name,
            ("name", "description"),
        ),
        Group(
            gettext_lazy("Estrategias"),
            lambda p: p.strategies.select_related("vertiente", "commission").order_by("number"),
            lambda s: s.slug,
            _strategy_title,
            ("number", "name", "description", "vertiente", "commission"),
        ),
        Group(
            gettext_lazy("Objetivos"),
            lambda p: (
                Objective.objects.filter(strategy__plan=p)
                .select_related("strategy")
                .order_by("strategy__number", "number")
            ),
            lambda o: (o.strategy.slug, o.number),
            _objective_title,
            ("title", "description"),
        ),
        Group(
            gettext_lazy("Metas"),
            _goals,
            lambda g: (g.objective.strategy.slug, g.objective.number, g.indicator.code),
            lambda g: f"{_objective_title(g.objective)} · {g.description}",
            ("description", "indicator", "baseline_value", "baseline_year", "target_value", "target_year"),
        ),
    ],
    Diagnosis: [
        Group(
            gettext_lazy("Secciones"),
            lambda d: d.sections.prefetch_related("indicators").order_by("order"),
            lambda s: s.order,
            lambda s: s.title,
            ("title", "body", "indicators"),
        ),
    ],
    GovernmentPlan: [
        Group(
            gettext_lazy("Programas comprometidos"),
            lambda g: g.programmes.select_related("strategy").order_by("code"),
            lambda p: p.code,
            str,
            ("name", "strategy"),
        ),
        Group(gettext_lazy("Proyectos comprometidos"), lambda g: g.projects.order_by("code"), lambda p: p.code, str),
    ],
    Budget: [
        Group(
            gettext_lazy("Asignaciones por programa"),
            lambda b: b.programme_ceilings.select_related("programme").order_by("programme__code"),
            lambda c: c.programme.code,
            lambda c: str(c.programme),
            ("amount",),
        ),
        Group(
            gettext_lazy("Líneas presupuestales"),
            _lines,
            lambda ln: (ln.programme.code, ln.agency_id, ln.chapter, ln.funding_source, ln.description),
            _line_title,
            ("description", "approved_amount", "modified_amount", "executed_amount"),
        ),
    ],
    AnnualReport: [
        Group(
            gettext_lazy("Secciones"),
            lambda r: r.sections.select_related("strategy").order_by("order"),
            lambda s: s.order,
            lambda s: s.title,
            ("title", "strategy", "body"),
        ),
    ],
    Evaluation: [
        Group(
            gettext_lazy("Hallazgos y recomendaciones"),
            lambda e: e.findings.select_related("goal").order_by("pk"),
            lambda f: (f.kind, str(f.goal) if f.goal_id else ""),
            lambda f: f"{f.get_kind_display()}{' · ' + str(f.goal) if f.goal_id else ''}",
            ("text",),
        ),
    ],
    Programme: [
        Group(
            gettext_lazy("Renglones de la MIR"),
            lambda p: p.mir_rows.select_related("parent").in_table_order(),
            _mir_row_key,
            _mir_row_title,
            ("summary", "verification", "assumptions"),
        ),
        Group(
            gettext_lazy("Indicadores de la MIR"),
            _mir_links,
            lambda i: (*_mir_row_key(i.row), i.indicator.code),
            lambda i: f"{_mir_row_title(i.row)} · {i.indicator}",
            ("dimension", "baseline_value", "baseline_year", "targets"),
        ),
        Group(
            gettext_lazy("Variables de los indicadores de la MIR"),
            _mir_variables,
            lambda v: (*_mir_row_key(v.link.row), v.link.indicator.code, v.symbol),
            lambda v: f"{_mir_row_title(v.link.row)} · {v.link.indicator} · {v.symbol}",
            ("symbol", "description", "unit", "source"),
        ),
    ],
}

# The instrument's own fields shown in a diff (lifecycle bookkeeping and identifiers left out).
OWN_FIELDS: dict[type[models.Model], tuple[str, ...]] = {
    StrategicPlan: ("title", "summary", "horizon_year"),
    Diagnosis: ("title", "summary"),
    Programme: ("code", "name", "description", "strategy", "objective", "agency"),
    GovernmentPlan: ("title", "summary"),
    Budget: ("title", "ceiling"),
    AnnualReport: ("title",),
    Evaluation: ("title", "fiscal_year"),
}


def instrument_diff(*, old: Any, new: Any) -> InstrumentDiff:
    """What changed from ``old`` to ``new`` (two versions of one instrument)."""
    model = type(new)
    groups = [g for g in (_group_diff(group, old, new) for group in GROUPS[model]) if g is not None]
    return InstrumentDiff(old=old, new=new, fields=_field_diffs(old, new, OWN_FIELDS[model]), groups=groups)
