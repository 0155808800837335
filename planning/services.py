"""Writes of the planning app other than the lifecycle (see ``planning.lifecycle``): budget lines and ceilings.

Every write checks the instrument is still a draft (approved versions are frozen), runs in a transaction with
the budget row locked so two planners cannot together exceed a ceiling, and writes history with a reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from implan.errors import DomainError
from implan.events import event_record
from implan.models import Agency, Approvable
from implan.money import format_mxn, to_money
from implan.permissions import is_planner
from planning.models import Budget, BudgetLine, Programme, ProgrammeCeiling


def _require_planner(actor: Any) -> None:
    if not is_planner(actor):
        raise PermissionDenied(_("Solo el cuerpo técnico de planeación puede hacerlo."))


def require_editable(instrument: Approvable) -> None:
    if instrument.is_frozen or instrument.state != "borrador":
        raise DomainError(
            _("«%(name)s» está %(state)s y no se puede modificar; cree una nueva versión para cambiarlo.")
            % {"name": instrument, "state": instrument.get_state_display().lower()}
        )


@dataclass(frozen=True)
class LineData:
    programme: Programme
    agency: Agency
    chapter: str
    funding_source: str
    description: str = ""
    approved_amount: Decimal = Decimal("0")
    modified_amount: Decimal = Decimal("0")
    executed_amount: Decimal = Decimal("0")


@transaction.atomic
def budget_line_save(*, actor: Any, budget: Budget, data: LineData, line: BudgetLine | None = None) -> BudgetLine:
    """Create or change a line; refused when the budget's ceiling or the programme's allocation would be exceeded."""
    _require_planner(actor)
    budget = Budget.objects.select_for_update().get(pk=budget.pk)
    require_editable(budget)
    if line is not None and line.budget_id != budget.pk:
        raise DomainError(_("La línea no pertenece a este presupuesto."))
    amounts = {name: to_money(getattr(data, name)) for name in ("approved_amount", "modified_amount",
                                                                 "executed_amount")}
    if any(value < 0 for value in amounts.values()):
        raise DomainError(_("Los montos no pueden ser negativos."))
    others = budget.lines.exclude(pk=line.pk if line else None)
    _check_budget_ceiling(budget, others, amounts["approved_amount"])
    _check_programme_ceiling(budget, others, data.programme, amounts["approved_amount"])
    line = line or BudgetLine(budget=budget)
    for name, value in {**data.__dict__, **amounts}.items():
        setattr(line, name, value)
    line._change_reason = _("Línea presupuestal")
    line.save()
    return line


def _check_budget_ceiling(budget: Budget, others: Any, amount: Decimal) -> None:
    total = (others.aggregate(total=Sum("approved_amount"))["total"] or Decimal("0")) + amount
    if total > budget.ceiling:
        raise DomainError(
            _("La suma de lo aprobado (%(total)s) rebasaría el techo presupuestal de %(ceiling)s "
              "por %(excess)s.") % {"total": format_mxn(total), "ceiling": format_mxn(budget.ceiling),
                                    "excess": format_mxn(total - budget.ceiling)}
        )


def _check_programme_ceiling(budget: Budget, others: Any, programme: Programme, amount: Decimal) -> None:
    ceiling = ProgrammeCeiling.objects.filter(budget=budget, programme=programme).first()
    if ceiling is None:
        return
    total = (others.filter(programme=programme).aggregate(total=Sum("approved_amount"))["total"]
             or Decimal("0")) + amount
    if total > ceiling.amount:
        raise DomainError(
            _("El programa %(programme)s tiene asignados %(ceiling)s y sus líneas sumarían %(total)s.")
            % {"programme": programme, "ceiling": format_mxn(ceiling.amount), "total": format_mxn(total)}
        )


@transaction.atomic
def budget_line_delete(*, actor: Any, line: BudgetLine) -> None:
    _require_planner(actor)
    budget = Budget.objects.select_for_update().get(pk=line.budget_id)
    require_editable(budget)
    line._change_reason = _("Línea eliminada")
    line.delete()


@transaction.atomic
def programme_ceiling_set(*, actor: Any, budget: Budget, programme: Programme, amount: Decimal) -> ProgrammeCeiling:
    """Set a programme's allocation; refused below what its lines already add up to."""
    _require_planner(actor)
    budget = Budget.objects.select_for_update().get(pk=budget.pk)
    require_editable(budget)
    amount = to_money(amount)
    if amount < 0:
        raise DomainError(_("Los montos no pueden ser negativos."))
    assigned = budget.lines.filter(programme=programme).aggregate(total=Sum("approved_amount"))["total"] or 0
    if assigned > amount:
        raise DomainError(_("Las líneas del programa ya suman %(assigned)s; la asignación no puede ser menor.")
                          % {"assigned": format_mxn(assigned)})
    ceiling, _created = ProgrammeCeiling.objects.update_or_create(budget=budget, programme=programme,
                                                                  defaults={"amount": amount})
    event_record(actor=actor, subject=budget, action="programme_ceiling_set",
                 data={"programme": programme.pk, "amount": str(amount)})
    return ceiling
