"""A programme's MIR: its workspace page and edit forms (planners and the programme's strategy commission, on a
draft version), and its public page and PDF (the published version)."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy

from implan.cache import content_version
from implan.context_processors import site
from implan.exports import csv_response, file_response, set_file_name
from implan.history import history_entries
from implan.params import is_number
from planning import mir_opendata
from planning.forms import mir as mir_forms
from planning.forms.plan import PlanPartForm
from planning.models import Programme
from planning.models.mir import MirIndicator, MirIndicatorVariable, MirLevel, MirRow
from planning.permissions import can_edit_programme, view_programme
from planning.selectors.mir import mir_table, public_programme
from planning.services import mir as mir_services
from planning.services.editing import in_draft
from planning.services.mir import mir_problems
from planning.views.plan_forms import PartDelete, PartFormView

# --- Workspace -------------------------------------------------------------------------------------------------


def mir_url(programme: Programme | int) -> str:
    return reverse("planning:mir_workspace", args=[getattr(programme, "pk", programme)])


@login_required
def mir_workspace(request: HttpRequest, pk: int) -> HttpResponse:
    """The MIR of one version of a programme, with what is missing before it can go to approval."""
    programme = get_object_or_404(Programme.objects.select_related("strategy__plan", "agency"), pk=pk)
    view_programme(request.user, programme)
    draft = in_draft(programme)
    return render(
        request,
        "planning/workspace/mir_detail.html",
        {
            "programme": programme,
            "table": mir_table(programme),
            "draft": draft,
            "editable": draft and can_edit_programme(request.user, programme),
            "problems": mir_problems(programme),
            "levels": MirLevel,
            "present": set(programme.mir_rows.values_list("level", flat=True)),
            # Rows and indicators removed since stay in their history (and in the programme's events).
            "history": history_entries(
                programme.mir_rows.all(),
                MirIndicator.objects.filter(row__programme=programme),
                MirIndicatorVariable.objects.filter(link__row__programme=programme),
            ),
        },
    )


class MirPartView(PartFormView):
    """A form on a part of a programme's MIR: the programme must be visible to the user and a draft."""

    programme: Programme

    def see(self, programme: Programme) -> None:
        view_programme(self.request.user, programme)
        self.programme = programme

    def owner(self) -> Programme:
        return self.programme

    def success_url(self, obj: models.Model) -> str:
        return mir_url(self.programme)

    def cancel_url(self) -> str:
        return mir_url(self.programme)


class MirRowFormView(MirPartView):
    form_class = mir_forms.MirRowForm

    def form_kwargs(self) -> dict[str, Any]:
        return {"programme": self.programme}


class MirRowCreate(MirRowFormView):
    title = gettext_lazy("Nuevo renglón de la MIR")
    success_message = gettext_lazy("Se agregó el renglón a la MIR.")

    def load(self, pk: int) -> None:
        self.see(get_object_or_404(Programme.objects.select_related("strategy"), pk=pk))
        level = self.request.GET.get("nivel", "")
        parent = self.request.GET.get("componente", "")
        self.instance = MirRow(
            level=level if level in MirLevel.values else "",
            parent=self.programme.mir_rows.filter(pk=parent).first() if is_number(parent) else None,
        )

    def save(self, form: PlanPartForm) -> MirRow:
        return mir_services.mir_row_create(actor=self.request.user, programme=self.programme, values=form.values())


class MirRowEdit(MirRowFormView):
    title = gettext_lazy("Editar el renglón de la MIR")

    def load(self, pk: int) -> None:
        self.instance = get_object_or_404(MirRow.objects.select_related("programme__strategy"), pk=pk)
        self.see(self.instance.programme)

    def save(self, form: PlanPartForm) -> MirRow:
        assert isinstance(self.instance, MirRow)
        return mir_services.mir_row_update(
            actor=self.request.user, row=self.instance, values=form.values(), seen=form.seen()
        )


class MirRowDelete(PartDelete):
    def load(self, pk: int) -> MirRow:
        row = get_object_or_404(MirRow.objects.select_related("programme__strategy"), pk=pk)
        view_programme(self.request.user, row.programme)
        return row

    def delete(self, obj: MirRow) -> None:
        mir_services.mir_row_delete(actor=self.request.user, row=obj)

    def back_url(self, obj: MirRow) -> str:
        return mir_url(obj.programme_id)


class MirIndicatorCreate(MirPartView):
    form_class = mir_forms.MirIndicatorForm
    title = gettext_lazy("Nuevo indicador de la MIR")
    success_message = gettext_lazy("Se agregó el indicador a la MIR.")

    def load(self, pk: int) -> None:
        self.row = get_object_or_404(MirRow.objects.select_related("programme__strategy"), pk=pk)
        self.see(self.row.programme)
        self.instance = MirIndicator(row=self.row)

    def save(self, form: PlanPartForm) -> MirIndicator:
        return mir_services.mir_indicator_create(actor=self.request.user, row=self.row, values=form.values())


class MirIndicatorEdit(MirPartView):
    form_class = mir_forms.MirIndicatorForm
    title = gettext_lazy("Editar el indicador de la MIR")

    def load(self, pk: int) -> None:
        self.instance = get_object_or_404(
            MirIndicator.objects.select_related("row__programme__strategy", "indicator"), pk=pk
        )
        self.see(self.instance.row.programme)

    def save(self, form: PlanPartForm) -> MirIndicator:
        assert isinstance(self.instance, MirIndicator)
        return mir_services.mir_indicator_update(
            actor=self.request.user, link=self.instance, values=form.values(), seen=form.seen()
        )


class MirIndicatorDelete(PartDelete):
    def load(self, pk: int) -> MirIndicator:
        link = get_object_or_404(MirIndicator.objects.select_related("row__programme__strategy", "indicator"), pk=pk)
        view_programme(self.request.user, link.row.programme)
        return link

    def delete(self, obj: MirIndicator) -> None:
        mir_services.mir_indicator_delete(actor=self.request.user, link=obj)

    def back_url(self, obj: MirIndicator) -> str:
        return mir_url(obj.row.programme_id)


class MirVariableCreate(MirPartView):
    form_class = mir_forms.MirVariableForm
    title = gettext_lazy("Nueva variable del método de cálculo")
    success_message = gettext_lazy("Se agregó la variable al indicador de la MIR.")

    def load(self, pk: int) -> None:
        self.link = get_object_or_404(
            MirIndicator.objects.select_related("row__programme__strategy", "indicator"), pk=pk
        )
        self.see(self.link.row.programme)
        self.instance = MirIndicatorVariable(link=self.link)

    def save(self, form: PlanPartForm) -> MirIndicatorVariable:
        return mir_services.mir_variable_create(actor=self.request.user, link=self.link, values=form.values())


class MirVariableDelete(PartDelete):
    def load(self, pk: int) -> MirIndicatorVariable:
        variable = get_object_or_404(
            MirIndicatorVariable.objects.select_related("link__row__programme__strategy", "link__indicator"), pk=pk
        )
        view_programme(self.request.user, variable.link.row.programme)
        return variable

    def delete(self, obj: MirIndicatorVariable) -> None:
        mir_services.mir_variable_delete(actor=self.request.user, variable=obj)

    def back_url(self, obj: MirIndicatorVariable) -> str:
        return mir_url(obj.link.row.programme_id)


# --- Public site -----------------------------------------------------------------------------------------------


def mir_public(request: HttpRequest, code: str) -> HttpResponse:
    """The published programme's MIR as the classic table, each indicator with its progress."""
    programme = public_programme(code)
    table = mir_table(programme, public=True)
    return render(request, "planning/public/mir_detail.html", {"programme": programme, "table": table})


# Laying out a PDF takes a second; it is kept until any content of the portal changes.
PDF_CACHE_SECONDS = 60 * 60


def mir_public_pdf(request: HttpRequest, code: str) -> HttpResponse:
    """The same MIR as a printable PDF (WeasyPrint, offline: see ``planning.report_pdf``)."""
    programme = public_programme(code)
    key = f"mir-pdf:{programme.pk}:{content_version()}:{get_language()}"
    pdf = cache.get(key)
    if pdf is None:
        pdf = _mir_pdf(programme, request)
        cache.set(key, pdf, PDF_CACHE_SECONDS)
    response = HttpResponse(pdf, content_type="application/pdf")
    set_file_name(response, f"mir-{programme.slug}-v{programme.version}.pdf", attachment=False)
    return response


def _mir_pdf(programme: Programme, request: HttpRequest) -> bytes:
    from django.contrib.staticfiles import finders
    from weasyprint import CSS, HTML

    from planning.report_pdf import STYLESHEET, offline_fetcher

    table = mir_table(programme, public=True)
    context = {**site(request), "programme": programme, "table": table, "generated_at": timezone.now()}
    html = render_to_string("planning/public/mir_document.html", context, request=request)
    fetcher = offline_fetcher()
    stylesheet = CSS(filename=finders.find(STYLESHEET), url_fetcher=fetcher)
    return HTML(string=html, url_fetcher=fetcher, media_type="print").write_pdf(stylesheets=[stylesheet])


# --- Open data -------------------------------------------------------------------------------------------------


def mir_csv(request: HttpRequest) -> HttpResponse:
    header, rows = mir_opendata.mir_table()
    return csv_response(header, rows, filename="mir.csv")


def mir_json(request: HttpRequest) -> HttpResponse:
    data = {"columnas": dict(mir_opendata.COLUMNS), "mir": mir_opendata.mir_records()}
    content = json.dumps(data, ensure_ascii=False, indent=1, cls=DjangoJSONEncoder).encode()
    return file_response(content, filename="mir.json", content_type="application/json", attachment=False)
