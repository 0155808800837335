"""Benchmark: the planners' load of a 300,000-row INEGI locality catalogue beside PostgreSQL COPY of the same rows.

Run it from the project folder, with PostgreSQL at hand (it uses its own database, created and migrated if missing):

    .venv/bin/python bench/territories.py            # 300,000 localities
    .venv/bin/python bench/territories.py 50000      # another size
    BENCH_DATABASE_URL=postgres://user@host:5432/db .venv/bin/python bench/territories.py

The file has the shape of INEGI's national catalogue (AGEEML: CVEGEO, CVE_ENT, NOM_ENT, NOM_ABR, CVE_MUN, NOM_MUN,
CVE_LOC, NOM_LOC, AMBITO, LATITUD in degrees-minutes-seconds, LONGITUD, LAT_DECIMAL, LON_DECIMAL, ALTITUD,
CVE_CARTA, POB_TOTAL, POB_MASCULINA, POB_FEMENINA, TOTAL DE VIVIENDAS HABITADAS; Windows-1252; zipped), its
localities spread over the 2,478 real municipalities of ``implan/portal/demo/data/inegi_municipios_2020.csv``
(names and coordinates made up, keys real in form). It prints rows per second of the portal's load (the same path
as the workspace: upload, check with preview, confirm, save with a history row per territory), rows per second of
COPY of the same territories into a table shaped like the territories' (same columns and indexes), their ratio
(aim: at least 30 %), and the peak memory of the process (getrusage; aim: under 300 MB).
"""

from __future__ import annotations

import csv
import io
import os
import resource
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/implan_bench_territories")
os.environ["DATABASE_URL"] = DATABASE_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "implan.settings")
# As in production: with DEBUG on, Django keeps the text of every query (a 50 MB file's INSERT among them).
os.environ["DEBUG"] = "0"
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret-" + "x" * 40)
MUNICIPIOS = ROOT / "implan" / "portal" / "demo" / "data" / "inegi_municipios_2020.csv"
HEADER = [
    "CVEGEO",
    "CVE_ENT",
    "NOM_ENT",
    "NOM_ABR",
    "CVE_MUN",
    "NOM_MUN",
    "CVE_LOC",
    "NOM_LOC",
    "AMBITO",
    "LATITUD",
    "LONGITUD",
    "LAT_DECIMAL",
    "LON_DECIMAL",
    "ALTITUD",
    "CVE_CARTA",
    "POB_TOTAL",
    "POB_MASCULINA",
    "POB_FEMENINA",
    "TOTAL DE VIVIENDAS HABITADAS",
]


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
        host=url.hostname, port=url.port or 5432, user=url.username, password=url.password, dbname="postgres"
    ) as conn:
        conn.autocommit = True
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [url.path.lstrip("/")]).fetchone():
            conn.execute(f'CREATE DATABASE "{url.path.lstrip("/")}"')


def _dms(value: float, positive: str, negative: str) -> str:
    hemisphere = positive if value >= 0 else negative
    value = abs(value)
    degrees, minutes = int(value), int(value * 60) % 60
    seconds = value * 3600 - degrees * 3600 - minutes * 60
    return f"{degrees}°{minutes:02d}'{seconds:06.3f}\" {hemisphere}"


def catalogue(rows: int) -> bytes:
    """A zipped cp1252 CSV of ``rows`` localities in INEGI's AGEEML shape, over the real municipalities."""
    with open(MUNICIPIOS, encoding="utf-8") as handle:
        municipalities = list(csv.DictReader(handle))
    per = -(-rows // len(municipalities))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    written = 0
    for m in municipalities:
        for n in range(1, per + 1):
            if written == rows:
                break
            lat, lon = 14.5 + (written % 1800) / 100, -117 + (written % 3000) / 100
            population = (written * 37) % 5000
            writer.writerow(
                [
                    f"{m['cve_completa']}{n:04d}",
                    m["cve_entidad"],
                    m["nom_entidad"],
                    m["nom_abr_entidad"],
                    m["cve_municipio"],
                    m["nom_municipio"],
                    f"{n:04d}",
                    (m["nom_cabecera"] or m["nom_municipio"]) if n == 1 else f"Rancho Número {n} (La Joya)",
                    "U" if population >= 2500 else "R",
                    _dms(lat, "N", "S"),
                    _dms(lon, "E", "W"),
                    f"{lat:.6f}",
                    f"{lon:.6f}",
                    str(1000 + written % 2000),
                    "F14C11",
                    str(population),
                    str(population // 2),
                    str(population - population // 2),
                    str(population // 4),
                ]
            )
            written += 1
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("conjunto_de_datos/AGEEML_bench.csv", out.getvalue().encode("cp1252"))
    return archive.getvalue()


def _clean() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for table in ("implan_historicalterritory", "implan_territory"):
            cursor.execute(f"DELETE FROM {table} WHERE kind IN ('pais', 'entidad', 'municipio', 'localidad')")
        cursor.execute("DELETE FROM implan_territoryimport")
        cursor.execute("VACUUM ANALYZE implan_territory")


def _copy_seconds(content: bytes, *, foreign_keys: bool = True) -> float:
    """COPY of the same territories, keys resolved and columns typed, into a table of the territories' shape
    (``bench.shape.same_shape``: the same columns, constraints, indexes and foreign key), and of their history rows
    likewise. The same rows as the portal's: the country, the states and municipalities the file names, and each
    locality with its parent (the municipality), which the key to the parent checks as it does in the portal; history
    rows name the user and the reason. ``foreign_keys=False``: the reference this benchmark printed until then
    (``LIKE`` alone, localities without their parent), still printed beside it."""
    from django.db import connection

    from bench.shape import same_shape

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        text = archive.read(archive.namelist()[0]).decode("cp1252")
    rows = []
    ids = {"00": 1}
    parents = [(1, "México", "pais", "00", "00", None, "mixta", None, None, None, None, "", "", "", "", "")]
    for row in csv.DictReader(io.StringIO(text)):
        state, municipality = row["CVE_ENT"], row["CVE_ENT"] + row["CVE_MUN"]
        for key, name, kind, parent, cve_mun in (
            (state, row["NOM_ENT"], "entidad", "00", ""),
            (municipality, row["NOM_MUN"], "municipio", state, row["CVE_MUN"]),
        ):
            if key not in ids:
                ids[key] = len(ids) + 1
                parents.append(
                    (
                        ids[key],
                        name,
                        kind,
                        key,
                        key,
                        ids[parent],
                        "mixta",
                        None,
                        None,
                        None,
                        None,
                        "",
                        state,
                        cve_mun,
                        "",
                        "",
                    )
                )
        rows.append(
            (
                row["NOM_LOC"],
                "localidad",
                row["CVEGEO"],
                row["CVEGEO"],
                ids[municipality] if foreign_keys else None,
                "urbana" if row["AMBITO"] == "U" else "rural",
                row["LAT_DECIMAL"],
                row["LON_DECIMAL"],
                row["POB_TOTAL"],
                2020,
                "INEGI",
                row["CVE_ENT"],
                row["CVE_MUN"],
                row["CVE_LOC"],
                "",
            )
        )
    del text
    rows = [(n, *row) for n, row in enumerate(rows, start=len(ids) + 1)]
    if foreign_keys:
        rows = parents + rows
    columns = (
        "id, name, kind, code, inegi_code, parent_id, area_type, latitude, longitude, population, population_year, "
        "population_source, cve_ent, cve_mun, cve_loc, boundary_source"
    )
    with connection.cursor() as cursor:
        for name, like in (("bench_territory", "implan_territory"), ("bench_history", "implan_historicalterritory")):
            if foreign_keys:
                same_shape(cursor, name, like)
            else:
                cursor.execute(f"DROP TABLE IF EXISTS {name}")
                cursor.execute(f"CREATE TABLE {name} (LIKE {like} INCLUDING ALL)")
    raw = connection.connection
    history = "history_date, history_type, history_user_id, history_change_reason"
    start = time.perf_counter()
    with raw.transaction(), raw.cursor() as cursor:  # one transaction, as the portal's: the keys are checked at its end
        with cursor.copy(f"COPY bench_territory ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        with cursor.copy(f"COPY bench_history ({columns}, {history}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row((*row, "2026-01-01T00:00:00Z", "+", 1, "Catálogo de territorios AGEEML_bench.zip"))
    elapsed = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_territory")
        cursor.execute("DROP TABLE bench_history")
    return elapsed


def _in_child(*args: str) -> str:
    """Run a step of the benchmark in a process of its own, so that its memory is not counted as the portal's."""
    import subprocess

    done = subprocess.run([sys.executable, __file__, *args], check=True, capture_output=True, text=True)
    return done.stdout.strip().splitlines()[-1]


def main(rows: int) -> None:
    import tempfile

    _ensure_database()
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model

    _migrate_in_child()
    from implan.models import Territory, TerritoryImportState
    from indicators.territories import jobs, services

    settings.TERRITORY_IMPORT_MAX_BYTES = 1 << 30
    _clean()
    user, _ = get_user_model().objects.get_or_create(username="bench_planner", defaults={"is_superuser": True})
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "AGEEML_bench.zip"
        _in_child("--generate", str(rows), str(path))
        copy_s = float(_in_child("--copy", str(path)))
        bare_s = float(_in_child("--copy-bare", str(path)))
        content = path.read_bytes()
    baseline_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    start = time.perf_counter()
    job = services.territory_import_create(actor=user, file_name="AGEEML_bench.zip", content=content, background=False)
    del content
    jobs.run_job(job.pk)
    checked = time.perf_counter()
    job.refresh_from_db()
    assert job.state == TerritoryImportState.READY, (job.state, job.message, job.preview.get("errors", [])[:3])
    services.territory_import_confirm(actor=user, job=job, background=False)
    jobs.run_job(job.pk)
    total = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    job.refresh_from_db()
    assert job.state == TerritoryImportState.DONE, (job.state, job.message)
    saved = Territory.objects.filter(kind="localidad").count()
    history = Territory.history.filter(history_change_reason__startswith="Catálogo de territorios").count()
    assert saved == rows, saved

    portal_rate, copy_rate = rows / total, rows / copy_s
    print(f"rows                          {rows:>12,}")
    print(f"municipalities and states     {Territory.objects.exclude(kind='localidad').count():>12,}")
    print(f"history rows written          {history:>12,}")
    print(f"portal: check + preview       {checked - start:>11.1f} s")
    print(f"portal: save                  {total - (checked - start):>11.1f} s")
    print(f"portal: total                 {total:>11.1f} s  {portal_rate:>10,.0f} rows/s")
    print(f"COPY (territories + history)  {copy_s:>11.1f} s  {copy_rate:>10,.0f} rows/s")
    print(f"portal / COPY                 {portal_rate / copy_rate:>11.0%}   (aim: at least 30 %)")
    print(
        f"  (COPY as measured before: localities without their parent, a table without the key to it: {bare_s:.1f} s; "
        f"portal / that: {bare_s / total:.0%})"
    )
    print(
        f"peak memory (max RSS)         {peak_mb:>11.0f} MB  (aim: under 300 MB; {baseline_mb:.0f} MB before the load)"
    )


def _child(args: list[str]) -> None:
    if args[0] == "--generate":
        Path(args[2]).write_bytes(catalogue(int(args[1])))
        print("ok")
        return
    import django

    django.setup()
    print(_copy_seconds(Path(args[1]).read_bytes(), foreign_keys=args[0] == "--copy"))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1].startswith("--"):
        _child(sys.argv[1:])
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 300_000)
