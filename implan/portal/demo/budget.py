"""The money side of the demo: the annual budgets at León's scale (lines per programme with CONAC's
classifications under a ceiling, programme allocations, a year's execution by stage and quarter: 2024 closed, 2025
under way), the 2025 annual report with its narrative, and the 2025 evaluation with findings and recommendations —
the report approved by the Ayuntamiento and the evaluation by the Consejo Consultivo in recorded sessions, both
published. Idempotent: a second run finds everything in place and changes nothing."""

from decimal import Decimal

from councils.models import Body
from implan.models import FiscalYear
from implan.portal.demo.budget_lines import LINES, M, catalogue_codes, classification, record_quarters
from implan.portal.demo.record import _at, _hold_session
from implan.types import Actor
from planning.conac import LEGACY_SOURCES
from planning.models import (
    AnnualReport,
    Budget,
    BudgetLine,
    ConacCatalogue,
    Evaluation,
    FindingKind,
    Goal,
    Programme,
    ProgrammeCeiling,
    StrategicPlan,
    Strategy,
)
from planning.services import evaluation as evaluation_services
from planning.services import lifecycle
from planning.services import report as report_services

# León's real 2024 and 2025 budgets are not at hand offline: like every amount of the demo, these are demonstration
# figures at the real scale (2025's lines in budget_lines.LINES, 8,500 M MXN; 2024's the same lines at 93 %, 2026's at
# 104 %), marked so in implan/portal/demo/data/SOURCES.md.
SCALES = {2024: Decimal("0.93"), 2025: Decimal("1"), 2026: Decimal("1.04")}
# How much of its modified budget each programme executed: 2024 at its close, 2025 so far (a realistic spread).
EXECUTION = {
    2024: [
        Decimal(r)
        for r in (
            "0.97",
            "0.93",
            "0.95",
            "0.99",
            "0.88",
            "0.96",
            "0.92",
            "0.85",
            "0.94",
            "0.98",
            "0.81",
            "0.97",
            "0.90",
        )
    ],
    2025: [
        Decimal(r)
        for r in (
            "0.92",
            "0.71",
            "0.85",
            "0.97",
            "0.64",
            "0.88",
            "0.79",
            "0.58",
            "0.83",
            "0.95",
            "0.49",
            "0.90",
            "0.76",
        )
    ],
}
# Adecuaciones of each year: money moved from some programmes to others, the total unchanged.
TRANSFERS = {
    2024: {"P09": Decimal("3000000"), "P05": Decimal("-1000000"), "P11": Decimal("-2000000")},
    2025: {"P10": Decimal("6000000"), "P02": Decimal("-4000000"), "P12": Decimal("-2000000")},
}


def build_budget(year: FiscalYear, programmes: list[Programme]) -> Budget:
    by_code = {programme.code: programme for programme in programmes}
    scale = SCALES[year.year]
    amounts = [(row, (Decimal(row[-1]) * M * scale).quantize(Decimal("1"))) for row in LINES]
    ceiling = (sum(amount for _row, amount in amounts) * Decimal("1.05")).quantize(Decimal("1"))
    budget, created = Budget.objects.get_or_create(
        fiscal_year=year, version=1, defaults={"title": f"Presupuesto de egresos {year.year}", "ceiling": ceiling}
    )
    if not created:
        return budget
    for code, total in _programme_totals(amounts).items():
        # Each programme's allocation leaves it a little room above what its lines take.
        ProgrammeCeiling.objects.create(
            budget=budget, programme=by_code[code], amount=(total * Decimal("1.02")).quantize(Decimal("1"))
        )
    codes, transfers = catalogue_codes(), dict(TRANSFERS.get(year.year, {}))
    rates = dict(zip(by_code, EXECUTION.get(year.year, [Decimal(0)] * len(by_code)), strict=False))
    for (code, partida, subfunction, modality, fund, description, _m), approved in amounts:
        programme = by_code[code]
        assert programme.agency is not None  # every programme of the seed has its agency
        # Adecuaciones of the year land on each programme's first line.
        modified = approved + transfers.pop(code, 0)
        BudgetLine.objects.create(
            budget=budget,
            programme=programme,
            agency=programme.agency,
            funding_source=fund,
            source=codes[(ConacCatalogue.FUNDING, LEGACY_SOURCES[fund])],
            description=description,
            approved_amount=approved,
            modified_amount=modified,
            executed_amount=(modified * rates.get(code, Decimal(0))).quantize(Decimal("0.01")),
            **classification(codes, partida, subfunction, modality),
        )
    return budget


def _programme_totals(amounts: list[tuple[tuple, Decimal]]) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for row, amount in amounts:
        totals[row[0]] = totals.get(row[0], Decimal(0)) + amount
    return totals


# The quarters recorded by stage: 2024 all four, closed (its year is closed); 2025 three, the first two closed.
QUARTERS = {2024: (4, 4, (2025, 1, 20)), 2025: (3, 2, (2025, 10, 15))}


def build_quarterly_execution(budgets: list[Budget], *, closer: Actor) -> None:
    """Each published budget's execution by stage and quarter, with its closed quarters (once)."""
    for budget in budgets:
        recorded, closed, when = QUARTERS[budget.fiscal_year.year]
        if budget.closed_quarters.exists() or not budget.lines.exists():
            continue
        record_quarters(budget, range(1, recorded + 1), range(1, closed + 1), closer, _at(*when))


# --- The 2025 annual report and evaluation ----------------------------------------------------------------------

OPENING = (
    "El **Informe anual 2025** da cuenta de lo que el municipio hizo con el plan «León hacia el Futuro»: cuánto "
    "se ejerció de lo que aprobó el Ayuntamiento, qué proyectos avanzaron, cómo se movieron los indicadores de "
    "desarrollo y qué decidieron los órganos de planeación.\n\n"
    "Las cifras se toman directamente del portal, tal como las registraron las dependencias y el cuerpo técnico."
)
CLOSING = (
    "## Retos para 2026\n\n"
    "- Acelerar el ejercicio de los programas con avance menor al 70 %.\n"
    "- Completar la medición anual de los indicadores que no tienen dato reciente.\n"
    "- Sesionar con regularidad en las comisiones de planeación estratégica."
)
# (strategy number, title, text)
STRATEGY_SECTIONS = [
    (
        1,
        "Agua y medio ambiente",
        "La planta de tratamiento Sur y el parque lineal del Río de los Gómez concentraron "
        "la inversión de la estrategia. La red de agua potable en comunidades rurales del norte quedó concluida.",
    ),
    (
        7,
        "Movilidad e infraestructura",
        "La pavimentación en San Juan de Abajo y la ciclovía del Boulevard Timoteo "
        "Lozano avanzaron conforme a su programa de obra; el puente vehicular en Malecón del Río se canceló.",
    ),
]
# (indicator code prefix of the goal, kind, text); None: a general finding
FINDINGS = [
    (
        None,
        FindingKind.FINDING,
        "La mayoría de las metas del plan están en riesgo: el avance de sus indicadores es "
        "menor que el tiempo transcurrido desde la línea base.",
    ),
    (
        None,
        FindingKind.RECOMMENDATION,
        "Revisar en el próximo diagnóstico las metas de competitividad con el "
        "Consejo Sectorial de Desarrollo Económico y ajustar sus plazos o sus acciones.",
    ),
    (
        "SUS-",
        FindingKind.RECOMMENDATION,
        "Medir cada año la cobertura de agua potable por delegación, no solo en "
        "el municipio, para orientar las obras a las colonias sin servicio.",
    ),
    (
        "CDV-",
        FindingKind.FINDING,
        "Los indicadores de calidad de vida dependen de fuentes quinquenales: el "
        "seguimiento anual requiere registros administrativos.",
    ),
]


def build_report_and_evaluation(
    *, users: dict[str, Actor], ayuntamiento: Body, consultative: Body, year: FiscalYear
) -> None:
    """The 2025 report and evaluation, written, approved in session and published (once)."""
    if AnnualReport.objects.filter(fiscal_year=year).exists():
        return
    planner, secretary = users["planeador"], users["secretario"]
    plan = StrategicPlan.objects.published().order_by("-version").first()
    assert plan is not None  # the seed published its strategic plan before
    report = _write_report(planner, year, plan)
    evaluation = _write_evaluation(planner, year, plan)
    for instrument in (report, evaluation):
        lifecycle.instrument_submit(instrument=instrument, actor=planner)
    _hold_session(
        secretary=secretary,
        body=ayuntamiento,
        when=_at(2026, 2, 26),
        place="Salón de Cabildo",
        items=[("Aprobación del Informe anual 2025", report)],
    )
    _hold_session(
        secretary=secretary,
        body=consultative,
        when=_at(2026, 3, 19),
        absent=2,
        place="Sala de consejo del IMPLAN",
        items=[("Aprobación de la Evaluación 2025 del plan", evaluation)],
    )
    for instrument in (report, evaluation):
        lifecycle.instrument_publish(instrument=type(instrument).objects.get(pk=instrument.pk), actor=planner)


def _write_report(planner: Actor, year: FiscalYear, plan: StrategicPlan) -> AnnualReport:
    report = report_services.annual_report_create(actor=planner, fiscal_year=year, title=f"Informe anual {year.year}")
    strategies = {s.number: s for s in Strategy.objects.filter(plan=plan)}
    sections = [report_services.SectionData(order=1, title="Presentación", body=OPENING)]
    sections += [
        report_services.SectionData(order=10 + n, title=title, body=text, strategy=strategies[n])
        for n, title, text in STRATEGY_SECTIONS
    ]
    sections.append(report_services.SectionData(order=100, title="Conclusiones", body=CLOSING))
    for data in sections:
        report_services.report_section_save(actor=planner, report=report, data=data)
    return report


def _write_evaluation(planner: Actor, year: FiscalYear, plan: StrategicPlan) -> Evaluation:
    evaluation = evaluation_services.evaluation_create(
        actor=planner, plan=plan, fiscal_year=year, title=f"Evaluación {year.year} del plan «{plan.title}»"
    )
    goals = list(Goal.objects.filter(objective__strategy__plan=plan).select_related("indicator").order_by("pk"))
    for prefix, kind, text in FINDINGS:
        goal = next((g for g in goals if g.indicator.code.startswith(prefix)), None) if prefix else None
        data = evaluation_services.FindingData(kind=kind, text=text, goal=goal)
        evaluation_services.evaluation_finding_save(actor=planner, evaluation=evaluation, data=data)
    return evaluation
