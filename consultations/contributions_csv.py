"""Reading a forum's contributions from a CSV file: every row checked, all errors reported in Spanish, nothing
accepted unless every row is right.

Columns (header row, any order, case and accents ignored): ``seccion`` (the section's number or title),
``sector`` (e.g. «Ciudadanía», «Academia»), ``participante`` (optional), ``colonia`` (optional), ``aportacion``.
Comma or semicolon separated (spreadsheets in Spanish save with semicolons), UTF-8 with or without a BOM.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from typing import NamedTuple

from django.utils.translation import gettext as _

from consultations.models import Contribution, Section, Sector
from implan.errors import DomainError

MAX_ROWS = 2000
COLUMNS = ("seccion", "sector", "participante", "colonia", "aportacion")
REQUIRED = ("seccion", "sector", "aportacion")


class Row(NamedTuple):
    section: Section
    sector: str
    participant: str
    place: str
    text: str


class ImportRefused(DomainError):
    """The file was refused; ``errors`` lists each problem (by row) for the page to show."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(_("No se importó ninguna aportación: corrija el archivo y súbalo de nuevo."))
        self.errors = errors


def _key(value: str) -> str:
    """Lower case without accents or surrounding spaces: «Sección» and «seccion» are the same column."""
    folded = unicodedata.normalize("NFKD", value.strip().casefold())
    return "".join(c for c in folded if not unicodedata.combining(c))


def _text(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(
            [_("El archivo no está en UTF-8. En su hoja de cálculo, guárdelo como «CSV UTF-8».")]
        ) from None


def _reader(text: str) -> csv.DictReader:
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return csv.DictReader(io.StringIO(text), delimiter=delimiter)


def parse(content: bytes, *, sections: list[Section]) -> list[Row]:
    reader = _reader(_text(content))
    header = {_key(name): name for name in reader.fieldnames or []}
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ImportRefused(
            [
                _("Faltan columnas: %(cols)s. Se esperan: %(all)s.")
                % {"cols": ", ".join(missing), "all": ", ".join(COLUMNS)}
            ]
        )
    by_number = {str(s.order): s for s in sections}
    by_title = {_key(s.title): s for s in sections}
    sectors = {_key(value): value for value in Sector.values} | {
        _key(str(label)): value for value, label in Sector.choices
    }
    limit = Contribution._meta.get_field("text").max_length
    rows, errors = [], []
    for line, raw in enumerate(reader, start=2):
        if line - 1 > MAX_ROWS:
            raise ImportRefused([_("El archivo tiene más de %(n)s filas; divídalo.") % {"n": MAX_ROWS}])
        cell = {c: (raw.get(header[c]) or "").strip() if c in header else "" for c in COLUMNS}
        if not any(cell.values()):
            continue  # blank lines at the end of a spreadsheet
        section = by_number.get(cell["seccion"]) or by_title.get(_key(cell["seccion"]))
        sector = sectors.get(_key(cell["sector"]))
        problems = []
        if section is None:
            problems.append(_("la sección «%(value)s» no es de esta consulta") % {"value": cell["seccion"]})
        if sector is None:
            problems.append(_("el sector «%(value)s» no es uno de la lista") % {"value": cell["sector"]})
        if not cell["aportacion"]:
            problems.append(_("falta el texto de la aportación"))
        elif len(cell["aportacion"]) > limit:
            problems.append(_("la aportación pasa de %(n)s caracteres") % {"n": limit})
        if problems:
            errors.append(_("Fila %(line)s: %(problems)s.") % {"line": line, "problems": "; ".join(problems)})
        else:
            rows.append(Row(section, sector, cell["participante"][:120], cell["colonia"][:120], cell["aportacion"]))
    if errors:
        raise ImportRefused(errors)
    if not rows:
        raise ImportRefused([_("El archivo no tiene ninguna aportación.")])
    return rows
