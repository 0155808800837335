"""Where the time of a page build goes: cProfile of N in-process requests, top functions by cumulative and own time.

    .venv/bin/python bench/profile_page.py [PATH ...] [--times 50] [--top 30] [--user USERNAME] [--cache]
    .venv/bin/python bench/profile_page.py / /proyectos/ --times 100

Runs against an existing database with the demo loaded (``BENCH_DATABASE_URL``, default ``implan_bench_profile`` on
127.0.0.1:5432; ``--load`` drops, recreates and loads it first). Production-like settings: DEBUG off, page cache off
unless ``--cache`` (then the first request fills it and the profile shows the hits); fragments by content version
(``{% content_cache %}``) on unless ``--no-fragments``. ``--user`` logs a demo user in
(the workspace pages). Each path is requested once to warm up, then N times under the profiler; the median wall time
and the number of SQL queries of one request are printed before the tables. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/implan_bench_profile")


def configure(cache: bool, fragments: bool = True) -> None:
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "implan.settings")
    os.environ.setdefault("DEMO_PASSWORD", "clave-de-banco-de-pruebas")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 50)
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    os.environ["DB_PERSISTENT"] = "1"
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ["PUBLIC_PAGE_CACHE_SECONDS"] = "600" if cache else "0"
    os.environ["FRAGMENT_CACHE_SECONDS"] = "600" if fragments else "0"


def load() -> None:
    from urllib.parse import urlsplit

    import psycopg

    name = urlsplit(DATABASE_URL).path.lstrip("/")
    with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    for command in (["migrate", "--noinput"], ["load_demo"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=["/"])
    parser.add_argument("--times", type=int, default=50)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--user", help="username of a demo user to log in")
    parser.add_argument("--cache", action="store_true", help="profile cache hits instead of page builds")
    parser.add_argument("--no-fragments", action="store_true", help="build every {% content_cache %} part too")
    parser.add_argument("--load", action="store_true", help="drop, recreate and load the demo first")
    parser.add_argument("--sql", action="store_true", help="print the queries of one request")
    parser.add_argument("--callers", help="also print the callers of functions matching this text")
    args = parser.parse_args()
    configure(args.cache, fragments=not args.no_fragments)
    if args.load:
        load()
    import django

    django.setup()
    from django.test import Client

    client = Client()
    if args.user:
        from django.contrib.auth import get_user_model

        client.force_login(get_user_model().objects.get(username=args.user))
    for path in args.paths:
        profile_one(client, path, args)


def profile_one(client: Any, path: str, args: argparse.Namespace) -> None:
    from django.db import connection

    response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path}: {response.status_code}")
    queries: list[str] = []
    with connection.execute_wrapper(lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)):
        client.get(path)
    plain = []
    for _ in range(args.times):
        start = time.perf_counter()
        client.get(path)
        plain.append(time.perf_counter() - start)
    timings = []
    profiler = cProfile.Profile()
    for _ in range(args.times):
        start = time.perf_counter()
        profiler.enable()
        client.get(path)
        profiler.disable()
        timings.append(time.perf_counter() - start)
    print(
        f"\n=== {path}: median {statistics.median(plain) * 1000:.1f} ms "
        f"({statistics.median(timings) * 1000:.1f} ms profiled), {len(queries)} queries ==="
    )
    if args.sql:
        print("\n".join(sql[:160] for sql in queries))
    stats = pstats.Stats(profiler).strip_dirs()
    stats.sort_stats("cumulative").print_stats(args.top)
    stats.sort_stats("tottime").print_stats(args.top)
    if args.callers:
        stats.print_callers(args.callers)


if __name__ == "__main__":
    main()
