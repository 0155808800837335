"""Rates the portal computes: an indicator defined as another indicator over a population, per 100, 1,000 or
100,000 (``Indicator.rate_numerator``, ``rate_denominator``, ``rate_per``).

A rate has a value for every territory, period and breakdown where both its numerator and its denominator have one
(a missing value or a zero population gives no rate); it is preliminary when either is. A category of a dimension
the denominator does not declare (crimes by type) is divided by the denominator's total. It is recomputed inside the
transaction of every write that changes its inputs (the import's save, a change of the definition), so a page
never shows a rate that disagrees with the values it comes from. Computed values keep history like loaded ones.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from indicators.breakdowns import key_pairs
from indicators.models import Dimension, Indicator, Observation, ObservationStatus

SIX_PLACES = Decimal("0.000001")
Key = tuple[int, str, str]  # territory, period, breakdown


def rate_value(numerator: Decimal, denominator: Decimal, per: int) -> Decimal:
    return (numerator * per / denominator).quantize(SIX_PLACES, rounding=ROUND_HALF_UP)


def rates_depending_on(indicator_ids: Iterable[int]) -> list[Indicator]:
    ids = list(indicator_ids)
    return list(
        Indicator.objects.filter(Q(rate_numerator__in=ids) | Q(rate_denominator__in=ids)).filter(
            rate_numerator__isnull=False, rate_denominator__isnull=False, rate_per__isnull=False
        )
    )


def rates_recompute(*, indicator_ids: Iterable[int], user_id: int | None = None, source: str = "") -> int:
    """Recompute every rate that depends on these indicators; how many stored rate values changed.

    Called inside the caller's transaction (the save of an import, the edit of a definition).
    """
    return sum(rate_recompute(rate=rate, user_id=user_id, source=source) for rate in rates_depending_on(indicator_ids))


def _values(indicator_id: int) -> dict[Key, Observation]:
    found = Observation.objects.filter(indicator_id=indicator_id).only(
        "territory_id", "period", "period_start", "breakdown", "value", "status"
    )
    return {(o.territory_id, o.period, o.breakdown): o for o in found}


def _total_for(key: Key, denominators: dict[Key, Observation], own: set[str]) -> Observation | None:
    """Crimes by type over the total population: a category of a dimension the denominator does not have is divided
    by the denominator's total (a category of one it has needs its own value: women over women)."""
    if not key[2] or any(dimension in own for dimension, _category in key_pairs(key[2])):
        return None
    return denominators.get((key[0], key[1], ""))


def rate_recompute(*, rate: Indicator, user_id: int | None = None, source: str = "") -> int:
    """Bring one rate's stored values in line with its inputs (three reads, then bulk writes with history)."""
    if not rate.is_rate:
        return 0
    numerators, denominators = _values(rate.rate_numerator_id), _values(rate.rate_denominator_id)  # type: ignore[arg-type]
    stored = {(o.territory_id, o.period, o.breakdown): o for o in Observation.objects.filter(indicator=rate)}
    reason = _("Calculada: %(numerator)s entre %(denominator)s, por cada %(per)s") % {
        "numerator": rate.rate_numerator.code,  # type: ignore[union-attr]
        "denominator": rate.rate_denominator.code,  # type: ignore[union-attr]
        "per": f"{rate.rate_per:,}",
    }
    own = set(Dimension.objects.filter(indicator=rate.rate_denominator_id).values_list("slug", flat=True))
    created, changed, keep = [], [], set()
    for key, n in numerators.items():
        d = denominators.get(key) or _total_for(key, denominators, own)
        if n.value is None or d is None or d.value is None or d.value == 0:
            continue
        value = rate_value(n.value, d.value, rate.rate_per)  # type: ignore[arg-type]
        preliminary = ObservationStatus.PRELIMINARY in (n.status, d.status)
        status = ObservationStatus.PRELIMINARY if preliminary else ObservationStatus.FINAL
        keep.add(key)
        old = stored.get(key)
        if old is None:
            created.append(
                Observation(
                    indicator=rate,
                    territory_id=key[0],
                    period=key[1],
                    breakdown=key[2],
                    period_start=n.period_start,
                    value=value,
                    status=status,
                    loaded_by_id=user_id,
                    source_file=source[:255],
                )
            )
        elif old.value != value or old.status != status:
            old.value, old.status, old.loaded_by_id, old.source_file = value, status, user_id, source[:255]
            changed.append(old)
    gone = [o.pk for key, o in stored.items() if key not in keep]
    if created:
        bulk_create_with_history(created, Observation, batch_size=1000, default_change_reason=reason)
    if changed:
        bulk_update_with_history(
            changed,
            Observation,
            ["value", "status", "loaded_by", "source_file"],
            batch_size=1000,
            default_change_reason=reason,
        )
    if gone:
        # An input disappeared or became «sin dato»: the rate no longer exists there. Deleted one by one so
        # that history records each removal (rare: a correction, not a load).
        for observation in Observation.objects.filter(pk__in=gone):
            observation._change_reason = reason  # type: ignore[attr-defined]  # read by django-simple-history
            observation.delete()
    return len(created) + len(changed) + len(gone)
