"""Reads behind the public home and the workspace home (a fixed number of queries each)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from consultations.selectors import open_consultations
from councils.desk import secretary_desk
from councils.models import Body, Membership, Resolution, Session
from councils.services.votes import open_votes_for
from implan import notifications, roles
from implan.models import LifecycleState
from implan.permissions import is_planner, objects_for
from implan.types import Actor
from indicators.calendar import needing_attention
from indicators.models import Indicator
from indicators.selectors import dashboard as indicator_dashboard
from indicators.selectors import default_territory
from planning.models import AnnualReport, Budget, Diagnosis, Evaluation, GovernmentPlan, Programme, StrategicPlan
from planning.selectors.plan import term_slug
from projects.models import Project
from projects.permissions import liaison_projects


def _latest(queryset: Any) -> Any:
    return queryset.order_by("-version").first()


@dataclass(frozen=True)
class Step:
    """One step of the planning cycle on the home page: what is published (with its link) and what is in the works."""

    label: Any
    published: Any = None
    url: str = ""
    in_progress: Any = None
    note: str = ""


# What the public may know is on its way: an instrument submitted for approval awaits a council (whose sessions and
# agendas are public), an approved one is named in a public resolution. A draft is the planners' working copy and is
# not named on public pages. (Project pages are stricter, ``PUBLIC_RECORD_STATES``: there a plan under review would
# read as a commitment it is not yet; here it reads as what it is, "en preparación".)
IN_PROGRESS = [LifecycleState.IN_REVIEW, LifecycleState.APPROVED]


def _newest(model: Any, *, states: Any, order: tuple[str, ...] = ("-version",), related: tuple[str, ...] = ()) -> Any:
    return model.objects.filter(state__in=states).select_related(*related).order_by(*order).first()


def planning_cycle() -> list[Step]:
    """The eight steps of the cycle as the institute describes it, each linking to its published content with its
    state, and the version in preparation if there is one (two queries a step at most)."""
    published = [LifecycleState.PUBLISHED]
    plan = _newest(StrategicPlan, states=published, order=("-horizon_year", "-version"))
    by_year = ("-fiscal_year__year", "-version")
    government = _newest(
        GovernmentPlan,
        states=published,
        order=("-administration_term__start_date", "-version"),
        related=("administration_term",),
    )
    budget = _newest(Budget, states=published, order=by_year, related=("fiscal_year",))
    report = _newest(AnnualReport, states=published, order=by_year, related=("fiscal_year",))
    evaluation = _newest(Evaluation, states=published, order=by_year, related=("fiscal_year",))
    plan_url = reverse("planning:plan_public") if plan else ""
    strategies, projects = plan.strategies.count() if plan else 0, Project.objects.public().count()
    return [
        Step(
            _("Diagnóstico"),
            _newest(Diagnosis, states=published, order=("-published_at", "-version")),
            reverse("planning:diagnosis_public"),
            _newest(Diagnosis, states=IN_PROGRESS),
        ),
        Step(_("Visión"), plan, plan_url + "#vision" if plan else ""),
        Step(
            _("Estrategias"),
            plan,
            plan_url,
            _newest(StrategicPlan, states=IN_PROGRESS),
            note=ngettext("%(n)s estrategia", "%(n)s estrategias", strategies) % {"n": strategies} if plan else "",
        ),
        Step(
            _("Cartera de proyectos"),
            None,
            reverse("projects:project_list"),
            note=ngettext(
                "%(n)s proyecto en cartera o en ejecución", "%(n)s proyectos en cartera o en ejecución", projects
            )
            % {"n": projects},
        ),
        Step(
            _("Programa de gobierno"),
            government,
            reverse("planning:government_plan_public", args=[term_slug(government)]) if government else "",
            _newest(GovernmentPlan, states=IN_PROGRESS),
        ),
        Step(
            _("Presupuesto anual"),
            budget,
            reverse("planning:budget_year", args=[budget.fiscal_year.year]) if budget else "",
            _newest(Budget, states=IN_PROGRESS, order=by_year, related=("fiscal_year",)),
        ),
        Step(
            _("Informe anual"),
            report,
            reverse("planning:report_year", args=[report.fiscal_year.year]) if report else "",
            _newest(AnnualReport, states=IN_PROGRESS, order=by_year, related=("fiscal_year",)),
        ),
        Step(
            _("Evaluación"),
            evaluation,
            reverse("planning:evaluation_year", args=[evaluation.fiscal_year.year]) if evaluation else "",
            _newest(Evaluation, states=IN_PROGRESS, order=by_year, related=("fiscal_year",)),
        ),
    ]


def indicator_highlights(per_family: int = 2) -> list[Any]:
    """A few indicator cards for the home page: the first of each family, for the municipality."""
    groups = indicator_dashboard(territory=default_territory())
    return [card for group in groups for card in group.cards[:per_family]]


def public_home() -> dict[str, Any]:
    plan = _latest(StrategicPlan.objects.published())
    strategies = list(plan.strategies.select_related("vertiente").order_by("number")) if plan else []
    return {
        "plan": plan,
        "cycle": planning_cycle(),
        "strategies": strategies,
        "project_count": Project.objects.public().count(),
        "indicator_count": Indicator.objects.published().count(),
        "highlights": indicator_highlights(),
        "latest_resolutions": list(
            Resolution.objects.select_related("body", "session").order_by("-adopted_on", "-id")[:5]
        ),
        "upcoming_sessions": list(Session.objects.upcoming().select_related("body").order_by("scheduled_at")[:5]),
        "open_consultations": open_consultations(),
    }


INBOX_ON_HOME = 5


def workspace_for(user: Actor) -> dict[str, Any]:
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
        "desks": secretary_desk(user=user),
        "drafts": [],
        "agency_projects": list(liaison_projects(user).select_related("agency").order_by("code")[:20]),
        "unread_notifications": list(notifications.inbox(user).filter(read_at__isnull=True)[:INBOX_ON_HOME]),
    }
    if is_planner(user):
        context["drafts"] = _drafts()
        context["indicators_due"] = needing_attention(today=timezone.localdate())
    return context


def _drafts() -> list[Any]:
    drafts: list[Any] = []
    for model in (StrategicPlan, Diagnosis, Programme, GovernmentPlan, Budget, AnnualReport, Evaluation):
        drafts.extend(model.objects.filter(state__in=[LifecycleState.DRAFT, LifecycleState.IN_REVIEW])[:10])
    return drafts
