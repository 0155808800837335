"""Fixtures that run background tasks through real workers (a pytest plugin, named in tests/conftest.py).

- ``tasks_backend``: the test runs once on each backend, "database" (django-tasks-db, the test's PostgreSQL) and
  "rq" (django-tasks-rq, the real Redis at 127.0.0.1:6379), each on a queue of its own, so tests that run at the same
  time never take each other's tasks; Redis keeps none of the test's keys afterwards. The test runs the waiting
  tasks with ``implan.tasks.run_waiting_tasks()`` (the backend's own worker, in the test's thread). Use it with
  ``transactional_db``: a task is enqueued when the transaction that asked for it commits.
- ``database_worker``: a database worker polling in a thread for the length of the test, for live-server tests in
  which a page waits for a job as it would with ``bin/start``.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator

import pytest
from django.db import connection
from django_tasks.signals import task_enqueued

REDIS_URL = "redis://127.0.0.1:6379/0"
BACKENDS = {"database": "django_tasks_db.DatabaseBackend", "rq": "django_tasks_rq.RQBackend"}


@pytest.fixture(params=list(BACKENDS))
def tasks_backend(request: pytest.FixtureRequest, settings, transactional_db) -> Iterator[str]:
    queue = f"pruebas-{uuid.uuid4().hex[:12]}"
    settings.TASKS_QUEUE = queue
    settings.RQ_QUEUES = {queue: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}
    settings.TASKS = {"default": {"BACKEND": BACKENDS[request.param], "QUEUES": [queue]}}
    enqueued: list[str] = []

    def remember(sender: object, task_result, **kwargs: object) -> None:
        enqueued.append(task_result.id)

    task_enqueued.connect(remember, weak=False)
    try:
        yield request.param
    finally:
        task_enqueued.disconnect(remember)
        if request.param == "rq":
            _forget_in_redis([queue, *enqueued])


def _forget_in_redis(names: list[str]) -> None:
    """Delete this test's keys only (its queue, registries and worker carry the queue's name; its jobs their id)."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    for name in names:
        keys = list(client.scan_iter(match=f"*{name}*", count=1000))
        if keys:
            client.delete(*keys)
        client.srem("rq:queues", f"rq:queue:{name}")
        for worker in client.smembers("rq:workers"):
            if name.encode() in worker:
                client.srem("rq:workers", worker)


@pytest.fixture
def database_worker(transactional_db) -> Iterator[None]:
    """A real database worker (django-tasks-db's loop) running in a thread while the test runs."""
    from django.conf import settings
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(
        queue_names=[settings.TASKS_QUEUE],
        interval=0.1,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="prueba-en-hilo",
        excluded_queue_names=[],
    )

    def work() -> None:
        try:
            worker.run()
        finally:
            connection.close()  # the thread's own connection, so the test database can be flushed

    thread = threading.Thread(target=work, name="trabajador-de-prueba", daemon=True)
    thread.start()
    try:
        yield
    finally:
        worker.running = False
        thread.join(timeout=30)
