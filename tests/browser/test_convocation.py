"""The secretary convenes the Ayuntamiento from the browser; the 15 regidores receive the convocation on the test's
SMTP server and confirm their attendance from the e-mail's link, each in a browser of their own without logging in;
the secretary reads the acuse and the answers on the session's page. (Part of issue 16's proof.)"""

import datetime
import re

import pytest
from playwright.sync_api import expect

from councils.models import AttendanceReply, BodyKind, ReplyAnswer
from implan import tasks
from implan.models import LifecycleState
from tests.browser.conftest import log_in
from tests.councils.builders import council
from tests.factories import PASSWORD, BudgetFactory


@pytest.mark.parametrize("tasks_backend", ["database"], indirect=True)
def test_fifteen_regidores_get_the_convocation_and_confirm_from_the_email(
    live_server, role_groups, tasks_backend, smtp_server, settings, new_page, screenshot
):
    settings.PORTAL_URL = live_server.url
    settings.DEFAULT_FROM_EMAIL = "IMPLAN León <convocatorias@implan.example>"
    settings.EMAIL_REPLY_TO = ["secretaria.tecnica@implan.example"]
    ayuntamiento = council(size=15, slug="ayuntamiento", kind=BodyKind.AYUNTAMIENTO, seat_limit=None)
    BudgetFactory(state=LifecycleState.IN_REVIEW)

    secretary = new_page()
    log_in(secretary, live_server.url, ayuntamiento.secretary.username, PASSWORD)
    secretary.goto(f"{live_server.url}/espacio/organos/ayuntamiento/sesiones/convocar/")
    secretary.get_by_label("Tipo de sesión").select_option("ordinaria")
    when = (datetime.datetime.now() + datetime.timedelta(days=5)).replace(hour=17, minute=0)
    secretary.get_by_label("Fecha y hora").fill(when.strftime("%Y-%m-%dT%H:%M"))
    secretary.get_by_label("Lugar").fill("Salón de cabildo, Palacio Municipal")
    secretary.locator("input[name=subjects]").first.check()
    secretary.get_by_role("button", name="Convocar").click()
    expect(secretary.get_by_text("Se convocó la sesión 1.")).to_be_visible()

    assert tasks.run_waiting_tasks() == 16  # 15 regidores and the secretary
    to_members = [m for m in smtp_server.messages if m["To"] != ayuntamiento.secretary.email]
    assert len(to_members) == 15
    html = to_members[0].get_body(("html",)).get_content()
    mail_view = new_page(width=700, height=900)
    mail_view.set_content(html)
    expect(mail_view.get_by_role("link", name="Asistiré", exact=True)).to_be_visible()
    screenshot(mail_view, "correo-convocatoria")
    mail_view.context.close()

    for message in to_members:
        text = message.get_body(("plain",)).get_content()
        [link] = re.findall(r"(http://\S+/convocatoria/\S+\?respuesta=asistire)", text)
        regidor = new_page(width=390, height=844)
        regidor.goto(link)
        expect(regidor.get_by_label("Asistiré", exact=True)).to_be_checked()
        regidor.get_by_role("button", name="Enviar mi respuesta").click()
        expect(regidor.get_by_text("su respuesta quedó registrada")).to_be_visible()
        regidor.context.close()
    assert AttendanceReply.objects.filter(answer=ReplyAnswer.ATTENDING).count() == 15

    secretary.reload()
    expect(secretary.get_by_text("15 integrantes confirmaron que asistirán; 0 no asistirán.")).to_be_visible()
    expect(secretary.get_by_role("heading", name="Acuse de la convocatoria")).to_be_visible()
    expect(secretary.locator("table").get_by_text("Enviado")).to_have_count(16)
    screenshot(secretary, "acuse-convocatoria-secretaria")
