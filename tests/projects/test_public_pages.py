"""The public portfolio: list with filters and search, map data, project pages, evidence; constant queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from councils.models import BodyKind
from projects import services
from projects.models import Project, ProjectStatus
from tests.factories import (
    AssessmentFactory,
    BodyFactory,
    GovernmentPlanFactory,
    ProjectFactory,
    StrategyFactory,
    TerritoryFactory,
)
from tests.projects.builders import LEON_LAT, LEON_LON, bulk_projects, liaison_of, running_project
from tests.projects.samples import pdf_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db


def test_only_published_projects_are_listed(client):
    shown = ProjectFactory(title="Parque lineal del río", status=ProjectStatus.IN_EXECUTION)
    hidden = ProjectFactory(title="Propuesta sin evaluar", status=ProjectStatus.PROPOSED)
    html = client.get(reverse("projects:project_list")).content.decode()
    assert shown.title in html and hidden.title not in html


def test_filters_and_search_narrow_the_list(client):
    strategy = StrategyFactory(name="Hábitat")
    delegacion = TerritoryFactory(name="Delegación Las Joyas")
    colonia = TerritoryFactory(name="Col. Las Joyas", parent=delegacion)
    a = ProjectFactory(
        title="Techumbre escolar", strategy=strategy, territory=colonia, status=ProjectStatus.IN_PORTFOLIO
    )
    b = ProjectFactory(title="Mercado municipal", status=ProjectStatus.IN_EXECUTION, problem="Techumbre dañada")
    c = ProjectFactory(title="Biblioteca", status=ProjectStatus.COMPLETED)

    def listed(**params):
        html = client.get(reverse("projects:project_list"), params).content.decode()
        return {p.title for p in (a, b, c) if p.title in html}

    assert listed() == {a.title, b.title, c.title}
    assert listed(q="techumbre") == {a.title, b.title}  # title or problem, any case
    assert listed(estrategia=strategy.pk) == {a.title}
    assert listed(territorio=delegacion.pk) == {a.title}  # a colonia of the delegación counts
    assert listed(dependencia=c.agency_id) == {c.title}
    assert listed(estado="en_ejecucion") == {b.title}
    assert listed(estado="propuesto") == set()  # proposals are not public, whatever the filter says
    community = BodyFactory(kind=BodyKind.URBAN_COMMUNITY_COUNCIL)
    Project.objects.filter(pk=b.pk).update(origin_body=community)
    assert listed(origen=BodyKind.URBAN_COMMUNITY_COUNCIL) == {b.title}  # by the kind of body that proposed it


def test_an_unknown_filter_value_is_ignored_not_an_error(client):
    ProjectFactory(status=ProjectStatus.IN_PORTFOLIO)
    response = client.get(reverse("projects:project_list"), {"estrategia": "x'; drop", "estado": "<b>", "pagina": "z"})
    assert response.status_code == 200


def test_the_list_is_paginated_keeping_the_filters(client):
    bulk_projects(30)
    html = client.get(reverse("projects:project_list"), {"q": "masivo"}).content.decode()
    assert "Página 1 de 2" in html
    assert "?q=masivo&amp;pagina=2" in html


def test_a_proposal_has_no_public_page(client):
    project = ProjectFactory(status=ProjectStatus.PROPOSED)
    assert client.get(reverse("projects:project_detail", args=[project.slug])).status_code == 404


def test_the_project_page_shows_alignment_territory_budget_progress_and_timeline(client, planner):
    project = running_project(
        planner,
        title="Ciclovía Timoteo Lozano",
        latitude=LEON_LAT,
        longitude=LEON_LON,
        estimated_cost=Decimal("2500000"),
        sdg_goals=[11],
    )
    enlace = liaison_of(project)
    services.progress_report(
        actor=enlace,
        project=project,
        reported_on=datetime.date(2025, 5, 1),
        physical_progress=Decimal("35"),
        amount_spent=Decimal("90000"),
        narrative="Balizamiento del primer tramo",
    )
    html = client.get(reverse("projects:project_detail", args=[project.slug])).content.decode()
    for text in (
        project.strategy.name,
        project.territory.name,
        project.agency.name,
        "$2,500,000.00 MXN",
        "35 %",
        "Balizamiento del primer tramo",
        "11. Ciudades y comunidades sostenibles",
        "De «En cartera» a «En ejecución»",
        "Avance físico: 35.00 %",
        'data-point="21.122000,-101.684000"',
    ):
        assert text in html, text
    assert enlace.username not in html  # the public timeline names no accounts


def test_evidence_of_a_public_project_is_served_by_content_type_with_nosniff(client, planner):
    project = running_project(planner)
    update = services.progress_report(
        actor=liaison_of(project),
        project=project,
        reported_on=datetime.date(2025, 5, 1),
        physical_progress=Decimal("5"),
        amount_spent=Decimal("0"),
        narrative="Inicio",
        files=[upload("foto.png", png_bytes()), upload("acta.pdf", pdf_bytes())],
    )
    photo, pdf = update.evidence.order_by("id")
    response = client.get(reverse("projects:evidence_file", args=[photo.pk]))
    assert (response.status_code, response["Content-Type"], response["X-Content-Type-Options"]) == (
        200,
        "image/png",
        "nosniff",
    )
    assert b"".join(response.streaming_content) == png_bytes()
    assert client.get(reverse("projects:evidence_file", args=[pdf.pk]))["Content-Type"] == "application/pdf"
    html = client.get(reverse("projects:project_detail", args=[project.slug])).content.decode()
    assert reverse("projects:evidence_file", args=[photo.pk]) in html


def test_evidence_of_a_project_that_is_no_longer_public_is_not_served(client, planner):
    project = running_project(planner)
    update = services.progress_report(
        actor=liaison_of(project),
        project=project,
        reported_on=datetime.date(2025, 5, 1),
        physical_progress=Decimal("5"),
        amount_spent=Decimal("0"),
        narrative="Inicio",
        files=[upload("foto.png", png_bytes())],
    )
    services.project_transition(actor=planner, project=project, to=ProjectStatus.CANCELLED, reason="Sin predio")
    assert client.get(reverse("projects:evidence_file", args=[update.evidence.get().pk])).status_code == 404
    client.force_login(planner)
    assert client.get(reverse("projects:evidence_file", args=[update.evidence.get().pk])).status_code == 200


def test_the_map_endpoint_serves_geojson_points_with_the_filters(client):
    with_point = ProjectFactory(
        title="Con punto",
        status=ProjectStatus.IN_EXECUTION,
        latitude=LEON_LAT,
        longitude=LEON_LON,
        physical_progress=Decimal("40"),
    )
    ProjectFactory(title="Sin punto", status=ProjectStatus.IN_EXECUTION)
    ProjectFactory(title="Propuesta", status=ProjectStatus.PROPOSED, latitude=LEON_LAT, longitude=LEON_LON)
    data = client.get(reverse("projects:project_geojson")).json()
    assert data["type"] == "FeatureCollection"
    [feature] = data["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [-101.684, 21.122]}
    assert (
        feature["properties"].items()
        >= {
            "title": "Con punto",
            "status": "en_ejecucion",
            "progress": 40.0,
            "url": f"/proyectos/{with_point.slug}/",
        }.items()
    )
    assert client.get(reverse("projects:project_geojson"), {"estado": "concluido"}).json()["features"] == []


def _queries(client, name):
    with CaptureQueriesContext(connection) as context:
        assert client.get(reverse(name)).status_code == 200
    return len(context)


@pytest.mark.parametrize("name", ["projects:project_list", "projects:project_geojson"])
def test_query_count_is_the_same_for_30_and_3000_projects(client, name):
    bulk_projects(30, prefix="PA")
    small = _queries(client, name)
    bulk_projects(2970, prefix="PB")
    assert _queries(client, name) == small


def test_public_pages_and_open_data_name_no_draft_programme_budget_or_plan_nor_the_planners_notes(client, planner):
    """Public pages show what was published: a programme or a budget still in draft, a government plan under
    review and the planners' assessment notes stay in the workspace, which still shows them."""
    from tests.factories import BudgetLineFactory, ProgrammeFactory

    project = running_project(planner, title="Puente peatonal Los Olivos")
    project.programme = ProgrammeFactory(name="Programa de movilidad en borrador", state="borrador")
    project.save()
    line = BudgetLineFactory(
        budget__title="Presupuesto 2027 en preparación",
        budget__state="borrador",
        budget__fiscal_year__year=2027,
        programme=project.programme,
    )
    services.allocation_add(actor=planner, project=project, budget_line=line, amount=Decimal("123456.00"))
    AssessmentFactory(
        project=project, assessed_by=planner, score=Decimal("70"), notes="Nota interna: el predio no está liberado"
    )
    draft_plan = GovernmentPlanFactory(version=2, title="Programa de Gobierno en revisión", state="en_revision")
    project.government_plans.add(draft_plan)
    secrets = [
        "Programa de movilidad en borrador",
        "Presupuesto 2027 en preparación",
        "123,456",
        "123456",
        "Nota interna",
        "Programa de Gobierno en revisión",
    ]

    public = [
        client.get(reverse("projects:project_detail", args=[project.slug])).content.decode(),
        client.get(reverse("projects:project_export", args=["csv"])).content.decode("utf-8-sig"),
        client.get(reverse("projects:oc4ids")).content.decode(),
    ]
    for text in public:
        assert [s for s in secrets if s in text] == []
    assert "Puente peatonal Los Olivos" in public[0] and "Puente peatonal Los Olivos" in public[1]

    client.force_login(planner)
    workspace = client.get(reverse("projects:workspace_project", args=[project.pk])).content.decode()
    assert all(
        s in workspace for s in ["Programa de movilidad en borrador", "Presupuesto 2027 en preparación", "Nota interna"]
    )
