"""Benchmark: the portal's import of a 100,000-row CSV (checks, preview, save and history) beside PostgreSQL COPY.

Run it from the project folder, with PostgreSQL at hand (it uses its own database, created and migrated if missing):

    .venv/bin/python bench/import_indicators.py            # 100,000 rows
    .venv/bin/python bench/import_indicators.py 20000      # another size
    .venv/bin/python bench/import_indicators.py 100000 desagregado   # broken down by sex and age group (issue 17)
    BENCH_DATABASE_URL=postgres://user@host:5432/db .venv/bin/python bench/import_indicators.py

It prints rows per second of the portal's import (the same code path as the workspace: the job checks every row,
stages it for the preview, then saves observations and one history row per value naming the user and the file),
rows per second of COPY of the same rows into a bare table in the same run, their ratio, and the peak memory
(the process's resident set, measured with getrusage: Python's own tracer would slow the import tenfold).
Beside them, the floor of issues 17 and 19: COPY of the same rows, ids resolved, into tables of the shape of the
observations and their history — the same columns, indexes and foreign keys (``bench.shape.same_shape``; ``LIKE``
alone leaves out the keys, which PostgreSQL checks for every row written however it is written); the floor without
the keys, as it was measured before, is printed too.

``desagregado``: the file carries a breakdown (columns «Sexo» and «Grupo de edad», categories as people write them,
total rows with the cells empty), about 1 % of values «N/D» and a «Preliminar» column marking the last year: every
row is checked against the declared categories, and the COPY beside it loads the same eight columns.
"""

from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/implan_bench")
os.environ["DATABASE_URL"] = DATABASE_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "implan.settings")


def _migrate_in_child() -> None:
    """Migrate the database in a process of its own: migrating a new database raises a process's peak memory by
    about 100 MB (Django renders every migration's state), which the peak printed below would count as the load's."""
    import subprocess

    subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "--verbosity", "0"], check=True, cwd=ROOT)


def _ensure_database() -> None:
    from urllib.parse import urlsplit

    import psycopg

    url = urlsplit(DATABASE_URL)
    with psycopg.connect(
        host=url.hostname,
        port=url.port or 5432,
        user=url.username,
        password=url.password,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [url.path.lstrip("/")]).fetchone():
            conn.execute(f'CREATE DATABASE "{url.path.lstrip("/")}"')


def _world(rows: int, *, broken_down: bool = False) -> tuple[object, bytes]:
    """A planner, 20 indicators, enough territories, and a CSV of ``rows`` yearly values (Excel-like, ';')."""
    from django.contrib.auth import get_user_model

    from implan.models import Territory, TerritoryKind
    from indicators.models import Indicator

    user, _ = get_user_model().objects.get_or_create(username="bench_planner", defaults={"is_superuser": True})
    indicators = [
        Indicator.objects.get_or_create(
            code=f"BENCH-{n:02d}",
            defaults={
                "name": f"Indicador de prueba {n}",
                "slug": f"bench-{n:02d}",
                "definition": "Prueba",
                "unit": "%",
                "family": "sustentabilidad",
                "polarity": "ascendente",
                "source": "Benchmark",
            },
        )[0]
        for n in range(20)
    ]
    per_territory = len(indicators) * (10 * len(SEXES) * len(AGES) if broken_down else 50)
    needed = -(-rows // per_territory)
    existing = set(Territory.objects.filter(code__startswith="bench-").values_list("code", flat=True))
    Territory.objects.bulk_create(
        Territory(code=f"bench-{n}", name=f"Colonia de prueba {n}", kind=TerritoryKind.COLONIA)
        for n in range(needed)
        if f"bench-{n}" not in existing
    )
    if broken_down:
        _declare_breakdowns(indicators)
        return user, ("\n".join(_broken_down_lines(indicators, needed, rows)) + "\n").encode("utf-8")
    lines = ["Indicador;Territorio;Período;Valor;Nota"]
    for t in range(needed):
        for indicator in indicators:
            for year in range(1975, 2025):
                lines.append(f"{indicator.code};bench-{t};{year};{(t * 31 + year) % 1000},{year % 10};")
    return user, ("\n".join(lines[: rows + 1]) + "\n").encode("utf-8")


SEXES = ["", "Mujeres", "Hombres"]
AGES = ["", "0 a 14 años", "15 a 29 años", "30 a 64 años", "65 años y más"]
BROKEN_HEADER = "Indicador;Territorio;Período;Sexo;Grupo de edad;Valor;Nota;Preliminar"


def _declare_breakdowns(indicators: list) -> None:
    from django.utils.text import slugify

    from indicators.models import Category, Dimension

    for indicator in indicators:
        for order, (name, labels) in enumerate([("sexo", SEXES[1:]), ("grupo de edad", AGES[1:])], start=1):
            dimension, _ = Dimension.objects.get_or_create(
                indicator=indicator, slug=slugify(name), defaults={"name": name, "order": order}
            )
            for position, label in enumerate(labels, start=1):
                Category.objects.get_or_create(
                    dimension=dimension, slug=slugify(label), defaults={"label": label, "order": position}
                )


def _broken_down_lines(indicators: list, territories: int, rows: int) -> list[str]:
    lines = [BROKEN_HEADER]
    n = 0
    for t in range(territories):
        for indicator in indicators:
            for year in range(2015, 2025):
                for sex in SEXES:
                    for age in AGES:
                        n += 1
                        value = "N/D" if n % 97 == 0 else f"{(t * 31 + year + n) % 1000},{year % 10}"
                        mark = "sí" if year == 2024 else ""
                        lines.append(f"{indicator.code};bench-{t};{year};{sex};{age};{value};;{mark}")
                        if len(lines) > rows:
                            return lines
    return lines


def _clean() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM indicators_historicalobservation WHERE source_file LIKE 'bench-%%'")
        cursor.execute("DELETE FROM indicators_observation WHERE source_file LIKE 'bench-%%'")
        cursor.execute("DELETE FROM indicators_importrow")
        cursor.execute(
            "DELETE FROM implan_event WHERE content_type_id IN (SELECT id FROM django_content_type "
            "WHERE model = 'importjob')"
        )
        cursor.execute("DELETE FROM indicators_importjob WHERE file_name LIKE 'bench-%%'")
        cursor.execute("VACUUM ANALYZE indicators_observation")
        cursor.execute("VACUUM ANALYZE indicators_historicalobservation")


def _copy_seconds(content: bytes, *, broken_down: bool = False) -> float:
    """COPY of the same rows (the file's own bytes) into a bare table with the same typed columns."""
    from django.db import connection

    best = float("inf")
    for _ in range(3):
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS bench_bare")
            cursor.execute(
                "CREATE TABLE bench_bare (indicador text, territorio text, periodo text, sexo text, grupo text, "
                "valor numeric, nota text, preliminar text)"
                if broken_down
                else "CREATE TABLE bench_bare (indicador text, territorio text, periodo text, valor numeric, nota text)"
            )
        raw = connection.connection
        start = time.perf_counter()
        options = "FORMAT csv, HEADER true, DELIMITER ';'" + (", NULL 'N/D'" if broken_down else "")
        with raw.cursor() as cursor:
            with cursor.copy(f"COPY bench_bare FROM STDIN ({options})") as copy:
                copy.write(content.replace(b",", b"."))  # COPY reads only decimal points
        raw.commit() if not raw.autocommit else None
        best = min(best, time.perf_counter() - start)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_bare")
    return best


def _floor_seconds(content: bytes, *, user_id: int, broken_down: bool = False, foreign_keys: bool = True) -> float:
    """What any import with history must at least write: the rows, with ids resolved, COPYed into tables of the
    shape of the observations and their history (``same_shape``: same columns, indexes and foreign keys), without
    checks. Not the portal's path. ``foreign_keys=False``: the reference this benchmark printed until the keys were
    added (``LIKE`` alone), still printed beside it."""
    from django.db import connection
    from django.utils.text import slugify

    from bench.shape import same_shape
    from implan.models import Territory
    from indicators.models import Indicator, ObservationStatus

    indicators = dict(Indicator.objects.values_list("code", "pk"))
    territories = dict(Territory.objects.values_list("code", "pk"))
    resolved = []
    keys = {("", ""): ""}
    for sex in SEXES:
        for age in AGES:
            pairs = [p for p in [("grupo-de-edad", age), ("sexo", sex)] if p[1]]
            keys[(sex, age)] = ";".join(f"{d}={slugify(c)}" for d, c in pairs)
    # The same rows as the portal's: who loaded them and from which file, and in the history who and why.
    for line in content.decode().splitlines()[1:]:
        if broken_down:
            code, territory, period, sex, age, value, note, mark = line.split(";")
            resolved.append(
                (
                    indicators[code],
                    territories[territory],
                    period,
                    f"{period}-01-01",
                    keys[(sex, age)],
                    None if value == "N/D" else value.replace(",", "."),
                    ObservationStatus.PRELIMINARY if mark else ObservationStatus.FINAL,
                    note,
                    user_id,
                    "bench-floor",
                )
            )
            continue
        code, territory, period, value, note = line.split(";")
        resolved.append(
            (
                indicators[code],
                territories[territory],
                period,
                f"{period}-01-01",
                value.replace(",", "."),
                "definitivo",
                note,
                user_id,
                "bench-floor",
            )
        )
    with connection.cursor() as cursor:
        for name, like in (("bench_obs", "indicators_observation"), ("bench_hist", "indicators_historicalobservation")):
            if foreign_keys:
                same_shape(cursor, name, like)
            else:
                cursor.execute(f"DROP TABLE IF EXISTS {name}")
                cursor.execute(f"CREATE TABLE {name} (LIKE {like} INCLUDING ALL)")
    columns = "indicator_id, territory_id, period, period_start, value, status, note, loaded_by_id, source_file"
    if broken_down:
        columns = (
            "indicator_id, territory_id, period, period_start, breakdown, value, status, note, loaded_by_id, "
            "source_file"
        )
    raw = connection.connection
    start = time.perf_counter()
    with raw.cursor() as cursor:
        with cursor.copy(f"COPY bench_obs ({columns}) FROM STDIN") as copy:
            for row in resolved:
                copy.write_row(row)
        history = "history_date, history_type, history_user_id, history_change_reason"
        with cursor.copy(f"COPY bench_hist (id, {columns}, {history}) FROM STDIN") as copy:
            for n, row in enumerate(resolved):
                copy.write_row((n, *row, "2026-01-01T00:00:00Z", "+", user_id, "Importado del archivo bench-floor"))
    raw.commit() if not raw.autocommit else None  # the deferred foreign keys are checked here
    elapsed = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_obs")
        cursor.execute("DROP TABLE bench_hist")
    return elapsed


def main(rows: int, *, broken_down: bool = False) -> None:
    _ensure_database()
    import django

    django.setup()

    _migrate_in_child()
    from indicators import jobs, services
    from indicators.models import ImportJobState, Observation

    _clean()
    user, content = _world(rows, broken_down=broken_down)
    copy_s = _copy_seconds(content, broken_down=broken_down)
    floor_s = _floor_seconds(content, user_id=user.pk, broken_down=broken_down)
    bare_floor_s = _floor_seconds(content, user_id=user.pk, broken_down=broken_down, foreign_keys=False)

    start = time.perf_counter()
    job = services.import_job_create(actor=user, file_name="bench-100k.csv", content=content, background=False)
    jobs.run_job(job.pk)
    checked = time.perf_counter()
    job = services.import_job_confirm(actor=user, job=job, background=False)
    jobs.run_job(job.pk)
    total = time.perf_counter() - start
    rss_after_import = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    job.refresh_from_db()
    assert job.state == ImportJobState.DONE, (job.state, job.message)
    saved = Observation.objects.filter(source_file="bench-100k.csv").count()
    history = Observation.history.filter(history_change_reason="Importado del archivo bench-100k.csv").count()
    assert saved == rows and history == rows, (saved, history)

    again = time.perf_counter()
    repeat = services.import_file_now(actor=user, file_name="bench-100k.csv", content=content)
    again = time.perf_counter() - again
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    portal_rate, copy_rate = rows / total, rows / copy_s
    shape = "desagregado por sexo y grupo de edad, con N/D y preliminares; " if broken_down else ""
    print(f"Filas: {rows:,}  (archivo de {len(content) / 1048576:.1f} MB, {shape}';' y coma decimal)")
    print(f"Portal (revisar + vista previa + guardar con historial): {total:.2f} s  → {portal_rate:,.0f} filas/s")
    print(
        f"    revisar y preparar la vista previa: {checked - start:.2f} s; guardar con historial: "
        f"{total - (checked - start):.2f} s"
    )
    print(f"COPY a una tabla sin índices (mejor de 3):                {copy_s:.2f} s  → {copy_rate:,.0f} filas/s")
    print(f"Proporción portal / COPY: {portal_rate / copy_rate:.1%}")
    print(
        f"Referencia: COPY de las filas ya resueltas a tablas con la forma de observaciones e historial (columnas, "
        f"índices y llaves foráneas; lo mínimo que escribe cualquier carga con historial, sin revisar nada): "
        f"{floor_s:.2f} s → {rows / floor_s:,.0f} filas/s; el portal llega al {portal_rate / (rows / floor_s):.0%} "
        f"de eso"
    )
    print(
        f"    (la misma referencia sin las llaves foráneas, como se medía antes: {bare_floor_s:.2f} s; el portal llega "
        f"al {bare_floor_s / total:.0%})"
    )
    print(
        f"Memoria pico (residente, todo el proceso con Django): {rss_after_import:.0f} MB tras la importación; "
        f"{rss_mb:.0f} MB al final"
    )
    print(
        f"Recarga del mismo archivo (todo «sin cambios», nada escrito): {again:.2f} s → "
        f"{rows / again:,.0f} filas/s; {repeat.counts}"
    )
    _clean()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000, broken_down="desagregado" in sys.argv[2:])
