"""Reads behind the public home and the workspace home (a fixed number of queries each)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, F, OuterRef, Q, Subquery, Value, When, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from consultations.models import Consultation
from councils.desk import secretary_desk
from councils.models import Body, Membership, Resolution, Session
from councils.services.votes import open_votes_for
from implan import notifications, roles
from implan.cache import lazy_context
from implan.models import LifecycleState
from implan.permissions import is_planner, objects_for
from implan.types import Actor
from indicators.calendar import needing_attention
from indicators.selectors import dashboard as indicator_dashboard
from indicators.selectors import default_territory
from planning.models import (
    AnnualReport,
    Budget,
    Diagnosis,
    Evaluation,
    GovernmentPlan,
    Programme,
    StrategicPlan,
    Strategy,
)
from planning.selectors.plan import term_slug
from projects.models import Project
from projects.permissions import liaison_projects


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


def _newest_pair(
    model: Any,
    *,
    order: tuple[str, ...] = ("version",),
    published_order: tuple[str, ...] = (),
    related: tuple[str, ...] = (),
    **annotations: Any,
) -> tuple[Any, Any]:
    """The newest published instance of ``model`` and the newest one in progress, in one query.

    Newest: highest ``order`` (fields, descending), after ``published_order`` for the published one only. A window
    numbers each group's rows (published, or in progress) and keeps each group's first.
    """
    is_published = Q(state=LifecycleState.PUBLISHED)
    ranking = [Case(When(is_published, then=F(name))).desc() for name in published_order]
    ranking += [F(name).desc() for name in order]
    rows = (
        model.objects.filter(state__in=[LifecycleState.PUBLISHED, *IN_PROGRESS])
        .select_related(*related)
        .annotate(
            **annotations,
            newest=Window(
                RowNumber(),
                partition_by=[Case(When(is_published, then=Value(True)), default=Value(False))],
                order_by=ranking,
            ),
        )
        .filter(newest=1)
    )
    by_group = {row.state == LifecycleState.PUBLISHED: row for row in rows}
    return by_group.get(True), by_group.get(False)


def planning_cycle() -> list[Step]:
    """The eight steps of the cycle as the institute describes it, each linking to its published content with its
    state, and the version in preparation if there is one (one query a step at most)."""
    by_year = {"order": ("fiscal_year__year", "version"), "related": ("fiscal_year",)}
    diagnosis, next_diagnosis = _newest_pair(Diagnosis, published_order=("published_at",))
    plan, next_plan = _newest_pair(
        StrategicPlan,
        published_order=("horizon_year",),
        strategy_count=Subquery(
            Strategy.objects.filter(plan=OuterRef("pk")).values("plan").annotate(n=Count("pk")).values("n")
        ),
    )
    government, next_government = _newest_pair(
        GovernmentPlan, published_order=("administration_term__start_date",), related=("administration_term",)
    )
    budget, next_budget = _newest_pair(Budget, **by_year)
    report, next_report = _newest_pair(AnnualReport, **by_year)
    evaluation, next_evaluation = _newest_pair(Evaluation, **by_year)
    plan_url = reverse("planning:plan_public") if plan else ""
    strategies, projects = (plan.strategy_count or 0) if plan else 0, Project.objects.public().count()
    return [
        Step(_("Diagnóstico"), diagnosis, reverse("planning:diagnosis_public"), next_diagnosis),
        Step(_("Visión"), plan, plan_url + "#vision" if plan else ""),
        Step(
            _("Estrategias"),
            plan,
            plan_url,
            next_plan,
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
            next_government,
        ),
        Step(
            _("Presupuesto anual"),
            budget,
            reverse("planning:budget_year", args=[budget.fiscal_year.year]) if budget else "",
            next_budget,
        ),
        Step(
            _("Informe anual"),
            report,
            reverse("planning:report_year", args=[report.fiscal_year.year]) if report else "",
            next_report,
        ),
        Step(
            _("Evaluación"),
            evaluation,
            reverse("planning:evaluation_year", args=[evaluation.fiscal_year.year]) if evaluation else "",
            next_evaluation,
        ),
    ]


def indicator_highlights(per_family: int = 2) -> tuple[list[Any], int]:
    """A few indicator cards for the home page (the first of each family, for the municipality), and how many
    indicators are published (the dashboard has a card for each)."""
    groups = indicator_dashboard(territory=default_territory())
    return [card for group in groups for card in group.cards[:per_family]], sum(len(g.cards) for g in groups)


def public_home() -> dict[str, Any]:
    """The home's context. What shows only published content is lazy (callables, which templates call): the page keeps
    its rendering by content version (``{% content_cache %}``), and a kept part costs no query. Upcoming sessions and
    open consultations change with the clock, not with the content, and are read on every request."""
    return {
        **lazy_context(_home_content, HOME_CONTENT),
        # Only public bodies' sessions and resolutions: a private body's record is on no public page.
        "upcoming_sessions": list(
            Session.objects.upcoming().filter(body__is_public=True).select_related("body").order_by("scheduled_at")[:5]
        ),
        # Only what the home shows of each (the feed's selector also joins the four kinds of instrument).
        "open_consultations": list(
            Consultation.objects.accepting_comments().only("slug", "title", "ends_on").order_by("ends_on")
        ),
    }


HOME_CONTENT = ("plan", "cycle", "strategies", "indicator_count", "highlights", "latest_resolutions")


def _home_content() -> dict[str, Any]:
    cycle = planning_cycle()
    plan = cycle[2].published  # the step of the strategies: the newest published plan
    strategies = list(plan.strategies.select_related("vertiente").order_by("number")) if plan else []
    highlights, indicator_count = indicator_highlights()
    return {
        "plan": plan,
        "cycle": cycle,
        "strategies": strategies,
        "indicator_count": indicator_count,
        "highlights": highlights,
        "latest_resolutions": list(
            Resolution.objects.filter(body__is_public=True)
            .select_related("body", "session")
            .order_by("-adopted_on", "-id")[:5]
        ),
    }


INBOX_ON_HOME = 5


def workspace_for(user: Actor) -> dict[str, Any]:
    """What the user can act on, by role: their bodies and sessions, drafts, their agency's projects."""
    # The roles first: reading them fills the user's model permissions too, which ``objects_for`` asks next.
    user_roles = sorted(roles.user_roles(user))
    memberships = list(
        Membership.objects.current().filter(person__user=user).select_related("body").order_by("body__name")
    )
    # Read once, for the list, the upcoming sessions and the secretary's desk.
    managed_bodies = list(objects_for(user, "councils.manage_sessions", Body.objects.all()).order_by("name"))
    context: dict[str, Any] = {
        "roles": user_roles,
        "memberships": memberships,
        "upcoming_sessions": list(
            Session.objects.upcoming()
            .filter(body__in={m.body_id for m in memberships} | {b.pk for b in managed_bodies})
            .select_related("body")
            .order_by("scheduled_at")[:10]
        ),
        "managed_bodies": managed_bodies,
        "open_motions": list(open_votes_for(user)),
        "desks": secretary_desk(user=user, managed=managed_bodies),
        "drafts": [],
        "agency_projects": list(liaison_projects(user).select_related("agency").order_by("code")[:20]),
        "unread_notifications": _unread(user),
    }
    if is_planner(user):
        context["drafts"] = _drafts()
        context["indicators_due"] = needing_attention(today=timezone.localdate())
    return context


def _unread(user: Actor) -> list[Any]:
    """The newest unread notices; none to read when the count the header reads with the roles says there are none."""
    if getattr(user, roles.REQUEST_UNREAD, None) == 0:
        return []
    return list(notifications.inbox(user).filter(read_at__isnull=True)[:INBOX_ON_HOME])


def _drafts() -> list[Any]:
    drafts: list[Any] = []
    for model in (StrategicPlan, Diagnosis, Programme, GovernmentPlan, Budget, AnnualReport, Evaluation):
        drafts.extend(model.objects.filter(state__in=[LifecycleState.DRAFT, LifecycleState.IN_REVIEW])[:10])
    return drafts
