"""Server-rendered SVG charts: geometry here, markup in templates/indicators/partials/*.svg.html.

No JavaScript and nothing from a CDN: the page carries its charts, which print and read without scripts, and
each chart has its data table and a text alternative beside it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

from indicators.templatetags.indicator_numbers import number

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 70, 20, 20, 40


@dataclass
class Point:
    x: float
    y: float
    label: str
    value: Decimal
    preliminary: bool = False


@dataclass
class Gap:
    """A period without a value («sin dato»): marked on the axis, and the line breaks there."""

    x: float
    label: str


@dataclass
class Tick:
    position: float
    label: str


@dataclass
class LineChart:
    width: int = WIDTH
    height: int = HEIGHT
    points: list[Point] = field(default_factory=list)
    path: str = ""
    y_ticks: list[Tick] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    target_y: float | None = None
    target_label: str = ""
    gaps: list[Gap] = field(default_factory=list)
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    plot_bottom: int = HEIGHT - BOTTOM


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high] (1, 2, 2.5 or 5 times a power of ten)."""
    if high == low:
        high, low = high + (abs(high) or 1), low - (abs(low) or 1)
    raw = (high - low) / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    ticks, value = [], start
    while value < high + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    return ticks


def line_chart(
    series: list[tuple[str, Decimal | None]] | list[tuple[str, Decimal | None, bool]],
    *,
    target: Decimal | None = None,
    target_label: str = "",
    width: int = WIDTH,
    height: int = HEIGHT,
) -> LineChart:
    """Coordinates of a time series (in period order) and an optional horizontal target line.

    Each item is (period, value) or (period, value, preliminary). A value of None is a gap: no point, the line
    breaks, and the period is marked «sin dato» on the axis. A preliminary point is drawn hollow.
    """
    chart = LineChart(width=width, height=height, plot_right=width - RIGHT, plot_bottom=height - BOTTOM)
    if not series:
        return chart
    present = [float(item[1]) for item in series if item[1] is not None]
    values = present + ([float(target)] if target is not None else [])
    if not values:
        values = [0.0]
    ticks = nice_ticks(min(values), max(values))
    low, high = ticks[0], ticks[-1]
    plot_w, plot_h = chart.plot_right - LEFT, chart.plot_bottom - TOP

    def y_of(value: float) -> float:
        return round(chart.plot_bottom - (value - low) / (high - low) * plot_h, 1)

    step = plot_w / max(len(series) - 1, 1)
    segments: list[list[Point]] = [[]]
    positions = []
    for index, item in enumerate(series):
        label, value = item[0], item[1]
        x = round(LEFT + (index * step if len(series) > 1 else plot_w / 2), 1)
        positions.append(Tick(x, label))
        if value is None:
            chart.gaps.append(Gap(x, label))
            segments.append([])
            continue
        point = Point(x, y_of(float(value)), label, value, bool(item[2]) if len(item) > 2 else False)  # type: ignore[misc]
        chart.points.append(point)
        segments[-1].append(point)
    chart.path = " ".join("M" + " L".join(f"{p.x},{p.y}" for p in segment) for segment in segments if segment)
    chart.y_ticks = [Tick(y_of(t), number(Decimal(str(t)))) for t in ticks]
    every = max(1, math.ceil(len(series) / 12))  # at most a dozen period labels
    chart.x_ticks = [t for i, t in enumerate(positions) if i % every == 0 or i == len(series) - 1]
    if target is not None:
        chart.target_y, chart.target_label = y_of(float(target)), target_label
    return chart


@dataclass
class Bar:
    label: str
    value: Decimal
    y: float
    x: float  # where the bar starts
    length_percent: float  # of the plot width
    highlighted: bool = False


@dataclass
class BarChart:
    bars: list[Bar] = field(default_factory=list)
    height: int = 0
    zero_percent: float = 0.0


BAR_ROW = 26


def bar_chart(rows: list[tuple[str, Decimal, bool]]) -> BarChart:
    """Horizontal bars for a comparison across territories; lengths as SVG percentages of the plot."""
    if not rows:
        return BarChart()
    values = [float(v) for _, v, _ in rows]
    low, high = min(0.0, min(values)), max(0.0, max(values))
    span = (high - low) or 1.0
    zero = (0 - low) / span * 100
    bars = []
    for index, (label, value, highlighted) in enumerate(rows):
        share = abs(float(value)) / span * 100
        start = zero if value >= 0 else zero - share
        bars.append(Bar(label, value, index * BAR_ROW, round(start, 2), round(share, 2), highlighted))
    return BarChart(bars=bars, height=len(rows) * BAR_ROW, zero_percent=round(zero, 2))


def sparkline(values: list[Decimal], *, width: int = 120, height: int = 28) -> str:
    """The path of a small trend line (no axes), for the dashboard's cards."""
    if len(values) < 2:
        return ""
    low, high = float(min(values)), float(max(values))
    span = (high - low) or 1.0
    step = (width - 4) / (len(values) - 1)
    points = [(2 + i * step, height - 2 - (float(v) - low) / span * (height - 4)) for i, v in enumerate(values)]
    return "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in points)
