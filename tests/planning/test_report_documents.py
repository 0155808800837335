"""The annual report's PDF is laid out once per published version, by a task on each backend (or by the first
request when no worker got to it yet), kept in storage and served from there — never laid out on every request."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.files.storage import default_storage
from django.urls import reverse
from pypdf import PdfReader

from implan import roles, tasks
from implan.models import LifecycleState
from planning import report_files
from planning.models import AnnualReport, ReportDocument
from planning.services import lifecycle
from tests.factories import AnnualReportFactory, ReportSectionFactory, UserFactory

PUBLIC_PDF = reverse("planning:report_year_pdf", args=[2025])


@pytest.fixture
def backend(tasks_backend) -> str:
    """Each backend in turn, with the role groups back (a transactional test's flush removes them)."""
    for name in roles.ALL_ROLES:
        Group.objects.get_or_create(name=name)
    return tasks_backend


@pytest.fixture
def renders(monkeypatch) -> list[int]:
    """The ids of the reports laid out (the real layout runs; this only counts it)."""
    laid_out: list[int] = []
    real = report_files.render

    def counted(report: AnnualReport) -> bytes:
        laid_out.append(report.pk)
        return real(report)

    monkeypatch.setattr(report_files, "render", counted)
    return laid_out


def _approved_report(**kwargs) -> AnnualReport:
    report = AnnualReportFactory(title="Informe anual 2025 de León", state=LifecycleState.APPROVED, **kwargs)
    ReportSectionFactory(report=report, order=1, title="Presentación del informe", body="Un año de trabajo.")
    return report


def _publish(report: AnnualReport) -> AnnualReport:
    planner = UserFactory(username=f"planeador_{report.pk}", roles=["Planeación"])
    return lifecycle.instrument_publish(instrument=report, actor=planner)


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_publishing_has_a_worker_store_the_pdf_once_and_the_link_serves_that_file(client, backend, renders):
    report = _publish(_approved_report())
    assert not ReportDocument.objects.exists()  # the publication itself laid nothing out
    assert tasks.run_waiting_tasks() == 1
    document = ReportDocument.objects.get(report=report)
    assert renders == [report.pk] and default_storage.exists(document.file.name)
    assert document.file.name == "informes/2025/informe-anual-2025-v1.pdf"

    response = client.get(PUBLIC_PDF)
    served = b"".join(response.streaming_content)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="informe-anual-2025-v1.pdf"'
    assert response["ETag"] == f'"{document.sha256}"' and len(served) == document.size
    assert "Presentación del informe" in _text(served)
    assert renders == [report.pk]  # served from storage, not laid out again

    # The task delivered again (a retry, a second enqueue) finds the document and stores nothing.
    tasks.enqueue(report_files.report_document_generate, report.pk)
    assert tasks.run_waiting_tasks() == 1
    assert renders == [report.pk] and ReportDocument.objects.count() == 1
    assert default_storage.listdir("informes/2025")[1] == ["informe-anual-2025-v1.pdf"]


def test_a_new_published_version_gets_its_own_pdf_and_the_year_link_moves_to_it(client, backend, renders):
    first = _publish(_approved_report())
    assert tasks.run_waiting_tasks() == 1
    second = lifecycle.instrument_new_version(instrument=first, actor=UserFactory(roles=["Planeación"]))
    AnnualReport.objects.filter(pk=second.pk).update(state=LifecycleState.APPROVED, title="Informe 2025, corregido")
    second = _publish(AnnualReport.objects.get(pk=second.pk))
    assert tasks.run_waiting_tasks() == 1
    assert renders == [first.pk, second.pk]
    names = set(ReportDocument.objects.values_list("file", flat=True))
    assert names == {"informes/2025/informe-anual-2025-v1.pdf", "informes/2025/informe-anual-2025-v2.pdf"}
    response = client.get(PUBLIC_PDF)
    assert response["Content-Disposition"] == 'attachment; filename="informe-anual-2025-v2.pdf"'
    assert "Informe 2025, corregido" in _text(b"".join(response.streaming_content))
    assert AnnualReport.objects.get(pk=first.pk).state == LifecycleState.SUPERSEDED
    assert len(renders) == 2


def test_without_a_worker_the_first_request_lays_the_pdf_out_and_stores_it_once(client, db, renders):
    report = AnnualReportFactory(state=LifecycleState.PUBLISHED)  # published, its task never run
    first = client.get(PUBLIC_PDF)
    assert first.status_code == 200 and renders == [report.pk]
    document = ReportDocument.objects.get(report=report)
    second = client.get(PUBLIC_PDF)
    assert b"".join(second.streaming_content) == b"".join(first.streaming_content)
    assert renders == [report.pk]
    # A browser holding it asks whether it changed: not re-sent.
    assert client.get(PUBLIC_PDF, HTTP_IF_NONE_MATCH=f'"{document.sha256}"').status_code == 304
    # The task arriving late stores nothing more.
    assert report_files.document_for(report.pk) == document and renders == [report.pk]


def test_a_draft_has_no_stored_pdf_and_its_preview_is_laid_out_live(client, planner, renders):
    report = AnnualReportFactory(state=LifecycleState.DRAFT)
    assert report_files.report_document(report) is None
    assert report_files.document_for(report.pk) is None
    client.force_login(planner)
    response = client.get(reverse("planning:report_pdf_preview", args=[report.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert not ReportDocument.objects.exists() and renders == []
    assert client.get(PUBLIC_PDF).status_code == 404
