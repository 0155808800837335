"""The annual report's PDF, laid out once per published version and kept in storage (``STORAGES["default"]``).

Publishing a version (``planning.services.lifecycle.instrument_publish``) enqueues ``report_document_generate`` for
when the publication commits; the public link serves the stored file (``report_document``). A link followed before
a worker got to it lays the PDF out in that request, once, and stores it: the citizen gets the document at once
(no «come back later» page), and every request after it gets the file. The portal therefore works with no worker
at all (``load_demo`` on SQLite, a test): the first reader pays the seconds the layout takes, nobody after.

A draft or a version in review has no stored PDF: its preview in the workspace is laid out live.

The report's figures are read live (``planning.selectors.report``): the stored PDF is the report as it read when it
was published — the document the institute published, which a later correction of the data does not rewrite (a
new version of the report gets its own PDF). It is laid out in the portal's language (``LANGUAGE_CODE``), the
official one, whatever the language of the visitor who happened to ask first.

Safe to run twice: generation locks the report's row and does nothing when the version already has its document,
so a task delivered twice, a worker racing a request, or two requests at once lay the PDF out and store it once.
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation

from implan.models import LifecycleState
from implan.tasks import background_task, enqueue_on_commit
from planning import report_pdf
from planning.models import AnnualReport, ReportDocument
from planning.selectors import report as report_selectors

logger = logging.getLogger(__name__)

FOLDER = "informes"


@background_task
def report_document_generate(report_id: int) -> None:
    """The task: lay out and store the PDF of a published report version, unless it already has one."""
    document_for(report_id)


def schedule(report: AnnualReport) -> None:
    """Have a worker store the report's PDF once the current transaction (its publication) commits.

    If the queue refuses the task (Redis down) nothing is lost: the first request for the PDF stores it.
    """
    enqueue_on_commit(report_document_generate, report.pk)


def report_document(report: AnnualReport) -> ReportDocument | None:
    """The report's stored PDF; laid out and stored now if a published version has none yet; None for a draft."""
    document = ReportDocument.objects.filter(report=report).first()
    if document is not None or report.state != LifecycleState.PUBLISHED:
        return document
    return document_for(report.pk)


def document_for(report_id: int) -> ReportDocument | None:
    """Store the PDF of a published version once; the stored document (new or not), or None when not published.

    The row lock makes a second caller wait for the first one's document instead of laying the PDF out again
    (PostgreSQL; SQLite lets one writer at a time anyway).
    """
    stored_name = ""
    try:
        with transaction.atomic():
            report = (
                AnnualReport.objects.select_for_update(of=("self",))
                .select_related("fiscal_year")
                .filter(pk=report_id)
                .first()
            )
            existing = ReportDocument.objects.filter(report_id=report_id).first()
            if report is None or existing is not None or report.state != LifecycleState.PUBLISHED:
                return existing
            pdf = render(report)
            stored_name = default_storage.save(_path(report), ContentFile(pdf))
            return ReportDocument.objects.create(
                report=report,
                file=stored_name,
                sha256=hashlib.sha256(pdf).hexdigest(),
                size=len(pdf),
                generated_at=timezone.now(),
            )
    except BaseException:
        if stored_name:  # the row was not written: leave no file without it
            default_storage.delete(stored_name)
        raise


def render(report: AnnualReport) -> bytes:
    """Lay the report's PDF out (seconds), in the portal's own language."""
    with translation.override(settings.LANGUAGE_CODE):
        data = report_selectors.annual_report_data(fiscal_year=report.fiscal_year, report=report)
        pdf = report_pdf.report_pdf(data)
    logger.info("Laid out the PDF of the annual report %s, version %s", report.fiscal_year.year, report.version)
    return pdf


def _path(report: AnnualReport) -> str:
    year = report.fiscal_year.year
    return f"{FOLDER}/{year}/{report_pdf.pdf_filename(year=year, version=report.version)}"
