"""Goal statuses: both polarities, elapsed time, missing data; and the evaluation of a plan's goals with the
indicators' observations."""

import datetime
from decimal import Decimal

import pytest

from implan.models import LifecycleState
from indicators.models import Polarity
from indicators.status import Standing
from planning.selectors.evaluation import evaluation_data
from planning.selectors.goals import GoalStatus, goal_status
from tests.factories import (
    EvaluationFactory,
    GoalFactory,
    IndicatorFactory,
    MunicipalityFactory,
    ObjectiveFactory,
    ObservationFactory,
    StrategyFactory,
    TerritoryFactory,
    VertienteFactory,
)

UP, DOWN = "ascendente", "descendente"


def _status(polarity, baseline, target, latest, latest_year=2022):
    goal = GoalFactory.build(
        indicator=IndicatorFactory.build(polarity=polarity),
        baseline_value=Decimal(baseline),
        baseline_year=2020,
        target_value=Decimal(target),
        target_year=2024,
    )
    return goal_status(
        goal, latest=None if latest is None else Decimal(latest), latest_year=None if latest is None else latest_year
    )


@pytest.mark.parametrize(
    ("polarity", "baseline", "target", "latest", "expected"),
    [
        (UP, "50", "70", "70", GoalStatus.MET),
        (UP, "50", "70", "75", GoalStatus.MET),
        (UP, "50", "70", "60", GoalStatus.ON_TRACK),  # half the way in half the time
        (UP, "50", "70", "55", GoalStatus.AT_RISK),
        (UP, "50", "70", "45", GoalStatus.AT_RISK),  # went the wrong way
        (DOWN, "20", "10", "10", GoalStatus.MET),
        (DOWN, "20", "10", "8", GoalStatus.MET),
        (DOWN, "20", "10", "15", GoalStatus.ON_TRACK),
        (DOWN, "20", "10", "18", GoalStatus.AT_RISK),
        (DOWN, "20", "10", "25", GoalStatus.AT_RISK),
        (UP, "50", "70", None, GoalStatus.NO_DATA),
        (DOWN, "20", "10", None, GoalStatus.NO_DATA),
    ],
)
def test_goal_status_respects_polarity(polarity, baseline, target, latest, expected):
    assert _status(polarity, baseline, target, latest) == expected


def test_an_observation_older_than_the_baseline_is_no_data():
    assert _status(UP, "50", "70", "90", latest_year=2019) == GoalStatus.NO_DATA


def test_a_goal_held_at_its_baseline_is_at_risk_when_it_slips_even_in_the_baseline_year():
    # The traffic light always said red here; the goal status said «en camino» (it divided by a zero distance).
    assert _status(UP, "50", "50", "49", latest_year=2020) == GoalStatus.AT_RISK
    assert _status(UP, "50", "50", "50", latest_year=2020) == GoalStatus.MET


def test_the_evaluation_words_the_traffic_light_s_judgement_its_own_way():
    assert GoalStatus.OF == {
        Standing.MET: GoalStatus.MET,
        Standing.ON_TRACK: GoalStatus.ON_TRACK,
        Standing.SLOW: GoalStatus.AT_RISK,
        Standing.NO_BETTER: GoalStatus.AT_RISK,
        Standing.NO_DATA: GoalStatus.NO_DATA,
    }


# --- The evaluation of a plan: statuses read from the indicators' observations -------------------------------


def _goal(plan, polarity, baseline, target, observations, territory):
    strategy = StrategyFactory(plan=plan, vertiente=VertienteFactory(plan=plan))
    indicator = IndicatorFactory(polarity=polarity)
    goal = GoalFactory(
        objective=ObjectiveFactory(strategy=strategy),
        indicator=indicator,
        baseline_value=Decimal(baseline),
        baseline_year=2020,
        target_value=Decimal(target),
        target_year=2030,
    )
    for year, value in observations:
        ObservationFactory(
            indicator=indicator,
            territory=territory,
            period=str(year),
            period_start=datetime.date(year, 1, 1),
            value=Decimal(value),
        )
    return goal


@pytest.mark.django_db
def test_the_evaluation_judges_each_goal_with_its_polarity_up_to_its_year():
    evaluation = EvaluationFactory(fiscal_year__year=2025)
    leon, colonia = MunicipalityFactory(), TerritoryFactory()
    plan = evaluation.plan
    cases = {
        "sube y cumple": _goal(plan, Polarity.HIGHER_IS_BETTER, "50", "70", [(2024, "71")], leon),
        "baja y va en camino": _goal(plan, Polarity.LOWER_IS_BETTER, "20", "10", [(2025, "13")], leon),
        "baja pero sube": _goal(plan, Polarity.LOWER_IS_BETTER, "20", "10", [(2025, "22")], leon),
        "solo datos de una colonia": _goal(plan, Polarity.HIGHER_IS_BETTER, "1", "2", [(2025, "5")], colonia),
        "dato posterior al año": _goal(plan, Polarity.HIGHER_IS_BETTER, "50", "70", [(2026, "99")], leon),
    }
    statuses = {g.goal.pk: g.status for g in evaluation_data(evaluation=evaluation).goals}
    assert {name: statuses[goal.pk] for name, goal in cases.items()} == {
        "sube y cumple": GoalStatus.MET,
        "baja y va en camino": GoalStatus.ON_TRACK,
        "baja pero sube": GoalStatus.AT_RISK,
        "solo datos de una colonia": GoalStatus.NO_DATA,
        "dato posterior al año": GoalStatus.NO_DATA,
    }


@pytest.mark.django_db
def test_goals_of_another_plan_are_not_evaluated():
    evaluation = EvaluationFactory()
    other_plan = EvaluationFactory(plan__state=LifecycleState.PUBLISHED, fiscal_year__year=2024).plan
    _goal(other_plan, Polarity.HIGHER_IS_BETTER, "1", "2", [], MunicipalityFactory())
    assert evaluation_data(evaluation=evaluation).goals == []


@pytest.mark.django_db
def test_a_preliminary_or_missing_value_does_not_judge_a_goal_and_the_evaluation_says_so(planner, client):
    from indicators.models import ObservationStatus

    evaluation = EvaluationFactory(fiscal_year__year=2025)
    leon = MunicipalityFactory()
    goal = _goal(evaluation.plan, Polarity.HIGHER_IS_BETTER, "50", "70", [(2023, "52")], leon)
    ObservationFactory(  # would meet the goal, but may still be revised
        indicator=goal.indicator, territory=leon, period="2025", period_start=datetime.date(2025, 1, 1), value=80,
        status=ObservationStatus.PRELIMINARY,
    )  # fmt: skip
    ObservationFactory(  # «sin dato» is no value at all, never a zero
        indicator=goal.indicator, territory=leon, period="2024", period_start=datetime.date(2024, 1, 1), value=None
    )
    ObservationFactory(  # a category is not the indicator
        indicator=goal.indicator, territory=leon, period="2025", period_start=datetime.date(2025, 1, 1), value=99,
        breakdown="sexo=mujeres",
    )  # fmt: skip
    (row,) = evaluation_data(evaluation=evaluation).goals
    assert row.observation.period == "2023" and row.status == GoalStatus.AT_RISK
    assert row.goal.left_out.period == "2025"
    client.force_login(planner)
    html = client.get(f"/espacio/evaluaciones/{evaluation.pk}/").content.decode()
    assert "2025: 80, preliminar; no se usa para juzgar la meta hasta que sea definitivo." in html
