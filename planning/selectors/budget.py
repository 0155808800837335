"""Reads behind the budget pages, workspace and public: summaries, totals for tables and charts, lines.

Each function runs a fixed number of queries whatever the number of lines, so the public pages keep a constant
query count as budgets grow (asserted in tests/planning/test_budget_public.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from implan.models import LifecycleState
from implan.money import format_mxn
from planning.models import Budget, BudgetExecution, BudgetLine, SpendingChapter

ZERO = Decimal("0")
HUNDRED = Decimal("100")


def budget_totals(*, budget: Budget) -> dict[str, list[dict[str, Any]]]:
    """Approved, modified and executed sums by strategy, agency and chapter (one query each)."""
    sums = {"approved": Sum("approved_amount"), "modified": Sum("modified_amount"), "executed": Sum("executed_amount")}
    lines = budget.lines.all()
    return {
        "strategy": list(
            lines.values("programme__strategy__name").annotate(**sums).order_by("programme__strategy__number")
        ),
        "agency": list(lines.values("agency__name").annotate(**sums).order_by("agency__name")),
        "chapter": list(lines.values("chapter").annotate(**sums).order_by("chapter")),
        "total": [lines.aggregate(**sums)],
    }


def percent(part: Decimal | None, whole: Decimal | None) -> Decimal:
    """Share of ``whole`` as a percentage with one decimal (0 when there is nothing to divide by)."""
    if not whole:
        return ZERO
    return (Decimal(part or 0) * HUNDRED / Decimal(whole)).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class Summary:
    ceiling: Decimal
    approved: Decimal
    modified: Decimal
    executed: Decimal

    @property
    def available(self) -> Decimal:
        """What the ceiling still leaves for new lines."""
        return self.ceiling - self.approved

    @property
    def executed_percent(self) -> Decimal:
        return percent(self.executed, self.modified or self.approved)


def budget_summary(*, budget: Budget) -> Summary:
    sums = budget.lines.aggregate(
        approved=Sum("approved_amount"), modified=Sum("modified_amount"), executed=Sum("executed_amount")
    )
    return Summary(ceiling=budget.ceiling, **{key: value or ZERO for key, value in sums.items()})


@dataclass(frozen=True)
class TotalRow:
    """One row of a totals table or chart: a label and its amounts, with bar lengths relative to the largest."""

    label: str
    approved: Decimal
    modified: Decimal
    executed: Decimal
    approved_bar: Decimal = ZERO
    executed_bar: Decimal = ZERO

    @property
    def executed_percent(self) -> Decimal:
        return percent(self.executed, self.modified or self.approved)


@dataclass(frozen=True)
class Totals:
    by_strategy: list[TotalRow] = field(default_factory=list)
    by_agency: list[TotalRow] = field(default_factory=list)
    by_chapter: list[TotalRow] = field(default_factory=list)


def _rows(raw: list[dict[str, Any]], label: Any) -> list[TotalRow]:
    rows = [
        TotalRow(
            label=label(r),
            approved=r["approved"] or ZERO,
            modified=r["modified"] or ZERO,
            executed=r["executed"] or ZERO,
        )
        for r in raw
    ]
    largest = max((max(r.approved, r.modified, r.executed) for r in rows), default=ZERO)
    return [
        TotalRow(
            label=r.label,
            approved=r.approved,
            modified=r.modified,
            executed=r.executed,
            approved_bar=percent(r.approved, largest),
            executed_bar=percent(r.executed, largest),
        )
        for r in rows
    ]


def labelled_totals(*, budget: Budget) -> Totals:
    """Totals by strategy, agency and chapter with readable labels and chart bar lengths (one query).

    The lines are summed once by strategy, agency and chapter together, and those sums added up here by each of the
    three (exact: decimals). Each table keeps the order its own query gave: strategies by number, chapters by code,
    agencies by name as the database sorts them (the rows come in that order: Python would sort accents otherwise).
    """
    rows = (
        budget.lines.values("programme__strategy__name", "programme__strategy__number", "agency__name", "chapter")
        .annotate(approved=Sum("approved_amount"), modified=Sum("modified_amount"), executed=Sum("executed_amount"))
        .order_by("agency__name")
    )
    return _totals(rows)


@dataclass(frozen=True)
class Overview:
    """What a budget's workspace shows of the whole budget, whatever page of its lines it shows."""

    totals: Totals
    line_count: int
    assigned: dict[int, Decimal]  # by programme: the approved amounts of its lines (for the programme allocations)


def budget_overview(*, budget: Budget) -> Overview:
    """``labelled_totals``, the number of lines and the approved amount by programme, from one query: the lines
    summed by programme, agency and chapter together (each programme has one strategy)."""
    rows = list(
        budget.lines.values(
            "programme_id", "programme__strategy__name", "programme__strategy__number", "agency__name", "chapter"
        )
        .annotate(**SUMS, n_lines=Count("pk"))
        .order_by("agency__name")
    )
    assigned: dict[int, Decimal] = {}
    for row in rows:
        if row["approved"] is not None:
            assigned[row["programme_id"]] = assigned.get(row["programme_id"], ZERO) + row["approved"]
    return Overview(totals=_totals(rows), line_count=sum(row["n_lines"] for row in rows), assigned=assigned)


def _totals(rows: Iterable[dict[str, Any]]) -> Totals:
    """Sums of ``rows`` (their amounts, by strategy, agency and chapter) by each of the three; ``rows`` come in the
    agencies' order."""
    amounts = ("approved", "modified", "executed")
    by_strategy: dict[Any, dict[str, Any]] = {}
    by_agency: dict[Any, dict[str, Any]] = {}
    by_chapter: dict[Any, dict[str, Any]] = {}
    for row in rows:
        strategy = (row["programme__strategy__name"], row["programme__strategy__number"])
        for groups, key, fields in (
            (by_strategy, strategy, {"programme__strategy__name": strategy[0], "number": strategy[1]}),
            (by_agency, row["agency__name"], {"agency__name": row["agency__name"]}),
            (by_chapter, row["chapter"], {"chapter": row["chapter"]}),
        ):
            group = groups.setdefault(key, {**fields, "approved": None, "modified": None, "executed": None})
            for name in amounts:
                if row[name] is not None:  # as SQL's SUM: NULLs are left out, and all NULL is NULL
                    group[name] = row[name] if group[name] is None else group[name] + row[name]

    def nulls_last(value: Any) -> tuple[bool, Any]:
        return (value is None, value)

    chapters = dict(SpendingChapter.choices)
    return Totals(
        by_strategy=_rows(
            sorted(by_strategy.values(), key=lambda g: nulls_last(g["number"])),
            lambda r: r["programme__strategy__name"] or _("Sin estrategia"),
        ),
        by_agency=_rows(list(by_agency.values()), lambda r: r["agency__name"]),  # first met, first shown
        by_chapter=_rows(
            sorted(by_chapter.values(), key=lambda g: nulls_last(g["chapter"])),
            lambda r: str(chapters.get(r["chapter"], r["chapter"])),
        ),
    )


def summary_of(budget: Budget, by_chapter: list[TotalRow]) -> Summary:
    """``budget_summary`` from the budget's totals by chapter, already read (every line has a chapter, so they add
    up to the whole budget): no query."""
    return Summary(
        ceiling=budget.ceiling,
        **{
            key: sum((getattr(row, key) or ZERO for row in by_chapter), ZERO)
            for key in ("approved", "modified", "executed")
        },
    )


def budget_lines(*, budget: Budget) -> QuerySet[BudgetLine]:
    """The lines with what every table shows (programme, its strategy, agency) and the projects funded by each."""
    return (
        budget.lines.select_related("programme__strategy", "agency", "partida", "source")
        .prefetch_related(Prefetch("allocations", queryset=_allocations()))
        .order_by("programme__code", "chapter", "pk")
    )


@dataclass(frozen=True)
class LineRow:
    """A line as the workspace's table of lines shows it, its texts put together once here: each lookup through the
    template language costs several times what it costs in Python, and the table has a row per line."""

    line: BudgetLine
    label: str  # the line's name (``str``), which each action repeats for screen readers
    programme: str
    agency: str
    classification: str  # the partida (and the specific one), or the chapter's code on lines recorded before them
    source: str
    approved: str
    modified: str
    executed: str
    projects: list[tuple[str, str]]  # the code and title of each project the line funds


def line_rows(lines: Iterable[BudgetLine]) -> list[LineRow]:
    """``LineRow`` of each of ``lines`` read by ``budget_lines``: no query."""
    return [_line_row(line) for line in lines]


def _line_row(line: BudgetLine) -> LineRow:
    partida, funding = line.partida, line.get_funding_source_display()
    classification = line.chapter
    if partida is not None:
        classification = f"{partida.code} ({line.specific_partida})" if line.specific_partida else partida.code
    return LineRow(
        line=line,
        label=str(line),
        programme=f"{line.programme.code} · {line.programme.name}",
        agency=line.agency.acronym or line.agency.name,
        classification=classification,
        source=f"{line.source.code} · {funding}" if line.source else funding,
        approved=format_mxn(line.approved_amount),
        modified=format_mxn(line.modified_amount),
        executed=format_mxn(line.executed_amount),
        projects=[(a.project.code, a.project.title) for a in line.allocations.all()],
    )


def _allocations() -> QuerySet:
    # Allocations belong to ``projects``; planning reaches them only through the reverse relation.
    model = BudgetLine._meta.get_field("allocations").related_model
    return model.objects.select_related("project").order_by("project__code")


def public_budgets() -> list[Budget]:
    """Published budgets, newest year first, each with its approved and executed sums (one query)."""
    return list(
        Budget.objects.published()
        .select_related("fiscal_year")
        .annotate(approved=Sum("lines__approved_amount"), executed=Sum("lines__executed_amount"))
        .order_by("-fiscal_year__year", "-version")
    )


def published_budget(*, year: int) -> Budget:
    """The published budget of a year, or 404."""
    budget = (
        Budget.objects.filter(fiscal_year__year=year, state=LifecycleState.PUBLISHED)
        .select_related("fiscal_year")
        .order_by("-version")
        .first()
    )
    if budget is None:
        raise Http404
    return budget


def published_years() -> list[int]:
    """The years with a published budget, oldest first, for the navigation between them (one query)."""
    return list(
        Budget.objects.published().order_by("fiscal_year__year").values_list("fiscal_year__year", flat=True).distinct()
    )


@dataclass(frozen=True)
class ComparisonRow:
    label: str
    before: Decimal
    now: Decimal

    @property
    def change_percent(self) -> Decimal | None:
        """How much ``now`` grew (positive) or shrank (negative) from ``before``, in percent; None when ``before`` is
        zero, from which no growth is a percentage (``percent`` would say 0 %, as if nothing had changed)."""
        return percent(self.now - self.before, self.before) if self.before else None


@dataclass(frozen=True)
class Comparison:
    """A budget's totals beside those of the previous published year."""

    previous: Budget
    rows: list[ComparisonRow]


def previous_year_comparison(*, budget: Budget, summary: Summary) -> Comparison | None:
    """The totals of the newest published budget of an earlier year beside ``summary`` (one query)."""
    sums = {"approved": Sum("approved_amount"), "modified": Sum("modified_amount"), "executed": Sum("executed_amount")}
    lines = BudgetLine.objects.filter(budget=OuterRef("pk")).values("budget")
    previous = (
        Budget.objects.published()
        .filter(fiscal_year__year__lt=budget.fiscal_year.year)
        .select_related("fiscal_year")
        # Its sums in the same query, as ``budget_summary`` reads them.
        .annotate(**{key: Subquery(lines.annotate(total=sum_).values("total")) for key, sum_ in sums.items()})
        .order_by("-fiscal_year__year", "-version")
        .first()
    )
    if previous is None:
        return None
    before = Summary(
        ceiling=previous.ceiling,
        **{key: getattr(previous, key) or ZERO for key in ("approved", "modified", "executed")},
    )
    return Comparison(
        previous=previous,
        rows=[
            ComparisonRow(_("Aprobado en líneas"), before.approved, summary.approved),
            ComparisonRow(_("Modificado"), before.modified, summary.modified),
            ComparisonRow(_("Ejercido"), before.executed, summary.executed),
        ],
    )


@dataclass(frozen=True)
class CeilingRow:
    ceiling: Any
    assigned: Decimal

    @property
    def available(self) -> Decimal:
        return self.ceiling.amount - self.assigned


def programme_ceilings(*, budget: Budget, assigned: dict[int, Decimal] | None = None) -> list[CeilingRow]:
    """Each programme allocation with what its lines already add up to (two queries; one when the page has the
    approved amounts by programme already: ``budget_overview``)."""
    if assigned is None:
        assigned = dict(budget.lines.values_list("programme_id").annotate(total=Sum("approved_amount")))
    ceilings = budget.programme_ceilings.select_related("programme").order_by("programme__code")
    return [CeilingRow(ceiling=c, assigned=assigned.get(c.programme_id, ZERO)) for c in ceilings]


# --- CONAC's classifications and stages ------------------------------------------------------------------------
# Each function below runs one query whatever the number of lines. Lines recorded before the catalogues have no
# partida, subfunción or modalidad: they are totalled under "Sin clasificar", so every table adds up to the budget.

SUMS = {"approved": Sum("approved_amount"), "modified": Sum("modified_amount"), "executed": Sum("executed_amount")}


def _by(budget: Budget, code: str, name: str) -> list[TotalRow]:
    raw = list(budget.lines.values(code, name).annotate(**SUMS).order_by(code))
    return _rows(raw, lambda r: f"{r[code]} {r[name]}" if r[code] else _("Sin clasificar"))


def totals_by_cog_chapter(*, budget: Budget) -> list[TotalRow]:
    """Clasificador por Objeto del Gasto, by capítulo (every line has one: derived from its partida)."""
    chapters = dict(SpendingChapter.choices)
    raw = list(budget.lines.values("chapter").annotate(**SUMS).order_by("chapter"))
    return _rows(raw, lambda r: str(chapters.get(r["chapter"], r["chapter"])))


def totals_by_cog_concept(*, budget: Budget) -> list[TotalRow]:
    """Clasificador por Objeto del Gasto, by concepto (the parent of each line's partida genérica)."""
    return _by(budget, "partida__parent__code", "partida__parent__name")


def totals_by_purpose(*, budget: Budget) -> list[TotalRow]:
    """Clasificación Funcional, by finalidad (Gobierno, Desarrollo social, Desarrollo económico, Otras)."""
    return _by(budget, "subfunction__parent__parent__code", "subfunction__parent__parent__name")


def totals_by_function(*, budget: Budget) -> list[TotalRow]:
    """Clasificación Funcional, by función (the parent of each line's subfunción)."""
    return _by(budget, "subfunction__parent__code", "subfunction__parent__name")


def totals_by_modality(*, budget: Budget) -> list[TotalRow]:
    """Clasificación Programática, by modalidad of the programa presupuestario (E, K, M…)."""
    return _by(budget, "modality__code", "modality__name")


def totals_by_funding_source(*, budget: Budget) -> list[TotalRow]:
    """Clasificador por Fuentes de Financiamiento, by subfuente (11 Recursos fiscales, 25 Recursos federales…)."""
    return _by(budget, "source__code", "source__name")


def totals_by_agency(*, budget: Budget) -> list[TotalRow]:
    """Clasificación Administrativa: by agency (dependencia), the executing unit of each line."""
    raw = list(budget.lines.values("agency__name").annotate(**SUMS).order_by("agency__name"))
    return _rows(raw, lambda r: r["agency__name"])


@dataclass(frozen=True)
class Classifications:
    """A budget's totals by each of CONAC's classifications, for its public page."""

    chapter: list[TotalRow]
    concept: list[TotalRow]
    purpose: list[TotalRow]
    function: list[TotalRow]
    modality: list[TotalRow]
    source: list[TotalRow]
    agency: list[TotalRow]


def classification_totals(*, budget: Budget, totals: Totals | None = None) -> Classifications:
    """Every classification's totals (seven queries; five when the page has read ``labelled_totals`` already, whose
    rows by chapter and agency are these classifications' own)."""
    return Classifications(
        chapter=totals.by_chapter if totals else totals_by_cog_chapter(budget=budget),
        concept=totals_by_cog_concept(budget=budget),
        purpose=totals_by_purpose(budget=budget),
        function=totals_by_function(budget=budget),
        modality=totals_by_modality(budget=budget),
        source=totals_by_funding_source(budget=budget),
        agency=totals.by_agency if totals else totals_by_agency(budget=budget),
    )


@dataclass(frozen=True)
class QuarterStages:
    """A quarter's stages for the whole budget, accumulated from January 1 to the quarter's end."""

    quarter: int
    closed: bool
    approved: Decimal
    modified: Decimal
    committed: Decimal
    accrued: Decimal
    exercised: Decimal
    paid: Decimal


def stage_totals(*, budget: Budget, approved: Decimal) -> list[QuarterStages]:
    """The budget's stages per closed quarter (one query); ``approved`` is the budget's approved total.

    Only closed quarters: a quarter closes once every line has its figures (``budget_quarter_close``), so its totals
    are whole and final; a quarter still being entered would add up lines that recorded it and miss the others.
    """
    closed = budget.closed_quarters.values("quarter")  # a subquery: the stages in one query
    raw = (
        BudgetExecution.objects.filter(line__budget=budget, quarter__in=closed)
        .values("quarter")
        .annotate(
            modified=Sum("modified"),
            committed=Sum("committed"),
            accrued=Sum("accrued"),
            exercised=Sum("exercised"),
            paid=Sum("paid"),
        )
        .order_by("quarter")
    )
    return [QuarterStages(closed=True, approved=approved, **r) for r in raw]


@dataclass(frozen=True)
class StageRow:
    """One row of a classification's stages at a quarter's end."""

    label: str
    modified: Decimal
    committed: Decimal
    accrued: Decimal
    exercised: Decimal
    paid: Decimal


def stages_by_cog_chapter(*, budget: Budget, quarter: int) -> list[StageRow]:
    """Clasificador por Objeto del Gasto by capítulo, each stage accumulated to the end of ``quarter`` (one query)."""
    chapters = dict(SpendingChapter.choices)
    raw = (
        BudgetExecution.objects.filter(line__budget=budget, quarter=quarter)
        .values("line__chapter")
        .annotate(
            modified=Sum("modified"),
            committed=Sum("committed"),
            accrued=Sum("accrued"),
            exercised=Sum("exercised"),
            paid=Sum("paid"),
        )
        .order_by("line__chapter")
    )
    stage_names = ("modified", "committed", "accrued", "exercised", "paid")
    return [
        StageRow(str(chapters.get(r["line__chapter"], r["line__chapter"])), *(r[name] for name in stage_names))
        for r in raw
    ]
