"""Reads of programmes' MIR: the classic table (Fin, Propósito, each Componente followed by its Actividades), each
indicator with its latest value against its farthest annual target under the one traffic-light rule
(``indicators.status``), and the flat rows of the open-data files.

Each read runs a fixed number of queries whatever the size of the MIR (tests assert it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, Prefetch, Subquery
from django.http import Http404

from implan.models import Territory
from indicators.models import Observation
from indicators.status import Light, Target, judged, standing
from planning.models import Programme
from planning.models.mir import MirIndicator, MirLevel, MirRow, level_rank


@dataclass(frozen=True)
class IndicatorProgress:
    """A MIR indicator with its latest judged value (None without data) and its light."""

    link: MirIndicator
    observation: Observation | None
    light: str

    @property
    def light_label(self) -> str:
        return str(Light.LABELS[self.light])

    @property
    def target(self) -> tuple[int, Decimal] | None:
        return self.link.last_target


@dataclass
class TableRow:
    row: MirRow
    indicators: list[IndicatorProgress] = field(default_factory=list)

    @property
    def is_activity(self) -> bool:
        return self.row.level == MirLevel.ACTIVIDAD


@dataclass
class ProgrammeProgress:
    programme: Programme
    indicators: list[IndicatorProgress]


def public_programme(code: str) -> Programme:
    """The published version of the programme with ``code``, or 404 (drafts and superseded versions are not public)."""
    programme = (
        Programme.objects.published()
        .filter(code=code)
        .select_related("strategy", "agency", "objective")
        .order_by("-version")
        .first()
    )
    if programme is None:
        raise Http404
    return programme


def _links(*, public: bool = False) -> Prefetch:
    links = (
        MirIndicator.objects.select_related("indicator__owner").prefetch_related("variables").order_by("order", "pk")
    )
    # An indicator withdrawn from the catalogue after the programme's approval leaves the public pages and files.
    return Prefetch("indicators", queryset=links.filter(indicator__is_published=True) if public else links)


def _in_table_order(rows: Iterable[MirRow]) -> list[MirRow]:
    """Fin, Propósito, then each Componente followed by its own Actividades."""
    rows = list(rows)
    activities: dict[int, list[MirRow]] = defaultdict(list)
    for row in rows:
        if row.parent_id:
            activities[row.parent_id].append(row)
    ordered = []
    for row in rows:
        if row.level != MirLevel.ACTIVIDAD:
            ordered.append(row)
            ordered += activities.get(row.pk, [])
    return ordered


def latest_observations(indicator_ids: Iterable[int], *, until_year: int | None = None) -> dict[int, Observation]:
    """The newest judged value of each indicator for the home municipality (two queries)."""
    municipality = Territory.objects.home_municipality().first()
    series = judged(Observation.objects.filter(territory=municipality))
    if until_year is not None:
        series = series.filter(period_start__year__lte=until_year)
    # Only the newest of each indicator leaves the database, however long its series.
    newest = series.filter(indicator=OuterRef("indicator")).order_by("-period_start", "-pk").values("pk")[:1]
    observations = series.filter(indicator__in=list(indicator_ids), pk=Subquery(newest))
    return {observation.indicator_id: observation for observation in observations}


def progress_of(link: MirIndicator, observation: Observation | None) -> IndicatorProgress:
    """The one judgement of ``indicators.status``: the latest value against the farthest annual target."""
    target = link.last_target
    if target is None or link.baseline_value is None or link.baseline_year is None:
        goal = None
    else:
        goal = Target(
            value=target[1], year=target[0], baseline_value=link.baseline_value, baseline_year=link.baseline_year
        )
    result = standing(
        polarity=link.indicator.polarity,
        latest=observation.value if observation else None,
        latest_year=observation.period_start.year if observation else None,
        target=goal,
    )
    return IndicatorProgress(link, observation, Light.OF[result])


def mir_table(programme: Programme, *, until_year: int | None = None, public: bool = False) -> list[TableRow]:
    """The programme's MIR as the classic table, each indicator with its variables and progress (five queries);
    ``public``: only the indicators published in the catalogue."""
    rows = _in_table_order(
        programme.mir_rows.in_table_order().select_related("parent").prefetch_related(_links(public=public))
    )
    latest = latest_observations(
        {link.indicator_id for row in rows for link in row.indicators.all()}, until_year=until_year
    )
    return [
        TableRow(row, [progress_of(link, latest.get(link.indicator_id)) for link in row.indicators.all()])
        for row in rows
    ]


def published_mir_links() -> Any:
    """Every indicator link of the published programmes' MIR, with what the files and reports show."""
    return (
        MirIndicator.objects.filter(row__programme__in=Programme.objects.published(), indicator__is_published=True)
        .select_related("row__programme__agency", "row__parent", "indicator__owner")
        .alias(level_rank=level_rank("row__"))
        .order_by("row__programme__code", "level_rank", "row__parent__order", "row__order", "order", "pk")
    )


def mir_progress(*, until_year: int | None = None) -> list[ProgrammeProgress]:
    """Each published programme with a MIR and its indicators' progress up to ``until_year`` (three queries): the
    section of the annual report and the evaluation."""
    links = list(published_mir_links())
    latest = latest_observations({link.indicator_id for link in links}, until_year=until_year)
    rank = {level: i for i, level in enumerate(MirLevel.values)}
    by_programme: dict[int, ProgrammeProgress] = {}
    for link in sorted(links, key=lambda i: (i.row.programme.code, rank[i.row.level], i.row.order, i.order)):
        programme = link.row.programme
        group = by_programme.setdefault(programme.pk, ProgrammeProgress(programme, []))
        group.indicators.append(progress_of(link, latest.get(link.indicator_id)))
    return list(by_programme.values())


def programmes_with_mir(programmes: Iterable[Programme]) -> set[int]:
    """Which of ``programmes`` have a MIR (one query): their public pages link it."""
    return set(MirRow.objects.filter(programme__in=[p.pk for p in programmes]).values_list("programme_id", flat=True))
