"""A published budget as open data: a Fiscal Data Package (descriptor + one CSV of lines).

The descriptor validates against the Fiscal Data Package profile (copied in ``planning/schemas/fiscal``) and the
CSV against its own Table Schema under ``frictionless validate`` (tests/planning/test_budget_opendata.py).
Amounts are plain decimals with a dot and no grouping, in MXN; each line carries CONAC's classifications (object of
expenditure down to the partida, functional, programmatic, funding source) and its stages per quarter.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings

from implan.licence import frictionless_licences
from implan.money import to_money
from planning.models import QUARTERS, Budget, BudgetLine, ConacEntry, FundingSource, SpendingChapter

CSV_NAME = "lineas.csv"
# (CSV column, Table Schema type, title)
COLUMNS = [
    ("linea", "integer", "Identificador de la línea"),
    ("ejercicio", "integer", "Ejercicio fiscal"),
    ("estrategia_numero", "integer", "Número de la estrategia del plan"),
    ("estrategia", "string", "Estrategia del plan"),
    ("programa_clave", "string", "Clave del programa"),
    ("programa", "string", "Programa"),
    ("dependencia_siglas", "string", "Siglas de la dependencia"),
    ("dependencia", "string", "Dependencia que ejerce"),
    ("capitulo", "string", "Capítulo del Clasificador por Objeto del Gasto (CONAC)"),
    ("capitulo_nombre", "string", "Nombre del capítulo"),
    ("fuente", "string", "Clave de la fuente de financiamiento"),
    ("fuente_nombre", "string", "Fuente de financiamiento"),
    ("concepto", "string", "Concepto"),
    ("aprobado", "number", "Monto aprobado (MXN)"),
    ("modificado", "number", "Monto modificado (MXN)"),
    ("ejercido", "number", "Monto ejercido (MXN)"),
    # CONAC's classifications (planning.conac); empty on lines recorded before the catalogues.
    ("cog_concepto", "string", "Concepto del Clasificador por Objeto del Gasto (CONAC)"),
    ("cog_concepto_nombre", "string", "Nombre del concepto"),
    ("partida", "string", "Partida genérica del Clasificador por Objeto del Gasto (CONAC)"),
    ("partida_nombre", "string", "Nombre de la partida genérica"),
    ("partida_especifica", "string", "Partida específica"),
    ("finalidad", "string", "Finalidad de la Clasificación Funcional del Gasto (CONAC)"),
    ("finalidad_nombre", "string", "Nombre de la finalidad"),
    ("funcion", "string", "Función de la Clasificación Funcional del Gasto (CONAC)"),
    ("funcion_nombre", "string", "Nombre de la función"),
    ("subfuncion", "string", "Subfunción de la Clasificación Funcional del Gasto (CONAC)"),
    ("subfuncion_nombre", "string", "Nombre de la subfunción"),
    ("modalidad", "string", "Modalidad del programa presupuestario (Clasificación Programática, CONAC)"),
    ("modalidad_nombre", "string", "Nombre de la modalidad"),
    ("programa_presupuestario", "string", "Clave del programa presupuestario: modalidad y clave del programa"),
    ("fuente_conac", "string", "Fuente de financiamiento (Clasificador por Fuentes de Financiamiento, CONAC)"),
    ("fuente_conac_nombre", "string", "Nombre de la fuente de financiamiento (CONAC)"),
    ("etiquetado", "string", "No etiquetado (1) o etiquetado (2)"),
    # The stages (momentos contables) accumulated to the end of each quarter recorded; empty for a quarter not yet
    # recorded.
    *(
        (f"{stage}_t{quarter}", "number", f"{title} acumulado al trimestre {quarter} (MXN)")
        for quarter in QUARTERS
        for stage, title in (
            ("modificado", "Modificado"),
            ("comprometido", "Comprometido"),
            ("devengado", "Devengado"),
            ("ejercido", "Ejercido"),
            ("pagado", "Pagado"),
        )
    ),
]
# Column prefix → BudgetExecution field.
STAGE_COLUMNS = {
    "modificado": "modified",
    "comprometido": "committed",
    "devengado": "accrued",
    "ejercido": "exercised",
    "pagado": "paid",
}


def _lines(budget: Budget) -> Iterable[BudgetLine]:
    return (
        budget.lines.select_related(
            "programme__strategy",
            "agency",
            "partida__parent",
            "subfunction__parent__parent",
            "modality",
            "source__parent",
        )
        .prefetch_related("executions")
        .order_by("programme__code", "chapter", "pk")
        .iterator(chunk_size=500)
    )


def _row(budget: Budget, line: BudgetLine, chapters: dict, sources: dict) -> list[Any]:
    strategy = line.programme.strategy
    return [
        line.pk,
        budget.fiscal_year.year,
        strategy.number if strategy else "",
        strategy.name if strategy else "",
        line.programme.code,
        line.programme.name,
        line.agency.acronym,
        line.agency.name,
        line.chapter,
        str(chapters[line.chapter]),
        line.funding_source,
        str(sources[line.funding_source]),
        line.description,
        to_money(line.approved_amount),
        to_money(line.modified_amount),
        to_money(line.executed_amount),
        *_classifications(line),
        *_stages(line),
    ]


def _code_name(entry: ConacEntry | None) -> list[str]:
    return [entry.code, entry.name] if entry else ["", ""]


def _classifications(line: BudgetLine) -> list[str]:
    partida, subfunction, modality, source = line.partida, line.subfunction, line.modality, line.source
    function = subfunction.parent if subfunction else None
    return [
        *_code_name(partida.parent if partida else None),
        *_code_name(partida),
        line.specific_partida,
        *_code_name(function.parent if function else None),
        *_code_name(function),
        *_code_name(subfunction),
        *_code_name(modality),
        f"{modality.code}{line.programme.code}" if modality else "",
        *_code_name(source),
        source.code[0] if source else "",
    ]


def _stages(line: BudgetLine) -> list[Any]:
    by_quarter = {execution.quarter: execution for execution in line.executions.all()}
    return [
        to_money(getattr(by_quarter[quarter], field)) if quarter in by_quarter else ""
        for quarter in QUARTERS
        for field in STAGE_COLUMNS.values()
    ]


def lines_table(budget: Budget) -> tuple[list[str], Iterator[list[Any]]]:
    """The budget's lines, one row each, with the columns described in ``COLUMNS`` (written by the portal's CSV
    helper: UTF-8 with a byte-order mark, comma, CRLF, amounts with two decimals)."""
    chapters, sources = dict(SpendingChapter.choices), dict(FundingSource.choices)
    rows = (_row(budget, line, chapters, sources) for line in _lines(budget))
    return [name for name, _type, _title in COLUMNS], rows


STAGE_PHASES = {"modificado": "adjusted", "ejercido": "executed"}


def _measure(column: str, phase: str) -> dict[str, str]:
    measure = {"source": column, "currency": "MXN", "direction": "expenditure", "phase": phase}
    return measure if phase else {key: value for key, value in measure.items() if key != "phase"}


def _dimension(attributes: dict[str, dict[str, str]], key: str, kind: str, **extra: str) -> dict[str, Any]:
    return {"attributes": attributes, "primaryKey": key, "dimensionType": kind, **extra}


def fiscal_model() -> dict[str, Any]:
    """Which CSV columns are amounts (measures) and which classify them (dimensions)."""
    return {
        "measures": {
            "aprobado": _measure("aprobado", "approved"),
            "modificado": _measure("modificado", "adjusted"),
            "ejercido": _measure("ejercido", "executed"),
            # The stages per quarter: the profile's phases stop at "executed", so only the ejercido names it.
            **{
                f"{stage}_t{quarter}": _measure(f"{stage}_t{quarter}", STAGE_PHASES.get(stage, ""))
                for quarter in QUARTERS
                for stage in STAGE_COLUMNS
            },
        },
        "dimensions": {
            "linea": _dimension({"linea": {"source": "linea"}, "concepto": {"source": "concepto"}}, "linea", "fact"),
            "ejercicio": _dimension({"ejercicio": {"source": "ejercicio"}}, "ejercicio", "datetime"),
            "estrategia": _dimension(
                {"numero": {"source": "estrategia_numero"}, "nombre": {"source": "estrategia", "labelfor": "numero"}},
                "numero",
                "classification",
                classificationType="functional",
            ),
            "programa": _dimension(
                {"clave": {"source": "programa_clave"}, "nombre": {"source": "programa", "labelfor": "clave"}},
                "clave",
                "activity",
            ),
            "dependencia": _dimension(
                {"siglas": {"source": "dependencia_siglas"}, "nombre": {"source": "dependencia", "labelfor": "siglas"}},
                "nombre",
                "classification",
                classificationType="administrative",
            ),
            "capitulo": _dimension(
                {"codigo": {"source": "capitulo"}, "nombre": {"source": "capitulo_nombre", "labelfor": "codigo"}},
                "codigo",
                "classification",
                classificationType="economic",
            ),
            "fuente": _dimension(
                {"clave": {"source": "fuente"}, "nombre": {"source": "fuente_nombre", "labelfor": "clave"}},
                "clave",
                "other",
            ),
            **conac_dimensions(),
        },
    }


def _levels(*levels: tuple[str, str]) -> dict[str, dict[str, str]]:
    """Attributes of a hierarchical classification: each level's code (child of the one before) and name."""
    attributes: dict[str, dict[str, str]] = {}
    for index, (name, column) in enumerate(levels):
        attributes[name] = {"source": column}
        if index:
            attributes[name]["parent"] = levels[index - 1][0]
        attributes[f"{name}_nombre"] = {"source": f"{column}_nombre", "labelfor": name}
    return attributes


def conac_dimensions() -> dict[str, Any]:
    """CONAC's classifications as dimensions: object of expenditure and funding (economic), functional,
    programmatic (the budget programme, an activity)."""
    return {
        "objeto_gasto": _dimension(
            {
                **_levels(("capitulo", "capitulo"), ("concepto", "cog_concepto"), ("partida", "partida")),
                "partida_especifica": {"source": "partida_especifica", "parent": "partida"},
            },
            "partida",
            "classification",
            classificationType="economic",
        ),
        "funcional": _dimension(
            _levels(("finalidad", "finalidad"), ("funcion", "funcion"), ("subfuncion", "subfuncion")),
            "subfuncion",
            "classification",
            classificationType="functional",
        ),
        "programatica": _dimension(
            {
                **_levels(("modalidad", "modalidad")),
                "programa_presupuestario": {"source": "programa_presupuestario", "parent": "modalidad"},
            },
            "programa_presupuestario",
            "activity",
        ),
        "fuente_conac": _dimension(
            {"etiquetado": {"source": "etiquetado"}, **_levels(("fuente", "fuente_conac"))},
            "fuente",
            "other",
        ),
    }


def table_schema() -> dict[str, Any]:
    fields = [{"name": name, "type": kind, "title": title} for name, kind, title in COLUMNS]
    for field in fields:
        if field["name"] in (
            "linea",
            "ejercicio",
            "programa_clave",
            "dependencia",
            "capitulo",
            "fuente",
            "aprobado",
            "modificado",
            "ejercido",
        ):
            field["constraints"] = {"required": True}
        if field["type"] == "number":
            # The stages of a quarter not yet recorded are empty.
            field["constraints"] = {"required": field["name"] in ("aprobado", "modificado", "ejercido"), "minimum": 0}
    return {"fields": fields, "primaryKey": ["linea"]}


def datapackage(budget: Budget, *, homepage: str) -> dict[str, Any]:
    """The Fiscal Data Package descriptor; its one resource is ``CSV_NAME`` beside it."""
    year = budget.fiscal_year.year
    return {
        "profile": "tabular-data-package",
        "name": f"presupuesto-{year}-v{budget.version}",
        "title": f"{budget.title} · {settings.INSTITUTE_SHORT_NAME}",
        "description": f"Líneas del presupuesto de egresos {year} (versión {budget.version}) con montos aprobado, "
        f"modificado y ejercido, por programa, dependencia, capítulo del gasto y fuente de "
        f"financiamiento, con las clasificaciones del CONAC (objeto del gasto, funcional, programática y fuente) y "
        f"los momentos contables acumulados a cada trimestre. Montos en pesos mexicanos (MXN).",
        "homepage": homepage,
        "licenses": frictionless_licences(),
        "countryCode": "MX",
        "granularity": "aggregated",
        "fiscalPeriod": {"start": f"{year}-01-01", "end": f"{year}-12-31"},
        "model": fiscal_model(),
        "resources": [
            {
                "profile": "tabular-data-resource",
                "name": "lineas",
                "path": CSV_NAME,
                "format": "csv",
                # UTF-8 with a byte-order mark (for Excel); frictionless reads it as plain utf-8.
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": table_schema(),
            }
        ],
    }
