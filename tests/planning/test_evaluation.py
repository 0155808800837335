"""Goal statuses: both polarities, elapsed time, missing data."""

from decimal import Decimal

import pytest

from planning.selectors import GoalStatus, goal_status

UP, DOWN = "ascendente", "descendente"


def _status(polarity, baseline, target, latest, latest_year=2022):
    return goal_status(polarity=polarity, baseline=Decimal(baseline), baseline_year=2020, target=Decimal(target),
                       target_year=2024, latest=None if latest is None else Decimal(latest),
                       latest_year=None if latest is None else latest_year)


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
