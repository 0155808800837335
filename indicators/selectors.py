"""Reads behind the indicator pages; each runs a fixed number of queries however many observations there are."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import F, Max, Prefetch, QuerySet, Window
from django.db.models.functions import RowNumber

from implan.models import LifecycleState, Territory, TerritoryKind
from indicators.breakdowns import labels_for
from indicators.charts import sparkline
from indicators.models import Family, Indicator, Observation
from indicators.status import Light, Target, TrendReading, split_judged, standing, trend

SPARK_POINTS = 12


def _goal_model() -> Any:
    """planning.Goal, reached through the reverse relation so this app never imports planning."""
    return Indicator._meta.get_field("goals").related_model


def published_goals() -> Prefetch:
    """Targets the public may see: goals of published plans, soonest target year first."""
    goals = (
        _goal_model()
        .objects.filter(objective__strategy__plan__state=LifecycleState.PUBLISHED)
        .order_by("target_year", "-pk")
    )
    return Prefetch("goals", queryset=goals, to_attr="public_goals")


def target_for(indicator: Indicator, *, year: int | None) -> Target | None:
    """The goal to judge ``indicator`` by: the first whose target year is not past, else the last one."""
    goals = getattr(indicator, "public_goals", [])
    if not goals:
        return None
    return Target.of(next((g for g in goals if year is None or g.target_year >= year), goals[-1]))


def default_territory() -> Territory | None:
    return Territory.objects.home_municipality().first()


def territory_choices() -> list[Territory]:
    """The territories with data: a loaded national catalogue (300,000 localities) must not fill the list."""
    with_data = Observation.objects.values("territory_id")
    return list(Territory.objects.filter(pk__in=with_data).only("pk", "code", "name", "kind").order_by("kind", "name"))


def themes() -> list[str]:
    return list(
        Indicator.objects.published().exclude(theme="").values_list("theme", flat=True).distinct().order_by("theme")
    )


# --- Dashboard -------------------------------------------------------------------------------------------------


@dataclass
class IndicatorCard:
    indicator: Indicator
    latest: Observation | None
    trend: TrendReading
    light: str
    target: Target | None
    spark: list[Observation] = field(default_factory=list)
    left_out: Observation | None = None  # a newer preliminary value, shown but not judged (indicators.status)

    @property
    def light_label(self) -> str:
        return str(Light.LABELS[self.light])

    @property
    def spark_path(self) -> str:
        return sparkline([o.value for o in self.spark if o.value is not None])


@dataclass
class FamilyGroup:
    family: str
    label: str
    cards: list[IndicatorCard]


def recent_observations(indicators: list[Indicator], territory: Territory, *, last: int) -> dict[int, list]:
    """The ``last`` most recent observations of each indicator for ``territory``, oldest first (one query)."""
    ranked = (
        Observation.objects.totals()
        .filter(indicator__in=[i.pk for i in indicators], territory=territory)
        .annotate(rank=Window(RowNumber(), partition_by=[F("indicator_id")], order_by=F("period_start").desc()))
        .filter(rank__lte=last)
        .order_by("indicator_id", "period_start")
    )
    found: dict[int, list] = {}
    for observation in ranked:
        found.setdefault(observation.indicator_id, []).append(observation)
    return found


def card_for(indicator: Indicator, series: list[Observation]) -> IndicatorCard:
    """Latest judged value, trend and light from a series of totals (oldest first): preliminary and missing values
    are left out by the one rule of ``indicators.status``."""
    kept, left_out = split_judged(series)
    latest = kept[-1] if kept else None
    previous = kept[-2] if len(kept) > 1 else None
    year = latest.period_start.year if latest else None
    target = target_for(indicator, year=year)
    return IndicatorCard(
        indicator=indicator,
        latest=latest,
        spark=series,
        target=target,
        left_out=left_out,
        trend=trend(
            polarity=indicator.polarity,
            latest=latest.value if latest else None,
            previous=previous.value if previous else None,
        ),
        light=Light.OF[
            standing(
                polarity=indicator.polarity, latest=latest.value if latest else None, latest_year=year, target=target
            )
        ],
    )


def dashboard(*, territory: Territory | None, theme: str = "", family: str = "") -> list[FamilyGroup]:
    """Published indicators by family, each with latest value, trend and traffic light for ``territory``."""
    indicators = list(
        Indicator.objects.published()
        .of_theme(theme)
        .of_family(family)
        .prefetch_related(published_goals())
        .order_by("family", "code")
    )
    series = recent_observations(indicators, territory, last=SPARK_POINTS) if territory else {}
    groups = []
    for value, label in Family.choices:
        cards = [card_for(i, series.get(i.pk, [])) for i in indicators if i.family == value]
        if cards:
            groups.append(FamilyGroup(value, str(label), cards))
    return groups


# --- One indicator ---------------------------------------------------------------------------------------------


def public_indicator(slug: str) -> Indicator | None:
    return (
        Indicator.objects.published()
        .select_related("owner", "rate_numerator", "rate_denominator")
        .prefetch_related("sdg_codes", published_goals())
        .filter(slug=slug)
        .first()
    )


def public_indicator_related() -> tuple[Any, ...]:
    """What the indicator's public page reads of it besides its own fields and its SDG codes (one indicator: the
    template's own read of those is the one query a prefetch would make)."""
    return (published_goals(),)


def territories_with_data(indicator: Indicator) -> list[Territory]:
    ids = Observation.objects.filter(indicator=indicator).values("territory_id").distinct()
    return list(Territory.objects.filter(pk__in=ids).only("pk", "code", "name", "kind").order_by("kind", "name"))


def series(indicator: Indicator, territory: Territory) -> list[Observation]:
    """The indicator's totals for ``territory``, oldest first, missing and preliminary values included."""
    return list(Observation.objects.totals().filter(indicator=indicator, territory=territory).order_by("period_start"))


@dataclass
class BreakdownSeries:
    key: str
    label: str
    points: list[Observation]


def breakdown_series(indicator: Indicator, territory: Territory) -> list[BreakdownSeries]:
    """One series per combination of categories (not the total) for ``territory``, in category order (3 queries)."""
    found = Observation.objects.filter(indicator=indicator, territory=territory).exclude(breakdown="")
    by_key: dict[str, list[Observation]] = {}
    for observation in found.order_by("breakdown", "period_start"):
        by_key.setdefault(observation.breakdown, []).append(observation)
    if not by_key:
        return []
    labels = labels_for([indicator.pk])
    keys = sorted(by_key, key=lambda key: (labels.sort_key(indicator.pk, key), key))
    return [BreakdownSeries(key, labels.of(indicator.pk, key), by_key[key]) for key in keys]


@dataclass
class Comparison:
    period: str
    kind: str
    kinds: list[tuple[str, str]]
    rows: list[Observation]


def comparison(indicator: Indicator, *, kind: str = "") -> Comparison | None:
    """The latest period's values across territories of one kind (three queries)."""
    values = Observation.objects.totals().filter(indicator=indicator, value__isnull=False)
    latest = values.aggregate(start=Max("period_start"))["start"]
    if latest is None:
        return None
    at_latest = values.filter(period_start=latest)
    present = set(at_latest.values_list("territory__kind", flat=True).distinct())
    kinds = [(value, str(label)) for value, label in TerritoryKind.choices if value in present]
    if kind not in present:
        # The municipality alone compares with nothing: prefer its subdivisions when they have data.
        kind = next((k for k, _ in kinds if k != TerritoryKind.MUNICIPIO), kinds[0][0])
    rows = list(
        at_latest.filter(territory__kind=kind).select_related("territory").order_by("-value", "territory__name")
    )
    return Comparison(period=rows[0].period if rows else "", kind=kind, kinds=kinds, rows=rows)


@dataclass
class BreakdownTable:
    labels: list[str]
    rows: list[tuple[str, list[Observation | None]]]  # period, then one cell per category combination


def breakdown_table(breakdowns: list[BreakdownSeries]) -> BreakdownTable | None:
    """The small multiples' data as one table: a row per period, a column per category combination."""
    if not breakdowns:
        return None
    starts: dict[str, Any] = {}
    cells: dict[tuple[str, int], Observation] = {}
    for column, part in enumerate(breakdowns):
        for o in part.points:
            starts.setdefault(o.period, o.period_start)
            cells[(o.period, column)] = o
    periods = sorted(starts, key=starts.__getitem__)
    rows = [(p, [cells.get((p, column)) for column in range(len(breakdowns))]) for p in periods]
    return BreakdownTable([b.label for b in breakdowns], rows)


def observations_for_export(
    *,
    indicators: QuerySet[Indicator],
    territories: list[Territory] | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
) -> QuerySet[Observation]:
    """A selection of observations, ready to stream (no per-row queries)."""
    selection = Observation.objects.filter(indicator__in=indicators)
    if territories:
        selection = selection.filter(territory__in=territories)
    if year_from:
        selection = selection.filter(period_start__year__gte=year_from)
    if year_to:
        selection = selection.filter(period_start__year__lte=year_to)
    return selection.select_related("indicator", "territory").order_by(
        "indicator__code", "territory__code", "period_start"
    )


def summary_sentence(indicator: Indicator, points: list[Observation], target: Target | None) -> dict[str, Any]:
    """The facts of the text alternative of the chart: first and last values, lowest and highest, target."""
    points = [o for o in points if o.value is not None]
    if not points:
        return {}
    low = min(points, key=lambda o: o.value)
    high = max(points, key=lambda o: o.value)
    return {"first": points[0], "last": points[-1], "low": low, "high": high, "target": target, "count": len(points)}


def as_decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value)
