"""A planner fills a programme's MIR in the browser, level by level with an indicator each and the variables of
its method; once the programme is
published, anyone reads the MIR as the classic table, on a desktop and on a phone (where the rows stack)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from implan import roles
from implan.models import LifecycleState
from planning.models.mir import MirIndicator, MirLevel
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, IndicatorFactory, ProgrammeFactory, UserFactory

ROWS = [
    ("Agregar fin", "Contribuir a que León tenga agua suficiente y segura para todas las personas.", "AGU-F"),
    ("Agregar propósito", "Los hogares de las colonias con rezago reciben agua todos los días.", "AGU-P"),
    ("Agregar componente", "Red de agua potable rehabilitada en las colonias con más fugas.", "AGU-C"),
]


def _fill_row(page: Page, summary: str) -> None:
    page.get_by_label("Resumen narrativo").fill(summary)
    page.get_by_label("Medios de verificación").fill("Informe trimestral de SAPAL al Ayuntamiento.")
    page.get_by_label("Supuestos").fill("Las colonias permiten los cortes de calle programados.")
    page.get_by_role("button", name="Guardar").click()
    expect(page.get_by_text("Se agregó el renglón a la MIR.")).to_be_visible()


def _add_indicator(page: Page, where: str, code: str) -> None:
    page.get_by_role("link", name=f"Agregar indicador {where}").click()
    page.get_by_label("Indicador").select_option(label=f"{code} · Indicador {code}")
    page.get_by_label("Dimensión").select_option(label="Eficacia")
    page.get_by_label("Línea base", exact=True).fill("40")
    page.get_by_label("Año de la línea base").fill("2023")
    page.get_by_label("Metas anuales").fill("2025: 50\n2027: 60")
    page.get_by_role("button", name="Guardar").click()
    expect(page.get_by_text("Se agregó el indicador a la MIR.")).to_be_visible()


def _add_variables(page: Page, code: str) -> None:
    """The variables of the method «A / B × 100», each with its description, unit and source."""
    for symbol, description in (("A", "Hogares con agua todos los días"), ("B", "Hogares con toma de SAPAL")):
        page.get_by_role("link", name=f"Agregar variable Indicador {code}").click()
        expect(page.get_by_text("A / B × 100")).to_be_visible()  # the formula, where the symbol is typed
        page.get_by_label("Símbolo").fill(symbol)
        page.get_by_label("Descripción").fill(description)
        page.get_by_label("Unidad").fill("hogares")
        page.get_by_label("Medio de verificación").fill("Padrón de usuarios de SAPAL")
        page.get_by_role("button", name="Guardar").click()
        expect(page.get_by_text("Se agregó la variable al indicador de la MIR.")).to_be_visible()


def test_a_planner_fills_a_programmes_mir_and_the_public_reads_it(new_page, live_server, role_groups, screenshot):
    programme = ProgrammeFactory(code="P02", name="Agua para Todos")
    for code in ("AGU-F", "AGU-P", "AGU-C", "AGU-A"):
        IndicatorFactory(code=code, name=f"Indicador {code}", slug=code.lower(), formula="A / B × 100")
    planner = UserFactory(username="planeadora-mir", roles=[roles.PLANNING])
    base = live_server.url

    page = new_page()
    log_in(page, base, planner.username, PASSWORD)
    page.goto(f"{base}/espacio/programas/{programme.pk}/")
    page.get_by_role("link", name="Matriz de Indicadores para Resultados (MIR)").click()
    expect(page.get_by_text("La MIR no tiene Fin.")).to_be_visible()
    for (button, summary, code), where in zip(ROWS, ("Fin 1", "Propósito 1", "Componente 1"), strict=True):
        page.get_by_role("link", name=button).click()
        _fill_row(page, summary)
        _add_indicator(page, where, code)
    page.get_by_role("link", name="Agregar actividad al componente 1").click()
    expect(page.get_by_label("Nivel")).to_have_value(MirLevel.ACTIVIDAD)
    _fill_row(page, "Licitación y contratación de las obras de rehabilitación.")
    _add_indicator(page, "Actividad 1", "AGU-A")
    expect(page.get_by_text("no declara las variables de su fórmula").first).to_be_visible()
    for code in ("AGU-F", "AGU-P", "AGU-C", "AGU-A"):
        _add_variables(page, code)
    expect(page.get_by_text("La MIR está completa")).to_be_visible()
    screenshot(page, "mir-espacio")
    assert MirIndicator.objects.filter(row__programme=programme).count() == 4

    programme.state = LifecycleState.PUBLISHED  # the vote of its approval chain is tried in test_lifecycle
    programme.save()
    reader = new_page()
    reader.goto(f"{base}/programas/P02/mir/")
    expect(reader.get_by_role("heading", name="Matriz de Indicadores para Resultados")).to_be_visible()
    expect(reader.get_by_text("Los hogares de las colonias con rezago reciben agua todos los días.")).to_be_visible()
    expect(reader.get_by_text("Hogares con toma de SAPAL").first).to_be_visible()
    screenshot(reader, "mir-publica")
    phone = new_page(width=390, height=844)
    phone.goto(f"{base}/programas/P02/mir/")
    expect(phone.get_by_text("Licitación y contratación de las obras de rehabilitación.")).to_be_visible()
    screenshot(phone, "mir-publica-telefono")
