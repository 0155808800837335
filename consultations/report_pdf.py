"""The «informe de la consulta» as a PDF, made the way planning makes the annual report's (``planning/report_pdf.py``):
the document template with the portal's stylesheet, print media, and a fetcher that resolves nothing outside it."""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from consultations.selectors import Report
from implan.context_processors import site
from planning.report_pdf import STYLESHEET, offline_fetcher


def report_html(report: Report, request: HttpRequest | None = None) -> str:
    context = {**site(request), "report": report, "consultation": report.consultation, "generated_at": timezone.now()}
    return render_to_string("consultations/public/report_document.html", context, request=request)


def report_pdf(report: Report, request: HttpRequest | None = None) -> bytes:
    from weasyprint import CSS, HTML

    fetcher = offline_fetcher()
    stylesheet = CSS(filename=finders.find(STYLESHEET), url_fetcher=fetcher)
    document = HTML(string=report_html(report, request), url_fetcher=fetcher, media_type="print")
    return document.write_pdf(stylesheets=[stylesheet])
