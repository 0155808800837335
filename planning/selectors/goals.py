"""How a goal of the plan stands, in planning's words (cumplida, en camino, en riesgo, sin datos): the one judgement
of ``indicators.status.standing``, from its indicator's latest value for the municipality the plan's goals are set
for. Used by the plan's pages, the annual report and the evaluation."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from indicators.models import Observation, ObservationStatus
from indicators.status import Standing, Target, is_judged, standing
from planning.models import Goal


class GoalStatus:
    MET = "cumplida"
    ON_TRACK = "en_camino"
    AT_RISK = "en_riesgo"
    NO_DATA = "sin_datos"

    LABELS = {MET: _("Cumplida"), ON_TRACK: _("En camino"), AT_RISK: _("En riesgo"), NO_DATA: _("Sin datos")}
    # Slow and no better than the baseline are both «en riesgo»: the evaluation does not grade how far behind.
    OF = {
        Standing.MET: MET,
        Standing.ON_TRACK: ON_TRACK,
        Standing.SLOW: AT_RISK,
        Standing.NO_BETTER: AT_RISK,
        Standing.NO_DATA: NO_DATA,
    }


def goal_status(goal: Goal, *, latest: Decimal | None, latest_year: int | None) -> str:
    """The status of ``goal`` judged by its indicator's latest value and that value's year (None without data)."""
    return GoalStatus.OF[
        standing(polarity=goal.indicator.polarity, latest=latest, latest_year=latest_year, target=Target.of(goal))
    ]


def goals_with_status(
    *, goals: Any, territory: Any, until_year: int | None = None
) -> list[tuple[Goal, Observation | None, str]]:
    """Each goal with its indicator's latest judged observation for ``territory`` and its status (two queries).

    With ``until_year``, observations of later periods are ignored: a report or evaluation of a fiscal year judges
    goals with what was known of that year, however much data arrived since. Only final values of the total are
    judged (``indicators.status.judged``); a newer preliminary value is set on the goal as ``left_out`` so the pages
    can say it waits until it is final.
    """
    goals = list(goals.select_related("indicator", "objective__strategy"))
    latest: dict[int, Observation] = {}
    waiting: dict[int, Observation] = {}
    observations = Observation.objects.filter(
        indicator__in=[g.indicator_id for g in goals], territory=territory, breakdown="", value__isnull=False
    ).order_by("indicator_id", "-period_start")
    if until_year is not None:
        observations = observations.filter(period_start__year__lte=until_year)
    for observation in observations:
        if is_judged(observation):
            latest.setdefault(observation.indicator_id, observation)
        elif observation.status == ObservationStatus.PRELIMINARY and observation.indicator_id not in latest:
            waiting.setdefault(observation.indicator_id, observation)
    for goal in goals:
        goal.left_out = waiting.get(goal.indicator_id)  # type: ignore[attr-defined]  # read by the templates
    return [
        (
            goal,
            obs,
            goal_status(goal, latest=obs.value if obs else None, latest_year=obs.period_start.year if obs else None),
        )
        for goal in goals
        for obs in [latest.get(goal.indicator_id)]
    ]
