"""The OC4IDS project package validates against the official schema (draft-04), offline."""

import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from projects import services
from projects.models import ProjectSector, ProjectStatus
from tests.factories import BudgetLineFactory, MilestoneFactory, ProjectFactory
from tests.projects.builders import LEON_LAT, LEON_LON, liaison_of, running_project

pytestmark = pytest.mark.django_db
SCHEMAS = Path(__file__).resolve().parents[2] / "projects" / "schemas" / "oc4ids"


def oc4ids_validator() -> Draft4Validator:
    package = json.loads((SCHEMAS / "project-package-schema.json").read_text())
    project = json.loads((SCHEMAS / "project-schema.json").read_text())
    registry = Registry().with_resources(
        [
            (project["id"], Resource(contents=project, specification=DRAFT4)),
            (package["id"], Resource(contents=package, specification=DRAFT4)),
        ]
    )
    return Draft4Validator(package, registry=registry, format_checker=FormatChecker())


def assert_valid(data: dict) -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in oc4ids_validator().iter_errors(data)]
    assert errors == []


def test_the_package_validates_and_carries_what_the_issue_asks(client, planner, settings):
    settings.OC4IDS_PREFIX = "oc4ids-prueba"
    project = running_project(
        planner,
        code="PE-2025-007",
        title="Clínica en Santa Ana del Conde",
        latitude=LEON_LAT,
        longitude=LEON_LON,
        estimated_cost=Decimal("9000000"),
        sector=ProjectSector.HEALTH,
        sdg_goals=[3, 10],
    )
    line = BudgetLineFactory(budget__state="publicado", approved_amount=Decimal("5000000"))
    services.allocation_add(actor=planner, project=project, budget_line=line, amount=Decimal("4000000"))
    MilestoneFactory(
        project=project,
        order=1,
        title="Proyecto ejecutivo",
        planned_date=datetime.date(2025, 2, 1),
        actual_date=datetime.date(2025, 2, 10),
    )
    MilestoneFactory(project=project, order=2, title="Obra", planned_date=datetime.date(2099, 1, 1))
    ProjectFactory(status=ProjectStatus.PROPOSED, title="No publicado")
    data = client.get(reverse("projects:oc4ids")).json()
    assert_valid(data)
    [item] = data["projects"]
    assert item["id"] == "oc4ids-prueba-PE-2025-007"
    assert item["status"] == "implementation"
    assert item["sector"] == ["health"]
    assert item["budget"]["amount"] == {"amount": 9000000.0, "currency": "MXN"}
    assert item["locations"][0]["geometry"] == {"type": "Point", "coordinates": [-101.684, 21.122]}
    assert item["parties"] == [
        {
            "id": f"oc4ids-prueba-dependencia-{project.agency.slug}",
            "name": project.agency.name,
            "roles": ["publicAuthority"],
        }
    ]
    assert item["publicAuthority"]["id"] == item["parties"][0]["id"]
    assert [(m["title"], m["status"]) for m in item["milestones"]] == [
        ("Proyecto ejecutivo", "met"),
        ("Obra", "scheduled"),
    ]
    assert item["policyAlignment"]["policies"] == ["sectorPlan", "SDG"]
    assert project.strategy.name in item["policyAlignment"]["description"]
    assert "3. Salud y bienestar" in item["policyAlignment"]["description"]
    assert data["publisher"]["name"] == settings.INSTITUTE_NAME


@pytest.mark.parametrize(
    ("status", "progress", "expected"),
    [
        (ProjectStatus.IN_PORTFOLIO, "0", "preparation"),
        (ProjectStatus.COMPLETED, "100", "completion"),
        (ProjectStatus.SUSPENDED, "0", "preparation"),
        (ProjectStatus.SUSPENDED, "20", "implementation"),
    ],
)
def test_statuses_map_to_the_oc4ids_codelist(client, status, progress, expected):
    ProjectFactory(status=status, physical_progress=Decimal(progress))
    data = client.get(reverse("projects:oc4ids")).json()
    assert_valid(data)
    assert data["projects"][0]["status"] == expected


def test_sub_sectors_carry_their_parent_sector(client):
    ProjectFactory(status=ProjectStatus.IN_PORTFOLIO, sector=ProjectSector.TRANSPORT_URBAN)
    assert client.get(reverse("projects:oc4ids")).json()["projects"][0]["sector"] == ["transport", "transport.urban"]


def test_an_invalid_package_is_caught_by_the_validator():
    """The validator really validates (a test that cannot fail would prove nothing)."""
    errors = list(
        oc4ids_validator().iter_errors(
            {
                "uri": "x",
                "version": "0.9",
                "publishedDate": "ayer",
                "publisher": {},
                "projects": [{"status": "en_ejecucion"}],
            }
        )
    )
    assert len(errors) >= 3


def test_progress_evidence_and_liaisons_do_not_leak_into_open_data(client, planner):
    project = running_project(planner)
    enlace = liaison_of(project)
    services.progress_report(
        actor=enlace,
        project=project,
        reported_on=datetime.date(2025, 5, 1),
        physical_progress=Decimal("10"),
        amount_spent=Decimal("0"),
        narrative="Inicio",
    )
    assert enlace.username not in client.get(reverse("projects:oc4ids")).content.decode()


def test_with_nothing_published_there_is_no_package_rather_than_an_invalid_one(client):
    """OC4IDS needs at least one project; an unpublished proposal does not make the package exist."""
    ProjectFactory(status=ProjectStatus.PROPOSED)
    response = client.get(reverse("projects:oc4ids"))
    assert response.status_code == 404
    assert response.json()["error"] == "Todavía no hay proyectos publicados en la cartera."
