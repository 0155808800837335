"""Small worlds for portfolio tests: a community council with a member, criteria, a running project with a liaison."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from councils.models import BodyKind, Membership
from implan import roles
from implan.models import TerritoryKind
from planning.models import GovernmentPlan
from projects import services
from projects.models import Project, ProjectStatus, ScoringCriterion
from tests.factories import (
    AdministrationTermFactory,
    AgencyLiaisonFactory,
    BodyFactory,
    MembershipFactory,
    MunicipalityFactory,
    PersonFactory,
    ScoringCriterionFactory,
    StrategyFactory,
    TerritoryFactory,
    UserFactory,
)

# A point in the city of León (Zona Centro).
LEON_LAT, LEON_LON = Decimal("21.122000"), Decimal("-101.684000")


@dataclass
class Proposer:
    user: object
    membership: Membership

    @property
    def body(self) -> object:
        return self.membership.body


def community_member(*, username: str = "consejera-barrio") -> Proposer:
    """A council member with a seat on the community council of a delegación of León."""
    leon = MunicipalityFactory()
    delegacion = TerritoryFactory(
        name="Delegación Coecillo", code="delegacion-coecillo", kind=TerritoryKind.DELEGACION, parent=leon
    )
    body = BodyFactory(
        name="Consejo Comunitario Coecillo",
        slug="consejo-comunitario-coecillo",
        kind=BodyKind.URBAN_COMMUNITY_COUNCIL,
        territory=delegacion,
    )
    user = UserFactory(username=username, roles=[roles.COUNCIL_MEMBER])
    membership = MembershipFactory(
        person=PersonFactory(user=user, name="Rosa Martínez Cruz"), body=body, start_date=datetime.date(2024, 1, 1)
    )
    return Proposer(user=user, membership=membership)


def proposal_data(**overrides: object) -> services.ProjectData:
    if "territory" not in overrides:
        overrides["territory"] = TerritoryFactory(code="delegacion-coecillo")
    values = {
        "title": "Alumbrado en el parque de la colonia",
        "problem": "El parque está a oscuras y es inseguro.",
        "strategy": StrategyFactory(vertiente__plan__state="publicado"),
        "latitude": LEON_LAT,
        "longitude": LEON_LON,
        "beneficiaries": 3200,
        "estimated_cost": Decimal("850000.00"),
    }
    values.update(overrides)
    return services.ProjectData(**values)


def criteria() -> list[ScoringCriterion]:
    """The six criteria of the issue, with weights that add up to 100."""
    rows = [
        ("alineacion", "Alineación a la estrategia", 25),
        ("impacto", "Impacto", 20),
        ("beneficiarios", "Personas beneficiarias", 20),
        ("factibilidad", "Factibilidad", 15),
        ("costo", "Costo", 10),
        ("demanda", "Demanda ciudadana", 10),
    ]
    return [
        ScoringCriterionFactory(code=code, name=name, weight=Decimal(weight), order=n)
        for n, (code, name, weight) in enumerate(rows)
    ]


def committed(project: Project) -> Project:
    """The project included in a published government plan: it may enter execution."""
    plan, _created = GovernmentPlan.objects.get_or_create(
        administration_term=AdministrationTermFactory(),
        version=1,
        defaults={"title": "Programa de Gobierno 2024–2027", "state": "publicado"},
    )
    project.government_plans.add(plan)
    return project


def liaison_of(project: Project, *, username: str = "enlace-obra") -> object:
    user = UserFactory(username=username, roles=[roles.AGENCY_LIAISON])
    AgencyLiaisonFactory(user=user, agency=project.agency)
    return user


def running_project(planner: object, **fields: object) -> Project:
    """A project in execution (through the services), with its agency."""
    from tests.factories import ProjectFactory

    project = committed(ProjectFactory(status=ProjectStatus.IN_PORTFOLIO, priority_score=Decimal("70"), **fields))
    return services.project_transition(actor=planner, project=project, to=ProjectStatus.IN_EXECUTION)


def bulk_projects(count: int, *, prefix: str = "PB", **shared: object) -> list[Project]:
    """``count`` published projects in one insert (fast enough for thousands), spread over a few strategies,
    territories and agencies so the list's joins are real."""
    from tests.factories import AgencyFactory

    strategies = [StrategyFactory(vertiente__plan__state="publicado") for _ in range(3)]
    places = [TerritoryFactory(kind=TerritoryKind.DELEGACION) for _ in range(3)]
    agencies = [AgencyFactory() for _ in range(3)]
    statuses = [ProjectStatus.IN_PORTFOLIO, ProjectStatus.IN_EXECUTION, ProjectStatus.COMPLETED]
    projects = [
        Project(
            code=f"{prefix}-{n:05d}",
            slug=f"{prefix.lower()}-{n:05d}",
            title=f"Proyecto masivo {n}",
            problem="Necesidad del barrio",
            strategy=strategies[n % 3],
            territory=places[n % 3],
            agency=agencies[n % 3],
            status=statuses[n % 3],
            priority_score=Decimal(n % 100),
            latitude=LEON_LAT + Decimal(n % 50) / 1000,
            longitude=LEON_LON - Decimal(n % 40) / 1000,
            physical_progress=Decimal(n % 101),
            estimated_cost=Decimal(1000 * n),
            **shared,
        )
        for n in range(count)
    ]
    return Project.objects.bulk_create(projects, batch_size=1000)
