"""The evaluation: its workspace (goal statuses read live, findings and recommendations) and its public page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from implan.actions import refusal_as_message
from implan.concurrency import EditConflict, reopened
from implan.errors import DomainError
from implan.events import events_for
from implan.history import history_entries
from implan.permissions import planner_required
from planning.forms.evaluation import EvaluationCreateForm, EvaluationEditForm, FindingForm
from planning.models import Evaluation, EvaluationFinding, Goal
from planning.permissions import planner_object
from planning.selectors import evaluation as evaluation_selectors
from planning.services import evaluation as evaluation_services
from planning.services.editing import in_draft

FORM = "planning/workspace/evaluation_form.html"


# --- Workspace ------------------------------------------------------------------------------------------------


@planner_required
def evaluation_list(request: HttpRequest) -> HttpResponse:
    evaluations = Evaluation.objects.select_related("fiscal_year", "plan").order_by(
        "-fiscal_year__year", "-version", "-pk"
    )
    return render(
        request,
        "planning/workspace/evaluation_list.html",
        {"evaluations": evaluations, "inputs": evaluation_selectors.diagnosis_inputs()},
    )


@planner_required
def evaluation_create(request: HttpRequest) -> HttpResponse:
    form = EvaluationCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = evaluation_services.evaluation_create(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Se creó «%(e)s» en borrador.") % {"e": evaluation})
            return redirect("planning:evaluation_workspace", pk=evaluation.pk)
    return render(request, FORM, {"form": form, "title": _("Nueva evaluación")})


@login_required
def evaluation_workspace(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = planner_object(request, Evaluation.objects.select_related("fiscal_year", "plan"), pk=pk)
    return render(
        request,
        "planning/workspace/evaluation_detail.html",
        {
            "evaluation": evaluation,
            "editable": in_draft(evaluation),
            "data": evaluation_selectors.evaluation_data(evaluation=evaluation),
            "events": events_for(evaluation)[:30],
            "history": history_entries(evaluation, evaluation.findings.all()),
        },
    )


@login_required
def evaluation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = planner_object(request, Evaluation, pk=pk)
    form, conflict = EvaluationEditForm.for_evaluation(evaluation, request.POST or None), None
    if request.method == "POST" and form.is_valid():
        try:
            evaluation_services.evaluation_update(
                actor=request.user, evaluation=evaluation, title=form.cleaned_data["title"], seen=form.seen()
            )
        except EditConflict as error:
            form, conflict = EvaluationEditForm.for_evaluation(evaluation, reopened(request.POST, error)), error
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Se guardó el título de la evaluación."))
            return redirect("planning:evaluation_workspace", pk=evaluation.pk)
    return render(
        request,
        FORM,
        {"form": form, "evaluation": evaluation, "conflict": conflict, "title": _("Título de la evaluación")},
    )


def _goals(evaluation: Evaluation) -> object:
    return Goal.objects.filter(objective__strategy__plan=evaluation.plan_id).order_by(
        "objective__strategy__number", "objective__number", "pk"
    )


@login_required
def finding_create(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = planner_object(request, Evaluation, pk=pk)
    form = FindingForm(request.POST or None, goals=_goals(evaluation), initial={"goal": request.GET.get("meta")})
    if request.method == "POST" and form.is_valid():
        try:
            evaluation_services.evaluation_finding_save(
                actor=request.user, evaluation=evaluation, data=form.finding_data()
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Se agregó el hallazgo o recomendación."))
            return redirect("planning:evaluation_workspace", pk=evaluation.pk)
    return render(request, FORM, {"form": form, "evaluation": evaluation, "title": _("Nuevo hallazgo o recomendación")})


@login_required
def finding_edit(request: HttpRequest, pk: int) -> HttpResponse:
    finding = planner_object(request, EvaluationFinding.objects.select_related("evaluation"), pk=pk)
    goals = _goals(finding.evaluation)
    form, conflict = FindingForm.for_finding(finding, request.POST or None, goals=goals), None
    if request.method == "POST" and form.is_valid():
        try:
            evaluation_services.evaluation_finding_save(
                actor=request.user,
                evaluation=finding.evaluation,
                data=form.finding_data(),
                finding=finding,
                seen=form.seen(),
            )
        except EditConflict as error:
            form, conflict = FindingForm.for_finding(finding, reopened(request.POST, error), goals=goals), error
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Se guardó el hallazgo o recomendación."))
            return redirect("planning:evaluation_workspace", pk=finding.evaluation_id)
    return render(
        request,
        FORM,
        {"form": form, "evaluation": finding.evaluation, "conflict": conflict, "title": finding.get_kind_display()},
    )


@require_POST
@login_required
def finding_delete(request: HttpRequest, pk: int) -> HttpResponse:
    finding = planner_object(request, EvaluationFinding, pk=pk)
    with refusal_as_message(request):
        evaluation_services.evaluation_finding_delete(actor=request.user, finding=finding)
        messages.success(request, _("Se eliminó el hallazgo o recomendación."))
    return redirect("planning:evaluation_workspace", pk=finding.evaluation_id)


# --- Public site ----------------------------------------------------------------------------------------------


def evaluation_index(request: HttpRequest) -> HttpResponse:
    evaluations = (
        Evaluation.objects.published().select_related("fiscal_year", "plan").order_by("-fiscal_year__year", "-pk")
    )
    return render(request, "planning/public/evaluation_list.html", {"evaluations": evaluations})


def evaluation_year(request: HttpRequest, year: int) -> HttpResponse:
    evaluation = evaluation_selectors.published_evaluation(year=year)
    return render(
        request,
        "planning/public/evaluation_detail.html",
        {"evaluation": evaluation, "data": evaluation_selectors.evaluation_data(evaluation=evaluation)},
    )
