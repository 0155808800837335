"""Reading and checking the observation files people really have.

Accepts CSV (UTF-8 with or without BOM, Windows-1252/Latin-1; ``,`` or ``;``) and XLSX; values written as
``7.0``, ``1,234.5`` or ``1.234,5``; trailing blank rows; headers with or without accents; extra columns.
Refuses, naming the row and column, unknown codes, non-numeric values, duplicate keys, periods outside the
indicator's frequency; and, for the file as a whole, files that are not what their name says, files over the size
limit and XLSX zip bombs.

This module only reads and judges; ``indicators.jobs`` stores the judged rows and saves them.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from implan.models import Territory
from indicators.models import Indicator, ObservationStatus, RowOutcome
from indicators.periods import period_start

# Accepted header spellings (accents, case and spaces folded) for each column.
COLUMNS = {
    "indicator": {"indicador", "clave_indicador", "indicator", "codigo_indicador", "clave_del_indicador",
                  "cve_indicador"},
    "territory": {"territorio", "clave_inegi", "clave_territorio", "territory", "inegi", "cve_inegi",
                  "clave_geoestadistica", "cvegeo"},
    "period": {"periodo", "period", "anio", "ano", "year"},
    "value": {"valor", "value", "dato"},
    "note": {"nota", "note", "notas", "observaciones"},
    "status": {"estatus", "status", "estado"},
}
REQUIRED = ("indicator", "territory", "period", "value")
COLUMN_LABELS = {"indicator": "indicador", "territory": "territorio", "period": "periodo", "value": "valor",
                 "note": "nota", "status": "estatus"}
STATUSES = {"preliminar": ObservationStatus.PRELIMINARY, "preliminary": ObservationStatus.PRELIMINARY,
            "p": ObservationStatus.PRELIMINARY, "definitivo": ObservationStatus.FINAL,
            "final": ObservationStatus.FINAL, "d": ObservationStatus.FINAL}
MAX_ABS_VALUE = Decimal("1e14")  # what DECIMAL(20, 6) holds
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def max_upload_bytes() -> int:
    return settings.INDICATOR_IMPORT_MAX_BYTES


def max_xlsx_uncompressed_bytes() -> int:
    return settings.INDICATOR_IMPORT_MAX_XLSX_BYTES


class ImportRefused(Exception):
    """The file as a whole cannot be read (type, size, encoding, missing columns)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- Reading the file ----------------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Lowercase, no accents, spaces as underscores: «Clave del Período » → «clave_del_periodo»."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"\s+", "_", text.strip().lower())


@dataclass
class Table:
    rows: Iterator[list[str]]  # header first
    decimal_comma: bool  # Spanish-language Excel writes ";"-separated CSV with decimal commas
    total: int  # an estimate of the number of lines, for the progress bar


def check_file(content: bytes, file_name: str) -> str:
    """The file's kind ("csv" or "xlsx"); ImportRefused when its size, name or bytes are wrong."""
    limit = max_upload_bytes()
    if len(content) > limit:
        raise ImportRefused(_("El archivo pesa %(size)s MB; el máximo es %(max)s MB.")
                            % {"size": round(len(content) / 1048576, 1), "max": round(limit / 1048576, 1)})
    extension = file_name.lower().rsplit(".", 1)[-1] if "." in file_name else ""
    is_zip = content[:4] == b"PK\x03\x04"
    if extension == "xlsx":
        if not is_zip:
            raise ImportRefused(_("El archivo se llama .xlsx pero no es una hoja de Excel."))
        _check_zip(content)
        return "xlsx"
    if extension in ("csv", "txt"):
        if is_zip or b"\x00" in content[:4096] or content[:5] == b"%PDF-":
            raise ImportRefused(_("El archivo se llama .csv pero no es texto separado por comas."))
        return "csv"
    raise ImportRefused(_("Solo se aceptan archivos CSV o XLSX."))


def _check_zip(content: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = archive.namelist()
            uncompressed = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise ImportRefused(_("La hoja de Excel está dañada.")) from exc
    if uncompressed > max_xlsx_uncompressed_bytes():
        raise ImportRefused(_("La hoja de Excel se descomprime en %(size)s MB, más de lo razonable; no se abrió.")
                            % {"size": uncompressed // 1048576})
    if "[Content_Types].xml" not in names:
        raise ImportRefused(_("El archivo se llama .xlsx pero no es una hoja de Excel."))


def read_table(content: bytes, file_name: str) -> Table:
    """The file's rows as lists of strings, header first; ImportRefused when it is not a readable table."""
    if check_file(content, file_name) == "xlsx":
        return _read_xlsx(content)
    return _read_csv(content)


def _read_csv(content: bytes) -> Table:
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    if "\t" in first_line and first_line.count("\t") > first_line.count(delimiter):
        delimiter = "\t"
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    return Table(rows, decimal_comma=delimiter == ";", total=lines)


def _read_xlsx(content: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        total = sheet.max_row or 0
    except Exception as exc:  # openpyxl raises many types for a broken workbook
        raise ImportRefused(_("La hoja de Excel no se pudo leer.")) from exc

    def rows() -> Iterator[list[str]]:
        try:
            for row in sheet.iter_rows(values_only=True):
                yield ["" if cell is None else _cell_text(cell) for cell in row]
        finally:
            workbook.close()

    return Table(rows(), decimal_comma=False, total=total)


def _cell_text(cell: Any) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime.datetime):  # Excel turns "2024-03" into a date
        return f"{cell.year}-{cell.month:02d}" if cell.day == 1 else cell.date().isoformat()
    return str(cell)


# --- Values ----------------------------------------------------------------------------------------------------

_PLAIN_NUMBER = re.compile(r"[-+]?\d+(\.\d+)?")


def parse_number(raw: str, *, decimal_comma: bool = False) -> Decimal:
    """Read ``7``, ``7.0``, ``1,234.5``, ``1.234,5``, ``1 234``, ``95.1%``; InvalidOperation when not a number."""
    text = raw.strip()
    if _PLAIN_NUMBER.fullmatch(text):  # the common case, fast
        return Decimal(text)
    if decimal_comma and "." not in text and text.count(",") == 1:
        candidate = text.replace(",", ".")  # 7,5 from Spanish-language Excel
        if _PLAIN_NUMBER.fullmatch(candidate):
            return Decimal(candidate)
    text = text.replace("\u00a0", "").replace(" ", "").replace("$", "").removesuffix("%")
    if not text:
        raise InvalidOperation(raw)
    if "," in text and "." in text:
        decimal_sep = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal_sep == "," else ","
        text = text.replace(thousands, "").replace(decimal_sep, ".")
    elif "," in text:
        groups = text.split(",")
        looks_grouped = all(len(g) == 3 for g in groups[1:]) and not decimal_comma
        text = text.replace(",", "") if looks_grouped else text.replace(",", ".")
    elif decimal_comma and text.count(".") > 1:
        text = text.replace(".", "")  # 1.721.215 with decimal commas: dots group thousands
    if not _PLAIN_NUMBER.fullmatch(text):
        raise InvalidOperation(raw)
    return Decimal(text)


# --- Checking rows ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Columns:
    positions: dict[str, int]

    @property
    def has_note(self) -> bool:
        return "note" in self.positions

    @property
    def has_status(self) -> bool:
        return "status" in self.positions


def map_columns(header: list[str]) -> Columns:
    folded = [fold(h) for h in header]
    mapping = {}
    for column, names in COLUMNS.items():
        for index, name in enumerate(folded):
            if name in names:
                mapping[column] = index
                break
    missing = [COLUMN_LABELS[c] for c in REQUIRED if c not in mapping]
    if missing:
        raise ImportRefused(_("Faltan columnas: %(cols)s. Se esperan: indicador, territorio, periodo, valor "
                              "(y opcionalmente nota, estatus).") % {"cols": ", ".join(missing)})
    return Columns(mapping)


# A judged row, in the column order of the staging table (see jobs.STAGING_COLUMNS): line, outcome, indicator_id,
# territory_id, period, period_start, value, status, note, the four raw cells, errors ("column|message" lines).
CheckedRow = tuple


class RowChecker:
    """Judges rows one by one against the catalogue; built once per file with every lookup in memory.

    The catalogues are small (hundreds of indicators, a few thousand territories), so two dictionaries answer
    every row without a query; periods are parsed once per (indicator, period) pair.
    """

    def __init__(self, columns: Columns, *, decimal_comma: bool) -> None:
        self.positions = columns.positions
        self.decimal_comma = decimal_comma
        self.indicators: dict[str, tuple[int, str, str]] = {}
        for pk, code, frequency in Indicator.objects.values_list("pk", "code", "frequency"):
            self.indicators[code.upper()] = (pk, code, frequency)
        self.territories: dict[str, int] = {}
        for pk, code, inegi in Territory.objects.values_list("pk", "code", "inegi_code"):
            self.territories[code.upper()] = pk
            if inegi:
                self.territories[inegi] = pk
        self.periods: dict[tuple[int, str], tuple[str, datetime.date] | None] = {}
        self.seen: dict[tuple[int, int, str], int] = {}

    def check(self, line: int, cells: list[str]) -> CheckedRow:
        width = len(cells)
        raw = [cells[i].strip() if i < width else "" for i in self._order]
        indicator_code, territory_code, period_raw, value_raw, note, status_raw = raw
        errors: list[str] = []
        indicator = self.indicators.get(indicator_code.upper())
        territory = self._territory(territory_code)
        period = start = None
        if indicator is None:
            errors.append("indicador|" + (_("No existe un indicador con la clave «%(code)s».")
                           % {"code": indicator_code}))
        else:
            parsed = self._period(indicator, period_raw)
            if parsed is None:
                errors.append("periodo|" + _("«%(period)s» no es un periodo %(freq)s válido.")
                               % {"period": period_raw, "freq": _frequency_label(indicator[2])})
            else:
                period, start = parsed
        if territory is None:
            errors.append("territorio|" + (_("No existe un territorio con la clave «%(code)s».")
                           % {"code": territory_code}))
        value = self._value(value_raw, errors)
        status = STATUSES.get(fold(status_raw), None) if status_raw else ObservationStatus.FINAL
        if status is None:
            errors.append("estatus|" + _("El estatus debe ser «preliminar» o «definitivo»."))
        if indicator is not None and territory is not None and period is not None:
            key = (indicator[0], territory, period)
            first = self.seen.setdefault(key, line)
            if first != line:
                errors.append("periodo|" + _("Repite el indicador, territorio y periodo de la fila %(line)s.")
                              % {"line": first})
        shown = [cell[:200] for cell in raw[:4]]
        if note.startswith("'") and note[1:2] in FORMULA_STARTS:
            note = note[1:]  # our own exports neutralise formulas this way: an export loads back unchanged
        if errors:
            return (line, RowOutcome.ERROR, None, None, (period or "")[:10], None, None, "", "", *shown,
                    "\n".join(errors))
        # A valid row's raw cells are not kept: the preview shows its resolved values (less to write for big files).
        return (line, RowOutcome.NEW, indicator[0], territory, period, start, value, status, note[:500], "", "", "",
                "", "")

    @property
    def _order(self) -> list[int]:
        order = getattr(self, "_order_cache", None)
        if order is None:
            missing = 10**9  # an index no row reaches: an absent optional column reads as ""
            order = [self.positions.get(c, missing) for c in ("indicator", "territory", "period", "value", "note",
                                                               "status")]
            self._order_cache = order
        return order

    def _territory(self, code: str) -> int | None:
        found = self.territories.get(code.upper())
        if found is None and code.isdigit() and len(code) in (4, 8):
            found = self.territories.get(code.zfill(len(code) + 1))  # Excel dropped the state's leading zero
        return found

    def _period(self, indicator: tuple[int, str, str], raw: str) -> tuple[str, datetime.date] | None:
        key = (indicator[0], raw)
        if key not in self.periods:
            period = raw.removesuffix(".0").upper()  # a year typed into Excel comes back as 2020.0
            try:
                self.periods[key] = (period, period_start(period, indicator[2]))
            except ValueError:
                self.periods[key] = None
        return self.periods[key]

    def _value(self, raw: str, errors: list[str]) -> Decimal | None:
        try:
            value = parse_number(raw, decimal_comma=self.decimal_comma)
        except InvalidOperation:
            errors.append("valor|" + _("«%(value)s» no es un número.") % {"value": raw})
            return None
        if abs(value) >= MAX_ABS_VALUE:
            errors.append("valor|" + _("«%(value)s» es demasiado grande.") % {"value": raw})
            return None
        return value


def _frequency_label(frequency: str) -> str:
    from indicators.models import Frequency

    return str(Frequency(frequency).label).lower()


def is_blank(cells: list[str]) -> bool:
    return not "".join(cells).strip()
