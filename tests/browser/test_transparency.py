"""The transparency pages in a real browser over the León demo: a visitor goes from the footer to the index, opens
the Ayuntamiento's obligation, reads its legal basis and downloads the PNT file; the same page on a phone; the
planner's due list. Every page passes axe-core; screenshots for the eye."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import log_in
from tests.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def test_a_visitor_finds_the_ayuntamiento_votes_and_downloads_the_pnt_file(live_server, demo, new_page, screenshot):
    page = new_page()
    page.goto(live_server.url + "/")
    page.get_by_role("contentinfo").get_by_role("link", name="Transparencia").click()
    expect(page.get_by_role("heading", level=1, name="Obligaciones de transparencia")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "transparencia-indice-1280")
    page.get_by_role("link", name="Sesiones del Ayuntamiento: asistencia y votaciones").click()
    expect(page.get_by_text("artículo 66, fracción II, inciso b)")).to_be_visible()
    expect(page.get_by_role("cell", name="A favor").first).to_be_visible()
    assert_accessible(page)
    screenshot(page, "transparencia-ayuntamiento-1280")
    with page.expect_download() as download:
        page.get_by_role("link", name="Descargar en formato PNT (XLSX)").click()
    assert download.value.suggested_filename == "transparencia-sesiones-del-ayuntamiento.xlsx"
    sheet = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()), read_only=True).active
    header = next(sheet.iter_rows(values_only=True))
    assert header[:3] == (
        "Ejercicio",
        "Fecha de inicio del periodo que se informa",
        "Fecha de término del periodo que se informa",
    )
    assert "Sentido del voto" in header


def test_the_obligation_page_reads_on_a_phone(live_server, demo, new_page, screenshot):
    page = new_page(width=390, height=844)
    page.goto(live_server.url + "/transparencia/presupuesto/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Presupuesto asignado y su ejercicio trimestral")
    expect(page.get_by_role("link", name="Descargar en formato PNT (XLSX)")).to_be_visible()
    # Nothing but the table's own scrolling box is wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)
    screenshot(page, "transparencia-presupuesto-390")
    page.goto(live_server.url + "/transparencia/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "transparencia-indice-390")


def test_the_planner_reads_what_is_due(live_server, demo, new_page, screenshot):
    page = new_page()
    log_in(page, live_server.url, "planeador", DEMO_PASSWORD)
    page.goto(live_server.url + "/espacio/")
    page.get_by_role("link", name="Calendario de transparencia: qué se debe publicar").click()
    expect(page.get_by_role("heading", level=1, name="Calendario de transparencia")).to_be_visible()
    expect(page.get_by_role("row")).to_have_count(7)
    assert_accessible(page)
    screenshot(page, "transparencia-calendario-1280")
