"""Writes of the annual budget: the budget itself, its lines and its programme ceilings, and the execution.

Every write checks the budget is still a draft (approved versions are frozen), runs in a transaction with the
budget's row locked so two planners cannot together exceed a ceiling, and writes history with a reason.

One deliberate exception to "approved means frozen": the execution of a budget. Once the Ayuntamiento approves a
budget, the year's modified (adecuaciones) and executed (ejercido) amounts keep arriving from the treasury.
``budget_line_record_execution`` is the only write allowed on an approved or published budget; it touches only
those two amounts, never the approved ones nor the ceiling (which the content hash covers), requires a reason,
keeps history and an event, and stops when the fiscal year is closed.

The lifecycle (submit, publish, new version) lives in ``planning.services.lifecycle``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from implan.concurrency import check_unchanged
from implan.errors import DomainError
from implan.events import event_record
from implan.models import Agency, FiscalYear, LifecycleState
from implan.money import format_mxn, to_money
from implan.permissions import require_planner
from planning.conac import LEGACY_SOURCES
from planning.models import (
    LINE_LEVEL,
    Budget,
    BudgetLine,
    ConacCatalogue,
    ConacEntry,
    Programme,
    ProgrammeCeiling,
    SpendingChapter,
)
from planning.services.editing import require_draft, stamp

# What a person edits on each record: the fields compared to detect a concurrent save (implan.concurrency).
LINE_FIELDS = (
    "programme",
    "agency",
    "chapter",
    "funding_source",
    "description",
    "approved_amount",
    "partida",
    "specific_partida",
    "subfunction",
    "modality",
    "source",
)
EXECUTION_FIELDS = ("modified_amount", "executed_amount")
BUDGET_FIELDS = ("title", "ceiling")


@dataclass(frozen=True)
class LineData:
    """What a line says. The CONAC classifications come as codes (partida genérica "2110", subfunción "2.2.1",
    modalidad "E", fuente "11"), checked against the catalogues; ``chapter`` is derived from the partida and only
    needed without one (lines of imports made before the catalogues)."""

    programme: Programme
    agency: Agency
    chapter: str
    funding_source: str
    description: str = ""
    approved_amount: Decimal = Decimal("0")
    modified_amount: Decimal = Decimal("0")
    executed_amount: Decimal = Decimal("0")
    partida: str = ""
    specific_partida: str = ""
    subfunction: str = ""
    modality: str = ""
    source: str = ""


@transaction.atomic
def budget_line_save(
    *, actor: Any, budget: Budget, data: LineData, line: BudgetLine | None = None, seen: dict[str, str] | None = None
) -> BudgetLine:
    """Create or change a line; refused when the budget's ceiling or the programme's allocation would be exceeded,
    or (``EditConflict``) when someone saved the line after the editor opened it (``seen``: what they saw)."""
    require_planner(actor)
    budget = Budget.objects.select_for_update().get(pk=budget.pk)
    require_draft(budget)
    if line is not None and line.budget_id != budget.pk:
        raise DomainError(_("La línea no pertenece a este presupuesto."))
    if line is not None:
        line = BudgetLine.objects.select_for_update().get(pk=line.pk)
        check_unchanged(line, LINE_FIELDS, seen)
    amounts = {
        name: to_money(getattr(data, name)) for name in ("approved_amount", "modified_amount", "executed_amount")
    }
    if any(value < 0 for value in amounts.values()):
        raise DomainError(_("Los montos no pueden ser negativos."))
    others = budget.lines.exclude(pk=line.pk if line else None)  # type: ignore[misc]  # None: a new line, no exclusion
    _check_budget_ceiling(budget, others, amounts["approved_amount"])
    _check_programme_ceiling(budget, others, data.programme, amounts["approved_amount"])
    classified = classify(data)
    line = line or BudgetLine(budget=budget)
    for name, value in {**data.__dict__, **amounts, **classified}.items():
        setattr(line, name, value)
    stamp(line, actor, _("Línea presupuestal"))
    line.save()
    return line


def classify(data: LineData) -> dict[str, Any]:
    """The line's CONAC classifications resolved against the catalogues, and its capítulo derived from the partida;
    a code that is not in its catalogue is refused naming the catalogue (nothing is saved)."""
    codes = {
        "partida": (ConacCatalogue.OBJECT, data.partida.strip()),
        "subfunction": (ConacCatalogue.FUNCTIONAL, data.subfunction.strip()),
        "modality": (ConacCatalogue.PROGRAMMATIC, data.modality.strip().upper()),
        "source": (ConacCatalogue.FUNDING, data.source.strip() or LEGACY_SOURCES.get(data.funding_source, "")),
    }
    wanted = Q(pk__in=[])
    for catalogue, code in codes.values():
        wanted |= Q(catalogue=catalogue, code=code)
    found = {(e.catalogue, e.code): e for e in ConacEntry.objects.filter(wanted)}
    entries = {name: _entry(found, catalogue, code) for name, (catalogue, code) in codes.items()}
    chapter = _chapter(entries["partida"], data.chapter)
    specific = _specific_partida(entries["partida"], data.specific_partida.strip())
    return {**entries, "chapter": chapter, "specific_partida": specific}


# How a refusal names each catalogue's code.
UNKNOWN_CODE = {
    ConacCatalogue.OBJECT: _lazy("La partida %(code)s no existe en el Clasificador por Objeto del Gasto."),
    ConacCatalogue.FUNCTIONAL: _lazy("La subfunción %(code)s no existe en la Clasificación Funcional del Gasto."),
    ConacCatalogue.PROGRAMMATIC: _lazy("La modalidad %(code)s no existe en la Clasificación Programática."),
    ConacCatalogue.FUNDING: _lazy("La fuente %(code)s no existe en el Clasificador por Fuentes de Financiamiento."),
}
WRONG_LEVEL = _lazy(
    "La clave %(code)s es un nivel «%(level)s» de %(catalogue)s; indique el nivel «%(wanted)s» (el más detallado)."
)


def conac_entry(catalogue: str, code: str) -> ConacEntry | None:
    """The entry a line may name for ``code`` in ``catalogue`` (None for no code); ``DomainError`` otherwise."""
    found = {(e.catalogue, e.code): e for e in ConacEntry.objects.filter(catalogue=catalogue, code=code)}
    return _entry(found, catalogue, code)


def _entry(found: dict[tuple[str, str], ConacEntry], catalogue: str, code: str) -> ConacEntry | None:
    if not code:
        return None
    entry = found.get((catalogue, code))
    if entry is None:
        raise DomainError(str(UNKNOWN_CODE[ConacCatalogue(catalogue)]) % {"code": code})
    wanted = LINE_LEVEL[ConacCatalogue(catalogue)]
    if entry.level != wanted:
        raise DomainError(
            str(WRONG_LEVEL)
            % {
                "code": code,
                "level": entry.get_level_display(),
                "catalogue": ConacCatalogue(catalogue).label,
                "wanted": wanted.label,
            }
        )
    return entry


def _chapter(partida: ConacEntry | None, chapter: str) -> str:
    """The capítulo of the partida (its first digit and three zeros); without a partida, the one given."""
    if partida is None:
        if chapter not in SpendingChapter.values:
            raise DomainError(_("Indique la partida genérica del Clasificador por Objeto del Gasto."))
        return chapter
    derived = partida.code[0] + "000"
    if chapter and chapter != derived:
        raise DomainError(
            _("La partida %(partida)s pertenece al capítulo %(derived)s, no al %(chapter)s.")
            % {"partida": partida.code, "derived": derived, "chapter": chapter}
        )
    return derived


def _specific_partida(partida: ConacEntry | None, specific: str) -> str:
    if not specific:
        return ""
    if partida is None:
        raise DomainError(_("Una partida específica necesita su partida genérica."))
    if len(specific) != 5 or not specific.isdigit() or not specific.startswith(partida.code):
        raise DomainError(
            _(
                "La partida específica %(specific)s no corresponde a la partida genérica %(partida)s: debe tener "
                "cinco dígitos y empezar con %(partida)s."
            )
            % {"specific": specific, "partida": partida.code}
        )
    return specific


def _check_budget_ceiling(budget: Budget, others: Any, amount: Decimal) -> None:
    total = (others.aggregate(total=Sum("approved_amount"))["total"] or Decimal("0")) + amount
    if total > budget.ceiling:
        raise DomainError(
            _("La suma de lo aprobado (%(total)s) rebasaría el techo presupuestal de %(ceiling)s por %(excess)s.")
            % {
                "total": format_mxn(total),
                "ceiling": format_mxn(budget.ceiling),
                "excess": format_mxn(total - budget.ceiling),
            }
        )


def _check_programme_ceiling(budget: Budget, others: Any, programme: Programme, amount: Decimal) -> None:
    ceiling = ProgrammeCeiling.objects.filter(budget=budget, programme=programme).first()
    if ceiling is None:
        return
    total = (
        others.filter(programme=programme).aggregate(total=Sum("approved_amount"))["total"] or Decimal("0")
    ) + amount
    if total > ceiling.amount:
        raise DomainError(
            _("El programa %(programme)s tiene asignados %(ceiling)s y sus líneas sumarían %(total)s.")
            % {"programme": programme, "ceiling": format_mxn(ceiling.amount), "total": format_mxn(total)}
        )


@transaction.atomic
def budget_line_delete(*, actor: Any, line: BudgetLine) -> None:
    require_planner(actor)
    budget = Budget.objects.select_for_update().get(pk=line.budget_id)
    require_draft(budget)
    stamp(line, actor, _("Línea eliminada"))
    line.delete()
    event_record(
        actor=actor,
        subject=budget,
        action="budget_line_deleted",
        note=_("Línea eliminada: %(line)s, %(amount)s") % {"line": line, "amount": format_mxn(line.approved_amount)},
    )


@transaction.atomic
def programme_ceiling_set(*, actor: Any, budget: Budget, programme: Programme, amount: Decimal) -> ProgrammeCeiling:
    """Set a programme's allocation; refused below what its lines already add up to."""
    require_planner(actor)
    budget = Budget.objects.select_for_update().get(pk=budget.pk)
    require_draft(budget)
    amount = to_money(amount)
    if amount < 0:
        raise DomainError(_("Los montos no pueden ser negativos."))
    assigned = budget.lines.filter(programme=programme).aggregate(total=Sum("approved_amount"))["total"] or 0
    if assigned > amount:
        raise DomainError(
            _("Las líneas del programa ya suman %(assigned)s; la asignación no puede ser menor.")
            % {"assigned": format_mxn(assigned)}
        )
    allocated = budget.programme_ceilings.exclude(programme=programme).aggregate(total=Sum("amount"))["total"] or 0
    if allocated + amount > budget.ceiling:
        raise DomainError(
            _("Las asignaciones por programa sumarían %(total)s y rebasarían el techo presupuestal de %(ceiling)s.")
            % {"total": format_mxn(allocated + amount), "ceiling": format_mxn(budget.ceiling)}
        )
    ceiling = ProgrammeCeiling.objects.filter(budget=budget, programme=programme).first()
    ceiling = ceiling or ProgrammeCeiling(budget=budget, programme=programme)
    ceiling.amount = amount
    stamp(ceiling, actor, _("Asignación por programa"))
    ceiling.save()
    event_record(
        actor=actor,
        subject=budget,
        action="programme_ceiling_set",
        note=_("Asignación de %(programme)s: %(amount)s") % {"programme": programme, "amount": format_mxn(amount)},
        data={"programme": programme.pk, "amount": str(amount)},
    )
    return ceiling


@transaction.atomic
def programme_ceiling_remove(*, actor: Any, ceiling: ProgrammeCeiling) -> None:
    """Drop a programme's allocation: its lines are then bound only by the budget's ceiling."""
    require_planner(actor)
    budget = Budget.objects.select_for_update().get(pk=ceiling.budget_id)
    require_draft(budget)
    stamp(ceiling, actor, _("Asignación por programa eliminada"))
    ceiling.delete()
    event_record(
        actor=actor,
        subject=budget,
        action="programme_ceiling_removed",
        note=_("Se quitó la asignación de %(programme)s") % {"programme": ceiling.programme},
        data={"programme": ceiling.programme_id},
    )


# --- Budgets ------------------------------------------------------------------------------------------------


def _not_negative(amount: Decimal) -> Decimal:
    amount = to_money(amount)
    if amount < 0:
        raise DomainError(_("Los montos no pueden ser negativos."))
    return amount


@transaction.atomic
def budget_create(*, actor: Any, fiscal_year: FiscalYear, title: str, ceiling: Decimal) -> Budget:
    """Open the draft budget of a fiscal year; a year has one budget, changed later through new versions."""
    require_planner(actor)
    fiscal_year = FiscalYear.objects.select_for_update().get(pk=fiscal_year.pk)
    if fiscal_year.is_closed:
        raise DomainError(_("El ejercicio fiscal %(year)s está cerrado.") % {"year": fiscal_year.year})
    if Budget.objects.filter(fiscal_year=fiscal_year).exists():
        raise DomainError(
            _(
                "Ya existe un presupuesto del ejercicio %(year)s; para cambiarlo, cree una nueva "
                "versión desde su página."
            )
            % {"year": fiscal_year.year}
        )
    budget = Budget(fiscal_year=fiscal_year, title=title.strip(), ceiling=_not_negative(ceiling))
    stamp(budget, actor, _("Presupuesto creado"))
    budget.save()
    event_record(
        actor=actor, subject=budget, action="budget_created", to_state=budget.state, note=_("Presupuesto creado")
    )
    return budget


@transaction.atomic
def budget_update(
    *, actor: Any, budget: Budget, title: str, ceiling: Decimal, seen: dict[str, str] | None = None
) -> Budget:
    """Change a draft budget's title or ceiling; the ceiling cannot fall below what is already assigned.
    ``EditConflict`` when someone saved them after the editor opened the form (``seen``: what they saw)."""
    require_planner(actor)
    budget = Budget.objects.select_for_update().get(pk=budget.pk)
    require_draft(budget)
    check_unchanged(budget, BUDGET_FIELDS, seen)
    ceiling = _not_negative(ceiling)
    assigned = budget.lines.aggregate(total=Sum("approved_amount"))["total"] or Decimal("0")
    allocated = budget.programme_ceilings.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    if max(assigned, allocated) > ceiling:
        raise DomainError(
            _(
                "El techo no puede ser menor que lo ya asignado: líneas por %(assigned)s y asignaciones por programa "
                "por %(allocated)s."
            )
            % {"assigned": format_mxn(assigned), "allocated": format_mxn(allocated)}
        )
    budget.title, budget.ceiling = title.strip(), ceiling
    stamp(budget, actor, _("Datos generales del presupuesto"))
    budget.save()
    return budget


# The budgets whose execution is being recorded: the version the Ayuntamiento approved, published or not yet.
EXECUTION_STATES = frozenset({LifecycleState.APPROVED, LifecycleState.PUBLISHED})


@dataclass(frozen=True)
class ExecutionData:
    modified_amount: Decimal
    executed_amount: Decimal
    reason: str


@transaction.atomic
def budget_line_record_execution(
    *, actor: Any, line: BudgetLine, data: ExecutionData, seen: dict[str, str] | None = None
) -> BudgetLine:
    """Record a line's modified and executed amounts on the approved budget in force (see the module's docstring).

    Refused outside an approved or published budget, in a closed fiscal year, without a reason, with executed
    over modified, or when the modified amounts together would exceed the approved ceiling (an increase of the
    budget needs a new version approved by the Ayuntamiento).
    """
    require_planner(actor)
    budget = Budget.objects.select_for_update().select_related("fiscal_year").get(pk=line.budget_id)
    _require_execution_open(budget)
    modified, executed = _not_negative(data.modified_amount), _not_negative(data.executed_amount)
    if not data.reason.strip():
        raise DomainError(_("Indique el motivo del registro (por ejemplo, «Cierre del tercer trimestre»)."))
    if executed > modified:
        raise DomainError(
            _("Lo ejercido (%(executed)s) no puede rebasar el presupuesto modificado (%(modified)s).")
            % {"executed": format_mxn(executed), "modified": format_mxn(modified)}
        )
    others = budget.lines.exclude(pk=line.pk).aggregate(total=Sum("modified_amount"))["total"] or Decimal("0")
    if others + modified > budget.ceiling:
        raise DomainError(
            _(
                "El presupuesto modificado sumaría %(total)s y rebasaría el techo aprobado de %(ceiling)s; una "
                "ampliación requiere una nueva versión del presupuesto aprobada por el Ayuntamiento."
            )
            % {"total": format_mxn(others + modified), "ceiling": format_mxn(budget.ceiling)}
        )
    line = BudgetLine.objects.select_for_update().get(pk=line.pk)
    if line.executions.exists():
        # Its figures follow the quarterly stages (planning.services.execution); two ways in would disagree.
        raise DomainError(_("Esta línea registra su ejecución por trimestre: capture el trimestre en curso."))
    check_unchanged(line, EXECUTION_FIELDS, seen)
    before = {"modified": str(line.modified_amount), "executed": str(line.executed_amount)}
    line.modified_amount, line.executed_amount = modified, executed
    stamp(line, actor, data.reason.strip())
    line.save(update_fields=["modified_amount", "executed_amount"])
    event_record(
        actor=actor,
        subject=budget,
        action="budget_execution_recorded",
        note=_("Ejecución de %(line)s: %(reason)s") % {"line": line, "reason": data.reason.strip()},
        data={"line": line.pk, "before": before, "after": {"modified": str(modified), "executed": str(executed)}},
    )
    return line


def _require_execution_open(budget: Budget) -> None:
    if budget.state not in EXECUTION_STATES:
        raise DomainError(
            _("La ejecución se registra en el presupuesto aprobado; «%(name)s» está %(state)s.")
            % {"name": budget, "state": budget.get_state_display().lower()}
        )
    if budget.fiscal_year.is_closed:
        raise DomainError(
            _("El ejercicio fiscal %(year)s está cerrado; ya no admite cambios en su ejecución.")
            % {"year": budget.fiscal_year.year}
        )
