"""Annual report pages: planners create it and write its sections in the workspace (live preview and PDF); the
public sees only the published version, with the narrative rendered safely, in a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from implan.models import LifecycleState
from planning.models import AnnualReport, ReportSection
from tests.factories import AnnualReportFactory, FiscalYearFactory, MunicipalityFactory, ReportSectionFactory
from tests.planning.report_world import build_year, grow_strategy

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_planner(client, planner):
    client.force_login(planner)
    return client


def test_a_planner_creates_the_report_and_a_second_for_the_year_is_refused(as_planner):
    year = FiscalYearFactory(year=2026)
    response = as_planner.post(reverse("planning:report_create"), {"fiscal_year": year.pk, "title": "Informe 2026"})
    report = AnnualReport.objects.get()
    assert response["Location"] == reverse("planning:report_workspace", args=[report.pk])
    response = as_planner.post(reverse("planning:report_create"), {"fiscal_year": year.pk, "title": "Otro"})
    assert "Ya existe el informe anual del ejercicio 2026" in response.content.decode()
    assert AnnualReport.objects.count() == 1


def test_a_planner_adds_a_markdown_section_and_sees_it_in_the_preview(as_planner):
    world = build_year()
    report = AnnualReportFactory(fiscal_year=world.year)
    url = reverse("planning:report_section_create", args=[report.pk])
    assert 'value="1"' in as_planner.get(url).content.decode()  # the next free order is proposed
    response = as_planner.post(
        url,
        {
            "order": 3,
            "title": "Vivienda",
            "strategy": world.strategies[0].pk,
            "body": "Se **mejoraron** 300 viviendas.",
        },
    )
    assert response.status_code == 302
    page = as_planner.get(reverse("planning:report_workspace", args=[report.pk])).content.decode()
    assert "<strong>mejoraron</strong>" in page
    assert "Estrategia 1. Hábitat" in page and "$6,002.40 MXN" in page
    assert 'id="titulo-historial"' in page


def test_a_duplicate_section_order_is_refused_on_the_form(as_planner):
    section = ReportSectionFactory(order=4)
    response = as_planner.post(
        reverse("planning:report_section_create", args=[section.report_id]), {"order": 4, "title": "Otra", "body": ""}
    )
    assert "Ya hay una sección con el orden 4" in response.content.decode()
    assert ReportSection.objects.count() == 1


def test_a_frozen_reports_section_cannot_be_deleted(as_planner):
    section = ReportSectionFactory(report__state=LifecycleState.APPROVED)
    response = as_planner.post(reverse("planning:report_section_delete", args=[section.pk]), follow=True)
    assert "no se puede modificar" in response.content.decode()
    assert ReportSection.objects.filter(pk=section.pk).exists()


def test_the_workspace_pdf_of_a_draft_opens_inline(as_planner):
    report = AnnualReportFactory()
    response = as_planner.get(reverse("planning:report_pdf_preview", args=[report.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert response.content.startswith(b"%PDF-")


def test_the_public_report_renders_sections_safely(client):
    world = build_year()
    report = AnnualReportFactory(fiscal_year=world.year, state=LifecycleState.PUBLISHED)
    ReportSectionFactory(
        report=report,
        order=1,
        title="Presentación",
        body="<script>alert('x')</script><img src=x onerror=alert(1)> *Hola*",
    )
    page = client.get(reverse("planning:report_year", args=[2025])).content.decode()
    assert "<script>" not in page and "<img" not in page  # raw HTML comes out as inert text
    assert "&lt;script&gt;alert" in page
    assert "<em>Hola</em>" in page
    assert reverse("planning:report_year_pdf", args=[2025]) in page
    assert report.title in client.get(reverse("planning:report_index")).content.decode()


def test_the_public_report_page_keeps_a_constant_query_count_as_the_year_grows(client):
    world = build_year()
    report = AnnualReportFactory(fiscal_year=world.year, state=LifecycleState.PUBLISHED)
    ReportSectionFactory(report=report, strategy=world.strategies[0])
    url = reverse("planning:report_year", args=[2025])
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for strategy in world.strategies:
        grow_strategy(strategy, world.budget, world.year, MunicipalityFactory(), 3, lines=4, projects=4)
    ReportSectionFactory.create_batch(3, report=report, strategy=world.strategies[1])
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_a_draft_report_stays_off_the_public_site(client):
    AnnualReportFactory(title="Borrador secreto")
    assert client.get(reverse("planning:report_year", args=[2025])).status_code == 404
    assert "Borrador secreto" not in client.get(reverse("planning:report_index")).content.decode()
