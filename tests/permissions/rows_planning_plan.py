"""Permission rows of the planning app: the plan and its instruments.

The world has a draft plan (workspace) and a published one (public pages), a draft and a published government plan.
Its consejero is a current member of the commission of the draft plan's first strategy: they see that strategy and
may change its objectives and programmes (200), see but not change its text and goals (403), and see nothing else
(404). Delete rows ask for the confirmation page (GET), so that one role's deletion does not change the next one's.
"""

from __future__ import annotations

import datetime

from implan.models import LifecycleState
from tests.factories import AdministrationTermFactory, GovernmentPlanFactory
from tests.permissions.matrix import DONE, FORBIDDEN, NOT_FOUND, OK, Row, World, everyone, fixed, logged_in, url
from tests.planning.plan_builders import plan_world


def build(world: World) -> None:
    draft = plan_world(slug="borrador")
    published = plan_world(state=LifecycleState.PUBLISHED, slug="publicado")
    term = AdministrationTermFactory(name="2024–2027")
    next_term = AdministrationTermFactory(
        name="2027–2030", start_date=datetime.date(2027, 10, 10), end_date=datetime.date(2030, 10, 9)
    )
    government = GovernmentPlanFactory(
        administration_term=term, state=LifecycleState.PUBLISHED, programmes=published.programmes
    )
    published.diagnosis.state = LifecycleState.PUBLISHED
    published.diagnosis.save()
    world.users["consejero"] = draft.commission_member
    world.objects.update(
        plan=draft.plan,
        published=published.plan,
        vertiente=draft.vertientes[0],
        strategy=draft.strategies[0],
        objective=draft.objectives[0],
        goal=draft.goals[0],
        programme=draft.programmes[0],
        diagnosis=draft.diagnosis,
        section=draft.section,
        public_strategy=published.strategies[0],
        government=government,
        government_draft=GovernmentPlanFactory(administration_term=next_term, title="Programa de Gobierno 2027–2030"),
    )


PLANNERS = logged_in(NOT_FOUND, planeador=OK, administrador=OK)
PLANNERS_ACT = logged_in(NOT_FOUND, planeador=DONE, administrador=DONE)
# The commission of the strategy (consejero) sees it and changes its objectives and programmes.
COMMISSION = logged_in(NOT_FOUND, consejero=OK, planeador=OK, administrador=OK)
# ... and sees but may not change the strategy's own text or its goals.
COMMISSION_SEES = logged_in(NOT_FOUND, consejero=FORBIDDEN, planeador=OK, administrador=OK)


def instrument(name: str, kind: str, key: str) -> Row:
    return Row(lambda o: fixed(f"planning:{name}", kind, o[key].pk)(o), PLANNERS_ACT, method="post")


ROWS: dict[str, Row] = {
    # Public: published instruments only, no login.
    "planning:plan_public": Row(fixed("planning:plan_public"), everyone(OK)),
    "planning:strategy_public": Row(url("planning:strategy_public", "public_strategy", attr="slug"), everyone(OK)),
    "planning:diagnosis_public": Row(fixed("planning:diagnosis_public"), everyone(OK)),
    "planning:government_plan_public_latest": Row(fixed("planning:government_plan_public_latest"), everyone(OK)),
    "planning:government_plan_public": Row(fixed("planning:government_plan_public", "2024-2027"), everyone(OK)),
    # Workspace.
    "planning:plan_workspace": Row(fixed("planning:plan_workspace"), logged_in(OK)),
    "planning:plan_create": Row(fixed("planning:plan_create"), PLANNERS),
    "planning:plan_detail": Row(url("planning:plan_detail", "plan"), PLANNERS),
    "planning:plan_edit": Row(url("planning:plan_edit", "plan"), PLANNERS),
    "planning:vision_edit": Row(url("planning:vision_edit", "plan"), PLANNERS),
    "planning:vertiente_create": Row(url("planning:vertiente_create", "plan"), PLANNERS),
    "planning:vertiente_edit": Row(url("planning:vertiente_edit", "vertiente"), PLANNERS),
    "planning:vertiente_delete": Row(url("planning:vertiente_delete", "vertiente"), PLANNERS),
    "planning:strategy_create": Row(url("planning:strategy_create", "plan"), PLANNERS),
    "planning:strategy_detail": Row(url("planning:strategy_detail", "strategy"), COMMISSION),
    "planning:strategy_edit": Row(url("planning:strategy_edit", "strategy"), COMMISSION_SEES),
    "planning:strategy_delete": Row(url("planning:strategy_delete", "strategy"), COMMISSION_SEES),
    "planning:objective_create": Row(url("planning:objective_create", "strategy"), COMMISSION),
    "planning:objective_edit": Row(url("planning:objective_edit", "objective"), COMMISSION),
    "planning:objective_delete": Row(url("planning:objective_delete", "objective"), COMMISSION),
    "planning:goal_create": Row(url("planning:goal_create", "objective"), COMMISSION_SEES),
    "planning:goal_edit": Row(url("planning:goal_edit", "goal"), COMMISSION_SEES),
    "planning:goal_delete": Row(url("planning:goal_delete", "goal"), COMMISSION_SEES),
    "planning:programme_create": Row(fixed("planning:programme_create"), COMMISSION),
    "planning:programme_detail": Row(url("planning:programme_detail", "programme"), COMMISSION),
    "planning:programme_edit": Row(url("planning:programme_edit", "programme"), COMMISSION),
    "planning:programme_delete": Row(url("planning:programme_delete", "programme"), COMMISSION),
    "planning:diagnosis_create": Row(fixed("planning:diagnosis_create"), PLANNERS),
    "planning:diagnosis_detail": Row(url("planning:diagnosis_detail", "diagnosis"), PLANNERS),
    "planning:diagnosis_edit": Row(url("planning:diagnosis_edit", "diagnosis"), PLANNERS),
    "planning:section_create": Row(url("planning:section_create", "diagnosis"), PLANNERS),
    "planning:section_edit": Row(url("planning:section_edit", "section"), PLANNERS),
    "planning:section_delete": Row(url("planning:section_delete", "section"), PLANNERS),
    "planning:government_plan_create": Row(fixed("planning:government_plan_create"), PLANNERS),
    "planning:government_plan_detail": Row(url("planning:government_plan_detail", "government"), PLANNERS),
    "planning:government_plan_edit": Row(url("planning:government_plan_edit", "government_draft"), PLANNERS),
    # Lifecycle: planners act (a refusal also redirects, with its message); others do not see the plan (404).
    "planning:instrument_submit": instrument("instrument_submit", "plan", "plan"),
    "planning:instrument_withdraw": instrument("instrument_withdraw", "plan", "plan"),
    "planning:instrument_publish": instrument("instrument_publish", "plan", "published"),
    "planning:instrument_new_version": instrument("instrument_new_version", "plan", "published"),
    "planning:instrument_compare": Row(
        lambda o: fixed("planning:instrument_compare", "plan", o["published"].pk)(o), PLANNERS
    ),
}
