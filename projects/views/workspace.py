"""The portfolio's workspace: thin views that validate input, call one service and redirect or re-render.

Not allowed to see a project → 404; may see it but not act → 403.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from implan.actions import refusal_as_message
from implan.concurrency import EditConflict, reopened
from implan.errors import DomainError
from implan.formatting import account_name
from implan.history import history_entries
from implan.permissions import deny_unless, is_administrator, is_planner, require_planner
from projects import selectors, services
from projects.forms import (
    AllocationForm,
    AssessmentForm,
    CriteriaForm,
    LiaisonGrantForm,
    MilestoneForm,
    ProgressForm,
    ProjectEditForm,
    ProposalForm,
    TransitionForm,
)
from projects.models import PUBLIC_STATUSES, AgencyLiaison, Milestone, Project, ScoringCriterion
from projects.permissions import can_report_progress, proposing_memberships, visible_projects
from projects.timeline import project_timeline


def _visible(request: HttpRequest, pk: int) -> Project:
    return get_object_or_404(visible_projects(request.user).select_related(*selectors.LIST_RELATED), pk=pk)


@login_required
def portfolio(request: HttpRequest) -> HttpResponse:
    """The ranking: planners see every project; others, what concerns them."""
    filters = selectors.Filters.from_query(request.GET)
    visible = visible_projects(request.user)
    page = Paginator(selectors.ranked_portfolio(visible, filters), selectors.PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    return render(
        request,
        "projects/workspace/portfolio.html",
        {
            "page": page,
            "filters": filters,
            "query": filters.as_query(),
            "options": selectors.filter_options(visible),
            "can_propose": proposing_memberships(request.user).exists(),
            "is_planner": is_planner(request.user),
        },
    )


@login_required
def propose(request: HttpRequest) -> HttpResponse:
    memberships = list(proposing_memberships(request.user))
    deny_unless(bool(memberships))
    # A territorial council first: its territory is the natural default of the proposal.
    first = next((m for m in memberships if m.body.territory_id), memberships[0])
    initial = {"body": first.body_id, "territory": first.body.territory_id}
    form = ProposalForm(request.POST or None, memberships=memberships, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_propose(
                actor=request.user, body=form.cleaned_data["body"], data=form.project_data()
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Se registró la propuesta %(code)s. El cuerpo técnico la evaluará.") % {"code": project.code}
            )
            return redirect("projects:workspace_project", pk=project.pk)
    return render(
        request,
        "projects/workspace/project_form.html",
        {
            "form": form,
            "title": _("Proponer un proyecto"),
            "map": selectors.map_config(),
            "submit": _("Enviar propuesta"),
        },
    )


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = _visible(request, pk)
    planner = is_planner(request.user)
    return render(
        request,
        "projects/workspace/project_detail.html",
        {
            **selectors.project_record(project, public=False),
            "timeline": project_timeline(project, public=False),
            "assessments": list(
                project.assessments.select_related("assessed_by").prefetch_related("scores__criterion")
            ),
            "is_planner": planner,
            "can_report": can_report_progress(request.user, project),
            "transitions": _transitions(project) if planner else [],
            "public_statuses": PUBLIC_STATUSES,
            "assessable": services.ASSESSABLE,
            "allocatable": services.ALLOCATABLE,
            "history": history_entries(
                project, project.milestones.all(), project.allocations.all(), project.assessments.all()
            ),
        },
    )


def _transitions(project: Project) -> list[tuple[str, str, bool]]:
    """(status, label, needs a reason) for each move the lifecycle map allows from here."""
    from projects.models import ProjectStatus

    return [
        (to, ProjectStatus(to).label, to in services.NEEDS_REASON)
        for to in ProjectStatus.values
        if to in services.TRANSITIONS.get(project.status, set())
    ]


@login_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = _visible(request, pk)
    require_planner(request.user)
    form, conflict = ProjectEditForm.for_project(project, request.POST or None), None
    if request.method == "POST" and form.is_valid():
        try:
            services.project_update(
                actor=request.user,
                project=project,
                data=form.project_data(),
                reason=form.cleaned_data["reason"],
                seen=form.seen(),
            )
        except EditConflict as error:
            form, conflict = ProjectEditForm.for_project(project, reopened(request.POST, error)), error
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Se guardaron los datos del proyecto."))
            return redirect("projects:workspace_project", pk=project.pk)
    return render(
        request,
        "projects/workspace/project_form.html",
        {
            "form": form,
            "project": project,
            "title": _("Datos de %(code)s") % {"code": project.code},
            "map": selectors.map_config(),
            "submit": _("Guardar"),
            "conflict": conflict,
        },
    )


@login_required
def project_assess(request: HttpRequest, pk: int) -> HttpResponse:
    project = _visible(request, pk)
    require_planner(request.user)
    form = AssessmentForm(request.POST or None, criteria=list(ScoringCriterion.objects.filter(is_active=True)))
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.project_assess(
                actor=request.user, project=project, ratings=form.ratings(), notes=form.cleaned_data["notes"]
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Evaluación registrada: %(score)s de 100 puntos.") % {"score": assessment.score}
            )
            return redirect("projects:workspace_project", pk=project.pk)
    return render(
        request,
        "projects/workspace/simple_form.html",
        {
            "form": form,
            "project": project,
            "title": _("Evaluar %(code)s") % {"code": project.code},
            "submit": _("Registrar evaluación"),
        },
    )


@login_required
def criteria(request: HttpRequest) -> HttpResponse:
    """Administrators set the scoring criteria's weights; planners see them (read-only) to understand the ranking."""
    require_planner(request.user)  # administrators are planners too
    can_edit = is_administrator(request.user)
    items = list(ScoringCriterion.objects.order_by("order", "name"))
    form = CriteriaForm(request.POST if can_edit and request.method == "POST" else None, criteria=items)
    conflict = None
    if request.method == "POST":
        deny_unless(can_edit)
        if form.is_valid():
            try:
                services.criteria_configure(
                    actor=request.user, settings_by_id=form.criterion_settings(), seen=form.seen()
                )
            except EditConflict as error:
                form, conflict = CriteriaForm(reopened(request.POST, error), criteria=items), error
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Se guardaron los pesos; valen para las evaluaciones siguientes."))
                return redirect("projects:criteria")
    return render(
        request,
        "projects/workspace/criteria.html",
        {
            "form": form,
            "criteria": items,
            "can_edit": can_edit,
            "conflict": conflict,
            "total": sum((c.weight for c in items if c.is_active), Decimal("0")),
        },
    )


@login_required
def liaisons(request: HttpRequest) -> HttpResponse:
    """The administration grants and removes who reports progress for each agency."""
    deny_unless(is_administrator(request.user))
    candidates = selectors.liaison_candidates()
    form = LiaisonGrantForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        user, agency = form.cleaned_data["user"], form.cleaned_data["agency"]
        try:
            services.agency_liaison_grant(actor=request.user, user=user, agency=agency)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("%(user)s reporta ahora los proyectos de %(agency)s.")
                % {"user": account_name(user), "agency": agency},
            )
            return redirect("projects:liaisons")
    return render(
        request,
        "projects/workspace/liaisons.html",
        {
            "grants": selectors.liaison_grants(),
            "form": form,
            "any_candidate": candidates.exists(),
            "movements": selectors.liaison_movements(),
        },
    )


@login_required
@require_POST
def liaison_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    deny_unless(is_administrator(request.user))
    grant = AgencyLiaison.objects.select_related("user", "agency").filter(pk=pk).first()
    if grant is not None and services.agency_liaison_revoke(actor=request.user, user=grant.user, agency=grant.agency):
        messages.success(
            request,
            _("%(user)s ya no reporta los proyectos de %(agency)s.")
            % {"user": account_name(grant.user), "agency": grant.agency},
        )
    else:  # removed meanwhile (another administrator, another tab)
        messages.info(request, _("Ese enlace ya se había retirado; no hubo nada que quitar."))
    return redirect("projects:liaisons")


@login_required
@require_POST
def project_transition(request: HttpRequest, pk: int) -> HttpResponse:
    project = _visible(request, pk)
    require_planner(request.user)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Elija un estado válido."))
    else:
        with refusal_as_message(request):
            services.project_transition(
                actor=request.user, project=project, to=form.cleaned_data["to"], reason=form.cleaned_data["reason"]
            )
            project.refresh_from_db()
            messages.success(request, _("El proyecto quedó «%(status)s».") % {"status": project.get_status_display()})
    return redirect("projects:workspace_project", pk=project.pk)


@login_required
def progress_report(request: HttpRequest, pk: int) -> HttpResponse:
    project = _visible(request, pk)
    deny_unless(can_report_progress(request.user, project))
    form = ProgressForm(
        request.POST or None,
        request.FILES or None,
        initial={"reported_on": timezone.localdate(), "physical_progress": project.physical_progress},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            update = services.progress_report(
                actor=request.user,
                project=project,
                reported_on=data["reported_on"],
                physical_progress=data["physical_progress"],
                amount_spent=data["amount_spent"],
                narrative=data["narrative"],
                decrease_reason=data["decrease_reason"],
                files=data["files"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            text = _("Se registró el avance de %(p)s %%.") % {"p": update.physical_progress}
            if update.over_allocation:
                text += " " + _("Atención: lo ejercido supera lo asignado al proyecto.")
            messages.success(request, text)
            return redirect("projects:workspace_project", pk=project.pk)
    return render(
        request,
        "projects/workspace/simple_form.html",
        {
            "form": form,
            "project": project,
            "title": _("Reportar avance de %(code)s") % {"code": project.code},
            "submit": _("Registrar avance"),
            "multipart": True,
        },
    )


@login_required
def milestone_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _milestone_form(request, _visible(request, pk), None)


@login_required
def milestone_edit(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = get_object_or_404(Milestone, pk=pk)
    return _milestone_form(request, _visible(request, milestone.project_id), milestone)


def _milestone_form(request: HttpRequest, project: Project, milestone: Milestone | None) -> HttpResponse:
    deny_unless(can_report_progress(request.user, project))
    form, conflict = MilestoneForm.for_milestone(milestone, request.POST or None), None
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_save(
                actor=request.user, project=project, milestone=milestone, seen=form.seen(), **form.milestone_data()
            )
        except EditConflict as error:
            form, conflict = MilestoneForm.for_milestone(milestone, reopened(request.POST, error)), error
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Se guardó el hito."))
            return redirect("projects:workspace_project", pk=project.pk)
    title = _("Hito de %(code)s") % {"code": project.code}
    return render(
        request,
        "projects/workspace/simple_form.html",
        {"form": form, "project": project, "title": title, "submit": _("Guardar hito"), "conflict": conflict},
    )


@login_required
def allocation_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = _visible(request, pk)
    require_planner(request.user)
    form = AllocationForm(request.POST or None, lines=selectors.open_budget_lines(project))
    if request.method == "POST" and form.is_valid():
        try:
            services.allocation_add(actor=request.user, project=project, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Se registró la asignación."))
            return redirect("projects:workspace_project", pk=project.pk)
    return render(
        request,
        "projects/workspace/simple_form.html",
        {
            "form": form,
            "project": project,
            "title": _("Asignar recursos a %(code)s") % {"code": project.code},
            "submit": _("Asignar"),
        },
    )
