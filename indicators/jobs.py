"""Background loading of observation files: check → preview → confirm → save, with a progress bar.

The work runs as a task of Django's Tasks API (``implan.tasks``): the database backend by default, RQ on Redis to
run workers on other machines. The job row stays the truth people read, whatever the backend:
- it is the state and the progress bar (the page polls it), on any app server;
- it is the claim: a worker takes the job's waiting step with a conditional UPDATE (state waiting → running,
  attempt + 1), so a task delivered twice, or two workers, never run the same step twice (the second finds
  nothing to do), and every later write of the step is conditional on still holding that attempt;
- it is the heartbeat: the task renews ``heartbeat_at`` as it goes (each chunk of rows, between steps, while it
  waits for another import's save), with no thread of its own. A job silent for four beats (a minute by default)
  is marked interrupted (``services.import_jobs_interrupt_stalled``: on the pages that show it and by the periodic
  ``manage.py mark_stalled_jobs``) and offers «Reintentar» and «Descartar». A backend's own record of the task is
  not used for this: a database worker killed mid-task leaves its task "running" forever.

Speed (see bench/import_indicators.py): rows are judged in Python against in-memory catalogues, written to an
UNLOGGED staging table with binary COPY (PostgreSQL) or bulk inserts (SQLite), compared with the stored values in one
UPDATE … FROM, and saved with set-based INSERT/UPDATE statements plus one INSERT … SELECT for the history rows
(user and file name in each). Nothing holds 100,000 model instances in memory. Every step between two beats takes
seconds for 100,000 rows, well within the minute a job may stay silent.

Why the workspace does not use django-import-export's import (the admin no longer imports observations either):
its import runs row by row (one query and one history row per save; the issue itself puts it well under 1 % of
COPY) and its preview keeps every row's result in the session's memory, which a 100,000-row file cannot afford.
This module follows the same steps — upload, preview with per-row outcomes, confirm — with set-based writes.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.db import OperationalError, connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from psycopg.errors import LockNotAvailable
from psycopg.types.json import Jsonb

from implan.cache import content_changed
from implan.events import event_record
from implan.tasks import background_task, enqueue_on_commit
from indicators.importing import (
    ImportRefused,
    RowChecker,
    cycle_collection_paused,
    decide_number_format,
    is_blank,
    map_columns,
    read_table,
)
from indicators.models import ImportJob, ImportJobState, ImportRow, Observation, RowOutcome
from indicators.rates import rates_recompute

logger = logging.getLogger(__name__)

CHUNK_ROWS = 5000
# Any constant: PostgreSQL serialises the saving step of concurrent imports on it.
ADVISORY_LOCK_KEY = 640_011_020
STAGING_COLUMNS = [
    "job_id",
    "line",
    "outcome",
    "indicator_id",
    "territory_id",
    "period",
    "period_start",
    "breakdown",
    "value",
    "missing_reason",
    "status",
    "note",
    "raw_indicator",
    "raw_territory",
    "raw_period",
    "raw_value",
    "errors",
]

# The worker's transitions; the user's (confirm, discard) are in indicators.services.
WORKER_TRANSITIONS = {
    ImportJobState.QUEUED: ImportJobState.VALIDATING,
    ImportJobState.CONFIRMED: ImportJobState.APPLYING,
}


# --- Starting jobs ---------------------------------------------------------------------------------------------


@background_task
def import_job_run(job_id: int) -> None:
    """The task: run the step the job waits for (check, or save), if any; then drop previews nobody decided on.

    Safe to run twice: a job already past its step is left alone (``run_job``).
    """
    run_job(job_id)
    purge_old_previews()


def schedule(job: ImportJob) -> None:
    """Have a worker run the job's waiting step once the current transaction commits."""
    step = job.state
    enqueue_on_commit(import_job_run, job.pk, on_failure=lambda exc: _not_queued(job.pk, step))


def _not_queued(job_id: int, step: str) -> None:
    """The queue refused the task (Redis down): say so on the job, which can be retried once the queue is back."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().defer("content").filter(pk=job_id, state=step).first()
        if job is not None:
            _fail(
                job,
                _(
                    "La carga no pudo ponerse en cola: el servicio de tareas no respondió. No se guardó nada; puede "
                    "reintentarla o descartarla."
                ),
            )


class Interrupted(Exception):
    """This process lost the job: it was marked interrupted (and perhaps retried elsewhere) while it ran."""


def run_job(job_id: int) -> ImportJob | None:
    """Claim the job if it waits for a step, and run that step; None when there is nothing to do.

    Whatever calls this (the task, a command, a test), each claim is a new ``attempt``, and every write of the step
    is conditional on still holding it, so a process that was given up for dead can never finish a step behind a
    retry's back.
    """
    job = ImportJob.objects.defer("content").filter(pk=job_id).first()
    if job is None or job.state not in WORKER_TRANSITIONS:
        return None
    step, now = WORKER_TRANSITIONS[ImportJobState(job.state)], timezone.now()
    claimed = ImportJob.objects.filter(pk=job_id, state=job.state, attempt=job.attempt).update(
        state=step, attempt=job.attempt + 1, rows_done=0, updated_at=now, heartbeat_at=now, interrupted_step=""
    )
    if not claimed:
        return None
    job.state, job.attempt, job.heartbeat_at = step, job.attempt + 1, now
    try:
        validate(job) if step == ImportJobState.VALIDATING else apply(job)
    except Interrupted:
        logger.warning("Import job %s was given up for dead while this process ran it; it stopped", job_id)
    except Exception as exc:  # a job must end in a state the user can read
        logger.exception("Import job %s failed", job_id)
        # What the step wrote to the job in a transaction that rolled back (a failed commit) never happened.
        job.refresh_from_db(fields=["counts", "finished_at", "rows_done"])
        job.state = step
        _fail(
            job,
            _("La carga se interrumpió por un error inesperado; no se guardó nada. (%(error)s)")
            % {"error": exc.__class__.__name__},
        )
    return job


def beat(job: ImportJob) -> None:
    """Signal that this process still runs the job (outside a transaction, so that others see it at once).

    Raises Interrupted when the job is no longer this process's: marked interrupted, or retried elsewhere.
    """
    now = timezone.now()
    if not ImportJob.objects.filter(pk=job.pk, attempt=job.attempt, state=job.state).update(heartbeat_at=now):
        raise Interrupted
    job.heartbeat_at = now


def drop_rows(job_ids: list[int]) -> int:
    """Delete the staged rows of these jobs in one statement. (Django's delete() would load each of 100,000 rows
    to send signals nobody needs for staging data.)"""
    if not job_ids:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {ImportRow._meta.db_table} WHERE job_id = ANY(%s)"
            if connection.vendor == "postgresql"
            else f"DELETE FROM {ImportRow._meta.db_table} WHERE job_id IN ({', '.join(['%s'] * len(job_ids))})",
            [job_ids] if connection.vendor == "postgresql" else job_ids,
        )
        return cursor.rowcount


def purge_old_previews(*, days: int = 14) -> int:
    """Drop the staged rows of files nobody confirmed or discarded within ``days``; a file still waiting for its
    confirmation is discarded (it could no longer be saved). The jobs stay, as the record of what was loaded."""
    cutoff = timezone.now() - timezone.timedelta(days=days)
    active = [ImportJobState.QUEUED, ImportJobState.VALIDATING, ImportJobState.CONFIRMED, ImportJobState.APPLYING]
    old = list(ImportJob.objects.defer("content").filter(updated_at__lt=cutoff).exclude(state__in=active))
    for job in old:
        if job.state == ImportJobState.READY:  # conditional: someone may be confirming it right now
            _set_state(
                job,
                ImportJobState.DISCARDED,
                finished=True,
                only_from=ImportJobState.READY,
                message=ngettext(
                    "Se descartó sola: nadie la confirmó en %(days)s día.",
                    "Se descartó sola: nadie la confirmó en %(days)s días.",
                    days,
                )
                % {"days": days},
            )
    idle = ImportJob.objects.filter(pk__in=[job.pk for job in old]).exclude(state__in=active)
    return drop_rows(list(idle.values_list("pk", flat=True)))


# --- Step 1: check every row and keep it for the preview --------------------------------------------------------


def validate(job: ImportJob) -> None:
    drop_rows([job.pk])  # a re-run starts clean
    try:
        _check_rows(job)
    except ImportRefused as refusal:  # the file as a whole, even when found unreadable halfway through
        _drop_own_rows(job)
        _finish_validation(job, refused=refusal.message)
        return
    beat(job)
    _mark_outcomes(job, fresh=True)
    beat(job)
    _finish_validation(job)


def _check_rows(job: ImportJob) -> None:
    content = ImportJob.objects.filter(pk=job.pk).values_list("content", flat=True).get()
    table = read_table(bytes(content), job.file_name)
    header = next((row for row in table.rows if not is_blank(row)), None)
    if header is None:
        raise ImportRefused(_("El archivo está vacío."))
    columns = map_columns(header)
    # A first pass over the file decides how it writes numbers (see indicators.importing) and collects the
    # territories it names: the check loads those, not the whole catalogue (300,000 after INEGI's localities).
    territory_keys: set[str] = set()
    numbers = decide_number_format(
        read_table(bytes(content), job.file_name).rows,
        columns.positions["value"],
        delimiter=table.delimiter,
        keys=(columns.positions["territory"], territory_keys),
    )
    checker = RowChecker(columns, number_format=numbers, territory_keys=territory_keys)
    job.has_note, job.has_status, job.rows_total = columns.has_note, columns.has_status, max(table.total - 1, 1)
    job.decimal_mark, job.number_evidence = numbers.mark, numbers.evidence
    ImportJob.objects.filter(pk=job.pk).update(
        has_note=job.has_note,
        has_status=job.has_status,
        rows_total=job.rows_total,
        decimal_mark=job.decimal_mark,
        number_evidence=job.number_evidence,
    )
    beat(job)  # the first pass over the file is done
    _stage_rows(job, checker, table.rows, first_line=2)


def _drop_own_rows(job: ImportJob) -> None:
    """Drop what this run staged, unless a retry has claimed the job meanwhile (the rows would be the retry's)."""
    with transaction.atomic():
        if _progress(job, 0):
            drop_rows([job.pk])


def _stage_rows(job: ImportJob, checker: RowChecker, rows: Iterable[list[str]], *, first_line: int) -> None:
    chunk: list[tuple] = []
    line = first_line - 1
    with cycle_collection_paused():
        for line, cells in enumerate(rows, start=first_line):  # line is read after the loop
            if is_blank(cells):
                continue
            chunk.append(checker.check(line, cells))
            if len(chunk) >= CHUNK_ROWS:
                _write_chunk(job, chunk, done=line - 1)
                chunk = []
        _write_chunk(job, chunk, done=max(line - 1, 0))


def _write_chunk(job: ImportJob, rows: list[tuple], *, done: int) -> None:
    """Stage rows and move the progress bar together, only while this process still holds the job: the progress
    UPDATE locks the job's row, so a retry's claim (and the cleaning it starts with) waits for this chunk."""
    with transaction.atomic():
        if not _progress(job, done):
            raise Interrupted
        if rows:
            _write_staging(job, rows)


def _write_staging(job: ImportJob, rows: list[tuple]) -> None:
    if connection.vendor == "postgresql":
        _copy_staging(job, rows)
    else:
        ImportRow.objects.bulk_create(
            [ImportRow(job=job, **dict(zip(STAGING_COLUMNS[1:], row, strict=True))) for row in rows], batch_size=500
        )


# The staging columns' types, for COPY in binary: numbers, dates and decimals travel as PostgreSQL stores them, so
# neither side writes or parses their text (a fifth less time than text COPY for 100,000 rows).
STAGING_TYPES = [
    "int8",
    "int4",
    "text",
    "int8",
    "int8",
    "text",
    "date",
    "text",
    "numeric",
    "text",
    "text",
    "text",
    "text",
    "text",
    "text",
    "text",
    "jsonb",
]


def _copy_staging(job: ImportJob, rows: list[tuple]) -> None:
    table = ImportRow._meta.db_table
    connection.ensure_connection()
    with connection.connection.cursor() as raw:  # psycopg's own cursor: Django's has no COPY
        with raw.copy(f"COPY {table} ({', '.join(STAGING_COLUMNS)}) FROM STDIN (FORMAT binary)") as copy:
            copy.set_types(STAGING_TYPES)
            job_id = job.pk
            for row in rows:
                copy.write_row((job_id, *row[:-1], Jsonb(row[-1]) if row[-1] else None))


def _progress(job: ImportJob, done: int) -> bool:
    """Move the progress bar, which is a heartbeat too; False when this process no longer holds the job."""
    job.rows_done, now = min(done, job.rows_total), timezone.now()
    return bool(
        ImportJob.objects.filter(pk=job.pk, attempt=job.attempt, state=job.state).update(
            rows_done=job.rows_done, updated_at=now, heartbeat_at=now
        )
    )


def _mark_outcomes(job: ImportJob, *, fresh: bool = False) -> None:
    """Each valid row is new, changed or unchanged against the stored observation with its key.

    The checker stages every valid row as new, so only rows that have a stored observation are rewritten (one UPDATE
    joined on the key; only rows whose outcome differs, so a second pass over an unchanged preview writes nothing);
    a second UPDATE turns back to new the rows whose observation was deleted since an earlier pass — none on the
    first pass (``fresh``), where it is skipped. Joining the staged rows with the observations directly, rather than
    through a LEFT JOIN in a subquery joined back to the staging table, reads each staged row once.
    """
    rows, observations = ImportRow._meta.db_table, Observation._meta.db_table
    same = ["o.value IS NOT DISTINCT FROM s.value", "o.missing_reason = s.missing_reason"]
    if job.has_status:
        same.append("o.status = s.status")
    if job.has_note:
        same.append("o.note = s.note")
    verdict = f"CASE WHEN {' AND '.join(same)} THEN %s ELSE %s END"
    key = (
        "o.indicator_id = s.indicator_id AND o.territory_id = s.territory_id AND o.period = s.period "
        "AND o.breakdown = s.breakdown"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {rows} AS s SET outcome = {verdict} FROM {observations} AS o "
            f"WHERE s.job_id = %s AND s.outcome <> %s AND {key} AND s.outcome <> {verdict}",
            [
                RowOutcome.UNCHANGED,
                RowOutcome.CHANGED,
                job.pk,
                RowOutcome.ERROR,
                RowOutcome.UNCHANGED,
                RowOutcome.CHANGED,
            ],
        )
        if not fresh:
            cursor.execute(
                f"UPDATE {rows} AS s SET outcome = %s WHERE s.job_id = %s AND s.outcome IN (%s, %s) "
                f"AND NOT EXISTS (SELECT 1 FROM {observations} AS o WHERE {key})",
                [RowOutcome.NEW, job.pk, RowOutcome.UNCHANGED, RowOutcome.CHANGED],
            )


def outcome_sentence(counts: dict[str, int]) -> str:
    """«1 nueva, 3 con cambios, 0 sin cambios» for the job's timeline."""
    new, changed, same = counts[RowOutcome.NEW], counts[RowOutcome.CHANGED], counts[RowOutcome.UNCHANGED]
    return ", ".join(
        [
            ngettext("%(count)s nueva", "%(count)s nuevas", new) % {"count": new},
            ngettext("%(count)s con cambios", "%(count)s con cambios", changed) % {"count": changed},
            ngettext("%(count)s sin cambios", "%(count)s sin cambios", same) % {"count": same},
        ]
    )


def outcome_counts(job: ImportJob) -> dict[str, int]:
    found = dict(ImportRow.objects.filter(job=job).values_list("outcome").annotate(n=Count("id")).order_by())
    return {outcome: found.get(outcome, 0) for outcome in RowOutcome.values}


SUMMARY_EXAMPLES = 10  # cell texts named per kind of error; the others are counted


def error_summary(job: ImportJob) -> list[dict[str, Any]]:
    """The job's errors by kind and column, most rows first: how many rows, how many distinct cell texts, and the
    first of those in file order («45 claves de territorio desconocidas: 11001, 11002, …»). One query, whatever the
    number of rows: 528 lines of the same message tell the planner less than this does."""
    if connection.vendor == "postgresql":
        expand, field = "CROSS JOIN LATERAL jsonb_array_elements(s.errors) AS e", "e.value ->> '{}'"
    else:
        expand, field = ", json_each(s.errors) AS e", "json_extract(e.value, '$.{}')"
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH p AS (SELECT s.line, {field.format('kind')} AS kind, {field.format('column')} AS col, "
            f"{field.format('key')} AS cell FROM {ImportRow._meta.db_table} AS s {expand} "
            f"WHERE s.job_id = %s AND s.outcome = %s), "
            f"r AS (SELECT kind, col, count(DISTINCT line) AS nrows FROM p GROUP BY kind, col), "
            f"k AS (SELECT kind, col, cell, count(*) OVER (PARTITION BY kind, col) AS ncells, "
            f"row_number() OVER (PARTITION BY kind, col ORDER BY min(line)) AS n FROM p GROUP BY kind, col, cell) "
            f"SELECT r.kind, r.col, r.nrows, k.ncells, k.cell FROM r JOIN k ON k.kind = r.kind AND k.col = r.col "
            f"WHERE k.n <= %s ORDER BY r.nrows DESC, r.kind, r.col, k.n",
            [job.pk, RowOutcome.ERROR, SUMMARY_EXAMPLES],
        )
        found = cursor.fetchall()
    summary: dict[tuple[str, str], dict[str, Any]] = {}
    for kind, column, rows, cells, cell in found:
        entry = summary.setdefault(
            (kind, column), {"kind": kind, "column": column, "rows": rows, "keys": cells, "examples": []}
        )
        entry["examples"].append(cell)
    return list(summary.values())


def _finish_validation(job: ImportJob, *, refused: str = "") -> None:
    counts = outcome_counts(job) if not refused else {}
    has_errors = bool(refused) or counts.get(RowOutcome.ERROR, 0) > 0
    if not refused and not any(counts.values()):
        refused, has_errors = _("El archivo no tiene filas con datos."), True
    target = ImportJobState.REFUSED if has_errors else ImportJobState.READY
    if target == ImportJobState.READY and not counts[RowOutcome.NEW] + counts[RowOutcome.CHANGED]:
        target = ImportJobState.UNCHANGED  # every row is already saved as it is: nothing to confirm
    if counts:
        job.rows_total = sum(counts.values())  # the estimate counted blank lines too
        job.error_summary = error_summary(job) if counts[RowOutcome.ERROR] else []
        ImportJob.objects.filter(pk=job.pk, attempt=job.attempt).update(
            rows_total=job.rows_total, rows_done=job.rows_total, error_summary=job.error_summary
        )
    errors = counts.get(RowOutcome.ERROR, 0)
    if not _set_state(
        job,
        target,
        counts=counts,
        message=refused,
        finished=target != ImportJobState.READY,
        note=ngettext("%(count)s fila con error", "%(count)s filas con error", errors) % {"count": errors}
        if counts
        else "",
        only_from=ImportJobState.VALIDATING,
    ):
        raise Interrupted


# --- Step 2: save a confirmed file, all rows or none -------------------------------------------------------------


def apply(job: ImportJob, *, returning: bool | None = None) -> None:
    """Save every valid row of a confirmed job in one transaction, with a history row for each saved value.

    ``returning``: PostgreSQL writes observations and their history in one statement (data-modifying CTEs with
    RETURNING); other databases, or a test of that path, use three statements joined on the natural key.
    """
    returning = connection.vendor == "postgresql" if returning is None else returning
    while True:
        beat(job)  # fresh before the transaction, inside which nobody else would see a beat
        try:
            with transaction.atomic():
                _wait_for_saving_turn(job)
                _save(job, returning=returning)
        except _NotYourTurn:
            continue  # another import is still saving: signal life, and wait again
        break
    drop_rows([job.pk])


class _NotYourTurn(Exception):
    pass


def _wait_for_saving_turn(job: ImportJob) -> None:
    """On PostgreSQL one import saves at a time (a transaction-scoped advisory lock); wait for it no longer than a
    heartbeat, so that a long wait behind another import's save never reads as this process's death."""
    if connection.vendor != "postgresql":
        return  # SQLite lets one writer at a time anyway
    wait_ms = max(int(ImportJob.heartbeat_every().total_seconds() * 1000), 1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('lock_timeout', %s, true)", [f"{wait_ms}ms"])
        try:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])
        except OperationalError as error:
            if isinstance(error.__cause__, LockNotAvailable):
                raise _NotYourTurn from error
            raise
        cursor.execute("SET LOCAL lock_timeout TO DEFAULT")  # the saving itself waits as long as it must


def _save(job: ImportJob, *, returning: bool) -> None:
    reason = _("Importado del archivo %(name)s") % {"name": job.file_name}
    _mark_outcomes(job)  # the stored values may have changed since the preview
    (_save_returning if returning else _save_joined)(job, reason=reason, when=timezone.now())
    _recompute_rates(job)
    counts = outcome_counts(job)
    # Conditional on this process still holding the job; if it was given up for dead meanwhile, raising rolls
    # back everything saved above (the interruption and this commit cannot both happen: the UPDATE locks).
    if not _set_state(
        job,
        ImportJobState.DONE,
        counts=counts,
        finished=True,
        note=outcome_sentence(counts),
        only_from=ImportJobState.APPLYING,
    ):
        raise Interrupted
    # The public pages are cached by a content version that model signals renew; these writes send no
    # signals, so renew it once the values are committed (never before: a page could cache the old ones).
    transaction.on_commit(lambda: content_changed(Observation))


def _recompute_rates(job: ImportJob) -> None:
    """Rates computed from the indicators this file changed follow them, in the same transaction."""
    touched = (
        ImportRow.objects.filter(job=job, outcome__in=[RowOutcome.NEW, RowOutcome.CHANGED])
        .values_list("indicator_id", flat=True)
        .distinct()
        .order_by()
    )
    rates_recompute(indicator_ids=list(touched), user_id=job.created_by_id, source=job.file_name)


class _Sql:
    """The pieces of SQL both ways of saving share, built from the models' own metadata."""

    def __init__(self, job: ImportJob) -> None:
        self.rows, self.observations = ImportRow._meta.db_table, Observation._meta.db_table
        self.history = Observation.history.model._meta.db_table
        self.copied = [f.column for f in Observation._meta.concrete_fields]
        self.history_columns = [
            *self.copied,
            "history_date",
            "history_change_reason",
            "history_type",
            "history_user_id",
        ]
        expected = {f.column for f in Observation.history.model._meta.concrete_fields}
        if expected != set(self.history_columns) | {"history_id"}:
            raise RuntimeError("The historical table of observations changed; update indicators.jobs._Sql.")
        self.key = (
            "o.indicator_id = s.indicator_id AND o.territory_id = s.territory_id AND o.period = s.period "
            "AND o.breakdown = s.breakdown"
        )
        self.sets = [
            "value = s.value",
            "missing_reason = s.missing_reason",
            "period_start = s.period_start",
            "loaded_by_id = %s",
            "source_file = %s",
        ]
        self.sets += ["status = s.status"] if job.has_status else []
        self.sets += ["note = s.note"] if job.has_note else []
        self.inserted = (
            "indicator_id, territory_id, period, period_start, breakdown, value, missing_reason, status, note, "
            "loaded_by_id, source_file"
        )
        self.selected = (
            "s.indicator_id, s.territory_id, s.period, s.period_start, s.breakdown, s.value, s.missing_reason, "
            "s.status, s.note, %s, %s"
        )


def _save_returning(job: ImportJob, *, reason: str, when: Any) -> None:
    q, who, file_name = _Sql(job), job.created_by_id, job.file_name[:255]
    columns = ", ".join(q.copied)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH changed AS (UPDATE {q.observations} AS o SET {', '.join(q.sets)} FROM {q.rows} AS s "
            f"WHERE s.job_id = %s AND s.outcome = %s AND {q.key} RETURNING o.*), "
            f"inserted AS (INSERT INTO {q.observations} ({q.inserted}) SELECT {q.selected} FROM {q.rows} AS s "
            f"WHERE s.job_id = %s AND s.outcome = %s RETURNING *) "
            f"INSERT INTO {q.history} ({', '.join(q.history_columns)}) "
            f"SELECT {columns}, %s, %s, '~', %s FROM changed UNION ALL SELECT {columns}, %s, %s, '+', %s FROM inserted",
            [
                who,
                file_name,
                job.pk,
                RowOutcome.CHANGED,
                who,
                file_name,
                job.pk,
                RowOutcome.NEW,
                when,
                reason,
                who,
                when,
                reason,
                who,
            ],
        )


def _save_joined(job: ImportJob, *, reason: str, when: Any) -> None:
    q, who, file_name = _Sql(job), job.created_by_id, job.file_name[:255]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {q.observations} AS o SET {', '.join(q.sets)} FROM {q.rows} AS s "
            f"WHERE s.job_id = %s AND s.outcome = %s AND {q.key}",
            [who, file_name, job.pk, RowOutcome.CHANGED],
        )
        cursor.execute(
            f"INSERT INTO {q.observations} ({q.inserted}) SELECT {q.selected} FROM {q.rows} AS s "
            f"WHERE s.job_id = %s AND s.outcome = %s",
            [who, file_name, job.pk, RowOutcome.NEW],
        )
        cursor.execute(
            f"INSERT INTO {q.history} ({', '.join(q.history_columns)}) "
            f"SELECT {', '.join('o.' + c for c in q.copied)}, %s, %s, "
            f"CASE WHEN s.outcome = %s THEN '+' ELSE '~' END, %s "
            f"FROM {q.observations} AS o JOIN {q.rows} AS s ON {q.key} "
            f"WHERE s.job_id = %s AND s.outcome IN (%s, %s)",
            [when, reason, RowOutcome.NEW, who, job.pk, RowOutcome.NEW, RowOutcome.CHANGED],
        )


# --- Job states ------------------------------------------------------------------------------------------------


def _set_state(
    job: ImportJob,
    state: str,
    *,
    counts: dict | None = None,
    message: str = "",
    finished: bool = False,
    note: str = "",
    only_from: str | None = None,
    **also: Any,
) -> bool:
    """Move the job, with its event row, if nobody claimed it since it was read (and, with ``only_from``, if it is
    still in that state); False when it was not moved."""
    previous = job.state
    job.state, job.message = state, message
    if counts is not None:
        job.counts = counts
    if finished:
        job.finished_at = timezone.now()
    fields = {
        "state": job.state,
        "message": job.message,
        "counts": job.counts,
        "finished_at": job.finished_at,
        "updated_at": timezone.now(),
        **also,
    }
    if state in (ImportJobState.READY, ImportJobState.UNCHANGED, ImportJobState.DONE):
        job.rows_done = fields["rows_done"] = job.rows_total
    target = ImportJob.objects.filter(pk=job.pk, attempt=job.attempt, **({"state": only_from} if only_from else {}))
    if not target.update(**fields):
        return False
    event_record(actor=None, subject=job, action=state, from_state=previous, to_state=state, note=note or message)
    return True


def _fail(job: ImportJob, message: str) -> None:
    """End a step that raised. Its staged rows stay (a retry of the saving step saves them); nothing was saved."""
    step = job.state
    if _set_state(job, ImportJobState.FAILED, message=message, finished=True, only_from=step, interrupted_step=step):
        job.interrupted_step = step
