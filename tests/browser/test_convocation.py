"""Issue 16's proof: the Ayuntamiento meets as a real council does, each person in a browser of their own.

A planner sends the budget to approval. The secretary convenes the Ayuntamiento from the browser with it on the
agenda; the 15 regidores receive the convocation on the test's SMTP server and confirm their attendance from the
e-mail's link without logging in (three in a phone's browser, the others' answers sent to the same links); one
opens the meeting packet from the e-mail on a phone; the secretary's desk and the session's acuse show the answers;
the session starts, 9 regidores vote (three on 390×844 phones, the others through the same form), the secretary
closes the vote and the planner's inbox says the budget was approved. The e-mail, the packet's first page, the desk
and the phone vote are saved as screenshots for a reviewer to look at.
"""

import datetime
import io
import re
import shutil
import subprocess

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect
from pypdf import PdfReader

from councils.models import AttendanceReply, BodyKind, Motion, MotionState, ReplyAnswer, VoteOption
from implan import roles, tasks
from implan.models import LifecycleState
from planning.models import Budget
from planning.services import lifecycle
from tests.browser.conftest import SCREENSHOTS, log_in, signed_in
from tests.councils.builders import council
from tests.factories import PASSWORD, BudgetFactory, UserFactory

VOTERS = 9
BROWSERS = 3  # of the regidores who answer and vote, those who do it in a browser of their own


@pytest.mark.parametrize("tasks_backend", ["database"], indirect=True)
def test_the_ayuntamiento_is_convened_by_email_reads_the_packet_and_approves_on_phones(
    live_server, role_groups, tasks_backend, smtp_server, settings, new_page, screenshot, tmp_path
):
    settings.PORTAL_URL = live_server.url
    settings.DEFAULT_FROM_EMAIL = "IMPLAN León <convocatorias@implan.example>"
    settings.EMAIL_REPLY_TO = ["secretaria.tecnica@implan.example"]
    ayuntamiento = council(size=15, slug="ayuntamiento", kind=BodyKind.AYUNTAMIENTO, seat_limit=None)
    planner = UserFactory(username="planeadora_presupuesto", roles=[roles.PLANNING])
    budget = lifecycle.instrument_submit(instrument=BudgetFactory(state=LifecycleState.DRAFT), actor=planner)

    # The secretary convenes the session with the budget on the agenda.
    secretary = new_page()
    log_in(secretary, live_server.url, ayuntamiento.secretary.username, PASSWORD)
    secretary.goto(f"{live_server.url}/espacio/organos/ayuntamiento/sesiones/convocar/")
    secretary.get_by_label("Tipo de sesión").select_option("ordinaria")
    when = (datetime.datetime.now() + datetime.timedelta(days=5)).replace(hour=17, minute=0)
    secretary.get_by_label("Fecha y hora").fill(when.strftime("%Y-%m-%dT%H:%M"))
    secretary.get_by_label("Lugar").fill("Salón de cabildo, Palacio Municipal")
    secretary.locator("input[name=subjects]").first.check()  # the budget, the one subject awaiting this body
    secretary.get_by_role("button", name="Convocar").click()
    expect(secretary.get_by_text("Se convocó la sesión 1.")).to_be_visible()
    session_url = secretary.url

    # The workers send the 16 e-mails (15 regidores and the secretary) and lay the meeting packet out.
    tasks.run_waiting_tasks()
    to_members = [m for m in smtp_server.messages if m["To"] != ayuntamiento.secretary.email]
    assert len(to_members) == 15 and len(smtp_server.messages) == 16
    html = to_members[0].get_body(("html",)).get_content()
    mail_view = new_page(width=700, height=900)
    mail_view.set_content(html)
    expect(mail_view.get_by_role("link", name="Asistiré", exact=True)).to_be_visible()
    screenshot(mail_view, "correo-convocatoria")
    mail_view.context.close()

    # Every regidor confirms from the e-mail's link without logging in: the first ones on a phone, the others'
    # answers sent to the same link without a browser (each browser costs seconds and shows nothing new).
    for n, message in enumerate(to_members):
        text = message.get_body(("plain",)).get_content()
        [link] = re.findall(r"(http://\S+/convocatoria/\S+\?respuesta=asistire)", text)
        if n >= BROWSERS:
            path = link.removeprefix(live_server.url)
            assert "Asistiré" in Client().get(path).content.decode()
            assert Client().post(path, {"answer": ReplyAnswer.ATTENDING}).status_code == 302
            continue
        regidor = new_page(width=390, height=844)
        regidor.goto(link)
        expect(regidor.get_by_label("Asistiré", exact=True)).to_be_checked()
        regidor.get_by_role("button", name="Enviar mi respuesta").click()
        expect(regidor.get_by_text("su respuesta quedó registrada")).to_be_visible()
        regidor.context.close()
    assert AttendanceReply.objects.filter(answer=ReplyAnswer.ATTENDING).count() == 15

    # One of them opens the meeting packet from the e-mail: the short link's page, then the PDF.
    [packet_link] = re.findall(r"(http://\S+/paquete/\d+/)", to_members[0].get_body(("plain",)).get_content())
    reader = new_page(width=390, height=844)
    reader.goto(packet_link)
    download = reader.get_by_role("link", name="Descargar el paquete de la sesión (PDF)")
    expect(download).to_be_visible()
    pdf = reader.request.get(live_server.url + (download.get_attribute("href") or ""))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(pdf.body())).pages
    assert "Salón de cabildo, Palacio Municipal" in pages[0].extract_text()
    assert any(budget.title in page.extract_text() for page in pages)
    _first_page_as_png(pdf.body(), tmp_path, "paquete-primera-pagina")
    reader.context.close()

    # The secretary sees the answers on the desk and on the session's acuse.
    secretary.goto(f"{live_server.url}/espacio/")
    expect(secretary.get_by_text("15 confirmaron asistencia, 0 no asistirán")).to_be_visible()
    screenshot(secretary, "escritorio-secretaria-convocatoria")
    secretary.goto(session_url)
    expect(secretary.get_by_text("15 integrantes confirmaron que asistirán; 0 no asistirán.")).to_be_visible()
    expect(secretary.locator("table").get_by_text("Enviado")).to_have_count(16)
    screenshot(secretary, "acuse-convocatoria-secretaria")

    # The session starts; 9 regidores vote on their phones.
    secretary.get_by_role("button", name="Registrar asistencia").click()
    expect(secretary.get_by_text("15 presentes de 15 con voto; hay quórum")).to_be_visible()
    secretary.get_by_role("button", name="Abrir votación").click()
    expect(secretary.get_by_text("Votación abierta.")).to_be_visible()
    motion = Motion.objects.get(agenda_item__session__body=ayuntamiento.body, state=MotionState.OPEN)
    for i in range(VOTERS):
        if i >= BROWSERS:  # the same form, sent without a browser
            voter = Client()
            voter.force_login(ayuntamiento.user(i))
            assert (
                voter.post(reverse("councils:vote_cast", args=[motion.pk]), {"option": VoteOption.YES}).status_code
                == 302
            )
            continue
        phone = new_page(width=390, height=844)
        if i == 0:  # the first through the login form (behind the phone's «Menú»), the others already signed in
            log_in(phone, live_server.url, ayuntamiento.user(i).username, PASSWORD)
        else:
            signed_in(phone, live_server.url, ayuntamiento.user(i))
        phone.goto(session_url)
        phone.get_by_label("A favor").check()
        if i == 0:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            phone.screenshot(path=str(SCREENSHOTS / "voto-regidor-telefono.png"))  # the first screen, unscrolled
        phone.get_by_role("button", name="Votar").click()
        expect(phone.get_by_text("Su voto quedó registrado")).to_be_visible()
        phone.context.close()

    secretary.reload()
    secretary.get_by_role("button", name="Cerrar votación").click()
    secretary.get_by_role("button", name=re.compile("Cerrar la votación de todos modos|Sí, cerrar la votación")).click()
    expect(secretary.get_by_text("Votación cerrada. Se aprueba")).to_be_visible()
    assert Budget.objects.get(pk=budget.pk).state == LifecycleState.APPROVED

    # The planner who sent it finds the outcome in the inbox.
    tasks.run_waiting_tasks()
    inbox = new_page()
    log_in(inbox, live_server.url, planner.username, PASSWORD)
    inbox.goto(f"{live_server.url}/espacio/avisos/")
    expect(inbox.get_by_text(f"Aprobado: {budget}")).to_be_visible()
    screenshot(inbox, "avisos-planeadora-aprobado")


def _first_page_as_png(pdf: bytes, folder, name: str) -> None:
    """The packet's first page as a picture, with poppler's pdftoppm where it is installed (not needed to pass)."""
    if shutil.which("pdftoppm") is None:
        return
    source = folder / "paquete.pdf"
    source.write_bytes(pdf)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", source, SCREENSHOTS / name], check=True
    )
