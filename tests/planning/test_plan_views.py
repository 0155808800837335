"""The plan's workspace through HTTP: forms, refusals, conflicts, lifecycle buttons and version comparison."""

import re

import pytest
from django.urls import reverse

from councils import approvals
from councils.models import BodyKind
from implan.models import LifecycleState
from planning.models import Goal, Objective, StrategicPlan, Strategy
from planning.services import lifecycle
from tests.factories import BodyFactory, UserFactory
from tests.planning.plan_builders import plan_world

pytestmark = pytest.mark.django_db


def _opened(response) -> str:
    return re.search(r'name="opened" value="([^"]+)"', response.content.decode()).group(1)


def test_a_planner_edits_an_objective_and_sees_it_on_the_strategy_page(client, planner):
    world = plan_world()
    client.force_login(planner)
    url = reverse("planning:objective_edit", args=[world.objectives[0].pk])
    form = client.get(url)
    response = client.post(
        url,
        {"number": 1, "title": "Agua limpia para todas las colonias", "description": "", "opened": _opened(form)},
        follow=True,
    )
    assert "Agua limpia para todas las colonias" in response.content.decode()
    assert Objective.objects.get(pk=world.objectives[0].pk).title == "Agua limpia para todas las colonias"


def test_a_goal_with_bad_years_gets_a_spanish_message_and_nothing_is_saved(client, planner):
    world = plan_world()
    client.force_login(planner)
    response = client.post(
        reverse("planning:goal_create", args=[world.objectives[0].pk]),
        {
            "description": "Meta al revés",
            "indicator": world.goals[0].indicator_id,
            "baseline_value": "5",
            "baseline_year": "2030",
            "target_value": "9",
            "target_year": "2020",
        },
    )
    assert response.status_code == 200
    assert "El año meta no puede ser anterior al año de la línea base." in response.content.decode()
    assert not Goal.objects.filter(description="Meta al revés").exists()


def test_an_empty_required_field_is_refused_in_spanish(client, planner):
    world = plan_world()
    client.force_login(planner)
    response = client.post(
        reverse("planning:strategy_create", args=[world.plan.pk]),
        {"number": 3, "name": "", "vertiente": world.vertientes[0].pk},
    )
    assert "Este campo es obligatorio." in response.content.decode()
    assert Strategy.objects.filter(plan=world.plan).count() == 2


def test_the_second_planner_is_told_what_changed_and_keeps_their_input(client, planner):
    world = plan_world()
    url = reverse("planning:objective_edit", args=[world.objectives[0].pk])
    other = UserFactory(username="otra_planeadora", roles=["Planeación"])
    client.force_login(planner)
    mine = _opened(client.get(url))
    client.force_login(other)
    theirs = _opened(client.get(url))
    client.post(url, {"number": 1, "title": "Título de la otra planeadora", "description": "", "opened": theirs})

    client.force_login(planner)
    response = client.post(
        url, {"number": 1, "title": "Mi título", "description": "Mi descripción larga", "opened": mine}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Este registro cambió desde que lo abrió" in page
    assert re.search(
        r"Objetivo</th><td[^>]*>Objetivo de Desarrollo Sustentable</td><td[^>]*>Título de la otra "
        r"planeadora</td>",
        page,
    )
    assert 'value="Mi título"' in page and "Mi descripción larga" in page  # nothing the person typed is lost
    assert Objective.objects.get(pk=world.objectives[0].pk).title == "Título de la otra planeadora"

    client.post(
        url, {"number": 1, "title": "Mi título", "description": "Mi descripción larga", "opened": _opened(response)}
    )
    assert Objective.objects.get(pk=world.objectives[0].pk).title == "Mi título"


def test_a_commission_member_edits_their_strategy_but_not_another_one(client):
    world = plan_world()
    client.force_login(world.commission_member)
    own, other = world.strategies
    assert client.get(reverse("planning:strategy_detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("planning:strategy_detail", args=[other.pk])).status_code == 404
    assert (
        client.post(
            reverse("planning:objective_edit", args=[world.objectives[1].pk]), {"number": 1, "title": "Intruso"}
        ).status_code
        == 404
    )
    assert (
        client.post(reverse("planning:objective_create", args=[other.pk]), {"number": 2, "title": "X"}).status_code
        == 404
    )
    assert (
        client.post(reverse("planning:programme_edit", args=[world.programmes[1].pk]), {"name": "Intruso"}).status_code
        == 404
    )
    assert client.post(reverse("planning:goal_edit", args=[world.goals[0].pk]), {"description": "X"}).status_code == 403
    assert client.post(reverse("planning:strategy_edit", args=[own.pk]), {"name": "X"}).status_code == 403
    assert client.get(reverse("planning:plan_edit", args=[world.plan.pk])).status_code == 404
    assert Objective.objects.get(pk=world.objectives[1].pk).title == "Objetivo de Educación para la Vida"


def test_a_commission_member_adds_a_programme_only_to_their_strategy(client):
    world = plan_world()
    client.force_login(world.commission_member)
    url = reverse("planning:programme_create")
    refused = client.post(url, {"code": "P-NUEVO", "name": "Huertos urbanos", "strategy": world.strategies[1].pk})
    assert "Seleccione una opción válida" in refused.content.decode()
    client.post(url, {"code": "P-NUEVO", "name": "Huertos urbanos", "strategy": world.strategies[0].pk})
    assert world.strategies[0].programmes.filter(code="P-NUEVO", state=LifecycleState.DRAFT).exists()


def test_editing_a_frozen_plan_sends_back_with_the_reason(client, planner):
    world = plan_world(state=LifecycleState.PUBLISHED)
    client.force_login(planner)
    response = client.get(reverse("planning:objective_edit", args=[world.objectives[0].pk]), follow=True)
    assert "inicie una nueva versión" in response.content.decode()
    response = client.post(
        reverse("planning:objective_edit", args=[world.objectives[0].pk]), {"number": 1, "title": "Cambio prohibido"}
    )
    assert Objective.objects.get(pk=world.objectives[0].pk).title == "Objetivo de Desarrollo Sustentable"


def test_submitting_puts_the_plan_among_the_council_pending_subjects(client, planner):
    consultative = BodyFactory(slug="consejo-consultivo", kind=BodyKind.CONSULTATIVE_COUNCIL)
    BodyFactory(slug="ayuntamiento", kind=BodyKind.AYUNTAMIENTO)
    world = plan_world()
    client.force_login(planner)
    page = client.get(reverse("planning:plan_detail", args=[world.plan.pk])).content.decode()
    assert "Enviar a aprobación" in page and "Aprobar" not in page
    response = client.post(
        reverse("planning:instrument_submit", args=["plan", world.plan.pk]),
        {"next": reverse("planning:plan_detail", args=[world.plan.pk])},
        follow=True,
    )
    assert "queda entre los asuntos pendientes de" in response.content.decode()
    world.plan.refresh_from_db()
    assert world.plan.state == LifecycleState.IN_REVIEW
    assert world.plan in approvals.awaiting(consultative)


def test_no_one_publishes_what_no_body_approved(client, planner):
    world = plan_world()
    lifecycle.instrument_submit(instrument=world.plan, actor=planner)
    client.force_login(planner)
    response = client.post(reverse("planning:instrument_publish", args=["plan", world.plan.pk]), follow=True)
    assert "No se puede pasar" in response.content.decode()
    assert StrategicPlan.objects.get(pk=world.plan.pk).state == LifecycleState.IN_REVIEW


def test_a_next_address_outside_the_portal_is_ignored(client, planner):
    world = plan_world()
    client.force_login(planner)
    response = client.post(
        reverse("planning:instrument_submit", args=["plan", world.plan.pk]), {"next": "https://malicioso.example/"}
    )
    assert response["Location"] == reverse("planning:plan_detail", args=[world.plan.pk])


def test_editing_a_published_plan_starts_a_new_version_and_the_diff_shows_the_change(client, planner):
    world = plan_world(state=LifecycleState.PUBLISHED)
    client.force_login(planner)
    response = client.post(reverse("planning:instrument_new_version", args=["plan", world.plan.pk]))
    new = StrategicPlan.objects.get(slug=world.plan.slug, version=2)
    assert response["Location"] == reverse("planning:plan_detail", args=[new.pk])
    objective = new.strategies.get(number=1).objectives.get()
    url = reverse("planning:objective_edit", args=[objective.pk])
    client.post(
        url,
        {
            "number": 1,
            "title": "Objetivo de Desarrollo Sustentable y resiliente",
            "description": "",
            "opened": _opened(client.get(url)),
        },
    )
    page = client.get(reverse("planning:instrument_compare", args=["plan", new.pk])).content.decode()
    assert "De la versión 1 a la versión 2" in page
    assert (
        "<del>Objetivo de Desarrollo Sustentable</del> → <ins>Objetivo de Desarrollo Sustentable y resiliente</ins>"
    ) in page
    assert "Estrategia 1 · Desarrollo Sustentable · objetivo 1" in page


def test_comparing_with_a_version_of_another_instrument_is_not_found(client, planner):
    world, other = plan_world(), plan_world(slug="otro")
    client.force_login(planner)
    url = reverse("planning:instrument_compare", args=["plan", world.plan.pk])
    assert client.get(url, {"con": other.plan.pk}).status_code == 404
    assert client.get(reverse("planning:instrument_compare", args=["nada", 1])).status_code == 404


def test_text_diffs_and_history_escape_what_people_wrote(client, planner):
    world = plan_world(state=LifecycleState.PUBLISHED)
    new = lifecycle.instrument_new_version(instrument=world.plan, actor=planner)
    client.force_login(planner)
    url = reverse("planning:plan_edit", args=[new.pk])
    client.post(
        url,
        {
            "title": new.title,
            "summary": "Texto <script>alert(1)</script> nuevo",
            "horizon_year": 2025,
            "opened": _opened(client.get(url)),
        },
    )
    for url in (
        reverse("planning:instrument_compare", args=["plan", new.pk]),
        reverse("planning:plan_detail", args=[new.pk]),
    ):
        page = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in page
        assert "&lt;script&gt;" in page


def test_the_plan_page_shows_who_changed_what(client, planner):
    world = plan_world()
    client.force_login(planner)
    url = reverse("planning:objective_edit", args=[world.objectives[0].pk])
    client.post(url, {"number": 1, "title": "Agua limpia", "description": "", "opened": _opened(client.get(url))})
    page = client.get(reverse("planning:plan_detail", args=[world.plan.pk])).content.decode()
    history = page[page.index('id="titulo-historial"') :]
    assert planner.get_full_name() in history
    assert "Objetivo modificado" in history
    assert re.search(
        r'<th scope="row">Objetivo</th><td class="old"><del>Objetivo de Desarrollo Sustentable</del></td>'
        r'<td class="new"><ins>Agua limpia</ins></td>',
        history,
    )


def test_an_edit_that_arrives_without_what_the_editor_saw_is_refused_and_saves_nothing(client, planner):
    """Without the snapshot the conflict check could not run: a crafted or truncated form must not overwrite."""
    world = plan_world()
    objective = world.objectives[0]
    client.force_login(planner)
    response = client.post(
        reverse("planning:objective_edit", args=[objective.pk]), {"number": 1, "title": "Sin marca", "description": ""}
    )
    assert "El formulario llegó sin la marca de lo que usted vio al abrirlo" in response.content.decode()
    objective.refresh_from_db()
    assert objective.title != "Sin marca"


def test_a_vision_written_by_someone_else_meanwhile_is_a_conflict_not_an_overwrite(client, planner):
    world = plan_world()
    world.vision.delete()
    url = reverse("planning:vision_edit", args=[world.plan.pk])
    client.force_login(planner)
    client.get(url)  # the form opens with no vision yet
    other = UserFactory(username="otra_planeadora", roles=["Planeación"])
    client.force_login(other)
    client.post(url, {"statement": "La visión de la otra planeadora", "horizon_year": 2040})
    client.force_login(planner)
    response = client.post(url, {"statement": "Mi visión", "horizon_year": 2045})
    assert "Este registro cambió desde que lo abrió" in response.content.decode()
    world.plan.refresh_from_db()
    assert world.plan.vision.statement == "La visión de la otra planeadora"


def test_the_lifecycle_partial_serves_a_budget_too(client, planner, rf):
    from django.template.loader import render_to_string

    from planning.models import Budget
    from tests.factories import BudgetFactory

    budget = BudgetFactory()
    request = rf.get("/espacio/presupuestos/")
    request.user = planner
    html = render_to_string(
        "planning/workspace/partials/lifecycle_actions.html", {"instrument": budget, "request": request}
    )
    submit = reverse("planning:instrument_submit", args=["presupuesto", budget.pk])
    assert f'action="{submit}"' in html and "Enviar a aprobación" in html
    client.force_login(planner)
    client.post(submit, {"next": "/espacio/presupuestos/"})
    assert Budget.objects.get(pk=budget.pk).state == LifecycleState.IN_REVIEW
    Budget.objects.filter(pk=budget.pk).update(state=LifecycleState.PUBLISHED)
    response = client.post(
        reverse("planning:instrument_new_version", args=["presupuesto", budget.pk]), {"next": "/espacio/presupuestos/"}
    )
    new = Budget.objects.get(fiscal_year=budget.fiscal_year, version=2)
    assert response.status_code == 302 and new.state == LifecycleState.DRAFT


def test_people_who_are_not_planners_do_not_see_a_budget_lifecycle(client, liaison):
    from tests.factories import BudgetFactory

    budget = BudgetFactory()
    client.force_login(liaison)
    assert client.post(reverse("planning:instrument_submit", args=["presupuesto", budget.pk])).status_code == 404


def test_a_commission_proposes_programmes_even_when_the_plan_is_published(client):
    world = plan_world(state=LifecycleState.PUBLISHED)
    client.force_login(world.commission_member)
    page = client.get(reverse("planning:strategy_detail", args=[world.strategies[0].pk])).content.decode()
    assert "Agregar programa" in page and "Agregar objetivo" not in page
    client.post(
        reverse("planning:programme_create"),
        {"code": "P-COM", "name": "Huertos urbanos", "strategy": world.strategies[0].pk},
    )
    assert world.strategies[0].programmes.filter(code="P-COM", state=LifecycleState.DRAFT).exists()
