"""When each indicator's next value is due: from its frequency, its latest period and the source's publication lag.

An annual indicator with data up to 2024 whose source publishes in March (a lag of 3 months) expects 2025's value by
31 March 2026. The planner's home lists what is overdue or due within ``SOON_DAYS``; the public «calendario de
actualización» lists every published indicator; the responsible person is reminded by e-mail (services).
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from django.db.models import Max, Q
from django.utils.translation import gettext_lazy as _

from indicators.models import Frequency, Indicator

SOON_DAYS = 30
MONTHS = {
    Frequency.MONTHLY: 1,
    Frequency.QUARTERLY: 3,
    Frequency.HALF_YEARLY: 6,
    Frequency.YEARLY: 12,
    Frequency.FIVE_YEARLY: 60,
    Frequency.TEN_YEARLY: 120,
}


class DueState:
    OVERDUE = "vencido"
    SOON = "proximo"
    ON_TIME = "al_dia"
    NO_DATA = "sin_datos"

    LABELS = {
        OVERDUE: _("Vencido"),
        SOON: _("Vence pronto"),
        ON_TIME: _("Al día"),
        NO_DATA: _("Sin datos todavía"),
    }


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, or the month's last day when it has fewer days."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def period_label(start: datetime.date, frequency: str) -> str:
    """The period as people write it (2024, 2024-S1, 2024-T3, 2024-03)."""
    if frequency == Frequency.HALF_YEARLY:
        return f"{start.year}-S{(start.month - 1) // 6 + 1}"
    if frequency == Frequency.QUARTERLY:
        return f"{start.year}-T{(start.month - 1) // 3 + 1}"
    if frequency == Frequency.MONTHLY:
        return f"{start.year}-{start.month:02d}"
    return str(start.year)


def next_due(*, frequency: str, lag_months: int, latest_start: datetime.date) -> tuple[datetime.date, datetime.date]:
    """(start of the next period, the date its value is due): the next period's last day plus the lag."""
    months = MONTHS[Frequency(frequency)]
    following = add_months(latest_start, months)
    last_day = add_months(following, months) - datetime.timedelta(days=1)
    due = add_months(last_day.replace(day=1), lag_months)
    return following, due.replace(day=calendar.monthrange(due.year, due.month)[1])


@dataclass(frozen=True)
class CalendarRow:
    indicator: Indicator
    latest: str
    next_period: str
    due: datetime.date | None
    state: str
    days: int | None  # days until due (negative: overdue)

    @property
    def state_label(self) -> str:
        return str(DueState.LABELS[self.state])


def row_for(indicator: Indicator, latest_start: datetime.date | None, *, today: datetime.date) -> CalendarRow:
    if latest_start is None:
        return CalendarRow(indicator, "", "", None, DueState.NO_DATA, None)
    following, due = next_due(
        frequency=indicator.frequency, lag_months=indicator.publication_lag_months, latest_start=latest_start
    )
    days = (due - today).days
    state = DueState.OVERDUE if days < 0 else DueState.SOON if days <= SOON_DAYS else DueState.ON_TIME
    return CalendarRow(
        indicator,
        period_label(latest_start, indicator.frequency),
        period_label(following, indicator.frequency),
        due,
        state,
        days,
    )


def update_calendar(*, today: datetime.date, published_only: bool = True) -> list[CalendarRow]:
    """Every indicator loaded from files (not the rates the portal computes), soonest due first (one query)."""
    indicators = (
        Indicator.objects.filter(rate_per__isnull=True)
        .annotate(latest=Max("observations__period_start", filter=Q(observations__breakdown="")))
        .select_related("owner", "responsible_person")
        .order_by("code")
    )
    if published_only:
        indicators = indicators.filter(is_published=True)
    rows = [row_for(i, i.latest, today=today) for i in indicators]  # type: ignore[attr-defined]
    never = datetime.date.max
    return sorted(rows, key=lambda r: (r.state == DueState.NO_DATA, r.due or never, r.indicator.code))


def needing_attention(*, today: datetime.date) -> list[CalendarRow]:
    """What the planner's home lists: overdue and due within SOON_DAYS, including unpublished indicators."""
    return [
        r for r in update_calendar(today=today, published_only=False) if r.state in (DueState.OVERDUE, DueState.SOON)
    ]
