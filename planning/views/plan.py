"""The plan's pages. Workspace: the index, and each instrument's page with its parts, lifecycle, versions, history
and timeline of state changes. Public site (no login): only published instruments."""

from __future__ import annotations

import functools
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from implan.events import events_for
from implan.history import history_entries
from implan.models import RETIRED_STATES
from implan.permissions import hide_unless, is_planner
from planning.models import Diagnosis, Goal, GovernmentPlan, Objective, Programme, StrategicPlan, Strategy, Vision
from planning.permissions import can_edit_strategy_content, view_programme, view_strategy
from planning.selectors.plan import (
    diagnosis_sections,
    government_plan_outline,
    plan_outline,
    public_diagnosis,
    public_government_plan,
    public_plan,
    public_strategy_or_404,
    strategy_objectives,
    strategy_outline,
    term_slug,
    workspace_index,
)
from planning.services.editing import in_draft

# --- Workspace ------------------------------------------------------------------------------------------------


@login_required
def plan_workspace(request: HttpRequest) -> HttpResponse:
    """Everything of the plan for planners; their own strategies and programmes for a commission's members."""
    return render(request, "planning/workspace/plan_index.html", workspace_index(request.user))


def _plan_parts(plan: StrategicPlan) -> list[Any]:
    """The plan and every part whose history its page shows."""
    return [
        plan,
        Vision.objects.filter(plan=plan),
        plan.vertientes.all(),
        plan.strategies.all(),
        Objective.objects.filter(strategy__plan=plan),
        Goal.objects.filter(objective__strategy__plan=plan),
    ]


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    hide_unless(is_planner(request.user))
    plan = get_object_or_404(StrategicPlan, pk=pk)
    return render(
        request,
        "planning/workspace/plan_detail.html",
        {
            "plan": plan,
            "outline": plan_outline(plan, public=False),
            "draft": in_draft(plan),
            "diagnoses": list(plan.diagnoses.order_by("-version")),
            "history": history_entries(*_plan_parts(plan), limit=60),
            "events": events_for(plan)[:50],
        },
    )


@login_required
def strategy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A strategy with its objectives, goals and programmes; its commission edits objectives and programmes."""
    strategy = get_object_or_404(Strategy.objects.select_related("plan", "vertiente", "commission"), pk=pk)
    view_strategy(request.user, strategy)
    objectives = strategy_objectives(strategy)
    programmes = list(
        Programme.objects.filter(strategy__plan__slug=strategy.plan.slug, strategy__slug=strategy.slug)
        .exclude(state__in=RETIRED_STATES)
        .select_related("agency")
        .order_by("code")
    )
    draft = in_draft(strategy.plan)
    return render(
        request,
        "planning/workspace/strategy_detail.html",
        {
            "strategy": strategy,
            "plan": strategy.plan,
            "objectives": objectives,
            "programmes": programmes,
            "planner": is_planner(request.user),
            "draft": draft,
            "edit_goals": draft and is_planner(request.user),
            "can_edit_content": draft and can_edit_strategy_content(request.user, strategy),
            # Programmes are instruments of their own: the commission proposes them whatever the plan's state.
            "can_add_programmes": can_edit_strategy_content(request.user, strategy),
            "history": history_entries(
                strategy, strategy.objectives.all(), Goal.objects.filter(objective__strategy=strategy)
            ),
            "events": events_for(strategy.plan)[:50],
        },
    )


@login_required
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(Programme.objects.select_related("strategy__plan", "objective", "agency"), pk=pk)
    view_programme(request.user, programme)
    return render(
        request,
        "planning/workspace/programme_detail.html",
        {
            "programme": programme,
            "draft": in_draft(programme),
            "government_plans": list(programme.government_plans.select_related("administration_term")),
            "history": history_entries(programme),
            "events": events_for(programme)[:50],
        },
    )


@login_required
def diagnosis_detail(request: HttpRequest, pk: int) -> HttpResponse:
    hide_unless(is_planner(request.user))
    diagnosis = get_object_or_404(Diagnosis.objects.select_related("plan"), pk=pk)
    sections = diagnosis_sections(diagnosis)
    return render(
        request,
        "planning/workspace/diagnosis_detail.html",
        {
            "diagnosis": diagnosis,
            "sections": sections,
            "draft": in_draft(diagnosis),
            "history": history_entries(diagnosis, diagnosis.sections.all()),
            "events": events_for(diagnosis)[:50],
        },
    )


@login_required
def government_plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    hide_unless(is_planner(request.user))
    plan = get_object_or_404(GovernmentPlan.objects.select_related("administration_term"), pk=pk)
    return render(
        request,
        "planning/workspace/government_plan_detail.html",
        {
            "plan": plan,
            "outline": government_plan_outline(plan, public=False),
            "draft": in_draft(plan),
            "history": history_entries(plan),
            "events": events_for(plan)[:50],
        },
    )


# --- Public site ----------------------------------------------------------------------------------------------


def plan_public(request: HttpRequest) -> HttpResponse:
    """The published long-term plan: vision, vertientes, strategies, objectives, goals and programmes."""
    published = public_plan()
    if published is None:
        raise Http404
    # Lazy (templates call callables): the page keeps its content by content version ({% content_cache %}), and
    # kept content costs no query.
    outline = functools.cache(functools.partial(plan_outline, published, public=True))
    return render(
        request,
        "planning/public/plan_detail.html",
        {"plan": published, "outline": outline, "diagnosis": functools.cache(public_diagnosis)},
    )


def strategy_public(request: HttpRequest, slug: str) -> HttpResponse:
    published, strategy = public_strategy_or_404(slug)
    # Lazy, as the plan's page: objectives, goals and programmes only when the kept content must be drawn again.
    outline = functools.cache(functools.partial(strategy_outline, strategy))
    return render(
        request, "planning/public/strategy_detail.html", {"plan": published, "strategy": strategy, "outline": outline}
    )


def government_plan_public(request: HttpRequest, term: str | None = None) -> HttpResponse:
    """The published three-year government plan of a term (the newest by default), with its alignment."""
    published = public_government_plan(term)
    return render(
        request,
        "planning/public/government_plan_detail.html",
        {"plan": published, "term": term_slug(published), "outline": government_plan_outline(published, public=True)},
    )


def diagnosis_public(request: HttpRequest) -> HttpResponse:
    """The published diagnosis: its sections and the indicators each cites, with their latest values."""
    published = public_diagnosis()
    if published is None:
        raise Http404
    return render(
        request,
        "planning/public/diagnosis_detail.html",
        {"diagnosis": published, "sections": diagnosis_sections(published)},
    )
