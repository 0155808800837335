"""A small fiscal year for report and evaluation tests: a published plan with two strategies (one with its
commission), programmes, an approved budget, allocations to projects, goals with observations, sessions and
resolutions — plus things that must NOT count (a draft budget, a proposed project, another year's activity)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from councils.models import BodyKind, SessionState
from implan.models import LifecycleState
from indicators.models import Polarity
from planning.models import SpendingChapter
from projects.models import ProjectStatus
from tests.factories import (
    AllocationFactory,
    BodyFactory,
    BudgetFactory,
    BudgetLineFactory,
    FiscalYearFactory,
    GoalFactory,
    IndicatorFactory,
    MunicipalityFactory,
    ObjectiveFactory,
    ObservationFactory,
    ProgrammeFactory,
    ProjectFactory,
    ResolutionFactory,
    SessionFactory,
    StrategicPlanFactory,
    StrategyFactory,
    VertienteFactory,
)

TZ = datetime.UTC


@dataclass
class YearWorld:
    year: object
    plan: object
    strategies: list
    budget: object
    commission: object


def _session(body, number, when, state=SessionState.CLOSED):
    return SessionFactory(body=body, number=number, scheduled_at=when, state=state)


def _resolution(body, session, number, adopted_on):
    return ResolutionFactory(
        body=body, number=number, session=session, text=f"Acuerdo {number} de {body.name}", adopted_on=adopted_on
    )


def build_year(*, lines_per_strategy: int = 2, projects_per_strategy: int = 2) -> YearWorld:
    year = FiscalYearFactory(year=2025)
    plan = StrategicPlanFactory(state=LifecycleState.PUBLISHED)
    vertiente = VertienteFactory(plan=plan)
    commission = BodyFactory(name="Comisión de Hábitat", kind=BodyKind.STRATEGY_COMMISSION)
    strategies = [
        StrategyFactory(
            plan=plan, vertiente=vertiente, number=1, name="Hábitat", slug="habitat", commission=commission
        ),
        StrategyFactory(plan=plan, vertiente=vertiente, number=2, name="Rumbo Económico", slug="rumbo-economico"),
    ]
    budget = BudgetFactory(fiscal_year=year, state=LifecycleState.PUBLISHED, ceiling=Decimal("100000000"))
    municipality = MunicipalityFactory()
    for n, strategy in enumerate(strategies, start=1):
        grow_strategy(strategy, budget, year, municipality, n, lines_per_strategy, projects_per_strategy)
    _things_that_do_not_count(year, budget, plan, strategies)
    _council_activity(commission)
    return YearWorld(year=year, plan=plan, strategies=strategies, budget=budget, commission=commission)


def grow_strategy(strategy, budget, year, municipality, n, lines, projects):
    programme = ProgrammeFactory(strategy=strategy)
    for i in range(lines):
        line = BudgetLineFactory(
            budget=budget,
            programme=programme,
            chapter=SpendingChapter.PUBLIC_WORKS,
            approved_amount=Decimal(f"{n}000.10") + i,
            executed_amount=Decimal(f"{n}00.05"),
        )
    for _i in range(projects):
        project = ProjectFactory(
            strategy=strategy, programme=programme, status=ProjectStatus.IN_EXECUTION, physical_progress=Decimal("40")
        )
        AllocationFactory(project=project, fiscal_year=year, budget_line=line, amount=Decimal("250.25"))
        AllocationFactory(project=project, fiscal_year=year, budget_line=None, amount=Decimal("100"))
    objective = ObjectiveFactory(strategy=strategy)
    indicator = IndicatorFactory(polarity=Polarity.HIGHER_IS_BETTER)
    GoalFactory(
        objective=objective,
        indicator=indicator,
        baseline_value=Decimal("50"),
        baseline_year=2020,
        target_value=Decimal("70"),
        target_year=2030,
    )
    for value, period in (("55", "2024"), ("69", "2025"), ("90", "2026")):
        ObservationFactory(
            indicator=indicator,
            territory=municipality,
            period=period,
            period_start=datetime.date(int(period), 1, 1),
            value=Decimal(value),
        )


def _things_that_do_not_count(year, budget, plan, strategies):
    draft = BudgetFactory(fiscal_year=year, version=2, title="Borrador de modificación")
    BudgetLineFactory(
        budget=draft, programme=ProgrammeFactory(strategy=strategies[0]), approved_amount=Decimal("999999")
    )
    proposed = ProjectFactory(strategy=strategies[0], status=ProjectStatus.PROPOSED)
    AllocationFactory(project=proposed, fiscal_year=year, amount=Decimal("777"))
    other_year = FiscalYearFactory(year=2024)
    AllocationFactory(
        project=ProjectFactory(strategy=strategies[1], status=ProjectStatus.COMPLETED),
        fiscal_year=other_year,
        amount=Decimal("555"),
    )


def _council_activity(commission):
    ayuntamiento = BodyFactory(name="Ayuntamiento de León", kind=BodyKind.AYUNTAMIENTO)
    held = _session(ayuntamiento, 1, datetime.datetime(2025, 3, 4, 17, tzinfo=TZ))
    _resolution(ayuntamiento, held, 1, datetime.date(2025, 3, 4))
    _resolution(ayuntamiento, held, 2, datetime.date(2025, 3, 4))
    _session(ayuntamiento, 2, datetime.datetime(2025, 9, 4, 17, tzinfo=TZ))
    _session(ayuntamiento, 3, datetime.datetime(2025, 11, 4, 17, tzinfo=TZ), state=SessionState.CANCELLED)
    last_year = _session(ayuntamiento, 4, datetime.datetime(2024, 12, 4, 17, tzinfo=TZ))
    _resolution(ayuntamiento, last_year, 9, datetime.date(2024, 12, 4))
    commission_session = _session(commission, 1, datetime.datetime(2025, 6, 1, 17, tzinfo=TZ))
    _resolution(commission, commission_session, 1, datetime.date(2025, 6, 1))
