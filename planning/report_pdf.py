"""The annual report as a PDF, with WeasyPrint: the same content as the web page, paged for print.

Pages are numbered and tables repeat their header row on every page (the ``@media print`` rules of the report
block in ``static/css/portal.css``). Text written by planners goes through the ``markdown`` filter (sanitised) and
WeasyPrint fetches nothing: only ``data:`` URLs are resolved, so an image link in a section cannot make the server
request another address or read a local file.

WeasyPrint is imported when a PDF is made, not when the portal starts (it is slow to import and parses its own
stylesheets at import time).
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.staticfiles import finders
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from implan.context_processors import site
from planning.selectors.report import ReportData

STYLESHEET = "css/portal.css"

# WeasyPrint narrates every step at INFO and warns about each screen-only property of the portal's stylesheet
# (gap, overflow-x…): noise in the portal's logs. Real failures still surface as exceptions.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def offline_fetcher() -> Any:
    """A URL fetcher that resolves ``data:`` URLs only: no http(s), no file:// — nothing outside the document."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"})


def report_title(data: ReportData) -> str:
    return data.report.title if data.report else _("Informe anual %(year)s") % {"year": data.year}


def report_html(data: ReportData, request: HttpRequest | None = None) -> str:
    # The institute's names come with the context even without a request (benchmarks, commands).
    context = {**site(request), "data": data, "title": report_title(data), "generated_at": timezone.now()}
    return render_to_string("planning/public/report_document.html", context, request=request)


def report_pdf(data: ReportData, request: HttpRequest | None = None) -> bytes:
    """The PDF bytes of the report (the document template with the portal's stylesheet, print media)."""
    from weasyprint import CSS, HTML

    fetcher = offline_fetcher()
    stylesheet = CSS(filename=finders.find(STYLESHEET), url_fetcher=fetcher)
    document = HTML(string=report_html(data, request), url_fetcher=fetcher, media_type="print")
    return document.write_pdf(stylesheets=[stylesheet])


def pdf_filename(*, year: int, version: int) -> str:
    return f"informe-anual-{year}-v{version}.pdf"
