"""The Presupuesto Ciudadano of a published budget: its public page and its PDF, both read live from the budget
(``planning.selectors.citizen_budget``); an unpublished year is a 404 like the budget's own page."""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from implan.cache import content_version
from implan.exports import set_file_name
from planning import citizen_budget_pdf
from planning.selectors import budget as budget_selectors
from planning.selectors import citizen_budget as citizen_selectors

# Laying the PDF out takes a second or two: it is kept until any content of the portal changes (the key carries the
# content version), so every reader after the first gets it at once and a correction shows in the next one.
PDF_CACHE_SECONDS = 60 * 60


def citizen_budget(request: HttpRequest, year: int) -> HttpResponse:
    budget = budget_selectors.published_budget(year=year)
    data = citizen_selectors.citizen_budget(budget=budget)
    return render(request, "planning/public/citizen_budget.html", {"budget": budget, "data": data})


def citizen_budget_pdf_view(request: HttpRequest, year: int) -> HttpResponse:
    budget = budget_selectors.published_budget(year=year)
    key = f"presupuesto-ciudadano-pdf:{budget.pk}:{content_version()}:{get_language()}"
    pdf = cache.get(key)
    if pdf is None:
        pdf = citizen_budget_pdf.citizen_budget_pdf(citizen_selectors.citizen_budget(budget=budget), request)
        cache.set(key, pdf, PDF_CACHE_SECONDS)
    response = HttpResponse(pdf, content_type="application/pdf")
    set_file_name(response, citizen_budget_pdf.pdf_filename(year=year), attachment=False)
    return response
