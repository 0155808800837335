"""Each obligation as its pages and the planner's due list show it: its records, the period they cover, the last
update and what is due next."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.http import Http404
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext

from implan.formatting import long_date
from implan.portal.transparency.calendar import Due, due_for
from implan.portal.transparency.obligations import BY_SLUG, OBLIGATIONS, Frequency, Obligation
from implan.portal.transparency.records import PortalLink, Record


@dataclass(frozen=True)
class ObligationStatus:
    obligation: Obligation
    records: list[Record]
    due: Due

    @property
    def first_start(self) -> datetime.date | None:
        return min((r.start for r in self.records), default=None)

    @property
    def last_end(self) -> datetime.date | None:
        return max((r.end for r in self.records), default=None)

    @property
    def updated(self) -> datetime.date | None:
        return max((r.updated for r in self.records), default=None)


def obligation_status(obligation: Obligation, *, today: datetime.date | None = None) -> ObligationStatus:
    """The obligation's records (read once) and its due period, derived from the last period they report."""
    found = obligation.read()
    last_end = max((r.end for r in found), default=None)
    due = due_for(
        yearly=obligation.frequency == Frequency.YEARLY, last_end=last_end, today=today or timezone.localdate()
    )
    return ObligationStatus(obligation=obligation, records=found, due=due)


def all_statuses(*, today: datetime.date | None = None) -> list[ObligationStatus]:
    return [obligation_status(o, today=today) for o in OBLIGATIONS]


def obligation_or_404(slug: str) -> Obligation:
    try:
        return BY_SLUG[slug]
    except KeyError:
        raise Http404 from None


@dataclass(frozen=True)
class Cell:
    text: str
    href: str = ""


def preview(status: ObligationStatus, *, limit: int) -> list[list[Cell]]:
    """The first records' own cells as the page shows them: dates and amounts written for the reader, links as
    links (the file keeps them as the platform asks)."""
    return [[_cell(value) for value in record.cells] for record in status.records[:limit]]


def _cell(value: object) -> Cell:
    if isinstance(value, datetime.date):
        return Cell(long_date(value))
    if isinstance(value, Decimal):
        return Cell(number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True))
    if isinstance(value, PortalLink):
        return Cell(gettext("Ver en el portal"), href=value.removeprefix(settings.PORTAL_URL) or "/")
    return Cell(str(value))
