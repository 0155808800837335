"""The secretary runs a session of the Consejo Consultivo; members vote from their own browsers (five of them; the
others send the same form over HTTP); the public sees each vote."""

import datetime

from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from councils.models import BodyKind, Motion, MotionResult, MotionState, VoteOption
from implan.models import LifecycleState
from tests.browser.conftest import log_in, signed_in
from tests.councils.builders import council
from tests.factories import PASSWORD, GovernmentPlanFactory

BROWSERS = 3  # members who vote in a browser of their own, besides the two who vote against


def test_a_council_approves_through_web_forms_and_the_public_sees_each_vote(
    live_server, role_groups, new_page, screenshot
):
    consultative = council(size=25, slug="consejo-consultivo")
    council(size=3, slug="ayuntamiento", kind=BodyKind.AYUNTAMIENTO, seat_limit=None)
    plan = GovernmentPlanFactory(state=LifecycleState.IN_REVIEW, title="Programa de Gobierno 2024–2027")
    secretary = new_page()
    log_in(secretary, live_server.url, consultative.secretary.username, PASSWORD)
    secretary.goto(f"{live_server.url}/espacio/organos/consejo-consultivo/")
    secretary.get_by_role("link", name="Convocar sesión").click()
    secretary.get_by_label("Tipo de sesión").select_option("ordinaria")
    when = (datetime.datetime.now() + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    secretary.get_by_label("Fecha y hora").fill(when)
    secretary.get_by_label("Lugar").fill("Sala de consejo del IMPLAN")
    secretary.get_by_label("Programa de Gobierno 2024–2027").check()
    # An hour ahead is within the body's notice period: the form asks why, and the members read it.
    secretary.get_by_label("Motivo de convocar fuera de plazo").fill("Sesión de prueba: se celebra hoy")
    secretary.get_by_role("button", name="Convocar").click()
    expect(secretary.get_by_text("Se convocó la sesión 1.")).to_be_visible()

    absent = {m.person.name for m in consultative.members[23:]}
    for name in absent:
        secretary.get_by_label(name, exact=True).select_option("ausente")
    secretary.get_by_role("button", name="Registrar asistencia").click()
    expect(secretary.get_by_text("23 presentes de 25 con voto; hay quórum")).to_be_visible()
    secretary.get_by_role("button", name="Abrir votación").click()
    expect(secretary.get_by_text("Votación abierta.")).to_be_visible()
    screenshot(secretary, "sesion-votacion-abierta-secretaria")

    session_url = secretary.url
    motion = Motion.objects.get(agenda_item__session__body=consultative.body, state=MotionState.OPEN)
    for i in range(15):
        option = VoteOption.NO if i >= 13 else VoteOption.YES
        if BROWSERS <= i < 13:  # the same form sent without a browser: each browser costs seconds, shows nothing new
            voter = Client()
            voter.force_login(consultative.user(i))
            assert voter.post(reverse("councils:vote_cast", args=[motion.pk]), {"option": option}).status_code == 302
            continue
        member = new_page(width=390, height=844) if i == 0 else new_page()
        if i == 0:  # one member through the login form; the others' browsers start signed in
            log_in(member, live_server.url, consultative.user(i).username, PASSWORD)
        else:
            signed_in(member, live_server.url, consultative.user(i))
        if i == 0:  # the open vote is waiting on the member's home
            member.goto(f"{live_server.url}/espacio/")
            expect(member.get_by_role("heading", name="Votaciones abiertas")).to_be_visible()
        member.goto(session_url)
        member.get_by_label(str(option.label)).check()
        member.get_by_role("button", name="Votar").click()
        expect(member.get_by_text("Su voto quedó registrado")).to_be_visible()
        if i == 0:
            screenshot(member, "voto-consejero-telefono")
        member.context.close()

    secretary.reload()
    expect(secretary.get_by_text("Se aprueba con más del 50% de los integrantes con voto presentes.")).to_be_visible()
    secretary.get_by_role("button", name="Cerrar votación").click()
    # 8 of the 23 present have not voted: closing now is a decision the secretary confirms, told the count.
    expect(secretary.get_by_role("heading", name="¿Cerrar la votación?")).to_be_visible()
    expect(secretary.get_by_text("Votaron 15 de 23 integrantes presentes.")).to_be_visible()
    screenshot(secretary, "cerrar-votacion-incompleta-confirmacion")
    secretary.get_by_role("button", name="Cerrar la votación de todos modos").click()
    expect(secretary.get_by_text("Votación cerrada. Se aprueba")).to_be_visible()
    plan.refresh_from_db()
    assert plan.state == LifecycleState.IN_REVIEW  # the Ayuntamiento still has to vote: the chain goes on

    public = new_page()
    public.goto(f"{live_server.url}/organos/consejo-consultivo/sesiones/1/")
    expect(public.get_by_text("A favor 13 · En contra 2 · Abstenciones 0")).to_be_visible()
    expect(public.locator(".badge-aprobada").first).to_have_text(str(MotionResult.PASSED.label))
    votes = public.get_by_role("table", name="Voto de cada integrante")
    for i in range(15):
        expect(votes.get_by_role("row", name=consultative.members[i].person.name)).to_contain_text(
            "En contra" if i >= 13 else "A favor"
        )
    screenshot(public, "sesion-publica-con-votos")
