"""Two planners open the same item; the second save is told what changed and loses nothing."""

import pytest

from implan.concurrency import EditConflict, read_token, token_for
from implan.errors import DomainError
from planning.services import plan as services
from tests.factories import UserFactory
from tests.planning.plan_builders import plan_world

pytestmark = pytest.mark.django_db

FIELDS = ["title", "description"]


def test_the_second_save_is_refused_with_each_changed_field_old_and_new(planner):
    world = plan_world()
    objective = world.objectives[0]
    other = UserFactory(username="otra_planeadora", roles=["Planeación"], first_name="Ana", last_name="Ruiz")
    opened_by_first = read_token(token_for(objective, FIELDS))
    opened_by_second = read_token(token_for(objective, FIELDS))
    services.objective_update(
        actor=other,
        objective=objective,
        values={"title": "Agua para todas las colonias", "description": ""},
        seen=opened_by_first,
    )
    with pytest.raises(EditConflict) as conflict:
        services.objective_update(
            actor=planner,
            objective=objective,
            values={"title": "Mi versión", "description": "Mi texto"},
            seen=opened_by_second,
        )
    [change] = conflict.value.changes
    assert (change.label, change.old, change.new) == (
        "Objetivo",
        "Objetivo de Desarrollo Sustentable",
        "Agua para todas las colonias",
    )
    assert conflict.value.changed_by == other
    objective.refresh_from_db()
    assert objective.title == "Agua para todas las colonias"
    # Saving again with the fresh token is a deliberate overwrite.
    services.objective_update(
        actor=planner,
        objective=objective,
        values={"title": "Mi versión", "description": "Mi texto"},
        seen=read_token(conflict.value.token),
    )
    objective.refresh_from_db()
    assert objective.title == "Mi versión"


def test_a_save_without_changes_in_between_goes_through(planner):
    world = plan_world()
    seen = read_token(token_for(world.vision, ["statement", "horizon_year"]))
    services.vision_save(actor=planner, plan=world.plan, values={"statement": "Otra", "horizon_year": 2045}, seen=seen)
    world.vision.refresh_from_db()
    assert world.vision.statement == "Otra"


def test_many_to_many_changes_count_as_changes(planner):
    world = plan_world()
    seen = read_token(token_for(world.section, ["title", "body", "indicators"]))
    services.section_update(
        actor=planner, section=world.section, values={"indicators": [world.goals[1].indicator]}, seen=None
    )
    with pytest.raises(EditConflict) as conflict:
        services.section_update(
            actor=planner, section=world.section, values={"title": "Agua", "body": "x", "indicators": []}, seen=seen
        )
    assert [c.label for c in conflict.value.changes] == ["Indicadores citados"]


def test_a_tampered_token_is_refused():
    with pytest.raises(DomainError, match="caducó"):
        read_token("no-es-un-token")
