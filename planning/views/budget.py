"""The annual budget's pages. Workspace: create a year's budget, its lines and programme allocations while it is a
draft; record modified and executed amounts once it is approved. Thin views: validate, call one service, redirect.
Public site: the published budgets, and their open data (Fiscal Data Package)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from implan.actions import refusal_as_message
from implan.cache import lazy_context
from implan.concurrency import EditConflict, reopened
from implan.errors import DomainError
from implan.events import events_for
from implan.exports import csv_response, file_name
from implan.history import history_entries
from implan.params import is_number
from implan.permissions import planner_required
from planning import opendata
from planning.forms.budget import (
    BudgetCreateForm,
    BudgetEditForm,
    BudgetLineForm,
    ExecutionForm,
    ProgrammeCeilingForm,
    StagesForm,
)
from planning.models import QUARTERS, Budget, BudgetExecution, BudgetLine, BudgetQuarter, ProgrammeCeiling
from planning.permissions import planner_object
from planning.selectors import budget as budget_selectors
from planning.services import budget as budget_services
from planning.services import execution as execution_services
from planning.services.editing import in_draft

FORM = "planning/workspace/budget_form.html"
LINES_PER_PAGE = 50


# --- Workspace ------------------------------------------------------------------------------------------------


@planner_required
def budget_list(request: HttpRequest) -> HttpResponse:
    budgets = (
        Budget.objects.select_related("fiscal_year")
        .annotate(approved=Sum("lines__approved_amount"))
        .order_by("-fiscal_year__year", "-version")
    )
    return render(request, "planning/workspace/budget_list.html", {"budgets": budgets})


@planner_required
def budget_create(request: HttpRequest) -> HttpResponse:
    form = BudgetCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            budget = budget_services.budget_create(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Se creó «%(budget)s» en borrador.") % {"budget": budget})
            return redirect("planning:budget_workspace", pk=budget.pk)
    return render(request, FORM, {"form": form, "title": _("Nuevo presupuesto anual")})


class CountedPaginator(Paginator):
    """A paginator told how many rows there are (read with the page's totals) instead of counting them again."""

    def __init__(self, object_list: Any, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # ``count`` is a cached property: the value set here is the one read


def lines_url(request: HttpRequest, budget_id: int) -> str:
    """The budget's page at the page of lines the planner came from: ``pagina`` rides on the links to a line's forms
    (which post to their own address) and on the inline forms of the lines; anything but a page number is ignored."""
    url = reverse("planning:budget_workspace", args=[budget_id])
    page = request.POST.get("pagina") or request.GET.get("pagina") or ""
    return f"{url}?pagina={page}" if is_number(page) and len(page) < 7 and int(page) > 1 else url


@login_required
def budget_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A budget's workspace: its state, allocations and totals over all its lines, and a page of the lines (a
    municipality's budget has thousands; on one page they were a page that grew with every line)."""
    # Which quarters are closed and whether any line is recorded by quarter, in the budget's own query: one EXISTS
    # each works on SQLite too (the default run), where an array of quarters does not.
    closed = {f"closed_q{q}": Exists(BudgetQuarter.objects.filter(budget=OuterRef("pk"), quarter=q)) for q in QUARTERS}
    by_quarter = Exists(BudgetExecution.objects.filter(line__budget=OuterRef("pk")))
    budget = planner_object(
        request,
        Budget.objects.select_related("fiscal_year", "previous_version").annotate(**closed, by_quarter=by_quarter),
        pk=pk,
    )
    closed_quarters = {q for q in QUARTERS if getattr(budget, f"closed_q{q}")}
    overview = budget_selectors.budget_overview(budget=budget)
    # ``by_quarter``: a line recorded by quarter no longer takes the overall execution form (it refuses it).
    lines = budget_selectors.budget_lines(budget=budget).annotate(
        by_quarter=Exists(BudgetExecution.objects.filter(line=OuterRef("pk")))
    )
    page = CountedPaginator(lines, LINES_PER_PAGE, count=overview.line_count).get_page(request.GET.get("pagina"))
    ceilings = budget_selectors.programme_ceilings(budget=budget, assigned=overview.assigned)
    return render(
        request,
        "planning/workspace/budget_detail.html",
        {
            "budget": budget,
            "summary": budget_selectors.summary_of(budget, overview.totals.by_chapter),
            "totals": overview.totals,
            "line_count": overview.line_count,
            "lines": page,
            "here": f"?pagina={page.number}" if page.number > 1 else "",  # on the links to a line's forms
            "rows": budget_selectors.line_rows(page.object_list),
            "ceilings": ceilings,
            "editable": in_draft(budget),
            "recording": budget.state in budget_services.EXECUTION_STATES and not budget.fiscal_year.is_closed,
            "quarters": QUARTERS,
            "closed_quarters": closed_quarters,
            "events": events_for(budget)[:30],
            # The history is that of the objects that exist now: a kind the page has seen none of costs no query.
            "history": history_entries(
                budget,
                *([budget.lines.all()] if overview.line_count else []),
                *([budget.programme_ceilings.all()] if ceilings else []),
                *([BudgetExecution.objects.filter(line__budget=budget)] if budget.by_quarter else []),
                *([budget.closed_quarters.all()] if closed_quarters else []),
            ),
        },
    )


@login_required
def budget_edit(request: HttpRequest, pk: int) -> HttpResponse:
    budget = planner_object(request, Budget, pk=pk)
    form, conflict = BudgetEditForm.for_budget(budget, request.POST or None), None
    if request.method == "POST" and form.is_valid():
        try:
            budget_services.budget_update(
                actor=request.user,
                budget=budget,
                title=form.cleaned_data["title"],
                ceiling=form.cleaned_data["ceiling"],
                seen=form.seen(),
            )
        except EditConflict as error:
            form, conflict = BudgetEditForm.for_budget(budget, reopened(request.POST, error)), error
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Se guardaron los datos del presupuesto."))
            return redirect("planning:budget_workspace", pk=budget.pk)
    return render(
        request,
        FORM,
        {"form": form, "budget": budget, "conflict": conflict, "title": _("Datos generales del presupuesto")},
    )


@login_required
def line_create(request: HttpRequest, pk: int) -> HttpResponse:
    budget = planner_object(request, Budget, pk=pk)
    form = BudgetLineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            budget_services.budget_line_save(actor=request.user, budget=budget, data=form.line_data())
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Se agregó la línea presupuestal."))
            return redirect("planning:budget_workspace", pk=budget.pk)
    return render(request, FORM, {"form": form, "budget": budget, "title": _("Nueva línea presupuestal")})


@login_required
def line_edit(request: HttpRequest, pk: int) -> HttpResponse:
    line = planner_object(request, BudgetLine.objects.select_related("budget"), pk=pk)
    form, conflict = BudgetLineForm.for_line(line, request.POST or None), None
    if request.method == "POST" and form.is_valid():
        try:
            budget_services.budget_line_save(
                actor=request.user, budget=line.budget, data=form.line_data(line), line=line, seen=form.seen()
            )
        except EditConflict as error:
            form, conflict = BudgetLineForm.for_line(line, reopened(request.POST, error)), error
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Se guardó la línea presupuestal."))
            return redirect(lines_url(request, line.budget_id))
    return render(
        request,
        FORM,
        {
            "form": form,
            "budget": line.budget,
            "back": lines_url(request, line.budget_id),
            "conflict": conflict,
            "title": _("Línea presupuestal"),
        },
    )


@require_POST
@login_required
def line_delete(request: HttpRequest, pk: int) -> HttpResponse:
    line = planner_object(request, BudgetLine, pk=pk)
    with refusal_as_message(request):
        budget_services.budget_line_delete(actor=request.user, line=line)
        messages.success(request, _("Se eliminó la línea presupuestal."))
    return redirect(lines_url(request, line.budget_id))


@login_required
def line_execution(request: HttpRequest, pk: int) -> HttpResponse:
    line = planner_object(request, BudgetLine.objects.select_related("budget", "programme", "agency"), pk=pk)
    form, conflict = ExecutionForm.for_line(line, request.POST or None), None
    if request.method == "POST" and form.is_valid():
        try:
            budget_services.budget_line_record_execution(
                actor=request.user, line=line, data=form.execution_data(), seen=form.seen()
            )
        except EditConflict as error:
            form, conflict = ExecutionForm.for_line(line, reopened(request.POST, error)), error
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Se registró la ejecución de la línea."))
            return redirect(lines_url(request, line.budget_id))
    return render(
        request,
        FORM,
        {
            "form": form,
            "budget": line.budget,
            "back": lines_url(request, line.budget_id),
            "line": line,
            "conflict": conflict,
            "title": _("Registrar la ejecución de %(line)s") % {"line": line},
        },
    )


def _quarter(request: HttpRequest) -> int:
    try:
        quarter = int(request.GET.get("trimestre", "1"))
    except ValueError:
        quarter = 1
    return quarter if quarter in QUARTERS else 1


@login_required
def line_stages(request: HttpRequest, pk: int) -> HttpResponse:
    """A line's stages (momentos contables) accumulated to a quarter's end, on the approved budget in force."""
    line = planner_object(
        request, BudgetLine.objects.select_related("budget__fiscal_year", "programme", "agency"), pk=pk
    )
    quarter = _quarter(request)
    form, conflict = StagesForm.for_quarter(line, quarter, request.POST or None), None
    if request.method == "POST" and form.is_valid():
        try:
            execution_services.budget_execution_record(
                actor=request.user, line=line, quarter=quarter, data=form.stage_data(), seen=form.seen()
            )
        except EditConflict as error:
            form, conflict = StagesForm.for_quarter(line, quarter, reopened(request.POST, error)), error
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Se registró el trimestre %(q)s de la línea.") % {"q": quarter})
            return redirect(lines_url(request, line.budget_id))
    return render(
        request,
        "planning/workspace/budget_stages.html",
        {
            "form": form,
            "budget": line.budget,
            "line": line,
            "quarter": quarter,
            "quarters": QUARTERS,
            "closed": set(line.budget.closed_quarters.values_list("quarter", flat=True)),
            "recorded": list(line.executions.order_by("quarter")),
            "conflict": conflict,
            "title": _("Ejecución trimestral de %(line)s") % {"line": line},
            "back": lines_url(request, line.budget_id),
        },
    )


@require_POST
@login_required
def quarter_close(request: HttpRequest, pk: int) -> HttpResponse:
    budget = planner_object(request, Budget, pk=pk)
    with refusal_as_message(request):
        try:
            quarter = int(request.POST.get("quarter", ""))
        except ValueError:
            raise DomainError(_("Elija el trimestre que se cierra.")) from None
        execution_services.budget_quarter_close(actor=request.user, budget=budget, quarter=quarter)
        messages.success(request, _("Se cerró el trimestre %(q)s: sus cifras quedan fijas.") % {"q": quarter})
    return redirect("planning:budget_workspace", pk=budget.pk)


@login_required
def ceiling_set(request: HttpRequest, pk: int) -> HttpResponse:
    budget = planner_object(request, Budget, pk=pk)
    form = ProgrammeCeilingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            budget_services.programme_ceiling_set(actor=request.user, budget=budget, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Se fijó la asignación del programa."))
            return redirect("planning:budget_workspace", pk=budget.pk)
    return render(request, FORM, {"form": form, "budget": budget, "title": _("Asignación por programa")})


@require_POST
@login_required
def ceiling_remove(request: HttpRequest, pk: int) -> HttpResponse:
    ceiling = planner_object(request, ProgrammeCeiling, pk=pk)
    with refusal_as_message(request):
        budget_services.programme_ceiling_remove(actor=request.user, ceiling=ceiling)
        messages.success(request, _("Se quitó la asignación del programa."))
    return redirect("planning:budget_workspace", pk=ceiling.budget_id)


# --- Public site ----------------------------------------------------------------------------------------------


def budget_index(request: HttpRequest) -> HttpResponse:
    return render(request, "planning/public/budget_list.html", {"budgets": budget_selectors.public_budgets()})


def budget_year(request: HttpRequest, year: int) -> HttpResponse:
    """The year's budget at a glance: totals, comparison, stages; its classifications and lines have pages of their own
    (on one page they made a phone lay out 1,600 elements)."""
    budget = budget_selectors.published_budget(year=year)
    if "pagina" in request.GET:  # the lines were paged here once: an old link still reaches its page of lines
        return redirect(f"{reverse('planning:budget_lines', args=[year])}?{request.GET.urlencode()}", permanent=True)

    def content() -> dict[str, Any]:
        totals = budget_selectors.labelled_totals(budget=budget)
        summary = budget_selectors.summary_of(budget, totals.by_chapter)
        stages = budget_selectors.stage_totals(budget=budget, approved=summary.approved)
        return {
            "years": budget_selectors.published_years(),
            "summary": summary,
            "comparison": budget_selectors.previous_year_comparison(budget=budget, summary=summary),
            "totals": totals,
            "stages": stages,
            # The latest closed quarter, by chapter: where each peso of the year stands.
            "chapter_stages": budget_selectors.stages_by_cog_chapter(
                budget=budget, quarter=stages[-1].quarter if stages else 0
            ),
            "line_count": budget_selectors.budget_lines(budget=budget).count(),
        }

    # The content is kept by content version ({% content_cache %}); lazy, so kept content costs no query.
    context = lazy_context(
        content, ("years", "summary", "comparison", "totals", "stages", "chapter_stages", "line_count")
    )
    return render(
        request,
        "planning/public/budget_detail.html",
        {"budget": budget, "section": "year", "content_key": f"presupuesto-{budget.pk}", **context},
    )


def budget_classifications(request: HttpRequest, year: int) -> HttpResponse:
    """The year's totals by each of CONAC's classifications."""
    budget = budget_selectors.published_budget(year=year)

    def content() -> dict[str, Any]:
        totals = budget_selectors.labelled_totals(budget=budget)
        return {
            "summary": budget_selectors.summary_of(budget, totals.by_chapter),  # the tables' totals
            "conac": budget_selectors.classification_totals(budget=budget, totals=totals),
        }

    return render(
        request,
        "planning/public/budget_classifications.html",
        {
            "budget": budget,
            "section": "classifications",
            "content_key": f"presupuesto-{budget.pk}-clasificaciones",
            **lazy_context(content, ("summary", "conac")),
        },
    )


def budget_lines(request: HttpRequest, year: int) -> HttpResponse:
    """The year's lines, a page of them at a time."""
    budget = budget_selectors.published_budget(year=year)
    page = request.GET.get("pagina")

    def content() -> dict[str, Any]:
        lines = Paginator(budget_selectors.budget_lines(budget=budget).prefetch_related(None), LINES_PER_PAGE)
        return {"lines": lines.get_page(page)}

    # By the full path: the pagination's links repeat the rest of the query string.
    key = f"presupuesto-{budget.pk}-lineas-{hashlib.md5(request.get_full_path().encode()).hexdigest()}"
    return render(
        request,
        "planning/public/budget_lines.html",
        {"budget": budget, "section": "lines", "content_key": key, **lazy_context(content, ("lines",))},
    )


def budget_datapackage(request: HttpRequest, year: int) -> JsonResponse:
    budget = budget_selectors.published_budget(year=year)
    homepage = request.build_absolute_uri(reverse("planning:budget_year", args=[year]))
    response = JsonResponse(
        opendata.datapackage(budget, homepage=homepage), json_dumps_params={"ensure_ascii": False, "indent": 1}
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def budget_csv(request: HttpRequest, year: int) -> HttpResponse:
    budget = budget_selectors.published_budget(year=year)
    header, rows = opendata.lines_table(budget)
    response = csv_response(
        header,
        rows,
        filename=file_name("presupuesto", budget.fiscal_year.year, "lineas", extension="csv"),
        attachment=False,
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response
