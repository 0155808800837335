"""Transparency pages: the public index, a page and a PNT file per obligation, and the planner's due list."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from implan.exports import XLSX_TYPE, file_name, file_response
from implan.permissions import planner_required
from implan.portal.transparency import sheets
from implan.portal.transparency.selectors import all_statuses, obligation_or_404, obligation_status, preview
from implan.types import AuthenticatedRequest

PREVIEW_ROWS = 10


def transparency_index(request: HttpRequest) -> HttpResponse:
    context = {"statuses": all_statuses(), "law": settings.TRANSPARENCY_LAW}
    return render(request, "portal/transparency/index.html", context)


def obligation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    status = obligation_status(obligation_or_404(slug))
    context = {"status": status, "obligation": status.obligation, "preview": preview(status, limit=PREVIEW_ROWS)}
    return render(request, "portal/transparency/obligation.html", context)


def obligation_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    status = obligation_status(obligation_or_404(slug))
    name = file_name("transparencia", slug, extension="xlsx")
    return file_response(sheets.workbook(status), filename=name, content_type=XLSX_TYPE)


@planner_required
def transparency_due(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "portal/transparency/due.html", {"statuses": all_statuses()})
