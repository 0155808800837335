"""How an indicator is doing: its trend, and how its latest value stands against a goal's target (the one
judgement behind the dashboard's traffic light and planning's goal status), respecting polarity.

Targets belong to the planning app (planning.Goal points at Indicator as ``goals``); this module receives plain
numbers so ``indicators`` never imports ``planning``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from indicators.models import Observation, ObservationStatus, Polarity

# --- Which values are judged -------------------------------------------------------------------------------------
#
# The one rule behind trends, traffic lights, goal status, the report and the evaluation: only a final value of the
# indicator's total is judged. A preliminary value is shown (as «preliminar») but waits until it is final; a missing
# value («sin dato») is a gap, never a zero; a category of a breakdown is not the indicator.


def is_judged(observation: Observation) -> bool:
    return (
        observation.value is not None and observation.status == ObservationStatus.FINAL and observation.breakdown == ""
    )


def judged(observations: QuerySet[Observation]) -> QuerySet[Observation]:
    """The same rule as ``is_judged``, in the database."""
    return observations.filter(value__isnull=False, status=ObservationStatus.FINAL, breakdown="")


def split_judged(series: list[Observation]) -> tuple[list[Observation], Observation | None]:
    """A series of totals (oldest first) as the values judged, and the newest preliminary value after the last of
    them that was left out (None when there is none): pages say that it waits until it is final."""
    kept = [o for o in series if is_judged(o)]
    last = kept[-1].period_start if kept else None
    waiting = [
        o
        for o in series
        if o.value is not None
        and o.status == ObservationStatus.PRELIMINARY
        and o.breakdown == ""
        and (last is None or o.period_start > last)
    ]
    return kept, (waiting[-1] if waiting else None)


class Standing:
    """How a value stands against a goal: the one judgement every page shows, each in its own words.

    The public traffic light (``Light``) and planning's goal status (``planning.selectors.goals.GoalStatus``) are
    two wordings of these five outcomes, so the dashboard, the plan, the report and the evaluation never disagree.
    """

    MET = "met"
    ON_TRACK = "on_track"
    SLOW = "slow"
    NO_BETTER = "no_better"  # no better than the baseline (worse, or unchanged once time has passed)
    NO_DATA = "no_data"


class Light:
    """The dashboard's words: green at or on the way to the target, amber slow, red no better than the baseline."""

    GREEN = "verde"
    AMBER = "ambar"
    RED = "rojo"
    NO_DATA = "sin_datos"

    LABELS = {
        GREEN: _("En meta o en camino"),
        AMBER: _("Avanza, pero lento"),
        RED: _("Se aleja de la meta"),
        NO_DATA: _("Sin datos o sin meta"),
    }
    OF = {
        Standing.MET: GREEN,
        Standing.ON_TRACK: GREEN,
        Standing.SLOW: AMBER,
        Standing.NO_BETTER: RED,
        Standing.NO_DATA: NO_DATA,
    }


@dataclass(frozen=True)
class Target:
    value: Decimal
    year: int
    baseline_value: Decimal
    baseline_year: int
    description: str = ""

    @classmethod
    def of(cls, goal: Any) -> Target:
        """The target of a goal (``planning.Goal`` or anything with its fields), without importing planning."""
        return cls(
            value=goal.target_value,
            year=goal.target_year,
            baseline_value=goal.baseline_value,
            baseline_year=goal.baseline_year,
            description=goal.description,
        )


def standing(*, polarity: str, latest: Decimal | None, latest_year: int | None, target: Target | None) -> str:
    """Judge the latest value against a goal, respecting which way is better.

    No data without a value or a target, or with a value older than the baseline. Met when the value is at or past
    the target in the good direction. No better when it is worse than the baseline, or merely equal to it once time
    has passed (in the baseline year itself nothing is late yet). Otherwise on track when the share of the way
    covered is at least the share of the time elapsed, slow when it is less.
    """
    if latest is None or latest_year is None or target is None or latest_year < target.baseline_year:
        return Standing.NO_DATA
    better = 1 if polarity == Polarity.HIGHER_IS_BETTER else -1
    if better * (latest - target.value) >= 0:
        return Standing.MET
    gained = better * (latest - target.baseline_value)
    elapsed = _elapsed(target, latest_year)
    if gained < 0 or (gained == 0 and elapsed > 0):
        return Standing.NO_BETTER
    # Not met and no worse than the baseline: the target lies beyond the baseline in the good direction, so the
    # distance is not zero.
    covered = (latest - target.baseline_value) / (target.value - target.baseline_value)
    return Standing.ON_TRACK if covered >= elapsed else Standing.SLOW


def _elapsed(target: Target, year: int) -> Decimal:
    """Share of the time from the baseline to the target year gone by ``year`` (all of it when they coincide)."""
    span = target.year - target.baseline_year
    return Decimal(year - target.baseline_year) / span if span > 0 else Decimal(1)


class Trend:
    UP, DOWN, FLAT, NONE = "sube", "baja", "igual", "sin_datos"


@dataclass(frozen=True)
class TrendReading:
    direction: str
    improving: bool | None  # None when flat or unknown

    @property
    def label(self) -> str:
        if self.direction == Trend.NONE:
            return str(_("Sin periodo anterior"))
        if self.direction == Trend.FLAT:
            return str(_("Sin cambio"))
        word = _("Sube") if self.direction == Trend.UP else _("Baja")
        verdict = _("mejora") if self.improving else _("empeora")
        return f"{word}: {verdict}"

    @property
    def arrow(self) -> str:
        return {Trend.UP: "▲", Trend.DOWN: "▼", Trend.FLAT: "▬"}.get(self.direction, "·")


def trend(*, polarity: str, latest: Decimal | None, previous: Decimal | None) -> TrendReading:
    if latest is None or previous is None:
        return TrendReading(Trend.NONE, None)
    if latest == previous:
        return TrendReading(Trend.FLAT, None)
    up = latest > previous
    return TrendReading(Trend.UP if up else Trend.DOWN, up == (polarity == Polarity.HIGHER_IS_BETTER))
