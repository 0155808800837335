"""Spreadsheet files every app hands out (CSV and XLSX), safe against formula injection.

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be run as a formula by a
spreadsheet program; it is written with a leading apostrophe instead, so it shows as the text it is. Numbers stay
numbers (a negative longitude is a number, not a formula). CSV carries a byte-order mark so Excel reads the accents.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpResponse, HttpResponseBase
from django.utils.http import content_disposition_header
from openpyxl import Workbook

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
    response["Content-Disposition"] = content_disposition_header(attachment, name)


def neutralise(value: Any) -> Any:
    """A text that a spreadsheet would run as a formula, made inert; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _cells(row: Sequence[Any]) -> list[Any]:
    """Numbers stay numbers (a negative amount is not a formula); everything else becomes inert text."""
    return ["" if v is None else v if isinstance(v, int | float | Decimal) else neutralise(str(v)) for v in row]


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(h) for h in header])
    for row in rows:
        writer.writerow(_cells(row))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str = "datos") -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([str(h) for h in header])
    for row in rows:
        sheet.append(_cells(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def file_response(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    set_file_name(response, filename)
    return response


def csv_response(header: Sequence[str], rows: Iterable[Sequence[Any]], *, filename: str) -> HttpResponse:
    return file_response(csv_bytes(header, rows), filename=filename, content_type=CSV_TYPE)
