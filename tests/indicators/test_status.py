"""The traffic light and the trend respect polarity; no target or no value is «sin datos»."""

from decimal import Decimal

import pytest

from indicators.models import Polarity
from indicators.status import Light, Target, light, trend

UP, DOWN = Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER
TARGET_UP = Target(value=Decimal(100), year=2025, baseline_value=Decimal(0), baseline_year=2015)
TARGET_DOWN = Target(value=Decimal(0), year=2025, baseline_value=Decimal(100), baseline_year=2015)


@pytest.mark.parametrize(
    ("polarity", "target", "latest", "year", "expected"),
    [
        (UP, TARGET_UP, "100", 2020, Light.GREEN),  # met early
        (UP, TARGET_UP, "50", 2020, Light.GREEN),  # half the way in half the time
        (UP, TARGET_UP, "30", 2020, Light.AMBER),  # better than the baseline, too slow
        (UP, TARGET_UP, "-5", 2020, Light.RED),  # worse than the baseline
        (DOWN, TARGET_DOWN, "40", 2020, Light.GREEN),
        (DOWN, TARGET_DOWN, "80", 2020, Light.AMBER),
        (DOWN, TARGET_DOWN, "120", 2020, Light.RED),
        (DOWN, TARGET_DOWN, "-1", 2030, Light.GREEN),
        (UP, None, "50", 2020, Light.NO_DATA),
        (UP, TARGET_UP, None, None, Light.NO_DATA),
        (UP, TARGET_UP, "50", 2010, Light.NO_DATA),  # a value older than the baseline says nothing
    ],
)
def test_the_light_respects_polarity(polarity, target, latest, year, expected):
    value = Decimal(latest) if latest is not None else None
    assert light(polarity=polarity, latest=value, latest_year=year, target=target) == expected


def test_a_falling_value_improves_only_when_lower_is_better():
    assert trend(polarity=DOWN, latest=Decimal(1), previous=Decimal(2)).improving is True
    assert trend(polarity=UP, latest=Decimal(1), previous=Decimal(2)).improving is False
    assert trend(polarity=UP, latest=Decimal(1), previous=Decimal(1)).label == "Sin cambio"
    assert trend(polarity=UP, latest=Decimal(1), previous=None).label == "Sin periodo anterior"
