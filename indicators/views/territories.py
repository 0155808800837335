"""Territories in the indicators app: loading INEGI's catalogues (planners), boundaries, and comparison pages."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from implan.actions import refusal_as_message
from implan.errors import DomainError
from implan.events import events_for
from implan.exports import csv_response, set_file_name
from implan.licence import declare_licence
from implan.models import Territory, TerritoryImport, TerritoryImportState
from implan.permissions import deny_unless, planner_only_sees, planner_required
from indicators import charts
from indicators.forms import BoundaryForm, TerritoryUploadForm
from indicators.models import RowOutcome
from indicators.selectors import public_indicator
from indicators.territories import boundaries, jobs, selectors, services


@planner_required
def territory_import_list(request: HttpRequest) -> HttpResponse:
    wanted = request.GET.get("limite", "").strip()
    if wanted:  # «Subir el límite de…»: the territory by its key in the portal or INEGI's
        found = Territory.objects.filter(Q(code=wanted) | Q(inegi_code=wanted)).values_list("code", flat=True).first()
        if found:
            return redirect("indicators:territory_boundary", code=found)
        messages.error(request, _("No hay un territorio con la clave %(code)s.") % {"code": wanted})
    form = TerritoryUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            job = services.territory_import_create(
                actor=request.user,
                file_name=uploaded.name,
                content=uploaded.read(),
                population_year=form.cleaned_data["population_year"],
                population_source=form.cleaned_data["population_source"],
            )
        except DomainError as error:
            form.add_error("file", error.message)
        else:
            return redirect("indicators:territory_import_detail", pk=job.pk)
    jobs = Paginator(TerritoryImport.objects.defer("content").select_related("created_by"), 20)
    return render(
        request,
        "indicators/workspace/territoryimport_list.html",
        {"form": form, "jobs": jobs.get_page(request.GET.get("pagina"))},
        status=400 if form.errors else 200,
    )


def _job(pk: int) -> TerritoryImport:
    return get_object_or_404(TerritoryImport.objects.defer("content").select_related("created_by"), pk=pk)


def _watched_job(pk: int) -> TerritoryImport:
    """The job as someone watching it should see it: if its worker died, marked interrupted now."""
    job = _job(pk)
    if jobs.interrupt_if_stalled(job):
        job = _job(pk)
    return job


@planner_only_sees
def territory_import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _watched_job(pk)
    labels = dict(TerritoryImportState.choices)
    outcomes = dict(RowOutcome.choices)  # the same four outcomes as observation loads
    sample = [{**row, "label": outcomes.get(row["outcome"], row["outcome"])} for row in job.preview.get("sample", [])]
    return render(
        request,
        "indicators/workspace/territoryimport_detail.html",
        {
            "job": job,
            "sample": sample,
            "can_decide": services.can_decide(request.user, job),
            "events": [(e, labels.get(e.to_state, e.action), e.note) for e in events_for(job)],
        },
    )


@planner_only_sees
def territory_import_progress(request: HttpRequest, pk: int) -> JsonResponse:
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
        service(actor=request.user, job=job)  # type: ignore[operator]
        messages.success(request, done)
    return redirect("indicators:territory_import_detail", pk=job.pk)


@require_POST
@planner_only_sees
def territory_import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, services.territory_import_confirm, _("Se están guardando los territorios del archivo."))


@require_POST
@planner_only_sees
def territory_import_discard(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, services.territory_import_discard, _("Se descartó el archivo; no se guardó nada."))


@planner_required
def territory_boundary(request: HttpRequest, code: str) -> HttpResponse:
    territory = get_object_or_404(Territory.objects.select_related("parent"), code=code)
    form = BoundaryForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            boundaries.territory_boundary_set(
                actor=request.user,
                territory=territory,
                content=form.cleaned_data["file"].read(),
                source=form.cleaned_data["source"],
            )
        except DomainError as error:
            form.add_error("file", error.message)
        else:
            messages.success(request, _("Se guardó el límite de %(name)s.") % {"name": territory.name})
            return redirect("indicators:territory_boundary", code=territory.code)
    return render(
        request,
        "indicators/workspace/territory_boundary.html",
        {"territory": territory, "form": form},
        status=400 if form.errors else 200,
    )


# --- Public: open data, comparison and map -----------------------------------------------------------------------


def catalogue_csv(request: HttpRequest) -> HttpResponse:
    return csv_response(selectors.CATALOGUE_HEADER, selectors.catalogue_rows(), filename="territorios.csv", stream=True)


def catalogue_json(request: HttpRequest) -> HttpResponse:
    response = StreamingHttpResponse(
        (chunk.encode("utf-8") for chunk in selectors.catalogue_json_chunks()),
        content_type="application/json; charset=utf-8",
    )
    set_file_name(response, "territorios.json", attachment=False)
    return declare_licence(response)


def indicator_comparison(request: HttpRequest, slug: str) -> HttpResponse:
    indicator = public_indicator(slug)
    if indicator is None:
        raise Http404
    table = selectors.comparison_table(indicator, chosen=request.GET.getlist("con"))
    latest = [(t, table.values.get((table.latest, t.pk))) for t in table.territories]
    home = table.territories[0].pk if table.territories else None
    bars = charts.bar_chart([(t.name, v, t.pk == home) for t, v in latest if v is not None])
    return render(
        request,
        "indicators/indicator_comparison.html",
        {
            "indicator": indicator,
            "table": table,
            "bars": bars,
            "chosen": request.GET.getlist("con"),
            "map": _map_config(),
        },
    )


def _map_config() -> dict[str, object]:
    """What the map script needs (the same settings as the project maps), passed as JSON data."""
    south, west, north, east = settings.MUNICIPALITY_BBOX
    return {
        "tiles": settings.MAP_TILE_URL,
        "attribution": gettext(settings.MAP_TILE_ATTRIBUTION),
        "bounds": [[south, west], [north, east]],
    }


def indicator_map_geojson(request: HttpRequest, slug: str) -> JsonResponse:
    """The latest value in each territory as GeoJSON features: the boundary where there is one, else the point."""
    indicator = public_indicator(slug)
    if indicator is None:
        raise Http404
    features = []
    for observation in selectors.latest_by_territory(indicator).values():
        territory = observation.territory
        if territory.boundary is not None:
            geometry = territory.boundary
        elif territory.latitude is not None:
            geometry = {"type": "Point", "coordinates": [float(territory.longitude), float(territory.latitude)]}
        else:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": geometry,
                "properties": {
                    "name": territory.name,
                    "code": territory.code,
                    "period": observation.period,
                    "value": float(observation.value) if observation.value is not None else None,
                    "source": territory.boundary_source,
                },
            }
        )
    return JsonResponse({"type": "FeatureCollection", "features": features})
