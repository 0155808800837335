"""A planner fills a budget line with CONAC's classifications in the browser: picks codes from the catalogues' lists,
sees a partida that does not exist refused in Spanish, saves the line and finds it classified; on a phone too."""

from __future__ import annotations

from decimal import Decimal

from playwright.sync_api import expect

from implan import roles
from planning.models import BudgetLine
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, AgencyFactory, BudgetFactory, ProgrammeFactory, UserFactory


def test_a_planner_fills_a_budget_line_with_its_classifications(new_page, live_server, role_groups, screenshot):
    agency = AgencyFactory(name="Secretaría de Seguridad", acronym="SSP")
    programme = ProgrammeFactory(code="P13", name="Atención ciudadana 24/7", agency=agency)
    budget = BudgetFactory(title="Presupuesto de egresos 2025", ceiling=Decimal("500000000"))
    planner = UserFactory(username="planeadora", roles=[roles.PLANNING])
    base = live_server.url

    page = new_page()
    log_in(page, base, planner.username, PASSWORD)
    page.goto(f"{base}/espacio/presupuestos/{budget.pk}/")
    page.get_by_role("link", name="Nueva línea").click()
    page.get_by_label("Programa", exact=True).select_option(str(programme.pk))
    partida = page.get_by_label("Partida genérica (Clasificador por Objeto del Gasto)")
    partida.fill("2115")  # looks like a partida, is not one
    page.get_by_label("Subfunción (Clasificación Funcional)").fill("1.7.1")
    page.get_by_label("Modalidad del programa presupuestario (Clasificación Programática)").fill("E")
    page.get_by_label("Fuente de financiamiento (CONAC)").fill("25")
    page.get_by_label("Fondo o tipo de recurso").select_option(label="Aportaciones federales: FORTAMUN (Ramo 33)")
    page.get_by_label("Concepto", exact=True).fill("Combustible de patrullas")
    page.get_by_label("Monto aprobado (MXN)").fill("150000000")
    page.get_by_role("button", name="Guardar").click()
    expect(page.get_by_text("La partida 2115 no existe en el Clasificador por Objeto del Gasto.")).to_be_visible()
    assert not BudgetLine.objects.exists()
    screenshot(page, "presupuesto-linea-partida-inexistente")

    partida.fill("2610")
    page.get_by_label("Partida específica (opcional)").fill("26101")
    screenshot(page, "presupuesto-linea-clasificada")
    page.get_by_role("button", name="Guardar").click()
    expect(page.get_by_text("Se agregó la línea presupuestal.")).to_be_visible()
    expect(page.get_by_role("cell", name="2610 (26101)")).to_be_visible()
    line = BudgetLine.objects.get()
    assert (line.partida.code, line.chapter, line.subfunction.code, line.modality.code, line.source.code) == (
        "2610",
        "2000",
        "1.7.1",
        "E",
        "25",
    )

    phone = new_page(width=390, height=844)
    log_in(phone, base, planner.username, PASSWORD)
    phone.goto(f"{base}/espacio/presupuestos/{budget.pk}/lineas/nueva/")
    expect(phone.get_by_label("Partida genérica (Clasificador por Objeto del Gasto)")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "presupuesto-linea-telefono")


def test_the_public_budget_shows_conacs_classifications_and_stages_on_a_phone(new_page, live_server, demo, screenshot):
    phone = new_page(width=390, height=844)
    phone.goto(f"{live_server.url}/presupuesto/2025/")
    expect(phone.get_by_role("table", name="Momentos contables por trimestre")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.get_by_role("navigation", name="Partes de este presupuesto").get_by_role(
        "link", name="Por clasificaciones del CONAC"
    ).click()
    expect(phone.get_by_role("heading", name="Por clasificaciones del CONAC", level=2)).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "presupuesto-publico-clasificaciones-telefono")
    desktop = new_page()
    desktop.goto(f"{live_server.url}/presupuesto/2025/#momentos")
    screenshot(desktop, "presupuesto-publico-clasificaciones")
