"""axe-core finds no WCAG 2.1 A/AA violation (nor best-practice one) on the shell's and councils' pages, on desktop and
phone."""

import pytest
from playwright.sync_api import expect

from implan import roles
from tests.browser.a11y import assert_accessible, assert_pages_accessible, violations
from tests.browser.conftest import log_in
from tests.councils.builders import council, session_in_progress
from tests.factories import PASSWORD, UserFactory


@pytest.fixture
def bodies(transactional_db, role_groups):
    consultative = council(size=3, slug="consejo-consultivo")
    session_in_progress(consultative, present=2)
    return consultative


def test_public_pages_have_no_axe_violations(live_server, bodies, new_page):
    pages = [
        "/",
        "/organos/",
        "/organos/consejo-consultivo/",
        "/organos/consejo-consultivo/sesiones/1/",
        "/cuenta/entrar/",
    ]
    assert_pages_accessible(new_page, live_server.url, pages)


def test_the_workspace_home_and_audit_log_have_no_axe_violations(live_server, role_groups, page):
    UserFactory(username="administra", roles=[roles.ADMINISTRATION], is_staff=True)
    log_in(page, live_server.url, "administra", PASSWORD)
    assert_accessible(page)
    page.goto(live_server.url + "/espacio/auditoria/")
    assert_accessible(page)


def test_the_criteria_weights_form_has_no_axe_violations_and_saves(live_server, role_groups, page, screenshot):
    from tests.projects.builders import criteria

    six = criteria()
    UserFactory(username="administra", roles=[roles.ADMINISTRATION], is_staff=True)
    log_in(page, live_server.url, "administra", PASSWORD)
    page.goto(live_server.url + "/espacio/proyectos/criterios/")
    assert_accessible(page)
    page.get_by_label("Peso de «Costo»").fill("-3")
    page.get_by_role("button", name="Guardar los pesos").click()
    # expect() waits for the answer page; is_visible() would look at the page being left
    expect(page.get_by_text("Asegúrese de que este valor sea mayor o igual a 0")).to_be_visible()
    assert_accessible(page)  # the error state too
    screenshot(page, "criterios-de-evaluacion-error")
    page.get_by_label("Peso de «Costo»").fill("30")
    page.get_by_role("button", name="Guardar los pesos").click()
    expect(page.get_by_text("Se guardaron los pesos")).to_be_visible()
    six[4].refresh_from_db()
    assert str(six[4].weight) == "30.00"
    screenshot(page, "criterios-de-evaluacion")


def test_the_check_catches_a_real_violation(live_server, page):
    """The check is not a formality: an image without alternative text and an unlabelled input are reported."""
    page.goto(live_server.url + "/")
    page.evaluate("""() => {
        const main = document.querySelector('main');
        main.insertAdjacentHTML('beforeend', '<img src="/static/x.png"><input type="text">');
    }""")
    found = {v["id"] for v in violations(page)}
    assert {"image-alt", "label"} <= found
