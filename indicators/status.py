"""How an indicator is doing: its trend and its traffic light against the goal target, respecting polarity.

Targets belong to the planning app (planning.Goal points at Indicator as ``goals``); this module receives plain
numbers so ``indicators`` never imports ``planning``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from indicators.models import Polarity


class Light:
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


@dataclass(frozen=True)
class Target:
    value: Decimal
    year: int
    baseline_value: Decimal
    baseline_year: int
    description: str = ""


def light(*, polarity: str, latest: Decimal | None, latest_year: int | None, target: Target | None) -> str:
    """Green when the target is met or the way covered keeps pace with the time elapsed; amber when it improves on
    the baseline but too slowly; red when it is no better than the baseline; no data without a value or a target.
    """
    if latest is None or latest_year is None or target is None or latest_year < target.baseline_year:
        return Light.NO_DATA
    sign = 1 if polarity == Polarity.HIGHER_IS_BETTER else -1
    if sign * (latest - target.value) >= 0:
        return Light.GREEN
    distance = target.value - target.baseline_value
    covered = (latest - target.baseline_value) / distance if distance else Decimal(0)
    if covered <= 0:
        return Light.RED
    span = target.year - target.baseline_year
    elapsed = Decimal(latest_year - target.baseline_year) / span if span > 0 else Decimal(1)
    return Light.GREEN if covered >= elapsed else Light.AMBER


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
