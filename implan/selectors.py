"""Reads behind the public home and the workspace home (a fixed number of queries each)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext_lazy as _

from councils.models import Body, Membership, Resolution, Session
from councils.services import open_votes_for
from implan import roles
from implan.models import LifecycleState
from implan.permissions import has_role, objects_for
from indicators.models import Indicator
from planning.models import AnnualReport, Budget, Diagnosis, Evaluation, GovernmentPlan, Programme, StrategicPlan
from projects.models import Project
from projects.permissions import liaison_projects


def _latest(queryset: Any) -> Any:
    return queryset.order_by("-version").first()


def planning_cycle() -> list[dict[str, Any]]:
    """The eight steps of the cycle, each with its latest published (or current) instrument and its state."""
    plan = _latest(StrategicPlan.objects.published())
    budget = Budget.objects.select_related("fiscal_year").published().order_by("-fiscal_year__year").first()
    steps = [
        (_("Diagnóstico"), _latest(Diagnosis.objects.published())),
        (_("Visión"), plan),
        (_("Estrategias"), plan),
        (_("Cartera de proyectos"), None),
        (_("Programa de gobierno"), _latest(GovernmentPlan.objects.published())),
        (_("Presupuesto anual"), budget),
        (_("Informe anual"), _latest(AnnualReport.objects.published())),
        (_("Evaluación"), _latest(Evaluation.objects.published())),
    ]
    return [{"label": label, "instrument": instrument} for label, instrument in steps]


def public_home() -> dict[str, Any]:
    plan = _latest(StrategicPlan.objects.published())
    strategies = list(plan.strategies.select_related("vertiente").order_by("number")) if plan else []
    return {
        "plan": plan,
        "cycle": planning_cycle(),
        "strategies": strategies,
        "project_count": Project.objects.public().count(),
        "indicator_count": Indicator.objects.published().count(),
        "latest_resolutions": list(Resolution.objects.select_related("body").order_by("-adopted_on", "-id")[:5]),
        "upcoming_sessions": list(Session.objects.upcoming().select_related("body").order_by("scheduled_at")[:5]),
    }


def workspace_for(user: AbstractBaseUser) -> dict[str, Any]:
    """What the user can act on, by role: their bodies and sessions, drafts, their agency's projects."""
    memberships = list(
        Membership.objects.current().filter(person__user=user).select_related("body").order_by("body__name")
    )
    managed_bodies = objects_for(user, "councils.manage_sessions", Body.objects.all())
    context: dict[str, Any] = {
        "roles": sorted(roles.user_roles(user)),
        "memberships": memberships,
        "upcoming_sessions": list(
            Session.objects.upcoming()
            .filter(body__in=[m.body_id for m in memberships] + list(managed_bodies.values_list("pk", flat=True)))
            .select_related("body")
            .order_by("scheduled_at")[:10]
        ),
        "managed_bodies": list(managed_bodies.order_by("name")),
        "open_motions": list(open_votes_for(user)),
        "drafts": [],
        "agency_projects": list(liaison_projects(user).select_related("agency").order_by("code")[:20]),
    }
    if has_role(user, roles.PLANNING, roles.ADMINISTRATION):
        context["drafts"] = _drafts()
    return context


def _drafts() -> list[Any]:
    drafts: list[Any] = []
    for model in (StrategicPlan, Diagnosis, Programme, GovernmentPlan, Budget, AnnualReport, Evaluation):
        drafts.extend(model.objects.filter(state__in=[LifecycleState.DRAFT, LifecycleState.IN_REVIEW])[:10])
    return drafts
