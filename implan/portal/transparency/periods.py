"""The periods an obligation reports: quarters and calendar years."""

from __future__ import annotations

import datetime


def quarter_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """First and last day of the quarter holding ``day``."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = datetime.date(day.year, first_month, 1)
    return start, _end_of_quarter_starting(start)


def year_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    return datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31)


def next_quarter(end: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The quarter after the one ending on ``end``."""
    return quarter_of(end + datetime.timedelta(days=1))


def next_year(end: datetime.date) -> tuple[datetime.date, datetime.date]:
    return year_of(datetime.date(end.year + 1, 1, 1))


def _end_of_quarter_starting(start: datetime.date) -> datetime.date:
    if start.month == 10:
        return datetime.date(start.year, 12, 31)
    return datetime.date(start.year, start.month + 3, 1) - datetime.timedelta(days=1)
