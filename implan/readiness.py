"""Readiness of one app server for a load balancer or a monitor (``/salud/lista/``).

``/salud/`` answers without touching anything (is the process alive?); readiness asks whether this instance can
serve a page: its database and its cache answer. The task queue's backlog is reported too, but as a warning, not
a failure: a backlog is the workers' trouble, shared by every app server alike, and a load balancer that took them
all out of rotation for it would turn a delay into an outage.

What the public gets back names the failing part in a word and nothing else: no exception text, host or port.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

# The words of the answer are part of a machine-read contract (load balancers, monitors): fixed, not translated.
DATABASE = "base de datos"
CACHE = "caché"
TASK_QUEUE = "cola de tareas"
READY = "lista"
NOT_READY = "no lista"


@dataclass
class Readiness:
    failures: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return not self.failures

    def as_json(self) -> dict[str, object]:
        body: dict[str, object] = {"estado": READY if self.ready else NOT_READY}
        if self.failures:
            body["fallas"] = self.failures
        if self.warnings:
            body["avisos"] = self.warnings
        return body


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        # The details go to the log (journald), never to the answer.
        logger.exception("Readiness: the database does not answer")
        return False


def cache_answers() -> bool:
    """A write and a read back: a cache that accepts connections but cannot store is not ready either."""
    key, token = "readiness:probe", uuid.uuid4().hex
    try:
        cache.set(key, token, timeout=10)
        return cache.get(key) == token
    except Exception:
        logger.exception("Readiness: the cache does not answer")
        return False


def oldest_waiting_task_age() -> datetime.timedelta | None:
    """HOOK for the task engine: how long the oldest task has waited for a worker; None when no task backend is
    configured or nothing waits.

    The engine names its probe in ``settings.READINESS_QUEUE_PROBE`` (a dotted path to a function with this
    signature), so the core needs to import no app nor any task backend.
    """
    if not settings.READINESS_QUEUE_PROBE:
        return None
    probe: Callable[[], datetime.timedelta | None] = import_string(settings.READINESS_QUEUE_PROBE)
    try:
        return probe()
    except Exception:
        # The queue's store is unreachable: a warning like a backlog (see the module's docstring).
        logger.exception("Readiness: the task queue cannot be read")
        return datetime.timedelta.max


def check() -> Readiness:
    result = Readiness()
    if not database_answers():
        result.failures.append(DATABASE)
    if not cache_answers():
        result.failures.append(CACHE)
    if not result.ready:
        # The answer names what failed, and only that: with the database backend the queue is a table of the
        # database that just failed, and a second wait on a store that does not answer would only slow the probe.
        return result
    waited = oldest_waiting_task_age()
    if waited is not None and waited > datetime.timedelta(seconds=settings.READINESS_QUEUE_LAG_SECONDS):
        result.warnings.append(TASK_QUEUE)
    return result
