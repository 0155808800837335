"""The update calendar: from the last period an obligation reported and its frequency, the next period it owes, the
day it is due and whether it is late. The Lineamientos técnicos generales give 30 natural days after a period ends
to publish it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from implan.portal.transparency.periods import next_quarter, next_year, quarter_of, year_of

GRACE_DAYS = 30


class DueState(models.TextChoices):
    CURRENT = "al_dia", _("Al día")
    DUE = "por_actualizar", _("Por actualizar")
    OVERDUE = "vencida", _("Vencida")


@dataclass(frozen=True)
class Due:
    """The next period an obligation must report, the last day to publish it, and where today stands."""

    start: datetime.date
    end: datetime.date
    deadline: datetime.date
    state: DueState

    @property
    def is_overdue(self) -> bool:
        return self.state == DueState.OVERDUE


def next_period(*, yearly: bool, last_end: datetime.date | None, today: datetime.date) -> tuple[datetime.date, ...]:
    """The period after ``last_end``; with nothing reported yet, the last period that has already ended."""
    if last_end is None:
        current_start = (year_of if yearly else quarter_of)(today)[0]
        return (year_of if yearly else quarter_of)(current_start - datetime.timedelta(days=1))
    return (next_year if yearly else next_quarter)(last_end)


def due_for(*, yearly: bool, last_end: datetime.date | None, today: datetime.date) -> Due:
    """Per session and quarterly obligations are published each quarter; yearly ones each year."""
    start, end = next_period(yearly=yearly, last_end=last_end, today=today)
    deadline = end + datetime.timedelta(days=GRACE_DAYS)
    if today > deadline:
        state = DueState.OVERDUE
    elif today > end:
        state = DueState.DUE
    else:
        state = DueState.CURRENT
    return Due(start=start, end=end, deadline=deadline, state=state)
