"""CSV and XLSX of the catalogue and of any selection of observations, safe to open in a spreadsheet.

Formula-safe through the portal's shared ``implan.exports.neutralise``: a text cell that starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return gets a leading apostrophe (OWASP "CSV injection"). Values are written as
numbers, never as text, so negative values stay numbers. CSV files stream through the portal's one CSV helper
(``implan.exports.csv_response``: byte-order mark for Excel, licence header), so 300,000 rows never sit in memory;
they are also the Data Package's resources, and ``frictionless`` reads them with the mark. The observation
columns are the ones the import reads: an export loads back.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse

from implan.exports import XLSX_TYPE, csv_response, file_response, neutralise
from indicators.models import Indicator, Observation

__all__ = ["neutralise", "export", "observation_rows", "catalogue_rows"]

TOTAL_CATEGORIES = "total"  # the «categorias» of a total (the import reads it back as the total)
OBSERVATION_COLUMNS = [
    "indicador",
    "clave_territorio",
    "clave_inegi",
    "territorio",
    "tipo_territorio",
    "periodo",
    "anio",
    "inicio_periodo",
    "categorias",
    "valor",
    "motivo_sin_dato",
    "estatus",
    "nota",
]
CATALOGUE_COLUMNS = [
    "clave",
    "nombre",
    "familia",
    "tema",
    "definicion",
    "formula",
    "unidad",
    "sentido",
    "periodicidad",
    "fuente",
    "desagregacion",
    "responsable",
    "ods",
]


def plain_decimals(rows: Iterable[list[Any]]) -> Iterator[list[Any]]:
    """95.100000 → 95.1: values without the database's trailing zeros (written without exponent by the helper)."""
    for row in rows:
        yield [c.normalize() if isinstance(c, Decimal) else c for c in row]


def observation_rows(selection: QuerySet[Observation]) -> Iterator[list[Any]]:
    fields = (
        "indicator__code",
        "territory__code",
        "territory__inegi_code",
        "territory__name",
        "territory__kind",
        "period",
        "period_start",
        "breakdown",
        "value",
        "missing_reason",
        "status",
        "note",
    )
    for code, t_code, inegi, t_name, kind, period, start, key, value, reason, status, note in selection.values_list(
        *fields
    ).iterator(chunk_size=5000):
        categories = key or TOTAL_CATEGORIES
        yield [code, t_code, inegi, t_name, kind, period, start.year, start.isoformat(), categories, value, reason] + [
            status,
            note,
        ]


def catalogue_rows(indicators: QuerySet[Indicator]) -> Iterator[list[Any]]:
    for i in indicators.select_related("owner").prefetch_related("sdg_codes").order_by("code"):
        yield [
            i.code,
            i.name,
            i.family,
            i.theme,
            i.definition,
            i.formula,
            i.unit,
            i.polarity,
            i.frequency,
            i.source,
            i.territorial_level,
            i.owner.name if i.owner else "",
            " ".join(s.code for s in i.sdg_codes.all()),
        ]


def xlsx_bytes(header: list[str], rows: Iterable[list[Any]], *, title: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)  # streams rows to a temporary file: constant memory
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(header)
    for row in rows:
        sheet.append([neutralise(c) for c in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(header: list[str], rows: Iterable[list[Any]], *, file_name: str, title: str) -> HttpResponse:
    return file_response(xlsx_bytes(header, rows, title=title), filename=file_name, content_type=XLSX_TYPE)


def export(
    kind: str, fmt: str, rows: Iterable[list[Any]], *, base_name: str, attachment: bool = True
) -> HttpResponse | StreamingHttpResponse:
    """The response for ``kind`` ("observaciones" or "indicadores") as ``fmt`` ("csv" or "xlsx")."""
    header = OBSERVATION_COLUMNS if kind == "observaciones" else CATALOGUE_COLUMNS
    if fmt == "xlsx":
        return xlsx_response(header, rows, file_name=f"{base_name}.xlsx", title=kind)
    return csv_response(header, plain_decimals(rows), filename=f"{base_name}.csv", attachment=attachment, stream=True)
