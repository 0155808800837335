"""Periods of observations as people write them: 2024, 2024-S1, 2024-T3, 2024-03."""

import datetime
import re

from indicators.models import Frequency

_PATTERNS = {
    Frequency.YEARLY: re.compile(r"^(?P<year>\d{4})$"),
    Frequency.FIVE_YEARLY: re.compile(r"^(?P<year>\d{4})$"),
    Frequency.TEN_YEARLY: re.compile(r"^(?P<year>\d{4})$"),
    Frequency.HALF_YEARLY: re.compile(r"^(?P<year>\d{4})-S(?P<part>[12])$"),
    Frequency.QUARTERLY: re.compile(r"^(?P<year>\d{4})-T(?P<part>[1-4])$"),
    Frequency.MONTHLY: re.compile(r"^(?P<year>\d{4})-(?P<part>0[1-9]|1[0-2])$"),
}
_MONTHS_PER_PART = {Frequency.HALF_YEARLY: 6, Frequency.QUARTERLY: 3, Frequency.MONTHLY: 1}


def period_start(period: str, frequency: str) -> datetime.date:
    """First day of ``period``; ValueError when the period does not fit the frequency."""
    match = _PATTERNS[Frequency(frequency)].match(period.strip())
    if not match:
        raise ValueError(period)
    year = int(match["year"])
    part = match.groupdict().get("part")
    if part is None:
        return datetime.date(year, 1, 1)
    month = (int(part) - 1) * _MONTHS_PER_PART[Frequency(frequency)] + 1
    return datetime.date(year, month, 1)
