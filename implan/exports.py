"""Spreadsheet files every app hands out (CSV and XLSX), safe against formula injection.

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be run as a formula by a
spreadsheet program; it is written with a leading apostrophe instead, so it shows as the text it is. Numbers stay
numbers (a negative longitude is a number, not a formula). Every CSV download goes through ``csv_response``: it
carries a byte-order mark so Excel reads the accents, and names the open-data licence in a ``Link`` header.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any, Literal, overload

from django.http import HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.utils.http import content_disposition_header
from openpyxl import Workbook

from implan.licence import declare_licence
from implan.types import ResponseT

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NOT_IN_A_FILE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def file_stem(*parts: str | int) -> str:
    """A download's name from slugs, codes or years the portal knows; any other character becomes a hyphen."""
    return "-".join(NOT_IN_A_FILE_NAME.sub("-", str(part)).strip("-.") for part in parts)


def file_name(*parts: str | int, extension: str) -> str:
    return f"{file_stem(*parts)}.{extension}"


def set_file_name(response: HttpResponseBase, name: str, *, attachment: bool = True) -> None:
    """Content-Disposition quoted by Django (RFC 6266): no name can close the quotes or start another header."""
    header = content_disposition_header(attachment, name)
    if header is not None:  # None for an inline answer without a name: no header rather than the text "None"
        response["Content-Disposition"] = header


def neutralise(value: Any) -> Any:
    """A text that a spreadsheet would run as a formula, made inert; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _cells(row: Sequence[Any]) -> list[Any]:
    """Numbers stay numbers (a negative amount is not a formula); everything else becomes inert text."""
    return [_cell(value) for value in row]


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal):
        return value
    return neutralise(str(value))


def _csv_cells(row: Sequence[Any]) -> list[Any]:
    # A decimal as 1000, never 1E+3: every reader understands it.
    return [format(v, "f") if isinstance(v, Decimal) else v for v in _cells(row)]


class _Echo:
    """A file that hands back what is written to it, so csv.writer can produce one row at a time."""

    def write(self, value: str) -> str:
        return value


def csv_chunks(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The CSV text (RFC 4180: comma, CRLF) piece by piece: a byte-order mark and the header, then each row.

    The byte-order mark makes Excel read the file as UTF-8, so accents arrive intact; Python's ``utf-8-sig``,
    pandas, R and ``frictionless`` skip it.
    """
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([str(h) for h in header])
    for row in rows:
        yield writer.writerow(_csv_cells(row))


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    return "".join(csv_chunks(header, rows)).encode("utf-8")


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str = "datos") -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([str(h) for h in header])
    for row in rows:
        sheet.append(_cells(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _download(response: ResponseT, *, filename: str, attachment: bool) -> ResponseT:
    set_file_name(response, filename, attachment=attachment)
    return declare_licence(response)


def file_response(content: bytes, *, filename: str, content_type: str, attachment: bool = True) -> HttpResponse:
    return _download(HttpResponse(content, content_type=content_type), filename=filename, attachment=attachment)


@overload
def csv_response(
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    filename: str,
    attachment: bool = True,
    stream: Literal[False] = False,
) -> HttpResponse: ...
@overload
def csv_response(
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    filename: str,
    attachment: bool = True,
    stream: Literal[True],
) -> StreamingHttpResponse: ...
def csv_response(
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    filename: str,
    attachment: bool = True,
    stream: bool = False,
) -> HttpResponse | StreamingHttpResponse:
    """Every CSV download of the portal: UTF-8 with a byte-order mark, formula-safe, naming its licence.

    ``stream`` sends the rows as they are read (hundreds of thousands of observations never sit in memory).
    """
    if not stream:
        return file_response(csv_bytes(header, rows), filename=filename, content_type=CSV_TYPE, attachment=attachment)
    chunks = (chunk.encode("utf-8") for chunk in csv_chunks(header, rows))
    return _download(StreamingHttpResponse(chunks, content_type=CSV_TYPE), filename=filename, attachment=attachment)
