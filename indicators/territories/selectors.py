"""Reads about territories: the open-data catalogue, the comparison of an indicator across levels, the map."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Max

from implan.licence import open_data_licence
from implan.models import Territory, TerritoryKind
from indicators.models import Indicator, Observation

CATALOGUE_HEADER = [
    "clave",
    "nombre",
    "nivel",
    "clave_padre",
    "clave_inegi",
    "cve_ent",
    "cve_mun",
    "cve_loc",
    "ambito",
    "latitud",
    "longitud",
    "poblacion",
    "anio_poblacion",
    "fuente_poblacion",
    "tiene_limite",
    "fuente_limite",
]
_CATALOGUE_FIELDS = (
    "code",
    "name",
    "kind",
    "parent__code",
    "inegi_code",
    "cve_ent",
    "cve_mun",
    "cve_loc",
    "area_type",
    "latitude",
    "longitude",
    "population",
    "population_year",
    "population_source",
    "bbox",
    "boundary_source",
)


def catalogue_rows() -> Iterator[list[Any]]:
    """Every territory, parents first (by level), streamed from one query: 300,000 localities never sit in memory."""
    order = {kind: index for index, kind in enumerate(TerritoryKind.values)}
    for kind in sorted(order, key=order.__getitem__):
        rows = (
            Territory.objects.filter(kind=kind)
            .order_by("code")
            .values_list(*_CATALOGUE_FIELDS)
            .iterator(chunk_size=5000)
        )
        for row in rows:
            values = list(row)
            values[14] = "sí" if values[14] is not None else "no"
            values[3] = values[3] or ""
            yield values


def catalogue_json_chunks() -> Iterator[str]:
    """The same catalogue as one JSON document, written as it is read."""
    licence = open_data_licence()
    head = {
        "titulo": "Catálogo de territorios",
        "licencia": {"nombre": licence.title, "url": licence.url},
        "niveles": [{"clave": value, "nombre": str(label)} for value, label in TerritoryKind.choices],
    }
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "territorios": ['
    first = True
    for values in catalogue_rows():
        record = dict(zip(CATALOGUE_HEADER, values, strict=True))
        record["tiene_limite"] = values[14] == "sí"
        for key in ("latitud", "longitud"):
            record[key] = float(record[key]) if record[key] is not None else None
        yield ("" if first else ",\n") + json.dumps(record, ensure_ascii=False)
        first = False
    yield "]}\n"


# --- Comparison of an indicator across levels ------------------------------------------------------------------


@dataclass
class ComparisonTable:
    territories: list[Territory]
    periods: list[str]
    values: dict[tuple[str, int], Decimal | None] = field(default_factory=dict)  # None: «sin dato»
    latest: str = ""
    others: list[Territory] = field(default_factory=list)

    def rows(self) -> list[tuple[str, list[Decimal | None]]]:
        return [(period, [self.values.get((period, t.pk)) for t in self.territories]) for period in self.periods]


def home_and_ancestors() -> list[Territory]:
    """The portal's municipality, its state and its country (as far as they are loaded), in one query."""
    home = Territory.objects.filter(pk__in=Territory.objects.home_municipality().values("pk"))
    chain: list[Territory] = []
    node = home.select_related("parent__parent").first()
    while node is not None and len(chain) < 3:
        chain.append(node)
        node = node.parent
    return chain


def comparison_table(indicator: Indicator, *, chosen: list[str], last: int = 10) -> ComparisonTable:
    """The municipality beside its state and the country, and beside other municipalities chosen by code, for the
    periods where any of them has a value (the last ``last``). Four queries whatever the number of territories."""
    chain = home_and_ancestors()
    with_data = Observation.objects.totals().filter(indicator=indicator).values("territory_id")
    others = list(
        Territory.objects.filter(kind=TerritoryKind.MUNICIPIO, pk__in=with_data)
        .exclude(pk__in=[t.pk for t in chain])
        .only("pk", "code", "name", "kind")
        .order_by("name")
    )
    picked = [t for t in others if t.code in set(chosen)]
    territories = [t for t in chain if t.pk] + picked
    observations = list(
        # The totals: a breakdown's categories are on the indicator's page, not beside other territories.
        Observation.objects.totals()
        .filter(indicator=indicator, territory__in=territories)
        .values_list("period", "period_start", "territory_id", "value")
    )
    order = {period: start for period, start, _t, _v in observations}
    periods = sorted(order, key=order.__getitem__)[-last:]
    present = {territory for _p, _s, territory, _v in observations}
    table = ComparisonTable(
        territories=[t for t in territories if t.pk in present],
        periods=periods,
        values={(period, territory): value for period, _s, territory, value in observations},
        others=others,
    )
    home_periods = [p for p in periods if chain and (p, chain[0].pk) in table.values]
    table.latest = home_periods[-1] if home_periods else (periods[-1] if periods else "")
    return table


def latest_by_territory(indicator: Indicator) -> dict[int, Observation]:
    """The latest value of the indicator in each territory, for the map (two queries)."""
    totals = Observation.objects.totals().filter(indicator=indicator)
    latest = totals.aggregate(start=Max("period_start"))["start"]
    if latest is None:
        return {}
    rows = totals.filter(period_start=latest).select_related("territory")
    return {o.territory_id: o for o in rows}
