"""Loading observations from the spreadsheets people really have.

Accepts CSV (UTF-8 with or without BOM, Windows-1252/Latin-1; ``,`` or ``;``) and XLSX; values written as
``7.0``, ``1,234.5`` or ``1.234,5``; trailing blank rows; headers with or without accents. Refuses, naming the
row and column, unknown codes, non-numeric values, duplicate keys, periods outside the indicator's frequency,
files that are not what their name says, files over the size limit and XLSX zip bombs. Nothing is saved unless
every row is valid; then all rows are written in bulk, with history naming the user and the file.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from implan.models import Territory
from indicators.models import Indicator, Observation, ObservationStatus
from indicators.periods import period_start

MAX_UPLOAD_BYTES = getattr(settings, "INDICATOR_IMPORT_MAX_BYTES", 20 * 1024 * 1024)
MAX_XLSX_UNCOMPRESSED_BYTES = getattr(settings, "INDICATOR_IMPORT_MAX_XLSX_BYTES", 200 * 1024 * 1024)

# Accepted header spellings (accents and case removed) for each column.
COLUMNS = {
    "indicator": {"indicador", "clave_indicador", "indicator", "codigo_indicador", "clave del indicador"},
    "territory": {"territorio", "clave_inegi", "clave_territorio", "territory", "inegi", "cve_inegi"},
    "period": {"periodo", "period", "anio", "ano", "year"},
    "value": {"valor", "value", "dato"},
    "note": {"nota", "note", "notas", "observaciones"},
    "status": {"estatus", "status", "estado"},
}
REQUIRED = ("indicator", "territory", "period", "value")
COLUMN_LABELS = {"indicator": "indicador", "territory": "territorio", "period": "periodo", "value": "valor",
                 "note": "nota", "status": "estatus"}


class ImportRefused(Exception):
    """The file as a whole cannot be read (type, size, encoding, missing columns)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class RowResult:
    line: int  # as the spreadsheet numbers it: the header is line 1
    outcome: str  # "new" | "changed" | "unchanged" | "error"
    values: dict[str, str]
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column, message)
    observation: Observation | None = None


@dataclass
class ImportPreview:
    file_name: str
    rows: list[RowResult]

    @property
    def errors(self) -> list[RowResult]:
        return [r for r in self.rows if r.outcome == "error"]

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)

    @property
    def is_valid(self) -> bool:
        return bool(self.rows) and not self.errors


# --- Reading the file ----------------------------------------------------------------------------------------


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"\s+", " ", text.strip().lower()).replace(" ", "_")


@dataclass
class Table:
    rows: list[list[str]]
    decimal_comma: bool  # Spanish-language Excel writes ";"-separated CSV with decimal commas


def read_rows(content: bytes, file_name: str) -> Table:
    """The file's rows as lists of strings, header first; ImportRefused when it is not a readable table."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise ImportRefused(_("El archivo pesa %(size)s MB; el máximo es %(max)s MB.")
                            % {"size": round(len(content) / 1048576, 1), "max": MAX_UPLOAD_BYTES // 1048576})
    extension = file_name.lower().rsplit(".", 1)[-1] if "." in file_name else ""
    is_zip = content[:4] == b"PK\x03\x04"
    if extension == "xlsx":
        if not is_zip:
            raise ImportRefused(_("El archivo se llama .xlsx pero no es una hoja de Excel."))
        return Table(_read_xlsx(content), decimal_comma=False)
    if extension in ("csv", "txt"):
        if is_zip or b"\x00" in content[:4096]:
            raise ImportRefused(_("El archivo se llama .csv pero no es texto separado por comas."))
        return _read_csv(content)
    raise ImportRefused(_("Solo se aceptan archivos CSV o XLSX."))


def _read_csv(content: bytes) -> Table:
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    return Table(rows, decimal_comma=delimiter == ";")


def _read_xlsx(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            uncompressed = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise ImportRefused(_("La hoja de Excel está dañada.")) from exc
    if uncompressed > MAX_XLSX_UNCOMPRESSED_BYTES:
        raise ImportRefused(_("La hoja de Excel se descomprime en %(size)s MB, más de lo razonable; no se abrió.")
                            % {"size": uncompressed // 1048576})
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken workbook
        raise ImportRefused(_("La hoja de Excel no se pudo leer.")) from exc
    sheet = workbook.worksheets[0]
    rows = [["" if cell is None else _cell_text(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return rows


def _cell_text(cell: Any) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


# --- Values ----------------------------------------------------------------------------------------------------


def parse_number(raw: str, *, decimal_comma: bool = False) -> Decimal:
    """Read ``7``, ``7.0``, ``1,234.5``, ``1.234,5``, ``1 234``; InvalidOperation when it is not a number."""
    text = raw.strip().replace("\u00a0", "").replace(" ", "").replace("$", "")
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
    if not re.fullmatch(r"[-+]?\d+(\.\d+)?", text):
        raise InvalidOperation(raw)
    return Decimal(text)


# --- Validation and preview ----------------------------------------------------------------------------------


def _map_columns(header: list[str]) -> dict[str, int]:
    folded = [_fold(h) for h in header]
    mapping = {}
    for column, names in COLUMNS.items():
        spellings = {_fold(n) for n in names}
        for index, name in enumerate(folded):
            if name in spellings:
                mapping[column] = index
                break
    missing = [COLUMN_LABELS[c] for c in REQUIRED if c not in mapping]
    if missing:
        raise ImportRefused(_("Faltan columnas: %(cols)s. Se esperan: indicador, territorio, periodo, valor "
                              "(y opcionalmente nota, estatus).") % {"cols": ", ".join(missing)})
    return mapping


def preview(content: bytes, file_name: str) -> ImportPreview:
    """Validate every row and say what importing would do to each; touches nothing."""
    parsed = read_rows(content, file_name)
    table, decimal_comma = parsed.rows, parsed.decimal_comma
    while table and not any(cell.strip() for cell in table[-1]):
        table.pop()  # trailing blank rows
    if not table:
        raise ImportRefused(_("El archivo está vacío."))
    mapping = _map_columns(table[0])
    rows = [RowResult(line=n, outcome="new",
                      values={c: (r[i].strip() if i < len(r) else "") for c, i in mapping.items()})
            for n, r in enumerate(table[1:], start=2) if any(cell.strip() for cell in r)]
    indicators = {i.code: i for i in Indicator.objects.filter(code__in={r.values["indicator"] for r in rows})}
    codes = {r.values["territory"] for r in rows}
    territories = {t.code: t for t in Territory.objects.filter(code__in=codes)}
    territories.update({t.inegi_code: t for t in Territory.objects.filter(inegi_code__in=codes)})
    seen: dict[tuple[str, str, str], int] = {}
    for row in rows:
        _validate(row, indicators, territories, seen, decimal_comma)
    _compare_with_stored(rows)
    return ImportPreview(file_name=file_name, rows=rows)


def _validate(row: RowResult, indicators: dict, territories: dict, seen: dict, decimal_comma: bool) -> None:
    v = row.values
    indicator = indicators.get(v["indicator"])
    territory = territories.get(v["territory"])
    if indicator is None:
        row.errors.append(("indicador", _("No existe un indicador con la clave «%(code)s».")
                           % {"code": v["indicator"]}))
    if territory is None:
        row.errors.append(("territorio", _("No existe un territorio con la clave «%(code)s».")
                           % {"code": v["territory"]}))
    start = None
    period = v["period"].removesuffix(".0")  # a year typed into Excel comes back as 2020.0
    if indicator is not None:
        try:
            start = period_start(period, indicator.frequency)
        except ValueError:
            row.errors.append(("periodo", _("«%(period)s» no es un periodo %(freq)s válido.")
                               % {"period": v["period"], "freq": indicator.get_frequency_display().lower()}))
    try:
        value = parse_number(v["value"], decimal_comma=decimal_comma)
    except InvalidOperation:
        value = None
        row.errors.append(("valor", _("«%(value)s» no es un número.") % {"value": v["value"]}))
    status = _fold(v.get("status", "")) or ObservationStatus.FINAL
    if status not in ObservationStatus.values:
        row.errors.append(("estatus", _("El estatus debe ser «preliminar» o «definitivo».")))
    key = (v["indicator"], territory.pk if territory else v["territory"], period)
    if key in seen:
        row.errors.append(("periodo", _("Repite el indicador, territorio y periodo de la fila %(line)s.")
                           % {"line": seen[key]}))
    else:
        seen[key] = row.line
    if row.errors:
        row.outcome = "error"
        return
    row.observation = Observation(indicator=indicator, territory=territory, period=period, period_start=start,
                                  value=value, status=status, note=v.get("note", "")[:500])


def _compare_with_stored(rows: list[RowResult]) -> None:
    valid = [r for r in rows if r.observation is not None]
    if not valid:
        return
    stored = {
        (o.indicator_id, o.territory_id, o.period): o
        for o in Observation.objects.filter(indicator__in={r.observation.indicator_id for r in valid},
                                            territory__in={r.observation.territory_id for r in valid})
    }
    for row in valid:
        new = row.observation
        old = stored.get((new.indicator_id, new.territory_id, new.period))
        if old is None:
            continue
        same = (old.value == new.value and old.status == new.status and old.note == new.note)
        row.outcome = "unchanged" if same else "changed"
        new.pk = old.pk
        new.loaded_by_id, new.source_file = old.loaded_by_id, old.source_file


UPDATED_FIELDS = ["value", "status", "note", "period_start", "loaded_by", "source_file"]


@transaction.atomic
def apply(preview_result: ImportPreview, *, actor: Any, batch_size: int = 2000) -> dict[str, int]:
    """Write a valid preview: all rows or none. History names the user and the file."""
    if not preview_result.is_valid:
        raise ImportRefused(_("El archivo tiene errores; corríjalos y vuelva a cargarlo. No se guardó nada."))
    reason = _("Importado del archivo %(name)s") % {"name": preview_result.file_name}
    new, changed = [], []
    for row in preview_result.rows:
        obs = row.observation
        obs.loaded_by, obs.source_file = actor, preview_result.file_name[:255]
        if row.outcome == "new":
            new.append(obs)
        elif row.outcome == "changed":
            changed.append(obs)
    bulk_create_with_history(new, Observation, batch_size=batch_size, default_user=actor,
                             default_change_reason=reason)
    if changed:
        bulk_update_with_history(changed, Observation, UPDATED_FIELDS, batch_size=batch_size, default_user=actor,
                                 default_change_reason=reason)
    return {"new": len(new), "changed": len(changed), "unchanged": preview_result.count("unchanged")}


def import_file(content: bytes, file_name: str, *, actor: Any) -> tuple[ImportPreview, dict[str, int] | None]:
    """Preview and, when valid, apply in one go (the background task and tests use this)."""
    result = preview(content, file_name)
    return result, (apply(result, actor=actor) if result.is_valid else None)


def iter_errors(result: ImportPreview) -> Iterable[str]:
    for row in result.errors:
        for column, message in row.errors:
            yield _("Fila %(line)s, columna «%(column)s»: %(message)s") % {"line": row.line, "column": column,
                                                                           "message": message}
