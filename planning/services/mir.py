"""Writes of a programme's MIR: its rows, their indicators and the variables of each indicator's method, the copy
into a new version, and the check that a MIR is complete before its programme goes to approval.

Who may write: the planners and the programme's strategy commission (``require_strategy_content``), and only on a
draft version of the programme (an approved MIR is frozen with its programme). Every write locks the programme, so
two saves on one MIR are serialised, validates the model (a refusal saves nothing) and records history with the
actor and a reason; adding a variable and any deletion record an event on the programme.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from implan.errors import DomainError
from implan.events import event_record
from planning.models import Programme
from planning.models.mir import (
    SINGLE_LEVELS,
    MirIndicator,
    MirIndicatorVariable,
    MirLevel,
    MirRow,
    check_symbol,
    symbol_in,
)
from planning.permissions import require_strategy_content
from planning.services.plan import Seen, Values, _delete, _draft, _lock, _next, _save, _update


def _editable(actor: Any, programme: Programme) -> Programme:
    require_strategy_content(actor, programme.strategy)
    return _draft(programme)


def _require_single(programme: Programme, level: str, *, exclude: int | None = None) -> None:
    others = programme.mir_rows.filter(level=level)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    if level in SINGLE_LEVELS and others.exists():
        raise DomainError(
            _("La MIR ya tiene un renglón de %(level)s; edítelo en lugar de agregar otro.")
            % {"level": MirLevel(level).label}
        )


@transaction.atomic
def mir_row_create(*, actor: Any, programme: Programme, values: Values) -> MirRow:
    """A new row of the programme's MIR, numbered after the last of its level (under its componente)."""
    programme = _editable(actor, programme)
    level = values.get("level", "")
    _require_single(programme, level)
    siblings = programme.mir_rows.filter(level=level, parent=values.get("parent"))
    row = MirRow(programme=programme, order=_next(siblings, "order"))
    return _save(row, values, actor=actor, reason=_("Renglón de la MIR agregado"))


@transaction.atomic
def mir_row_update(*, actor: Any, row: MirRow, values: Values, seen: Seen) -> MirRow:
    programme = _editable(actor, row.programme)
    row = _lock(row)
    level = values.get("level", row.level)
    _require_single(programme, level, exclude=row.pk)
    if level != MirLevel.COMPONENTE and row.activities.exists():
        raise DomainError(_("Este componente tiene actividades: muévalas o elimínelas antes de cambiar su nivel."))
    return _update(row, values, actor=actor, seen=seen, reason=_("Renglón de la MIR modificado"))


@transaction.atomic
def mir_row_delete(*, actor: Any, row: MirRow) -> None:
    programme = _editable(actor, row.programme)
    if row.activities.exists():
        raise DomainError(_("El componente tiene actividades; elimínelas primero."))
    what = _("el renglón de la MIR «%(n)s»") % {"n": row}
    for link in row.indicators.all():  # one by one, so each link's history records who removed it
        _delete_variables(link, actor=actor)
        _delete(link, actor=actor, instrument=None, what=str(link))
    _delete(_lock(row), actor=actor, instrument=programme, what=what)


@transaction.atomic
def mir_indicator_create(*, actor: Any, row: MirRow, values: Values) -> MirIndicator:
    _editable(actor, row.programme)
    _require_new_indicator(row, values.get("indicator"))
    link = MirIndicator(row=row, order=_next(row.indicators.all(), "order"))
    return _save(link, values, actor=actor, reason=_("Indicador agregado a la MIR"))


@transaction.atomic
def mir_indicator_update(*, actor: Any, link: MirIndicator, values: Values, seen: Seen) -> MirIndicator:
    _editable(actor, link.row.programme)
    if values.get("indicator", link.indicator) != link.indicator:
        _require_new_indicator(link.row, values.get("indicator"))
    return _update(_lock(link), values, actor=actor, seen=seen, reason=_("Indicador de la MIR modificado"))


@transaction.atomic
def mir_indicator_delete(*, actor: Any, link: MirIndicator) -> None:
    programme = _editable(actor, link.row.programme)
    what = _("el indicador «%(n)s» de la MIR") % {"n": link.indicator}
    link = _lock(link)
    _delete_variables(link, actor=actor)
    _delete(link, actor=actor, instrument=programme, what=what)


def _delete_variables(link: MirIndicator, *, actor: Any) -> None:
    for variable in link.variables.all():  # one by one, so each variable's history records who removed it
        _delete(variable, actor=actor, instrument=None, what=str(variable))


def _require_new_indicator(row: MirRow, indicator: Any) -> None:
    if indicator is not None and row.indicators.filter(indicator=indicator).exists():
        raise DomainError(_("Este renglón ya usa el indicador «%(i)s».") % {"i": indicator})


@transaction.atomic
def mir_variable_create(*, actor: Any, link: MirIndicator, values: Values) -> MirIndicatorVariable:
    """A variable of the indicator's método de cálculo: its symbol must appear in the formula and be new to it."""
    programme = _editable(actor, link.row.programme)
    link = _lock(link)  # the indicator may have left the MIR since the form opened (the programme's lock serialises)
    symbol = str(values.get("symbol", "")).strip()
    try:
        check_symbol(symbol)  # before the formula's check: «1A» is refused for its form, not for its absence
    except ValidationError as error:
        raise DomainError(" ".join(error.messages)) from error
    formula = link.indicator.formula
    if symbol and not symbol_in(symbol, formula):
        raise DomainError(
            _("El símbolo «%(s)s» no aparece en el método de cálculo del indicador %(i)s: «%(f)s».")
            % {"s": symbol, "i": link.indicator.code, "f": formula}
        )
    if symbol and link.variables.filter(symbol=symbol).exists():
        raise DomainError(
            _("El indicador %(i)s ya tiene una variable «%(s)s».") % {"i": link.indicator.code, "s": symbol}
        )
    variable = MirIndicatorVariable(link=link, order=_next(link.variables.all(), "order"))
    variable = _save(variable, {**values, "symbol": symbol}, actor=actor, reason=_("Variable agregada a la MIR"))
    event_record(
        actor=actor,
        subject=programme,
        action="mir_variable_added",
        note=_("Se agregó la variable «%(v)s» al indicador %(i)s de la MIR")
        % {"v": variable.symbol, "i": link.indicator.code},
    )
    return variable


@transaction.atomic
def mir_variable_delete(*, actor: Any, variable: MirIndicatorVariable) -> None:
    programme = _editable(actor, variable.link.row.programme)
    what = _("la variable «%(v)s» del indicador %(i)s de la MIR") % {
        "v": variable.symbol,
        "i": variable.link.indicator.code,
    }
    _delete(_lock(variable), actor=actor, instrument=programme, what=what)


# --- Versions and approval ------------------------------------------------------------------------------------


def mir_copy(old: Programme, new: Programme, *, clone: Any) -> None:
    """Copy the MIR of ``old`` into its new version ``new`` (``clone`` is the lifecycle's copy with history)."""
    rows: dict[int, MirRow] = {}
    # Componentes before their Actividades, so each Actividad finds its componente's copy.
    rows_in_order = old.mir_rows.order_by(F("parent_id").asc(nulls_first=True), "pk")
    for row in rows_in_order.prefetch_related("indicators__variables"):
        parent = rows[row.parent_id].pk if row.parent_id else None
        rows[row.pk] = copy = clone(row, programme_id=new.pk, parent_id=parent)
        for link in row.indicators.all():
            link_copy = clone(link, row_id=copy.pk)
            for variable in link.variables.all():
                clone(variable, link_id=link_copy.pk)


def mir_problems(programme: Programme) -> list[str]:
    """What keeps a programme's MIR from being complete, in Spanish; empty when it may go to approval."""
    rows = list(programme.mir_rows.prefetch_related("indicators__indicator", "indicators__variables"))
    levels = {row.level for row in rows}
    problems = [
        _("La MIR no tiene %(level)s.") % {"level": label}
        for level, label in ((MirLevel.FIN, _("Fin")), (MirLevel.PROPOSITO, _("Propósito")))
        if level not in levels
    ]
    componentes = [row for row in rows if row.level == MirLevel.COMPONENTE]
    if not componentes:
        problems.append(_("La MIR no tiene ningún Componente."))
    with_activities = {row.parent_id for row in rows if row.level == MirLevel.ACTIVIDAD}
    problems += [
        _("El Componente %(n)s no tiene ninguna Actividad.") % {"n": row.order}
        for row in componentes
        if row.pk not in with_activities
    ]
    for row in rows:
        problems += _row_problems(row)
    return problems


def _row_problems(row: MirRow) -> list[str]:
    where = f"{row.get_level_display()} {row.order}"
    links = list(row.indicators.all())
    if not links:
        return [_("%(row)s no tiene indicador.") % {"row": where}]
    problems = []
    for link in links:
        name = {"row": where, "i": link.indicator.code}
        if not link.indicator.is_published:  # the MIR is published with the programme: its indicators must be too
            problems.append(_("%(row)s: el indicador %(i)s no está publicado en el catálogo.") % name)
        if not link.indicator.formula.strip():
            problems.append(_("%(row)s: el indicador %(i)s no tiene método de cálculo.") % name)
        else:
            problems += _variable_problems(link, name)
        if link.baseline_value is None:
            problems.append(_("%(row)s: el indicador %(i)s no tiene línea base.") % name)
        if not link.targets:
            problems.append(_("%(row)s: el indicador %(i)s no tiene meta.") % name)
    return problems


def _variable_problems(link: MirIndicator, name: dict[str, str]) -> list[str]:
    """Every method has at least one variable, and each variable is one the formula uses (the catalogue's formula
    may have changed since the variable was declared)."""
    variables = list(link.variables.all())
    if not variables:
        return [_("%(row)s: el indicador %(i)s de la MIR no declara las variables de su fórmula.") % name]
    return [
        _("%(row)s: la variable «%(s)s» del indicador %(i)s no aparece en su método de cálculo.")
        % {**name, "s": variable.symbol}
        for variable in variables
        if not symbol_in(variable.symbol, link.indicator.formula)
    ]


def mir_refusal(instrument: Any) -> str | None:
    """The submission check (``planning.submission``): a programme goes to approval only with a complete MIR."""
    if not isinstance(instrument, Programme):
        return None
    problems = mir_problems(instrument)
    if not problems:
        return None
    return _("El programa no se puede enviar a aprobación: su MIR está incompleta. %(problems)s") % {
        "problems": " ".join(problems)
    }
