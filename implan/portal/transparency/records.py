"""The records of each obligation, read from the apps' public data only (published instruments, public bodies'
sessions, published indicators): one ``Record`` per row of the PNT file, each with the period it reports and the date
its data last changed. Each function is a fixed number of queries, whatever the data size.

Private contact data (``councils.PersonContact``) is never read here: a member appears by name and seat only.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Max, Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from councils.models import (
    AgendaItem,
    Attendance,
    Body,
    BodyKind,
    Membership,
    Minutes,
    MinutesState,
    Motion,
    MotionState,
    Resolution,
    Vote,
)
from councils.selectors import PUBLIC_SESSION_STATES
from implan.portal.transparency.periods import quarter_of, year_of
from indicators.models import Indicator, Observation
from indicators.selectors import published_goals
from planning.models import (
    Budget,
    BudgetExecution,
    BudgetLine,
    BudgetQuarter,
    GovernmentPlan,
    Programme,
    StrategicPlan,
)
from planning.selectors.plan import goals_with_latest, indicators_with_latest, latest_programmes, public_plan, term_slug

SUMMARY_CHARS = 400


@dataclass(frozen=True)
class Record:
    """One row of an obligation's file: the period it reports, the obligation's own cells, when its data changed."""

    start: datetime.date
    end: datetime.date
    cells: list[Any]
    updated: datetime.date

    @property
    def year(self) -> int:
        return self.start.year


class PortalLink(str):
    """An absolute link to one of the portal's public pages, as the file writes it; the page shows it as a link.
    Its own type, so that no text a person wrote (a goal, a resolution) ever becomes a link by how it begins."""


def portal_link(name: str, *args: Any) -> PortalLink:
    """An absolute link to a public page: the file is read away from the portal."""
    return PortalLink(settings.PORTAL_URL + reverse(name, args=args))


def _day(moment: datetime.datetime | datetime.date | None) -> datetime.date:
    if moment is None:  # a published instrument of the demo's seed may lack the timestamp; today is when it is seen
        return timezone.localdate()
    if isinstance(moment, datetime.datetime):
        return timezone.localdate(moment)
    return moment


def _summary(text: str) -> str:
    return Truncator(" ".join(text.split())).chars(SUMMARY_CHARS)


# --- The municipal plan and the programmes derived from it (annual) -----------------------------------------------


def plan_records() -> list[Record]:
    """The published strategic plan, the published government plans and the published programmes (three queries)."""
    records = []
    plan = public_plan()
    if plan is not None:
        records.append(_instrument(_("Plan estratégico municipal"), plan, plan.title, "", plan.summary, _plan_link()))
    government_plans = GovernmentPlan.objects.published().select_related("administration_term")
    for gp in government_plans.order_by("administration_term__start_date", "version"):
        link = portal_link("planning:government_plan_public", term_slug(gp))
        records.append(_instrument(_("Programa de gobierno"), gp, gp.title, term_slug(gp), gp.summary, link))
    programmes = latest_programmes(Programme.objects.published().select_related("strategy"))
    for p in programmes:
        link = portal_link("planning:strategy_public", p.strategy.slug) if p.strategy else _plan_link()
        records.append(_instrument(_("Programa derivado"), p, p.name, p.code, p.description, link))
    return records


def _plan_link() -> PortalLink:
    return portal_link("planning:plan_public")


def _instrument(
    kind: str, instrument: StrategicPlan | GovernmentPlan | Programme, name: str, code: str, summary: str, link: str
) -> Record:
    published = _day(instrument.published_at or instrument.approved_at)
    start, end = year_of(published)
    cells = [
        kind,
        name,
        code,
        instrument.version,
        _day(instrument.approved_at) if instrument.approved_at else "",
        published,
        _summary(summary),
        link,
    ]
    return Record(start=start, end=end, cells=cells, updated=published)


# --- Goals and objectives (annual) ---------------------------------------------------------------------------------


def goal_records() -> list[Record]:
    """Each goal of the published plan with its objective, strategy, indicator and latest judged value (two queries).

    The year a goal reports is that of its indicator's latest value; before any value, the plan's publication year.
    """
    plan = public_plan()
    if plan is None:
        return []
    published = _day(plan.published_at or plan.approved_at)
    goals = (
        goals_with_latest()
        .filter(objective__strategy__plan=plan)
        .select_related("objective__strategy")
        .order_by("objective__strategy__number", "objective__number", "target_year", "pk")
    )
    records = []
    for goal in goals:
        latest_start: datetime.date | None = goal.latest_start  # type: ignore[attr-defined]  # goals_with_latest()
        start, end = year_of(latest_start or published)
        objective = goal.objective
        cells = [
            objective.strategy.name,
            objective.title,
            goal.description,
            goal.indicator.name,
            goal.baseline_value,
            goal.baseline_year,
            goal.target_value,
            goal.target_year,
            goal.latest_value if goal.latest_value is not None else "",  # type: ignore[attr-defined]
            goal.latest_period or "",  # type: ignore[attr-defined]
            portal_link("planning:strategy_public", objective.strategy.slug),
        ]
        records.append(Record(start=start, end=end, cells=cells, updated=published))
    return records


# --- Indicators of results and of management (annual) --------------------------------------------------------------


def indicator_records() -> list[Record]:
    """Each published indicator with its latest judged municipal value, the goals of the published plan that use it
    and the day its data last changed (three queries).

    An indicator that a goal of the plan judges is one «de resultados»; the others measure the municipality's
    management and its public-interest topics («de gestión»).
    """
    indicators = list(
        indicators_with_latest()
        .filter(is_published=True)
        .select_related("owner")
        .prefetch_related(published_goals())
        .order_by("code")
    )
    changed = _last_observation_change([i.pk for i in indicators])
    return [_indicator_record(i, changed.get(i.pk)) for i in indicators]


def _last_observation_change(indicator_ids: list[int]) -> dict[int, datetime.date]:
    history = Observation.history.model.objects.filter(indicator_id__in=indicator_ids)
    rows = history.values("indicator_id").annotate(last=Max("history_date")).order_by()
    return {row["indicator_id"]: _day(row["last"]) for row in rows}


def _indicator_record(indicator: Indicator, changed: datetime.date | None) -> Record:
    goals = indicator.public_goals  # type: ignore[attr-defined]  # published_goals()
    latest_start: datetime.date | None = indicator.latest_start  # type: ignore[attr-defined]
    start, end = year_of(latest_start or changed or timezone.localdate())
    first = goals[0] if goals else None
    cells = [
        _("De resultados") if goals else _("De gestión"),
        indicator.code,
        indicator.name,
        indicator.get_family_display(),
        indicator.definition,
        indicator.formula,
        indicator.unit,
        indicator.get_frequency_display(),
        f"{_number(first.baseline_value)} ({first.baseline_year})" if first else "",
        "; ".join(f"{_number(g.target_value)} ({g.target_year})" for g in goals),
        _latest(indicator),
        indicator.get_polarity_display(),
        indicator.source,
        indicator.owner.name if indicator.owner else "",
        portal_link("indicators:indicator_detail", indicator.slug),
    ]
    return Record(start=start, end=end, cells=cells, updated=changed or end)


def _latest(indicator: Indicator) -> str:
    value = indicator.latest_value  # type: ignore[attr-defined]  # indicators_with_latest()
    if value is None:
        return ""
    return f"{_number(value)} ({indicator.latest_period})"  # type: ignore[attr-defined]


def _number(value: Decimal) -> str:
    """6.500000 → 6.5: the stored precision is not the measured one."""
    return format(value.normalize(), "f")


# --- The budget and its quarterly execution (quarterly) ------------------------------------------------------------


@dataclass(frozen=True)
class ExecutionRow:
    """A budget line's amounts as of a period: the execution accumulated from the first of January to ``end``.

    ``stages`` is False for a line without quarterly records (recorded before the momentos contables existed):
    it reports only its approved, modified and executed amounts, and the committed, accrued and paid cells stay
    empty rather than read as zero.
    """

    budget: Budget
    line: BudgetLine
    start: datetime.date
    end: datetime.date
    updated: datetime.date
    approved: Decimal
    modified: Decimal
    executed: Decimal
    committed: Decimal | None = None
    accrued: Decimal | None = None
    paid: Decimal | None = None


def budget_execution() -> list[ExecutionRow]:
    """The execution of every published budget, line by line (five queries): the one place that knows how.

    A line reports each closed quarter of its budget (a quarter's figures are validated and frozen when it closes),
    with its stages accumulated to the quarter's end, as the quarterly Estado Analítico del Ejercicio reports them.
    A line without quarterly records reports once, its amounts accumulated up to the end of the quarter in which its
    budget's lines last changed (the first quarter when they have not changed since the year began).
    """
    budgets = _published_budgets()
    changed = _last_line_change([b.pk for b in budgets])
    closed = _closed_quarters([b.pk for b in budgets])
    lines = (
        BudgetLine.objects.filter(budget__in=budgets)
        .select_related("programme", "agency", "partida", "source")
        .prefetch_related(Prefetch("executions", queryset=BudgetExecution.objects.order_by("quarter")))
        .order_by("budget__fiscal_year__year", "programme__code", "chapter", "pk")
    )
    by_pk = {b.pk: b for b in budgets}
    rows = []
    for line in lines:
        budget = by_pk[line.budget_id]
        year = budget.fiscal_year.year
        reported = [e for e in line.executions.all() if e.quarter in closed.get(budget.pk, {})]
        for execution in reported:
            start, end = quarter_of(datetime.date(year, 3 * execution.quarter, 1))
            rows.append(
                ExecutionRow(
                    budget=budget,
                    line=line,
                    start=start,
                    end=end,
                    updated=closed[budget.pk][execution.quarter],
                    approved=line.approved_amount,
                    modified=execution.modified,
                    executed=execution.exercised,
                    committed=execution.committed,
                    accrued=execution.accrued,
                    paid=execution.paid,
                )
            )
        if reported or line.executions.all():
            continue  # a line with quarterly records waits for its first quarter to close
        updated = changed.get(budget.pk) or _day(budget.published_at)
        start, end = _execution_period(year, updated)
        rows.append(
            ExecutionRow(
                budget=budget,
                line=line,
                start=start,
                end=end,
                updated=updated,
                approved=line.approved_amount,
                modified=line.modified_amount,
                executed=line.executed_amount,
            )
        )
    return rows


def _closed_quarters(budget_ids: list[int]) -> dict[int, dict[int, datetime.date]]:
    """Budget → its closed quarters → the day each closed."""
    closed: dict[int, dict[int, datetime.date]] = defaultdict(dict)
    for budget_id, quarter, closed_at in BudgetQuarter.objects.filter(budget_id__in=budget_ids).values_list(
        "budget_id", "quarter", "closed_at"
    ):
        closed[budget_id][quarter] = _day(closed_at)
    return closed


def _published_budgets() -> list[Budget]:
    """The newest published version of each year's budget."""
    newest: dict[int, Budget] = {}
    for budget in Budget.objects.published().select_related("fiscal_year").order_by("fiscal_year__year", "-version"):
        newest.setdefault(budget.fiscal_year.year, budget)
    return list(newest.values())


def _last_line_change(budget_ids: list[int]) -> dict[int, datetime.date]:
    history = BudgetLine.history.model.objects.filter(budget_id__in=budget_ids)
    rows = history.values("budget_id").annotate(last=Max("history_date")).order_by()
    return {row["budget_id"]: _day(row["last"]) for row in rows}


def _execution_period(year: int, updated: datetime.date) -> tuple[datetime.date, datetime.date]:
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    day = min(max(updated, first), last)
    return first, quarter_of(day)[1]


def budget_records() -> list[Record]:
    return [
        Record(
            start=row.start,
            end=row.end,
            cells=[
                row.line.programme.code,
                row.line.programme.name,
                row.line.agency.name,
                row.line.get_chapter_display(),
                f"{row.line.partida.code} {row.line.partida.name}" if row.line.partida else "",
                row.line.source.name if row.line.source else row.line.get_funding_source_display(),
                row.line.description,
                row.approved,
                row.modified,
                row.committed,
                row.accrued,
                row.executed,
                row.paid,
                portal_link("planning:budget_year", row.budget.fiscal_year.year),
            ],
            updated=row.updated,
        )
        for row in budget_execution()
    ]


# --- The Consejo Consultivo's minutes and opinions (quarterly) -----------------------------------------------------


def public_bodies_of(kind: str) -> QuerySet[Body]:
    return Body.objects.filter(kind=kind, is_public=True)


def council_records() -> list[Record]:
    """The Consejo Consultivo's published minutes (with the session's agenda) and its resolutions (three queries)."""
    bodies = public_bodies_of(BodyKind.CONSULTATIVE_COUNCIL)
    agenda = Prefetch("session__agenda_items", queryset=AgendaItem.objects.order_by("order"))
    minutes = (
        Minutes.objects.filter(
            state=MinutesState.PUBLISHED, session__body__in=bodies, session__state__in=PUBLIC_SESSION_STATES
        )
        .select_related("session__body")
        .prefetch_related(agenda)
    )
    resolutions = Resolution.objects.filter(body__in=bodies, session__state__in=PUBLIC_SESSION_STATES).select_related(
        "body", "session"
    )
    records = [_minutes_record(m) for m in minutes] + [_resolution_record(r) for r in resolutions]
    return sorted(records, key=lambda r: (r.cells[2], r.cells[1], r.cells[5]))


def _minutes_record(minutes: Minutes) -> Record:
    session = minutes.session
    held = _day(session.scheduled_at)
    start, end = quarter_of(held)
    agenda = "; ".join(item.title for item in session.agenda_items.all())
    cells = [
        session.body.name,
        _("Acta de sesión"),
        held,
        session.get_kind_display(),
        session.number,
        "",
        agenda,
        portal_link("councils:session_detail", session.body.slug, session.number),
    ]
    return Record(start=start, end=end, cells=cells, updated=_day(minutes.published_at or session.scheduled_at))


def _resolution_record(resolution: Resolution) -> Record:
    session = resolution.session
    start, end = quarter_of(resolution.adopted_on)
    cells = [
        resolution.body.name,
        _("Acuerdo u opinión"),
        resolution.adopted_on,
        session.get_kind_display(),
        session.number,
        f"{resolution.number}/{resolution.year}",
        _summary(resolution.text),
        portal_link("councils:session_detail", resolution.body.slug, session.number),
    ]
    return Record(start=start, end=end, cells=cells, updated=resolution.adopted_on)


# --- The Ayuntamiento's sessions: attendance and each member's vote (per session) ----------------------------------


def cabildo_records() -> list[Record]:
    """One row per member per vote of the Ayuntamiento's public sessions: whoever attended or voted, with their
    attendance and the sense of their vote (three queries)."""
    bodies = public_bodies_of(BodyKind.AYUNTAMIENTO)
    votes = Prefetch("votes", queryset=Vote.objects.select_related("membership__person"))
    attendance = Prefetch(
        "agenda_item__session__attendances", queryset=Attendance.objects.select_related("membership__person")
    )
    motions = (
        Motion.objects.filter(
            state=MotionState.CLOSED,
            agenda_item__session__body__in=bodies,
            agenda_item__session__state__in=PUBLIC_SESSION_STATES,
        )
        .select_related("agenda_item__session__body")
        .prefetch_related(votes, attendance)
        .order_by("agenda_item__session__scheduled_at", "agenda_item__order", "pk")
    )
    return [record for motion in motions for record in _motion_records(motion)]


def _motion_records(motion: Motion) -> Iterable[Record]:
    session = motion.agenda_item.session
    held = _day(session.scheduled_at)
    start, end = quarter_of(held)
    updated = _day(motion.closed_at or session.scheduled_at)
    present = {a.membership_id: a for a in session.attendances.all()}
    cast = {v.membership_id: v for v in motion.votes.all()}
    seats: dict[int, Membership] = {a.membership_id: a.membership for a in present.values()}
    seats.update({v.membership_id: v.membership for v in cast.values()})
    link = portal_link("councils:session_detail", session.body.slug, session.number)
    for membership in sorted(seats.values(), key=lambda m: (m.person.sort_name, m.pk)):
        attended, vote = present.get(membership.pk), cast.get(membership.pk)
        cells = [
            session.number,
            session.get_kind_display(),
            held,
            motion.agenda_item.title,
            motion.get_result_display(),
            membership.person.name,
            membership.get_role_display(),
            attended.get_status_display() if attended else _("Sin registro"),
            vote.get_option_display() if vote else _("No votó"),
            link,
        ]
        yield Record(start=start, end=end, cells=cells, updated=updated)
