"""The Django admin's catalogue imports, in the background: upload → check → preview → confirm → import.

A 10,000-row localities file takes minutes to check and as long to import through django-import-export, which
saves row by row; in one request it outlasted gunicorn's timeout. The admin's import page (``PortalAdmin``) now only
keeps the file (``admin_import_create``) and sends the administrator to the job's page; a task of ``implan.tasks``
runs the resource's dry run and keeps a summary for the preview (new, changed and unchanged rows, every error in
Spanish); once confirmed, a task runs the real import, all rows or none, in one transaction. The resource is the same
``PortalResource`` the synchronous import used, so its rules (services, events, history reasons) hold unchanged.

The job row (``implan.models.AdminImport``) is, as for indicator loads (``indicators.jobs``):
- the claim: a worker takes the waiting step with a conditional UPDATE (state waiting → running, attempt + 1), so a
  task delivered twice never runs a step twice, and the step ends by a write conditional on that attempt;
- the heartbeat and the progress bar. Both steps run inside one transaction (the dry run is rolled back, the import
  is all or nothing), where a write to the job would stay invisible until the end; on PostgreSQL they are written
  through a connection of their own (``_Beacon``). SQLite (a newcomer's ``bin/start``) has one writer at a time: there
  the page shows no progress during a step, and the stalled-job check reads a locked database as a live worker.
- A confirmed import that committed is ``importada`` in the same transaction, so a retry or a second delivery finds
  nothing to do: it never imports twice.

The core imports no app: the job names its model (``app_label.model_name``), resource (dotted path) and format
(title), and the worker finds them in the admin's registry, accepting only a resource the model's admin declares.
"""

from __future__ import annotations

import datetime
import logging
import time
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth import get_user_model
from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from import_export.results import Result, RowResult

from implan.cache import content_changed
from implan.errors import DomainError
from implan.events import event_record
from implan.models import AdminImport, AdminImportState
from implan.permissions import deny_unless
from implan.tasks import background_task, enqueue_on_commit, requeue_waiting
from implan.types import Actor, Label

logger = logging.getLogger(__name__)

# What the preview keeps: the first rows that change something, with their values, and the first rows refused.
PREVIEW_ROWS = 200
PREVIEW_ERRORS = 500

# The worker's transitions; a person's are USER_TRANSITIONS.
WORKER_TRANSITIONS = {
    AdminImportState.QUEUED: AdminImportState.CHECKING,
    AdminImportState.CONFIRMED: AdminImportState.IMPORTING,
}
USER_TRANSITIONS = {
    AdminImportState.READY: {AdminImportState.CONFIRMED, AdminImportState.DISCARDED},
    AdminImportState.REFUSED: {AdminImportState.DISCARDED},
    AdminImportState.UNCHANGED: {AdminImportState.DISCARDED},
    AdminImportState.FAILED: {AdminImportState.QUEUED, AdminImportState.CONFIRMED, AdminImportState.DISCARDED},
}
ACTION_NAMES: dict[str, Label] = {
    AdminImportState.CONFIRMED: gettext_lazy("confirmar"),
    AdminImportState.DISCARDED: gettext_lazy("descartar"),
}
INTERRUPTED = gettext_lazy(
    "La importación se interrumpió: el proceso que la ejecutaba se detuvo. No se importó nada; puede reintentarla o "
    "descartarla."
)


class Interrupted(Exception):
    """This process lost the job: it was marked interrupted (and perhaps retried elsewhere) while it ran."""


class _Lost(BaseException):
    """Raised from inside a resource's row loop, which catches every ``Exception`` as a row error."""


# --- What a person does ----------------------------------------------------------------------------------------


def resource_path(resource_class: type) -> str:
    return f"{resource_class.__module__}.{resource_class.__qualname__}"


@transaction.atomic
def admin_import_create(
    *, actor: Actor, model_label: str, resource: str, input_format: str, file_name: str, content: bytes
) -> AdminImport:
    """Keep an uploaded file and queue its check (a dry run of the resource); the admin's view checked that the
    person may import into that catalogue, with that resource and format."""
    deny_unless(actor.is_active and actor.is_staff, _("Solo la administración del portal importa catálogos."))
    if not content.strip():
        raise DomainError(_("El archivo está vacío."))
    job = AdminImport.objects.create(
        created_by=actor,
        model_label=model_label,
        resource=resource,
        input_format=input_format,
        file_name=file_name[:255],
        content=content,
        size=len(content),
    )
    event_record(actor=actor, subject=job, action="carga_recibida", to_state=job.state, note=job.file_name)
    schedule(job)
    return job


def can_decide(user: Actor, job: AdminImport) -> bool:
    """Who sees, confirms, retries or discards a job: whoever uploaded the file, and a superuser."""
    return user.is_active and (user.pk == job.created_by_id or user.is_superuser)


def _locked_for(actor: Actor, job: AdminImport) -> AdminImport:
    locked = AdminImport.objects.select_for_update().defer("content").get(pk=job.pk)
    deny_unless(can_decide(actor, locked), _("Solo quien cargó el archivo puede decidir sobre su importación."))
    return locked


def _transition(*, actor: Actor, job: AdminImport, to: str, action: str = "") -> AdminImport:
    locked = _locked_for(actor, job)
    if to not in USER_TRANSITIONS.get(AdminImportState(locked.state), set()):
        raise DomainError(
            _("La importación está «%(state)s»: ya no se puede %(action)s.")
            % {"state": locked.get_state_display().lower(), "action": ACTION_NAMES.get(to, to)}
        )
    previous, locked.state = locked.state, to
    fields = ["state", "updated_at"]
    if to == AdminImportState.DISCARDED:
        locked.finished_at, fields = timezone.now(), [*fields, "finished_at"]
    locked.save(update_fields=fields)
    event_record(actor=actor, subject=locked, action=action or to, from_state=previous, to_state=to)
    return locked


@transaction.atomic
def admin_import_confirm(*, actor: Actor, job: AdminImport) -> AdminImport:
    """Queue a checked file to be imported, all rows or none, in the background."""
    locked = _transition(actor=actor, job=job, to=AdminImportState.CONFIRMED)
    schedule(locked)
    return locked


@transaction.atomic
def admin_import_discard(*, actor: Actor, job: AdminImport) -> AdminImport:
    """Drop a checked, refused or interrupted file without importing anything from it."""
    return _transition(actor=actor, job=job, to=AdminImportState.DISCARDED)


@transaction.atomic
def admin_import_retry(*, actor: Actor, job: AdminImport) -> AdminImport:
    """Run an interrupted job's step again: the import, when it stopped while importing (nothing of it committed);
    the check otherwise.

    Idempotent: only an interrupted job moves; one already retried (waiting, running or finished) is returned as it
    is, so a second click, or two people at once, start nothing twice.
    """
    locked = _locked_for(actor, job)
    if locked.state != AdminImportState.FAILED:
        if locked.state == AdminImportState.DISCARDED:
            raise DomainError(_("La importación se descartó; vuelva a cargar el archivo."))
        return locked
    importing = locked.interrupted_step in (AdminImportState.IMPORTING, AdminImportState.CONFIRMED)
    to = AdminImportState.CONFIRMED if importing else AdminImportState.QUEUED
    locked = _transition(actor=actor, job=locked, to=to, action="reintentada")
    AdminImport.objects.filter(pk=locked.pk).update(message="", finished_at=None)
    schedule(locked)
    return locked


# --- The task --------------------------------------------------------------------------------------------------


@background_task
def admin_import_run(job_id: int) -> None:
    """The task: run the step the job waits for (check, or import), if any. Safe to run twice (``run_job``)."""
    run_job(job_id)


def schedule(job: AdminImport) -> None:
    """Have a worker run the job's waiting step once the current transaction commits."""
    step = job.state
    enqueue_on_commit(admin_import_run, job.pk, on_failure=lambda exc: _not_queued(job.pk, step))


def _not_queued(job_id: int, step: str) -> None:
    """The queue refused the task (Redis down): say so on the job, which can be retried once the queue is back."""
    with transaction.atomic():
        job = AdminImport.objects.select_for_update().defer("content").filter(pk=job_id, state=step).first()
        if job is not None:
            _fail(
                job,
                _(
                    "La importación no pudo ponerse en cola: el servicio de tareas no respondió. No se importó nada; "
                    "puede reintentarla o descartarla."
                ),
            )


def run_job(job_id: int) -> AdminImport | None:
    """Claim the job if it waits for a step, and run that step; None when there is nothing to do."""
    job = AdminImport.objects.defer("content").filter(pk=job_id).first()
    if job is None or job.state not in WORKER_TRANSITIONS:
        return None
    step, now = WORKER_TRANSITIONS[AdminImportState(job.state)], timezone.now()
    claimed = AdminImport.objects.filter(pk=job_id, state=job.state, attempt=job.attempt).update(
        state=step, attempt=job.attempt + 1, rows_done=0, updated_at=now, heartbeat_at=now, interrupted_step=""
    )
    if not claimed:
        return None
    job.state, job.attempt, job.heartbeat_at = step, job.attempt + 1, now
    try:
        with _Beacon(job) as beacon:
            _check(job, beacon) if step == AdminImportState.CHECKING else _import(job, beacon)
    except (Interrupted, _Lost):
        logger.warning("Admin import %s was given up for dead while this process ran it; it stopped", job_id)
    except Exception as exc:  # a job must end in a state its page can tell
        logger.exception("Admin import %s failed", job_id)
        job.state = step
        _fail(
            job,
            _("La importación se interrumpió por un error inesperado; no se importó nada. (%(error)s)")
            % {"error": exc.__class__.__name__},
        )
    return job


class _Beacon:
    """The heartbeat and progress of a step that runs inside one long transaction, written through a PostgreSQL
    connection of its own so that other processes see them at once. A write that finds the job taken by another
    attempt (marked interrupted, retried) stops the step (``_Lost``); a write that finds no job at all (a test's
    uncommitted row, invisible to another connection) is ignored: the step's final write decides anyway."""

    def __init__(self, job: AdminImport) -> None:
        self.job, self.done, self.last = job, 0, 0.0
        self.every = min(AdminImport.heartbeat_every().total_seconds() / 3, 2.0)
        self.own: Any = None

    def __enter__(self) -> _Beacon:
        if connection.vendor == "postgresql":
            self.own = connections.create_connection(DEFAULT_DB_ALIAS)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.own is not None:
            self.own.close()

    def row(self) -> None:
        self.done += 1
        if time.monotonic() - self.last >= self.every:
            self.beat()

    def beat(self) -> None:
        self.last = time.monotonic()
        if self.own is None:
            return
        table, now, job = AdminImport._meta.db_table, timezone.now(), self.job
        with self.own.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET heartbeat_at = %s, updated_at = %s, rows_done = LEAST(%s, rows_total) "
                "WHERE id = %s AND attempt = %s AND state = %s",
                [now, now, self.done, job.pk, job.attempt, job.state],
            )
            if cursor.rowcount:
                return
            cursor.execute(f"SELECT 1 FROM {table} WHERE id = %s", [job.pk])
            if cursor.fetchone() is not None:
                raise _Lost


# --- Reading the file with the admin's resource ----------------------------------------------------------------


class _Refused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def model_admin_for(model_label: str) -> Any:
    try:
        model = apps.get_model(model_label)
        return admin.site._registry[model]
    except (LookupError, KeyError, ValueError) as error:
        raise _Refused(_("El catálogo de esta importación ya no existe en la administración.")) from error


def model_admin_or_none(model_label: str) -> Any:
    try:
        return model_admin_for(model_label)
    except _Refused:
        return None


def _resource_and_dataset(job: AdminImport) -> tuple[Any, Any, Any]:
    """The model's admin, a fresh resource and the file's rows; refuses in Spanish what cannot be read."""
    model_admin = model_admin_for(job.model_label)
    resource_class = next((r for r in model_admin.resource_classes or [] if resource_path(r) == job.resource), None)
    input_format = next((f for f in model_admin.get_import_formats() if f().get_title() == job.input_format), None)
    if resource_class is None or input_format is None:
        raise _Refused(_("La administración de este catálogo ya no importa archivos de esta clase."))
    reader = input_format(encoding=model_admin.from_encoding)
    content = bytes(AdminImport.objects.filter(pk=job.pk).values_list("content", flat=True).get())
    try:
        data: Any = content if reader.is_binary() else content.decode(model_admin.from_encoding or "utf-8-sig")
        dataset = reader.create_dataset(data)
    except Exception as error:  # any reader's complaint: the person chose the wrong format, or a damaged file
        raise _Refused(
            _(
                "No se pudo leer el archivo como %(format)s (%(error)s). Revise que el formato elegido sea el del "
                "archivo."
            )
            % {"format": job.input_format.upper(), "error": type(error).__name__}
        ) from error
    if not len(dataset):
        raise _Refused(_("No hay datos que importar: revise que el archivo tenga encabezados y filas."))
    return model_admin, resource_class(), dataset


def _load(job: AdminImport, beacon: _Beacon) -> tuple[Any, Any, Any]:
    model_admin, resource, dataset = _resource_and_dataset(job)
    job.rows_total = len(dataset)
    AdminImport.objects.filter(pk=job.pk, attempt=job.attempt).update(rows_total=job.rows_total)
    resource.on_row = beacon.row
    return model_admin, resource, dataset


# --- Step 1: the check (a dry run) and its preview -------------------------------------------------------------


def _check(job: AdminImport, beacon: _Beacon) -> None:
    try:
        _model_admin, resource, dataset = _load(job, beacon)
    except _Refused as refusal:
        _finish(job, AdminImportState.REFUSED, from_state=AdminImportState.CHECKING, message=refusal.message)
        return
    result = resource.import_data(dataset, dry_run=True, raise_errors=False, file_name=job.file_name, user=_actor(job))
    counts, preview = summary(result)
    if counts["error"]:
        target = AdminImportState.REFUSED
    elif counts["new"] + counts["update"] + counts["delete"]:
        target = AdminImportState.READY
    else:
        target = AdminImportState.UNCHANGED
    _finish(job, target, from_state=AdminImportState.CHECKING, counts=counts, preview=preview)


def _actor(job: AdminImport) -> Any:
    return get_user_model()._default_manager.get(pk=job.created_by_id)


def summary(result: Result) -> tuple[dict[str, int], dict[str, Any]]:
    """The counts per outcome and what the preview page shows, as JSON the job keeps."""
    errors = _errors(result)
    counts = {kind: result.totals.get(kind, 0) for kind in ("new", "update", "delete", "skip")}
    counts["error"] = len({e["line"] for e in errors if e["line"]}) + (1 if any(not e["line"] for e in errors) else 0)
    shown = [
        {"line": number, "type": row.import_type, "diff": row.diff or []}
        for number, row in enumerate(result.rows, start=1)
        if row.import_type in (RowResult.IMPORT_TYPE_NEW, RowResult.IMPORT_TYPE_UPDATE, RowResult.IMPORT_TYPE_DELETE)
    ][:PREVIEW_ROWS]
    return counts, {
        "headers": [str(h) for h in result.diff_headers],
        "rows": shown,
        "errors": errors[:PREVIEW_ERRORS],
        "errors_total": len(errors),
    }


def _errors(result: Result) -> list[dict[str, Any]]:
    """Every message about the file (line 0) and about each row, in file order."""
    found = [{"line": 0, "messages": [str(e.error)]} for e in result.base_errors]
    rows = [
        (invalid.number, [str(m) for ms in invalid.error_dict.values() for m in ms]) for invalid in result.invalid_rows
    ]
    rows += [(number, [str(e.error) for e in errors]) for number, errors in result.row_errors()]
    found += [{"line": number, "messages": messages} for number, messages in sorted(rows, key=lambda r: r[0])]
    return found


# --- Step 2: the import, all rows or none ----------------------------------------------------------------------


def _import(job: AdminImport, beacon: _Beacon) -> None:
    try:
        model_admin, resource, dataset = _load(job, beacon)
        with transaction.atomic():
            result = resource.import_data(
                dataset,
                dry_run=False,
                raise_errors=False,
                file_name=job.file_name,
                user=_actor(job),
                retain_instance_in_row_result=True,
            )
            counts, preview = summary(result)
            if counts["error"]:
                raise _Changed(counts, preview)
            if not model_admin.get_skip_admin_log():
                _log_entries(result, job.created_by_id)
            # Conditional on still holding the job: if it was given up for dead meanwhile, raising rolls back every
            # row saved above. Done in the import's own transaction, so a committed import is «importada».
            if not _finish(job, AdminImportState.DONE, from_state=AdminImportState.IMPORTING, counts=counts):
                raise Interrupted
            transaction.on_commit(lambda: content_changed(model_admin.model))
    except _Refused as refusal:
        _finish(job, AdminImportState.REFUSED, from_state=AdminImportState.IMPORTING, message=refusal.message)
    except _Changed as changed:
        # The data changed since the preview (another person saved a record the file names): nothing was saved.
        _finish(
            job,
            AdminImportState.REFUSED,
            from_state=AdminImportState.IMPORTING,
            counts=changed.counts,
            preview=changed.preview,
            message=_(
                "No se importó nada: el archivo ya no pasa la revisión. Corrija las filas señaladas y cárguelo de "
                "nuevo."
            ),
        )


class _Changed(Exception):
    def __init__(self, counts: dict[str, int], preview: dict[str, Any]) -> None:
        super().__init__("rows refused at the import")
        self.counts, self.preview = counts, preview


def _log_entries(result: Result, user_pk: int) -> None:
    """The admin's own record of each imported row (what django-import-export's admin writes after an import)."""
    flags = {
        RowResult.IMPORT_TYPE_NEW: ADDITION,
        RowResult.IMPORT_TYPE_UPDATE: CHANGE,
        RowResult.IMPORT_TYPE_DELETE: DELETION,
    }
    for import_type, flag in flags.items():
        instances = [row.instance for row in result.rows if row.import_type == import_type and row.instance]
        if instances:
            LogEntry.objects.log_actions(
                user_pk,
                instances,
                flag,
                change_message=_("Importación desde la administración"),
                single_object=False,
            )


# --- Job states ------------------------------------------------------------------------------------------------


def _finish(
    job: AdminImport,
    state: str,
    *,
    from_state: str,
    counts: dict[str, int] | None = None,
    preview: dict[str, Any] | None = None,
    message: str = "",
) -> bool:
    """Move the job from ``from_state`` to ``state`` with its event row, if this attempt still holds it."""
    now = timezone.now()
    fields: dict[str, Any] = {"state": state, "message": message[:2000], "updated_at": now, "heartbeat_at": now}
    if counts is not None:
        fields["counts"] = counts
    if preview is not None:
        fields["preview"] = preview
    if state != AdminImportState.READY:
        fields["finished_at"] = now
    if state in (AdminImportState.READY, AdminImportState.UNCHANGED, AdminImportState.DONE):
        fields["rows_done"] = job.rows_total
    moved = AdminImport.objects.filter(pk=job.pk, attempt=job.attempt, state=from_state).update(**fields)
    if not moved:
        return False
    for name, value in fields.items():
        setattr(job, name, value)
    event_record(
        actor=None, subject=job, action=state, from_state=from_state, to_state=state, note=message or _note(counts)
    )
    return True


def _note(counts: dict[str, int] | None) -> str:
    if not counts:
        return ""
    return ", ".join(
        [
            ngettext("%(n)s nueva", "%(n)s nuevas", counts["new"]) % {"n": counts["new"]},
            ngettext("%(n)s con cambios", "%(n)s con cambios", counts["update"]) % {"n": counts["update"]},
            ngettext("%(n)s sin cambios", "%(n)s sin cambios", counts["skip"]) % {"n": counts["skip"]},
            ngettext("%(n)s con error", "%(n)s con error", counts["error"]) % {"n": counts["error"]},
        ]
    )


def _fail(job: AdminImport, message: str) -> None:
    step, now = job.state, timezone.now()
    moved = AdminImport.objects.filter(pk=job.pk, attempt=job.attempt, state=step).update(
        state=AdminImportState.FAILED, interrupted_step=step, message=message, finished_at=now, updated_at=now
    )
    if moved:
        event_record(
            actor=None, subject=job, action=AdminImportState.FAILED, from_state=step, to_state=AdminImportState.FAILED
        )
        job.state, job.interrupted_step, job.message = AdminImportState.FAILED, step, message


# --- Periodic: dead workers, lost tasks --------------------------------------------------------------------------


def admin_imports_interrupt_stalled(*, now: datetime.datetime | None = None) -> int:
    """Mark interrupted the running jobs whose worker stopped signalling life; how many were.

    Nothing of theirs was imported: each step is one transaction, rolled back when its process died, and unable to
    commit now (its last write is conditional on still holding the job). Safe to run twice, or on two machines.
    """
    now = now or timezone.now()
    interrupted = 0
    for job in AdminImport.objects.stalled(now=now).defer("content", "preview"):
        try:
            with transaction.atomic():
                still = AdminImport.objects.stalled(now=now).filter(pk=job.pk, attempt=job.attempt, state=job.state)
                if still.update(
                    state=AdminImportState.FAILED,
                    interrupted_step=job.state,
                    message=str(INTERRUPTED),
                    finished_at=now,
                    updated_at=now,
                ):
                    event_record(
                        actor=None,
                        subject=job,
                        action=AdminImportState.FAILED,
                        from_state=job.state,
                        to_state=AdminImportState.FAILED,
                        note=str(INTERRUPTED),
                    )
                    interrupted += 1
        except OperationalError:
            continue  # SQLite locked by a worker's long transaction: that worker is alive
    return interrupted


def admin_imports_requeue_waiting(*, now: datetime.datetime | None = None) -> int:
    """Re-enqueue the admin imports waiting for a worker longer than ``TASKS_REQUEUE_AFTER_SECONDS``."""
    return requeue_waiting(
        AdminImport.objects.all(),
        waiting=list(WORKER_TRANSITIONS),
        enqueue=schedule,
        now=now or timezone.now(),
        after=datetime.timedelta(seconds=settings.TASKS_REQUEUE_AFTER_SECONDS),
    )
