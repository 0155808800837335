"""A planner loads a file with one bad row, sees it in the preview, fixes the file, confirms, and the public chart
shows the new values. The indicator pages pass axe on desktop and phone."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from implan import roles
from tests.browser.a11y import assert_accessible, assert_pages_accessible
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, IndicatorFactory, MunicipalityFactory, ObservationFactory, UserFactory

HEADER = "Indicador;Territorio;Período;Valor;Nota\n"
BAD = HEADER + "POB-001;11020;2023;1.734.000;Estimación\nPOB-001;11020;2024;mucho;\n"
FIXED = HEADER + "POB-001;11020;2023;1.734.000;Estimación\nPOB-001;11020;2024;1.752.300;Preliminar del IMPLAN\n"


@pytest.fixture
def indicator(transactional_db, role_groups):
    leon = MunicipalityFactory()
    indicator = IndicatorFactory(
        code="POB-001",
        slug="poblacion-total",
        name="Población total",
        unit="personas",
        definition="Personas que residen en el municipio.",
        source="INEGI",
    )
    for year, value in [(2015, "1578626"), (2020, "1721215")]:
        ObservationFactory(
            indicator=indicator,
            territory=leon,
            period=str(year),
            period_start=datetime.date(year, 1, 1),
            value=Decimal(value),
        )
    UserFactory(username="planeador", first_name="Lucía", last_name="Ramírez", roles=[roles.PLANNING])
    return indicator


def _upload(page, base_url: str, tmp_path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_bytes(text.encode("cp1252"))  # as Excel on Spanish Windows saves it
    page.goto(base_url + "/espacio/indicadores/cargas/")
    page.get_by_label("Archivo CSV o XLSX").set_input_files(str(path))
    page.get_by_role("button", name="Revisar el archivo").click()


def test_planner_fixes_a_bad_row_confirms_and_the_public_chart_shows_the_new_values(
    live_server, indicator, page, screenshot, tmp_path, database_worker
):
    log_in(page, live_server.url, "planeador", PASSWORD)
    _upload(page, live_server.url, tmp_path, "poblacion.csv", BAD)
    expect(page.locator("[data-job-label]")).to_have_text("Rechazada", timeout=20_000)  # polled, then reloaded
    expect(page.get_by_text("Columna «valor»: «mucho» no es un número.")).to_be_visible()
    expect(page.locator("tbody tr")).to_have_count(1)  # errors first: the one bad row, line 3
    expect(page.locator("tbody tr th")).to_have_text("3")
    expect(page.get_by_role("button", name="Confirmar y guardar")).to_have_count(0)
    screenshot(page, "indicadores-carga-con-error")

    _upload(page, live_server.url, tmp_path, "poblacion-corregido.csv", FIXED)
    expect(page.locator("[data-job-label]")).to_have_text("Lista para confirmar", timeout=20_000)
    expect(page.get_by_text("2 nuevas")).to_be_visible()
    screenshot(page, "indicadores-carga-vista-previa")
    page.get_by_role("button", name="Confirmar y guardar").click()
    expect(page.locator("[data-job-label]")).to_have_text("Aplicada", timeout=20_000)
    screenshot(page, "indicadores-carga-aplicada")

    page.goto(live_server.url + "/indicadores/poblacion-total/")
    expect(page.locator("svg.line-chart circle.point")).to_have_count(4)
    table = page.get_by_role("table", name="Datos de la gráfica: León")
    expect(table.get_by_role("row", name="2024")).to_contain_text("1,752,300")
    expect(table.get_by_role("row", name="2023")).to_contain_text("1,734,000")
    expect(page.locator("#resumen-grafica")).to_contain_text("el valor pasó de 1,578,626 a 1,752,300 personas")
    screenshot(page, "indicadores-pagina-publica")


def test_indicator_pages_have_no_axe_violations(live_server, indicator, new_page, screenshot):
    def no_sideways_scroll(page, path, width):
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"{path} no debe desplazarse a lo ancho a {width}px"
        if width == 390:
            screenshot(page, "indicadores-telefono" + path.replace("/", "-").rstrip("-"))

    pages = ["/indicadores/", "/indicadores/poblacion-total/"]
    assert_pages_accessible(new_page, live_server.url, pages, each=no_sideways_scroll)


def test_the_workspace_pages_of_indicators_have_no_axe_violations(live_server, indicator, page):
    log_in(page, live_server.url, "planeador", PASSWORD)
    for path in [
        "/espacio/indicadores/",
        f"/espacio/indicadores/{indicator.pk}/",
        "/espacio/indicadores/nuevo/",
        "/espacio/indicadores/cargas/",
        "/espacio/indicadores/exportar/",
    ]:
        page.goto(live_server.url + path)
        assert_accessible(page)


def test_without_javascript_the_progress_page_refreshes_itself_until_the_preview(
    live_server, indicator, browser, tmp_path
):
    from implan import tasks

    context = browser.new_context(java_script_enabled=False, locale="es-MX")
    try:
        page = context.new_page()
        log_in(page, live_server.url, "planeador", PASSWORD)
        _upload(page, live_server.url, tmp_path, "poblacion.csv", FIXED)
        expect(page.locator("[data-job-label]")).to_have_text("En cola")
        assert tasks.run_waiting_tasks() == 1  # a worker takes it now, while the page refreshes itself
        expect(page.locator("[data-job-label]")).to_have_text("Lista para confirmar", timeout=10_000)  # <meta refresh>
        expect(page.get_by_text("2 nuevas")).to_be_visible()
    finally:
        context.close()
