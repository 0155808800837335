"""The workspace pages: propose, assess, move, report with evidence; refusals re-render and save nothing."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from implan import roles
from implan.concurrency import token_for
from projects import services
from projects.models import Evidence, ProgressUpdate, Project, ProjectStatus
from tests.factories import AgencyLiaisonFactory, ProjectFactory, StrategyFactory, UserFactory
from tests.projects.builders import community_member, criteria, liaison_of, running_project
from tests.projects.samples import pdf_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client):
    proposer = community_member()
    client.force_login(proposer.user)
    return proposer


def _proposal(member, **overrides):
    data = {
        "body": member.body.pk,
        "title": "Luminarias en el parque Hidalgo",
        "problem": "De noche no se puede cruzar el parque.",
        "description": "",
        "strategy": StrategyFactory(vertiente__plan__state="publicado").pk,
        "territory": member.body.territory_id,
        "latitude": "21.125000",
        "longitude": "-101.680000",
        "beneficiaries": "2500",
        "estimated_cost": "650000",
        "sector": "",
    }
    data.update(overrides)
    return data


def test_a_council_member_proposes_through_the_form(client, member):
    response = client.post(reverse("projects:project_propose"), _proposal(member), follow=True)
    project = Project.objects.get()
    assert response.redirect_chain[-1][0] == reverse("projects:workspace_project", args=[project.pk])
    assert f"Se registró la propuesta {project.code}" in response.content.decode()
    assert (project.origin_body, project.proposed_by.user) == (member.body, member.user)


def test_the_form_offers_the_members_proposing_bodies_and_a_map(client, member):
    html = client.get(reverse("projects:project_propose")).content.decode()
    assert member.body.name in html
    assert "data-point-picker" in html and 'id="map-config"' in html
    assert "<script>" not in html and "style=" not in html


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"territory": ""}, "Indique el territorio"),
        ({"strategy": ""}, "Indique la estrategia"),
        ({"latitude": "19.4326", "longitude": "-99.1332"}, "quedan fuera del municipio"),
        ({"estimated_cost": "-5000"}, "El costo estimado no puede ser negativo"),
    ],
)
def test_a_bad_proposal_re_renders_with_the_reason_and_saves_nothing(client, member, overrides, message):
    response = client.post(reverse("projects:project_propose"), _proposal(member, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Project.objects.exists()


def test_someone_without_a_proposing_seat_gets_403(client, councillor):
    client.force_login(councillor)
    assert client.get(reverse("projects:project_propose")).status_code == 403


def test_a_member_cannot_propose_in_the_name_of_a_body_they_do_not_sit_on(client, member):
    from tests.factories import BodyFactory

    other = BodyFactory(kind="consejo_sectorial", slug="otro-consejo")
    response = client.post(reverse("projects:project_propose"), _proposal(member, body=other.pk))
    assert "Seleccione una opción válida" in response.content.decode()
    assert not Project.objects.exists()


def test_the_planner_ranks_assesses_and_moves_a_proposal(client, planner, member):
    client.post(reverse("projects:project_propose"), _proposal(member))
    project = Project.objects.get()
    six = criteria()
    client.force_login(planner)
    ranking = client.get(reverse("projects:workspace_portfolio")).content.decode()
    assert project.title in ranking
    form = {f"c{c.pk}": "90" for c in six} | {"notes": "Urgente"}
    response = client.post(reverse("projects:project_assess", args=[project.pk]), form, follow=True)
    assert "Evaluación registrada: 90.00 de 100 puntos." in response.content.decode()
    response = client.post(reverse("projects:project_transition", args=[project.pk]), {"to": "en_cartera"}, follow=True)
    assert "Asigne la dependencia responsable" in response.content.decode()  # refused: no agency yet
    project.refresh_from_db()
    assert project.status == ProjectStatus.UNDER_ASSESSMENT


def test_an_assessment_with_a_rating_above_100_is_refused(client, planner):
    project = ProjectFactory()
    six = criteria()
    client.force_login(planner)
    form = {f"c{c.pk}": "90" for c in six} | {f"c{six[0].pk}": "150"}
    response = client.post(reverse("projects:project_assess", args=[project.pk]), form)
    assert response.status_code == 200 and not project.assessments.exists()


def test_the_ranking_puts_the_best_score_first_and_unscored_last(client, planner):
    ProjectFactory(title="Sin puntaje", priority_score=None)
    ProjectFactory(title="Segundo", priority_score=Decimal("50"))
    ProjectFactory(title="Primero", priority_score=Decimal("91.5"))
    client.force_login(planner)
    html = client.get(reverse("projects:workspace_portfolio")).content.decode()
    assert html.index("Primero") < html.index("Segundo") < html.index("Sin puntaje")


def test_the_liaison_reports_progress_with_evidence(client, planner):
    project = running_project(planner)
    client.force_login(liaison_of(project))
    response = client.post(
        reverse("projects:progress_report", args=[project.pk]),
        {
            "reported_on": "2025-05-02",
            "physical_progress": "25",
            "amount_spent": "1000",
            "narrative": "Cimentación",
            "files": [upload("frente.png", png_bytes()), upload("acta.pdf", pdf_bytes())],
        },
        follow=True,
    )
    assert "Se registró el avance de 25.00 %." in response.content.decode()
    assert Evidence.objects.count() == 2


def test_a_file_that_lies_about_its_type_is_refused_on_the_form_and_nothing_is_saved(client, planner):
    project = running_project(planner)
    client.force_login(liaison_of(project))
    response = client.post(
        reverse("projects:progress_report", args=[project.pk]),
        {
            "reported_on": "2025-05-02",
            "physical_progress": "25",
            "amount_spent": "0",
            "narrative": "Cimentación",
            "files": [upload("frente.png", png_bytes()), upload("factura.pdf", png_bytes(), "application/pdf")],
        },
    )
    assert response.status_code == 200
    assert "«factura.pdf» no es lo que su nombre dice" in response.content.decode()
    assert not ProgressUpdate.objects.exists() and not Evidence.objects.exists()


def test_a_liaison_cannot_report_on_another_agencys_project(client, planner):
    project = running_project(planner)
    other = UserFactory(username="enlace-otra-dependencia", roles=[roles.AGENCY_LIAISON])
    AgencyLiaisonFactory(user=other)
    client.force_login(other)
    url = reverse("projects:progress_report", args=[project.pk])
    assert client.get(url).status_code == 403
    response = client.post(
        url, {"reported_on": "2025-05-02", "physical_progress": "25", "amount_spent": "0", "narrative": "x"}
    )
    assert response.status_code == 403
    assert not ProgressUpdate.objects.exists()


def test_a_liaison_does_not_see_another_agencys_proposal(client, planner):
    proposal = ProjectFactory(status=ProjectStatus.PROPOSED)
    other = UserFactory(username="enlace-ajeno", roles=[roles.AGENCY_LIAISON])
    AgencyLiaisonFactory(user=other)
    client.force_login(other)
    assert client.get(reverse("projects:workspace_project", args=[proposal.pk])).status_code == 404


def test_the_workspace_page_shows_actions_by_role(client, planner):
    project = running_project(planner)
    enlace = liaison_of(project)
    client.force_login(enlace)
    html = client.get(reverse("projects:workspace_project", args=[project.pk])).content.decode()
    assert "Reportar avance" in html and "Cambiar estado" not in html and "Evaluar" not in html
    client.force_login(planner)
    html = client.get(reverse("projects:workspace_project", args=[project.pk])).content.decode()
    assert "Cambiar estado" in html and "Asignar recursos" in html


def test_milestones_are_added_and_met_from_the_workspace(client, planner):
    project = running_project(planner)
    client.force_login(liaison_of(project))
    client.post(
        reverse("projects:milestone_add", args=[project.pk]), {"title": "Licitación", "planned_date": "2025-03-01"}
    )
    milestone = project.milestones.get()
    client.post(
        reverse("projects:milestone_edit", args=[milestone.pk]),
        {
            "title": "Licitación",
            "planned_date": "2025-03-01",
            "actual_date": "2025-03-05",
            "opened": token_for(milestone, services.MILESTONE_FIELDS),
        },
    )
    milestone.refresh_from_db()
    assert milestone.actual_date == datetime.date(2025, 3, 5)


def test_planners_allocate_from_a_budget_line(client, planner):
    from tests.factories import BudgetLineFactory

    project = ProjectFactory(status=ProjectStatus.IN_PORTFOLIO)
    line = BudgetLineFactory(budget__state="publicado", approved_amount=Decimal("100000"))
    client.force_login(planner)
    form = client.get(reverse("projects:allocation_add", args=[project.pk])).content.decode()
    assert "disponible $100,000.00 MXN" in form
    response = client.post(
        reverse("projects:allocation_add", args=[project.pk]), {"budget_line": line.pk, "amount": "150000"}
    )
    assert "no alcanza" in response.content.decode()
    client.post(reverse("projects:allocation_add", args=[project.pk]), {"budget_line": line.pk, "amount": "60000"})
    assert project.allocations.get().amount == Decimal("60000.00")
