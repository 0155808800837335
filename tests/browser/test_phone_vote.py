"""Voting on a phone (390×844): the header is small, the open vote fits the first screen, the options are big buttons,
the member sees and changes their vote, and the count of votes cast updates without reloading. The secretary's desk
is seen, and each screen is saved for a reviewer to look at."""

from playwright.sync_api import expect

from councils.models import BodyKind, VoteOption
from councils.services import votes as vote_services
from implan.models import LifecycleState
from tests.browser.conftest import SCREENSHOTS, log_in
from tests.councils.builders import council, session_in_progress
from tests.factories import PASSWORD, GovernmentPlanFactory

PHONE = {"width": 390, "height": 844}


def _first_screen(page, name: str) -> None:
    """What the phone shows before any scrolling (the screenshot fixture takes the whole page)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def _box(locator) -> dict:
    box = locator.bounding_box()
    assert box is not None, "el elemento debe verse"
    return box


def test_a_member_votes_on_a_phone_and_the_count_updates_by_itself(live_server, role_groups, new_page, screenshot):
    consultative = council(size=5, slug="consejo-consultivo")
    council(size=3, slug="ayuntamiento", kind=BodyKind.AYUNTAMIENTO, seat_limit=None)
    plan = GovernmentPlanFactory(state=LifecycleState.IN_REVIEW, title="Programa de Gobierno 2024–2027")
    session = session_in_progress(consultative, present=5, subject=plan)
    motion = vote_services.motion_open(
        actor=consultative.secretary, item=session.agenda_items.get(), text="Se aprueba el Programa de Gobierno"
    )

    phone = new_page(**PHONE)
    log_in(phone, live_server.url, consultative.user(0).username, PASSWORD)
    phone.goto(f"{live_server.url}/espacio/sesiones/{session.pk}/")

    # The header: at most 120 px, the navigation folded behind an accessible «Menú» button.
    header = _box(phone.locator("header.site-header"))
    assert header["height"] <= 120, f"la cabecera mide {header['height']} px en un teléfono"
    menu = phone.get_by_role("button", name="Menú")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(phone.get_by_role("link", name="Órganos")).to_be_hidden()
    menu.focus()
    phone.keyboard.press("Enter")  # keyboard opens it
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(phone.get_by_role("link", name="Órganos")).to_be_visible()
    phone.keyboard.press("Escape")  # and closes it, focus back on the button
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_focused()

    # The open vote fits the first screen: subject, document, three options and the button.
    viewport = phone.viewport_size
    assert viewport is not None
    panel = phone.locator(".vote-panel")
    expect(panel.get_by_role("heading", name="Votación abierta: Asunto a votar")).to_be_visible()
    expect(panel.get_by_role("link", name="Leer el documento que se vota")).to_be_visible()
    options = panel.locator(".vote-option")
    expect(options).to_have_count(3)
    panel_box = _box(panel)
    for n in range(3):
        box = _box(options.nth(n))
        assert box["height"] >= 44, f"la opción {n + 1} mide {box['height']} px de alto"
        assert box["width"] >= panel_box["width"] - 2 * 20, "cada opción ocupa todo el ancho"
    button = panel.get_by_role("button", name="Votar")
    vote_box = _box(button)
    assert vote_box["height"] >= 44
    assert vote_box["y"] + vote_box["height"] <= viewport["height"], "el botón de votar debe verse sin desplazarse"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    expect(panel.get_by_text("Han votado 0 de 5 integrantes presentes.")).to_be_visible()
    _first_screen(phone, "voto-telefono-primera-pantalla")

    # Voting: the member sees their vote, and can change it while the vote is open.
    phone.get_by_label("A favor").check()
    button.click()
    expect(phone.get_by_text("Su voto quedó registrado")).to_be_visible()
    expect(phone.locator(".vote-own")).to_contain_text("Su voto: A favor")
    phone.get_by_label("Abstención").check()
    phone.get_by_role("button", name="Cambiar mi voto").click()
    expect(phone.locator(".vote-own")).to_contain_text("Su voto: Abstención")
    assert motion.votes.get().option == VoteOption.ABSTAIN
    expect(phone.get_by_text("Han votado 1 de 5 integrantes presentes.")).to_be_visible()

    # Others vote meanwhile: the count changes on the phone without reloading (htmx polling, served locally).
    scripts = phone.eval_on_selector_all("script[src]", "nodes => nodes.map(n => n.src)")
    assert scripts and all(src.startswith(live_server.url) for src in scripts), scripts
    for i in (1, 2):
        vote_services.vote_cast(actor=consultative.user(i), motion=motion, option=VoteOption.YES)
    expect(phone.get_by_text("Han votado 3 de 5 integrantes presentes.")).to_be_visible(timeout=15_000)
    _first_screen(phone, "voto-telefono-conteo-actualizado")
    assert "A favor" not in phone.locator("#conteo-votos").inner_text()  # the count, never how anyone voted


def test_the_secretarys_desk_shows_what_waits_and_convenes_in_one_click(live_server, role_groups, new_page, screenshot):
    consultative = council(size=5, slug="consejo-consultivo")
    council(size=3, slug="ayuntamiento", kind=BodyKind.AYUNTAMIENTO, seat_limit=None)
    GovernmentPlanFactory(state=LifecycleState.IN_REVIEW, title="Programa de Gobierno 2024–2027")
    session_in_progress(consultative, present=5)
    page = new_page()
    log_in(page, live_server.url, consultative.secretary.username, PASSWORD)
    page.goto(f"{live_server.url}/espacio/")
    desk = page.locator("section.desk")
    expect(desk.get_by_role("heading", name="Escritorio de la secretaría técnica")).to_be_visible()
    expect(desk.get_by_text("Programa de Gobierno 2024–2027")).to_be_visible()
    screenshot(page, "escritorio-secretaria")
    desk.get_by_role("link", name="Convocar").first.click()
    expect(page.get_by_role("heading", name="Convocar sesión de Órgano consejo-consultivo")).to_be_visible()
    expect(page.get_by_label("Programa de Gobierno 2024–2027")).to_be_checked()
