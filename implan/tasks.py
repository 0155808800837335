"""The one door to background work: every app defines and enqueues its tasks through this module.

The engine is Django's Tasks API. Django 5.2 does not ship it yet, so it comes from the ``django-tasks`` backport
(what Django 6 ships as ``django.tasks``); when the project moves to Django 6 only the imports below change. The
backend is chosen by settings (``TASKS_BACKEND``): the database backend (``django-tasks-db``) by default, which
needs no other service, or RQ on Redis (``django-tasks-rq``) to run workers on other machines.

What the apps may rely on, whatever the backend:
- a task runs after the transaction that asked for it commits (``enqueue_on_commit``), never before: the worker
  reads the rows that transaction wrote;
- a task may run twice (a worker that died, a retry, a second enqueue), so each task must be idempotent: the apps'
  tasks claim their own row with a conditional UPDATE and do nothing when there is nothing left to do;
- nothing here tells a task's progress or liveness to people: an app keeps that on its own row (an import job's
  state, progress and heartbeat), because a backend's result store is neither the same in both backends nor
  something a page should read.
"""

from __future__ import annotations

import datetime
import logging
import signal
import uuid
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import TaskResult, task, task_backends
from django_tasks.base import Task
from django_tasks.signals import task_finished

logger = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

__all__ = [
    "Task",
    "TaskResult",
    "background_task",
    "enqueue",
    "enqueue_on_commit",
    "oldest_waiting_task_age",
    "requeue_waiting",
    "run_waiting_tasks",
]


def background_task(function: Callable[P, T]) -> Task[P, T]:
    """Declare a module-level function as a task (its arguments must be JSON: ids, not model instances)."""
    return task(queue_name=settings.TASKS_QUEUE)(function)


def enqueue(background: Task[P, T], *args: P.args, **kwargs: P.kwargs) -> TaskResult[T]:
    """Hand the task to the configured backend now, on this portal's queue (``TASKS_QUEUE``)."""
    return background.using(queue_name=settings.TASKS_QUEUE).enqueue(*args, **kwargs)


def enqueue_on_commit(
    background: Task[P, T], *args: Any, on_failure: Callable[[Exception], None] | None = None, **kwargs: Any
) -> None:
    """Enqueue the task once the current transaction commits (at once outside one).

    When the queue cannot take it (Redis unreachable), the exception is logged and ``on_failure`` is called with it,
    so that the caller can record on its own row that the work will not happen; the request that asked still ends
    well, as its own transaction has committed.
    """

    def hand_over() -> None:
        try:
            enqueue(background, *args, **kwargs)
        except Exception as exc:  # any backend's failure to store the task
            logger.exception("Could not enqueue %s", background.module_path)
            if on_failure is not None:
                on_failure(exc)

    transaction.on_commit(hand_over)


def oldest_waiting_task_age() -> datetime.timedelta | None:
    """How long the oldest task waiting for a worker on this portal's queue has waited; None when none waits.

    The readiness probe (``settings.READINESS_QUEUE_PROBE``, read by ``implan.readiness``): a backlog that grows
    means the workers are down or too few. A task scheduled for later is not waiting until its time comes; a task a
    worker has taken is not waiting either. Errors (the queue's store unreachable) are the caller's to report.
    """
    if _is_rq(task_backends["default"]):
        enqueued = _oldest_enqueued_at_in_rq()
    else:
        enqueued = _oldest_enqueued_at_in_database()
    return None if enqueued is None else max(timezone.now() - enqueued, datetime.timedelta(0))


def _oldest_enqueued_at_in_database() -> datetime.datetime | None:
    from django.db.models import Min
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.ready().filter(queue_name=settings.TASKS_QUEUE, backend_name="default")
    return waiting.aggregate(oldest=Min("enqueued_at"))["oldest"]


# RQ's queue is a list a worker pops from its head, so the head is the oldest job; a few more are read in case the
# head's job expired or was deleted while its id stayed in the list.
RQ_HEAD = 5


def _oldest_enqueued_at_in_rq() -> datetime.datetime | None:
    import django_rq
    from django_tasks_rq.backend import Job

    queue = django_rq.get_queue(settings.TASKS_QUEUE, job_class=Job)
    times = [job.enqueued_at for job in queue.get_jobs(0, RQ_HEAD) if job.enqueued_at is not None]
    return min(times, default=None)


def _is_rq(backend: object) -> bool:
    return type(backend).__module__.startswith("django_tasks_rq")


def run_waiting_tasks() -> int:
    """Run, in this process and thread, every task waiting on this portal's queue, then return how many ran.

    A real worker of the configured backend, not a shortcut: the database backend's worker loop in batch mode, or
    an RQ ``SimpleWorker`` in burst mode against Redis. For tests, benchmarks and one-off runs; servers run the
    backend's own worker command. The signal handlers both workers install are put back afterwards.
    """
    backend = task_backends["default"]
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    ran: list[TaskResult] = []

    def count(sender: object, task_result: TaskResult, **kwargs: object) -> None:
        ran.append(task_result)

    task_finished.connect(count, weak=False)
    try:
        _run_rq() if _is_rq(backend) else _run_database()
    finally:
        task_finished.disconnect(count)
        for sig, handler in saved.items():
            signal.signal(sig, handler)
    return len(ran)


def _run_database() -> None:
    from django_tasks_db.management.commands.db_worker import Worker

    Worker(
        queue_names=[settings.TASKS_QUEUE],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="implan-en-proceso",
        excluded_queue_names=[],
    ).run()


def _run_rq() -> None:
    import django_rq
    from django_tasks_rq.backend import Job
    from rq import SimpleWorker

    queue = django_rq.get_queue(settings.TASKS_QUEUE, job_class=Job)
    name = f"implan-{settings.TASKS_QUEUE}-{uuid.uuid4().hex[:8]}"  # its keys carry the queue's name
    SimpleWorker([queue], name=name, connection=queue.connection, job_class=Job).work(burst=True)


def requeue_waiting(
    queryset: Any, *, waiting: list[str], enqueue: Callable[[Any], None], now: datetime.datetime, after: Any
) -> int:
    """Hand again to the queue the jobs that wait (``waiting`` states) since before ``now - after``: their task was
    lost (the process died between the commit and the enqueue, or the queue's store lost it).

    Each job is taken by a conditional UPDATE that renews its ``updated_at``, so two runs at once, or a run every
    minute, enqueue it once per ``after``; a task that turns up twice finds the job already claimed and does nothing.
    Shared by every kind of job (indicator loads, admin imports): the caller names the queryset and the task.
    """
    from implan.events import event_record  # the models' module, which a task module must not load at import

    cutoff, requeued = now - after, 0
    for pk, state in list(queryset.filter(state__in=waiting, updated_at__lt=cutoff).values_list("pk", "state")):
        with transaction.atomic():
            if queryset.filter(pk=pk, state=state, updated_at__lt=cutoff).update(updated_at=now):
                job = queryset.model(pk=pk, state=state)
                event_record(
                    actor=None,
                    subject=job,
                    action="reencolada",
                    from_state=state,
                    to_state=state,
                    note=_("Seguía en cola sin que un trabajador la tomara; se volvió a poner en cola."),
                )
                enqueue(job)
                requeued += 1
    return requeued
