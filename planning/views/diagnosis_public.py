"""The published diagnosis (no login): the first step of the cycle, citing the indicators it rests on."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from implan.models import LifecycleState
from planning.models import Diagnosis
from planning.plan_selectors import diagnosis_sections


def diagnosis(request: HttpRequest) -> HttpResponse:
    published = (Diagnosis.objects.filter(state=LifecycleState.PUBLISHED).select_related("plan")
                 .order_by("-published_at", "-version").first())
    if published is None:
        raise Http404
    return render(request, "planning/diagnosis_public.html",
                  {"diagnosis": published, "sections": diagnosis_sections(published)})
