"""The indicators workspace (planners): the catalogue, loading files with a preview, and exports."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Max, Min
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from implan.actions import refusal_as_message
from implan.concurrency import EditConflict, reopened
from implan.errors import DomainError
from implan.events import events_for
from implan.history import history_entries
from implan.permissions import deny_unless, planner_only_sees, planner_required
from indicators import exporting, selectors, services
from indicators.forms import BreakdownForm, ExportForm, IndicatorForm, RateForm, UploadForm
from indicators.models import ImportJob, ImportJobState, ImportRow, Indicator, RowOutcome

PREVIEW_ROWS = 100
VALUE_HISTORY = 30


@planner_required
def catalogue(request: HttpRequest) -> HttpResponse:
    indicators = Indicator.objects.annotate(
        observation_count=Count("observations"), latest=Max("observations__period_start")
    ).order_by("family", "code")
    return render(request, "indicators/workspace/indicator_list.html", {"indicators": indicators})


@planner_required
def indicator_create(request: HttpRequest) -> HttpResponse:
    form = IndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            indicator = services.indicator_create(
                actor=request.user, data=form.data_for_service(), sdg_codes=form.cleaned_data["sdg_codes"]
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Se agregó el indicador %(code)s.") % {"code": indicator.code})
            return redirect("indicators:workspace_indicator", pk=indicator.pk)
    return render(request, "indicators/workspace/indicator_form.html", {"form": form, "title": _("Nuevo indicador")})


@planner_required
def indicator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = get_object_or_404(
        Indicator.objects.select_related("owner", "rate_numerator", "rate_denominator").prefetch_related(
            "sdg_codes", "dimensions__categories"
        ),
        pk=pk,
    )
    return render(
        request,
        "indicators/workspace/indicator_detail.html",
        {
            "indicator": indicator,
            "history": history_entries(indicator),
            "value_history": history_entries(indicator.observations.all(), limit=VALUE_HISTORY),
            "goals": list(indicator.goals.select_related("objective__strategy").order_by("target_year")),
            "stats": indicator.observations.aggregate(
                n=Count("id"), first=Min("period_start"), last=Max("period_start")
            ),
            "breakdown_form": BreakdownForm(),
            "rate_form": RateForm(),
        },
    )


def _form_errors(request: HttpRequest, form: BreakdownForm | RateForm) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


@require_POST
@planner_required
def indicator_breakdown_add(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = get_object_or_404(Indicator, pk=pk)
    form = BreakdownForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        with refusal_as_message(request):
            services.indicator_declare_breakdown(
                actor=request.user, indicator=indicator, name=form.cleaned_data["name"], categories=form.category_list()
            )
            messages.success(request, _("Se declaró la desagregación."))
    return redirect("indicators:workspace_indicator", pk=indicator.pk)


@require_POST
@planner_required
def indicator_rate_define(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = get_object_or_404(Indicator, pk=pk)
    form = RateForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        with refusal_as_message(request):
            services.indicator_define_rate(
                actor=request.user,
                indicator=indicator,
                numerator=form.cleaned_data["numerator"],
                denominator=form.cleaned_data["denominator"],
                per=form.cleaned_data["per"],
            )
            messages.success(request, _("El indicador es ahora una tasa; el portal calculó sus valores."))
    return redirect("indicators:workspace_indicator", pk=indicator.pk)


@planner_required
def indicator_update(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = get_object_or_404(Indicator, pk=pk)
    form, conflict = IndicatorForm(request.POST or None, instance=indicator), None
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_update(
                actor=request.user,
                indicator=indicator,
                data=form.data_for_service(),
                sdg_codes=form.cleaned_data["sdg_codes"],
                reason=form.cleaned_data["reason"],
                seen=form.seen(),
            )
        except EditConflict as error:
            indicator.refresh_from_db()  # validating the form wrote the person's input into it, unsaved
            form, conflict = IndicatorForm(reopened(request.POST, error), instance=indicator), error
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Se guardaron los cambios."))
            return redirect("indicators:workspace_indicator", pk=indicator.pk)
    return render(
        request,
        "indicators/workspace/indicator_form.html",
        {
            "form": form,
            "indicator": indicator,
            "conflict": conflict,
            "title": _("Editar %(name)s") % {"name": indicator.name},
        },
    )


@planner_required
def import_list(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            job = services.import_job_create(actor=request.user, file_name=uploaded.name, content=uploaded.read())
        except DomainError as error:
            form.add_error("file", error.message)
        else:
            return redirect("indicators:import_detail", pk=job.pk)
    services.import_jobs_interrupt_stalled()  # the list shows states: none may claim a dead process still works
    jobs = Paginator(ImportJob.objects.defer("content").select_related("created_by"), 20)
    return render(
        request,
        "indicators/workspace/importjob_list.html",
        {"form": form, "jobs": jobs.get_page(request.GET.get("pagina"))},
        status=400 if form.errors else 200,
    )


def _job(pk: int) -> ImportJob:
    return get_object_or_404(ImportJob.objects.defer("content").select_related("created_by"), pk=pk)


def _watched_job(pk: int) -> ImportJob:
    """The job as someone watching it should see it: if its process died, marked interrupted now.

    ``manage.py mark_stalled_jobs`` notices a dead worker on its schedule; the page and its progress poll are where
    someone waits, so they notice at once too, at no cost while the job is alive.
    """
    job = _job(pk)
    if job.is_stalled(now=timezone.now()) and services.import_jobs_interrupt_stalled(pk=job.pk):
        job = _job(pk)
    return job


@planner_only_sees
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _watched_job(pk)
    outcome = request.GET.get("resultado", "")
    rows = ImportRow.objects.filter(job=job).select_related("indicator", "territory").order_by("line")
    if outcome in RowOutcome.values:
        rows = rows.filter(outcome=outcome)
    elif outcome != "todas" and job.counts.get(RowOutcome.ERROR):  # errors first: they are what to fix
        outcome, rows = RowOutcome.ERROR, rows.filter(outcome=RowOutcome.ERROR)
    page = Paginator(rows, PREVIEW_ROWS).get_page(request.GET.get("pagina"))
    return render(
        request,
        "indicators/workspace/importjob_detail.html",
        {
            "job": job,
            "page": page,
            "outcome": outcome,
            "outcomes": RowOutcome.choices,
            "can_decide": services.can_decide(request.user, job),
            "events": _timeline(job),
        },
    )


def _timeline(job: ImportJob) -> list[tuple[object, str]]:
    labels = dict(ImportJobState.choices)
    return [
        (event, f"{labels.get(event.to_state, event.action)}{': ' + event.note if event.note else ''}")
        for event in events_for(job)
    ]


@planner_only_sees
def import_progress(request: HttpRequest, pk: int) -> JsonResponse:
    job = _watched_job(pk)
    return JsonResponse(
        {
            "state": job.state,
            "label": job.get_state_display(),
            "done": job.rows_done,
            "total": job.rows_total,
            "percent": job.percent,
            "running": job.is_running,
        }
    )


def _decide(request: HttpRequest, pk: int, service: object, done: str) -> HttpResponse:
    job = _job(pk)
    deny_unless(services.can_decide(request.user, job))
    with refusal_as_message(request):
        service(actor=request.user, job=job)
        messages.success(request, done)
    return redirect("indicators:import_detail", pk=job.pk)


@require_POST
@planner_only_sees
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, services.import_job_confirm, _("Se están guardando los datos del archivo."))


@require_POST
@planner_only_sees
def import_discard(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, services.import_job_discard, _("Se descartó el archivo; no se guardó nada."))


@require_POST
@planner_only_sees
def import_retry(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, services.import_job_retry, _("Se reintenta la carga; no se guardará nada dos veces."))


@planner_required
def export_selection(request: HttpRequest) -> HttpResponse:
    form = ExportForm(request.GET or None)
    if request.GET and form.is_valid():
        data = form.cleaned_data
        indicators = data["indicators"] or Indicator.objects.all()
        if data["family"]:
            indicators = indicators.filter(family=data["family"])
        selection = selectors.observations_for_export(
            indicators=indicators,
            territories=list(data["territories"]),
            year_from=data["year_from"],
            year_to=data["year_to"],
        )
        return exporting.export(
            "observaciones", data["fmt"], exporting.observation_rows(selection), base_name="observaciones-seleccion"
        )
    return render(request, "indicators/workspace/export_form.html", {"form": form})
