"""Several gunicorn workers without a shared cache would each serve their own stale pages: gunicorn says so at start."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.servers


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_log(workers: int, **env: str) -> str:
    """What gunicorn prints until its workers are up (the master's hook runs before them)."""
    clean = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "implan.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{_free_port()}",
        ],
        cwd=ROOT,
        env={**clean, "DEBUG": "1", **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        # Its own process group, so the master and the workers still booting go together.
        start_new_session=True,
    )
    log, deadline = [], time.monotonic() + 60
    try:
        for line in process.stdout:
            log.append(line)
            if "Booting worker" in line or time.monotonic() > deadline:
                break
    finally:
        # Not SIGTERM: a graceful stop waits up to 30 s for workers still importing Django
        # (on a loaded machine with 4 workers, longer than the test's patience). Only the log matters here.
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    return "".join(log)


@pytest.mark.parametrize("workers", [2, 4])
def test_several_workers_without_redis_are_warned_at_start(workers):
    log = _start_log(workers)
    assert f"Sin REDIS_URL cada uno de los {workers} procesos" in log


def test_one_worker_or_a_shared_cache_starts_without_the_warning():
    assert "Sin REDIS_URL" not in _start_log(1)
    assert "Sin REDIS_URL" not in _start_log(2, REDIS_URL="redis://127.0.0.1:6379/1")
