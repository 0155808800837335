"""The published portfolio as an OC4IDS 0.9 project package (Open Contracting for Infrastructure Data Standard).

Mappings from the portal's values to the OC4IDS codelists live here. Identifiers are ``<OC4IDS_PREFIX>-<code>``.
Validated by the tests against ``projects/schemas/oc4ids`` (draft-04), offline.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Max, Prefetch, QuerySet
from django.utils import timezone

from implan.licence import open_data_licence
from projects.models import Allocation, Milestone, Project, ProjectStatus
from projects.sdg import SDG_GOALS
from projects.selectors import public_allocations

VERSION = "0.9"
S = ProjectStatus
# OC4IDS projectStatus (closed codelist). A suspended project stays in the stage it had reached.
STATUS = {
    S.PROPOSED: "identification",
    S.UNDER_ASSESSMENT: "identification",
    S.IN_PORTFOLIO: "preparation",
    S.IN_EXECUTION: "implementation",
    S.COMPLETED: "completion",
    S.CANCELLED: "cancelled",
}


def oc4ids_status(project: Project) -> str:
    if project.status == S.SUSPENDED:
        return "implementation" if project.physical_progress > 0 else "preparation"
    return STATUS[project.status]


def _datetime(day: datetime.date) -> str:
    return datetime.datetime.combine(day, datetime.time(0, 0), tzinfo=datetime.UTC).isoformat()


def _amount(value: Decimal) -> dict[str, Any]:
    return {"amount": float(value), "currency": settings.CURRENCY}


def _party_id(agency: Any) -> str:
    return f"{settings.OC4IDS_PREFIX}-dependencia-{agency.slug}"


def _milestones(project: Project, today: datetime.date) -> list[dict[str, Any]]:
    result = []
    for m in project.milestones.all():
        item = {"id": str(m.order), "title": m.title, "type": "delivery", "dueDate": _datetime(m.planned_date)}
        if m.actual_date:
            item |= {"status": "met", "dateMet": _datetime(m.actual_date)}
        else:
            item["status"] = "notMet" if m.planned_date < today else "scheduled"
        result.append(item)
    return result


def _policy_alignment(project: Project) -> dict[str, Any]:
    strategy = project.strategy
    description = f"{strategy.plan.title}, estrategia {strategy.number}: {strategy.name}."
    policies = ["sectorPlan"]
    if project.sdg_goals:
        policies.append("SDG")
        goals = "; ".join(f"{n}. {SDG_GOALS[n]}" for n in sorted(project.sdg_goals))
        description += f" Objetivos de Desarrollo Sostenible: {goals}."
    return {"policies": policies, "description": description}


def _budget(project: Project) -> dict[str, Any] | None:
    allocations = list(project.allocations.all())
    budget: dict[str, Any] = {}
    if project.estimated_cost is not None:
        budget["amount"] = _amount(project.estimated_cost)
    if allocations:
        budget["budgetBreakdowns"] = [
            {
                "id": "asignaciones-anuales",
                "description": "Asignaciones anuales del presupuesto municipal",
                "budgetBreakdown": [
                    {
                        "id": str(a.pk),
                        "description": f"Ejercicio {a.fiscal_year.year}",
                        "amount": _amount(a.amount),
                        "period": {
                            "startDate": _datetime(datetime.date(a.fiscal_year.year, 1, 1)),
                            "endDate": _datetime(datetime.date(a.fiscal_year.year, 12, 31)),
                        },
                    }
                    for a in allocations
                ],
            }
        ]
    return budget or None


def project_release(project: Project, *, base_url: str, today: datetime.date) -> dict[str, Any]:
    """One project in OC4IDS form."""
    prefix = settings.OC4IDS_PREFIX
    data: dict[str, Any] = {
        "id": f"{prefix}-{project.code}",
        "updated": project.updated_at.isoformat(),
        "language": "es",
        "identifiers": [{"id": project.code, "scheme": settings.INSTITUTE_SHORT_NAME}],
        "title": project.title,
        "description": project.description or project.problem,
        "purpose": project.problem,
        "status": oc4ids_status(project),
        "locations": [_location(project)],
        "policyAlignment": _policy_alignment(project),
        "additionalClassifications": [
            {"scheme": "x_estrategia", "id": str(project.strategy.number), "description": project.strategy.name}
        ],
        "documents": [
            {
                "id": "ficha",
                "documentType": "projectScope",
                "title": "Ficha pública del proyecto",
                "url": f"{base_url}/proyectos/{project.slug}/",
                "format": "text/html",
                "language": "es",
            }
        ],
    }
    if project.sector:
        sector = project.sector
        data["sector"] = [sector.split(".")[0], sector] if "." in sector else [sector]
    budget = _budget(project)
    if budget:
        data["budget"] = budget
    if project.agency_id:
        party = {"id": _party_id(project.agency), "name": project.agency.name, "roles": ["publicAuthority"]}
        data["parties"] = [party]
        data["publicAuthority"] = {"id": party["id"], "name": party["name"]}
    milestones = _milestones(project, today)
    if milestones:
        data["milestones"] = milestones
    return data


def _location(project: Project) -> dict[str, Any]:
    territory = project.territory
    location: dict[str, Any] = {"id": "1", "description": f"{territory.name}, {settings.MUNICIPALITY_NAME}"}
    if project.latitude is not None:
        location["geometry"] = {"type": "Point", "coordinates": [float(project.longitude), float(project.latitude)]}
    if territory.inegi_code:
        location["gazetteer"] = {"scheme": "x_INEGI", "identifiers": [territory.inegi_code]}
    return location


def published_projects() -> QuerySet[Project]:
    return (
        Project.objects.public()
        .select_related("strategy__plan", "agency", "territory")
        .prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("order")),
            Prefetch(
                "allocations",
                queryset=Allocation.objects.filter(public_allocations())
                .select_related("fiscal_year", "budget_line__programme")
                .order_by("fiscal_year__year", "id"),
            ),
        )
        .order_by("code")
    )


def package(*, base_url: str) -> dict[str, Any]:
    """The project package of the published portfolio (a fixed number of queries)."""
    projects = published_projects()
    today = timezone.localdate()
    last_change = Project.objects.public().aggregate(last=Max("updated_at"))["last"] or timezone.now()
    return {
        "uri": f"{base_url}/datos/proyectos.oc4ids.json",
        "version": VERSION,
        "publishedDate": last_change.isoformat(),
        "publisher": {"name": settings.INSTITUTE_NAME, "uri": f"{base_url}/"},
        "license": open_data_licence().url,
        "projects": [project_release(p, base_url=base_url, today=today) for p in projects],
    }
