"""Playwright driving Debian's Chromium against pytest-django's live server.

No browser is downloaded: Chromium's headless shell comes from Debian's ``chromium-headless-shell`` package (bin/test
installs it). It is the same Chromium (same version, same Blink and V8, from the same Debian source package) without
the desktop browser around it, and it is what Playwright itself runs for ``headless=True`` when it downloads its own
browsers. The desktop ``/usr/bin/chromium`` in headless mode spent twice the processor time on the same tests (321
against 145 to 166 CPU seconds for tests/browser here, 236 against 146 to 175 s of wall time), and on two cores that
time comes out of the rest of the suite. bench/frontend.py, which measures what a visitor's
browser does (LCP, layout shifts), keeps the desktop Chromium. Screenshots go to test-artifacts/screenshots/ for a
reviewer to look at; they are not committed.
"""

import base64
import math
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client
from playwright.sync_api import Browser, Page, sync_playwright

from implan import roles
from tests.conftest import DEMO_PASSWORD

CHROMIUM = "/usr/bin/chromium-headless-shell"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
# Without the background-networking flags Chromium keeps trying to reach the internet, which this machine refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Falta {CHROMIUM}: instale el paquete 'chromium-headless-shell' de Debian (bin/test lo hace).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser: Browser) -> Iterator:
    """A factory of pages, each in its own context (own cookies): one per person in a multi-user test."""
    contexts = []

    def make(*, width: int = 1280, height: int = 800) -> Page:
        context = browser.new_context(
            locale="es-MX", timezone_id="America/Mexico_City", viewport={"width": width, "height": height}
        )
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page) -> Page:
    return new_page()


@pytest.fixture
def screenshot():
    def take(page: Page, name: str, *, full_page: bool = True) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        if full_page:
            path.write_bytes(whole_page_png(page))
        else:
            page.screenshot(path=str(path))
        return path

    return take


def whole_page_png(page: Page) -> bytes:
    """The whole page as a PNG, as ``page.screenshot(full_page=True)`` takes it, but encoded by Chromium's fast PNG
    encoder (``optimizeForSpeed``, which Playwright does not pass on): the same pixels, lossless, in a file about a
    quarter larger, and from a half to two thirds less time on the long pages, where the encoding is most of a
    screenshot's cost (a long budget table: about 2.4 s, now 0.9). Unlike Playwright it does not hide a focused
    field's text cursor. The screenshots are for a reviewer's eyes; no test compares them."""
    cdp = page.context.new_cdp_session(page)
    try:
        size = cdp.send("Page.getLayoutMetrics")["cssContentSize"]
        clip = {"x": 0, "y": 0, "width": math.ceil(size["width"]), "height": math.ceil(size["height"]), "scale": 1}
        shot = cdp.send(
            "Page.captureScreenshot",
            {"format": "png", "captureBeyondViewport": True, "optimizeForSpeed": True, "clip": clip},
        )
    finally:
        cdp.detach()
    return base64.b64decode(shot["data"])


@pytest.fixture
def demo(transactional_db, demo_snapshot, monkeypatch) -> None:
    """The León demo committed, for the live server's thread to see; the flush after the test empties it."""
    monkeypatch.setenv("DEMO_PASSWORD", DEMO_PASSWORD)
    demo_snapshot.restore()


@pytest.fixture
def role_groups(transactional_db) -> None:
    """The live server's database is flushed between tests, which removes the groups the migration created."""
    for name in roles.ALL_ROLES:
        Group.objects.get_or_create(name=name)


def signed_in(page: Page, base_url: str, user) -> Page:
    """The page's context carries ``user``'s session, as after a login, without the three page loads of the form.

    For the second and later people of a multi-user walk: each test still logs its first person in through the
    form (``log_in``), and tests/browser/test_login.py tries the form itself.
    """
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])
    return page


def log_in(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto(base_url + "/")
    menu = page.get_by_role("button", name="Menú")
    if menu.is_visible():  # on a phone the navigation is behind the «Menú» button
        menu.click()
    page.get_by_role("link", name="Iniciar sesión").click()
    page.get_by_label("Nombre de usuario").fill(username)
    page.get_by_label("Contraseña").fill(password)
    page.get_by_role("button", name="Entrar").click()
