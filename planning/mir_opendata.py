"""The published programmes' MIR as open data (``/datos/mir.csv`` and ``/datos/mir.json``): one row per level ×
indicator, each carrying its programme's key, so the file joins the budget lines (``programa_clave``) and the
indicators' observations (``indicador_clave``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from planning.models.mir import MirIndicator
from planning.selectors.mir import published_mir_links

# (column, title): the JSON uses the same names.
COLUMNS = [
    ("programa_clave", "Clave del programa"),
    ("programa", "Programa"),
    ("programa_version", "Versión publicada del programa"),
    ("dependencia", "Dependencia responsable del programa"),
    ("nivel", "Nivel de la MIR (fin, proposito, componente, actividad)"),
    ("nivel_numero", "Número del renglón (una actividad: componente.actividad)"),
    ("resumen_narrativo", "Resumen narrativo"),
    ("medios_de_verificacion", "Medios de verificación"),
    ("supuestos", "Supuestos"),
    ("indicador_clave", "Clave del indicador en el catálogo"),
    ("indicador", "Indicador"),
    ("definicion", "Definición del indicador"),
    ("metodo_de_calculo", "Método de cálculo"),
    ("variables", "Variables del método de cálculo (símbolo: descripción (unidad; medio de verificación) | …)"),
    ("unidad", "Unidad de medida"),
    ("dimension", "Dimensión (eficacia, eficiencia, calidad, economia)"),
    ("frecuencia", "Frecuencia de medición"),
    ("sentido", "Sentido (ascendente, descendente)"),
    ("linea_base", "Valor de la línea base"),
    ("linea_base_anio", "Año de la línea base"),
    ("metas", "Metas anuales (año: valor; …)"),
    ("responsable", "Dependencia responsable del indicador"),
]


def _record(link: MirIndicator) -> dict[str, Any]:
    row, programme, indicator = link.row, link.row.programme, link.indicator
    return {
        "programa_clave": programme.code,
        "programa": programme.name,
        "programa_version": programme.version,
        "dependencia": programme.agency.name if programme.agency else "",
        "nivel": row.level,
        "nivel_numero": f"{row.parent.order}.{row.order}" if row.parent_id else str(row.order),
        "resumen_narrativo": row.summary,
        "medios_de_verificacion": row.verification,
        "supuestos": row.assumptions,
        "indicador_clave": indicator.code,
        "indicador": indicator.name,
        "definicion": indicator.definition,
        "metodo_de_calculo": indicator.formula,
        "variables": [
            {"simbolo": v.symbol, "descripcion": v.description, "unidad": v.unit, "medio_de_verificacion": v.source}
            for v in link.variables.all()
        ],
        "unidad": indicator.unit,
        "dimension": link.dimension,
        "frecuencia": indicator.frequency,
        "sentido": indicator.polarity,
        "linea_base": link.baseline_value,
        "linea_base_anio": link.baseline_year,
        "metas": link.targets,
        "responsable": indicator.owner.name if indicator.owner else "",
    }


def mir_records() -> list[dict[str, Any]]:
    """Every indicator of every published programme's MIR, as the JSON file lists them (two queries: the links,
    then their variables)."""
    return [_record(link) for link in published_mir_links().prefetch_related("variables")]


def mir_table() -> tuple[list[str], Iterator[list[Any]]]:
    """The same records as CSV rows (the annual targets as «año: valor; …», the variables as «A: descripción
    (unidad; fuente) | B: …»)."""

    def cell(name: str, value: Any) -> Any:
        if name == "metas":
            return "; ".join(f"{year}: {target}" for year, target in value.items())
        if name == "variables":
            return " | ".join(
                f"{v['simbolo']}: {v['descripcion']} ({v['unidad']}; {v['medio_de_verificacion']})" for v in value
            )
        return "" if value is None else value

    rows = ([cell(name, record[name]) for name, _title in COLUMNS] for record in mir_records())
    return [name for name, _title in COLUMNS], rows
