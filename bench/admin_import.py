"""Benchmark: a localities file imported through the Django admin in the background, printed, not asserted.

Run it from the project folder with PostgreSQL at hand (the benchmarks' own database, created and migrated if
missing; the database backend of the Tasks API):

    .venv/bin/python bench/admin_import.py           # 10,000 localities
    .venv/bin/python bench/admin_import.py 2000      # another size

It posts the file to the admin's import page as an administrator does (Django's test client, in this process), then
runs the waiting task with the backend's own worker (``implan.tasks.run_waiting_tasks``), confirms on the job's page
and runs the import task; it prints how long the request took (the upload, which must stay well under gunicorn's
30 s), the check (dry run) and the import, and the rows per second of each. The localities are removed afterwards.
"""

from __future__ import annotations

import csv
import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.import_indicators import _ensure_database  # noqa: E402 (sets DATABASE_URL to the benchmarks' database)


def _file(rows: int) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(["code", "name", "kind", "inegi_code", "parent", "latitude", "longitude"])
    writer.writerow(["bench-mun", "Municipio de prueba", "municipio", "99999", "", "", ""])
    for n in range(1, rows):
        writer.writerow([f"bench-loc-{n:06d}", f"Localidad {n}", "localidad", f"9999{n:05d}", "bench-mun", "", ""])
    return text.getvalue().encode()


def _clean() -> None:
    from implan.models import Territory

    Territory.history.filter(code__startswith="bench-").delete()
    Territory.objects.filter(code__startswith="bench-loc-").delete()
    Territory.objects.filter(code="bench-mun").delete()


def main(rows: int) -> None:
    import django

    _ensure_database()
    django.setup()
    from django.conf import settings
    from django.contrib import admin
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from implan import tasks
    from implan.models import AdminImport, Territory

    call_command("migrate", verbosity=0)
    settings.ALLOWED_HOSTS = ["*"]
    _clean()
    user, _ = get_user_model().objects.get_or_create(
        username="bench_admin", defaults={"is_superuser": True, "is_staff": True}
    )
    client = Client()
    client.force_login(user)
    upload = SimpleUploadedFile("bench-localidades.csv", _file(rows), content_type="text/csv")
    started = time.perf_counter()
    formats = admin.site._registry[Territory].get_import_formats()
    csv_format = next(str(i) for i, f in enumerate(formats) if f().get_title() == "csv")
    response = client.post(reverse("admin:implan_territory_import"), {"import_file": upload, "format": csv_format})
    requested = time.perf_counter() - started
    job = AdminImport.objects.defer("content").latest("pk")
    assert response.status_code == 302, response.status_code
    started = time.perf_counter()
    tasks.run_waiting_tasks()
    checked = time.perf_counter() - started
    job.refresh_from_db()
    print(f"{rows:,} localidades · subida (la petición): {requested:.2f} s")
    print(f"  revisión (vista previa, tarea): {checked:.1f} s, {rows / checked:,.0f} filas/s → {job.state}")
    client.post(reverse("admin:implan_adminimport_confirm", args=[job.pk]))
    started = time.perf_counter()
    tasks.run_waiting_tasks()
    imported = time.perf_counter() - started
    job.refresh_from_db()
    print(f"  importación (tarea, todo o nada): {imported:.1f} s, {rows / imported:,.0f} filas/s → {job.state}")
    _clean()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
