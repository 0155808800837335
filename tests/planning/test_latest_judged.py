"""The latest value the plan's pages show for a goal's indicator follows the one rule of indicators.status: the
municipal total, with a value, final. A newer preliminary year, a «sin dato» or one category of a breakdown never
stands for the indicator."""

import datetime
from decimal import Decimal

import pytest

from indicators.models import ObservationStatus
from planning.selectors.plan import goals_with_latest, indicators_with_latest
from tests.factories import GoalFactory, IndicatorFactory, MunicipalityFactory, ObservationFactory

pytestmark = pytest.mark.django_db


def test_a_preliminary_year_a_missing_value_and_a_category_are_passed_over():
    leon = MunicipalityFactory()
    indicator = IndicatorFactory(code="POB-X")
    goal = GoalFactory(indicator=indicator)

    def observe(year: int, value: str | None, **extra) -> None:
        ObservationFactory(
            indicator=indicator,
            territory=leon,
            period=str(year),
            period_start=datetime.date(year, 1, 1),
            value=None if value is None else Decimal(value),
            **extra,
        )

    observe(2021, "100")
    observe(2022, "120")  # the latest judged value
    observe(2022, "70", breakdown="sexo=mujeres")  # a category of the same year
    observe(2023, "130", status=ObservationStatus.PRELIMINARY)
    observe(2024, None, missing_reason="Sin levantamiento")

    found = goals_with_latest().get(pk=goal.pk)
    assert (found.latest_value, found.latest_period) == (Decimal("120"), "2022")
    found = indicators_with_latest().get(pk=indicator.pk)
    assert (found.latest_value, found.latest_period) == (Decimal("120"), "2022")
