"""How a goal of the plan stands: its status (cumplida, en camino, en riesgo, sin datos) judged from its
indicator's latest observation against its baseline and target. Used by the plan's pages, the annual report and the
evaluation."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from indicators.models import Observation, Polarity
from planning.models import Goal


class GoalStatus:
    MET = "cumplida"
    ON_TRACK = "en_camino"
    AT_RISK = "en_riesgo"
    NO_DATA = "sin_datos"

    LABELS = {MET: _("Cumplida"), ON_TRACK: _("En camino"), AT_RISK: _("En riesgo"), NO_DATA: _("Sin datos")}


def goal_status(*, polarity: str, baseline: Decimal, baseline_year: int, target: Decimal, target_year: int,
                latest: Decimal | None, latest_year: int | None) -> str:
    """Judge a goal by its latest observation, respecting which way is better.

    Met when the value reached the target in the good direction; on track when the share of the way covered is
    at least the share of the time elapsed; at risk otherwise; no data without an observation after the baseline.
    """
    if latest is None or latest_year is None or latest_year < baseline_year:
        return GoalStatus.NO_DATA
    higher_is_better = polarity == Polarity.HIGHER_IS_BETTER
    if (latest >= target) if higher_is_better else (latest <= target):
        return GoalStatus.MET
    distance = target - baseline
    covered = (latest - baseline) / distance if distance else Decimal("0")
    span = target_year - baseline_year
    elapsed = Decimal(latest_year - baseline_year) / span if span else Decimal("1")
    return GoalStatus.ON_TRACK if covered >= elapsed else GoalStatus.AT_RISK


def goals_with_status(*, goals: Any, territory: Any,
                      until_year: int | None = None) -> list[tuple[Goal, Observation | None, str]]:
    """Each goal with its indicator's latest observation for ``territory`` and its status (two queries).

    With ``until_year``, observations of later periods are ignored: a report or evaluation of a fiscal year judges
    goals with what was known of that year, however much data arrived since.
    """
    goals = list(goals.select_related("indicator", "objective__strategy"))
    latest: dict[int, Observation] = {}
    observations = (Observation.objects.filter(indicator__in=[g.indicator_id for g in goals], territory=territory)
                    .order_by("indicator_id", "-period_start"))
    if until_year is not None:
        observations = observations.filter(period_start__year__lte=until_year)
    for observation in observations:
        latest.setdefault(observation.indicator_id, observation)
    result = []
    for goal in goals:
        obs = latest.get(goal.indicator_id)
        status = goal_status(polarity=goal.indicator.polarity, baseline=goal.baseline_value,
                             baseline_year=goal.baseline_year, target=goal.target_value,
                             target_year=goal.target_year, latest=obs.value if obs else None,
                             latest_year=obs.period_start.year if obs else None)
        result.append((goal, obs, status))
    return result
