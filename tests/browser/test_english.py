"""A visitor who reads English: the footer link switches the site, links lead through the public pages and the
workspace, and nothing but names and data stays in Spanish. Screenshots: test-artifacts/screenshots/en-*.png."""

import pytest
from playwright.sync_api import Page, expect

from implan import roles
from tests.browser.a11y import assert_accessible
from tests.factories import PASSWORD, UserFactory
from tests.implan.test_i18n import WRITTEN, build_council_world, leftover_spanish


@pytest.fixture
def world(transactional_db, role_groups):
    council, _ = build_council_world()
    UserFactory(username="lectora", roles=[roles.COUNCIL_MEMBER])
    return council


def check(page: Page, screenshot, name: str) -> None:
    assert page.locator("html").get_attribute("lang") == "en"
    found = leftover_spanish(page.content(), data=WRITTEN)
    assert not found, f"{name}: {found}"
    screenshot(page, f"en-{name}")


def test_a_visitor_switches_to_english_and_walks_the_public_pages(live_server, world, page, screenshot):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How León plans its development")
    check(page, screenshot, "home")
    assert_accessible(page)

    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Bodies").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Planning bodies")
    check(page, screenshot, "bodies")
    page.get_by_role("link", name=world.body.name).first.click()
    expect(page.get_by_text("Seats filled: 3 of 25.")).to_be_visible()
    check(page, screenshot, "body")
    page.get_by_role("link", name="Ordinary 1").click()
    expect(page.get_by_text("For 2 · Against 0 · Abstentions 1")).to_be_visible()
    check(page, screenshot, "session")
    assert_accessible(page)

    page.get_by_role("link", name="Log in").click()
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    check(page, screenshot, "login")

    page.get_by_role("link", name="Español").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Iniciar sesión")


def test_a_secretary_reads_the_workspace_in_english(live_server, world, page, screenshot):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(live_server.url + "/cuenta/entrar/")
    page.get_by_label("Username").fill(world.secretary.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Workspace")
    expect(page.get_by_text("Technical secretary", exact=True)).to_be_visible()
    check(page, screenshot, "workspace")
    page.get_by_role("link", name=world.body.name).first.click()
    expect(page.get_by_role("link", name="Convene a session")).to_be_visible()
    check(page, screenshot, "workspace-body")
    page.get_by_role("link", name="Convene a session").click()
    check(page, screenshot, "workspace-convene")
