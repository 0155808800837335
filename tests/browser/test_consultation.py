"""A public consultation in the browser: a planner opens one on a draft plan, three people comment (one on a
phone), the planner moderates (publishes two, rejects one), answers after the period and publishes the report."""

from __future__ import annotations

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from consultations import services
from consultations.models import Consultation, Verdict
from implan import roles, tasks
from implan.models import LifecycleState
from tests.browser.conftest import log_in
from tests.consultations.builders import close, comment
from tests.factories import PASSWORD, StrategicPlanFactory, StrategyFactory, UserFactory, VertienteFactory

MX = ZoneInfo("America/Mexico_City")
COMMENTS = [
    ("Mariana", "Colonia Obregón", "Más árboles en las avenidas.", {}),
    ("Beto", "Las Joyas", "Rutas de camión hasta la noche.", {"width": 390, "height": 844}),
    ("Promociones", "León", "¡Compre terrenos ya!", {}),
]


def _citizen_comments(new_page, url: str, name: str, place: str, text: str, viewport: dict) -> Page:
    page = new_page(**viewport)
    page.goto(url)
    page.get_by_label("Nombre o seudónimo").fill(name)
    page.get_by_label("Municipio o colonia", exact=True).fill(place)
    if viewport:  # the phone's commenter takes part for an organisation; the others keep «Ciudadanía»
        page.get_by_label("Participa como").select_option(label="Organizaciones de la sociedad civil")
    page.get_by_label("Correo electrónico (opcional)").fill(f"{name.lower()}@correo-privado.example")
    page.get_by_label("Comentario", exact=True).fill(text)
    page.get_by_role("button", name="Enviar comentario").click()
    expect(page.get_by_text("Su comentario se publicará en cuanto la moderación lo revise")).to_be_visible()
    return page


def test_a_consultation_from_opening_to_its_report(new_page, live_server, role_groups, screenshot, settings):
    settings.CONSULTATION_MIN_SECONDS = 0  # people in a test type instantly
    plan = StrategicPlanFactory(title="Plan Municipal León 2045", slug="leon-2045")
    vertiente = VertienteFactory(plan=plan, order=1)
    for number, name in ((1, "Agua para todos"), (2, "Movilidad")):
        StrategyFactory(plan=plan, vertiente=vertiente, number=number, name=name, slug=f"e-{number}")
    planner = UserFactory(username="planeadora", roles=[roles.PLANNING])
    base = live_server.url

    page = new_page()
    log_in(page, base, planner.username, PASSWORD)
    page.goto(base + "/espacio/")
    page.get_by_role("link", name="Consultas públicas de los borradores").click()
    page.get_by_role("link", name="Nueva consulta").click()
    page.get_by_label("Versión en borrador que se consulta").select_option(label="Plan Municipal León 2045 (v1)")
    page.get_by_label("Título").fill("Consulta del Plan León 2045")
    today = timezone.localdate()
    page.get_by_label("Inicio del periodo").fill(today.isoformat())
    page.get_by_label("Fin del periodo").fill((today + datetime.timedelta(days=20)).isoformat())
    page.get_by_label("Reglas de participación").fill("Comente con respeto; se modera antes de publicar.")
    page.get_by_role("button", name="Guardar").click()
    page.get_by_role("button", name="Tomar las secciones del instrumento").click()
    expect(page.get_by_text("Se agregaron 3 secciones del instrumento.")).to_be_visible()
    page.get_by_role("button", name="Abrir la consulta al público").click()
    expect(page.get_by_text("La consulta está abierta al público.")).to_be_visible()

    public_url = base + "/consultas/consulta-del-plan-leon-2045/"
    phone = None
    for name, place, text, viewport in COMMENTS:
        citizen = _citizen_comments(new_page, public_url, name, place, text, viewport)
        if viewport:
            phone = citizen
    screenshot(phone, "consulta-telefono")

    page.goto(base + "/espacio/")
    page.get_by_role("link", name="Consultas públicas de los borradores").click()
    page.get_by_role("link", name="Consulta del Plan León 2045").click()
    page.get_by_role("link", name="Moderar comentarios").click()
    screenshot(page, "consulta-moderacion")
    for text, decision in ((COMMENTS[0][2], "Publicar"), (COMMENTS[1][2], "Publicar")):
        item = page.locator("article.moderation-item", has_text=text)
        item.get_by_label(decision).check()
        item.get_by_role("button", name="Guardar decisión").click()
        expect(page.get_by_text("Comentario publicado.")).to_be_visible()
    spam = page.locator("article.moderation-item", has_text=COMMENTS[2][2])
    spam.get_by_label("Rechazar").check()
    spam.get_by_label("Motivo del rechazo").select_option(
        label="Publicidad, propaganda o contenido ajeno a la consulta o a la convocatoria"
    )
    spam.get_by_role("button", name="Guardar decisión").click()
    expect(page.get_by_text("Comentario rechazado.")).to_be_visible()

    reader = new_page()
    reader.goto(public_url)
    expect(reader.get_by_text(COMMENTS[0][2])).to_be_visible()
    expect(reader.get_by_text(COMMENTS[2][2])).to_have_count(0)
    assert "correo-privado" not in reader.content()
    screenshot(reader, "consulta-pagina")

    # The period ends (the nightly command would close it; here the planner does).
    Consultation.objects.update(
        starts_on=today - datetime.timedelta(days=21), ends_on=today - datetime.timedelta(days=1)
    )
    page.goto(base + "/espacio/consultas/")
    page.get_by_role("link", name="Consulta del Plan León 2045").click()
    page.get_by_role("button", name="Cerrar la consulta").click()
    expect(page.get_by_text("La consulta quedó cerrada.")).to_be_visible()
    page.get_by_role("link", name="Responder las aportaciones").click()
    for n, verdict in enumerate(("Aceptada", "Aceptada en parte")):
        item = page.locator("article.answer-item").nth(n)
        item.get_by_label("Respuesta", exact=True).select_option(label=verdict)
        item.get_by_label("Razón", exact=True).fill(f"Se incorpora en la revisión {n + 1}.")
        item.get_by_role("button", name="Responder").click()
        expect(page.get_by_text("Se guardó la respuesta.")).to_be_visible()
    page.get_by_role("link", name="Consulta del Plan León 2045").click()
    page.get_by_label("Conclusiones de la consulta").fill("Dos aportaciones publicadas, ambas incorporadas.")
    page.get_by_role("button", name="Publicar el informe").click()
    expect(page.get_by_role("heading", name="Informe de la consulta")).to_be_visible()
    expect(page.get_by_text("Se incorpora en la revisión 2.")).to_be_visible()
    by_sector = page.locator("table", has_text="Aportaciones por sector")
    expect(by_sector.get_by_role("row", name="Ciudadanía 1")).to_be_visible()
    expect(by_sector.get_by_role("row", name="Organizaciones de la sociedad civil 1")).to_be_visible()
    screenshot(page, "consulta-informe")


@pytest.mark.parametrize("tasks_backend", ["database"], indirect=True)
def test_a_follower_of_the_strategy_receives_the_digest_once_the_report_is_published(
    live_server, role_groups, tasks_backend, smtp_server, settings, new_page, screenshot
):
    """The subscriber follows the strategy in force on a phone, confirms from the e-mail, and the next morning's
    digest (on the suite's SMTP server) tells of the consultation of the next plan's draft and of its report."""
    settings.PORTAL_URL = live_server.url
    in_force = StrategicPlanFactory(title="Plan León 2040", slug="leon-2040", state=LifecycleState.PUBLISHED)
    followed = StrategyFactory(plan=in_force, vertiente=VertienteFactory(plan=in_force), name="Agua para todos")
    draft = StrategicPlanFactory(title="Plan León 2045", slug="leon-2045")
    StrategyFactory(plan=draft, vertiente=VertienteFactory(plan=draft), name="Agua para todos", slug=followed.slug)
    planner = UserFactory(username="planeadora", roles=[roles.PLANNING])

    phone = new_page(width=390, height=844)
    phone.goto(f"{live_server.url}/seguir/estrategia/{followed.pk}/")
    phone.get_by_label("Correo electrónico").fill("seguidora@correo-privado.example")
    phone.get_by_label("Frecuencia del resumen").select_option(label="Diaria")
    phone.get_by_role("button", name="Suscribirme").click()
    tasks.run_waiting_tasks()
    [confirmation] = smtp_server.messages
    phone.goto(_link(confirmation, "/seguir/confirmar/"))
    screenshot(phone, "suscripcion-confirmar")
    phone.get_by_role("button", name="Confirmar mi suscripción").click()
    expect(phone.get_by_role("heading", name="Suscripción confirmada")).to_be_visible()

    consultation = services.consultation_create(
        actor=planner,
        instrument=draft,
        title="Consulta del Plan León 2045",
        starts_on=timezone.localdate() - datetime.timedelta(days=1),
        ends_on=timezone.localdate() + datetime.timedelta(days=20),
        rules="Comente con respeto.",
    )
    services.sections_from_instrument(actor=planner, consultation=consultation)
    services.consultation_open(actor=planner, consultation=consultation)
    said = services.comment_moderate(actor=planner, comment=comment(consultation, n=1), accept=True)
    close(consultation, planner)
    services.answer_give(actor=planner, comment=said, verdict=Verdict.ACCEPTED, reason="Se incorpora.")
    services.report_publish(actor=planner, consultation=consultation)

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with time_machine.travel(datetime.datetime.combine(tomorrow, datetime.time(9, 20), tzinfo=MX)):
        call_command("send_digests", stdout=open("/dev/null", "w"))
        tasks.run_waiting_tasks()

    digest = smtp_server.messages[-1]
    assert len(smtp_server.messages) == 2 and digest["To"] == "seguidora@correo-privado.example"
    assert "Novedades de «Agua para todos»" in " ".join(digest["Subject"].split())
    body = digest.get_body(("plain",)).get_content()
    assert "Se abrió la consulta pública «Consulta del Plan León 2045»." in body
    assert "Se publicó el informe de la consulta pública «Consulta del Plan León 2045»." in body
    phone.goto(_link(digest, "/consultas/consulta-del-plan-leon-2045/informe/"))
    expect(phone.get_by_role("heading", name="Informe de la consulta")).to_be_visible()
    screenshot(phone, "consulta-informe-desde-el-resumen")


def _link(message, path: str) -> str:
    body = message.get_body(("plain",)).get_content()
    return re.search(rf"(http://\S+{re.escape(path)}\S*)", body).group(1)
