"""Thirty-odd strategic projects over the strategies, territories, agencies and every status.

Each project carries its story as the portal would have recorded it: the proposal by a council, the planners'
assessment on the weighted criteria, the status changes, allocations and progress reports, dated through 2024–2025
(the event and history rows are back-dated, since the services stamp them with the moment they run).
"""

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from councils.models import Person
from implan.events import event_record
from implan.models import Agency, Event, Territory, TerritoryKind
from implan.portal.demo.upsert import upsert
from implan.types import Actor
from projects import services
from projects.models import (
    Allocation,
    Assessment,
    CriterionScore,
    Milestone,
    ProgressUpdate,
    Project,
    ProjectSector,
    ProjectStatus,
    ScoringCriterion,
)

S = ProjectStatus
# (title, strategy number, programme code, status)
PROJECTS = [
    ("Parque lineal del Río de los Gómez", 1, "P01", S.IN_EXECUTION),
    ("Reforestación del Cerro Gordo", 1, "P01", S.IN_PORTFOLIO),
    ("Planta de tratamiento de aguas residuales Sur", 1, "P02", S.IN_EXECUTION),
    ("Red de agua potable en comunidades rurales del norte", 1, "P02", S.COMPLETED),
    ("Captación de agua de lluvia en escuelas", 1, "P02", S.PROPOSED),
    ("Centro de emprendimiento del calzado y la piel", 2, "P03", S.IN_PORTFOLIO),
    ("Parque tecnológico de servicios", 2, "P03", S.UNDER_ASSESSMENT),
    ("Mercado municipal San Juan de Dios: rehabilitación", 2, "P03", S.IN_EXECUTION),
    ("Techumbres en escuelas primarias de Las Joyas", 3, "P04", S.IN_EXECUTION),
    ("Biblioteca digital comunitaria El Coecillo", 3, "P04", S.PROPOSED),
    ("Centro cultural de barrio San Miguel", 4, "P05", S.IN_PORTFOLIO),
    ("Festival de las artes en delegaciones", 4, "P05", S.COMPLETED),
    ("Clínica municipal de salud en Santa Ana del Conde", 5, "P06", S.IN_EXECUTION),
    ("Unidad deportiva Cerrito de Jerez", 5, "P07", S.IN_EXECUTION),
    ("Canchas de usos múltiples en comunidades rurales", 5, "P07", S.UNDER_ASSESSMENT),
    ("Vivienda digna: pisos y techos firmes", 6, "P08", S.IN_EXECUTION),
    ("Mejoramiento de fachadas del centro histórico", 6, "P08", S.SUSPENDED),
    ("Regularización de asentamientos en polígonos de desarrollo", 6, "P08", S.IN_PORTFOLIO),
    ("Ciclovía del Boulevard Timoteo Lozano", 7, "P09", S.IN_EXECUTION),
    ("Cruces seguros en escuelas", 7, "P09", S.COMPLETED),
    ("Ampliación de la Línea 5 del Optibús", 7, "P09", S.IN_PORTFOLIO),
    ("Pavimentación de calles en San Juan de Abajo", 7, "P10", S.IN_EXECUTION),
    ("Alumbrado público con tecnología LED en El Carmen", 7, "P10", S.COMPLETED),
    ("Puente vehicular en Malecón del Río", 7, "P10", S.CANCELLED),
    ("Presupuesto participativo en delegaciones urbanas", 8, "P11", S.IN_PORTFOLIO),
    ("Observatorio ciudadano de obras públicas", 8, "P11", S.UNDER_ASSESSMENT),
    ("Casas de la ciudadanía en comunidades rurales", 8, "P11", S.PROPOSED),
    ("Ventanilla única digital de trámites", 9, "P12", S.IN_PORTFOLIO),
    ("Datos abiertos del municipio", 9, "P12", S.IN_EXECUTION),
    ("Centros de atención ciudadana 24/7", 9, "P13", S.SUSPENDED),
    ("Senderos seguros para mujeres", 7, "P09", S.UNDER_ASSESSMENT),
    ("Huertos urbanos comunitarios", 1, "P01", S.PROPOSED),
    ("Rehabilitación del Parque Metropolitano", 1, "P01", S.IN_PORTFOLIO),
]
COMMITTED = {S.IN_PORTFOLIO, S.IN_EXECUTION, S.COMPLETED, S.SUSPENDED}
PROGRESSING = {S.IN_EXECUTION: Decimal("45"), S.COMPLETED: Decimal("100"), S.SUSPENDED: Decimal("20")}
# The status changes that led each project where it is.
PATHS: dict[str, list[S]] = {
    S.PROPOSED: [],
    S.UNDER_ASSESSMENT: [S.UNDER_ASSESSMENT],
    S.IN_PORTFOLIO: [S.UNDER_ASSESSMENT, S.IN_PORTFOLIO],
    S.IN_EXECUTION: [S.UNDER_ASSESSMENT, S.IN_PORTFOLIO, S.IN_EXECUTION],
    S.COMPLETED: [S.UNDER_ASSESSMENT, S.IN_PORTFOLIO, S.IN_EXECUTION, S.COMPLETED],
    S.SUSPENDED: [S.UNDER_ASSESSMENT, S.IN_PORTFOLIO, S.IN_EXECUTION, S.SUSPENDED],
    S.CANCELLED: [S.UNDER_ASSESSMENT, S.IN_PORTFOLIO, S.CANCELLED],
}
# The six criteria of the institute's assessment guide and their weights (they add up to 100).
CRITERIA = [
    ("alineacion", "Alineación a la estrategia", 25, "Qué tanto contribuye a los objetivos y metas de la estrategia."),
    ("impacto", "Impacto", 20, "Cambio esperado en los indicadores de desarrollo del territorio."),
    (
        "beneficiarios",
        "Personas beneficiarias",
        20,
        "Cuántas personas se benefician, con prioridad a zonas de atención prioritaria.",
    ),
    ("factibilidad", "Factibilidad", 15, "Técnica, legal (predio, permisos) y de operación."),
    ("costo", "Costo", 10, "Costo por persona beneficiaria y fuentes de financiamiento disponibles."),
    ("demanda", "Demanda ciudadana", 10, "Respaldo de consejos, comisiones y consultas ciudadanas."),
]
# Deviations from the project's score per criterion; weighted by CRITERIA they add up to zero.
SPREAD = [4, -5, 0, 0, 0, 0]
SECTORS = {
    1: ProjectSector.NATURAL_RESOURCES,
    2: ProjectSector.ECONOMY,
    3: ProjectSector.EDUCATION,
    4: ProjectSector.CULTURE_SPORTS,
    5: ProjectSector.HEALTH,
    6: ProjectSector.SOCIAL_HOUSING,
    7: ProjectSector.TRANSPORT_ROAD,
    8: ProjectSector.GOVERNANCE,
    9: ProjectSector.GOVERNANCE,
}
SECTOR_WORDS = [
    ("agua", ProjectSector.WATER_AND_WASTE),
    ("Ciclovía", ProjectSector.TRANSPORT_URBAN),
    ("Optibús", ProjectSector.TRANSPORT_URBAN),
    ("Cruces", ProjectSector.TRANSPORT_URBAN),
    ("Senderos", ProjectSector.TRANSPORT_URBAN),
    ("Alumbrado", ProjectSector.ENERGY),
    ("deportiva", ProjectSector.CULTURE_SPORTS),
    ("Canchas", ProjectSector.CULTURE_SPORTS),
    ("Datos", ProjectSector.COMMUNICATIONS),
    ("Ventanilla", ProjectSector.COMMUNICATIONS),
]
SDGS = {1: [6, 11, 13], 2: [8, 9], 3: [4], 4: [11, 4], 5: [3], 6: [1, 11], 7: [9, 11], 8: [16], 9: [16, 17]}


def build_criteria() -> list[ScoringCriterion]:
    return [
        upsert(
            ScoringCriterion,
            code=code,
            defaults={"name": name, "weight": Decimal(weight), "order": order, "description": guide},
        )[0]
        for order, (code, name, weight, guide) in enumerate(CRITERIA)
    ]


def _sector(title: str, strategy_number: int) -> str:
    return next((sector for word, sector in SECTOR_WORDS if word in title), SECTORS[strategy_number])


def build_projects(
    *,
    strategies: list,
    programmes: list,
    government_plan: Any,
    budget: Any,
    fiscal_year: Any,
    origins: list,
    proposer: Person,
    liaison: Actor,
) -> list[Project]:
    by_number = {s.number: s for s in strategies}
    by_code = {p.code: p for p in programmes}
    places = list(
        Territory.objects.filter(kind__in=[TerritoryKind.DELEGACION, TerritoryKind.LOCALIDAD])
        .exclude(latitude__isnull=True)
        .order_by("code")
    )
    criteria = build_criteria()
    planner = get_user_model().objects.get(username="planeador")
    # The demo liaison reports for Obra Pública: every project of that agency, present and future.
    services.agency_liaison_grant(
        actor=get_user_model().objects.get(username="admin"),
        user=liaison,
        agency=Agency.objects.get(slug="obra-publica"),
    )
    projects = []
    for n, (title, strategy_number, programme_code, status) in enumerate(PROJECTS, start=1):
        programme, origin = by_code[programme_code], origins[n % len(origins)]
        # A community council proposes for its own territory; the others, anywhere in the municipality.
        place = origin.territory if origin.territory_id and origin.territory.latitude else places[(n * 5) % len(places)]
        assert place.latitude is not None and place.longitude is not None  # the seed's places all have both
        project, created = Project.objects.get_or_create(
            code=f"PE-{2025 if n > 20 else 2024}-{n:03d}",
            defaults={
                "title": title,
                "slug": slugify(title)[:120],
                "strategy": by_number[strategy_number],
                "programme": programme,
                "agency": programme.agency,
                "territory": place,
                "problem": f"Necesidad identificada en {place.name}: {title.lower()}.",
                "description": (
                    f"Proyecto de la estrategia **{by_number[strategy_number].name}**, dentro del "
                    f"programa {programme.name}.\n\n- Territorio: {place.name}\n"
                    f"- Propuesto por: {origin.name}"
                ),
                "latitude": place.latitude + Decimal(n % 5) / 1000,
                "longitude": place.longitude - Decimal(n % 3) / 1000,
                "beneficiaries": 1500 + 731 * n,
                "estimated_cost": Decimal(2_500_000 + 1_250_000 * (n % 9)),
                "priority_score": None if status == S.PROPOSED else Decimal(95 - n * 2),
                "status": status,
                "status_reason": "Falta de recursos en el ejercicio" if status in (S.SUSPENDED, S.CANCELLED) else "",
                "physical_progress": PROGRESSING.get(status, Decimal("0")),
                "sector": _sector(title, strategy_number),
                "sdg_goals": SDGS[strategy_number],
                "origin_body": origin,
                "proposed_by": proposer if origin == origins[0] else None,
            },
        )
        if created:
            _details(
                project,
                n=n,
                government_plan=government_plan,
                budget=budget,
                fiscal_year=fiscal_year,
                liaison=liaison,
                planner=planner,
            )
            _story(project, n=n, criteria=criteria, planner=planner)
        projects.append(project)
    return projects


def _details(
    project: Project,
    *,
    n: int,
    government_plan: Any,
    budget: Any,
    fiscal_year: Any,
    liaison: Actor,
    planner: Actor,
) -> None:
    assert project.estimated_cost is not None  # every demo project has one
    if project.status in COMMITTED:  # while the plan is a draft: what it commits to is part of what is voted
        services.project_commit_to_plan(actor=planner, project=project, plan=government_plan)
    line = budget.lines.filter(programme=project.programme).order_by("pk").first()
    if project.status in PROGRESSING and line is not None:
        allocation = Allocation.objects.create(
            project=project,
            fiscal_year=fiscal_year,
            budget_line=line,
            amount=(project.estimated_cost * Decimal("0.6")).quantize(Decimal("0.01")),
        )
        Allocation.history.filter(id=allocation.pk).update(history_date=_moment(datetime.date(2025, 2, 10)))
    for order, (label, month) in enumerate((("Proyecto ejecutivo", 2), ("Licitación", 4), ("Obra", 9)), start=1):
        done = project.status == S.COMPLETED or (project.status == S.IN_EXECUTION and order < 3)
        Milestone.objects.create(
            project=project,
            order=order,
            title=label,
            planned_date=datetime.date(2025, month, 15),
            actual_date=datetime.date(2025, month, 20) if done else None,
        )
    if project.status in PROGRESSING:
        for step, progress in enumerate((project.physical_progress / 2, project.physical_progress), start=1):
            ProgressUpdate.objects.create(
                project=project,
                reported_on=datetime.date(2025, 3 * step, 28),
                physical_progress=progress,
                amount_spent=(project.estimated_cost * progress / 200).quantize(Decimal("0.01")),
                narrative=f"Avance {step}: trabajos conforme al programa de obra.",
                reported_by=liaison,
            )


def _moment(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(11, 0)))


def _dated_event(day: datetime.date, **fields: Any) -> Event:
    event = event_record(**fields)
    Event.objects.filter(pk=event.pk).update(created_at=_moment(day))
    return event


def _story(project: Project, *, n: int, criteria: list[ScoringCriterion], planner: Actor) -> None:
    """The proposal, assessment and status changes of a demo project, on plausible dates."""
    proposed_on = datetime.date(2024, 11, 4) + datetime.timedelta(days=n)
    Project.objects.filter(pk=project.pk).update(created_at=_moment(proposed_on))
    proposer = project.proposed_by.user if project.proposed_by is not None else None
    _dated_event(
        proposed_on,
        actor=proposer,
        subject=project,
        action="project_proposed",
        to_state=S.PROPOSED,
        note=str(project.origin_body),
        data={"body": project.origin_body_id},
    )
    path = PATHS[project.status]
    if not path:
        return
    assessed_on = proposed_on + datetime.timedelta(days=40)
    assert project.priority_score is not None  # the seed scores every project it takes past the proposal
    assessment = Assessment.objects.create(
        project=project,
        assessed_by=planner,
        score=project.priority_score,
        notes="Evaluación del cuerpo técnico con los criterios vigentes.",
    )
    Assessment.objects.filter(pk=assessment.pk).update(assessed_at=_moment(assessed_on))
    score = int(project.priority_score)
    bulk_create_with_history(
        [
            CriterionScore(assessment=assessment, criterion=c, value=max(0, min(100, score + d)), weight=c.weight)
            for c, d in zip(criteria, SPREAD, strict=True)
        ],
        CriterionScore,
        default_user=planner,
    )
    dates = {
        S.UNDER_ASSESSMENT: assessed_on,
        S.IN_PORTFOLIO: assessed_on + datetime.timedelta(days=30),
        S.IN_EXECUTION: datetime.date(2025, 2, 15) + datetime.timedelta(days=n % 10),
        S.COMPLETED: datetime.date(2025, 11, 20),
        S.SUSPENDED: datetime.date(2025, 8, 5),
        S.CANCELLED: datetime.date(2025, 6, 16),
    }
    _dated_event(
        assessed_on,
        actor=planner,
        subject=project,
        action="project_assessed",
        to_state=str(project.priority_score),
        data={"assessment": assessment.pk},
    )
    previous = S.PROPOSED
    for to in path:
        note = project.status_reason if to in (S.SUSPENDED, S.CANCELLED) else ""
        _dated_event(
            dates[to],
            actor=planner,
            subject=project,
            action="project_status",
            from_state=previous,
            to_state=to,
            note=note,
        )
        previous = to
