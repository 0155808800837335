"""One judgement of a value against a goal (``standing``), worded by the dashboard's traffic light (and by
planning's goal status: tests/planning/test_evaluation.py); and the trend, both respecting polarity."""

from decimal import Decimal

import pytest

from indicators.models import Polarity
from indicators.status import Light, Standing, Target, standing, trend

UP, DOWN = Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER
TARGET_UP = Target(value=Decimal(100), year=2025, baseline_value=Decimal(0), baseline_year=2015)
TARGET_DOWN = Target(value=Decimal(0), year=2025, baseline_value=Decimal(100), baseline_year=2015)
KEEP = Target(value=Decimal(50), year=2025, baseline_value=Decimal(50), baseline_year=2015)  # target == baseline
SAME_YEAR = Target(value=Decimal(100), year=2015, baseline_value=Decimal(0), baseline_year=2015)


@pytest.mark.parametrize(
    ("polarity", "target", "latest", "year", "expected"),
    [
        (UP, TARGET_UP, "100", 2020, Standing.MET),  # at the target, early
        (UP, TARGET_UP, "120", 2030, Standing.MET),  # past it
        (UP, TARGET_UP, "50", 2020, Standing.ON_TRACK),  # half the way in half the time
        (UP, TARGET_UP, "60", 2020, Standing.ON_TRACK),
        (UP, TARGET_UP, "30", 2020, Standing.SLOW),  # better than the baseline, too slowly
        (UP, TARGET_UP, "90", 2030, Standing.SLOW),  # the target year went by unmet
        (UP, TARGET_UP, "-5", 2020, Standing.NO_BETTER),  # worse than the baseline
        (UP, TARGET_UP, "0", 2020, Standing.NO_BETTER),  # unchanged while time went by
        (UP, TARGET_UP, "0", 2015, Standing.ON_TRACK),  # unchanged in the baseline year: nothing is late yet
        (UP, TARGET_UP, "-5", 2015, Standing.NO_BETTER),  # worse already in the baseline year
        (DOWN, TARGET_DOWN, "0", 2020, Standing.MET),
        (DOWN, TARGET_DOWN, "-1", 2030, Standing.MET),
        (DOWN, TARGET_DOWN, "40", 2020, Standing.ON_TRACK),
        (DOWN, TARGET_DOWN, "80", 2020, Standing.SLOW),
        (DOWN, TARGET_DOWN, "120", 2020, Standing.NO_BETTER),
        (DOWN, TARGET_DOWN, "100", 2020, Standing.NO_BETTER),
        (UP, KEEP, "50", 2020, Standing.MET),  # target == baseline: holding it is meeting it
        (UP, KEEP, "49", 2015, Standing.NO_BETTER),  # and falling below is worse than the baseline, at any time
        (DOWN, KEEP, "49", 2020, Standing.MET),
        (DOWN, KEEP, "51", 2020, Standing.NO_BETTER),
        (UP, SAME_YEAR, "50", 2015, Standing.SLOW),  # target year == baseline year: all the time has elapsed
        (UP, None, "50", 2020, Standing.NO_DATA),  # no target
        (UP, TARGET_UP, None, None, Standing.NO_DATA),  # no value
        (UP, TARGET_UP, "50", 2010, Standing.NO_DATA),  # a value older than the baseline says nothing
    ],
)
def test_the_one_judgement_respects_polarity_target_and_elapsed_time(polarity, target, latest, year, expected):
    value = Decimal(latest) if latest is not None else None
    assert standing(polarity=polarity, latest=value, latest_year=year, target=target) == expected


def test_the_traffic_light_is_green_on_the_way_amber_when_slow_red_when_no_better_grey_without_data():
    assert Light.OF == {
        Standing.MET: Light.GREEN,
        Standing.ON_TRACK: Light.GREEN,
        Standing.SLOW: Light.AMBER,
        Standing.NO_BETTER: Light.RED,
        Standing.NO_DATA: Light.NO_DATA,
    }


def test_a_falling_value_improves_only_when_lower_is_better():
    assert trend(polarity=DOWN, latest=Decimal(1), previous=Decimal(2)).improving is True
    assert trend(polarity=UP, latest=Decimal(1), previous=Decimal(2)).improving is False
    assert trend(polarity=UP, latest=Decimal(1), previous=Decimal(1)).label == "Sin cambio"
    assert trend(polarity=UP, latest=Decimal(1), previous=None).label == "Sin periodo anterior"
