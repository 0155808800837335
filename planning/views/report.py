"""The annual report: its workspace (create, narrative sections, preview page and PDF) and its public page and PDF.

Figures are read live (``planning.selectors.report``); only the title and the narrative sections are stored."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import http_date
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from implan.actions import refusal_as_message
from implan.cache import content_version
from implan.concurrency import EditConflict, reopened
from implan.errors import DomainError
from implan.events import events_for
from implan.exports import set_file_name
from implan.history import history_entries
from implan.permissions import planner_required
from planning import report_files, report_pdf
from planning.forms.report import AnnualReportCreateForm, AnnualReportEditForm, ReportSectionForm
from planning.models import AnnualReport, ReportSection, StrategicPlan, Strategy
from planning.permissions import planner_object
from planning.selectors import report as report_selectors
from planning.services import report as report_services
from planning.services.editing import in_draft

FORM = "planning/workspace/report_form.html"


# A draft's preview PDF takes seconds to lay out; it is kept until any content of the portal changes.
PDF_CACHE_SECONDS = 60 * 60


def _pdf_response(report: AnnualReport, request: HttpRequest, *, download: bool) -> HttpResponseBase:
    """A published version's stored PDF (planning.report_files); a draft's preview laid out live."""
    filename = report_pdf.pdf_filename(year=report.fiscal_year.year, version=report.version)
    document = report_files.report_document(report)
    if document is not None:
        response: HttpResponseBase = FileResponse(
            document.file.open("rb"), content_type="application/pdf", as_attachment=download, filename=filename
        )
        # The file never changes for its version: a browser or proxy holding it revalidates for a 304 (the year's
        # link moves to the next version's file when one is published).
        response["ETag"] = f'"{document.sha256}"'
        response["Last-Modified"] = http_date(document.generated_at.timestamp())
        return response
    key = f"informe-pdf:{report.pk}:{content_version()}:{get_language()}"
    pdf = cache.get(key)
    if pdf is None:
        data = report_selectors.annual_report_data(fiscal_year=report.fiscal_year, report=report)
        pdf = report_pdf.report_pdf(data, request)
        cache.set(key, pdf, PDF_CACHE_SECONDS)
    response = HttpResponse(pdf, content_type="application/pdf")
    set_file_name(response, filename, attachment=download)
    return response


# --- Workspace ------------------------------------------------------------------------------------------------


@planner_required
def report_list(request: HttpRequest) -> HttpResponse:
    reports = AnnualReport.objects.select_related("fiscal_year").order_by("-fiscal_year__year", "-version")
    return render(request, "planning/workspace/report_list.html", {"reports": reports})


@planner_required
def report_create(request: HttpRequest) -> HttpResponse:
    form = AnnualReportCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = report_services.annual_report_create(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Se creó «%(report)s» en borrador.") % {"report": report})
            return redirect("planning:report_workspace", pk=report.pk)
    return render(request, FORM, {"form": form, "title": _("Nuevo informe anual")})


@login_required
def report_workspace(request: HttpRequest, pk: int) -> HttpResponse:
    report = planner_object(request, AnnualReport.objects.select_related("fiscal_year"), pk=pk)
    return render(
        request,
        "planning/workspace/report_detail.html",
        {
            "report": report,
            "editable": in_draft(report),
            "data": report_selectors.annual_report_data(fiscal_year=report.fiscal_year, report=report),
            "sections": report.sections.select_related("strategy").order_by("order"),
            "events": events_for(report)[:30],
            "history": history_entries(report, report.sections.all()),
        },
    )


@login_required
def report_pdf_preview(request: HttpRequest, pk: int) -> HttpResponseBase:
    report = planner_object(request, AnnualReport.objects.select_related("fiscal_year"), pk=pk)
    return _pdf_response(report, request, download=False)


@login_required
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = planner_object(request, AnnualReport, pk=pk)
    form, conflict = AnnualReportEditForm.for_report(report, request.POST or None), None
    if request.method == "POST" and form.is_valid():
        try:
            report_services.annual_report_update(
                actor=request.user, report=report, title=form.cleaned_data["title"], seen=form.seen()
            )
        except EditConflict as error:
            form, conflict = AnnualReportEditForm.for_report(report, reopened(request.POST, error)), error
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Se guardó el título del informe."))
            return redirect("planning:report_workspace", pk=report.pk)
    return render(
        request, FORM, {"form": form, "report": report, "conflict": conflict, "title": _("Título del informe")}
    )


def _strategies() -> object:
    plan = StrategicPlan.objects.published().order_by("-horizon_year", "-version").first()
    return Strategy.objects.filter(plan=plan).order_by("number")


@login_required
def section_create(request: HttpRequest, pk: int) -> HttpResponse:
    report = planner_object(request, AnnualReport, pk=pk)
    next_order = (report.sections.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    form = ReportSectionForm(request.POST or None, strategies=_strategies(), initial={"order": next_order})
    if request.method == "POST" and form.is_valid():
        try:
            report_services.report_section_save(actor=request.user, report=report, data=form.section_data())
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Se agregó la sección."))
            return redirect("planning:report_workspace", pk=report.pk)
    return render(request, FORM, {"form": form, "report": report, "title": _("Nueva sección del informe")})


@login_required
def section_edit(request: HttpRequest, pk: int) -> HttpResponse:
    section = planner_object(request, ReportSection.objects.select_related("report"), pk=pk)
    form, conflict = ReportSectionForm.for_section(section, request.POST or None, strategies=_strategies()), None
    if request.method == "POST" and form.is_valid():
        try:
            report_services.report_section_save(
                actor=request.user, report=section.report, data=form.section_data(), section=section, seen=form.seen()
            )
        except EditConflict as error:
            form = ReportSectionForm.for_section(section, reopened(request.POST, error), strategies=_strategies())
            conflict = error
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Se guardó la sección."))
            return redirect("planning:report_workspace", pk=section.report_id)
    return render(request, FORM, {"form": form, "report": section.report, "conflict": conflict, "title": section.title})


@require_POST
@login_required
def section_delete(request: HttpRequest, pk: int) -> HttpResponse:
    section = planner_object(request, ReportSection, pk=pk)
    with refusal_as_message(request):
        report_services.report_section_delete(actor=request.user, section=section)
        messages.success(request, _("Se eliminó la sección «%(title)s».") % {"title": section.title})
    return redirect("planning:report_workspace", pk=section.report_id)


# --- Public site ----------------------------------------------------------------------------------------------


def report_index(request: HttpRequest) -> HttpResponse:
    reports = AnnualReport.objects.published().select_related("fiscal_year").order_by("-fiscal_year__year")
    return render(request, "planning/public/report_list.html", {"reports": reports})


def report_year(request: HttpRequest, year: int) -> HttpResponse:
    report = report_selectors.published_report(year=year)
    return render(
        request,
        "planning/public/report_detail.html",
        {"report": report, "data": report_selectors.annual_report_data(fiscal_year=report.fiscal_year, report=report)},
    )


def report_year_pdf(request: HttpRequest, year: int) -> HttpResponseBase:
    report = report_selectors.published_report(year=year)
    return _pdf_response(report, request, download=True)
