"""The demo's budget has León's real scale and shape, every line classified by CONAC's catalogues, its execution by
stage and quarter, and open data that validates for every published year."""

import json
import subprocess
import sys
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.urls import reverse

from planning.models import Budget, BudgetExecution
from planning.selectors import budget as selectors

FRICTIONLESS = __import__("pathlib").Path(sys.executable).parent / "frictionless"


def _budget(year):
    return Budget.objects.select_related("fiscal_year").get(fiscal_year__year=year)


def test_the_2025_budget_has_leons_scale_and_every_chapter_in_plausible_shares(demo):
    budget = _budget(2025)
    total = budget.lines.aggregate(total=Sum("approved_amount"))["total"]
    assert abs(total - Decimal("8500000000")) <= Decimal("8500000000") * Decimal("0.15")
    shares = {row.label[:4]: row.approved / total for row in selectors.totals_by_cog_chapter(budget=budget)}
    assert set(shares) == {f"{n}000" for n in range(1, 10)}
    assert Decimal("0.35") <= shares["1000"] <= Decimal("0.45")  # servicios personales, about 40 %
    assert Decimal("0.10") <= shares["6000"] <= Decimal("0.25")  # inversión pública
    assert not budget.lines.filter(partida__isnull=True).exists()
    assert not budget.lines.filter(subfunction__isnull=True).exists()


def test_the_investment_programme_reaches_every_strategy_with_projects(demo):
    budget = _budget(2025)
    investment = (
        budget.lines.filter(chapter="6000").values("programme__strategy__number").annotate(s=Sum("approved_amount"))
    )
    assert {row["programme__strategy__number"] for row in investment} == set(range(1, 10))


def test_2025_is_recorded_by_stage_to_the_third_quarter_with_two_quarters_closed(demo):
    budget = _budget(2025)
    rows = selectors.stage_totals(budget=budget, approved=Decimal(0))
    assert [(r.quarter, r.closed) for r in rows] == [(1, True), (2, True)]  # the third is recorded, still open
    assert rows[0].exercised < rows[1].exercised
    line = budget.lines.order_by("pk").first()
    assert line.executed_amount == BudgetExecution.objects.get(line=line, quarter=3).exercised
    assert _budget(2024).closed_quarters.count() == 4


@pytest.mark.parametrize("year", [2024, 2025])
def test_each_published_years_package_passes_frictionless(client, demo, year, tmp_path):
    (tmp_path / "datapackage.json").write_bytes(client.get(reverse("planning:budget_datapackage", args=[year])).content)
    (tmp_path / "lineas.csv").write_bytes(client.get(reverse("planning:budget_csv", args=[year])).content)
    result = subprocess.run(
        [str(FRICTIONLESS), "validate", "--json", "datapackage.json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert json.loads(result.stdout)["valid"] is True, result.stdout[-3000:]
