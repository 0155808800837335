"""Requests per second of public and workspace pages under load, with the production server, beside a trivial view.

    .venv/bin/python bench/public_load.py [--seconds 10] [--connections 16] [--workers 4] [--database implan_bench]

Builds a scratch PostgreSQL database (``--database`` on 127.0.0.1:5432, dropped and recreated), loads the demo, opens a
vote in a session of the Consejo Consultivo (``bench/pages.py``), starts gunicorn with production settings (DEBUG=0,
Redis cache at 127.0.0.1:6379) and drives it with ``wrk`` (Debian package ``wrk``) on the same machine, in one run.

- Each public page type is measured twice: as anonymous visitors get it (page cache on) and with the page cache off,
  so the figures show both the cache and the cost of building the page.
- Workspace pages are measured logged in (never cached): a member's home, the session page during the open vote, the
  live vote count it polls, the plan workspace and a budget's lines.
- The polled session: 25 members poll the live vote count every 5 s while the 25 vote (each POSTs a vote every few
  seconds, changing it, as the page allows while the vote is open); prints the median and 95th percentile of the vote
  POSTs beside the trivial view's latency probed at the same time, and any error.

Prints every ratio of issue 19 against the trivial view (``/salud/``, no database) and whether it meets its aim. The
trivial view is measured between every two pages; each page's ratio is against the mean of the two around it.
Nothing is asserted: other work on the machine moves the absolute figures; the ratios are measured side by side.
"""

from __future__ import annotations

import argparse
import functools
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
DATABASE = "postgres://postgres@127.0.0.1:5432/implan_bench"
PORT = 8765
AIM_UNCACHED, AIM_CACHED, AIM_WORKSPACE, AIM_VOTE_LATENCY = 0.10, 0.80, 0.10, 10.0


def environment(cache_seconds: int, fragment_seconds: int = 600) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": DATABASE,
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "REDIS_URL": "redis://127.0.0.1:6379/3",
        "PUBLIC_PAGE_CACHE_SECONDS": str(cache_seconds),
        "FRAGMENT_CACHE_SECONDS": str(fragment_seconds),
        "DEMO_PASSWORD": "clave-de-banco-de-pruebas",
        "LOG_LEVEL": "WARNING",
        "DB_PERSISTENT": "1",
        "EMAIL_URL": "console://",
        # Several runs (of several people) may share the Redis: each keeps its pages under its database's name.
        "CACHE_KEY_PREFIX": DATABASE.rsplit("/", 1)[1],
    }


def manage(*args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=environment(0), check=True, stdout=subprocess.DEVNULL)


def prepare_database() -> None:
    import psycopg

    name = DATABASE.rsplit("/", 1)[1]
    with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    manage("migrate", "--noinput")
    manage("load_demo")
    manage("collectstatic", "--noinput")


def start_server(workers: int, cache_seconds: int, fragment_seconds: int = 600) -> subprocess.Popen:
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
        env=environment(cache_seconds, fragment_seconds),
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/salud/", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


def requests_per_second(path: str, seconds: int, connections: int, cookie: str = "") -> float:
    url = f"http://127.0.0.1:{PORT}{path}"
    headers = {"Cookie": cookie} if cookie else {}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as warm:
        # Warm up (and fill the cache when it is on); a login page instead of the page would measure the wrong thing.
        if warm.status != 200 or warm.url != url:
            raise SystemExit(f"{path}: {warm.status} {warm.url}")
    output = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            *(["-H", f"Cookie: {cookie}"] * bool(cookie)),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        raise SystemExit(f"{path}: {non_2xx.group(1)} error responses\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def main() -> None:
    global DATABASE, PORT
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--database", default="implan_bench", help="scratch database (dropped and recreated)")
    parser.add_argument("--port", type=int, default=PORT)
    parser.add_argument("--reuse", action="store_true", help="keep the database an earlier run loaded")
    parser.add_argument("--scenario-seconds", type=int, default=30, help="length of the polled-session scenario")
    args = parser.parse_args()
    DATABASE, PORT = f"postgres://postgres@127.0.0.1:5432/{args.database}", args.port
    if shutil.which("wrk") is None:
        raise SystemExit("Falta wrk: apt-get install wrk")
    if args.reuse:
        manage("collectstatic", "--noinput")
    else:
        prepare_database()
    sys.path.insert(0, str(ROOT))
    pages, workspace, vote, cookies = setup_pages()
    print(f"gunicorn {args.workers} workers · wrk 2 threads, {args.connections} connections, {args.seconds} s each")
    results: dict[str, dict[str, float]] = {}
    trivial_around: dict[str, dict[str, float]] = {}
    scenario: dict[str, float] = {}
    for cache_seconds, fragment_seconds, label in ((600, 600, "on"), (0, 600, "off"), (0, 0, "cold")):
        server = start_server(args.workers, cache_seconds, fragment_seconds)
        try:
            # The trivial view is measured between every two pages, and each page is compared with the mean of the
            # two measurements around it: the machine's speed drifts during a run (other work, the CPU's clock), and
            # a page compared with a trivial figure taken minutes earlier carried that drift into its ratio.
            measure = functools.partial(requests_per_second, seconds=args.seconds, connections=args.connections)
            before = measure("/salud/")
            results.setdefault("trivial", {})[label] = before
            for name, path in pages.items():
                if name == "trivial":
                    continue
                results.setdefault(name, {})[label] = measure(path)
                after = measure("/salud/")
                trivial_around.setdefault(name, {})[label] = (before + after) / 2
                before = after
            if label == "on":  # logged-in pages are never cached: production settings, cache on
                for name, (username, path) in workspace.items():
                    results[name] = {"in": measure(path, cookie=cookies[username])}
                    after = measure("/salud/")
                    trivial_around[name] = {"in": (before + after) / 2}
                    before = after
                scenario = polled_session(vote, cookies, args.scenario_seconds)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    report(results, trivial_around, list(pages), list(workspace), scenario)


def report(
    results: dict[str, dict[str, float]],
    trivial_around: dict[str, dict[str, float]],
    public: list[str],
    workspace: list[str],
    scenario: dict[str, float],
) -> None:
    print(
        "\ncache on: anonymous visitors, page cache. cache off: page cache off (what a logged-in user or the first"
        "\nvisitor after a publication gets), fragments kept by content version on. cold: nothing kept at all."
    )
    print(f"{'public page':<14}{'on':>7}{'off':>7}{'cold':>7}{'on/triv':>9}{'off/triv':>10}{'cold/triv':>11}  aims")
    for name in public:
        r, trivial = results[name], trivial_around.get(name, results["trivial"])
        on, off, cold = r["on"] / trivial["on"], r["off"] / trivial["off"], r["cold"] / trivial["cold"]
        verdict = "" if name == "trivial" else f"  on {_meets(on, AIM_CACHED)}, off {_meets(off, AIM_UNCACHED)}"
        print(f"{name:<14}{r['on']:>7.0f}{r['off']:>7.0f}{r['cold']:>7.0f}{on:>9.2f}{off:>10.2f}{cold:>11.2f}{verdict}")
    print(f"\n{'workspace page (logged in)':<28}{'req/s':>10}{'/trivial':>11}")
    for name in workspace:
        ratio = results[name]["in"] / trivial_around[name]["in"]
        print(f"{name:<28}{results[name]['in']:>10.0f}{ratio:>11.2f}  {_meets(ratio, AIM_WORKSPACE)}")
    times = scenario["vote_median_ms"] / scenario["alone_median_ms"]
    verdict = _meets(AIM_VOTE_LATENCY, times) if not scenario["errors"] else "NOT MET (errors)"
    print(
        f"\npolled session: 25 members poll the vote count every 5 s while 25 vote, {scenario['seconds']:.0f} s\n"
        f"  vote POSTs {scenario['votes']:.0f} (median {scenario['vote_median_ms']:.1f} ms, "
        f"p95 {scenario['vote_p95_ms']:.1f} ms), polls {scenario['polls']:.0f} "
        f"(median {scenario['poll_median_ms']:.1f} ms), errors {scenario['errors']:.0f}\n"
        f"  trivial view alone before: median {scenario['alone_median_ms']:.1f} ms; "
        f"probed meanwhile (queued behind the scenario's requests): median {scenario['trivial_median_ms']:.1f} ms\n"
        f"  median vote POST / trivial alone = {times:.1f}×  "
        f"{verdict} (aim < {AIM_VOTE_LATENCY:.0f}×)"
    )


def _meets(ratio: float, aim: float) -> str:
    return "met" if ratio >= aim else "NOT MET"


def setup_pages() -> tuple[dict[str, str], dict[str, tuple[str, str]], object, dict[str, str]]:
    """The measured pages, the open vote, and a logged-in session cookie for every user the workspace pages need."""
    import django

    os.environ.update(environment(0))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "implan.settings")
    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from bench import pages

    vote = pages.open_vote()
    workspace = pages.workspace_pages(vote)
    cookies = {}
    for username in {user for user, _ in workspace.values()} | set(vote.members):
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        cookies[username] = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    return {"trivial": "/salud/", **pages.public_pages()}, workspace, vote, cookies


def polled_session(vote: object, cookies: dict[str, str], seconds: int) -> dict[str, float]:
    """25 members poll the live count every 5 s (as the page does) while the same 25 vote, plus a trivial probe."""
    from councils.models import VoteOption  # Django is set up by setup_pages

    base = f"http://127.0.0.1:{PORT}"
    session_url = f"{base}/espacio/sesiones/{vote.session_pk}/"
    count_url = f"{base}/espacio/votaciones/{vote.motion_pk}/conteo/"
    vote_url = f"{base}/espacio/votaciones/{vote.motion_pk}/votar/"
    timings: dict[str, list[float]] = {"vote": [], "poll": [], "trivial": [], "alone": []}
    errors: list[str] = []
    no_redirect = urllib.request.build_opener(_NoRedirect)

    def timed(kind: str, request: urllib.request.Request, ok: tuple[int, ...] = (200,)) -> bytes:
        start = time.perf_counter()
        try:
            with no_redirect.open(request, timeout=30) as response:
                body, status = response.read(), response.status
        except urllib.error.HTTPError as error:
            body, status = b"", error.code
        except OSError as error:
            errors.append(f"{kind}: {error}")
            return b""
        timings[kind].append(time.perf_counter() - start)
        if status not in ok:
            errors.append(f"{kind}: {status}")
        return body

    def poller(username: str) -> None:
        time.sleep(random.uniform(0, 5))
        while time.monotonic() < deadline:
            timed("poll", urllib.request.Request(count_url, headers={"Cookie": cookies[username]}))
            time.sleep(5)

    def voter(username: str) -> None:
        page = urllib.request.Request(session_url, headers={"Cookie": cookies[username]})
        with no_redirect.open(page, timeout=30) as response:
            token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', response.read()).group(1).decode()
            csrf = re.search(r"csrftoken=([^;]+)", response.headers.get("Set-Cookie", "")).group(1)
        cookie = f"{cookies[username]}; csrftoken={csrf}"
        time.sleep(random.uniform(0, 3))
        while time.monotonic() < deadline:
            option = random.choice([o.value for o in VoteOption])
            data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "option": option}).encode()
            timed("vote", urllib.request.Request(vote_url, data=data, headers={"Cookie": cookie}), ok=(302,))
            time.sleep(random.uniform(2, 4))

    def probe() -> None:
        while time.monotonic() < deadline:
            timed("trivial", urllib.request.Request(f"{base}/salud/"))
            time.sleep(0.2)

    for _ in range(50):  # the trivial view's latency on its own, the aim's yardstick
        timed("alone", urllib.request.Request(f"{base}/salud/"))
    deadline = time.monotonic() + seconds
    threads = [threading.Thread(target=poller, args=(u,)) for u in vote.members]
    threads += [threading.Thread(target=voter, args=(u,)) for u in vote.members]
    threads.append(threading.Thread(target=probe))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for error in sorted(set(errors)):
        print("  error:", error, f"({errors.count(error)}×)")
    votes = sorted(timings["vote"])
    return {
        "seconds": seconds,
        "votes": len(votes),
        "vote_median_ms": statistics.median(votes) * 1000,
        "vote_p95_ms": votes[int(len(votes) * 0.95)] * 1000,
        "polls": len(timings["poll"]),
        "poll_median_ms": statistics.median(timings["poll"]) * 1000,
        "trivial_median_ms": statistics.median(timings["trivial"]) * 1000,
        "alone_median_ms": statistics.median(timings["alone"]) * 1000,
        "errors": len(errors),
    }


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """The vote answers with a redirect to the session page: time the POST alone."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


if __name__ == "__main__":
    main()
