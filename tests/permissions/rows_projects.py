"""Permission rows of the projects app: the public portfolio and its open data, and the workspace.

In this world the consejero sits on the community council that proposed ``proposal``; the enlace reports for the
agency of ``running`` (a published project in execution, with a milestone and a photo as evidence).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from councils.models import BodyKind
from implan.models import TerritoryKind
from projects import services
from projects.models import ProjectStatus
from tests.factories import (
    BodyFactory,
    MembershipFactory,
    PersonFactory,
    ProjectFactory,
    TerritoryFactory,
)
from tests.permissions.matrix import (
    DONE,
    FORBIDDEN,
    NOT_FOUND,
    OK,
    Row,
    World,
    everyone,
    fixed,
    logged_in,
    url,
)
from tests.projects.builders import committed
from tests.projects.samples import png_bytes, upload


def build(world: World) -> None:
    barrio = TerritoryFactory(name="Delegación San Miguel", code="delegacion-san-miguel", kind=TerritoryKind.DELEGACION)
    council = BodyFactory(
        name="Consejo Comunitario San Miguel",
        slug="consejo-comunitario-san-miguel",
        kind=BodyKind.URBAN_COMMUNITY_COUNCIL,
        territory=barrio,
    )
    MembershipFactory(person=PersonFactory(user=world.users["consejero"]), body=council)
    proposal = ProjectFactory(title="Cancha techada", territory=barrio, origin_body=council, agency=None)
    running = committed(
        ProjectFactory(title="Parque lineal", status=ProjectStatus.IN_PORTFOLIO, priority_score=Decimal("80"))
    )
    planner = world.users["planeador"]
    services.project_transition(actor=planner, project=running, to=ProjectStatus.IN_EXECUTION)
    grant = services.agency_liaison_grant(
        actor=world.users["administrador"], user=world.users["enlace"], agency=running.agency
    )
    milestone = services.milestone_save(
        actor=planner, project=running, title="Licitación", planned_date=datetime.date(2025, 3, 1)
    )
    update = services.progress_report(
        actor=world.users["enlace"],
        project=running,
        reported_on=datetime.date(2025, 4, 1),
        physical_progress=Decimal("10"),
        amount_spent=Decimal("0"),
        narrative="Trazo y nivelación",
        files=[upload("frente.png", png_bytes())],
    )
    world.objects.update(
        proposal=proposal, running=running, milestone=milestone, evidence=update.evidence.get(), grant=grant
    )


# The proposal: planners and the proposing council's member see it; the rest of the world does not (404).
PROPOSAL_VIEW = logged_in(NOT_FOUND, consejero=OK, planeador=OK, administrador=OK)
PROPOSAL_PLAN = logged_in(NOT_FOUND, consejero=FORBIDDEN, planeador=OK, administrador=OK)
# The running project is public: everyone logged in sees it; only its agency's liaison and planners report.
REPORT = logged_in(FORBIDDEN, enlace=OK, planeador=OK, administrador=OK)

ROWS: dict[str, Row] = {
    "projects:project_list": Row(fixed("projects:project_list"), everyone(OK)),
    "projects:project_geojson": Row(fixed("projects:project_geojson"), everyone(OK)),
    "projects:project_export": Row(fixed("projects:project_export", "csv"), everyone(OK)),
    "projects:project_detail": Row(url("projects:project_detail", "running", attr="slug"), everyone(OK)),
    "projects:evidence_file": Row(url("projects:evidence_file", "evidence"), everyone(OK)),
    "projects:oc4ids": Row(fixed("projects:oc4ids"), everyone(OK)),
    "projects:workspace_portfolio": Row(fixed("projects:workspace_portfolio"), logged_in(OK)),
    "projects:criteria": Row(fixed("projects:criteria"), logged_in(FORBIDDEN, planeador=OK, administrador=OK)),
    # Who reports for each agency is the administration's to say; the rest may know the page exists (403).
    "projects:liaisons": Row(fixed("projects:liaisons"), logged_in(FORBIDDEN, administrador=OK)),
    "projects:liaison_revoke": Row(
        url("projects:liaison_revoke", "grant"), logged_in(FORBIDDEN, administrador=DONE), method="post"
    ),
    "projects:project_propose": Row(fixed("projects:project_propose"), logged_in(FORBIDDEN, consejero=OK)),
    "projects:workspace_project": Row(url("projects:workspace_project", "proposal"), PROPOSAL_VIEW),
    "projects:project_edit": Row(url("projects:project_edit", "proposal"), PROPOSAL_PLAN),
    "projects:project_assess": Row(url("projects:project_assess", "proposal"), PROPOSAL_PLAN),
    "projects:project_transition": Row(
        url("projects:project_transition", "proposal"),
        logged_in(NOT_FOUND, consejero=FORBIDDEN, planeador=DONE, administrador=DONE),
        method="post",
        data={"to": ProjectStatus.UNDER_ASSESSMENT},
    ),
    "projects:progress_report": Row(url("projects:progress_report", "running"), REPORT),
    "projects:milestone_add": Row(url("projects:milestone_add", "running"), REPORT),
    "projects:milestone_edit": Row(url("projects:milestone_edit", "milestone"), REPORT),
    "projects:allocation_add": Row(
        url("projects:allocation_add", "running"), logged_in(FORBIDDEN, planeador=OK, administrador=OK)
    ),
}
