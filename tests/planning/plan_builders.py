"""A small strategic plan for the plan's tests: vision, two vertientes, two strategies with their commissions,
an objective and a goal each, a programme per strategy, a diagnosis with a section citing an indicator."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from councils.models import BodyKind, Sector
from implan import roles
from implan.models import LifecycleState
from planning.models import (
    Diagnosis,
    DiagnosisSection,
    Goal,
    Objective,
    Programme,
    StrategicPlan,
    Strategy,
    Vertiente,
    Vision,
)
from tests.factories import (
    BodyFactory,
    DiagnosisFactory,
    DiagnosisSectionFactory,
    GoalFactory,
    IndicatorFactory,
    MembershipFactory,
    ObjectiveFactory,
    PersonFactory,
    ProgrammeFactory,
    StrategicPlanFactory,
    StrategyFactory,
    UserFactory,
    VertienteFactory,
    VisionFactory,
)


@dataclass
class PlanWorld:
    plan: StrategicPlan
    vision: Vision
    vertientes: list[Vertiente]
    strategies: list[Strategy]
    objectives: list[Objective]
    goals: list[Goal]
    programmes: list[Programme]
    diagnosis: Diagnosis
    section: DiagnosisSection
    commission_member: Any  # a current member of strategies[0]'s commission


def commission_member(strategy: Strategy, *, username: str) -> Any:
    user = UserFactory(username=username, roles=[roles.COUNCIL_MEMBER])
    MembershipFactory(
        person=PersonFactory(user=user),
        body=strategy.commission,
        sector=Sector.CITIZEN,
        start_date=datetime.date(2024, 1, 1),
    )
    return user


def plan_world(*, state: str = LifecycleState.DRAFT, slug: str = "leon-futuro") -> PlanWorld:
    plan = StrategicPlanFactory(slug=slug, state=state, summary="Plan de largo plazo del municipio.")
    vision = VisionFactory(plan=plan, statement="León es una ciudad sustentable.", horizon_year=2040)
    territory = VertienteFactory(plan=plan, order=1, name="Ordenamiento sustentable del territorio")
    social = VertienteFactory(plan=plan, order=2, name="Desarrollo social y económico")
    strategies, objectives, goals, programmes = [], [], [], []
    for number, (name, vertiente) in enumerate(
        [("Desarrollo Sustentable", territory), ("Educación para la Vida", social)], start=1
    ):
        commission = BodyFactory(
            name=f"Comisión {name} {slug}", slug=f"comision-{number}-{slug}", kind=BodyKind.STRATEGY_COMMISSION
        )
        strategy = StrategyFactory(
            plan=plan,
            vertiente=vertiente,
            number=number,
            name=name,
            slug=f"estrategia-{number}",
            commission=commission,
            description=f"Descripción de {name}.",
        )
        objective = ObjectiveFactory(strategy=strategy, number=1, title=f"Objetivo de {name}")
        indicator = IndicatorFactory(code=f"IND-{slug}-{number}", slug=f"ind-{slug}-{number}")
        goals.append(
            GoalFactory(
                objective=objective,
                description=f"Meta de {name}",
                indicator=indicator,
                baseline_value=Decimal("10"),
                baseline_year=2020,
                target_value=Decimal("20"),
                target_year=2030,
            )
        )
        programmes.append(ProgrammeFactory(code=f"P{number}-{slug}"[:30], strategy=strategy, objective=objective))
        strategies.append(strategy)
        objectives.append(objective)
    diagnosis = DiagnosisFactory(plan=plan, title="Diagnóstico 2024", summary="Situación del municipio.")
    section = DiagnosisSectionFactory(diagnosis=diagnosis, order=1, title="Agua", body="El acuífero.")
    section.indicators.set([goals[0].indicator])
    member = commission_member(strategies[0], username=f"comisionado-{slug}")
    return PlanWorld(
        plan=plan,
        vision=vision,
        vertientes=[territory, social],
        strategies=strategies,
        objectives=objectives,
        goals=goals,
        programmes=programmes,
        diagnosis=diagnosis,
        section=section,
        commission_member=member,
    )
