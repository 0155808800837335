"""Public pages of the plan (no login): only published instruments."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from planning.plan_selectors import (
    diagnosis_sections,
    government_plan_outline,
    plan_outline,
    public_diagnosis,
    public_government_plan,
    public_plan,
    public_strategy,
    term_slug,
)


def plan(request: HttpRequest) -> HttpResponse:
    """The published long-term plan: vision, vertientes, strategies, objectives, goals and programmes."""
    published = public_plan()
    if published is None:
        raise Http404
    return render(request, "planning/plan_public.html", {"outline": plan_outline(published, public=True),
                                                         "diagnosis": public_diagnosis()})


def strategy(request: HttpRequest, slug: str) -> HttpResponse:
    published, outline = public_strategy(slug)
    return render(request, "planning/strategy_public.html", {"plan": published, "outline": outline})


def government_plan(request: HttpRequest, term: str | None = None) -> HttpResponse:
    """The published three-year government plan of a term (the newest by default), with its alignment."""
    published = public_government_plan(term)
    return render(request, "planning/government_plan_public.html", {
        "plan": published, "term": term_slug(published), "outline": government_plan_outline(published, public=True)})


def diagnosis(request: HttpRequest) -> HttpResponse:
    """The published diagnosis: its sections and the indicators each cites, with their latest values."""
    published = public_diagnosis()
    if published is None:
        raise Http404
    return render(request, "planning/diagnosis_public.html", {"diagnosis": published,
                                                              "sections": diagnosis_sections(published)})
