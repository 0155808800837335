"""Reading and checking the observation files people really have.

Accepts CSV (UTF-8 with or without BOM, Windows-1252/Latin-1; ``,`` or ``;``) and XLSX; values written as
``7.0``, ``1,234.5`` or ``1.234,5``; trailing blank rows; headers with or without accents; extra columns.
Refuses, naming the row and column, unknown codes, non-numeric values, values the file's decimal convention
leaves ambiguous, duplicate keys, periods outside the indicator's frequency; and, for the file as a whole, files
that are not what their name says, files over the size limit and XLSX zip bombs.

This module only reads and judges; ``indicators.jobs`` stores the judged rows and saves them.
"""

from __future__ import annotations

import csv
import datetime
import functools
import gc
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Upper
from django.utils.translation import gettext as _

from implan.control_characters import CONTROL_CHARACTERS_IN_TEXT, code_point, control_character_message, visible
from implan.exports import FORMULA_TRIGGERS
from implan.models import Territory
from indicators.breakdowns import breakdown_key
from indicators.models import DecimalMark, Dimension, Indicator, ObservationStatus, RowOutcome
from indicators.periods import period_start

# Accepted header spellings (accents, case and spaces folded) for each column.
COLUMNS = {
    "indicator": {
        "indicador",
        "clave_indicador",
        "indicator",
        "codigo_indicador",
        "clave_del_indicador",
        "cve_indicador",
    },
    "territory": {
        "territorio",
        "clave_inegi",
        "clave_territorio",
        "territory",
        "inegi",
        "cve_inegi",
        "clave_geoestadistica",
        "cvegeo",
    },
    "period": {"periodo", "period", "anio", "ano", "year"},
    "value": {"valor", "value", "dato"},
    "note": {"nota", "note", "notas", "observaciones"},
    "status": {"estatus", "status", "estado"},
    "missing_reason": {"motivo", "motivo_sin_dato", "razon_sin_dato", "motivo_del_faltante", "missing_reason"},
    # A territory's name beside its code: cross-checked against the catalogue (see names_agree).
    "territory_name": {
        "nombre",
        "nombre_territorio",
        "territorio_nombre",
        "nom_territorio",
        "municipio",
        "nombre_municipio",
        "nom_mun",
        "nom_municipio",
        "nom_loc",
        "nom_ent",
    },
    "preliminary": {"preliminar", "es_preliminar", "preliminary"},
    # The portal's own export writes all the categories of a row in one cell: «sexo=mujeres;grupo-de-edad=0-14».
    "categories": {"categorias"},
}
REQUIRED = ("indicator", "territory", "period", "value")
# The columns a row is judged by, in order.
READ = (
    "indicator",
    "territory",
    "period",
    "value",
    "note",
    "status",
    "missing_reason",
    "territory_name",
    "preliminary",
)
COLUMN_LABELS = {
    "indicator": "indicador",
    "territory": "territorio",
    "period": "periodo",
    "value": "valor",
    "note": "nota",
    "status": "estatus",
    "missing_reason": "motivo",
    "territory_name": "nombre",
    "preliminary": "preliminar",
}
# What a statistics office writes for a value it does not have (folded): «sin dato», never zero, never an error.
MISSING = {"", "n/d", "nd", "n.d.", "-", "s/d", "sd", "s.d.", "sin_dato", "sin_datos", "no_disponible"}
# A «preliminar» column: a mark means preliminary, its absence (or «no») final.
YES = {"si", "x", "1", "true", "verdadero", "preliminar", "p", "yes"}
NO = {"", "no", "0", "false", "falso", "definitivo", "d"}
# A breakdown cell that names no category: the row is the total over that dimension.
ALL_CATEGORIES = {"", "total", "todos", "todas", "ambos_sexos"}
STATUSES = {
    "preliminar": ObservationStatus.PRELIMINARY,
    "preliminary": ObservationStatus.PRELIMINARY,
    "p": ObservationStatus.PRELIMINARY,
    "definitivo": ObservationStatus.FINAL,
    "final": ObservationStatus.FINAL,
    "d": ObservationStatus.FINAL,
}
MAX_ABS_VALUE = Decimal("1e14")
MAX_REASON = 200  # Observation.missing_reason  # what DECIMAL(20, 6) holds
FORMULA_STARTS = FORMULA_TRIGGERS


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


# Cells of a few distinct values repeated on every row (categories, marks, statuses): folded once each.
fold_cell = functools.lru_cache(maxsize=4096)(fold)


@dataclass
class Table:
    rows: Iterator[list[str]]  # header first
    delimiter: str  # "" for a workbook; Spanish-language Excel writes ";"-separated CSV with decimal commas
    total: int  # an estimate of the number of lines, for the progress bar


def check_file(content: bytes, file_name: str) -> str:
    """The file's kind ("csv" or "xlsx"); ImportRefused when its size, name or bytes are wrong."""
    limit = max_upload_bytes()
    if len(content) > limit:
        raise ImportRefused(
            _("El archivo pesa %(size)s MB; el máximo es %(max)s MB.")
            % {"size": round(len(content) / 1048576, 1), "max": round(limit / 1048576, 1)}
        )
    extension = file_name.lower().rsplit(".", 1)[-1] if "." in file_name else ""
    is_zip = content[:4] == b"PK\x03\x04"
    if extension == "xlsx":
        if not is_zip:
            raise ImportRefused(_("El archivo se llama .xlsx pero no es una hoja de Excel."))
        _check_zip(content)
        return "xlsx"
    if extension in ("csv", "txt"):
        if is_zip or content[:5] == b"%PDF-" or _looks_binary(content[:4096]):
            raise ImportRefused(_("El archivo se llama .csv pero no es texto separado por comas."))
        return "csv"
    raise ImportRefused(_("Solo se aceptan archivos CSV o XLSX."))


# Bytes no text file holds but as a slip: C0 controls other than tab, line feed, form feed and carriage return.
_BINARY_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20)])


def _looks_binary(sample: bytes) -> bool:
    """Binary (a spreadsheet of another format, UTF-16 text, an image) when over 5 % of the sample are control
    bytes: half of UTF-16 is NUL, a tenth of compressed data. A stray one in a text file is an error of its cell."""
    return len(sample) - len(sample.translate(None, _BINARY_BYTES)) > len(sample) / 20


def _check_zip(content: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = archive.namelist()
            uncompressed = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise ImportRefused(_("La hoja de Excel está dañada.")) from exc
    if uncompressed > max_xlsx_uncompressed_bytes():
        raise ImportRefused(
            _("La hoja de Excel se descomprime en %(size)s MB, más de lo razonable; no se abrió.")
            % {"size": uncompressed // 1048576}
        )
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
    # The csv module stops at a field over 128 KiB by raising in the middle of the file, which would end the job as
    # an unexpected error. No field can outgrow the file, whose size is capped: lift the module's limit (a process
    # setting; only ever raised) to that cap, and let RowChecker refuse long cells by row and column.
    if csv.field_size_limit() < max_upload_bytes():
        csv.field_size_limit(max_upload_bytes())
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    return Table(rows, delimiter=delimiter, total=lines)


def _read_xlsx(content: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        total = sheet.max_row or 0
    except Exception as exc:  # openpyxl raises many types for a broken workbook
        raise ImportRefused(_("La hoja de Excel no se pudo leer.")) from exc

    def rows() -> Iterator[list[str]]:
        # read_only parses the sheet while it is read: damage past the first rows (an XML character reference to
        # NUL, which no spreadsheet program writes) shows only here, halfway through the file.
        line = 0
        try:
            for line, row in enumerate(sheet.iter_rows(values_only=True), start=1):  # noqa: B007 - read below
                yield ["" if cell is None else _cell_text(cell) for cell in row]
        except Exception as exc:  # openpyxl and the XML parser raise many types
            raise ImportRefused(_damaged_after(line)) from exc
        finally:
            workbook.close()

    return Table(rows(), delimiter="", total=total)


def _damaged_after(line: int) -> str:
    if not line:
        return _("La hoja de Excel no se pudo leer.")
    return _("La hoja de Excel está dañada después de la fila %(line)s y no se pudo leer completa.") % {"line": line}


def _cell_text(cell: Any) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return ExactNumber(int(cell))
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return _cell_number(cell)
    if isinstance(cell, datetime.datetime):  # Excel turns "2024-03" into a date
        return f"{cell.year}-{cell.month:02d}" if cell.day == 1 else cell.date().isoformat()
    return str(cell)


# --- Values ----------------------------------------------------------------------------------------------------
#
# «1.234» is a thousand and some in Spanish-language Excel and one and a bit almost everywhere else, and nothing in
# the value itself says which. So a file's convention is decided from its whole value column before any value is
# read: a value that only one convention can read («14.211.712», «7,5», «12.25», «1,234.5») is evidence for it.
# When the evidence agrees, every value is read that way; when there is none, the «;» of Spanish-language Excel
# decides for the decimal comma; otherwise a value the two conventions read differently is refused, with both
# readings, rather than guessed.

# Thousands come in groups of exactly three digits after a first group of one to three that does not start with 0,
# marked by the convention's own separator or by a space (also no-break or narrow no-break, as LibreOffice and
# some statistics offices write them). A space anywhere else («1 5», «12 34,5») is no number: dropping it would
# read a typing slip as another value.
_SPACES = " \u00a0\u202f"
_SPACED = rf"[1-9]\d{{0,2}}(?:[{_SPACES}]\d{{3}})+"
_WRITTEN = {
    DecimalMark.POINT: (
        re.compile(rf"[-+]?(?:\d+|[1-9]\d{{0,2}}(?:,\d{{3}})+|{_SPACED})(?:\.\d+)?|[-+]?\.\d+"),
        ",",
        ".",
    ),
    DecimalMark.COMMA: (
        re.compile(rf"[-+]?(?:\d+|[1-9]\d{{0,2}}(?:\.\d{{3}})+|{_SPACED})(?:,\d+)?|[-+]?,\d+"),
        ".",
        ",",
    ),
}
_GROUPING_SPACES = str.maketrans("", "", _SPACES)
# A value may carry a currency sign before it (after its sign, if any) or a percent sign after it, each with one
# space at most: «$ 1,234», «-$1,234», «95,1 %». Not both, and nowhere else: «1$5» is no number.
_MONEY = re.compile(rf"([-+]?)\$[{_SPACES}]?(.+)")
_PERCENT = re.compile(rf"(.+?)[{_SPACES}]?%")


def bare_number(raw: str) -> str:
    """The written number without the spaces around it and its currency or percent sign (which change nothing)."""
    text = raw.strip()
    if money := _MONEY.fullmatch(text):
        return money[1] + money[2]
    if percent := _PERCENT.fullmatch(text):
        return percent[1]
    return text


class ExactNumber(str):
    """A spreadsheet cell that held a number, not text: its digits are exact and say nothing of a convention."""


def _cell_number(cell: float | int) -> ExactNumber:
    # repr() is the shortest text that reads back as the same float: 0.1 stays 0.1 (not 0.1000000000000000055…),
    # and 1e-05 is written out as 0.00001 for the database.
    return ExactNumber(format(Decimal(repr(cell)), "f"))


_INTEGER = re.compile(r"[-+]?\d+")


def number_readings(raw: str) -> dict[str, Decimal]:
    """What a written number means under each convention that can read it: {} when it is no number.

    «1.234» → {punto: 1.234, coma: 1234}; «14.211.712» → {coma: 14211712}; «7» → {punto: 7, coma: 7}.
    """
    text = bare_number(raw)
    if _INTEGER.fullmatch(text):  # the common case, and no evidence either way
        value = Decimal(text)
        return {DecimalMark.POINT: value, DecimalMark.COMMA: value}
    readings = {}
    for mark in _WRITTEN:
        value = read_as(text, mark)
        if value is not None:
            readings[mark] = value
    return readings


def read_as(text: str, mark: str) -> Decimal | None:
    """The number ``text`` (a ``bare_number``) writes under one convention; None if it writes none."""
    pattern, thousands, decimal = _WRITTEN[mark]
    if not pattern.fullmatch(text):
        return None
    return Decimal(text.translate(_GROUPING_SPACES).replace(thousands, "").replace(decimal, "."))


_DECIMAL_SIGN = {DecimalMark.POINT: ".", DecimalMark.COMMA: ","}


def plain_number(raw: str, mark: str) -> Decimal | None:
    """The common cell read without a pattern: digits, an optional minus and at most one decimal sign of the
    convention («-1234,5»). None for anything else, which ``read_as`` reads (or refuses) as always; where both
    read a cell they agree (a property test holds them to it)."""
    body = raw[1:] if raw[:1] == "-" else raw
    whole, sign, fraction = body.partition(_DECIMAL_SIGN[mark])
    if not whole.isdecimal() or (sign and not fraction.isdecimal()):
        return None
    return Decimal(f"{raw[: len(raw) - len(body)]}{whole}.{fraction}" if sign else raw)


@dataclass(frozen=True)
class NumberFormat:
    """A file's convention for numbers: ``mark`` is a DecimalMark or "" when nothing decides."""

    mark: str
    evidence: dict[str, Any]  # what decided: {"coma": [line, text], "punto": [line, text]} or {"delimitador": ";"}


def decide_number_format(
    rows: Iterator[list[str]], value_column: int, *, delimiter: str = "", keys: tuple[int, set[str]] | None = None
) -> NumberFormat:
    """Read the value column once to decide the file's convention (see above); stops once both are seen.

    ``keys``: (a column, a set) to collect that column's distinct cells on the way — the territories the file names,
    so that the check loads those and not a national catalogue of 300,000 (the pass then reads every row).
    """
    first: dict[str, list[Any]] = {}
    key_column, seen_keys = keys if keys is not None else (-1, set())
    add_key = seen_keys.add if key_column >= 0 else None
    rows = iter(rows)
    for cells in rows:  # the header, the first row that is not blank
        if not is_blank(cells):
            break
    # Once one convention has shown, only a cell that could show the other matters (``_could_show``, inlined: this
    # loop runs once per row of the file). Blank rows are not skipped as such: their value shows nothing and their
    # key is blank, which ``_territories_named`` ignores; lines are numbered as a spreadsheet shows them.
    sought, decimal, grouping = "", "", ""
    for line, cells in enumerate(rows, start=2):
        width = len(cells)
        if add_key is not None and key_column < width:
            add_key(cells[key_column])
        if len(first) == 2:
            if add_key is None:
                break
            continue  # decided; only the keys are still being collected
        raw = cells[value_column] if value_column < width else ""
        if sought and decimal not in raw and raw.count(grouping) < 2:
            continue
        if isinstance(raw, ExactNumber):
            continue
        text = bare_number(raw)
        if _INTEGER.fullmatch(text):  # most values, and no evidence either way
            continue
        marks = [mark for mark, written in _WRITTEN.items() if written[0].fullmatch(text)]
        if len(marks) == 1:
            first.setdefault(marks[0], [line, raw.strip()[:50]])
            sought = DecimalMark.POINT if marks[0] == DecimalMark.COMMA else DecimalMark.COMMA
            decimal, grouping = (".", ",") if sought == DecimalMark.POINT else (",", ".")
    if len(first) == 1:
        return NumberFormat(next(iter(first)), first)
    if not first and delimiter == ";":
        return NumberFormat(DecimalMark.COMMA, {"delimitador": ";"})
    return NumberFormat("", dict(sorted(first.items())))


def _could_show(raw: str, mark: str) -> bool:
    """Whether a cell may be one only ``mark`` reads (a cheap test, so a big file's column is read fast).

    Without the mark's own decimal sign, a number only that convention reads must group thousands at least twice
    with the other sign («1,234,567» for the point): one group («1,234») reads both ways, and no sign at all is an
    integer, which every convention reads alike.
    """
    decimal, grouping = (".", ",") if mark == DecimalMark.POINT else (",", ".")
    return decimal in raw or raw.count(grouping) >= 2


def _ambiguous(raw: str, readings: dict[str, Decimal]) -> str:
    grouped, decimal = (DecimalMark.COMMA, DecimalMark.POINT) if "." in raw else (DecimalMark.POINT, DecimalMark.COMMA)
    values = {"raw": raw, "grouped": f"{readings[grouped]:f}", "decimal": f"{readings[decimal]:f}"}
    if "." in raw:
        return (
            _(
                "«%(raw)s» se puede leer como %(grouped)s (el punto separa miles) o como %(decimal)s (el punto es "
                "decimal), y ningún otro valor del archivo decide cuál: escríbalo sin separador de miles."
            )
            % values
        )
    return (
        _(
            "«%(raw)s» se puede leer como %(grouped)s (la coma separa miles) o como %(decimal)s (la coma es "
            "decimal), y ningún otro valor del archivo decide cuál: escríbalo sin separador de miles."
        )
        % values
    )


# --- Checking rows ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Columns:
    positions: dict[str, int]
    breakdowns: dict[str, int]  # folded dimension name → position: the columns that carry categories

    @property
    def has_note(self) -> bool:
        return "note" in self.positions

    @property
    def has_status(self) -> bool:
        """The file says each row's status (a «estatus» or a «preliminar» column): an existing value's status is
        compared and written too, so a preliminary year marked final (or back) is not lost."""
        return "status" in self.positions or "preliminary" in self.positions


def dimension_headers() -> set[str]:
    """Every header a breakdown column may have: the declared dimensions' names and slugs, folded."""
    found = set()
    for name, slug in Dimension.objects.values_list("name", "slug"):
        found |= {fold(name), fold(slug.replace("-", " "))}
    return found


def map_columns(header: list[str]) -> Columns:
    folded = [fold(h) for h in header]
    mapping: dict[str, int] = {}
    for column, names in COLUMNS.items():
        for index, name in enumerate(folded):
            if name in names:
                mapping[column] = index
                break
    missing = [COLUMN_LABELS[c] for c in REQUIRED if c not in mapping]
    if missing:
        raise ImportRefused(
            _(
                "Faltan columnas: %(cols)s. Se esperan: indicador, territorio, periodo, valor "
                "(y opcionalmente nota, estatus)."
            )
            % {"cols": ", ".join(missing)}
        )
    known = dimension_headers() - {name for names in COLUMNS.values() for name in names}
    breakdowns = {name: index for index, name in enumerate(folded) if name in known and index not in mapping.values()}
    return Columns(mapping, breakdowns)


# A judged row, in the column order of the staging table (see jobs.STAGING_COLUMNS): line, outcome, indicator_id,
# territory_id, period, period_start, breakdown, value, missing_reason, status, note, the four raw cells, errors
# (JSON, see Problem).
CheckedRow = tuple

# The longest cell worth reading in each column; longer ones are refused (a note would otherwise be cut short).
MAX_NOTE = 500  # Observation.note
MAX_CELL = 200  # codes, periods, values and statuses are short; what the preview shows of a cell


class Problem:
    """One thing wrong with a row: the column, a kind the preview summarises by, the cell's text and a message.

    Kept as JSON in the staging row, so the database can count problems by kind and key (jobs.error_summary).
    """

    UNKNOWN_INDICATOR = "indicador_desconocido"
    UNKNOWN_TERRITORY = "territorio_desconocido"
    BAD_PERIOD = "periodo_invalido"
    NOT_A_NUMBER = "no_es_numero"
    AMBIGUOUS_NUMBER = "numero_ambiguo"
    TOO_LARGE = "demasiado_grande"
    BAD_STATUS = "estatus_invalido"
    REPEATED = "repetida"
    TOO_LONG = "celda_larga"
    NAME_MISMATCH = "nombre_no_corresponde"
    COMPUTED_RATE = "tasa_calculada"
    UNKNOWN_CATEGORY = "categoria_desconocida"
    CONTROL_CHARACTER = "caracter_de_control"

    @staticmethod
    def of(column: str, kind: str, message: str, key: str = "") -> dict[str, str]:
        return {"column": column, "kind": kind, "key": key[:MAX_CELL], "message": message}


def _territories_named(keys: set[str] | None) -> Any:
    """The territories a file's keys may name (all of them when the keys are not known): as a portal code or an INEGI
    key, and with the leading zero Excel drops from a state's key (``RowChecker._territory``)."""
    if keys is None:
        return Territory.objects.all()
    variants = set()
    for key in keys:
        key = key.strip().upper()
        if not key or "\x00" in key:  # a blank key names no territory (and «» would match every one without a key)
            continue  # names no territory (and PostgreSQL text cannot hold it); the row is refused for it
        variants.add(key)
        if key.isdigit() and len(key) in (4, 8):
            variants.add(key.zfill(len(key) + 1))
    wanted = any_of(sorted(variants))
    # Portal codes compare in upper case, as the checker reads them (a stored «abc» is named by «ABC» or «abc»).
    return Territory.objects.alias(upper_code=Upper("code")).filter(Q(upper_code__in=wanted) | Q(inegi_code__in=wanted))


def any_of(values: list[str]) -> Any:
    """``values`` for an ``__in`` lookup: on PostgreSQL one array parameter (thousands of placeholders cost more to
    build and send than the query itself), elsewhere the list."""
    if connection.vendor != "postgresql":
        return values
    return RawSQL("SELECT unnest(%s::text[])", [values])


class RowChecker:
    """Judges rows one by one against the catalogue; built once per file with every lookup in memory.

    Two dictionaries answer every row without a query: the indicators (hundreds) and the territories the file names
    (``territory_keys``, collected by the first pass; the whole catalogue when not given); periods are parsed once
    per (indicator, period) pair.
    """

    def __init__(
        self, columns: Columns, *, number_format: NumberFormat, territory_keys: set[str] | None = None
    ) -> None:
        self.positions = columns.positions
        self.breakdown_columns = columns.breakdowns
        self.decimal_mark = number_format.mark
        self.indicators: dict[str, tuple[int, str, str]] = {}
        self.rates: set[int] = set()
        for pk, code, frequency, per in Indicator.objects.values_list("pk", "code", "frequency", "rate_per"):
            self.indicators[code.upper()] = (pk, code, frequency)
            if per:
                self.rates.add(pk)
        self.territories: dict[str, int] = {}
        self.names: dict[int, str] = {}
        wants_names = "territory_name" in self.positions
        for pk, code, inegi, name in _territories_named(territory_keys).values_list("pk", "code", "inegi_code", "name"):
            self.territories[code.upper()] = pk
            if inegi:
                self.territories[inegi] = pk
            if wants_names:
                self.names[pk] = name
        self.categories_at = self.positions.get("categories")
        self.dimensions = _declared_dimensions() if self.breakdown_columns or self.categories_at is not None else {}
        self.periods: dict[tuple[int, str], tuple[str, datetime.date] | None] = {}
        self._keys: dict[tuple, str] = {}
        self.seen: dict[tuple[int, int, str, str], int] = {}
        missing = 10**9  # an index no row reaches: an absent optional column reads as ""
        self._order = [self.positions.get(c, missing) for c in READ]

    def check(self, line: int, cells: list[str]) -> CheckedRow:
        width = len(cells)
        raw = [cells[i].strip() if i < width else "" for i in self._order]
        value_cell = cells[self._order[3]] if self._order[3] < width else ""
        problems = self._too_long(raw) if max(map(len, raw)) > MAX_CELL else []
        if not problems and CONTROL_CHARACTERS_IN_TEXT.search("".join(raw)):
            problems = self._control_characters(raw)
        if problems:  # the rest of such a row is not worth judging until that cell is fixed
            return self._refused(line, None, raw, problems)
        indicator_code, territory_code, period_raw, value_raw, note, status_raw, reason, name, preliminary = raw
        indicator = self.indicators.get(indicator_code.upper())
        territory = self._territory(territory_code)
        period, start = self._period_of(indicator, period_raw, problems) if indicator else (None, None)
        if indicator is None:
            problems.insert(
                0,
                Problem.of(
                    "indicador",
                    Problem.UNKNOWN_INDICATOR,
                    _("No existe un indicador con la clave «%(code)s».") % {"code": indicator_code},
                    indicator_code,
                ),
            )
        elif indicator[0] in self.rates:
            problems.append(
                Problem.of(
                    "indicador",
                    Problem.COMPUTED_RATE,
                    _("«%(code)s» es una tasa que calcula el portal: cargue su numerador y su denominador.")
                    % {"code": indicator[1]},
                    indicator_code,
                )
            )
        if territory is None:
            problems.append(
                Problem.of(
                    "territorio",
                    Problem.UNKNOWN_TERRITORY,
                    _("No existe un territorio con la clave «%(code)s».") % {"code": territory_code},
                    territory_code,
                )
            )
        elif name:
            self._cross_check(territory, territory_code, name, problems)
        breakdown = self._breakdown(line, indicator, self._category_cells(cells), problems) if self.dimensions else ""
        # Most values start with a digit and are no «sin dato»: only the others are folded (once per spelling).
        missing = not value_raw or (
            not value_raw[0].isdigit() and not isinstance(value_cell, ExactNumber) and fold_cell(value_raw) in MISSING
        )
        value = None if missing else self._value(value_cell, problems)
        status = self._status(status_raw, preliminary, problems)
        if indicator is not None and territory is not None and period is not None:
            self._once(line, (indicator[0], territory, period, breakdown), problems)
        if note.startswith("'") and note[1:2] in FORMULA_STARTS:
            note = note[1:]  # our own exports neutralise formulas this way: an export loads back unchanged
        if problems:
            return self._refused(line, period, raw, problems)
        # A valid row keeps only its value's text, which the preview shows beside the number it was read as; the
        # other cells show as what they resolved to (less to write for big files).
        return (
            line,
            RowOutcome.NEW,
            indicator[0],
            territory,
            period,
            start,
            breakdown,
            value,
            reason if missing else "",
            status,
            note,
            "",
            "",
            "",
            value_raw,
            None,
        )

    def _status(self, status_raw: str, preliminary: str, problems: list[dict[str, str]]) -> str | None:
        """From the «estatus» column, or a mark in the «preliminar» column (which wins when it says yes)."""
        marked = fold_cell(preliminary) if preliminary else ""
        if marked in YES:
            return ObservationStatus.PRELIMINARY
        if marked not in NO:
            problems.append(
                Problem.of(
                    "preliminar",
                    Problem.BAD_STATUS,
                    _("En la columna «preliminar» escriba «sí» o déjela vacía; dice «%(cell)s».")
                    % {"cell": preliminary},
                    preliminary,
                )
            )
            return None
        status = STATUSES.get(fold_cell(status_raw), None) if status_raw else ObservationStatus.FINAL
        if status is None:
            problems.append(
                Problem.of(
                    "estatus", Problem.BAD_STATUS, _("El estatus debe ser «preliminar» o «definitivo»."), status_raw
                )
            )
        return status

    def _cross_check(self, territory: int, code: str, name: str, problems: list[dict[str, str]]) -> None:
        official = self.names.get(territory, "")
        if not names_agree(name, official):
            problems.append(
                Problem.of(
                    "nombre",
                    Problem.NAME_MISMATCH,
                    _("El nombre «%(name)s» no corresponde a la clave «%(code)s», que es «%(official)s».")
                    % {"name": name, "code": code, "official": official},
                    code,
                )
            )

    def _category_cells(self, cells: list[str]) -> list[tuple[str, str]]:
        """(folded dimension header, cell) for each breakdown column, and for each pair of a «categorias» cell."""
        found = [(header, cells[i].strip() if i < len(cells) else "") for header, i in self.breakdown_columns.items()]
        at = self.categories_at
        if at is None:  # most files: no «categorias» column
            return found
        joined = cells[at].strip() if at < len(cells) else ""
        if fold_cell(joined) not in ALL_CATEGORIES:
            for part in joined.split(";"):
                dimension, _sep, category = part.partition("=")
                found.append((fold(dimension.replace("-", " ")), category.replace("-", " ").strip()))
        return found

    def _breakdown(
        self,
        line: int,
        indicator: tuple[int, str, str] | None,
        cells: list[tuple[str, str]],
        problems: list[dict[str, str]],
    ) -> str:
        """The row's categories as a breakdown key; a problem for a category the indicator does not declare.

        A file repeats a handful of category combinations on every row: each is judged once (when it is valid).
        """
        memo = (indicator[0] if indicator else 0, *cells)
        known = self._keys.get(memo)
        if known is not None:
            return known
        before = len(problems)
        key = self._judge_breakdown(line, indicator, cells, problems)
        if len(problems) == before:
            self._keys[memo] = key
        return key

    def _judge_breakdown(
        self,
        line: int,
        indicator: tuple[int, str, str] | None,
        cells: list[tuple[str, str]],
        problems: list[dict[str, str]],
    ) -> str:
        declared = self.dimensions.get(indicator[0], {}) if indicator else {}
        pairs = []
        for header, cell in cells:
            if not cell or fold_cell(cell) in ALL_CATEGORIES:
                continue
            if indicator is None:
                continue  # the unknown indicator is the row's problem
            if header not in declared:
                problems.append(
                    Problem.of(
                        header,
                        Problem.UNKNOWN_CATEGORY,
                        _("Fila %(line)s: el indicador «%(code)s» no declara la desagregación «%(dimension)s».")
                        % {"line": line, "code": indicator[1], "dimension": header},
                        cell,
                    )
                )
                continue
            dimension, name, categories = declared[header]
            category = categories.get(fold_cell(cell))
            if category is None:
                problems.append(
                    Problem.of(
                        name,
                        Problem.UNKNOWN_CATEGORY,
                        _("Fila %(line)s: «%(cell)s» no es una categoría de «%(dimension)s» (se esperan: %(known)s).")
                        % {
                            "line": line,
                            "cell": cell,
                            "dimension": name,
                            "known": ", ".join(sorted({label for label, _slug in categories.values()})),
                        },
                        cell,
                    )
                )
                continue
            pairs.append((dimension, category[1]))
        return breakdown_key(pairs)

    @staticmethod
    def _refused(line: int, period: str | None, raw: list[str], problems: list[dict[str, str]]) -> CheckedRow:
        shown = [visible(cell[:MAX_CELL]) for cell in raw[:4]]
        return (line, RowOutcome.ERROR, None, None, (period or "")[:10], None, "", None, "", "", "", *shown, problems)

    def _too_long(self, raw: list[str]) -> list[dict[str, str]]:
        problems = []
        for column, cell in zip(READ, raw, strict=True):
            limit = MAX_NOTE if column == "note" else MAX_REASON if column == "missing_reason" else MAX_CELL
            if len(cell) > limit:
                label = COLUMN_LABELS[column]
                problems.append(
                    Problem.of(
                        label,
                        Problem.TOO_LONG,
                        _("La celda tiene %(length)s caracteres; en la columna «%(column)s» caben %(max)s.")
                        % {"length": f"{len(cell):,}", "column": label, "max": limit},
                        label,
                    )
                )
        return problems

    @staticmethod
    def _control_characters(raw: list[str]) -> list[dict[str, str]]:
        """A NUL (which PostgreSQL cannot store) or any other control character in a cell the row keeps."""
        problems = []
        for column, cell in zip(READ, raw, strict=True):
            found = CONTROL_CHARACTERS_IN_TEXT.search(cell)
            if found:
                label = COLUMN_LABELS[column]
                problems.append(
                    Problem.of(
                        label,
                        Problem.CONTROL_CHARACTER,
                        control_character_message(found.group(), label),
                        code_point(found.group()),
                    )
                )
        return problems

    def _period_of(
        self, indicator: tuple[int, str, str], raw: str, problems: list[dict[str, str]]
    ) -> tuple[str | None, datetime.date | None]:
        parsed = self._period(indicator, raw)
        if parsed is None:
            message = _("«%(period)s» no es un periodo %(freq)s válido.")
            problems.append(
                Problem.of(
                    "periodo",
                    Problem.BAD_PERIOD,
                    message % {"period": raw, "freq": _frequency_label(indicator[2])},
                    raw,
                )
            )
            return None, None
        return parsed

    def _once(self, line: int, key: tuple[int, int, str, str], problems: list[dict[str, str]]) -> None:
        first = self.seen.setdefault(key, line)
        if first != line:
            problems.append(
                Problem.of(
                    "periodo",
                    Problem.REPEATED,
                    _("Repite el indicador, territorio, periodo y desagregación de la fila %(line)s.")
                    % {"line": first},
                    str(first),
                )
            )

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

    def _value(self, cell: str, problems: list[dict[str, str]]) -> Decimal | None:
        raw = cell.strip()
        value = Decimal(cell) if isinstance(cell, ExactNumber) else self._written_value(raw, problems)
        if value is not None and abs(value) >= MAX_ABS_VALUE:
            problems.append(
                Problem.of("valor", Problem.TOO_LARGE, _("«%(value)s» es demasiado grande.") % {"value": raw}, raw)
            )
            return None
        return value

    def _written_value(self, raw: str, problems: list[dict[str, str]]) -> Decimal | None:
        if self.decimal_mark:  # decided for the whole file: one reading to try (the others only name the error)
            value = plain_number(raw, self.decimal_mark)
            if value is not None:
                return value
            value = read_as(bare_number(raw), self.decimal_mark)
            if value is not None:
                return value
        readings = number_readings(raw)
        if len(set(readings.values())) == 1:  # no separator, or only one convention reads it
            return next(iter(readings.values()))
        if readings:
            problems.append(Problem.of("valor", Problem.AMBIGUOUS_NUMBER, _ambiguous(raw, readings), raw))
        else:
            problems.append(Problem.of("valor", Problem.NOT_A_NUMBER, _not_a_number(raw), raw))
        return None


def _declared_dimensions() -> dict[int, dict[str, tuple[str, str, dict[str, tuple[str, str]]]]]:
    """Per indicator id, per folded header: (dimension slug, name, {folded label or slug: (label, category slug)})."""
    found: dict[int, dict[str, tuple[str, str, dict[str, tuple[str, str]]]]] = {}
    for dimension in Dimension.objects.prefetch_related("categories"):
        categories = {}
        for category in dimension.categories.all():
            categories[fold(category.label)] = categories[fold(category.slug.replace("-", " "))] = (
                category.label,
                category.slug,
            )
        entry = (dimension.slug, dimension.name, categories)
        headers = found.setdefault(dimension.indicator_id, {})
        headers[fold(dimension.name)] = headers[fold(dimension.slug.replace("-", " "))] = entry
    return found


# Words a name may carry or drop without naming another place: «San José (de) Iturbide», «León (de los Aldama)».
ARTICLES = {"el", "la", "los", "las", "de", "del", "y", "e"}
# Words that begin many places' names: alone, they are no short form of any one of them.
NAME_STARTS = {"san", "santa", "santo", "santiago", "villa", "ciudad", "heroica", "general", "valle", "nuevo", "nueva"}


def name_words(name: str) -> list[str]:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    return [word for word in re.split(r"[^a-z0-9]+", text) if word and word not in ARTICLES]


def names_agree(given: str, official: str) -> bool:
    """Whether a file's name is the catalogue's, ignoring accents, case and articles, and allowing either to be the
    start of the other: INEGI's official names are long («Dolores Hidalgo Cuna de la Independencia Nacional»,
    «Silao de la Victoria») and files write the short one, or the reverse."""
    mine, theirs = name_words(given), name_words(official)
    if not mine or not theirs:
        return False
    shorter = min(len(mine), len(theirs))
    if shorter == 1 and len(mine) != len(theirs) and (mine + theirs)[0] in NAME_STARTS:
        return False  # «San» names no place: it starts San Felipe, San Francisco del Rincón, San Luis de la Paz…
    return mine[:shorter] == theirs[:shorter]


def _not_a_number(raw: str) -> str:
    if any(space in raw for space in _SPACES):  # the likely slip: say what a space may do in a number
        return _(
            "«%(value)s» no es un número: un espacio solo puede separar los miles, en grupos de tres cifras "
            "(1 234 567)."
        ) % {"value": raw}
    return _("«%(value)s» no es un número.") % {"value": raw}


def _frequency_label(frequency: str) -> str:
    from indicators.models import Frequency

    return str(Frequency(frequency).label).lower()


def is_blank(cells: list[str]) -> bool:
    return not "".join(cells).strip()


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """For the check of a big file: it keeps each row's result until its chunk is written, and Python's cycle
    collector would walk them (and everything Django holds) again and again, a tenth of the check's time, to find no
    cycle: rows hold only strings, numbers and dates. Memory is unaffected (reference counting still frees them)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
