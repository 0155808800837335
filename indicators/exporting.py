"""CSV and XLSX of the catalogue and of any selection of observations, safe to open in a spreadsheet.

Formula-safe through the portal's shared ``implan.exports.neutralise``: a text cell that starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return gets a leading apostrophe (OWASP "CSV injection"). Values are written as
numbers, never as text, so negative values stay numbers. Files stream: 300,000 rows never sit in memory. No BOM:
the CSV files are also the Data Package's resources, read by tools that expect plain UTF-8. The observation
columns are the ones the import reads: an export loads back.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse

from implan.exports import neutralise, set_file_name
from indicators.models import Indicator, Observation

__all__ = ["neutralise", "export", "observation_rows", "catalogue_rows"]

OBSERVATION_COLUMNS = ["indicador", "clave_territorio", "clave_inegi", "territorio", "tipo_territorio", "periodo",
                       "anio", "inicio_periodo", "valor", "estatus", "nota"]
CATALOGUE_COLUMNS = ["clave", "nombre", "familia", "tema", "definicion", "formula", "unidad", "sentido",
                     "periodicidad", "fuente", "desagregacion", "responsable", "ods"]


def plain_decimal(value: Decimal) -> str:
    """95.100000 → 95.1; 1E+3 → 1000 (no exponent: every reader understands it)."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def observation_rows(selection: QuerySet[Observation]) -> Iterator[list[Any]]:
    fields = ("indicator__code", "territory__code", "territory__inegi_code", "territory__name", "territory__kind",
              "period", "period_start", "value", "status", "note")
    for code, t_code, inegi, t_name, kind, period, start, value, status, note in (
            selection.values_list(*fields).iterator(chunk_size=5000)):
        yield [code, t_code, inegi, t_name, kind, period, start.year, start.isoformat(), value, status, note]


def catalogue_rows(indicators: QuerySet[Indicator]) -> Iterator[list[Any]]:
    for i in indicators.select_related("owner").prefetch_related("sdg_codes").order_by("code"):
        yield [i.code, i.name, i.family, i.theme, i.definition, i.formula, i.unit, i.polarity, i.frequency, i.source,
               i.territorial_level, i.owner.name if i.owner else "", " ".join(s.code for s in i.sdg_codes.all())]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(header: list[str], rows: Iterable[list[Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo(), lineterminator="\n")
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow([plain_decimal(c) if isinstance(c, Decimal) else neutralise(c) for c in row])


def csv_response(header: list[str], rows: Iterable[list[Any]], *, file_name: str,
                 attachment: bool = True) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_csv_lines(header, rows), content_type="text/csv; charset=utf-8")
    set_file_name(response, file_name, attachment=attachment)
    return response


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
    response = HttpResponse(xlsx_bytes(header, rows, title=title),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    set_file_name(response, file_name)
    return response


def export(kind: str, fmt: str, rows: Iterable[list[Any]], *, base_name: str,
           attachment: bool = True) -> HttpResponse | StreamingHttpResponse:
    """The response for ``kind`` ("observaciones" or "indicadores") as ``fmt`` ("csv" or "xlsx")."""
    header = OBSERVATION_COLUMNS if kind == "observaciones" else CATALOGUE_COLUMNS
    if fmt == "xlsx":
        return xlsx_response(header, rows, file_name=f"{base_name}.xlsx", title=kind)
    return csv_response(header, rows, file_name=f"{base_name}.csv", attachment=attachment)
