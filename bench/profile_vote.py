"""A live vote as one council member lives it, in process: the trivial view, the member's home, the session page
during the vote, the polled live count and the vote POST, requested in turn (so that all of them share the machine's
moments) and their medians printed side by side with the queries of each; ``--profile NAME`` adds cProfile's tables
for the requests whose name contains NAME (e.g. ``--profile POST``).

    .venv/bin/python bench/profile_vote.py [--rounds 40] [--profile POST] [--sql]

Runs against the database ``bench/profile_page.py`` loads (``BENCH_DATABASE_URL``; ``--load`` there once), with the
vote ``bench/pages.py`` ``open_vote()`` opens (made here if none is open). The reader is the first member, the voter
the second, alternating their options; the voter's message cookie is dropped after each POST, as the page the POST
redirects to would consume it. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--profile", help="profile the requests whose name contains this text")
    parser.add_argument("--sql", action="store_true", help="print the queries of each request once")
    args = parser.parse_args()
    from bench.profile_page import configure

    configure(cache=False)
    import django

    django.setup()
    from bench.pages import open_vote

    vote = open_vote()
    cases = _cases(vote)
    counted = {name: _queries(request) for name, request in cases.items()}
    times: dict[str, list[float]] = {name: [] for name in cases}
    profiler = cProfile.Profile()
    for _ in range(args.rounds):
        for name, request in cases.items():
            profiled = bool(args.profile) and args.profile in name
            start = time.perf_counter()
            if profiled:
                profiler.enable()
            request()
            if profiled:
                profiler.disable()
            times[name].append(time.perf_counter() - start)
    anonymous = statistics.median(times["trivial view, anonymous"])
    logged_in = statistics.median(times["trivial view, logged in"])
    print(f"{'':26s} {'median':>10s}  {'× trivial':>9s}  {'× logged in':>11s}  queries")
    for name, queries in counted.items():
        median = statistics.median(times[name])
        ratios = f"{median / anonymous:9.1f}  {median / logged_in:11.1f}"
        print(f"{name:26s} {median * 1000:7.2f} ms  {ratios}  {len(queries):7d}")
        if args.sql:
            print("\n".join("    " + sql[:150] for sql in queries))
    if args.profile:
        stats = pstats.Stats(profiler).strip_dirs()
        stats.sort_stats("cumulative").print_stats(50)
        stats.sort_stats("tottime").print_stats(25)


def _cases(vote: Any) -> dict[str, Callable[[], Any]]:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from councils.models import VoteOption

    users = get_user_model().objects
    anonymous, reader, voter = Client(), Client(), Client()
    reader.force_login(users.get(username=vote.members[0]))
    voter.force_login(users.get(username=vote.members[1]))
    options = list(VoteOption.values)
    cast = [0]

    def get(client: Any, path: str) -> Callable[[], Any]:
        def request() -> Any:
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            return response

        return request

    def post() -> Any:
        cast[0] += 1
        option = options[cast[0] % len(options)]
        response = voter.post(f"/espacio/votaciones/{vote.motion_pk}/votar/", {"option": option})
        assert response.status_code == 302, response.status_code
        voter.cookies.pop("messages", None)
        return response

    return {
        "trivial view, anonymous": get(anonymous, "/salud/"),
        "trivial view, logged in": get(reader, "/salud/"),
        "member's home": get(reader, "/espacio/"),
        "session during the vote": get(reader, f"/espacio/sesiones/{vote.session_pk}/"),
        "live count (polled)": get(reader, f"/espacio/votaciones/{vote.motion_pk}/conteo/"),
        "vote POST": post,
    }


def _queries(request: Callable[[], Any]) -> list[str]:
    """The queries of one request, after two that warm the process's caches."""
    from django.db import connection

    request()
    request()
    queries: list[str] = []
    with connection.execute_wrapper(lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)):
        request()
    return queries


if __name__ == "__main__":
    main()
