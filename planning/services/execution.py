"""Writes of a budget's execution by stages (momentos contables), quarter by quarter, and the closing of a quarter.

The figures of a quarter are accumulated from January 1 to the quarter's end, as the quarterly Estado Analítico del
Ejercicio del Presupuesto de Egresos reports them. Like ``budget_line_record_execution`` (see
``planning.services.budget``), they are written on the approved budget in force, never on a draft, and stop when
the fiscal year is closed; a closed quarter is frozen.

The line's ``modified_amount`` and ``executed_amount`` stay the line's figures "to date": each record sets them from
the latest quarter recorded (modificado and ejercido accumulated), so the budget pages, the comparisons between
years and the Fiscal Data Package keep reading one coherent pair.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from implan.concurrency import check_unchanged
from implan.errors import DomainError
from implan.events import event_record
from implan.money import format_mxn, to_money
from implan.permissions import require_planner
from planning.conac import STAGES
from planning.models import QUARTERS, Budget, BudgetExecution, BudgetLine, BudgetQuarter
from planning.services.budget import _require_execution_open
from planning.services.editing import stamp

STAGE_FIELDS = tuple(name for name, _label in STAGES)


@dataclass(frozen=True)
class StageData:
    """A quarter's accumulated figures of one line, by stage."""

    modified: Decimal
    committed: Decimal
    accrued: Decimal
    exercised: Decimal
    paid: Decimal


def stage_order_error(amounts: dict[str, Decimal]) -> str | None:
    """The Spanish message for the first stage that exceeds the stage before it, or None when they are in order
    (modificado ≥ comprometido ≥ devengado ≥ ejercido ≥ pagado)."""
    for (before, before_label), (after, after_label) in zip(STAGES, STAGES[1:], strict=False):
        if amounts[after] > amounts[before]:
            return _("Lo %(after)s (%(a)s) no puede rebasar lo %(before)s (%(b)s).") % {
                "after": after_label,
                "a": format_mxn(amounts[after]),
                "before": before_label,
                "b": format_mxn(amounts[before]),
            }
    return None


def _amounts(data: StageData) -> dict[str, Decimal]:
    amounts = {name: to_money(getattr(data, name)) for name in STAGE_FIELDS}
    if any(value < 0 for value in amounts.values()):
        raise DomainError(_("Los montos no pueden ser negativos."))
    error = stage_order_error(amounts)
    if error:
        raise DomainError(error)
    return amounts


def _require_quarter_open(budget: Budget, quarter: int) -> None:
    if quarter not in QUARTERS:
        raise DomainError(_("El trimestre debe ser 1, 2, 3 o 4."))
    if BudgetQuarter.objects.filter(budget=budget, quarter=quarter).exists():
        raise DomainError(
            _("El trimestre %(q)s de %(year)s está cerrado: sus cifras ya no se pueden cambiar.")
            % {"q": quarter, "year": budget.fiscal_year.year}
        )


@transaction.atomic
def budget_execution_record(
    *, actor: Any, line: BudgetLine, quarter: int, data: StageData, seen: dict[str, str] | None = None
) -> BudgetExecution:
    """Record a line's stages accumulated to the end of ``quarter``.

    Refused outside an approved or published budget, in a closed fiscal year or quarter, with a stage above the
    one before it, or when the modified amounts together would exceed the approved ceiling (an increase of the
    budget needs a new version approved by the Ayuntamiento). ``EditConflict`` when someone saved the quarter
    after the editor opened it (``seen``: what they saw).
    """
    require_planner(actor)
    budget = Budget.objects.select_for_update().select_related("fiscal_year").get(pk=line.budget_id)
    _require_execution_open(budget)
    _require_quarter_open(budget, quarter)
    amounts = _amounts(data)
    line = BudgetLine.objects.select_for_update().get(pk=line.pk)
    execution = BudgetExecution.objects.filter(line=line, quarter=quarter).first()
    execution = execution or BudgetExecution(line=line, quarter=quarter)
    if execution.pk:
        check_unchanged(execution, STAGE_FIELDS, seen)
    before = {name: str(getattr(execution, name)) for name in STAGE_FIELDS}
    for name, value in amounts.items():
        setattr(execution, name, value)
    stamp(execution, actor, _("Ejecución del trimestre %(q)s") % {"q": quarter})
    execution.save()
    _sync_line(budget, line, actor)
    event_record(
        actor=actor,
        subject=budget,
        action="budget_stages_recorded",
        note=_("Ejecución del trimestre %(q)s de %(line)s") % {"q": quarter, "line": line},
        data={"line": line.pk, "quarter": quarter, "before": before, "after": {k: str(v) for k, v in amounts.items()}},
    )
    return execution


def _sync_line(budget: Budget, line: BudgetLine, actor: Any) -> None:
    """The line's figures to date follow its latest recorded quarter; the modified budget stays under the ceiling."""
    latest = BudgetExecution.objects.filter(line=line).order_by("-quarter").first()
    if latest is None:
        return
    others = budget.lines.exclude(pk=line.pk).aggregate(total=Sum("modified_amount"))["total"] or Decimal("0")
    if others + latest.modified > budget.ceiling:
        raise DomainError(
            _(
                "El presupuesto modificado sumaría %(total)s y rebasaría el techo aprobado de %(ceiling)s; una "
                "ampliación requiere una nueva versión del presupuesto aprobada por el Ayuntamiento."
            )
            % {"total": format_mxn(others + latest.modified), "ceiling": format_mxn(budget.ceiling)}
        )
    line.modified_amount, line.executed_amount = latest.modified, latest.exercised
    stamp(line, actor, _("Ejecución al trimestre %(q)s") % {"q": latest.quarter})
    line.save(update_fields=["modified_amount", "executed_amount"])


@transaction.atomic
def budget_quarter_close(*, actor: Any, budget: Budget, quarter: int) -> BudgetQuarter:
    """Close a quarter of the execution: its figures are frozen. Quarters close in order (the second after the
    first), on the approved budget in force of an open fiscal year."""
    require_planner(actor)
    budget = Budget.objects.select_for_update().select_related("fiscal_year").get(pk=budget.pk)
    _require_execution_open(budget)
    _require_quarter_open(budget, quarter)
    closed = set(budget.closed_quarters.values_list("quarter", flat=True))
    missing = [q for q in QUARTERS if q < quarter and q not in closed]
    if missing:
        raise DomainError(
            _("Cierre primero el trimestre %(q)s: los trimestres se cierran en orden.") % {"q": missing[0]}
        )
    # A closed quarter is final and public: every line has its figures for it, or its totals would miss some.
    lacking = budget.lines.exclude(executions__quarter=quarter).count()
    if lacking:
        raise DomainError(
            ngettext(
                "Falta registrar el trimestre %(q)s en %(n)s línea; regístrelo antes de cerrar el trimestre.",
                "Falta registrar el trimestre %(q)s en %(n)s líneas; regístrelo antes de cerrar el trimestre.",
                lacking,
            )
            % {"q": quarter, "n": lacking}
        )
    closing = BudgetQuarter(budget=budget, quarter=quarter, closed_at=timezone.now(), closed_by=actor)
    stamp(closing, actor, _("Trimestre %(q)s cerrado") % {"q": quarter})
    closing.save()
    event_record(
        actor=actor,
        subject=budget,
        action="budget_quarter_closed",
        note=_("Trimestre %(q)s de %(year)s cerrado") % {"q": quarter, "year": budget.fiscal_year.year},
        data={"quarter": quarter},
    )
    return closing
