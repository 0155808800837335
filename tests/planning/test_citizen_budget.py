"""The Presupuesto Ciudadano: a published budget told in plain Spanish (CONAC's questions), with the same totals as
the budget's page, a constant number of queries, a 404 for a year without a published budget, and a PDF under 1 MB."""

import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from implan.formatting import mxn, mxn_words
from implan.models import LifecycleState
from planning.models import FundingSource, SpendingChapter
from planning.selectors import budget as budget_selectors
from planning.selectors import citizen_budget as citizen
from tests.factories import BudgetFactory, BudgetLineFactory, FiscalYearFactory, ProgrammeFactory, StrategyFactory

pytestmark = pytest.mark.django_db

QUESTIONS = [
    "¿Qué es el presupuesto de egresos?",
    "¿De dónde obtiene el municipio sus ingresos?",
    "¿En qué se gasta?",
    "¿Para qué se gasta?",
    "¿Quién lo gasta?",
    "¿Qué pueden hacer los ciudadanos?",
]


@pytest.fixture
def two_years():
    """2024 and 2025 published; 2025: 60 % own revenue, 40 % FAISM; 75 % public works; two strategies."""
    water = ProgrammeFactory(strategy=StrategyFactory(name="Agua para todos"))
    roads = ProgrammeFactory(strategy=StrategyFactory(name="Movilidad segura", plan=water.strategy.plan))
    before = BudgetFactory(
        state=LifecycleState.PUBLISHED, fiscal_year=FiscalYearFactory(year=2024), ceiling=Decimal("9e9")
    )
    BudgetLineFactory(budget=before, programme=water, approved_amount=Decimal("500000000"))
    now = BudgetFactory(state=LifecycleState.PUBLISHED, ceiling=Decimal("9e9"))
    BudgetLineFactory(budget=now, programme=water, approved_amount=Decimal("450000000"))
    BudgetLineFactory(
        budget=now,
        programme=roads,
        approved_amount=Decimal("150000000"),
        chapter=SpendingChapter.PERSONAL,
        funding_source=FundingSource.FAISM,
        executed_amount=Decimal("30000000"),
    )
    BudgetLineFactory(
        budget=now, programme=roads, approved_amount=Decimal("400000000"), funding_source=FundingSource.FAISM
    )
    return now


def _page(client, year=2025) -> str:
    response = client.get(reverse("planning:citizen_budget", args=[year]))
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_citizen_budget_answers_each_question_of_the_conac_format_in_plain_words(client, two_years):
    page = _page(client)
    for question in QUESTIONS:
        assert question in page
    assert "presupuesto aprobado de <strong>1,000 millones de pesos</strong>" in page
    assert "Es 100.0 % más que en 2024, cuando se aprobaron 500 millones de pesos." in page
    assert "por habitante" not in page  # no census figure recorded for the municipality
    assert (
        "De cada 100 pesos del presupuesto, 55 vienen de Aportaciones federales: FAISM (Ramo 33); 45 vienen de" in page
    )
    assert (
        "85 se gastan en Inversión pública (capítulo 6000); 15 se gastan en Servicios personales (capítulo 1000)"
        in page
    )
    assert "55 se destinan a la estrategia «Movilidad segura»; 45 se destinan a la estrategia «Agua para todos»" in page
    # The previous year beside each row: «Agua para todos» went from 500 to 450 millions.
    assert '$500,000,000.00 MXN</td> <td class="number">-10.0 %' in page
    assert "nuevo" in page  # «Movilidad segura» had nothing in 2024
    assert reverse("consultations:list") in page and reverse("consultations:call_list") in page
    assert reverse("planning:citizen_budget_pdf", args=[2025]) in page


def test_each_chart_has_a_text_alternative_and_its_data_table(client, two_years):
    page = _page(client)
    for block in citizen.CLASSIFICATIONS:
        assert f'aria-labelledby="grafica-{block.key}-titulo grafica-{block.key}-desc"' in page
        assert f'<desc id="grafica-{block.key}-desc">' in page
    assert "Movilidad segura: 550 millones de pesos, 55 de cada 100 pesos." in page
    assert page.count("<table") == len(citizen.CLASSIFICATIONS)


def test_the_totals_are_those_of_the_budget_page(client, demo):
    budget = budget_selectors.published_budget(year=2025)
    data = citizen.citizen_budget(budget=budget)
    summary = budget_selectors.budget_summary(budget=budget)
    totals = budget_selectors.labelled_totals(budget=budget)
    assert data.total == summary.approved > 0
    for block in data.blocks:
        assert sum(row.amount for row in block.rows) == summary.approved
        assert sum(row.share for row in block.rows) == 100
    by_key = {block.classification.key: block for block in data.blocks}
    for key, rows in (("en-que", totals.by_chapter), ("para-que", totals.by_strategy), ("quien", totals.by_agency)):
        assert sorted(row.amount for row in by_key[key].rows) == sorted(row.approved for row in rows)
    # The functional classification (CONAC) as the budget page's table of funciones shows it.
    functions = budget_selectors.totals_by_function(budget=budget)
    assert len(functions) > 3 and "Sin clasificar" not in [row.label for row in by_key["funciones"].rows]
    assert sorted(row.amount for row in by_key["funciones"].rows) == sorted(row.approved for row in functions)
    assert data.previous is not None and data.previous.fiscal_year.year == 2024
    assert data.previous_approved == budget_selectors.budget_summary(budget=data.previous).approved
    # The same figure, formatted the same way, on both pages.
    approved = summary.approved
    assert mxn(approved) in client.get(reverse("planning:budget_year", args=[2025])).content.decode()
    page = _page(client)
    assert mxn(approved) in page
    # León's 1,721,215 inhabitants (INEGI, census 2020): the total per inhabitant, in whole pesos.
    per_inhabitant = (approved / 1721215).quantize(Decimal("1"))
    assert data.per_inhabitant == per_inhabitant
    assert f"Equivale a <strong>{per_inhabitant:,} pesos por habitante</strong> al año" in page
    assert "entre los 1,721,215 habitantes del municipio" in page


@pytest.mark.parametrize(
    "state", [LifecycleState.DRAFT, LifecycleState.IN_REVIEW, LifecycleState.APPROVED, LifecycleState.SUPERSEDED]
)
def test_a_year_without_a_published_budget_has_no_citizen_budget(client, state):
    BudgetLineFactory(budget=BudgetFactory(state=state))
    for name in ("planning:citizen_budget", "planning:citizen_budget_pdf"):
        assert client.get(reverse(name, args=[2025])).status_code == 404
    assert client.get(reverse("planning:citizen_budget", args=[2031])).status_code == 404


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_page_keeps_a_constant_query_count_as_the_budget_grows(client, two_years, django_assert_num_queries):
    url = reverse("planning:citizen_budget", args=[2025])
    small = _queries(client, url)
    for i in range(30):  # each line brings its own programme, strategy, plan and agency
        BudgetLineFactory(budget=two_years, approved_amount=Decimal(1000 + i), chapter=SpendingChapter.SERVICES)
    with django_assert_num_queries(small):
        client.get(url)


def test_the_budget_page_links_the_citizen_budget_and_its_pdf(client, two_years):
    page = client.get(reverse("planning:budget_year", args=[2025])).content.decode()
    assert reverse("planning:citizen_budget", args=[2025]) in page
    assert reverse("planning:citizen_budget_pdf", args=[2025]) in page


def test_the_pdf_is_under_one_megabyte_and_reads_as_the_page(client, demo):
    response = client.get(reverse("planning:citizen_budget_pdf", args=[2025]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = b"".join(response) if response.streaming else response.content
    assert len(pdf) < 1024 * 1024
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))
    assert "Presupuesto Ciudadano 2025" in text
    for question in QUESTIONS:
        assert question in text
    budget = budget_selectors.published_budget(year=2025)
    assert mxn_words(budget_selectors.budget_summary(budget=budget).approved) in text
    assert "De cada 100 pesos del presupuesto" in text


def test_shares_of_100_always_add_up_to_100():
    assert citizen.shares_of_100([Decimal(1), Decimal(1), Decimal(1)]) == [34, 33, 33]
    assert citizen.shares_of_100([Decimal("0.6"), Decimal("99.4")]) == [1, 99]
    assert sum(citizen.shares_of_100([Decimal(n) for n in (7, 13, 29, 51, 3, 1)])) == 100
    assert citizen.shares_of_100([Decimal(0), Decimal(0)]) == [0, 0]
    assert citizen.shares_of_100([]) == []


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (Decimal("9292000000"), "9,292 millones de pesos"),
        (Decimal("649300000"), "649 millones de pesos"),
        (Decimal("12340000"), "12.3 millones de pesos"),
        (Decimal("12000000"), "12 millones de pesos"),
        (Decimal("1000000"), "1 millón de pesos"),
        (Decimal("850000"), "850 mil pesos"),
        (Decimal("500"), "500 pesos"),
    ],
)
def test_amounts_in_words_as_a_citizen_reads_them(amount, words):
    with translation.override("es-mx"):
        assert mxn_words(amount) == words


def test_a_new_classification_is_one_more_entry_of_the_list(client, two_years, monkeypatch):
    """What the integrator does for the CONAC classifications: append a block; page and PDF follow."""
    extra = citizen.Classification(
        key="prueba",
        title="Clasificación de prueba",
        question="¿Pregunta de prueba?",
        explanation="Explicación.",
        sentence="%(share)s van a %(label)s",
        rows=lambda budget: [("Todo", budget.lines.aggregate(total=Sum("approved_amount"))["total"])],
    )
    monkeypatch.setattr(citizen, "CLASSIFICATIONS", [*citizen.CLASSIFICATIONS, extra])
    page = _page(client)
    assert "¿Pregunta de prueba?" in page and "De cada 100 pesos del presupuesto, 100 van a Todo." in page


def _programmes(budget, n):
    """``n`` lines, each with its own programme, strategy and agency (a budget at León's real breadth)."""
    for i in range(n):
        BudgetLineFactory(budget=budget, approved_amount=Decimal(1_000_000 * (i + 1)))


def test_a_chart_draws_the_largest_rows_and_the_others_together_while_the_table_lists_all(client, two_years):
    _programmes(two_years, 30)
    data = citizen.citizen_budget(budget=two_years)
    programmes = next(block for block in data.blocks if block.classification.key == "programas")
    chart = programmes.chart_rows
    assert len(programmes.rows) == 32 and len(chart) == citizen.CHART_ROWS
    assert chart[-1].label == "Los otros 21 (en la tabla)"
    assert sum(row.amount for row in chart) == data.total and sum(row.share for row in chart) == 100
    assert max(row.bar for row in chart) == 100
    page = _page(client)
    # Programmes and strategies (each new line has its own) drawn with «the others»; agencies too (one more).
    assert 'class="citizen-chart-value">' in page and "Los otros 22 (en la tabla): " in page
    assert page.count("Los otros 21 (en la tabla)") == 4  # two charts, each in its bars and in its <desc>


def test_the_pdf_of_a_broad_budget_stays_under_one_megabyte_with_a_constant_query_count(
    client, two_years, django_assert_max_num_queries
):
    url = reverse("planning:citizen_budget_pdf", args=[2025])
    small = _queries(client, url)
    _programmes(two_years, 150)
    with django_assert_max_num_queries(small):
        response = client.get(url)
    assert len(response.content) < 1024 * 1024
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Los otros 141 (en la tabla)" in text  # 152 programmes: the 11 largest, then the others
