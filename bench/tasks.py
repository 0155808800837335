"""Benchmark: background work through each backend of Django's Tasks API (implan.tasks), printed, not asserted.

Run it from the project folder with PostgreSQL and Redis at hand (it uses the benchmarks' own database, created and
migrated if missing, and a Redis queue of its own, emptied afterwards):

    .venv/bin/python bench/tasks.py                # 2,000 trivial tasks; a 20,000-row import
    .venv/bin/python bench/tasks.py 5000 100000    # other sizes
    BENCH_DATABASE_URL=postgres://user@host:5432/db BENCH_REDIS_URL=redis://host:6379/0 .venv/bin/python bench/tasks.py

It prints, for the database backend (django-tasks-db on PostgreSQL) and RQ (django-tasks-rq on Redis):
- trivial tasks per second: enqueued (each in its own transaction, as a request does) and run by a real worker of
  the backend in this process (the database worker's loop; an RQ SimpleWorker, which does not fork per task);
- the import of a file through its task (upload → task checks it → confirm → task saves it) against calling the
  same import directly (``services.import_file_now``), best of three each; the goal is within 10 %.
"""

from __future__ import annotations

import os
import sys
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
    if doomed:
        client.delete(*doomed)
    client.srem("rq:queues", f"rq:queue:{QUEUE}")


def main(count: int, rows: int) -> None:
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
    print(f"Tareas triviales: {count:,}; carga de {rows:,} filas (PostgreSQL, Redis en {REDIS_URL})")
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
    finally:
        _clean()
        _forget_queue()


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 2000,
        int(sys.argv[2]) if len(sys.argv) > 2 else 20_000,
    )
