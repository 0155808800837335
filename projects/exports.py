"""CSV and XLSX exports of the public portfolio as filtered, safe against spreadsheet formula injection.

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be run as a formula by a
spreadsheet; it is written with a leading apostrophe instead, so it shows as the text it is. Numbers stay numbers
(a negative longitude is a number, not a formula).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook

from projects.models import Project

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A text that a spreadsheet would run as a formula, made inert; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def header() -> list[str]:
    return [_("Clave"), _("Título"), _("Estado"), _("Estrategia"), _("Programa"), _("Dependencia responsable"),
            _("Territorio"), _("Órgano que lo propuso"), _("Puntaje de prioridad"), _("Avance físico (%)"),
            _("Costo estimado (MXN)"), _("Personas beneficiarias"), _("Latitud"), _("Longitud"), _("Problema")]


def rows(projects: QuerySet[Project]) -> Iterator[list[Any]]:
    """One row per project, streamed in chunks (no query per row)."""
    queryset = projects.select_related("strategy", "programme", "agency", "territory", "origin_body")
    for p in queryset.iterator(chunk_size=2000):
        yield [neutralise(v) for v in (
            p.code, p.title, str(p.get_status_display()), p.strategy.name if p.strategy_id else "",
            str(p.programme) if p.programme_id else "", p.agency.name if p.agency_id else "",
            p.territory.name, p.origin_body.name if p.origin_body_id else "", p.priority_score,
            p.physical_progress, p.estimated_cost, p.beneficiaries, p.latitude, p.longitude, p.problem)]


def _plain(value: Any) -> Any:
    return "" if value is None else value


def to_csv(data: Iterable[list[Any]]) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheet programs read the accents right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header())
    for row in data:
        writer.writerow([_plain(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(data: Iterable[list[Any]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Proyectos"))
    sheet.append(header())
    for row in data:
        sheet.append([float(v) if isinstance(v, Decimal) else v for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
