"""The public portfolio: list with filters and map, project pages, evidence files and open data."""

from __future__ import annotations

import functools
import hashlib
from typing import Any

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from implan import exports as spreadsheets
from implan.cache import lazy_context
from projects import exports, oc4ids, selectors
from projects.models import Evidence, Project
from projects.permissions import visible_projects
from projects.timeline import project_timeline


def project_list(request: HttpRequest) -> HttpResponse:
    # Kept by content version and full path (filters and page) with {% content_cache %}; lazy, so kept content costs
    # no query.
    context = lazy_context(
        functools.partial(_portfolio_content, request), ("page", "filters", "query", "options", "map")
    )
    key = f"cartera-{hashlib.md5(request.get_full_path().encode()).hexdigest()}"
    return render(request, "projects/project_list.html", {"content_key": key, **context})


def _portfolio_content(request: HttpRequest) -> dict[str, Any]:
    filters = selectors.Filters.from_query(request.GET)
    projects = selectors.public_portfolio(filters)
    return {
        "page": Paginator(projects, selectors.PAGE_SIZE).get_page(request.GET.get("pagina")),
        "filters": filters,
        "query": filters.as_query(),
        "options": selectors.filter_options(Project.objects.public(), public=True),
        "map": selectors.map_config(),
    }


def project_geojson(request: HttpRequest) -> JsonResponse:
    filters = selectors.Filters.from_query(request.GET)
    data = selectors.geojson(selectors.apply_filters(Project.objects.public(), filters))
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


def project_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        project = selectors.public_project(slug)
    except Project.DoesNotExist as missing:
        raise Http404 from missing
    # Kept by content version ({% content_cache %}); lazy, so kept content costs no query.
    context = lazy_context(functools.partial(_project_content, project), PROJECT_CONTENT)
    return render(
        request,
        "projects/project_detail.html",
        {"project": project, "content_key": f"proyecto-publico-{project.pk}", **context},
    )


PROJECT_CONTENT = (
    "programme",
    "milestones",
    "allocations",
    "updates",
    "money",
    "sdgs",
    "government_plans",
    "timeline",
    "map",
)


def _project_content(project: Project) -> dict[str, Any]:
    return {
        **selectors.project_record(project, public=True),
        "timeline": project_timeline(project, public=True),
        "map": selectors.map_config(),
    }


def project_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    filters = selectors.Filters.from_query(request.GET)
    rows = exports.rows(selectors.public_portfolio(filters))
    filename = f"proyectos-{timezone.localdate().isoformat()}.{fmt}"
    if fmt == "xlsx":
        content = spreadsheets.xlsx_bytes(exports.header(), rows, title=_("Proyectos"))
        return spreadsheets.file_response(content, filename=filename, content_type=spreadsheets.XLSX_TYPE)
    return spreadsheets.csv_response(exports.header(), rows, filename=filename)


def oc4ids_package(request: HttpRequest) -> JsonResponse:
    base_url = request.build_absolute_uri("/").rstrip("/")
    package = oc4ids.package(base_url=base_url)
    if not package["projects"]:
        # OC4IDS requires at least one project in a package: an empty one would be invalid, so there is none yet.
        return JsonResponse(
            {"error": _("Todavía no hay proyectos publicados en la cartera.")},
            status=404,
            json_dumps_params={"ensure_ascii": False},
        )
    return JsonResponse(package, json_dumps_params={"ensure_ascii": False, "indent": 1})


def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    """Evidence of a published project for everyone; of other projects, for who may see the project."""
    evidence = get_object_or_404(Evidence.objects.select_related("progress_update__project"), pk=pk)
    project = evidence.progress_update.project
    if not visible_projects(request.user).filter(pk=project.pk).exists():
        raise Http404
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    # The stored type was read from the content on upload; nosniff keeps the browser from guessing another.
    response = FileResponse(handle, content_type=evidence.content_type, filename=evidence.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
