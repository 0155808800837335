"""The Presupuesto Ciudadano as a PDF, with WeasyPrint: the same content as its web page, paged for print (letter,
numbered pages, the portal's stylesheet under print media, as the annual report's PDF in ``planning.report_pdf``).

It is a few pages of text, tables and small SVG charts drawn on the server (no images, no embedded fonts beyond
the subset WeasyPrint takes): well under 1 MB, which ``tests/planning/test_citizen_budget.py`` holds. Nothing is
fetched: only ``data:`` URLs resolve.
"""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from implan.context_processors import site
from planning.report_pdf import STYLESHEET, offline_fetcher
from planning.selectors.citizen_budget import CitizenBudget


def citizen_budget_html(data: CitizenBudget, request: HttpRequest | None = None) -> str:
    context = {**site(request), "data": data, "budget": data.budget, "generated_at": timezone.now()}
    return render_to_string("planning/public/citizen_budget_document.html", context, request=request)


def citizen_budget_pdf(data: CitizenBudget, request: HttpRequest | None = None) -> bytes:
    from weasyprint import CSS, HTML

    fetcher = offline_fetcher()
    stylesheet = CSS(filename=finders.find(STYLESHEET), url_fetcher=fetcher)
    # Links (to the consultations, the open data…) resolve against the portal's address; nothing is fetched.
    base_url = request.build_absolute_uri("/") if request is not None else None
    html = citizen_budget_html(data, request)
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher, media_type="print")
    return document.write_pdf(stylesheets=[stylesheet])


def pdf_filename(*, year: int) -> str:
    return f"presupuesto-ciudadano-{year}.pdf"
