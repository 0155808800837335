"""A visitor walks the public site from the home page to every page type by clicking links, in Spanish and in
English, on a desktop and on a phone; axe-core finds no violation on any of them; screenshots are saved."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.a11y import assert_accessible

# (name, how to get there from the page before: a CSS selector of the link to click)
WALK = [
    ("inicio", None),
    ("plan", "nav.main-nav a[href='/plan/']"),
    ("estrategia", "main a[href^='/plan/estrategias/']"),
    ("diagnostico", "HOME main .cycle a[href='/plan/diagnostico/']"),
    ("programa-de-gobierno", "HOME main .cycle a[href^='/programa-de-gobierno/']"),
    ("presupuesto", "HOME main .cycle a[href^='/presupuesto/']"),
    ("informe", "HOME main .cycle a[href^='/informe/']"),
    ("proyectos", "nav.main-nav a[href='/proyectos/']"),
    ("proyecto", "main table a[href^='/proyectos/'], main .cards a[href^='/proyectos/']"),
    ("indicadores", "nav.main-nav a[href='/indicadores/']"),
    ("indicador", "main .indicator-card h3 a"),
    ("organos", "nav.main-nav a[href='/organos/']"),
    ("organo", "main a[href='/organos/consejo-consultivo/']"),
    ("sesion", "main a[href^='/organos/consejo-consultivo/sesiones/']"),
    ("transparencia", "footer a[href='/transparencia/']"),
    ("obligacion", "main a[href='/transparencia/sesiones-del-ayuntamiento/']"),
    ("datos-abiertos", "footer a[href='/datos/']"),
]


def walk(page: Page, base: str, *, language: str, screenshot, thorough: bool = True) -> list[str]:
    """Clicks through WALK; ``thorough``: axe on every page and whole-page screenshots (the Spanish walk). The
    English walk's pages have the same markup: it checks the language and keeps the first screen of each."""
    visited = []
    page.goto(base + "/")
    for name, selector in WALK:
        if selector:
            if selector.startswith("HOME "):
                page.goto(base + "/")
                selector = selector.removeprefix("HOME ")
            page.locator(selector).first.click()
            page.wait_for_load_state("load")
        expect(page.locator("h1").first).to_be_visible()
        assert page.locator("html").get_attribute("lang") == language[:2]
        if thorough:
            assert_accessible(page)
        screenshot(page, f"recorrido-{language}-{name}", full_page=thorough)
        visited.append(page.url)
    return visited


def test_the_public_site_walks_in_spanish_with_no_accessibility_violation(live_server, demo, new_page, screenshot):
    page = new_page()
    visited = walk(page, live_server.url, language="es", screenshot=screenshot)
    assert len(set(visited)) == len(WALK)
    page.goto(live_server.url + "/")
    page.get_by_label("Buscar en planes, proyectos, indicadores y acuerdos").fill("educacion")
    page.get_by_role("button", name="Buscar").last.click()
    expect(page.get_by_role("link", name="Educación para la Vida").first).to_be_visible()
    assert_accessible(page)
    screenshot(page, "recorrido-es-busqueda")


def test_the_public_site_walks_in_english(live_server, demo, new_page, screenshot):
    page = new_page()
    page.goto(live_server.url + "/")
    page.locator("footer a[hreflang='en']").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    walk(page, live_server.url, language="en", screenshot=screenshot, thorough=False)
    expect(page.locator("h1").first).not_to_have_text("Datos abiertos")


def test_every_page_type_reads_on_a_phone(live_server, demo, new_page, screenshot):
    phone = new_page(width=390, height=844)
    # Nothing a page loads is missing: a style, a script, an image, the icon (a browser asked for /favicon.ico).
    missing: list[str] = []
    phone.on("response", lambda response: response.status >= 400 and missing.append(response.url))
    for name, path in [
        ("inicio", "/"),
        ("plan", "/plan/"),
        ("proyectos", "/proyectos/"),
        ("indicadores", "/indicadores/"),
        ("presupuesto", "/presupuesto/2025/"),
    ]:
        phone.goto(live_server.url + path)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} desborda horizontalmente en un teléfono ({width}px)"
        assert_accessible(phone)
        screenshot(phone, f"telefono-{name}")
    assert missing == []
