"""Benchmark: background work through each backend of Django's Tasks API (implan.tasks), printed, not asserted.

Run it from the project folder with PostgreSQL and Redis at hand (it uses the benchmarks' own database, created and
migrated if missing, and a Redis queue of its own, emptied afterwards):

    .venv/bin/python bench/tasks.py                # 2,000 trivial tasks; a 20,000-row import; 100,000 end to end
    .venv/bin/python bench/tasks.py 5000 100000 200000    # other sizes
    BENCH_DATABASE_URL=postgres://user@host:5432/db BENCH_REDIS_URL=redis://host:6379/0 .venv/bin/python bench/tasks.py

It prints, for the database backend (django-tasks-db on PostgreSQL) and RQ (django-tasks-rq on Redis):
- trivial tasks per second: enqueued (each in its own transaction, as a request does) and run by a real worker of
  the backend in this process (the database worker's loop; an RQ SimpleWorker, which does not fork per task);
- the import of a file through its task (upload → task checks it → confirm → task saves it) against calling the
  same import directly (``services.import_file_now``), best of three each; the goal is within 10 %;
- a 100,000-row file end to end as a planner loads it: upload → preview → confirm → saved, through the workspace's
  own views (Django's test client, in this process) and the backend's worker command as deploy/systemd runs it, in
  a process of its own (``db_worker``, which looks for tasks every second when idle, or ``rqworker``, which waits
  on Redis). Progress is read every 0.1 s (the page itself asks every second), so the figures are the work's.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.import_indicators import _clean, _ensure_database, _world  # noqa: E402 (sets BENCH_DATABASE_URL)

REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
QUEUE = f"bench-{uuid.uuid4().hex[:8]}"
os.environ["TASKS_QUEUE"] = QUEUE
BACKENDS = {"database": "django_tasks_db.DatabaseBackend", "rq": "django_tasks_rq.RQBackend"}


def noop(n: int) -> int:
    return n


def _settings(backend: str) -> dict:
    return {
        "TASKS": {"default": {"BACKEND": BACKENDS[backend], "QUEUES": [QUEUE]}},
        "RQ_QUEUES": {QUEUE: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600}},
    }


def trivial(backend: str, count: int, task) -> tuple[float, float]:
    from django.db import transaction

    from implan import tasks

    start = time.perf_counter()
    for n in range(count):
        with transaction.atomic():
            tasks.enqueue_on_commit(task, n)
    enqueued = time.perf_counter() - start
    start = time.perf_counter()
    ran = tasks.run_waiting_tasks()
    worked = time.perf_counter() - start
    assert ran == count, (backend, ran, count)
    return count / enqueued, count / worked


def import_through_task(user, content: bytes) -> float:
    from django.db import transaction

    from implan import tasks
    from indicators import services
    from indicators.models import ImportJob, ImportJobState

    start = time.perf_counter()
    with transaction.atomic():
        job = services.import_job_create(actor=user, file_name="bench-tareas.csv", content=content)
    tasks.run_waiting_tasks()
    with transaction.atomic():
        job = services.import_job_confirm(actor=user, job=ImportJob.objects.get(pk=job.pk))
    tasks.run_waiting_tasks()
    elapsed = time.perf_counter() - start
    job.refresh_from_db()
    assert job.state == ImportJobState.DONE, (job.state, job.message)
    return elapsed


def import_directly(user, content: bytes) -> float:
    from indicators import services
    from indicators.models import ImportJobState

    start = time.perf_counter()
    job = services.import_file_now(actor=user, file_name="bench-tareas.csv", content=content)
    elapsed = time.perf_counter() - start
    assert job.state == ImportJobState.DONE, (job.state, job.message)
    return elapsed


class Planner:
    """The workspace's own views in this process, as a logged-in planner's browser calls them."""

    def __init__(self, user) -> None:
        from django.test import Client

        # Any host the settings allow; every request over https (production settings redirect plain http).
        self.client = Client(HTTP_HOST=_allowed_host())
        self.client.force_login(user)

    def upload(self, name: str, content: bytes) -> int:
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.urls import reverse

        upload = SimpleUploadedFile(name, content, content_type="text/csv")
        response = self.client.post(reverse("indicators:import_list"), {"file": upload}, secure=True)
        assert response.status_code == 302, response.status_code
        return int(response["Location"].rstrip("/").split("/")[-1])

    def wait(self, job_id: int, states: set[str], seconds: float = 1800) -> str:
        from django.urls import reverse

        url, deadline = reverse("indicators:import_progress", args=[job_id]), time.monotonic() + seconds
        while time.monotonic() < deadline:
            state = self.client.get(url, secure=True).json()["state"]
            if state in states:
                return state
            time.sleep(0.1)
        raise TimeoutError(f"job {job_id} still not in {states} after {seconds} s")

    def page(self, job_id: int) -> str:
        from django.urls import reverse

        response = self.client.get(reverse("indicators:import_detail", args=[job_id]), secure=True)
        assert response.status_code == 200, response.status_code
        return response.content.decode()

    def confirm(self, job_id: int) -> None:
        from django.urls import reverse

        assert self.client.post(reverse("indicators:import_confirm", args=[job_id]), secure=True).status_code == 302


def _allowed_host() -> str:
    from django.conf import settings

    return next((host.lstrip(".") for host in settings.ALLOWED_HOSTS if host != "*"), "localhost")


def _job_states() -> type:
    # Imported once Django is set up (the benchmark sets its environment first).
    from indicators.models import ImportJobState

    return ImportJobState


def _checked() -> set[str]:
    states = _job_states()
    return {states.READY, states.REFUSED, states.UNCHANGED, states.FAILED}


def _saved() -> set[str]:
    states = _job_states()
    return {states.DONE, states.FAILED}


def worker_process(backend: str, log) -> subprocess.Popen:
    """The backend's worker as deploy/systemd/implan-worker-{db,rq}@.service runs it, on the benchmark's queue."""
    command = (
        ["db_worker", f"--queue-name={QUEUE}", "--no-reload", f"--worker-id={QUEUE}-1"]
        if backend == "database"
        else ["rqworker", "--job-class", "django_tasks_rq.Job", "--name", f"{QUEUE}-1", QUEUE]
    )
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "CACHE_KEY_PREFIX"}}
    env["TASKS_BACKEND"] = backend
    if backend == "rq":  # its cache is then Redis too: its keys carry the queue's name, to be deleted afterwards
        env.update(REDIS_URL=REDIS_URL, CACHE_KEY_PREFIX=QUEUE)
    return subprocess.Popen(
        [sys.executable, "manage.py", *command], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )


def end_to_end(planner: Planner, content: bytes) -> dict[str, float]:
    """Seconds of each step of one file, from the upload's request to the page that says it was saved."""
    times, start = {}, time.perf_counter()
    job_id = planner.upload("bench-e2e.csv", content)
    times["subida"] = time.perf_counter() - start
    state = planner.wait(job_id, _checked())
    assert state == _job_states().READY, state
    times["revisión"] = time.perf_counter() - start - times["subida"]
    mark = time.perf_counter()
    planner.page(job_id)
    planner.confirm(job_id)
    times["vista previa y confirmación"] = time.perf_counter() - mark
    mark = time.perf_counter()
    assert planner.wait(job_id, _saved()) == _job_states().DONE
    times["guardado"] = time.perf_counter() - mark
    assert "Aplicada" in planner.page(job_id)
    times["total"] = time.perf_counter() - start
    return times


def end_to_end_with_a_worker(backend: str, rows: int) -> dict[str, float]:
    from indicators.models import Observation

    _clean()
    user, content = _world(rows)
    planner = Planner(user)
    with tempfile.TemporaryFile() as log:
        worker = worker_process(backend, log)
        try:
            # A small file first, so that the figures leave out the worker's start (Django's setup, imports).
            warm_up = planner.upload("bench-calentamiento.csv", b"\n".join(content.splitlines()[:11]) + b"\n")
            planner.wait(warm_up, _checked(), seconds=120)
            times = end_to_end(planner, content)
        finally:
            worker.terminate()  # both workers end the task at hand first
            worker.wait(timeout=600)
            log.seek(0)
            output = log.read().decode(errors="replace")
    saved = Observation.objects.filter(source_file="bench-e2e.csv").count()
    assert saved == rows, (saved, rows, output[-3000:])
    return times


ENQUEUED: list[str] = []


def _remember(sender: object, task_result, **kwargs: object) -> None:
    ENQUEUED.append(task_result.id)


def _forget_queue() -> None:
    """Delete the benchmark's keys only: its queue's (registries, workers) by name, its jobs' by id."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    ids = set(ENQUEUED)
    doomed = [
        key
        for key in client.scan_iter(match="rq:*", count=1000)
        if QUEUE in key.decode() or key.decode().rsplit(":", 1)[-1] in ids
    ]
    doomed += list(client.scan_iter(match=f"{QUEUE}:*", count=1000))  # the RQ worker's cache (CACHE_KEY_PREFIX)
    if doomed:
        client.delete(*doomed)
    client.srem("rq:queues", f"rq:queue:{QUEUE}")
    for worker in client.smembers("rq:workers"):
        if QUEUE.encode() in worker:
            client.srem("rq:workers", worker)


def main(count: int, rows: int, e2e_rows: int) -> None:
    _ensure_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import override_settings
    from django_tasks.signals import task_enqueued

    from implan.tasks import background_task

    call_command("migrate", verbosity=0)
    task_enqueued.connect(_remember)
    # The worker finds a task by its module path: the module's name ``noop`` must be the task itself.
    task = globals()["noop"] = background_task(noop)
    print(
        f"Tareas triviales: {count:,}; carga de {rows:,} filas; de principio a fin, {e2e_rows:,} filas "
        f"(PostgreSQL, Redis en {REDIS_URL})"
    )
    try:
        for backend in BACKENDS:
            with override_settings(**_settings(backend)):
                enqueue_rate, run_rate = trivial(backend, count, task)
                print(
                    f"{backend:>8}: {enqueue_rate:,.0f} tareas/s encoladas, {run_rate:,.0f} tareas/s ejecutadas "
                    f"por un trabajador"
                )
        for backend in BACKENDS:
            with override_settings(**_settings(backend)):
                direct, through = [], []
                for _ in range(3):
                    _clean()
                    user, content = _world(rows)
                    direct.append(import_directly(user, content))
                    _clean()
                    through.append(import_through_task(user, content))
                best_direct, best_task = min(direct), min(through)
                print(
                    f"{backend:>8}: carga directa {best_direct:.2f} s, por tareas {best_task:.2f} s "
                    f"(sobrecosto {best_task / best_direct - 1:+.1%})"
                )
        for backend in BACKENDS:
            with override_settings(**_settings(backend)):
                times = end_to_end_with_a_worker(backend, e2e_rows)
                steps = ", ".join(f"{step} {seconds:.2f} s" for step, seconds in times.items())
                print(f"{backend:>8}: de principio a fin, {e2e_rows / times['total']:,.0f} filas/s — {steps}")
    finally:
        _clean()
        _forget_queue()


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 2000,
        int(sys.argv[2]) if len(sys.argv) > 2 else 20_000,
        int(sys.argv[3]) if len(sys.argv) > 3 else 100_000,
    )
