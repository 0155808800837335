"""The public record of the bodies: members, sessions, votes, resolutions, minutes, and their open data."""

import dataclasses
import datetime

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render

from councils import opendata, selectors
from councils.models import Body
from councils.views import packets as packet_views
from implan.exports import csv_response, set_file_name


def body_list(request: HttpRequest) -> HttpResponse:
    return render(request, "councils/public/body_list.html", {"bodies": list(selectors.public_bodies())})


def body_detail(request: HttpRequest, slug: str) -> HttpResponse:
    body = get_object_or_404(Body.objects.active(), slug=slug)
    on = _date_param(request.GET.get("fecha"))
    sessions = Paginator(selectors.public_sessions(body=body), 20).get_page(request.GET.get("pagina"))
    record = selectors.body_record(body=body, on=on)
    if not body.is_public:  # a private body's members are public facts; its decisions are not
        record = dataclasses.replace(record, resolutions=[])
    return render(request, "councils/public/body_detail.html", {"record": record, "body": body, "sessions": sessions})


def session_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    body = get_object_or_404(Body.objects.active(), slug=slug)
    session = get_object_or_404(selectors.public_sessions(body=body).select_related("body"), number=number)
    record = selectors.session_record(session=session)
    return render(
        request,
        "councils/public/session_detail.html",
        {
            "record": record,
            "session": session,
            "body": body,
            **packet_views.agenda_context(session, record.items, managing=False, public_page=True),
        },
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


def _date_param(raw: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None
