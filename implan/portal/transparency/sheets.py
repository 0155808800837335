"""An obligation's file in the layout of the Plataforma Nacional de Transparencia (SIPOT): the period columns first,
then the obligation's own, then the responsible area, the validation and update dates and a note; one row per
record. Dates are written dd/mm/aaaa, as the platform's formats ask."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from implan.exports import xlsx_bytes
from implan.portal.transparency.selectors import ObligationStatus

# The platform's own column names: fixed Spanish whatever the reader's language (see obligations.py).
HEAD = (
    "Ejercicio",
    "Fecha de inicio del periodo que se informa",
    "Fecha de término del periodo que se informa",
)
TAIL = (
    "Área(s) responsable(s) que genera(n), posee(n), publica(n) y actualizan la información",
    "Fecha de validación",
    "Fecha de actualización",
    "Nota",
)
DATE_FORMAT = "%d/%m/%Y"


def header(status: ObligationStatus) -> list[str]:
    return [*HEAD, *status.obligation.columns, *TAIL]


def cell(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.strftime(DATE_FORMAT)
    return value


def rows(status: ObligationStatus) -> Iterator[list[Any]]:
    """The validation date is the obligation's last update: the day its file last changed as a whole."""
    validated = cell(status.updated)
    area, note = status.obligation.area, str(status.obligation.note)
    for record in status.records:
        own = [cell(value) for value in record.cells]
        yield [record.year, cell(record.start), cell(record.end), *own, area, validated, cell(record.updated), note]


def workbook(status: ObligationStatus) -> bytes:
    return xlsx_bytes(header(status), rows(status), title=status.obligation.slug)
