"""Real gunicorn processes for the tests that need more than the test client: several instances, or an instance whose
database or cache is out of reach. Each runs the production settings (DEBUG off) behind a pretend TLS proxy: the
tests send ``X-Forwarded-Proto: https`` as nginx does (deploy/nginx/implan.conf). Beside them, real RQ workers run
by the command of deploy/systemd/implan-worker-rq@.service."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
SECRET_KEY = "clave-de-prueba-compartida-por-todas-las-instancias-0123456789"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def closed_port() -> int:
    """A port on which nothing listens (it was free a moment ago): a connection to it is refused at once."""
    return free_port()


def live_database_url() -> str:
    """The test database pytest-django created (test_<name>), which the test's own connection is using."""
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@dataclass
class Instance:
    port: int
    process: subprocess.Popen
    log: Path

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def production_environment(**overrides: str) -> dict[str, str]:
    """What deploy/implan.env sets, for a server on 127.0.0.1 behind a TLS proxy."""
    inherited = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DEBUG", "CACHE_KEY_PREFIX"}}
    return {
        **inherited,
        "DEBUG": "0",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_PROXY_SSL_HEADER": "1",
        "DATABASE_URL": live_database_url(),
        **overrides,
    }


@contextmanager
def gunicorn(count: int = 1, *, workers: int = 1, **environment: str) -> Iterator[list[Instance]]:
    """``count`` gunicorn instances on free ports, started together and stopped at the end."""
    instances = [_start(workers, production_environment(**environment)) for _ in range(count)]
    try:
        for instance in instances:
            _wait_until_up(instance)
        yield instances
    finally:
        for instance in instances:
            instance.process.send_signal(signal.SIGTERM)
        for instance in instances:
            instance.process.wait(timeout=30)
            instance.log.unlink(missing_ok=True)


def _start(workers: int, environment: dict[str, str]) -> Instance:
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "implan.wsgi", f"--workers={workers}", f"--bind=127.0.0.1:{port}"]
    log = Path(tempfile.mkstemp(prefix=f"gunicorn-{port}-", suffix=".log")[1])
    with log.open("w") as output:  # the child keeps its own copy of the descriptor
        process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT)
    return Instance(port=port, process=process, log=log)


def proxied(url: str, **headers: str) -> urllib.request.Request:
    """A request as nginx passes it on: over TLS (X-Forwarded-Proto), so the portal does not redirect to https."""
    return urllib.request.Request(url, headers={"X-Forwarded-Proto": "https", **headers})


def _wait_until_up(instance: Instance, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if instance.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {instance.process.returncode}:\n{instance.log_tail()}")
        try:
            with urllib.request.urlopen(proxied(f"{instance.url}/salud/"), timeout=2):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"gunicorn did not answer within {seconds} s:\n{instance.log_tail()}")


@dataclass
class Worker:
    name: str
    process: subprocess.Popen
    log: Path

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]


@contextmanager
def rq_workers(count: int, *, queue: str, **environment: str) -> Iterator[list[Worker]]:
    """``count`` RQ workers on ``queue``, each ``manage.py rqworker`` in a process of its own as deploy/ runs them
    (deploy/systemd/implan-worker-rq@.service). Their names carry the queue's, so that a test's cleanup finds their
    keys in the shared Redis."""
    env = production_environment(**{**environment, "TASKS_BACKEND": "rq", "TASKS_QUEUE": queue})
    workers = [_start_worker(f"{queue}-trabajador-{n}", queue, env) for n in range(1, count + 1)]
    try:
        yield workers
    finally:
        for worker in workers:
            worker.process.send_signal(signal.SIGTERM)  # RQ's warm shutdown: the job at hand ends first
        for worker in workers:
            try:
                worker.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.process.kill()
                worker.process.wait()
            worker.log.unlink(missing_ok=True)


def _start_worker(name: str, queue: str, environment: dict[str, str]) -> Worker:
    command = [sys.executable, "manage.py", "rqworker", "--job-class", "django_tasks_rq.Job", "--name", name, queue]
    log = Path(tempfile.mkstemp(prefix=f"rqworker-{name}-", suffix=".log")[1])
    with log.open("w") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT)
    return Worker(name=name, process=process, log=log)
