"""Requests per second of public pages under load, with the production server, beside a trivial view.

    .venv/bin/python bench/public_load.py [--seconds 10] [--connections 16] [--workers 4]

Builds a scratch PostgreSQL database (``implan_bench`` on 127.0.0.1:5432, dropped and recreated), loads the demo,
starts gunicorn with production settings (DEBUG=0, Redis cache at 127.0.0.1:6379) and drives it with ``wrk``
(Debian package ``wrk``) on the same machine, in one run. Each page is measured twice: as anonymous visitors get it
(page cache on) and with the page cache off, so the figures show both the cache and the cost of building the page.
Prints one line per page and the ratio to the trivial view (``/salud/``, no database). Nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
DATABASE = "postgres://postgres@127.0.0.1:5432/implan_bench"
PORT = 8765


def environment(cache_seconds: int) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": DATABASE,
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "REDIS_URL": "redis://127.0.0.1:6379/3",
        "PUBLIC_PAGE_CACHE_SECONDS": str(cache_seconds),
        "DEMO_PASSWORD": "clave-de-banco-de-pruebas",
        "LOG_LEVEL": "WARNING",
        "DB_PERSISTENT": "1",
    }


def manage(*args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=environment(0), check=True, stdout=subprocess.DEVNULL)


def prepare_database() -> None:
    import psycopg

    with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS implan_bench")
        conn.execute("CREATE DATABASE implan_bench")
    manage("migrate", "--noinput")
    manage("load_demo")
    manage("collectstatic", "--noinput")


def start_server(workers: int, cache_seconds: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "implan.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=environment(cache_seconds),
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/salud/", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


def requests_per_second(path: str, seconds: int, connections: int) -> float:
    url = f"http://127.0.0.1:{PORT}{path}"
    urllib.request.urlopen(url, timeout=30).read()  # warm up (and fill the cache when it is on)
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        raise SystemExit(f"{path}: {non_2xx.group(1)} error responses\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("Falta wrk: apt-get install wrk")
    prepare_database()
    sys.path.insert(0, str(ROOT))
    pages = public_pages()
    print(f"gunicorn {args.workers} workers · wrk 2 threads, {args.connections} connections, {args.seconds} s each")
    print(f"{'page':<42}{'cache on':>12}{'cache off':>12}{'ratio on':>10}{'ratio off':>10}")
    results: dict[str, dict[str, float]] = {}
    for cache_seconds, label in ((600, "on"), (0, "off")):
        server = start_server(args.workers, cache_seconds)
        try:
            for name, path in pages.items():
                results.setdefault(name, {})[label] = requests_per_second(path, args.seconds, args.connections)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    baseline_on, baseline_off = results["trivial view (/salud/)"]["on"], results["trivial view (/salud/)"]["off"]
    for name, figures in results.items():
        print(
            f"{name:<42}{figures['on']:>12.0f}{figures['off']:>12.0f}"
            f"{figures['on'] / baseline_on:>10.2f}{figures['off'] / baseline_off:>10.2f}"
        )


def public_pages() -> dict[str, str]:
    """The pages measured, with a real strategy of the demo."""
    import django

    os.environ.update(environment(0))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "implan.settings")
    django.setup()
    from planning.models import Strategy

    strategy = Strategy.objects.of_published_plans().order_by("number").first()
    return {
        "trivial view (/salud/)": "/salud/",
        "home (/)": "/",
        f"strategy (/plan/estrategias/{strategy.slug[:12]}…)": f"/plan/estrategias/{strategy.slug}/",
        "portfolio list (/proyectos/)": "/proyectos/",
    }


if __name__ == "__main__":
    main()
