"""A published budget as open data: a Fiscal Data Package (descriptor + one CSV of lines).

The descriptor validates against the Fiscal Data Package profile (copied in ``planning/schemas/fiscal``) and the
CSV against its own Table Schema under ``frictionless validate`` (tests/planning/test_budget_opendata.py).
Amounts are plain decimals with a dot and no grouping, in MXN; codes are CONAC's spending chapters.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings

from implan.licence import frictionless_licences
from implan.money import to_money
from planning.models import Budget, BudgetLine, FundingSource, SpendingChapter

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
]


def _lines(budget: Budget) -> Iterable[BudgetLine]:
    return (
        budget.lines.select_related("programme__strategy", "agency")
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
    ]


def lines_table(budget: Budget) -> tuple[list[str], Iterator[list[Any]]]:
    """The budget's lines, one row each, with the columns described in ``COLUMNS`` (written by the portal's CSV
    helper: UTF-8 with a byte-order mark, comma, CRLF, amounts with two decimals)."""
    chapters, sources = dict(SpendingChapter.choices), dict(FundingSource.choices)
    rows = (_row(budget, line, chapters, sources) for line in _lines(budget))
    return [name for name, _type, _title in COLUMNS], rows


def _measure(column: str, phase: str) -> dict[str, str]:
    return {"source": column, "currency": "MXN", "direction": "expenditure", "phase": phase}


def _dimension(attributes: dict[str, dict[str, str]], key: str, kind: str, **extra: str) -> dict[str, Any]:
    return {"attributes": attributes, "primaryKey": key, "dimensionType": kind, **extra}


def fiscal_model() -> dict[str, Any]:
    """Which CSV columns are amounts (measures) and which classify them (dimensions)."""
    return {
        "measures": {
            "aprobado": _measure("aprobado", "approved"),
            "modificado": _measure("modificado", "adjusted"),
            "ejercido": _measure("ejercido", "executed"),
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
        },
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
            field["constraints"] = {"required": True, "minimum": 0}
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
        f"financiamiento. Montos en pesos mexicanos (MXN).",
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
