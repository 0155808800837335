"""Benchmark of the public portfolio: list page and GeoJSON map endpoint at 3,000 and 30,000 projects.

Run from the project folder (it creates and then drops its own test database, ``test_<name>``):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/implan .venv/bin/python bench/portfolio.py

Prints, for each size, the median of several requests through Django's test client (no network), with the public
page cache off (each request renders) and on (repeat visits by anonymous users), plus the number of queries.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "implan.settings")
os.environ.setdefault("DEBUG", "1")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

SIZES = (3_000, 30_000)
REPEAT = 7
PAGES = {"lista /proyectos/": "/proyectos/", "GeoJSON /proyectos/mapa.geojson": "/proyectos/mapa.geojson"}


def seed(upto: int, have: int) -> None:
    """Add published projects (bulk insert) until there are ``upto``, over 9 strategies, 7 places, 6 agencies."""
    from implan.models import Agency, LifecycleState, Territory, TerritoryKind
    from planning.models import StrategicPlan, Strategy, Vertiente
    from projects.models import Project, ProjectStatus

    plan, _ = StrategicPlan.objects.get_or_create(
        slug="bench", version=1, defaults={"title": "Plan", "horizon_year": 2040, "state": LifecycleState.PUBLISHED}
    )
    vertiente, _ = Vertiente.objects.get_or_create(plan=plan, order=1, defaults={"name": "Vertiente"})
    strategies = [
        Strategy.objects.get_or_create(
            plan=plan, number=n, defaults={"vertiente": vertiente, "name": f"Estrategia {n}", "slug": f"estrategia-{n}"}
        )[0]
        for n in range(1, 10)
    ]
    places = [
        Territory.objects.get_or_create(
            code=f"bench-{n}", defaults={"name": f"Delegación {n}", "kind": TerritoryKind.DELEGACION}
        )[0]
        for n in range(7)
    ]
    agencies = [
        Agency.objects.get_or_create(slug=f"bench-{n}", defaults={"name": f"Dependencia {n}"})[0] for n in range(6)
    ]
    statuses = [
        ProjectStatus.IN_PORTFOLIO,
        ProjectStatus.IN_EXECUTION,
        ProjectStatus.COMPLETED,
        ProjectStatus.SUSPENDED,
    ]
    Project.objects.bulk_create(
        [
            Project(
                code=f"PE-B-{n:06d}",
                slug=f"proyecto-bench-{n:06d}",
                title=f"Proyecto estratégico número {n}",
                problem="Necesidad del barrio.",
                strategy=strategies[n % 9],
                territory=places[n % 7],
                agency=agencies[n % 6],
                status=statuses[n % 4],
                priority_score=Decimal(n % 10_000) / 100,
                latitude=Decimal("21.0") + Decimal(n % 300) / 1000,
                longitude=Decimal("-101.8") + Decimal(n % 400) / 1000,
                physical_progress=Decimal(n % 101),
                estimated_cost=Decimal(100_000 + n),
            )
            for n in range(have, upto)
        ],
        batch_size=2000,
    )


def timed(client: Client, path: str, *, cached: bool) -> tuple[float, int, int]:
    """Median milliseconds over REPEAT requests, the number of queries of one request, the response size."""
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300 if cached else 0
    cache.clear()
    client.get(path)  # warm up (and fill the cache when on)
    samples = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        response = client.get(path)
        samples.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return statistics.median(samples), len(queries), len(response.content)


def main() -> None:
    setup_test_environment()
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        client, have = Client(), 0
        print(f"Base de datos: {connection.vendor} ({name}); mediana de {REPEAT} solicitudes")
        print(f"{'proyectos':>10}  {'página':<34} {'sin caché':>10} {'con caché':>10} {'consultas':>9} {'tamaño':>10}")
        for size in SIZES:
            seed(size, have)
            have = size
            for label, path in PAGES.items():
                plain, queries, length = timed(client, path, cached=False)
                warm, _q, _l = timed(client, path, cached=True)
                print(
                    f"{size:>10,}  {label:<34} {plain:>8.1f} ms {warm:>7.1f} ms {queries:>9} {length / 1024:>7.0f} KB"
                )
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


if __name__ == "__main__":
    main()
