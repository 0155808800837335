"""The public budget pages: only published budgets, totals with charts and their data tables, and a constant
number of queries however many lines, programmes, strategies and agencies the budget has."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from implan.models import LifecycleState
from tests.factories import BudgetFactory, BudgetLineFactory, FiscalYearFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def published():
    return BudgetFactory(state=LifecycleState.PUBLISHED, ceiling=Decimal("10000000"))


def _grow(budget, n):
    for i in range(n):
        BudgetLineFactory(budget=budget, approved_amount=Decimal(1000 + i), executed_amount=Decimal(i))


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "name",
    [
        "planning:budget_year",
        "planning:budget_classifications",
        "planning:budget_lines",
        "planning:budget_datapackage",
        "planning:budget_csv",
    ],
)
def test_public_budget_pages_keep_a_constant_query_count_as_the_budget_grows(client, published, name):
    url = reverse(name, args=[2025])
    _grow(published, 3)
    small = _queries(client, url)
    _grow(published, 40)  # each line brings its own programme, strategy, plan and agency
    assert _queries(client, url) == small


def test_the_budget_index_keeps_a_constant_query_count_as_years_are_added(client, published):
    _grow(published, 2)
    small = _queries(client, reverse("planning:budget_index"))
    for year in (2022, 2023, 2024):
        _grow(BudgetFactory(state=LifecycleState.PUBLISHED, fiscal_year=FiscalYearFactory(year=year)), 3)
    assert _queries(client, reverse("planning:budget_index")) == small
    # Each published year leads to its citizen budget too.
    page = client.get(reverse("planning:budget_index")).content.decode()
    for year in (2022, 2023, 2024, 2025):
        assert reverse("planning:citizen_budget", args=[year]) in page


def test_the_budget_page_shows_totals_a_chart_with_its_text_and_the_tables(client, published):
    line = BudgetLineFactory(
        budget=published, approved_amount=Decimal("1234567.89"), executed_amount=Decimal("617283.95")
    )
    page = client.get(reverse("planning:budget_year", args=[2025])).content.decode()
    assert "$1,234,567.89 MXN" in page and "$617,283.95 MXN" in page
    assert 'role="img"' in page and '<desc id="grafica-estrategia-desc">' in page
    assert f"{line.programme.strategy.name}: aprobado $1,234,567.89 MXN" in page
    assert "<caption>Montos por estrategia</caption>" in page
    assert '<th scope="row">' in page
    assert "50.0 %" in page
    assert reverse("planning:budget_datapackage", args=[2025]) in page


@pytest.mark.parametrize(
    "state", [LifecycleState.DRAFT, LifecycleState.IN_REVIEW, LifecycleState.APPROVED, LifecycleState.SUPERSEDED]
)
def test_an_unpublished_budget_is_not_public(client, state):
    BudgetLineFactory(budget=BudgetFactory(state=state), description="Línea secreta")
    for name in ("planning:budget_year", "planning:budget_classifications", "planning:budget_lines"):
        assert client.get(reverse(name, args=[2025])).status_code == 404
    assert "Línea secreta" not in client.get(reverse("planning:budget_index")).content.decode()


def test_the_published_version_is_shown_not_the_draft_that_follows_it(client, published):
    BudgetLineFactory(budget=published, description="Versión vigente")
    BudgetLineFactory(budget=BudgetFactory(version=2, title="Borrador 2"), description="Borrador de cambio")
    page = client.get(reverse("planning:budget_lines", args=[2025])).content.decode()
    assert "Versión vigente" in page and "Borrador de cambio" not in page


def test_the_year_is_a_summary_that_leads_to_its_classifications_and_its_lines_on_pages_of_their_own(client, published):
    """On one page they made a phone lay out some 1,600 elements; each part now has its page, linked from the others."""
    _grow(published, 3)
    year = client.get(reverse("planning:budget_year", args=[2025])).content.decode()
    assert "Las 3 líneas del presupuesto" in year and "Líneas del presupuesto</h2>" not in year
    assert "Por clasificaciones del CONAC</h2>" not in year
    for name, current in (
        ("planning:budget_year", "Resumen"),
        ("planning:budget_classifications", "Por clasificaciones del CONAC"),
        ("planning:budget_lines", "Líneas del presupuesto"),
    ):
        page = client.get(reverse(name, args=[2025])).content.decode()
        assert f'<span aria-current="page">{current}</span>' in page
        others = {"planning:budget_year", "planning:budget_classifications", "planning:budget_lines"} - {name}
        assert all(f'href="{reverse(other, args=[2025])}"' in page for other in others)
    lines = client.get(reverse("planning:budget_lines", args=[2025])).content.decode()
    assert "<caption>3 líneas: programa, dependencia, capítulo, fuente y montos</caption>" in lines


def test_the_lines_are_paged_and_an_old_link_to_a_page_of_lines_on_the_year_still_reaches_it(client, published):
    from planning.views.budget import LINES_PER_PAGE

    _grow(published, LINES_PER_PAGE + 2)
    first = client.get(reverse("planning:budget_lines", args=[2025])).content.decode()
    second = client.get(reverse("planning:budget_lines", args=[2025]) + "?pagina=2").content.decode()
    assert first.count('<th scope="row">') == LINES_PER_PAGE and second.count('<th scope="row">') == 2
    old = client.get(reverse("planning:budget_year", args=[2025]) + "?pagina=2")
    assert old.status_code == 301 and old["Location"] == reverse("planning:budget_lines", args=[2025]) + "?pagina=2"


def test_the_navigation_links_the_public_budget(client):
    assert f'href="{reverse("planning:budget_index")}"' in client.get("/").content.decode()


def test_each_year_links_the_other_published_years_and_sets_its_totals_beside_the_previous_ones(client, published):
    earlier = BudgetFactory(
        state=LifecycleState.PUBLISHED,
        title="Presupuesto de egresos 2024",
        fiscal_year=FiscalYearFactory(year=2024, is_closed=True),
    )
    BudgetLineFactory(budget=earlier, approved_amount=Decimal("800000"), executed_amount=Decimal("760000"))
    BudgetLineFactory(budget=published, approved_amount=Decimal("1000000"), executed_amount=Decimal("380000"))
    BudgetFactory(state=LifecycleState.DRAFT, fiscal_year=FiscalYearFactory(year=2026))

    page = client.get(reverse("planning:budget_year", args=[2025])).content.decode()
    assert '<span aria-current="page">2025</span>' in page
    assert f'<a href="{reverse("planning:budget_year", args=[2024])}">2024</a>' in page
    assert reverse("planning:budget_year", args=[2026]) not in page
    assert "Comparación con 2024" in page
    # One row of the comparison: the earlier total, this year's and the change, whatever the template's indentation.
    assert (
        '<td class="number">$800,000.00 MXN</td><td class="number">$1,000,000.00 MXN</td>'
        '<td class="number">+25.0 %</td>'
    ) in re.sub(r">\s+<", "><", page)
    assert '<td class="number">-50.0 %</td>' in page  # spent: 760,000 then 380,000
    assert "El ejercicio 2025 sigue abierto" in page

    first = client.get(reverse("planning:budget_year", args=[2024])).content.decode()
    assert f'<a href="{reverse("planning:budget_year", args=[2025])}">2025</a>' in first
    assert "Comparación con" not in first


def test_a_change_from_a_previous_amount_of_zero_is_no_comparison_not_zero_percent(client, published):
    # Nothing was spent in 2024: growing from zero is no percentage, and «0 %» read as «the same as last year».
    earlier = BudgetFactory(state=LifecycleState.PUBLISHED, fiscal_year=FiscalYearFactory(year=2024, is_closed=True))
    BudgetLineFactory(budget=earlier, approved_amount=Decimal("800000"), executed_amount=Decimal("0"))
    BudgetLineFactory(budget=published, approved_amount=Decimal("1000000"), executed_amount=Decimal("380000"))
    page = client.get(reverse("planning:budget_year", args=[2025])).content.decode()
    spent = page.split('<th scope="row">Ejercido</th>', 1)[1].split("</tr>", 1)[0]
    assert "$0.00 MXN" in spent and "$380,000.00 MXN" in spent
    assert (
        '<td class="number"><span aria-hidden="true">—</span><span class="visually-hidden">sin comparación: '
        "en 2024 fue cero</span></td>"
    ) in spent
    assert "%" not in spent
    assert '<td class="number">+25.0 %</td>' in page  # approved: 800,000 then 1,000,000, compared as before
