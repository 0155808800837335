"""Reads behind the Presupuesto Ciudadano (``/presupuesto/<año>/ciudadano/``): a published budget told in plain
Spanish, following the questions of CONAC's «Norma para armonizar la presentación de la información adicional del
proyecto del Presupuesto de Egresos» (¿de dónde viene el dinero?, ¿en qué se gasta?, ¿para qué?, ¿quién lo gasta?).

Each «by classification» block is one entry of ``CLASSIFICATIONS``: a title, the question it answers, a plain
explanation, how one row reads («de cada 100 pesos, 38 …») and a selector giving (label, amount) rows with one
aggregate query. A new classification of the budget lines (the CONAC catalogues: COG concepto, funcional,
programática, fuente de financiamiento) becomes a block by appending an entry; the page, the PDF, the charts and the
comparison with the previous year follow without other changes.

The amounts are the approved ones (what the Ayuntamiento authorised): the same total as «Aprobado en líneas» on the
budget's page. Every function runs a fixed number of queries whatever the size of the budget.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import ROUND_FLOOR, Decimal

from django.db.models import Sum
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from implan.models import LifecycleState, Territory
from planning.models import Budget, FundingSource, SpendingChapter
from planning.selectors.budget import ZERO, Summary, budget_summary, percent

Rows = list[tuple[str, Decimal]]
PER = 100  # «de cada 100 pesos»
CHART_ROWS = 12  # bars in a chart at most; the data table beside it has every row


def _grouped(budget: Budget, *fields: str) -> list[dict]:
    """The approved amount of the budget's lines grouped by ``fields`` (one query), largest first."""
    return list(
        budget.lines.values(*fields).annotate(amount=Sum("approved_amount")).order_by("-amount", *fields),
    )


def by_funding_source(budget: Budget) -> Rows:
    labels = dict(FundingSource.choices)
    return [
        (str(labels.get(r["funding_source"], r["funding_source"])), r["amount"])
        for r in _grouped(budget, "funding_source")
    ]


def by_chapter(budget: Budget) -> Rows:
    return [(_chapter_label(r["chapter"]), r["amount"]) for r in _grouped(budget, "chapter")]


def _chapter_label(code: str) -> str:
    """«Servicios personales (capítulo 1000)»: the name first, as a sentence reads it, the code for who looks it up."""
    label = str(dict(SpendingChapter.choices).get(code, code))
    name = label.removeprefix(code).strip() or code
    return _("%(name)s (capítulo %(code)s)") % {"name": name, "code": code}


def by_strategy(budget: Budget) -> Rows:
    return [
        (r["programme__strategy__name"] or _("Sin estrategia"), r["amount"])
        for r in _grouped(budget, "programme__strategy__name")
    ]


def by_function(budget: Budget) -> Rows:
    """CONAC's Clasificación Funcional, by función (the parent of each line's subfunción)."""
    return [
        (r["subfunction__parent__name"] or _("Sin clasificar"), r["amount"])
        for r in _grouped(budget, "subfunction__parent__code", "subfunction__parent__name")
    ]


def by_programme(budget: Budget) -> Rows:
    return [
        (f"{r['programme__code']} · {r['programme__name']}", r["amount"])
        for r in _grouped(budget, "programme__code", "programme__name")
    ]


def by_agency(budget: Budget) -> Rows:
    return [(r["agency__name"], r["amount"]) for r in _grouped(budget, "agency__name")]


@dataclass(frozen=True)
class Classification:
    """One «by classification» block of the citizen budget.

    ``sentence`` reads one row in plain words, with ``%(share)s`` (pesos of every 100) and ``%(label)s``.
    """

    key: str
    title: Promise
    question: Promise
    explanation: Promise
    sentence: Promise
    rows: Callable[[Budget], Rows]


CLASSIFICATIONS: list[Classification] = [
    Classification(
        key="origen",
        title=gettext_lazy("Fuentes de financiamiento"),
        question=gettext_lazy("¿De dónde obtiene el municipio sus ingresos?"),
        explanation=gettext_lazy(
            "El gasto se paga con los ingresos propios del municipio (impuesto predial, derechos, agua, multas), "
            "con lo que la Federación y el Estado le participan o aportan de lo que recaudan, con convenios para obras "
            "concretas y, a veces, con préstamos. Cada peso del presupuesto dice de cuál de estas fuentes viene."
        ),
        sentence=gettext_lazy("%(share)s vienen de %(label)s"),
        rows=by_funding_source,
    ),
    Classification(
        key="en-que",
        title=gettext_lazy("Capítulos del gasto"),
        question=gettext_lazy("¿En qué se gasta?"),
        explanation=gettext_lazy(
            "El Clasificador por Objeto del Gasto del CONAC agrupa lo que se compra o se paga en capítulos: "
            "los sueldos del personal (1000), los materiales (2000), los servicios como luz, agua o mantenimiento "
            "(3000), los apoyos y subsidios (4000), los muebles, vehículos y equipo (5000), la obra pública "
            "(6000) y el pago de la deuda (9000), entre otros."
        ),
        sentence=gettext_lazy("%(share)s se gastan en %(label)s"),
        rows=by_chapter,
    ),
    Classification(
        key="para-que",
        title=gettext_lazy("Estrategias del plan"),
        question=gettext_lazy("¿Para qué se gasta?"),
        explanation=gettext_lazy(
            "Cada peso se asigna a un programa, y cada programa sirve a una estrategia del plan municipal de "
            "desarrollo: así se ve qué objetivos de la ciudad financia el presupuesto."
        ),
        sentence=gettext_lazy("%(share)s se destinan a la estrategia «%(label)s»"),
        rows=by_strategy,
    ),
    Classification(
        key="funciones",
        title=gettext_lazy("Funciones de gobierno"),
        question=gettext_lazy("¿Para qué se gasta, según las funciones de gobierno?"),
        explanation=gettext_lazy(
            "La Clasificación Funcional del Gasto del CONAC, la misma para todos los gobiernos del país, dice qué "
            "función cumple cada peso: seguridad pública, agua y alcantarillado, urbanización, transporte, "
            "salud, educación, protección ambiental y las demás. Así se puede comparar el municipio con otros."
        ),
        sentence=gettext_lazy("%(share)s se destinan a %(label)s"),
        rows=by_function,
    ),
    Classification(
        key="programas",
        title=gettext_lazy("Programas presupuestarios"),
        question=gettext_lazy("¿Con qué programas?"),
        explanation=gettext_lazy(
            "Los programas son las acciones concretas con las que las dependencias cumplen las estrategias del plan."
        ),
        sentence=gettext_lazy("%(share)s se destinan al programa %(label)s"),
        rows=by_programme,
    ),
    Classification(
        key="quien",
        title=gettext_lazy("Dependencias"),
        question=gettext_lazy("¿Quién lo gasta?"),
        explanation=gettext_lazy(
            "Las dependencias y entidades del gobierno municipal ejercen el presupuesto y responden por él "
            "(la clasificación administrativa)."
        ),
        sentence=gettext_lazy("%(share)s los ejerce %(label)s"),
        rows=by_agency,
    ),
]


@dataclass(frozen=True)
class ShareRow:
    label: str
    amount: Decimal
    share: int  # pesos of every 100 (whole pesos; the rows of a block add up to 100)
    percent: Decimal
    bar: Decimal  # bar length, percent of the largest row
    previous: Decimal | None = None  # the same label's amount in the previous year's budget, when there is one

    @property
    def change_percent(self) -> Decimal | None:
        """Growth from the previous year in percent; None without a previous amount to grow from."""
        return percent(self.amount - self.previous, self.previous) if self.previous else None


@dataclass(frozen=True)
class Block:
    classification: Classification
    rows: list[ShareRow]

    @property
    def sentences(self) -> list[str]:
        """The largest rows in plain words: «38 se destinan a …» (at most three, none for a share under a peso)."""
        return [
            str(self.classification.sentence) % {"share": row.share, "label": row.label}
            for row in self.rows[:3]
            if row.share
        ]

    @property
    def chart_rows(self) -> list[ShareRow]:
        """The rows the chart draws: all of them, or the largest ones and «the other n» together, so that a
        classification with a hundred entries (León's programmes) stays a chart one can read; the table lists all."""
        if len(self.rows) <= CHART_ROWS:
            return self.rows
        shown, rest = self.rows[: CHART_ROWS - 1], self.rows[CHART_ROWS - 1 :]
        others = ShareRow(
            label=_("Los otros %(n)s (en la tabla)") % {"n": len(rest)},
            amount=sum((row.amount for row in rest), ZERO),
            share=sum(row.share for row in rest),
            percent=sum((row.percent for row in rest), ZERO),
            bar=ZERO,
        )
        largest = max(row.amount for row in [*shown, others])
        return [replace(row, bar=percent(row.amount, largest)) for row in [*shown, others]]


@dataclass(frozen=True)
class Population:
    """The home municipality's population, with the year and source of the figure, for amounts per inhabitant."""

    people: int
    year: int | None
    source: str


@dataclass(frozen=True)
class CitizenBudget:
    budget: Budget
    summary: Summary
    previous: Budget | None
    previous_approved: Decimal | None
    blocks: list[Block]
    population: Population | None = None

    @property
    def per_inhabitant(self) -> Decimal | None:
        """The approved total divided among the municipality's inhabitants, in whole pesos."""
        if self.population is None:
            return None
        return (self.total / self.population.people).quantize(Decimal("1"))

    @property
    def total(self) -> Decimal:
        return self.summary.approved

    @property
    def change_percent(self) -> Decimal | None:
        return percent(self.total - self.previous_approved, self.previous_approved) if self.previous_approved else None

    @property
    def change_size(self) -> Decimal | None:
        """How large the change is, without its sign (the sentence says «más» or «menos»)."""
        change = self.change_percent
        return None if change is None else abs(change)


def shares_of_100(amounts: list[Decimal]) -> list[int]:
    """Whole pesos of every 100 for each amount, adding up to exactly 100 (largest remainders get the leftover
    pesos), so that «de cada 100 pesos» never reads 99 or 101 in total."""
    total = sum(amounts, ZERO)
    if total <= 0:
        return [0 for _ in amounts]
    exact = [amount * PER / total for amount in amounts]
    whole = [int(value.to_integral_value(rounding=ROUND_FLOOR)) for value in exact]
    by_remainder = sorted(range(len(amounts)), key=lambda i: (exact[i] - whole[i], amounts[i]), reverse=True)
    for i in by_remainder[: PER - sum(whole)]:
        whole[i] += 1
    return whole


def _block(classification: Classification, rows: Rows, previous: Rows | None) -> Block:
    amounts = [amount or ZERO for _label, amount in rows]
    total, largest = sum(amounts, ZERO), max(amounts, default=ZERO)
    before = dict(previous) if previous is not None else {}
    return Block(
        classification=classification,
        rows=[
            ShareRow(
                label=label,
                amount=amount,
                share=share,
                percent=percent(amount, total),
                bar=percent(amount, largest),
                previous=before.get(label, ZERO) if previous is not None else None,
            )
            for (label, _amount), amount, share in zip(rows, amounts, shares_of_100(amounts), strict=True)
        ],
    )


def previous_budget(*, budget: Budget) -> Budget | None:
    """The newest published budget of an earlier year (one query), to compare with."""
    return (
        Budget.objects.filter(state=LifecycleState.PUBLISHED, fiscal_year__year__lt=budget.fiscal_year.year)
        .select_related("fiscal_year")
        .order_by("-fiscal_year__year", "-version")
        .first()
    )


def home_population() -> Population | None:
    """The population of the municipality the portal serves (one query); None when no census figure is recorded."""
    row = Territory.objects.home_municipality().values("population", "population_year", "population_source").first()
    if row is None or not row["population"]:
        return None
    return Population(people=row["population"], year=row["population_year"], source=row["population_source"])


def citizen_budget(*, budget: Budget) -> CitizenBudget:
    """Everything the citizen budget shows: 3 + blocks queries, and 1 + blocks more with a previous year."""
    summary = budget_summary(budget=budget)
    previous = previous_budget(budget=budget)
    blocks, previous_approved = [], None
    for classification in CLASSIFICATIONS:
        before = classification.rows(previous) if previous is not None else None
        blocks.append(_block(classification, classification.rows(budget), before))
        if before is not None:
            # Every block classifies all the lines: any of them adds up to the previous year's total.
            previous_approved = sum((amount or ZERO for _label, amount in before), ZERO)
    return CitizenBudget(
        budget=budget,
        summary=summary,
        previous=previous,
        previous_approved=previous_approved,
        blocks=blocks,
        population=home_population(),
    )
