"""Reads of the portfolio: filtered lists, the map's GeoJSON, a project's record and its options.

Every reader issues a fixed number of queries whatever the number of projects (the tests assert it).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import F, Q, QuerySet, Sum
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext

from councils.models import BodyKind
from implan import params, roles
from implan.models import PUBLIC_RECORD_STATES, RETIRED_STATES, Agency, Event, Territory
from planning.models import BudgetLine, Programme, Strategy
from projects.models import (
    PROPOSING_BODY_KINDS,
    PUBLIC_STATUSES,
    AgencyLiaison,
    ProgressUpdate,
    Project,
    ProjectStatus,
)
from projects.sdg import sdg_labels

LIST_RELATED = ("strategy", "territory", "agency", "origin_body")
PAGE_SIZE = 25
# Best score first; projects not yet scored last (PostgreSQL would put NULLs first in a descending sort).
RANKING = (F("priority_score").desc(nulls_last=True), "code")


@dataclass(frozen=True)
class Filters:
    """What the portfolio lists are filtered by; every field is optional."""

    q: str = ""
    strategy: int | None = None
    territory: int | None = None
    agency: int | None = None
    status: str = ""
    origin: str = ""

    @classmethod
    def from_query(cls, query: QueryDict) -> Filters:
        def number(name: str) -> int | None:
            raw = query.get(name, "")
            return params.number(raw)

        status = query.get("estado", "")
        origin = query.get("origen", "")
        return cls(
            q=query.get("q", "").strip()[:100],
            strategy=number("estrategia"),
            territory=number("territorio"),
            agency=number("dependencia"),
            status=status if status in ProjectStatus.values else "",
            origin=origin if origin in PROPOSING_BODY_KINDS else "",
        )

    def as_query(self) -> str:
        """The filters as a query string (for pagination, the map and the exports)."""
        names = {
            "q": "q",
            "strategy": "estrategia",
            "territory": "territorio",
            "agency": "dependencia",
            "status": "estado",
            "origin": "origen",
        }
        query = QueryDict(mutable=True)
        for attr, value in asdict(self).items():
            if value not in ("", None):
                query[names[attr]] = str(value)
        return query.urlencode()


def map_config() -> dict[str, Any]:
    """What the map script needs, passed to it as JSON data (no inline script)."""
    south, west, north, east = settings.MUNICIPALITY_BBOX
    return {
        "tiles": settings.MAP_TILE_URL,
        "attribution": gettext(settings.MAP_TILE_ATTRIBUTION),
        "bounds": [[south, west], [north, east]],
    }


def apply_filters(projects: QuerySet[Project], filters: Filters) -> QuerySet[Project]:
    if filters.q:
        projects = projects.filter(
            Q(title__icontains=filters.q)
            | Q(code__icontains=filters.q)
            | Q(problem__icontains=filters.q)
            | Q(description__icontains=filters.q)
        )
    if filters.strategy:
        projects = projects.filter(strategy_id=filters.strategy)
    if filters.territory:  # the territory and what lies inside it (colonias of a delegación)
        projects = projects.filter(Q(territory_id=filters.territory) | Q(territory__parent_id=filters.territory))
    if filters.agency:
        projects = projects.filter(agency_id=filters.agency)
    if filters.status:
        projects = projects.filter(status=filters.status)
    if filters.origin:
        projects = projects.filter(origin_body__kind=filters.origin)
    return projects


def public_portfolio(filters: Filters) -> QuerySet[Project]:
    """The published portfolio, ranked by priority score, with what a row shows."""
    return apply_filters(Project.objects.public(), filters).select_related(*LIST_RELATED).order_by(*RANKING)


def ranked_portfolio(projects: QuerySet[Project], filters: Filters) -> QuerySet[Project]:
    """The workspace ranking: projects the user may see, best score first, unscored last."""
    return apply_filters(projects, filters).select_related(*LIST_RELATED).order_by(*RANKING)


def filter_options(projects: QuerySet[Project], *, public: bool = False) -> dict[str, Any]:
    """The choices of the filter form, limited to what the given projects use (three queries)."""
    return {
        "strategies": list(Strategy.objects.filter(pk__in=projects.values("strategy_id")).order_by("number")),
        "territories": list(
            Territory.objects.filter(
                Q(pk__in=projects.values("territory_id")) | Q(children__in=projects.values("territory_id"))
            )
            .distinct()
            .order_by("kind", "name")
        ),
        "agencies": list(Agency.objects.filter(pk__in=projects.values("agency_id")).order_by("name")),
        "statuses": [(s, label) for s, label in ProjectStatus.choices if not public or s in PUBLIC_STATUSES],
        "origins": [(kind, BodyKind(kind).label) for kind in PROPOSING_BODY_KINDS],
    }


def geojson(projects: QuerySet[Project]) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of the projects that have a point (one query)."""
    rows = (
        projects.exclude(latitude__isnull=True)
        .values_list(
            "slug",
            "code",
            "title",
            "status",
            "physical_progress",
            "latitude",
            "longitude",
            "strategy__name",
            "territory__name",
        )
        .order_by("code")
    )
    labels = dict(ProjectStatus.choices)
    detail = reverse("projects:project_detail", args=["-"]).rstrip("-/")
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [float(lon), float(lat)]},
            "properties": {
                "code": code,
                "title": title,
                "status": status,
                "status_label": str(labels[status]),
                "progress": float(progress),
                "strategy": strategy,
                "territory": territory,
                "url": f"{detail}/{slug}/",
            },
        }
        for slug, code, title, status, progress, lat, lon, strategy, territory in rows
    ]
    return {"type": "FeatureCollection", "features": features}


@dataclass
class Money:
    estimated: Decimal | None
    allocated: Decimal
    spent: Decimal
    over_allocation: bool

    @property
    def spent_share(self) -> Decimal | None:
        """Spent as a percentage of what was allocated (for the bar), capped at 100 for drawing."""
        if not self.allocated:
            return None
        return min(Decimal("100"), (self.spent / self.allocated * 100).quantize(Decimal("0.1")))


def public_allocations() -> Q:
    """Allocations the public may see: none from a budget still in draft or under review (its figures are not
    public yet); an allocation tied to no budget line names no budget."""
    return Q(budget_line__isnull=True) | Q(budget_line__budget__state__in=PUBLIC_RECORD_STATES)


def public_programme(project: Project) -> Programme | None:
    """The project's programme, if the public has been shown it."""
    programme = project.programme
    return programme if programme is not None and programme.state in PUBLIC_RECORD_STATES else None


def project_record(project: Project, *, public: bool) -> dict[str, Any]:
    """Everything a project page shows besides the timeline: milestones, money, progress, evidence.

    ``public``: only what has been published — the programme and the budgets that fund it, the government plans
    that commit it — for the public page; the workspace shows drafts too.
    """
    allocations = project.allocations.select_related("fiscal_year", "budget_line__budget", "budget_line__programme")
    plans = project.government_plans.select_related("administration_term")
    if public:
        allocations = allocations.filter(public_allocations())
        plans = plans.filter(state__in=PUBLIC_RECORD_STATES)
    allocations = list(allocations.order_by("fiscal_year__year"))
    updates = list(
        ProgressUpdate.objects.filter(project=project)
        .select_related("reported_by")
        .prefetch_related("evidence")
        .order_by("-reported_on", "-id")
    )
    allocated = sum((a.amount for a in allocations), Decimal("0"))
    latest = updates[0] if updates else None
    money = Money(
        estimated=project.estimated_cost,
        allocated=allocated,
        spent=latest.amount_spent if latest else Decimal("0"),
        over_allocation=bool(latest and latest.amount_spent > allocated),
    )
    return {
        "project": project,
        "programme": public_programme(project) if public else project.programme,
        "milestones": list(project.milestones.order_by("order")),
        "allocations": allocations,
        "updates": updates,
        "money": money,
        "sdgs": sdg_labels(project.sdg_goals),
        "government_plans": list(plans),
    }


def public_project(slug: str) -> Project:
    return (
        Project.objects.public()
        .select_related(
            "strategy__plan",
            "strategy__vertiente",
            "programme",
            "territory__parent",
            "agency",
            "origin_body",
            "proposed_by",
            # The citizen proposal it came from, if any (the relation is declared by consultations, above projects).
            "citizen_proposal__call",
        )
        .get(slug=slug)
    )


def open_budget_lines(project: Project) -> QuerySet[BudgetLine]:
    """Lines a planner may fund the project from: budgets neither superseded nor archived, the project's programme
    first."""
    lines = (
        BudgetLine.objects.exclude(budget__state__in=RETIRED_STATES)
        .select_related("budget__fiscal_year", "programme", "agency")
        .annotate(allocated=Sum("allocations__amount"))
    )
    return lines.order_by("-budget__fiscal_year__year", "programme__code", "chapter")


# --- Liaisons (the administration's page) ----------------------------------------------------------------------

LIAISON_ACTIONS = ("agency_liaison_granted", "agency_liaison_revoked")


def liaison_grants() -> QuerySet[AgencyLiaison]:
    return AgencyLiaison.objects.select_related("user", "agency").order_by(
        "agency__name", "user__last_name", "user__first_name", "user__username"
    )


def liaison_candidates() -> QuerySet:
    """Active accounts with the «Enlace de dependencia» role: the ones a grant may name."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=roles.AGENCY_LIAISON)
        .order_by("last_name", "first_name", "username")
    )


def liaison_movements(limit: int = 20) -> QuerySet[Event]:
    """The latest grants and removals of liaisons, over every agency, newest first."""
    return (
        Event.objects.filter(action__in=LIAISON_ACTIONS).select_related("actor").order_by("-created_at", "-pk")[:limit]
    )
