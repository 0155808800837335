"""Breakdowns of an indicator (sexo, grupo de edad…): the canonical key an observation carries, and its labels.

An observation's ``breakdown`` is «dimension=category» pairs joined by «;», in the order of the dimension slugs,
so the same categories always give the same key whatever the column order of the file: «grupo-de-edad=0-14;
sexo=mujeres». The empty key is the total. A dimension left empty in a row is summed over (a census table by sex
only is a breakdown by sex, totalled over ages).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from indicators.models import Category, Dimension

TOTAL = ""


def breakdown_key(pairs: Iterable[tuple[str, str]]) -> str:
    """The canonical key of (dimension slug, category slug) pairs; "" (the total) when there are none."""
    return ";".join(f"{dimension}={category}" for dimension, category in sorted(pairs))


def key_pairs(key: str) -> list[tuple[str, str]]:
    if not key:
        return []
    return [tuple(part.split("=", 1)) for part in key.split(";")]  # type: ignore[misc]


@dataclass(frozen=True)
class Labels:
    """The names people read for the keys of some indicators' observations (two queries, see ``labels_for``)."""

    dimensions: dict[tuple[int, str], str]  # (indicator id, dimension slug) → name
    categories: dict[tuple[int, str, str], str]  # (indicator id, dimension slug, category slug) → label
    order: dict[tuple[int, str, str], tuple[int, int]]  # same key → (dimension order, category order)

    def sort_key(self, indicator_id: int, key: str) -> list[tuple[int, int]]:
        """Keys in the order the categories were declared (Mujeres before Hombres if so declared), not by slug."""
        far = (1 << 15, 1 << 15)
        return sorted(self.order.get((indicator_id, d, c), far) for d, c in key_pairs(key))

    def of(self, indicator_id: int, key: str) -> str:
        """«Sexo: mujeres · Grupo de edad: 0 a 14 años»; "" for the total."""
        return " · ".join(
            f"{self.dimensions.get((indicator_id, d), d).capitalize()}: {self.categories.get((indicator_id, d, c), c)}"
            for d, c in key_pairs(key)
        )


def labels_for(indicator_ids: Iterable[int]) -> Labels:
    ids = list(indicator_ids)
    dimensions = {(d.indicator_id, d.slug): d.name for d in Dimension.objects.filter(indicator__in=ids)}
    found = list(Category.objects.filter(dimension__indicator__in=ids).select_related("dimension"))
    categories = {(c.dimension.indicator_id, c.dimension.slug, c.slug): c.label for c in found}
    order = {(c.dimension.indicator_id, c.dimension.slug, c.slug): (c.dimension.order, c.order) for c in found}
    return Labels(dimensions, categories, order)
