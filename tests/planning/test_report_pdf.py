"""The annual report as a PDF: it opens, its text has the report's sections, pages are numbered, long tables
repeat their header on every page, and nothing outside the document is fetched."""

import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from implan.models import LifecycleState
from planning import report_pdf
from planning.selectors import report as reporting
from projects.models import ProjectStatus
from tests.factories import AllocationFactory, AnnualReportFactory, ProjectFactory, ReportSectionFactory
from tests.planning.report_world import build_year

pytestmark = pytest.mark.django_db


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture
def published_report():
    world = build_year()
    report = AnnualReportFactory(
        fiscal_year=world.year, title="Informe anual 2025 de León", state=LifecycleState.PUBLISHED
    )
    ReportSectionFactory(
        report=report,
        order=1,
        title="Presentación del informe",
        body="Un año de **trabajo** con la ciudadanía.\n\n- Agua\n- Vivienda",
    )
    ReportSectionFactory(
        report=report,
        order=2,
        title="Vivienda en los polígonos",
        strategy=world.strategies[0],
        body="Se mejoraron techos y pisos.",
    )
    ReportSectionFactory(report=report, order=100, title="Conclusiones y retos", body="Seguiremos.")
    return world, report


def test_the_public_pdf_opens_and_reads_back_with_every_section(client, published_report):
    world, report = published_report
    response = client.get(reverse("planning:report_year_pdf", args=[2025]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="informe-anual-2025-v1.pdf"'
    pages = _pages(response.getvalue())  # the stored file, streamed
    text = "\n".join(pages)
    for expected in (
        "Informe anual 2025 de León",
        "Contenido",
        "Resumen del ejercicio",
        "Presentación del informe",
        "Estrategia 1. Hábitat",
        "Estrategia 2. Rumbo Económico",
        "Vivienda en los polígonos",
        "Se mejoraron techos y pisos.",
        "Proyectos y su avance",
        "Metas e indicadores",
        "Actividad de los órganos de planeación",
        "Ayuntamiento de León",
        "Conclusiones y retos",
        "$6,002.40 MXN",
        "Un año de trabajo con la ciudadanía.",
    ):
        assert expected in text, expected
    # Sections in the report's order: presentation, chapters, bodies, conclusions.
    order = [
        text.index(t)
        for t in (
            "Presentación del informe",
            "Estrategia 1. Hábitat",
            "Actividad de los órganos de planeación",
            "Conclusiones y retos",
        )
    ]
    assert order == sorted(order)


def test_pages_after_the_cover_are_numbered(published_report):
    world, report = published_report
    pages = _pages(report_pdf.report_pdf(reporting.annual_report_data(fiscal_year=world.year, report=report)))
    total = len(pages)
    assert total >= 4
    assert f"1 / {total}" not in pages[0]  # the cover carries no number
    for number, page in enumerate(pages[1:], start=2):
        assert f"{number} / {total}" in page, number


def test_a_long_table_repeats_its_header_on_every_page(published_report):
    world, report = published_report
    for n in range(70):
        project = ProjectFactory(
            strategy=world.strategies[1],
            status=ProjectStatus.IN_EXECUTION,
            code=f"PE-LARGO-{n:03d}",
            title=f"Proyecto largo número {n}",
        )
        AllocationFactory(project=project, fiscal_year=world.year, amount=Decimal("10"))
    pages = _pages(report_pdf.report_pdf(reporting.annual_report_data(fiscal_year=world.year, report=report)))
    with_rows = [page for page in pages if "PE-LARGO-" in page]
    assert len(with_rows) >= 2, "the projects table should span several pages"
    for page in with_rows:
        assert re.search(r"Proyecto\s+Estado\s+Avance", page), page[:300]


def test_the_pdf_fetches_nothing_outside_the_document():
    fetcher = report_pdf.offline_fetcher()
    for url in ("http://10.0.0.1/imagen.png", "https://example.org/x.css", "file:///etc/passwd"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain,hola") is not None


def test_an_image_link_in_a_section_does_not_break_the_pdf(published_report):
    world, report = published_report
    ReportSectionFactory(report=report, order=101, title="Con imagen", body="![plano](http://10.0.0.1/plano.png)")
    pages = _pages(report_pdf.report_pdf(reporting.annual_report_data(fiscal_year=world.year, report=report)))
    assert "Con imagen" in "\n".join(pages)


def test_an_unpublished_report_has_no_public_pdf(client):
    AnnualReportFactory(state=LifecycleState.APPROVED)
    assert client.get(reverse("planning:report_year_pdf", args=[2025])).status_code == 404
    assert client.get(reverse("planning:report_year", args=[2025])).status_code == 404


def test_a_drafts_preview_pdf_is_kept_until_the_portals_content_changes(client, planner):
    # (A published version's PDF is stored once and never changes: tests/planning/test_report_documents.py.)
    world = build_year()
    report = AnnualReportFactory(fiscal_year=world.year, title="Informe anual 2025 de León")
    client.force_login(planner)
    url = reverse("planning:report_pdf_preview", args=[report.pk])
    first = client.get(url).content
    with CaptureQueriesContext(connection) as again:
        assert client.get(url).content == first
    assert len(again.captured_queries) <= 8  # the session, the user, the permission and the report; not its data
    ReportSectionFactory(report=report, order=50, title="Una sección agregada después")
    assert "Una sección agregada después" in "\n".join(_pages(client.get(url).content))
