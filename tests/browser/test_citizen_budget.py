"""The Presupuesto Ciudadano of the León demo in the browser: reached from the budget's page, read on a desktop and
on a phone (no sideways scrolling), accessible (axe), and its PDF link answers with a PDF."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible

PHONE = {"width": 390, "height": 844}


def test_a_citizen_reads_the_citizen_budget_on_a_desktop_and_a_phone(live_server, demo, new_page, screenshot):
    page = new_page()
    page.goto(live_server.url + "/presupuesto/2025/")
    page.get_by_role("link", name="Presupuesto Ciudadano").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Presupuesto Ciudadano 2025")
    for question in ("¿De dónde obtiene el municipio sus ingresos?", "¿En qué se gasta?", "¿Quién lo gasta?"):
        expect(page.get_by_role("heading", name=question)).to_be_visible()
    chart = "Capítulos del gasto: parte de cada uno en el presupuesto aprobado"
    expect(page.get_by_role("img", name=chart)).to_be_visible()
    expect(page.get_by_text("De cada 100 pesos del presupuesto,").first).to_be_visible()
    assert_accessible(page)
    screenshot(page, "presupuesto-ciudadano-escritorio")

    href = page.get_by_role("link", name="Descargar en PDF para imprimir").get_attribute("href")
    pdf = page.request.get(live_server.url + href)
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and len(pdf.body()) < 1024 * 1024

    phone = new_page(**PHONE)
    phone.goto(page.url)
    expect(phone.get_by_role("heading", name="¿Qué pueden hacer los ciudadanos?")).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"el Presupuesto Ciudadano desborda horizontalmente en un teléfono ({width}px)"
    assert_accessible(phone)
    screenshot(phone, "presupuesto-ciudadano-telefono")
