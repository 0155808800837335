"""Writes of a programme's MIR: its rows and their indicators, the copy into a new version, and the check that a
MIR is complete before its programme goes to approval.

Who may write: the planners and the programme's strategy commission (``require_strategy_content``), and only on a
draft version of the programme (an approved MIR is frozen with its programme). Every write locks the programme, so
two saves on one MIR are serialised, validates the model (a refusal saves nothing) and records history with the
actor and a reason; a deletion records an event on the programme.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from implan.errors import DomainError
from planning.models import Programme
from planning.models.mir import SINGLE_LEVELS, MirIndicator, MirLevel, MirRow
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
    _delete(_lock(link), actor=actor, instrument=programme, what=what)


def _require_new_indicator(row: MirRow, indicator: Any) -> None:
    if indicator is not None and row.indicators.filter(indicator=indicator).exists():
        raise DomainError(_("Este renglón ya usa el indicador «%(i)s».") % {"i": indicator})


# --- Versions and approval ------------------------------------------------------------------------------------


def mir_copy(old: Programme, new: Programme, *, clone: Any) -> None:
    """Copy the MIR of ``old`` into its new version ``new`` (``clone`` is the lifecycle's copy with history)."""
    rows: dict[int, MirRow] = {}
    # Componentes before their Actividades, so each Actividad finds its componente's copy.
    for row in old.mir_rows.order_by(F("parent_id").asc(nulls_first=True), "pk").prefetch_related("indicators"):
        parent = rows[row.parent_id].pk if row.parent_id else None
        rows[row.pk] = copy = clone(row, programme_id=new.pk, parent_id=parent)
        for link in row.indicators.all():
            clone(link, row_id=copy.pk)


def mir_problems(programme: Programme) -> list[str]:
    """What keeps a programme's MIR from being complete, in Spanish; empty when it may go to approval."""
    rows = list(programme.mir_rows.prefetch_related("indicators__indicator"))
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
        if link.baseline_value is None:
            problems.append(_("%(row)s: el indicador %(i)s no tiene línea base.") % name)
        if not link.targets:
            problems.append(_("%(row)s: el indicador %(i)s no tiene meta.") % name)
    return problems


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
