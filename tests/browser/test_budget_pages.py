"""The money pages in a real browser: the public budget, report and evaluation pass axe-core on desktop and phone;
a planner sees the ceiling refusal on the line form, corrects it, and finds the line in the budget."""

from decimal import Decimal

import pytest

from implan.models import LifecycleState
from planning.models import FindingKind
from tests.browser.a11y import assert_accessible, assert_pages_accessible
from tests.browser.conftest import log_in
from tests.factories import (
    PASSWORD,
    AgencyFactory,
    AnnualReportFactory,
    BudgetFactory,
    BudgetLineFactory,
    EvaluationFactory,
    EvaluationFindingFactory,
    FiscalYearFactory,
    ProgrammeFactory,
    ReportSectionFactory,
    UserFactory,
)
from tests.planning.report_world import build_year

pytestmark = pytest.mark.browser


@pytest.fixture
def published_year(transactional_db, role_groups):
    world = build_year()
    report = AnnualReportFactory(fiscal_year=world.year, state=LifecycleState.PUBLISHED)
    ReportSectionFactory(report=report, order=1, title="Presentación", body="Un año de **trabajo**.")
    evaluation = EvaluationFactory(plan=world.plan, fiscal_year=world.year, state=LifecycleState.PUBLISHED)
    EvaluationFindingFactory(evaluation=evaluation, kind=FindingKind.RECOMMENDATION, text="Medir cada año.")
    # A closed earlier year, so the 2025 page shows the navigation between years and the comparison.
    earlier = BudgetFactory(
        state=LifecycleState.PUBLISHED,
        title="Presupuesto de egresos 2024",
        fiscal_year=FiscalYearFactory(year=2024, is_closed=True),
    )
    BudgetLineFactory(budget=earlier, approved_amount=Decimal("800000"), executed_amount=Decimal("760000"))
    return world


def test_public_money_pages_have_no_axe_violations(live_server, published_year, new_page, screenshot):
    def one_heading_and_a_screenshot(page, path, width):
        assert page.locator("h1").count() == 1, path
        screenshot(page, f"publico{path.replace('/', '-').rstrip('-')}-{width}")

    pages = [
        "/presupuesto/",
        "/presupuesto/2025/",
        "/presupuesto/2025/clasificaciones/",
        "/presupuesto/2025/lineas/",
        "/informe/2025/",
        "/evaluacion/2025/",
    ]
    assert_pages_accessible(new_page, live_server.url, pages, each=one_heading_and_a_screenshot)


def test_a_planner_is_told_the_ceiling_is_exceeded_and_then_adds_the_line(live_server, role_groups, page, screenshot):
    UserFactory(username="planeadora", roles=["Planeación"])
    budget = BudgetFactory(
        fiscal_year=FiscalYearFactory(year=2027), title="Presupuesto de egresos 2027", ceiling=Decimal("1000000")
    )
    ProgrammeFactory(code="P07", name="Deporte comunitario", agency=AgencyFactory(name="Comisión del Deporte"))
    log_in(page, live_server.url, "planeadora", PASSWORD)
    page.goto(f"{live_server.url}/espacio/presupuestos/{budget.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Nueva línea").click()
    page.get_by_label("Programa", exact=True).select_option(label="P07 · Deporte comunitario")
    page.get_by_label("Partida genérica (Clasificador por Objeto del Gasto)").fill("6120")
    page.get_by_label("Subfunción (Clasificación Funcional)").fill("2.4.1")
    page.get_by_label("Modalidad del programa presupuestario (Clasificación Programática)").fill("K")
    page.get_by_label("Fuente de financiamiento (CONAC)").fill("11")
    page.get_by_label("Monto aprobado (MXN)").fill("1000000.01")
    page.get_by_role("button", name="Guardar").click()
    alert = page.get_by_role("alert")
    assert "rebasaría el techo presupuestal de $1,000,000.00 MXN" in alert.inner_text()
    assert_accessible(page)
    screenshot(page, "presupuesto-linea-rechazada")
    page.get_by_label("Monto aprobado (MXN)").fill("250000")
    page.get_by_role("button", name="Guardar").click()
    assert "Se agregó la línea presupuestal." in page.get_by_role("status").inner_text()
    assert "$250,000.00 MXN" in page.locator("main").inner_text()
    screenshot(page, "presupuesto-linea-agregada")
