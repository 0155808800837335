"""Loading a territory catalogue in the background: check → preview → confirm → save, with a progress bar.

The job row (``implan.models.TerritoryImport``) is the claim and the progress bar, as for observation loads
(``indicators.jobs``): a worker takes the waiting step with a conditional UPDATE (state waiting → running,
attempt + 1), so a task delivered twice never runs a step twice; the page polls the row.

The check reads the file once, judging each row (``reading.RowChecker``) and comparing it in chunks with what is
stored; it keeps a summary (counts by outcome and level, the first rows, every error up to a limit), not the rows.
The saving reads the file again (it is the job's own bytes, so it says the same), COPYs the units into a temporary
table and writes each level with one UPDATE and one INSERT, from the country down (a row's parent is written before
it), with the history rows in the same statements — all in one transaction, so a file is saved whole or not at all.
Nothing holds 300,000 model instances in memory (see bench/territories.py).
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import logging
import zipfile
from collections import Counter
from collections.abc import Iterator

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from implan.cache import content_changed
from implan.errors import DomainError
from implan.events import event_record
from implan.models import Territory, TerritoryImport, TerritoryImportState, TerritoryKind
from implan.tasks import background_task, enqueue_on_commit
from indicators.importing import ImportRefused, cycle_collection_paused, read_table
from indicators.territories.reading import (
    Checked,
    RowChecker,
    Unit,
    blank,
    kind_error,
    map_columns,
    stored_for,
    unit_values,
)

logger = logging.getLogger(__name__)

CHUNK_ROWS = 5000
PREVIEW_ROWS = 100
PREVIEW_ERRORS = 500
LEVEL_ORDER = [TerritoryKind.PAIS, TerritoryKind.ENTIDAD, TerritoryKind.MUNICIPIO, TerritoryKind.LOCALIDAD]
WORKER_TRANSITIONS = {
    TerritoryImportState.QUEUED: TerritoryImportState.CHECKING,
    TerritoryImportState.CONFIRMED: TerritoryImportState.SAVING,
}
NEW, CHANGED, UNCHANGED, ERROR = "nueva", "cambia", "igual", "error"


class Interrupted(Exception):
    """This process no longer holds the job (someone discarded it, or another attempt claimed it)."""


@background_task
def territory_import_run(job_id: int) -> None:
    """The task: run the step the job waits for (check, or save), if any. Safe to run twice."""
    run_job(job_id)


def schedule(job: TerritoryImport) -> None:
    enqueue_on_commit(territory_import_run, job.pk, on_failure=lambda exc: _not_queued(job.pk))


def _not_queued(job_id: int) -> None:
    job = TerritoryImport.objects.defer("content").filter(pk=job_id).first()
    if job is not None and job.state in WORKER_TRANSITIONS:
        _set_state(job, TerritoryImportState.FAILED, message=_("La carga no pudo ponerse en cola; no se guardó nada."))


def run_job(job_id: int) -> TerritoryImport | None:
    """Claim the job if it waits for a step and run that step; None when there is nothing to do."""
    job = TerritoryImport.objects.defer("content").filter(pk=job_id).first()
    if job is None or job.state not in WORKER_TRANSITIONS:
        return None
    step, now = WORKER_TRANSITIONS[TerritoryImportState(job.state)], timezone.now()
    claimed = TerritoryImport.objects.filter(pk=job_id, state=job.state, attempt=job.attempt).update(
        state=step, attempt=job.attempt + 1, rows_done=0, updated_at=now, heartbeat_at=now
    )
    if not claimed:
        return None
    job.state, job.attempt = step, job.attempt + 1
    try:
        check(job) if step == TerritoryImportState.CHECKING else save(job)
    except Interrupted:
        logger.warning("Territory import %s was taken from this process while it ran; it stopped", job_id)
    except StagedRowsLost as exc:
        logger.error("Territory import %s: %s", job_id, exc)
        _set_state(
            job,
            TerritoryImportState.FAILED,
            message=_(
                "Las filas revisadas ya no están en la base de datos (¿se reinició PostgreSQL?); no se guardó nada. "
                "Descarte la carga y súbala de nuevo."
            ),
        )
    except Exception as exc:  # a job must end in a state people can read
        logger.exception("Territory import %s failed", job_id)
        _set_state(
            job,
            TerritoryImportState.FAILED,
            message=_("La carga se interrumpió por un error inesperado; no se guardó nada. (%(error)s)")
            % {"error": exc.__class__.__name__},
        )
    return job


# --- Reading the file --------------------------------------------------------------------------------------------


def unpacked(file_name: str, content: bytes, *, read: bool = True) -> tuple[str, bytes]:
    """The file to read: INEGI publishes its catalogues zipped; a zip with one CSV inside is that CSV.

    ``read=False`` only checks the zip (its name inside, and b"" for the bytes): an upload is checked at once but
    unpacked only by the worker."""
    if not file_name.lower().endswith(".zip"):
        return file_name, content
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            inside = [i for i in archive.infolist() if i.filename.lower().endswith((".csv", ".txt"))]
            if len(inside) != 1:
                raise DomainError(_("El zip debe contener un solo archivo CSV."))
            if inside[0].file_size > settings.INDICATOR_IMPORT_MAX_XLSX_BYTES:
                raise DomainError(_("El CSV del zip es demasiado grande; no se abrió."))
            return inside[0].filename.rsplit("/", 1)[-1], archive.read(inside[0]) if read else b""
    except zipfile.BadZipFile as exc:
        raise DomainError(_("El zip está dañado.")) from exc


def open_rows(content: bytes, file_name: str) -> tuple[Iterator[list[str]], int]:
    """The file's rows (header first) and an estimate of their number; a CSV is read as a stream of its bytes, so a
    50 MB national catalogue is never held as text too (``indicators.importing`` reads small files whole)."""
    try:
        file_name, content = unpacked(file_name, content)
    except DomainError as error:
        raise ImportRefused(error.message) from error
    if file_name.lower().endswith(".xlsx"):
        table = read_table(content, file_name)
        return table.rows, table.total
    if content[:4] == b"PK\x03\x04" or b"\x00" in content[:4096]:
        raise ImportRefused(_("El archivo se llama .csv pero no es texto separado por comas."))
    encoding = _encoding(content)
    text = io.TextIOWrapper(io.BytesIO(content), encoding=encoding, newline="")
    first = text.readline()
    text.seek(0)
    delimiter = max((",", ";", "\t", "|"), key=first.count)
    if csv.field_size_limit() < len(content):  # see indicators.importing._read_csv
        csv.field_size_limit(len(content))
    return csv.reader(text, delimiter=delimiter), content.count(b"\n") + 1


def _encoding(content: bytes) -> str:
    """UTF-8 (with or without BOM) when the bytes are valid UTF-8; else Windows-1252, as INEGI's older files and
    Excel in Spanish write them (Latin-1 only for the five bytes cp1252 leaves undefined)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for start in range(0, len(content), 1 << 20):  # in slices: no second copy of the whole file
            decoder.decode(content[start : start + (1 << 20)], final=start + (1 << 20) >= len(content))
    except UnicodeDecodeError:
        try:
            for start in range(0, len(content), 1 << 20):
                content[start : start + (1 << 20)].decode("cp1252")
        except UnicodeDecodeError:
            return "latin-1"
        return "cp1252"
    return "utf-8-sig"


def judged_rows(job: TerritoryImport, content: bytes) -> tuple[RowChecker, Iterator[Checked]]:
    rows, total = open_rows(content, job.file_name)
    header = next((row for row in rows if not blank(row)), None)
    if header is None:
        raise ImportRefused(_("El archivo está vacío."))
    kind, positions = map_columns(header)
    job.rows_total = max(total - 1, 1)
    checker = RowChecker(kind, positions)

    def judged() -> Iterator[Checked]:
        for line, cells in enumerate(rows, start=2):
            if not blank(cells):
                yield checker.check(line, cells)

    return checker, judged()


def _content(job: TerritoryImport) -> bytes:
    return bytes(TerritoryImport.objects.filter(pk=job.pk).values_list("content", flat=True).get())


# --- Step 1: check every row -----------------------------------------------------------------------------------


def check(job: TerritoryImport) -> None:
    try:
        with cycle_collection_paused():
            summary = _summarise(job)
    except ImportRefused as refusal:
        drop_staged(job.pk)
        _set_state(job, TerritoryImportState.REFUSED, message=refusal.message, only_from=TerritoryImportState.CHECKING)
        return
    counts = summary.pop("counts")
    if counts[ERROR]:
        target, message = TerritoryImportState.REFUSED, ""
    elif not sum(counts.values()):
        target, message = TerritoryImportState.REFUSED, _("El archivo no tiene filas con datos.")
    elif not counts[NEW] + counts[CHANGED] + summary["parents_new"]:
        target, message = TerritoryImportState.UNCHANGED, ""
    else:
        target, message = TerritoryImportState.READY, ""
    job.rows_total = sum(counts.values())
    if target != TerritoryImportState.READY:
        drop_staged(job.pk)
    if not _set_state(
        job,
        target,
        message=message,
        counts=counts,
        preview=summary,
        rows_total=job.rows_total,
        note=ngettext("%(count)s fila con error", "%(count)s filas con error", counts[ERROR])
        % {"count": counts[ERROR]},
        only_from=TerritoryImportState.CHECKING,
    ):
        raise Interrupted


def _summarise(job: TerritoryImport) -> dict:
    checker, rows = judged_rows(job, _content(job))
    _progress(job, 0)
    stage = connection.vendor == "postgresql"
    if stage:
        drop_staged(job.pk)  # a re-run starts clean
    counts: Counter[str] = Counter({NEW: 0, CHANGED: 0, UNCHANGED: 0, ERROR: 0})
    sample: list[dict] = []
    errors: list[dict] = []
    chunk: list[Checked] = []
    done = 0
    for checked in rows:
        chunk.append(checked)
        if len(chunk) >= CHUNK_ROWS:
            done += _judge_chunk(chunk, counts, sample, errors)
            if stage and not counts[ERROR]:  # a file with an error is refused: staging it would be wasted
                _stage(job, (c.unit for c in chunk if c.unit is not None))
            _progress(job, done)
            chunk = []
    done += _judge_chunk(chunk, counts, sample, errors)
    if stage and not counts[ERROR]:
        _stage(job, (c.unit for c in chunk if c.unit is not None))
    parents = list(checker.parent_units())
    if stage and not counts[ERROR]:
        _stage(job, iter(parents), is_parent=True)
    stored = stored_for([unit.key for unit in parents])
    parents_new = []
    for unit in parents:
        problem = kind_error(unit, stored.get(unit.key))
        if problem:
            counts[ERROR] += 1
            errors.append({"line": 0, "column": "", "message": problem})
        elif unit.key not in stored:
            if not unit.name:
                counts[ERROR] += 1
                errors.append({"line": 0, "column": _name_column(unit.kind), "message": _missing_parent(unit)})
            parents_new.append({"kind": unit.kind, "key": unit.key, "name": unit.name})
    return {
        "counts": dict(counts),
        "level": checker.kind,
        "sample": sample,
        "errors": errors[:PREVIEW_ERRORS],
        "errors_total": len(errors),
        "parents_new": len(parents_new),
        "parents_sample": parents_new[:PREVIEW_ROWS],
    }


def _name_column(kind: str) -> str:
    return "NOM_ENT" if kind == TerritoryKind.ENTIDAD else "NOM_MUN"


def _missing_parent(unit: Unit) -> str:
    return _(
        "La clave %(key)s no está en el portal y el archivo no trae su nombre (%(column)s): no se puede crear."
    ) % {"key": unit.key, "column": _name_column(unit.kind)}


def _judge_chunk(chunk: list[Checked], counts: Counter[str], sample: list[dict], errors: list[dict]) -> int:
    stored = stored_for([c.unit.key for c in chunk if c.unit is not None])
    for checked in chunk:
        unit, outcome = checked.unit, ERROR
        if unit is not None:
            found = stored.get(unit.key)
            problem = kind_error(unit, found)
            if problem:
                checked.errors.append({"column": "", "message": problem})
            elif found is None:
                outcome = NEW
            else:
                outcome = UNCHANGED if unit_values(unit, found) == found.values else CHANGED
        counts[outcome if not checked.errors else ERROR] += 1
        for error in checked.errors:
            if len(errors) < PREVIEW_ERRORS:
                errors.append({"line": checked.line, **error})
        if len(sample) < PREVIEW_ROWS:
            sample.append(_sample(checked, outcome if not checked.errors else ERROR))
    return len(chunk)


def _sample(checked: Checked, outcome: str) -> dict:
    unit = checked.unit
    if unit is None:
        return {"line": checked.line, "outcome": outcome, "errors": checked.errors}
    return {
        "line": checked.line,
        "outcome": outcome,
        "key": unit.key,
        "name": unit.name,
        "parent": unit.parent_key,
        "population": unit.population,
        "area": unit.area_type,
        "errors": checked.errors,
    }


def _progress(job: TerritoryImport, done: int) -> None:
    now = timezone.now()
    if not TerritoryImport.objects.filter(pk=job.pk, attempt=job.attempt, state=job.state).update(
        rows_done=min(done, job.rows_total), rows_total=job.rows_total, updated_at=now, heartbeat_at=now
    ):
        raise Interrupted


# --- Step 2: save, all or nothing --------------------------------------------------------------------------------


def save(job: TerritoryImport) -> None:
    """Save every unit of a confirmed file (and the parents it names) in one transaction, with history rows.

    PostgreSQL saves what the check staged (the file is not read again); other databases re-read the file.
    """
    with transaction.atomic():
        locked = TerritoryImport.objects.select_for_update().defer("content").get(pk=job.pk)
        if locked.attempt != job.attempt or locked.state != job.state:
            raise Interrupted
        if connection.vendor == "postgresql":
            _require_staged(job)
            counts = _SqlWriter(job).write()
            drop_staged(job.pk)
        else:
            checker, rows = judged_rows(job, _content(job))
            counts = _OrmWriter(job).write(_units(rows), checker)
        if not _set_state(
            job,
            TerritoryImportState.DONE,
            counts={**job.counts, **counts},
            note=_("%(new)s nuevas, %(changed)s con cambios") % counts,
            only_from=TerritoryImportState.SAVING,
        ):
            raise Interrupted
        transaction.on_commit(lambda: content_changed(Territory))


STAGE_TABLE = "implan_territory_stage"  # see implan/migrations/0013_territory_stage.py


class StagedRowsLost(Exception):
    """The rows the check staged are not all there: the save would write less than the preview promised."""


def _require_staged(job: TerritoryImport) -> None:
    """The staging table is UNLOGGED (fast to fill): PostgreSQL empties it after a crash and a standby never has it.
    A save from what is left would write part of the file, or nothing, and say «Guardada»."""
    expected = sum(job.counts.get(outcome, 0) for outcome in (NEW, CHANGED, UNCHANGED))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {STAGE_TABLE} WHERE job_id = %s AND NOT is_parent", [job.pk])
        (staged,) = cursor.fetchone()
    if staged != expected:
        raise StagedRowsLost(f"{staged} staged rows, {expected} checked")


def _stage(job: TerritoryImport, units: Iterator[Unit], *, is_parent: bool = False) -> None:
    connection.ensure_connection()
    with (
        connection.connection.cursor() as raw,
        raw.copy(f"COPY {STAGE_TABLE} (job_id, {', '.join(STAGE_COLUMNS)}) FROM STDIN (FORMAT binary)") as copy,
    ):
        copy.set_types(STAGE_TYPES)  # binary: decimals and numbers are neither written nor parsed as text
        for unit in units:
            copy.write_row((job.pk, *_stage_row(unit, is_parent=is_parent)))


def drop_staged(job_id: int) -> None:
    """Forget what a check staged (after the save, or when the file is refused or discarded)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {STAGE_TABLE} WHERE job_id = %s", [job_id])


def _units(rows: Iterator[Checked]) -> Iterator[Unit]:
    for checked in rows:
        if checked.unit is None:  # the file changed meaning since its check (it cannot: it is the job's bytes)
            raise ImportRefused(_("La fila %(line)s tiene errores; no se guardó nada.") % {"line": checked.line})
        yield checked.unit


STAGE_COLUMNS = [
    "kind",
    "key",
    "name",
    "parent_key",
    "cve_ent",
    "cve_mun",
    "cve_loc",
    "area_type",
    "latitude",
    "longitude",
    "population",
    "is_parent",
]
# job_id and then STAGE_COLUMNS, as implan/migrations/0013_territory_stage.py declares them.
STAGE_TYPES = ["int4", *["text"] * 8, "numeric", "numeric", "int8", "bool"]


class _SqlWriter:
    """PostgreSQL: from the units the check staged, one UPDATE and one INSERT per level, from the country down."""

    def __init__(self, job: TerritoryImport) -> None:
        self.job = job
        self.table = Territory._meta.db_table
        self.history = Territory.history.model._meta.db_table
        self.copied = [f.column for f in Territory._meta.concrete_fields if f.name != "boundary"]
        expected = {f.column for f in Territory.history.model._meta.concrete_fields}
        extra = {"history_id", "history_date", "history_change_reason", "history_type", "history_user_id"}
        if expected != set(self.copied) | extra:
            raise RuntimeError("The historical table of territories changed; update indicators.territories.jobs.")

    def write(self) -> dict[str, int]:
        counts = Counter({"new": 0, "changed": 0})
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {STAGE_TABLE}")
            for kind in LEVEL_ORDER:
                changed, new = self._write_level(cursor, kind)
                counts["changed"] += changed
                counts["new"] += new
        return dict(counts)

    def _write_level(self, cursor: object, kind: str) -> tuple[int, int]:
        t, job = self.table, self.job
        year, source = job.population_year, job.population_source or ""
        columns = ", ".join(self.copied)
        reason = _("Catálogo de territorios %(name)s") % {"name": job.file_name}
        now, who = timezone.now(), job.created_by_id
        cursor.execute(  # type: ignore[attr-defined]
            f"WITH changed AS (UPDATE {t} AS t SET name = s.name, parent_id = p.id, area_type = s.area_type, "
            # A row without coordinates (a catalogue without LAT/LON) keeps the stored ones, as one without population.
            "latitude = COALESCE(s.latitude, t.latitude), longitude = COALESCE(s.longitude, t.longitude), "
            "population = COALESCE(s.population, t.population), "
            "population_year = CASE WHEN s.population IS NULL THEN t.population_year ELSE %s::smallint END, "
            "population_source = CASE WHEN s.population IS NULL THEN t.population_source ELSE %s END, "
            "cve_ent = s.cve_ent, cve_mun = s.cve_mun, cve_loc = s.cve_loc "
            f"FROM {STAGE_TABLE} AS s LEFT JOIN {t} AS p ON p.inegi_code = s.parent_key "
            "WHERE s.job_id = %s AND s.kind = %s AND NOT s.is_parent AND t.inegi_code = s.key AND ("
            "t.name, t.parent_id, t.area_type, t.latitude, t.longitude, t.population, t.cve_ent, t.cve_mun, t.cve_loc"
            ") IS DISTINCT FROM (s.name, p.id, s.area_type, COALESCE(s.latitude, t.latitude), "
            "COALESCE(s.longitude, t.longitude), "
            "COALESCE(s.population, t.population), s.cve_ent, s.cve_mun, s.cve_loc) RETURNING t.*), "
            f"inserted AS (INSERT INTO {t} (name, kind, code, inegi_code, parent_id, area_type, latitude, longitude, "
            "population, population_year, population_source, cve_ent, cve_mun, cve_loc, boundary_source) "
            "SELECT s.name, s.kind, s.key, s.key, p.id, s.area_type, s.latitude, s.longitude, s.population, "
            "CASE WHEN s.population IS NULL THEN NULL ELSE %s::smallint END, "
            "CASE WHEN s.population IS NULL THEN '' ELSE %s END, s.cve_ent, s.cve_mun, s.cve_loc, '' "
            f"FROM {STAGE_TABLE} AS s LEFT JOIN {t} AS p ON p.inegi_code = s.parent_key "
            # Two anti-joins, not one with OR: PostgreSQL hashes each, where an OR would scan the table per row.
            f"WHERE s.job_id = %s AND s.kind = %s AND NOT EXISTS (SELECT 1 FROM {t} AS e WHERE e.inegi_code = s.key) "
            f"AND NOT EXISTS (SELECT 1 FROM {t} AS e WHERE e.code = s.key) RETURNING *), "
            f"logged AS (INSERT INTO {self.history} ({columns}, history_date, history_change_reason, history_type, "
            f"history_user_id) SELECT {columns}, %s, %s, '~', %s FROM changed "
            f"UNION ALL SELECT {columns}, %s, %s, '+', %s FROM inserted) "
            "SELECT (SELECT count(*) FROM changed), (SELECT count(*) FROM inserted)",
            [year, source, job.pk, kind, year, source, job.pk, kind, now, reason, who, now, reason, who],
        )
        changed, new = cursor.fetchone()  # type: ignore[attr-defined]
        return changed, new


def _stage_row(unit: Unit, *, is_parent: bool) -> tuple:
    return (
        unit.kind,
        unit.key,
        unit.name,
        unit.parent_key or None,
        unit.cve_ent,
        unit.cve_mun,
        unit.cve_loc,
        unit.area_type,
        unit.latitude,
        unit.longitude,
        unit.population,
        is_parent,
    )


class _OrmWriter:
    """Other databases (a newcomer's SQLite): the same rules, one territory at a time."""

    def __init__(self, job: TerritoryImport) -> None:
        self.job = job

    def write(self, units: Iterator[Unit], checker: RowChecker) -> dict[str, int]:
        own = list(units)
        counts = Counter({"new": 0, "changed": 0})
        for unit in list(checker.parent_units()) + own:
            outcome = self._write(unit, is_parent=unit.kind != checker.kind)
            if outcome:
                counts[outcome] += 1
        return dict(counts)

    def _write(self, unit: Unit, *, is_parent: bool) -> str:
        existing = Territory.objects.filter(inegi_code=unit.key).first()
        if existing is not None and is_parent:
            return ""
        parent = Territory.objects.filter(inegi_code=unit.parent_key).first() if unit.parent_key else None
        territory = existing or Territory(kind=unit.kind, code=unit.key, inegi_code=unit.key)
        before = unit_values_of(territory)
        territory.name, territory.parent, territory.area_type = unit.name, parent, unit.area_type
        if unit.latitude is not None:  # a catalogue without coordinates keeps the stored ones
            territory.latitude, territory.longitude = unit.latitude, unit.longitude
        territory.cve_ent, territory.cve_mun, territory.cve_loc = unit.cve_ent, unit.cve_mun, unit.cve_loc
        if unit.population is not None:
            territory.population = unit.population
            territory.population_year = self.job.population_year
            territory.population_source = self.job.population_source
        if existing is not None and unit_values_of(territory) == before:
            return ""
        territory._change_reason = _("Catálogo de territorios %(name)s") % {"name": self.job.file_name}  # type: ignore[attr-defined]
        territory.save()
        return "changed" if existing is not None else "new"


def unit_values_of(territory: Territory) -> tuple:
    return (
        territory.name,
        territory.parent_id,
        territory.area_type,
        territory.latitude,
        territory.longitude,
        territory.population,
        territory.cve_ent,
        territory.cve_mun,
        territory.cve_loc,
    )


# --- Stalled jobs -------------------------------------------------------------------------------------------------

# A check beats every few thousand rows; a save of 300,000 localities is one transaction of about twenty seconds.
# A job silent for this long lost its worker (a deploy, a crash): it is marked interrupted, to be discarded.
STALLED_AFTER = datetime.timedelta(minutes=5)


def interrupt_if_stalled(job: TerritoryImport) -> bool:
    """Mark a running job whose worker stopped signalling as interrupted; True when it was marked."""
    running = (TerritoryImportState.CHECKING, TerritoryImportState.SAVING)
    if job.state not in running or job.heartbeat_at is None or timezone.now() - job.heartbeat_at < STALLED_AFTER:
        return False
    return _set_state(
        job,
        TerritoryImportState.FAILED,
        message=_(
            "La carga se interrumpió: el proceso que la ejecutaba se detuvo. No se guardó nada; descártela y vuelva "
            "a cargar el archivo."
        ),
        only_from=job.state,
    )


# --- Job states --------------------------------------------------------------------------------------------------


def _set_state(
    job: TerritoryImport,
    state: str,
    *,
    message: str = "",
    note: str = "",
    only_from: str | None = None,
    **fields: object,
) -> bool:
    """Move the job, with its event row, if nobody claimed it since (and, with ``only_from``, if it is still in that
    state); False when it was not moved."""
    previous, now = job.state, timezone.now()
    finished = state not in (TerritoryImportState.READY, *WORKER_TRANSITIONS, *WORKER_TRANSITIONS.values())
    values = {"state": state, "message": message, "updated_at": now, **fields}
    if finished:
        values["finished_at"] = now
    if state in (TerritoryImportState.READY, TerritoryImportState.UNCHANGED, TerritoryImportState.DONE):
        values["rows_done"] = job.rows_total
    target = TerritoryImport.objects.filter(pk=job.pk, attempt=job.attempt)
    if only_from:
        target = target.filter(state=only_from)
    if not target.update(**values):
        return False
    for name, value in values.items():
        setattr(job, name, value)
    event_record(actor=None, subject=job, action=state, from_state=previous, to_state=state, note=note or message)
    return True
