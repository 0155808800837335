"""The annual budgets of the demo: one line per programme and spending chapter, under a ceiling."""

from decimal import Decimal

from implan.demo.plan import PROGRAMMES
from implan.models import FiscalYear
from planning.models import Budget, BudgetLine, FundingSource, Programme, SpendingChapter

CHAPTERS = [SpendingChapter.PUBLIC_WORKS, SpendingChapter.SERVICES, SpendingChapter.MATERIALS]
SOURCES = [FundingSource.OWN, FundingSource.FAISM, FundingSource.FEDERAL_PARTICIPATIONS]


def build_budget(year: FiscalYear, programmes: list[Programme], *, scale: Decimal) -> Budget:
    amounts = {code: Decimal(amount) * scale for code, _n, _s, _a, amount in PROGRAMMES}
    ceiling = (sum(amounts.values()) * Decimal("1.05")).quantize(Decimal("1"))
    budget, created = Budget.objects.get_or_create(
        fiscal_year=year, version=1,
        defaults={"title": f"Presupuesto de egresos {year.year}", "ceiling": ceiling})
    if not created:
        return budget
    for index, programme in enumerate(programmes):
        total = amounts[programme.code]
        for part, share in enumerate((Decimal("0.7"), Decimal("0.3"))):
            approved = (total * share).quantize(Decimal("0.01"))
            executed = (approved * Decimal("0.8")).quantize(Decimal("0.01")) if year.year == 2025 else Decimal(0)
            BudgetLine.objects.create(
                budget=budget, programme=programme, agency=programme.agency, chapter=CHAPTERS[(index + part) % 3],
                funding_source=SOURCES[(index + part) % 3], description=f"{programme.name} ({part + 1})",
                approved_amount=approved, modified_amount=approved, executed_amount=executed)
    return budget
