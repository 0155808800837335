"""Writing the plan's content through its services: drafts only, the right people only, nothing half-saved."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from implan.concurrency import read_token, token_for
from implan.errors import DomainError
from implan.models import Event, LifecycleState
from planning.models import Goal, Objective, Programme, Strategy, Vertiente
from planning.services import plan as services
from tests.planning.plan_builders import plan_world

pytestmark = pytest.mark.django_db


def test_a_planner_edits_a_draft_plan_and_history_records_who_and_why(planner):
    world = plan_world()
    seen = read_token(token_for(world.plan, ["title", "summary", "horizon_year"]))
    services.plan_update(
        actor=planner,
        plan=world.plan,
        values={"title": "León 2045", "summary": "Nuevo resumen", "horizon_year": 2045},
        seen=seen,
    )
    world.plan.refresh_from_db()
    assert (world.plan.title, world.plan.horizon_year) == ("León 2045", 2045)
    record = world.plan.history.first()
    assert (record.history_user, record.history_change_reason) == (planner, "Plan modificado")


@pytest.mark.parametrize("state", [LifecycleState.IN_REVIEW, LifecycleState.APPROVED, LifecycleState.PUBLISHED])
def test_a_plan_that_is_not_a_draft_is_not_edited(planner, state):
    world = plan_world(state=state)
    with pytest.raises(DomainError):
        services.objective_update(actor=planner, objective=world.objectives[0], values={"title": "Otro"}, seen=None)
    with pytest.raises(DomainError):
        services.strategy_create(
            actor=planner, plan=world.plan, values={"name": "Nueva", "vertiente": world.vertientes[0]}
        )
    world.objectives[0].refresh_from_db()
    assert world.objectives[0].title == "Objetivo de Desarrollo Sustentable"
    assert Strategy.objects.filter(plan=world.plan).count() == 2


def test_a_commission_member_edits_and_adds_objectives_of_their_own_strategy():
    world = plan_world()
    member = world.commission_member
    services.objective_update(actor=member, objective=world.objectives[0], values={"title": "Agua limpia"}, seen=None)
    created = services.objective_create(
        actor=member, strategy=world.strategies[0], values={"title": "Aire limpio", "description": ""}
    )
    assert created.number == 2
    assert world.objectives[0].history.first().history_user == member


def test_a_commission_member_cannot_touch_another_strategy_nor_the_plan_text():
    world = plan_world()
    member = world.commission_member
    with pytest.raises(PermissionDenied):
        services.objective_update(actor=member, objective=world.objectives[1], values={"title": "X"}, seen=None)
    with pytest.raises(PermissionDenied):
        services.objective_create(actor=member, strategy=world.strategies[1], values={"title": "X"})
    with pytest.raises(PermissionDenied):
        services.strategy_update(actor=member, strategy=world.strategies[0], values={"name": "X"}, seen=None)
    with pytest.raises(PermissionDenied):
        services.plan_update(actor=member, plan=world.plan, values={"title": "X"}, seen=None)
    with pytest.raises(PermissionDenied):
        services.goal_update(actor=member, goal=world.goals[0], values={"description": "X"}, seen=None)
    assert Objective.objects.get(pk=world.objectives[1].pk).title == "Objetivo de Educación para la Vida"


def test_a_commission_member_edits_their_programmes_but_cannot_move_one_to_another_strategy():
    world = plan_world()
    member = world.commission_member
    services.programme_update(
        actor=member, programme=world.programmes[0], values={"name": "Agua para todos"}, seen=None
    )
    with pytest.raises(PermissionDenied):
        services.programme_update(
            actor=member,
            programme=world.programmes[0],
            values={"strategy": world.strategies[1], "objective": None},
            seen=None,
        )
    with pytest.raises(PermissionDenied):
        services.programme_update(actor=member, programme=world.programmes[1], values={"name": "X"}, seen=None)
    assert Programme.objects.get(pk=world.programmes[0].pk).strategy == world.strategies[0]


def test_a_member_whose_membership_ended_can_no_longer_edit():
    world = plan_world()
    world.strategies[0].commission.memberships.update(end_date="2024-06-30")
    with pytest.raises(PermissionDenied):
        services.objective_update(
            actor=world.commission_member, objective=world.objectives[0], values={"title": "X"}, seen=None
        )


def test_a_goal_whose_target_year_precedes_its_baseline_is_refused_and_nothing_is_saved(planner):
    world = plan_world()
    with pytest.raises(DomainError):
        services.goal_create(
            actor=planner,
            objective=world.objectives[0],
            values={
                "description": "Meta imposible",
                "indicator": world.goals[0].indicator,
                "baseline_value": Decimal("1"),
                "baseline_year": 2030,
                "target_value": Decimal("2"),
                "target_year": 2020,
            },
        )
    assert Goal.objects.filter(description="Meta imposible").count() == 0


def test_a_strategy_number_already_used_in_the_plan_is_refused(planner):
    world = plan_world()
    with pytest.raises(DomainError):
        services.strategy_update(actor=planner, strategy=world.strategies[1], values={"number": 1}, seen=None)
    assert Strategy.objects.get(pk=world.strategies[1].pk).number == 2


def test_a_vertiente_of_another_plan_is_refused(planner):
    world, other = plan_world(), plan_world(slug="otro")
    with pytest.raises(DomainError, match="otro plan"):
        services.strategy_update(
            actor=planner, strategy=world.strategies[0], values={"vertiente": other.vertientes[0]}, seen=None
        )


def test_deleting_a_part_that_others_depend_on_is_refused_with_a_message(planner):
    world = plan_world()
    with pytest.raises(DomainError, match="tiene estrategias"):
        services.vertiente_delete(actor=planner, vertiente=world.vertientes[0])
    with pytest.raises(DomainError, match="tiene metas"):
        services.objective_delete(actor=planner, objective=world.objectives[0])
    assert Vertiente.objects.filter(plan=world.plan).count() == 2


def test_deleting_a_goal_records_an_event_on_the_plan(planner):
    world = plan_world()
    services.goal_delete(actor=planner, goal=world.goals[0])
    assert not Goal.objects.filter(pk=world.goals[0].pk).exists()
    event = Event.objects.get(action="part_deleted")
    assert event.subject == world.plan and "Meta de Desarrollo Sustentable" in event.note


def test_an_objective_of_another_strategy_is_refused_for_a_programme(planner):
    world = plan_world()
    with pytest.raises(DomainError, match="no pertenece"):
        services.programme_update(
            actor=planner, programme=world.programmes[0], values={"objective": world.objectives[1]}, seen=None
        )


def test_a_programme_code_already_used_is_refused(planner):
    world = plan_world()
    with pytest.raises(DomainError, match="clave"):
        services.programme_create(actor=planner, values={"code": world.programmes[0].code, "name": "Repetido"})
    assert Programme.objects.filter(name="Repetido").count() == 0


def test_a_programme_committed_in_a_government_plan_is_not_deleted(planner):
    from tests.factories import AdministrationTermFactory

    world = plan_world()
    government = services.government_plan_create(
        actor=planner,
        values={
            "administration_term": AdministrationTermFactory(),
            "title": "Programa de Gobierno",
            "summary": "",
            "programmes": [world.programmes[0]],
        },
    )
    assert list(government.programmes.all()) == [world.programmes[0]]
    with pytest.raises(DomainError, match="comprometido"):
        services.programme_delete(actor=planner, programme=world.programmes[0])
    services.programme_delete(actor=planner, programme=world.programmes[1])
    assert not Programme.objects.filter(pk=world.programmes[1].pk).exists()


def test_only_planners_write_the_diagnosis(outsider, planner):
    world = plan_world()
    with pytest.raises(PermissionDenied):
        services.section_update(actor=outsider, section=world.section, values={"title": "X"}, seen=None)
    section = services.section_create(
        actor=planner,
        diagnosis=world.diagnosis,
        values={"title": "Aire", "body": "Calidad del aire.", "indicators": [world.goals[1].indicator]},
    )
    assert section.order == 2
    assert list(section.indicators.all()) == [world.goals[1].indicator]


@pytest.mark.parametrize("state", [LifecycleState.IN_REVIEW, LifecycleState.PUBLISHED])
def test_nothing_is_deleted_from_an_instrument_that_is_not_a_draft(planner, state):
    world = plan_world(state=state)
    type(world.diagnosis).objects.filter(pk=world.diagnosis.pk).update(state=state)
    with pytest.raises(DomainError):
        services.goal_delete(actor=planner, goal=world.goals[0])
    with pytest.raises(DomainError):
        services.section_delete(actor=planner, section=world.section)
    assert Goal.objects.filter(pk=world.goals[0].pk).exists()
    assert world.diagnosis.sections.count() == 1
