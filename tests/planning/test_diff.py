"""The difference between two versions of an instrument, field by field and part by part."""

from decimal import Decimal

import pytest

from implan.models import LifecycleState
from planning.diff import ADDED, CHANGED, REMOVED, instrument_diff, word_diff
from planning.models import SpendingChapter
from planning.services import lifecycle
from planning.services import plan as services
from tests.factories import BudgetFactory, BudgetLineFactory
from tests.planning.plan_builders import plan_world

pytestmark = pytest.mark.django_db


def test_word_diff_marks_only_the_words_that_changed():
    assert word_diff("El agua del río", "El agua limpia del río") == [
        ("equal", "El agua "),
        ("insert", "limpia "),
        ("equal", "del río"),
    ]
    assert word_diff("a b", "a c") == [("equal", "a "), ("delete", "b"), ("insert", "c")]


def test_identical_versions_have_no_difference(planner):
    world = plan_world(state=LifecycleState.PUBLISHED)
    new = lifecycle.instrument_new_version(instrument=world.plan, actor=planner)
    assert instrument_diff(old=world.plan, new=new).is_empty


def test_the_diff_of_two_plan_versions_names_each_change_with_readable_labels(planner):
    world = plan_world(state=LifecycleState.PUBLISHED)
    new = lifecycle.instrument_new_version(instrument=world.plan, actor=planner)
    services.plan_update(
        actor=planner, plan=new, values={"summary": "Plan de largo plazo del municipio y su zona."}, seen=None
    )
    first, second = new.strategies.order_by("number")
    services.objective_update(
        actor=planner, objective=first.objectives.get(), values={"title": "Agua limpia"}, seen=None
    )
    services.goal_delete(actor=planner, goal=second.objectives.get().goals.get())
    services.strategy_create(actor=planner, plan=new, values={"name": "Hábitat", "vertiente": new.vertientes.first()})
    new.refresh_from_db()

    diff = instrument_diff(old=world.plan, new=new)

    [summary] = diff.fields
    assert summary.label == "Resumen"
    assert ("insert", " y su zona") in summary.words
    groups = {g.label: g.parts for g in diff.groups}
    assert set(groups) == {"Objetivos", "Metas", "Estrategias"}
    [objective] = groups["Objetivos"]
    assert objective.status == CHANGED
    assert objective.title == "Estrategia 1 · Desarrollo Sustentable · objetivo 1"
    assert [(f.label, f.old, f.new) for f in objective.fields] == [
        ("Objetivo", "Objetivo de Desarrollo Sustentable", "Agua limpia")
    ]
    assert [p.status for p in groups["Metas"]] == [REMOVED]
    [added] = groups["Estrategias"]
    assert (added.status, added.title) == (ADDED, "Estrategia 3 · Hábitat")
    assert ("Nombre", "", "Hábitat") in [(f.label, f.old, f.new) for f in added.fields]


def test_the_diff_of_two_budgets_lists_changed_amounts(planner):
    world = plan_world()
    budget = BudgetFactory(state=LifecycleState.APPROVED)
    BudgetLineFactory(
        budget=budget,
        programme=world.programmes[0],
        chapter=SpendingChapter.SERVICES,
        approved_amount=Decimal("1000.00"),
    )
    new = lifecycle.instrument_new_version(instrument=budget, actor=planner)
    new.lines.update(approved_amount=Decimal("1500.50"))
    [group] = instrument_diff(old=budget, new=new).groups
    [line] = group.parts
    assert [(f.label, f.old, f.new) for f in line.fields] == [("Aprobado (mxn)", "1000", "1500.5")]


def test_the_diff_of_a_diagnosis_shows_cited_indicators(planner):
    world = plan_world()
    world.diagnosis.state = LifecycleState.PUBLISHED
    world.diagnosis.save()
    new = lifecycle.instrument_new_version(instrument=world.diagnosis, actor=planner)
    services.section_update(
        actor=planner, section=new.sections.get(), values={"indicators": [world.goals[1].indicator]}, seen=None
    )
    [group] = instrument_diff(old=world.diagnosis, new=new).groups
    [field] = group.parts[0].fields
    assert (field.label, field.old, field.new) == (
        "Indicadores citados",
        str(world.goals[0].indicator),
        str(world.goals[1].indicator),
    )
