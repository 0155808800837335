"""The published budgets on the public site, and their open data (Fiscal Data Package)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse

from implan.exports import csv_response, file_name
from planning import budget_opendata
from planning import budget_selectors as selectors

LINES_PER_PAGE = 50


def budget_index(request: HttpRequest) -> HttpResponse:
    return render(request, "planning/budget_public_list.html", {"budgets": selectors.public_budgets()})


def budget_year(request: HttpRequest, year: int) -> HttpResponse:
    budget = selectors.published_budget(year=year)
    lines = Paginator(selectors.budget_lines(budget=budget).prefetch_related(None), LINES_PER_PAGE)
    summary = selectors.budget_summary(budget=budget)
    return render(request, "planning/budget_public_detail.html", {
        "budget": budget,
        "years": selectors.published_years(),
        "summary": summary,
        "comparison": selectors.previous_year_comparison(budget=budget, summary=summary),
        "totals": selectors.labelled_totals(budget=budget),
        "lines": lines.get_page(request.GET.get("pagina")),
    })


def budget_datapackage(request: HttpRequest, year: int) -> JsonResponse:
    budget = selectors.published_budget(year=year)
    homepage = request.build_absolute_uri(reverse("planning:budget_year", args=[year]))
    response = JsonResponse(budget_opendata.datapackage(budget, homepage=homepage),
                            json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def budget_csv(request: HttpRequest, year: int) -> HttpResponse:
    budget = selectors.published_budget(year=year)
    header, rows = budget_opendata.lines_table(budget)
    response = csv_response(header, rows, filename=file_name("presupuesto", budget.fiscal_year.year, "lineas",
                                                              extension="csv"), attachment=False)
    response["Access-Control-Allow-Origin"] = "*"
    return response
