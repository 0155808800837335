"""The plan's cycle in the browser: a planner edits a strategy's objective in a new draft version of the published plan
and submits it; the Consejo Consultivo and then the Ayuntamiento vote it through in their sessions; the planner
publishes it; the public sees the new version and the history says who changed what."""

import datetime

from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page, expect

from councils.models import BodyKind, Motion, MotionState, VoteOption
from implan import roles
from implan.models import LifecycleState
from planning.models import StrategicPlan
from tests.browser.a11y import assert_accessible
from tests.browser.conftest import log_in, signed_in
from tests.councils.builders import Council, council
from tests.factories import PASSWORD, UserFactory
from tests.planning.plan_builders import plan_world

NEW_TITLE = "Conservar el agua, el aire y las áreas naturales con las colonias"


def _approve_in_session(new_page, base: str, body: Council, subject: str, shot, name: str) -> None:
    """The body's secretary convenes a session with the pending plan, takes attendance and opens the vote; every
    member votes in favour (the first in a browser of their own); the secretary closes the vote."""
    secretary = new_page()
    log_in(secretary, base, body.secretary.username, PASSWORD)
    secretary.goto(f"{base}/espacio/organos/{body.body.slug}/")
    secretary.get_by_role("link", name="Convocar sesión").click()
    secretary.get_by_label("Tipo de sesión").select_option("ordinaria")
    when = (datetime.datetime.now() + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    secretary.get_by_label("Fecha y hora").fill(when)
    secretary.get_by_label("Lugar").fill("Sala de sesiones")
    secretary.get_by_label(subject).check()
    # An hour ahead is within the body's notice period: the form asks why, and the members read it.
    secretary.get_by_label("Motivo de convocar fuera de plazo").fill("Sesión de prueba: se celebra hoy")
    secretary.get_by_role("button", name="Convocar").click()
    expect(secretary.get_by_text("Se convocó la sesión 1.")).to_be_visible()
    secretary.get_by_role("button", name="Registrar asistencia").click()
    secretary.get_by_role("button", name="Abrir votación").click()
    expect(secretary.get_by_text("Votación abierta.")).to_be_visible()
    session_url = secretary.url
    # The first member votes in a browser of their own; the others send the same form over HTTP (each browser costs
    # seconds and shows nothing new: tests/browser/test_council_vote.py has many members vote in browsers).
    motion = Motion.objects.get(agenda_item__session__body=body.body, state=MotionState.OPEN)
    member = new_page()
    signed_in(member, base, body.user(0))  # the login form is tried by the secretary above
    member.goto(session_url)
    member.get_by_label("A favor").check()
    member.get_by_role("button", name="Votar").click()
    expect(member.get_by_text("Su voto quedó registrado")).to_be_visible()
    member.context.close()
    for i in range(1, len(body.members)):
        voter = Client()
        voter.force_login(body.user(i))
        response = voter.post(reverse("councils:vote_cast", args=[motion.pk]), {"option": VoteOption.YES})
        assert response.status_code == 302
    secretary.reload()
    secretary.get_by_role("button", name="Cerrar votación").click()
    expect(secretary.get_by_role("heading", name="¿Cerrar la votación?")).to_be_visible()  # says what will happen
    secretary.get_by_role("button", name="Sí, cerrar la votación").click()
    expect(secretary.get_by_text("Votación cerrada. Se aprueba")).to_be_visible()
    shot(secretary, name)
    secretary.context.close()


def _planner_edits_and_submits(page: Page, base: str, shot) -> None:
    page.get_by_role("link", name="Espacio de trabajo").click()
    page.get_by_role("link", name="Plan estratégico, diagnóstico, programas y programa de gobierno").click()
    page.get_by_role("link", name="Versión 1").click()
    page.get_by_role("button", name="Editar (iniciar una nueva versión)").click()
    expect(page.get_by_text("Se inició la versión 2 en borrador")).to_be_visible()
    page.get_by_role("link", name="1. Desarrollo Sustentable").click()
    page.get_by_role("link", name="Editar el objetivo Objetivo de Desarrollo Sustentable").click()
    page.get_by_label("Objetivo", exact=True).fill(NEW_TITLE)
    page.get_by_label("Descripción").fill("Con **metas por colonia** y vigilancia ciudadana.")
    page.get_by_role("button", name="Guardar").click()
    expect(page.get_by_text("Se guardaron los cambios.")).to_be_visible()
    expect(page.get_by_role("heading", name=f"1.1 {NEW_TITLE}")).to_be_visible()
    expect(page.locator(".prose strong", has_text="metas por colonia")).to_be_visible()  # Markdown rendered
    shot(page, "plan-estrategia-borrador-editada")
    page.get_by_role("link", name="León hacia el Futuro, Visión 2025 (versión 2)").click()
    page.get_by_role("link", name="comparar con la versión 1").click()
    expect(page.get_by_text("De la versión 1 a la versión 2")).to_be_visible()
    expect(page.locator("ins", has_text=NEW_TITLE)).to_be_visible()
    shot(page, "plan-comparar-versiones")
    page.go_back()
    page.get_by_role("button", name="Enviar a aprobación").click()
    expect(page.get_by_text("queda entre los asuntos pendientes de")).to_be_visible()


def test_a_planner_changes_the_plan_and_it_is_approved_in_session_and_published(
    live_server, role_groups, new_page, screenshot
):
    world = plan_world(state=LifecycleState.PUBLISHED, slug="leon-hacia-el-futuro")
    consultative = council(size=3, slug="consejo-consultivo")
    ayuntamiento = council(size=3, slug="ayuntamiento", kind=BodyKind.AYUNTAMIENTO, seat_limit=None)
    UserFactory(username="planeador", first_name="Lucía", last_name="Ramírez Ortega", roles=[roles.PLANNING])
    base = live_server.url

    planner = new_page()
    log_in(planner, base, "planeador", PASSWORD)
    _planner_edits_and_submits(planner, base, screenshot)
    draft_url = planner.url
    subject = world.plan.title
    _approve_in_session(new_page, base, consultative, subject, screenshot, "plan-votacion-consejo")
    assert StrategicPlan.objects.get(version=2).state == LifecycleState.IN_REVIEW  # the Ayuntamiento is next
    _approve_in_session(new_page, base, ayuntamiento, subject, screenshot, "plan-votacion-ayuntamiento")

    planner.goto(draft_url)
    expect(planner.locator(".lifecycle .badge").first).to_have_text("Aprobado")
    planner.get_by_role("button", name="Publicar esta versión").click()
    expect(planner.get_by_text("Se publicó la versión 2.")).to_be_visible()
    history = planner.get_by_role("region", name="Historial")
    expect(history.get_by_text("Lucía Ramírez Ortega").first).to_be_visible()
    change = history.get_by_role("row", name="Objetivo")
    expect(change).to_contain_text("Objetivo de Desarrollo Sustentable")
    expect(change).to_contain_text(NEW_TITLE)
    screenshot(planner, "plan-publicado-con-historial")

    public = new_page()
    public.goto(base + "/")
    public.get_by_role("link", name="Plan", exact=True).click()
    expect(public.get_by_role("heading", name="León hacia el Futuro, Visión 2025")).to_be_visible()
    expect(public.get_by_text("versión 2, publicada el")).to_be_visible()
    expect(public.get_by_text(NEW_TITLE)).to_be_visible()
    expect(public.get_by_text("Objetivo 1.1: Objetivo de Desarrollo Sustentable")).to_have_count(0)
    assert_accessible(public)
    screenshot(public, "plan-publico-version-2")
    public.get_by_role("link", name="Desarrollo Sustentable", exact=True).click()
    expect(public.get_by_role("heading", name="Estrategia 1: Desarrollo Sustentable")).to_be_visible()
    assert_accessible(public)
    phone = new_page(width=390, height=844)
    phone.goto(public.url)
    assert_accessible(phone)
    screenshot(phone, "estrategia-publica-telefono")
    old = StrategicPlan.objects.get(version=1)
    assert old.state == LifecycleState.SUPERSEDED
