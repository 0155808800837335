import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm

from tests.factories import (
    AgencyLiaisonFactory,
    BodyFactory,
    MembershipFactory,
    ProjectFactory,
    ResolutionFactory,
    SessionFactory,
    StrategicPlanFactory,
    StrategyFactory,
)


@pytest.mark.django_db
def test_public_home_shows_the_login_link_and_the_planning_cycle(client):
    response = client.get(reverse("implan:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Iniciar sesión" in html
    assert "El ciclo de la planeación" in html
    assert 'lang="es"' in html


@pytest.mark.django_db
def test_public_home_lists_the_strategies_of_the_published_plan_only(client):
    published = StrategyFactory(name="Educación para la Vida", vertiente__plan__state="publicado")
    StrategyFactory(name="Estrategia en borrador", vertiente__plan__state="borrador")
    html = client.get(reverse("implan:home")).content.decode()
    assert published.name in html
    assert "Estrategia en borrador" not in html


@pytest.mark.django_db
def test_public_home_runs_a_constant_number_of_queries(client, django_assert_max_num_queries):
    plan = StrategicPlanFactory(state="publicado")
    for _ in range(3):
        StrategyFactory(vertiente__plan=plan, plan=plan)
    with django_assert_max_num_queries(15) as small:
        client.get(reverse("implan:home"))
    for _ in range(20):
        StrategyFactory(vertiente__plan=plan, plan=plan)
    with django_assert_max_num_queries(15) as large:
        client.get(reverse("implan:home"))
    assert len(large.captured_queries) == len(small.captured_queries)


@pytest.mark.django_db
def test_public_home_shows_no_private_bodys_sessions_or_resolutions(client):
    soon = timezone.now() + datetime.timedelta(days=3)
    for public, name in [(True, "Consejo abierto"), (False, "Comité reservado")]:
        body = BodyFactory(name=name, slug=name.lower().replace(" ", "-"), is_public=public)
        SessionFactory(body=body, scheduled_at=soon, place=f"Sala del {name}")
        ResolutionFactory(session=SessionFactory(body=body), text=f"Acuerdo del {name}")
    page = client.get("/").content.decode()
    assert "Consejo abierto" in page
    assert "Comité reservado" not in page


def test_workspace_sends_anonymous_visitors_to_the_login_page(client):
    response = client.get(reverse("implan:workspace"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_workspace_of_a_user_without_role_says_so(client, outsider):
    client.force_login(outsider)
    html = client.get(reverse("implan:workspace")).content.decode()
    assert "ninguno asignado" in html


@pytest.mark.django_db
def test_workspace_lists_the_members_bodies(client, councillor):
    membership = MembershipFactory(person__user=councillor, body__name="Consejo Comunitario Delegación Norte")
    client.force_login(councillor)
    html = client.get(reverse("implan:workspace")).content.decode()
    assert membership.body.name in html


@pytest.mark.django_db
def test_workspace_lists_only_the_projects_the_liaison_may_report_on(client, liaison):
    own = ProjectFactory(title="Parque lineal del río")
    other = ProjectFactory(title="Mercado de otra dependencia")
    AgencyLiaisonFactory(user=liaison, agency=own.agency)
    client.force_login(liaison)
    html = client.get(reverse("implan:workspace")).content.decode()
    assert own.title in html
    assert other.title not in html


@pytest.mark.django_db
def test_workspace_shows_bodies_the_secretary_manages(client, secretary):
    body = BodyFactory(name="Ayuntamiento de León")
    BodyFactory(name="Consejo que no conduce")
    assign_perm("councils.manage_sessions", secretary, body)
    client.force_login(secretary)
    html = client.get(reverse("implan:workspace")).content.decode()
    assert "Ayuntamiento de León" in html
    assert "Consejo que no conduce" not in html


@pytest.mark.django_db
def test_workspace_shows_the_members_open_votes(client):
    from councils.services import votes as vote_services
    from tests.councils.builders import council, session_in_progress

    c = council(size=3)
    session = session_in_progress(c, present=3)
    vote_services.motion_open(actor=c.secretary, item=session.agenda_items.get(), text="Se aprueba")
    client.force_login(c.user(0))
    html = client.get(reverse("implan:workspace")).content.decode()
    assert "Votaciones abiertas" in html
    assert "Asunto a votar" in html


@pytest.mark.django_db
def test_the_footer_names_each_language_in_itself_with_its_accents(client):
    html = client.get(reverse("implan:home")).content.decode()
    assert ">Español de México<" in html and ">English<" in html
    assert "de Mexico" not in html
    english = client.get(reverse("implan:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ">Español de México<" in english
