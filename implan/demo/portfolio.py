"""Thirty-odd strategic projects over the strategies, territories, agencies and every status."""

import datetime
from decimal import Decimal

from django.utils.text import slugify

from implan.models import Agency, Territory, TerritoryKind
from projects.models import AgencyLiaison, Allocation, Milestone, ProgressUpdate, Project, ProjectStatus

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


def build_projects(*, strategies: list, programmes: list, government_plan: object, budget: object,
                   fiscal_year: object, origins: list, proposer: object, liaison: object) -> list[Project]:
    by_number = {s.number: s for s in strategies}
    by_code = {p.code: p for p in programmes}
    places = list(Territory.objects.filter(kind__in=[TerritoryKind.DELEGACION, TerritoryKind.LOCALIDAD])
                  .exclude(latitude__isnull=True).order_by("code"))
    projects = []
    # The demo liaison reports for Obra Pública: every project of that agency, present and future.
    AgencyLiaison.objects.get_or_create(user=liaison, agency=Agency.objects.get(slug="obra-publica"))
    for n, (title, strategy_number, programme_code, status) in enumerate(PROJECTS, start=1):
        programme = by_code[programme_code]
        place = places[(n * 5) % len(places)]
        project, created = Project.objects.get_or_create(
            code=f"PE-{2025 if n > 20 else 2024}-{n:03d}",
            defaults={
                "title": title, "slug": slugify(title)[:120], "strategy": by_number[strategy_number],
                "programme": programme, "agency": programme.agency, "territory": place,
                "problem": f"Necesidad identificada en {place.name}: {title.lower()}.",
                "description": f"Proyecto estratégico de la estrategia {by_number[strategy_number].name}.",
                "latitude": place.latitude + Decimal(n % 5) / 1000,
                "longitude": place.longitude - Decimal(n % 3) / 1000,
                "beneficiaries": 1500 + 731 * n, "estimated_cost": Decimal(2_500_000 + 1_250_000 * (n % 9)),
                "priority_score": Decimal(95 - n * 2), "status": status,
                "status_reason": "Falta de recursos en el ejercicio" if status in (S.SUSPENDED, S.CANCELLED) else "",
                "physical_progress": PROGRESSING.get(status, Decimal("0")),
                "origin_body": origins[n % len(origins)], "proposed_by": proposer if n % 4 == 0 else None,
            },
        )
        if created:
            _details(project, n=n, government_plan=government_plan, budget=budget, fiscal_year=fiscal_year,
                     liaison=liaison)
        projects.append(project)
    return projects


def _details(project: Project, *, n: int, government_plan: object, budget: object, fiscal_year: object,
             liaison: object) -> None:
    if project.status in COMMITTED:
        project.government_plans.add(government_plan)
    line = budget.lines.filter(programme=project.programme).order_by("pk").first()
    if project.status in PROGRESSING and line is not None:
        Allocation.objects.create(project=project, fiscal_year=fiscal_year, budget_line=line,
                                  amount=(project.estimated_cost * Decimal("0.6")).quantize(Decimal("0.01")))
    for order, (label, month) in enumerate((("Proyecto ejecutivo", 2), ("Licitación", 4), ("Obra", 9)), start=1):
        done = project.status == S.COMPLETED or (project.status == S.IN_EXECUTION and order < 3)
        Milestone.objects.create(project=project, order=order, title=label, planned_date=datetime.date(2025, month, 15),
                                 actual_date=datetime.date(2025, month, 20) if done else None)
    if project.status in PROGRESSING:
        for step, progress in enumerate((project.physical_progress / 2, project.physical_progress), start=1):
            ProgressUpdate.objects.create(
                project=project, reported_on=datetime.date(2025, 3 * step, 28), physical_progress=progress,
                amount_spent=(project.estimated_cost * progress / 200).quantize(Decimal("0.01")),
                narrative=f"Avance {step}: trabajos conforme al programa de obra.", reported_by=liaison)
