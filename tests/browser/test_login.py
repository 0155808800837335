from playwright.sync_api import expect

from implan import roles
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, UserFactory


def test_planner_logs_in_and_sees_the_workspace_home(live_server, role_groups, page, screenshot):
    UserFactory(username="planeador", first_name="Lucía", last_name="Ramírez", roles=[roles.PLANNING])
    page.goto(live_server.url + "/")
    screenshot(page, "inicio-publico")
    log_in(page, live_server.url, "planeador", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Espacio de trabajo")
    expect(page.get_by_text("Hola, Lucía Ramírez.")).to_be_visible()
    expect(page.get_by_text(roles.PLANNING, exact=True)).to_be_visible()
    assert page.url == live_server.url + "/espacio/"
    screenshot(page, "espacio-de-trabajo-planeador")


def test_a_wrong_password_shows_a_spanish_error(live_server, role_groups, page):
    UserFactory(username="planeador", roles=[roles.PLANNING])
    log_in(page, live_server.url, "planeador", "equivocada-123456")
    expect(page.get_by_role("alert")).to_contain_text("Por favor introduzca nombre de usuario y contraseña correctos")


def test_the_home_reads_well_on_a_phone(live_server, new_page, screenshot):
    phone = new_page(width=390, height=844)
    phone.goto(live_server.url + "/")
    menu = phone.get_by_role("button", name="Menú")  # the navigation folds behind it on a phone
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(phone.get_by_role("link", name="Iniciar sesión")).to_be_hidden()
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(phone.get_by_role("link", name="Iniciar sesión")).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "la página no debe desbordar horizontalmente en un teléfono"
    screenshot(phone, "inicio-telefono")
