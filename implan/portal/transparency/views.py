"""Transparency pages: the public index, a page and a PNT file per obligation, and the planner's due list."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from implan.cache import lazy_context
from implan.exports import XLSX_TYPE, file_name, file_response
from implan.permissions import planner_required
from implan.portal.transparency import sheets
from implan.portal.transparency.selectors import all_statuses, obligation_or_404, obligation_status, preview
from implan.types import AuthenticatedRequest

PREVIEW_ROWS = 10


def transparency_index(request: HttpRequest) -> HttpResponse:
    # Kept by content version ({% content_cache %}): every obligation's records are read once per change of content.
    context = lazy_context(lambda: {"statuses": all_statuses()}, ("statuses",))
    return render(request, "portal/transparency/index.html", {"law": settings.TRANSPARENCY_LAW, **context})


def obligation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    obligation = obligation_or_404(slug)

    def content() -> dict[str, Any]:
        status = obligation_status(obligation)
        return {"status": status, "preview": preview(status, limit=PREVIEW_ROWS)}

    context = {"obligation": obligation, "content_key": f"transparencia-{slug}"}
    return render(
        request, "portal/transparency/obligation.html", {**context, **lazy_context(content, ("status", "preview"))}
    )


def obligation_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    status = obligation_status(obligation_or_404(slug))
    name = file_name("transparencia", slug, extension="xlsx")
    return file_response(sheets.workbook(status), filename=name, content_type=XLSX_TYPE)


@planner_required
def transparency_due(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "portal/transparency/due.html", {"statuses": all_statuses()})
