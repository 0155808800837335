"""A planner loads Guanajuato's municipalities as Excel re-saved INEGI's file (cp1252, keys without their zeros,
lower-case headers), sees the bad row, fixes it, confirms, and León's comparison page shows Guanajuato and Mexico."""

import csv
import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from implan import roles
from implan.models import Territory
from tests.browser.a11y import assert_accessible
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, IndicatorFactory, ObservationFactory, UserFactory

MUNICIPIOS = Path(__file__).resolve().parents[2] / "implan" / "portal" / "demo" / "data" / "inegi_municipios_2020.csv"


def _file(*, broken: bool) -> str:
    lines = ["cve_ent,nom_ent,cve_mun,nom_mun,pob_total"]
    with open(MUNICIPIOS, encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["cve_entidad"] == "11":
                key = str(int(row["cve_municipio"]))  # Excel dropped the leading zeros
                lines.append(f"11,Guanajuato,{key},{row['nom_municipio']},{row['poblacion_total']}")
    if broken:
        lines[3] = "11,Guanajuato,O3,Apaseo el Alto,63392"  # a letter O typed for a zero
    return "\n".join(lines) + "\n"


@pytest.fixture
def planner(transactional_db, role_groups):
    return UserFactory(username="planeador", first_name="Lucía", last_name="Ramírez", roles=[roles.PLANNING])


def _upload(page, base_url: str, tmp_path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_bytes(text.encode("cp1252"))  # as Excel on Spanish Windows saves it
    page.goto(base_url + "/espacio/indicadores/territorios/")
    page.get_by_label("Catálogo del INEGI (CSV, XLSX o el zip que publica el INEGI)").set_input_files(str(path))
    page.get_by_role("button", name="Revisar el archivo").click()


def test_planner_loads_municipalities_fixes_a_row_confirms_and_compares(
    live_server, planner, page, screenshot, tmp_path, database_worker
):
    log_in(page, live_server.url, "planeador", PASSWORD)
    _upload(page, live_server.url, tmp_path, "municipios_gto.csv", _file(broken=True))
    expect(page.locator("[data-job-label]")).to_have_text("Rechazada", timeout=30_000)
    expect(page.get_by_text("«O3» no es una clave válida")).to_be_visible()
    expect(page.get_by_role("button", name="Confirmar y guardar")).to_have_count(0)
    screenshot(page, "territorios-carga-con-error")

    _upload(page, live_server.url, tmp_path, "municipios_gto_corregido.csv", _file(broken=False))
    expect(page.locator("[data-job-label]")).to_have_text("Lista para confirmar", timeout=30_000)
    expect(page.get_by_text("46 nuevas")).to_be_visible()
    expect(page.get_by_role("cell", name="León", exact=True)).to_be_visible()
    screenshot(page, "territorios-carga-vista-previa")
    assert_accessible(page)
    page.get_by_role("button", name="Confirmar y guardar").click()
    expect(page.locator("[data-job-label]")).to_have_text("Guardada", timeout=30_000)
    screenshot(page, "territorios-carga-guardada")

    leon = Territory.objects.get(code="11020")
    assert (leon.parent.name, leon.parent.parent.name, leon.cve_mun) == ("Guanajuato", "México", "020")
    indicator = IndicatorFactory(slug="medicos", name="Médicos por mil habitantes", unit="médicos")
    for territory, value in [(leon, "2.1"), (leon.parent, "1.8"), (leon.parent.parent, "2.4")]:
        ObservationFactory(
            indicator=indicator,
            territory=territory,
            period="2020",
            period_start=datetime.date(2020, 1, 1),
            value=Decimal(value),
        )
    Territory.objects.filter(pk=leon.pk).update(latitude=Decimal("21.122"), longitude=Decimal("-101.684"))
    # A polygon made up for the test (a box around León), not a boundary of anything: Guanajuato is drawn by value.
    ring = [[-101.9, 20.9], [-101.4, 20.9], [-101.4, 21.3], [-101.9, 21.3], [-101.9, 20.9]]
    Territory.objects.filter(pk=leon.parent_id).update(
        boundary={"type": "Polygon", "coordinates": [ring]}, boundary_source="Polígono de prueba"
    )
    page.goto(live_server.url + "/indicadores/medicos/comparar/")
    table = page.get_by_role("table", name="Médicos por mil habitantes (médicos) por periodo y territorio")
    expect(table.get_by_role("row", name="2020")).to_contain_text("2.1")
    expect(table.locator("thead")).to_contain_text("Guanajuato")
    expect(page.locator(".leaflet-interactive")).to_have_count(2)  # León's point, Guanajuato's polygon; not Mexico
    expect(page.locator("[data-map-legend] li")).to_have_count(2)  # 1.8 and 2.1: two classes
    screenshot(page, "territorios-comparacion")
    assert_accessible(page)
    page.goto(live_server.url + "/espacio/indicadores/territorios/11020/limite/")
    assert_accessible(page)
    screenshot(page, "territorios-limite")


def test_the_comparison_fits_a_phone_and_passes_axe(live_server, planner, new_page):
    from implan.models import TerritoryKind
    from tests.factories import MunicipalityFactory, TerritoryFactory

    mexico = TerritoryFactory(name="México", code="00", inegi_code="00", kind=TerritoryKind.PAIS)
    guanajuato = TerritoryFactory(name="Guanajuato", code="11", inegi_code="11", kind="entidad", parent=mexico)
    leon = MunicipalityFactory(parent=guanajuato)
    indicator = IndicatorFactory(slug="medicos", name="Médicos por mil habitantes", unit="médicos")
    for territory, value in [(leon, "2.1"), (guanajuato, "1.8"), (mexico, "2.4")]:
        ObservationFactory(indicator=indicator, territory=territory, period="2020", value=Decimal(value))
    page = new_page(width=390, height=900)
    page.goto(live_server.url + "/indicadores/medicos/comparar/")
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "la página no debe desplazarse a lo ancho"
