"""The secretary attaches a document to a point of a convened session; the point shows the version under vote; a
member opens the packet from the session's page."""

import datetime

from playwright.sync_api import expect

from councils.models import BodyKind
from implan.models import LifecycleState
from tests.browser.conftest import log_in
from tests.councils.builders import council
from tests.factories import PASSWORD, GovernmentPlanFactory
from tests.projects.samples import pdf_bytes


def test_the_secretary_attaches_a_document_and_a_member_opens_the_packet(
    live_server, role_groups, new_page, screenshot, tmp_path
):
    consultative = council(size=3, slug="consejo-consultivo")
    council(size=3, slug="ayuntamiento", kind=BodyKind.AYUNTAMIENTO, seat_limit=None)
    GovernmentPlanFactory(state=LifecycleState.IN_REVIEW, title="Programa de Gobierno 2024–2027")
    secretary = new_page()
    log_in(secretary, live_server.url, consultative.secretary.username, PASSWORD)
    secretary.goto(f"{live_server.url}/espacio/organos/consejo-consultivo/sesiones/convocar/")
    secretary.get_by_label("Tipo de sesión").select_option("ordinaria")
    when = (datetime.datetime.now() + datetime.timedelta(days=5)).strftime(
        "%Y-%m-%dT%H:%M"
    )  # past the notice period: no reason to give
    secretary.get_by_label("Fecha y hora").fill(when)
    secretary.get_by_label("Lugar").fill("Sala de consejo del IMPLAN")
    secretary.get_by_label("Programa de Gobierno 2024–2027").check()
    secretary.get_by_role("button", name="Convocar").click()
    expect(secretary.get_by_text("Versión bajo votación")).to_be_visible()
    expect(secretary.get_by_role("link", name="Programa de Gobierno 2024–2027, versión 1")).to_be_visible()

    dictamen = tmp_path / "dictamen.pdf"
    dictamen.write_bytes(pdf_bytes())
    secretary.get_by_label("Documento").set_input_files(str(dictamen))
    secretary.get_by_role("button", name="Adjuntar").click()
    expect(secretary.get_by_text("Se adjuntó «dictamen.pdf»")).to_be_visible()
    expect(secretary.get_by_role("link", name="dictamen.pdf")).to_be_visible()
    screenshot(secretary, "sesion-documentos-secretaria")
    session_url = secretary.url

    member = new_page(width=390, height=844)
    log_in(member, live_server.url, consultative.user(0).username, PASSWORD)
    member.goto(session_url)
    expect(member.get_by_role("button", name="Adjuntar")).to_have_count(0)
    with member.expect_response(lambda r: "/paquete/" in r.url) as answer:
        member.get_by_role("link", name="Paquete de la sesión (PDF)").click()
    response = answer.value
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
