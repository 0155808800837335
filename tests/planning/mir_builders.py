"""A complete MIR for a programme (Fin, Propósito, two Componentes with an Actividad each, an indicator per row
with its method, the method's variables A and B, baseline and targets), written straight to the database: tests
that need a programme able to go to approval, or a MIR to show, start from it."""

from __future__ import annotations

from decimal import Decimal

from planning.models import Programme
from planning.models.mir import MirDimension, MirIndicator, MirIndicatorVariable, MirLevel, MirRow
from tests.factories import IndicatorFactory


def mir_indicator(row: MirRow, *, code: str, **values: object) -> MirIndicator:
    indicator = IndicatorFactory(
        code=code, slug=code.lower(), name=f"Indicador {code}", formula="A / B × 100", unit="%"
    )
    fields = {
        "dimension": MirDimension.EFFICACY,
        "baseline_value": Decimal("40"),
        "baseline_year": 2023,
        "targets": {"2025": "50", "2027": "60"},
        **values,
    }
    link = MirIndicator.objects.create(row=row, indicator=indicator, **fields)
    for order, (symbol, description) in enumerate((("A", "Hogares con agua"), ("B", "Hogares")), start=1):
        MirIndicatorVariable.objects.create(
            link=link, order=order, symbol=symbol, description=description, unit="hogares", source="Padrón de SAPAL"
        )
    return link


def complete_mir(programme: Programme) -> list[MirRow]:
    """Fin, Propósito, Componente 1 (Actividad 1.1), Componente 2 (Actividad 2.1), one indicator each."""
    texts = {"verification": "Informe trimestral de la dependencia.", "assumptions": "La población participa."}

    def row(level: str, order: int, summary: str, parent: MirRow | None = None) -> MirRow:
        made = MirRow.objects.create(
            programme=programme, level=level, order=order, summary=summary, parent=parent, **texts
        )
        mir_indicator(made, code=f"MIR-{programme.code}-{level[:3]}-{parent.order if parent else 0}-{order}")
        return made

    rows = [
        row(MirLevel.FIN, 1, "Contribuir a una ciudad con agua para todos."),
        row(MirLevel.PROPOSITO, 1, "Los hogares de León reciben agua potable todos los días."),
    ]
    for n in (1, 2):
        componente = row(MirLevel.COMPONENTE, n, f"Redes de agua rehabilitadas, etapa {n}.")
        rows += [componente, row(MirLevel.ACTIVIDAD, 1, f"Licitación de la etapa {n}.", parent=componente)]
    return rows
