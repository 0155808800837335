"""The public record of the bodies: members, sessions, votes, resolutions, minutes, and their open data."""

import dataclasses
import datetime
import hashlib
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from councils import opendata, selectors
from councils.models import Body
from councils.views import packets as packet_views
from implan.cache import lazy_context
from implan.exports import csv_response, set_file_name


def body_list(request: HttpRequest) -> HttpResponse:
    return render(request, "councils/public/body_list.html", {"bodies": list(selectors.public_bodies())})


def body_detail(request: HttpRequest, slug: str) -> HttpResponse:
    body = get_object_or_404(Body.objects.active(), slug=slug)

    def content() -> dict[str, Any]:
        sessions = Paginator(selectors.public_sessions(body=body), 20).get_page(request.GET.get("pagina"))
        record = selectors.body_record(body=body, on=_date_param(request.GET.get("fecha")))
        if not body.is_public:  # a private body's members are public facts; its decisions are not
            record = dataclasses.replace(record, resolutions=[])
        return {"record": record, "sessions": sessions}

    # Kept by content version ({% content_cache %}), the day (who is a member today changes at midnight) and the
    # full path (date and page asked for, repeated by the pagination's links); lazy, so kept content costs no query.
    key = f"organo-{body.pk}-{timezone.localdate()}-{_path_key(request)}"
    return render(
        request,
        "councils/public/body_detail.html",
        {"body": body, "content_key": key, **lazy_context(content, ("record", "sessions"))},
    )


def session_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    body = get_object_or_404(Body.objects.active(), slug=slug)
    session = get_object_or_404(selectors.public_sessions(body=body).select_related("body"), number=number)

    def content() -> dict[str, Any]:
        record = selectors.session_record(session=session)
        return {
            "record": record,
            **packet_views.agenda_context(session, record.items, managing=False, public_page=True),
        }

    # Kept by content version ({% content_cache %}); lazy, so kept content costs no query.
    context = lazy_context(content, ("record", "agenda_managing", "document_form", "packet", "packet_public"))
    return render(
        request,
        "councils/public/session_detail.html",
        {"session": session, "body": body, "content_key": f"sesion-publica-{session.pk}", **context},
    )


def popolo(request: HttpRequest) -> JsonResponse:
    return JsonResponse(selectors.popolo_export(), json_dumps_params={"ensure_ascii": False, "indent": 1})


def sessions_ics(request: HttpRequest) -> HttpResponse:
    base_url = request.build_absolute_uri("/").rstrip("/")
    content = opendata.sessions_calendar(list(selectors.calendar_sessions()), base_url=base_url)
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    set_file_name(response, "sesiones.ics", attachment=False)
    return response


def bodies_csv(request: HttpRequest) -> HttpResponse:
    header, rows = selectors.bodies_table()
    return csv_response(header, rows, filename="organos.csv")


def members_csv(request: HttpRequest) -> HttpResponse:
    header, rows = selectors.members_table()
    return csv_response(header, rows, filename="integrantes.csv")


def resolutions_csv(request: HttpRequest) -> HttpResponse:
    header, rows = selectors.resolutions_table()
    return csv_response(header, rows, filename="acuerdos.csv")


def _path_key(request: HttpRequest) -> str:
    return hashlib.md5(request.get_full_path().encode()).hexdigest()


def _date_param(raw: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None
