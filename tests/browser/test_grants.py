"""An administrator names an agency's liaison and a body's technical secretary, then removes them, in a real
browser; both pages pass axe-core."""

from playwright.sync_api import expect

from implan import roles
from projects.models import AgencyLiaison
from tests.browser.a11y import assert_accessible
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, AgencyFactory, BodyFactory, UserFactory


def test_an_administrator_grants_and_removes_a_liaison(live_server, role_groups, page, screenshot):
    UserFactory(username="admin", first_name="Ana", last_name="Torres", roles=[roles.ADMINISTRATION])
    UserFactory(username="enlace", first_name="Rocío", last_name="Estrada", roles=[roles.AGENCY_LIAISON])
    AgencyFactory(name="Dirección General de Obra Pública", slug="obra-publica")
    log_in(page, live_server.url, "admin", PASSWORD)
    page.get_by_role("link", name="Enlaces de dependencia").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enlaces de dependencia")
    expect(page.get_by_text("Ninguna dependencia tiene enlace")).to_be_visible()

    page.get_by_label("Enlace", exact=True).select_option(label="Rocío Estrada (enlace)")
    page.get_by_label("Dependencia").select_option(label="Dirección General de Obra Pública")
    page.get_by_role("button", name="Asignar").click()
    expect(
        page.get_by_text("Rocío Estrada (enlace) reporta ahora los proyectos de Dirección General de Obra Pública.")
    ).to_be_visible()
    expect(page.get_by_role("row", name="Dirección General de Obra Pública")).to_contain_text("Rocío Estrada")
    expect(page.get_by_text("asignó a Rocío Estrada (enlace)")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "enlaces-de-dependencia")

    page.get_by_role("button", name="Quitar enlace · Dirección General de Obra Pública").click()
    expect(page.get_by_text("ya no reporta los proyectos de Dirección General de Obra Pública")).to_be_visible()
    expect(page.get_by_text("Ninguna dependencia tiene enlace")).to_be_visible()
    assert not AgencyLiaison.objects.exists()


def test_an_administrator_names_and_removes_a_bodys_technical_secretary(live_server, role_groups, page, screenshot):
    UserFactory(username="admin", first_name="Ana", last_name="Torres", roles=[roles.ADMINISTRATION])
    UserFactory(username="secretario", first_name="Mauricio", last_name="Navarro", roles=[roles.TECHNICAL_SECRETARY])
    BodyFactory(name="Consejo Sectorial de Obra Pública", slug="consejo-sectorial-obra-publica")
    log_in(page, live_server.url, "admin", PASSWORD)
    page.goto(live_server.url + "/espacio/organos/consejo-sectorial-obra-publica/")
    page.get_by_role("link", name="Asignar o quitar la secretaría técnica de este órgano").click()
    expect(page.get_by_text("Nadie tiene la secretaría técnica de este órgano")).to_be_visible()

    page.get_by_label("Cuenta").select_option(label="Mauricio Navarro (secretario)")
    page.get_by_role("button", name="Asignar").click()
    expect(page.get_by_text("Mauricio Navarro (secretario) tiene ahora la secretaría técnica")).to_be_visible()
    expect(page.get_by_role("row", name="Mauricio Navarro")).to_contain_text("convoca y conduce sus sesiones")
    assert_accessible(page)
    screenshot(page, "secretaria-tecnica")

    page.get_by_role("button", name="Quitar secretario").click()
    expect(page.get_by_text("ya no tiene la secretaría técnica")).to_be_visible()
    expect(page.get_by_text("Nadie tiene la secretaría técnica de este órgano")).to_be_visible()
    expect(page.get_by_text("quitó a Mauricio Navarro (secretario)")).to_be_visible()
