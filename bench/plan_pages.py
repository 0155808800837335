"""Benchmark: the plan's pages with the demo data and with ten times as much plan (queries and milliseconds).

Run it from the project folder, with PostgreSQL at hand (it uses its own database, dropped and recreated):

    .venv/bin/python bench/plan_pages.py            # demo, then 10× the demo's strategies, objectives and goals
    BENCH_DATABASE_URL=postgres://user@host:5432/db .venv/bin/python bench/plan_pages.py

It loads the demo, measures each page (public plan, a public strategy, the public government plan, the planner's
plan page and the comparison of two plan versions) in-process with Django's test client — median of 7 requests after
one warm-up, plus the number of SQL queries — then grows the plan to 10× (more strategies, each with objectives,
goals with observations and a published programme, all committed in the government plan) and measures again.
Public pages should keep the same number of queries. Nothing is asserted; it prints a table.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/implan_bench_plan")
os.environ["DATABASE_URL"] = DATABASE_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "implan.settings")
os.environ.setdefault("DEMO_PASSWORD", "clave-de-banco-de-pruebas")
os.environ["DEBUG"] = "1"
os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
os.environ.setdefault("PUBLIC_PAGE_CACHE_SECONDS", "0")  # measure building the page, not a cache hit


def _fresh_database() -> None:
    from urllib.parse import urlsplit

    import psycopg

    url = urlsplit(DATABASE_URL)
    name = url.path.lstrip("/")
    with psycopg.connect(
        host=url.hostname,
        port=url.port or 5432,
        user=url.username,
        password=url.password,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def _grow(factor: int) -> None:
    """Add (factor - 1) × the demo's strategies, each with objectives, goals with data and a published programme."""
    import datetime
    from decimal import Decimal

    from implan.models import LifecycleState, Territory, TerritoryKind
    from indicators.models import Indicator, Observation
    from planning.models import Goal, GovernmentPlan, Objective, Programme, StrategicPlan, Strategy

    plan = StrategicPlan.objects.published().get()
    government = GovernmentPlan.objects.published().get()
    municipality = Territory.objects.filter(kind=TerritoryKind.MUNICIPIO).first()
    base = list(plan.strategies.order_by("number"))
    extra = len(base) * (factor - 1)
    for n in range(extra):
        template = base[n % len(base)]
        strategy = Strategy.objects.create(
            plan=plan,
            vertiente=template.vertiente,
            number=100 + n,
            name=f"{template.name} ({n})",
            slug=f"{template.slug}-{n}",
            description=template.description,
        )
        for number in (1, 2):
            objective = Objective.objects.create(strategy=strategy, number=number, title=f"Objetivo {n}.{number}")
            indicator = Indicator.objects.create(
                code=f"BENCH-{n}-{number}",
                name=f"Indicador {n}.{number}",
                slug=f"bench-{n}-{number}",
                definition="Prueba",
                unit="%",
                family="calidad_de_vida",
                polarity="ascendente",
                source="Prueba",
            )
            for year in range(2015, 2025):
                Observation.objects.create(
                    indicator=indicator,
                    territory=municipality,
                    period=str(year),
                    period_start=datetime.date(year, 1, 1),
                    value=Decimal(year - 2000),
                )
            Goal.objects.create(
                objective=objective,
                description=f"Meta {n}.{number}",
                indicator=indicator,
                baseline_value=Decimal("15"),
                baseline_year=2015,
                target_value=Decimal("30"),
                target_year=2030,
            )
        programme = Programme.objects.create(
            code=f"B{n:03d}",
            name=f"Programa {n}",
            slug=f"programa-bench-{n}",
            strategy=strategy,
            state=LifecycleState.PUBLISHED,
        )
        government.programmes.add(programme)


def _measure(client: object, url: str) -> tuple[int, float]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    times = []
    for _ in range(7):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return len(queries), statistics.median(times)


def _pages() -> list[tuple[str, str, bool]]:
    from django.urls import reverse

    from planning.models import StrategicPlan

    plan = StrategicPlan.objects.published().get()
    strategy = plan.strategies.order_by("number").first()
    draft = StrategicPlan.objects.filter(slug=plan.slug).order_by("-version").first()
    return [
        ("/plan/ (público)", reverse("planning:plan_public"), False),
        ("estrategia (público)", reverse("planning:strategy_public", args=[strategy.slug]), False),
        ("programa de gobierno (público)", reverse("planning:government_plan_public_latest"), False),
        ("plan en el espacio de trabajo", reverse("planning:plan_detail", args=[plan.pk]), True),
        ("comparar versiones 1 y 2", reverse("planning:instrument_compare", args=["plan", draft.pk]), True),
    ]


def main() -> None:
    _fresh_database()
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from planning.models import StrategicPlan
    from planning.services import lifecycle

    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))
    planner = get_user_model().objects.get(username="planeador")
    lifecycle.instrument_new_version(instrument=StrategicPlan.objects.published().get(), actor=planner)
    public, workspace = Client(), Client()
    workspace.force_login(planner)
    results = {}
    for size, factor in (("demo", 1), ("10× demo", 10)):
        if factor > 1:
            _grow(factor)
        for label, url, logged_in in _pages():
            results[(label, size)] = _measure(workspace if logged_in else public, url)
    print(f"{'página':34} {'consultas demo':>15} {'ms demo':>9} {'consultas 10×':>14} {'ms 10×':>9}")
    for label, _url, _ in _pages():
        (q1, t1), (q10, t10) = results[(label, "demo")], results[(label, "10× demo")]
        print(f"{label:34} {q1:>15} {t1:>9.1f} {q10:>14} {t10:>9.1f}")


if __name__ == "__main__":
    main()
