"""Benchmark: how long the annual report takes to generate, as a web page and as a PDF, for the demo data and for
ten times the demo data. Prints its figures; it is not a test.

Run it from the project folder against a PostgreSQL server (it never touches the database it is pointed at: it
creates a scratch database beside it, ``<name>_bench_report``, and drops it at the end)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/implan .venv/bin/python bench/report.py [--repeat 5]

Steps: migrate the scratch database, load the demo (``load_demo``), time ``/informe/2025/`` and its PDF; then
multiply the year by ten — programmes and budget lines, projects with their allocations, goals with their
indicators and observations, sessions and resolutions, narrative sections — and time them again. Each figure is
the median of ``--repeat`` runs, with the anonymous page cache off so every request builds the report.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "implan.settings")
os.environ.setdefault("DEMO_PASSWORD", "clave-de-banco-de-pruebas-2026")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.signals import request_finished, request_started  # noqa: E402
from django.db import close_old_connections, connection  # noqa: E402
from django.test import Client  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from councils.models import Resolution, Session  # noqa: E402
from implan.models import FiscalYear  # noqa: E402
from indicators.models import Indicator, Observation  # noqa: E402
from planning.models import AnnualReport, Budget, BudgetLine, Goal, ReportDocument, ReportSection  # noqa: E402
from projects.models import Allocation, Project  # noqa: E402

YEAR = 2025
PAGE = f"/informe/{YEAR}/"
PDF = f"/informe/{YEAR}/informe-anual.pdf"


def _median_seconds(
    action: Callable[[], object], repeat: int, before: Callable[[], object] = lambda: None
) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        before()
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


class QueryCounter:
    """Counts the SQL statements run on the default connection while it is installed."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Callable, sql: str, params: object, many: bool, context: object) -> object:
        self.count += 1
        return execute(sql, params, many, context)


def _forget_stored_pdfs() -> None:
    for document in ReportDocument.objects.all():
        document.file.delete(save=False)
        document.delete()


def measure(label: str, repeat: int) -> dict[str, object]:
    client = Client()
    client.get(PAGE)  # warm up templates and caches of the process, not of the data
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        page_seconds, page = _median_seconds(lambda: client.get(PAGE), repeat)
    assert page.status_code == 200, page.status_code
    # A published version's PDF is laid out once and stored (planning.report_files): forget the stored one before
    # each run so that each run lays it out anew, as the worker (or the first reader) does once per version.
    pdf_seconds, pdf = _median_seconds(lambda: client.get(PDF), repeat, before=_forget_stored_pdfs)
    assert pdf.status_code == 200, pdf.status_code
    pdf_bytes = pdf.getvalue()
    year = FiscalYear.objects.get(year=YEAR)
    return {
        "label": label,
        "page_s": page_seconds,
        "queries": counter.count // repeat,
        "page_kb": len(page.content) / 1024,
        "pdf_s": pdf_seconds,
        "pdf_kb": len(pdf_bytes) / 1024,
        "pdf_pages": len(PdfReader(io.BytesIO(pdf_bytes)).pages),
        "lines": BudgetLine.objects.filter(budget__fiscal_year=year).count(),
        "projects": Allocation.objects.filter(fiscal_year=year).values("project").distinct().count(),
        "goals": Goal.objects.count(),
        "observations": Observation.objects.count(),
        "sessions": Session.objects.count(),
        "resolutions": Resolution.objects.count(),
    }


# --- Ten times the demo ----------------------------------------------------------------------------------------


def multiply(times: int = 10) -> None:
    """Add ``times - 1`` copies of the year's data (bulk writes: this is a scratch database, not the portal)."""
    copies = range(1, times)
    _programmes_and_lines(copies)
    _projects(copies)
    _goals(copies)
    _sessions(copies)
    report = AnnualReport.objects.get(fiscal_year__year=YEAR)
    sections = list(report.sections.all())
    ReportSection.objects.bulk_create(
        [
            ReportSection(
                report=report,
                strategy=s.strategy,
                order=200 + k * len(sections) + i,
                title=f"{s.title} ({k + 1})",
                body=s.body,
            )
            for k in copies
            for i, s in enumerate(sections)
        ]
    )


def _programmes_and_lines(copies: range) -> None:
    for budget in Budget.objects.filter(fiscal_year__year=YEAR):
        lines = list(budget.lines.select_related("programme"))
        Budget.objects.filter(pk=budget.pk).update(ceiling=budget.ceiling * (len(copies) + 1))
        new_lines = []
        for k in copies:
            clones = {}
            for line in lines:
                programme = clones.get(line.programme_id)
                if programme is None:
                    programme = _clone(
                        line.programme, code=f"{line.programme.code}-{k}", slug=f"{line.programme.slug}-{k}"
                    )
                    clones[line.programme_id] = programme
                new_lines.append(_copy(line, programme=programme))
        BudgetLine.objects.bulk_create(new_lines)


def _projects(copies: range) -> None:
    originals = list(Project.objects.all())
    allocations = list(Allocation.objects.filter(fiscal_year__year=YEAR))
    for k in copies:
        clones = {p.pk: _copy(p, code=f"{p.code}-{k}", slug=f"{p.slug}-{k}") for p in originals}
        Project.objects.bulk_create(clones.values())
        Allocation.objects.bulk_create([_copy(a, project=clones[a.project_id]) for a in allocations])


def _goals(copies: range) -> None:
    goals = list(Goal.objects.select_related("indicator"))
    observations = list(Observation.objects.filter(indicator__in={g.indicator_id for g in goals}))
    for k in copies:
        indicators = {}
        for goal in goals:
            source = goal.indicator
            indicators[source.pk] = _copy(source, code=f"{source.code}-{k}", slug=f"{source.slug}-{k}")
        Indicator.objects.bulk_create(indicators.values())
        Observation.objects.bulk_create([_copy(o, indicator=indicators[o.indicator_id]) for o in observations])
        Goal.objects.bulk_create([_copy(g, indicator=indicators[g.indicator_id]) for g in goals])


def _sessions(copies: range) -> None:
    sessions = list(Session.objects.all())
    resolutions = list(Resolution.objects.all())
    top = max(s.number for s in sessions) + 1
    top_resolution = max(r.number for r in resolutions) + 1
    for k in copies:
        clones = {s.pk: _copy(s, number=s.number + k * top) for s in sessions}
        Session.objects.bulk_create(clones.values())
        Resolution.objects.bulk_create(
            [
                _copy(r, session=clones[r.session_id], motion=None, number=r.number + k * top_resolution)
                for r in resolutions
            ]
        )


def _copy(obj: object, **changes: object) -> object:
    values = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if not f.primary_key}
    copy = type(obj)(**values)
    for name, value in changes.items():
        setattr(copy, name, value)
    return copy


def _clone(obj: object, **changes: object) -> object:
    copy = _copy(obj, **changes)
    copy.save()
    return copy


# --- Running -------------------------------------------------------------------------------------------------


def _print(rows: list[dict[str, object]]) -> None:
    print(f"\nInforme anual {YEAR}: generación de la página {PAGE} y del PDF (mediana de las repeticiones)")
    print(f"Carga del equipo al medir (promedio de 1 min): {os.getloadavg()[0]:.1f} en {os.cpu_count()} núcleos\n")
    head = (
        f"{'datos':<10}{'líneas':>8}{'proyectos':>11}{'metas':>7}{'observ.':>9}{'sesiones':>10}"
        f"{'acuerdos':>10}{'página s':>10}{'consultas':>11}{'KB':>7}{'PDF s':>8}{'págs.':>7}{'KB':>7}"
    )
    print(head)
    print("-" * len(head))
    for r in rows:
        print(
            f"{r['label']:<10}{r['lines']:>8}{r['projects']:>11}{r['goals']:>7}{r['observations']:>9}"
            f"{r['sessions']:>10}{r['resolutions']:>10}{r['page_s']:>10.3f}{r['queries']:>11}"
            f"{r['page_kb']:>7.0f}{r['pdf_s']:>8.2f}{r['pdf_pages']:>7}{r['pdf_kb']:>7.0f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median); default 3")
    args = parser.parse_args()
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0  # every request builds the report
    # One connection for the whole run, as in Django's own tests: the query count is read from it.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    original = connection.settings_dict["NAME"]
    connection.settings_dict.setdefault("TEST", {})["NAME"] = f"{original}_bench_report"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        start = time.perf_counter()
        call_command("load_demo", stdout=io.StringIO())
        print(f"Base de datos de prueba lista con los datos de demostración en {time.perf_counter() - start:.1f} s")
        rows = [measure("demo", args.repeat)]
        start = time.perf_counter()
        multiply(10)
        print(f"Datos multiplicados por 10 en {time.perf_counter() - start:.1f} s")
        rows.append(measure("10× demo", args.repeat))
        _print(rows)
    finally:
        connection.creation.destroy_test_db(original, verbosity=0)


if __name__ == "__main__":
    main()
