"""The annual report (informe anual) of a fiscal year, generated from live data, chapter by strategy.

Each chapter gathers, for one strategy of the plan in force: the budget approved, modified and executed in the
year; the projects with money allocated that year and their physical progress; the goals with their indicator's
latest value up to that year against baseline and target; and what its commission did. The report closes with the
activity of every body (sessions held, resolutions adopted). Planners add the narrative sections.

Planning never imports ``projects``: projects are reached through the fiscal year's reverse relation
``allocations`` (each allocation names its project). Strategies are matched across versions of the plan by their
slug, so money and projects recorded against an earlier version of a strategy still land in its chapter.

``annual_report_data`` runs a fixed number of queries whatever the size of the year (tests assert it).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from councils.models import Body, Resolution, SessionState
from implan.models import FiscalYear, LifecycleState, Territory
from indicators.models import Observation
from planning.models import AnnualReport, Budget, Goal, ReportSection, StrategicPlan, Strategy
from planning.selectors.budget import ZERO, percent
from planning.selectors.goals import GoalStatus, goals_with_status
from planning.selectors.mir import ProgrammeProgress, mir_progress

# General sections numbered below this go before the strategy chapters (presentation); the rest after them.
CLOSING_SECTIONS_FROM = 100
OTHER = "__otros__"


@dataclass(frozen=True)
class ProjectRow:
    code: str
    title: str
    status: str
    progress: Decimal
    allocated: Decimal


@dataclass(frozen=True)
class GoalRow:
    goal: Goal
    observation: Observation | None
    status: str

    @property
    def status_label(self) -> str:
        return str(GoalStatus.LABELS[self.status])


@dataclass
class Chapter:
    """One strategy's chapter (or the chapter of what no strategy of the plan claims)."""

    key: str
    title: str
    strategy: Strategy | None = None
    approved: Decimal = ZERO
    modified: Decimal = ZERO
    executed: Decimal = ZERO
    projects: list[ProjectRow] = field(default_factory=list)
    goals: list[GoalRow] = field(default_factory=list)
    commission: Body | None = None
    commission_sessions: int = 0
    commission_resolutions: int = 0
    sections: list[ReportSection] = field(default_factory=list)

    @property
    def allocated(self) -> Decimal:
        return sum((p.allocated for p in self.projects), ZERO)

    @property
    def executed_percent(self) -> Decimal:
        return percent(self.executed, self.modified or self.approved)

    @property
    def is_empty(self) -> bool:
        return not (self.approved or self.modified or self.executed or self.projects or self.goals or self.sections)


@dataclass(frozen=True)
class BodyActivity:
    body: Body
    sessions: int
    resolutions: int


@dataclass
class ReportData:
    year: int
    report: AnnualReport | None
    plan: StrategicPlan | None
    budget: Budget | None
    chapters: list[Chapter]
    bodies: list[BodyActivity]
    resolutions: list[Resolution]
    opening: list[ReportSection]
    closing: list[ReportSection]
    mir: list[ProgrammeProgress] = field(default_factory=list)  # the MIR indicators of the published programmes

    @property
    def approved(self) -> Decimal:
        return sum((c.approved for c in self.chapters), ZERO)

    @property
    def modified(self) -> Decimal:
        return sum((c.modified for c in self.chapters), ZERO)

    @property
    def executed(self) -> Decimal:
        return sum((c.executed for c in self.chapters), ZERO)

    @property
    def executed_percent(self) -> Decimal:
        return percent(self.executed, self.modified or self.approved)

    @property
    def allocated(self) -> Decimal:
        return sum((c.allocated for c in self.chapters), ZERO)

    @property
    def project_count(self) -> int:
        return sum(len(c.projects) for c in self.chapters)

    @property
    def goal_counts(self) -> list[tuple[str, str, int]]:
        """(status, label, how many goals) in the order cumplida, en camino, en riesgo, sin datos."""
        counts = Counter(g.status for c in self.chapters for g in c.goals)
        return [(status, str(label), counts[status]) for status, label in GoalStatus.LABELS.items()]

    @property
    def sessions(self) -> int:
        return sum(b.sessions for b in self.bodies)


def annual_report_data(*, fiscal_year: FiscalYear, report: AnnualReport | None = None) -> ReportData:
    """Everything the report shows for ``fiscal_year``, from the data as it is now."""
    plan = StrategicPlan.objects.published().order_by("-horizon_year", "-version").first()
    chapters = _chapters(plan)
    budget = _budget_in_force(fiscal_year)
    if budget is not None:
        _add_budget(chapters, budget)
    _add_projects(chapters, fiscal_year)
    if plan is not None:
        _add_goals(chapters, plan, fiscal_year.year)
    bodies = _bodies_activity(fiscal_year.year)
    _add_commissions(chapters, bodies)
    opening, closing = _add_sections(chapters, report)
    return ReportData(
        year=fiscal_year.year,
        report=report,
        plan=plan,
        budget=budget,
        chapters=[c for c in chapters.values() if c.strategy is not None or not c.is_empty],
        bodies=[b for b in bodies if b.sessions or b.resolutions],
        resolutions=list(
            Resolution.objects.filter(adopted_on__year=fiscal_year.year)
            .select_related("body")
            .order_by("adopted_on", "body__name", "number")
        ),
        opening=opening,
        closing=closing,
        mir=mir_progress(until_year=fiscal_year.year),
    )


def _chapters(plan: StrategicPlan | None) -> dict[str, Chapter]:
    chapters: dict[str, Chapter] = {}
    if plan is not None:
        for strategy in plan.strategies.select_related("commission").order_by("number"):
            chapters[strategy.slug] = Chapter(
                key=strategy.slug,
                strategy=strategy,
                commission=strategy.commission,
                title=_("Estrategia %(n)s. %(name)s") % {"n": strategy.number, "name": strategy.name},
            )
    chapters[OTHER] = Chapter(key=OTHER, title=_("Programas y proyectos sin estrategia del plan"))
    return chapters


def _chapter(chapters: dict[str, Chapter], slug: str | None) -> Chapter:
    return chapters.get(slug or OTHER, chapters[OTHER])


def _budget_in_force(fiscal_year: FiscalYear) -> Budget | None:
    """The newest version of the year's budget that the Ayuntamiento approved (published or not yet)."""
    return (
        Budget.objects.filter(fiscal_year=fiscal_year, state__in=[LifecycleState.APPROVED, LifecycleState.PUBLISHED])
        .select_related("fiscal_year")
        .order_by("-version")
        .first()
    )


def _add_budget(chapters: dict[str, Chapter], budget: Budget) -> None:
    sums = (
        budget.lines.values("programme__strategy__slug")
        .annotate(approved=Sum("approved_amount"), modified=Sum("modified_amount"), executed=Sum("executed_amount"))
        .order_by()
    )
    for row in sums:
        chapter = _chapter(chapters, row["programme__strategy__slug"])
        chapter.approved += row["approved"] or ZERO
        chapter.modified += row["modified"] or ZERO
        chapter.executed += row["executed"] or ZERO


def _add_projects(chapters: dict[str, Chapter], fiscal_year: FiscalYear) -> None:
    """Projects of the public portfolio with money allocated in the year: allocated sum, current physical progress.

    The report is a public document, so it lists only what the portfolio itself makes public (its queryset's
    ``public()``, reached through the relation without importing ``projects``).
    """
    allocations = fiscal_year.allocations.all()
    public_projects = allocations.model._meta.get_field("project").related_model.objects.public()
    allocated: dict[int, Decimal] = defaultdict(lambda: ZERO)
    projects: dict[int, Any] = {}
    for allocation in (
        allocations.filter(project__in=public_projects).select_related("project__strategy").order_by("project__code")
    ):
        allocated[allocation.project_id] += allocation.amount
        projects[allocation.project_id] = allocation.project
    for pk, project in projects.items():
        _chapter(chapters, project.strategy.slug).projects.append(
            ProjectRow(
                code=project.code,
                title=project.title,
                status=project.get_status_display(),
                progress=project.physical_progress,
                allocated=allocated[pk],
            )
        )


def _add_goals(chapters: dict[str, Chapter], plan: StrategicPlan, year: int) -> None:
    municipality = Territory.objects.home_municipality().first()
    goals = Goal.objects.filter(objective__strategy__plan=plan).order_by("objective__number", "pk")
    for goal, observation, status in goals_with_status(goals=goals, territory=municipality, until_year=year):
        _chapter(chapters, goal.objective.strategy.slug).goals.append(GoalRow(goal, observation, status))


def _bodies_activity(year: int) -> list[BodyActivity]:
    """Every body with the sessions it held (concluded) and the resolutions it adopted in the year."""
    held = Q(sessions__state=SessionState.CLOSED, sessions__scheduled_at__year=year)
    bodies = Body.objects.annotate(
        held=Count("sessions", filter=held, distinct=True),
        adopted=Count("resolutions", filter=Q(resolutions__adopted_on__year=year), distinct=True),
    ).order_by("kind", "name")
    return [BodyActivity(body=b, sessions=b.held, resolutions=b.adopted) for b in bodies]


def _add_commissions(chapters: dict[str, Chapter], bodies: list[BodyActivity]) -> None:
    by_body = {b.body.pk: b for b in bodies}
    for chapter in chapters.values():
        activity = by_body.get(chapter.commission.pk) if chapter.commission else None
        if activity is not None:
            chapter.commission_sessions, chapter.commission_resolutions = activity.sessions, activity.resolutions


def _add_sections(
    chapters: dict[str, Chapter], report: AnnualReport | None
) -> tuple[list[ReportSection], list[ReportSection]]:
    if report is None:
        return [], []
    opening, closing = [], []
    for section in report.sections.select_related("strategy").order_by("order"):
        if section.strategy is not None:
            _chapter(chapters, section.strategy.slug).sections.append(section)
        elif section.order < CLOSING_SECTIONS_FROM:
            opening.append(section)
        else:
            closing.append(section)
    return opening, closing


def published_report(*, year: int) -> AnnualReport:
    """The newest published annual report of a fiscal year, or 404."""
    report = (
        AnnualReport.objects.filter(fiscal_year__year=year, state=LifecycleState.PUBLISHED)
        .select_related("fiscal_year")
        .order_by("-version")
        .first()
    )
    if report is None:
        raise Http404
    return report
