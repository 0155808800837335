"""A load whose worker dies is marked interrupted within a minute, saves nothing, and can be retried (once) or
discarded in place by whoever may decide on it."""

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from implan import tasks
from implan.errors import DomainError
from implan.events import events_for
from indicators import jobs, services
from indicators.models import ImportJob, ImportJobState, ImportRow, Observation
from tests.factories import ImportJobFactory, IndicatorFactory, MunicipalityFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
CSV = b"indicador,territorio,periodo,valor\n" + b"".join(b"INT-1,11020,%d,%d\n" % (y, y % 7) for y in range(1950, 2025))


def _confirmed(planner, *, background: bool = False) -> ImportJob:
    """A checked file of 75 rows, confirmed, waiting to be saved (by a task, with ``background``)."""
    job = services.import_job_create(actor=planner, file_name="serie.csv", content=CSV, background=False)
    jobs.run_job(job.pk)
    return services.import_job_confirm(actor=planner, job=ImportJob.objects.get(pk=job.pk), background=background)


def _claimed_for_saving(job: ImportJob, *, at: datetime.datetime) -> ImportJob:
    """As a worker leaves the job when its process dies in the middle of saving: claimed, last signal ``at``."""
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJobState.APPLYING, attempt=job.attempt + 1, heartbeat_at=at)
    return ImportJob.objects.get(pk=job.pk)


@pytest.fixture
def world(db):
    MunicipalityFactory()
    IndicatorFactory(code="INT-1")


def test_a_job_silent_for_a_minute_is_marked_interrupted_by_the_periodic_command_once(world, planner):
    last_sign = datetime.datetime(2026, 3, 2, 23, 59, 50, tzinfo=datetime.UTC)
    job = _claimed_for_saving(_confirmed(planner), at=last_sign)
    with time_machine.travel(last_sign + datetime.timedelta(seconds=59), tick=False):
        call_command("mark_stalled_jobs", stdout=open(os.devnull, "w"))
        assert ImportJob.objects.get(pk=job.pk).state == ImportJobState.APPLYING  # still within its minute
    with time_machine.travel(last_sign + datetime.timedelta(seconds=61), tick=False):
        call_command("mark_stalled_jobs", stdout=open(os.devnull, "w"))
        call_command("mark_stalled_jobs", stdout=open(os.devnull, "w"))  # cron may well run it twice
    job.refresh_from_db()
    assert (job.state, job.interrupted_step) == (ImportJobState.FAILED, ImportJobState.APPLYING)
    assert "el proceso que la ejecutaba se detuvo" in job.message and "No se guardó nada" in job.message
    assert Observation.objects.count() == 0
    interrupted = [e for e in events_for(job) if e.to_state == ImportJobState.FAILED]
    assert [(e.actor, e.from_state) for e in interrupted] == [(None, "guardando")]
    assert ImportRow.objects.filter(job=job).count() == 75  # kept, so that a retry can save them


def test_retrying_an_interrupted_save_twice_saves_each_value_once(world, planner):
    job = _claimed_for_saving(_confirmed(planner), at=timezone.now() - datetime.timedelta(minutes=5))
    services.import_jobs_interrupt_stalled()
    first = services.import_job_retry(actor=planner, job=job)
    second = services.import_job_retry(actor=planner, job=job)  # a double click, or a colleague at the same time
    assert first.state == second.state == ImportJobState.CONFIRMED
    assert jobs.run_job(job.pk) is not None and jobs.run_job(job.pk) is None
    job.refresh_from_db()
    assert job.state == ImportJobState.DONE and job.counts["nueva"] == 75
    assert Observation.objects.count() == 75 and Observation.history.count() == 75
    assert [e.action for e in events_for(job)].count("reintentada") == 1


def test_a_process_given_up_for_dead_cannot_finish_its_save_behind_the_retry(world, planner):
    job = _confirmed(planner)
    zombie = _claimed_for_saving(job, at=timezone.now() - datetime.timedelta(minutes=5))
    services.import_jobs_interrupt_stalled()
    with pytest.raises(jobs.Interrupted):
        jobs.apply(zombie)  # it wakes up after all: its next heartbeat finds the job no longer its own
    with pytest.raises(jobs.Interrupted), transaction.atomic():
        jobs._save(zombie, returning=True)  # even past its heartbeat: the end of the save rolls it all back
    assert Observation.objects.count() == 0 and Observation.history.count() == 0
    services.import_job_retry(actor=planner, job=job)
    jobs.run_job(job.pk)
    assert Observation.objects.count() == 75 and Observation.history.count() == 75


def test_an_interrupted_check_is_retried_by_checking_the_file_again(world, planner):
    job = ImportJobFactory(
        created_by=planner,
        file_name="serie.csv",
        content=CSV,
        state=ImportJobState.VALIDATING,
        attempt=1,
        heartbeat_at=timezone.now() - datetime.timedelta(minutes=5),
    )
    services.import_jobs_interrupt_stalled()
    assert services.import_job_retry(actor=planner, job=job).state == ImportJobState.QUEUED
    jobs.run_job(job.pk)
    assert ImportJob.objects.get(pk=job.pk).state == ImportJobState.READY


def test_only_whoever_may_decide_on_the_file_retries_or_discards_it(client, world, planner, administrator):
    job = _claimed_for_saving(_confirmed(planner), at=timezone.now() - datetime.timedelta(minutes=5))
    services.import_jobs_interrupt_stalled()
    colleague = UserFactory(username="otra_planeadora", roles=["Planeación"])
    with pytest.raises(PermissionDenied, match="Solo quien cargó el archivo"):
        services.import_job_retry(actor=colleague, job=job)
    client.force_login(colleague)
    assert client.post(reverse("indicators:import_retry", args=[job.pk])).status_code == 403
    assert client.post(reverse("indicators:import_discard", args=[job.pk])).status_code == 403
    client.force_login(UserFactory(username="consejera", roles=["Consejero"]))
    assert client.post(reverse("indicators:import_retry", args=[job.pk])).status_code == 404
    assert ImportJob.objects.get(pk=job.pk).state == ImportJobState.FAILED
    services.import_job_discard(actor=administrator, job=job)
    job.refresh_from_db()
    assert job.state == ImportJobState.DISCARDED and not ImportRow.objects.filter(job=job).exists()
    with pytest.raises(DomainError, match="se descartó"):
        services.import_job_retry(actor=planner, job=job)


def test_a_worker_killed_while_saving_is_noticed_within_a_minute_and_the_retry_saves_once(client, tasks_backend):
    from django.contrib.auth.models import Group

    from implan import roles

    for name in roles.ALL_ROLES:
        Group.objects.get_or_create(name=name)
    MunicipalityFactory()
    IndicatorFactory(code="INT-1")
    planner = UserFactory(username="planeadora_muerte", roles=[roles.PLANNING])
    job = _confirmed(planner, background=True)  # its task waits on the queue
    with connection.cursor() as cursor:  # another import is saving: the worker will wait for its turn, beating
        cursor.execute("SELECT pg_advisory_lock(%s)", [jobs.ADVISORY_LOCK_KEY])
    worker = _worker_process(tasks_backend)
    try:
        claimed = _wait(lambda: ImportJob.objects.filter(pk=job.pk, state=ImportJobState.APPLYING).first())
        _wait(lambda: ImportJob.objects.filter(pk=job.pk, heartbeat_at__gt=claimed.heartbeat_at).exists())
    finally:
        _kill_with_children(worker.pid)  # the machine goes down: the worker and the process it forked for the job
        worker.wait()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [jobs.ADVISORY_LOCK_KEY])
    last_sign = ImportJob.objects.get(pk=job.pk).heartbeat_at
    client.force_login(planner)
    progress_url = reverse("indicators:import_progress", args=[job.pk])
    with time_machine.travel(last_sign + datetime.timedelta(seconds=59), tick=False):
        assert client.get(progress_url).json()["state"] == "guardando"  # silent for less than a minute: alive
    with time_machine.travel(last_sign + datetime.timedelta(seconds=61), tick=False):
        progress = client.get(progress_url).json()
        assert (progress["state"], progress["running"]) == ("fallida", False)  # the open page reloads on this
        html = client.get(reverse("indicators:import_detail", args=[job.pk])).content.decode()
    assert "Reintentar" in html and "Descartar" in html and "Guardando…" not in html
    assert Observation.objects.count() == 0
    client.post(reverse("indicators:import_retry", args=[job.pk]))
    client.post(reverse("indicators:import_retry", args=[job.pk]))  # a double click
    assert tasks.run_waiting_tasks() == 1
    assert ImportJob.objects.get(pk=job.pk).state == ImportJobState.DONE
    assert Observation.objects.count() == 75 and Observation.history.count() == 75


def _kill_with_children(pid: int) -> None:
    """SIGKILL a process and its children (RQ's work horse runs the job in a child, in a session of its own)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended while being read
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    for process in [*children, pid]:
        try:
            os.kill(process, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _worker_process(backend: str) -> subprocess.Popen:
    """The backend's own worker command in a process of its own, as production runs it, beating four times a
    second."""
    from django.conf import settings

    queue = settings.TASKS_QUEUE
    command = (
        ["db_worker", "--batch", "--no-reload", "--no-startup-delay", "--queue-name", queue]
        if backend == "database"
        else ["rqworker", "--burst", "--job-class", "django_tasks_rq.Job", "--name", f"{queue}-rq", queue]
    )
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "TASKS_BACKEND": backend,
        "TASKS_QUEUE": queue,
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "INDICATOR_IMPORT_HEARTBEAT_SECONDS": "0.25",
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        env=env,
    )


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def _wait(found, seconds: float = 30):  # a test helper
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := found():
            return result
        time.sleep(0.05)
    raise AssertionError("no llegó a tiempo")
