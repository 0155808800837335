"""A citizen proposal in the browser: a planner opens a call, a neighbour proposes a project from a phone with a
point on the map, the planner publishes it and accepts it for assessment, and the phone sees it on the public page
with its status (never the e-mail)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from consultations.models import Proposal
from implan import roles
from implan.models import LifecycleState, TerritoryKind
from projects.services import point_in_municipality
from tests.browser.conftest import log_in
from tests.factories import (
    PASSWORD,
    MunicipalityFactory,
    StrategicPlanFactory,
    StrategyFactory,
    TerritoryFactory,
    UserFactory,
    VertienteFactory,
)

PHONE = {"width": 390, "height": 844}


def test_a_proposal_from_a_phone_through_moderation_to_its_public_page(
    new_page, live_server, role_groups, screenshot, settings
):
    settings.CONSULTATION_MIN_SECONDS = 0  # people in a test type instantly
    leon = MunicipalityFactory()
    centro = TerritoryFactory(name="Delegación Centro", kind=TerritoryKind.DELEGACION, code="del-centro", parent=leon)
    TerritoryFactory(name="Colonia Obregón", code="col-obregon", parent=centro)
    plan = StrategicPlanFactory(title="Plan León 2040", state=LifecycleState.PUBLISHED)
    StrategyFactory(plan=plan, vertiente=VertienteFactory(plan=plan), name="Hábitat")
    planner = UserFactory(username="planeadora", roles=[roles.PLANNING])
    base = live_server.url

    page = new_page()
    log_in(page, base, planner.username, PASSWORD)
    page.goto(base + "/espacio/")
    page.get_by_role("link", name="Convocatorias de propuestas ciudadanas").click()
    page.get_by_role("link", name="Nueva convocatoria").click()
    page.get_by_label("Título").fill("Propuestas para mi colonia")
    today = timezone.localdate()
    page.get_by_label("Inicio del periodo").fill(today.isoformat())
    page.get_by_label("Fin del periodo").fill((today + datetime.timedelta(days=20)).isoformat())
    page.get_by_label("Bases de la convocatoria").fill("Proponga proyectos para su colonia.")
    page.get_by_label("Territorios").select_option(label="Delegación Centro")
    page.get_by_label("Hábitat").check()
    page.get_by_role("button", name="Guardar").click()
    page.get_by_role("button", name="Abrir la convocatoria").click()
    expect(page.get_by_text("La convocatoria está abierta al público.")).to_be_visible()

    phone = new_page(**PHONE)
    phone.goto(base + "/propuestas/")
    phone.get_by_role("link", name="Propuestas para mi colonia").click()
    phone.get_by_label("Título del proyecto").fill("Parque de bolsillo en la calle Río Mayo")
    phone.get_by_label("Descripción").fill("Un baldío con basura; proponemos bancas y árboles.")
    phone.get_by_label("Colonia o territorio").select_option(label="Colonia Obregón")
    phone.locator("[data-point-picker]").click()  # the middle of the municipality
    expect(phone.get_by_label("Latitud")).not_to_have_value("")
    phone.get_by_label("Nombre o seudónimo").fill("Colectivo Río Mayo")
    phone.get_by_label("Correo electrónico (opcional)").fill("rio.mayo@correo-privado.example")
    screenshot(phone, "propuesta-telefono-formulario")
    phone.get_by_role("button", name="Enviar propuesta").click()
    expect(phone.get_by_text("Su propuesta se publicará en cuanto la moderación la revise")).to_be_visible()
    proposal = Proposal.objects.get()
    assert point_in_municipality(proposal.latitude, proposal.longitude)
    expect(phone.get_by_text("Parque de bolsillo")).to_have_count(0)  # held: not public yet

    page.goto(base + "/espacio/convocatorias/")
    page.get_by_role("link", name="Propuestas para mi colonia").click()
    item = page.locator("article.moderation-item", has_text="Parque de bolsillo")
    item.get_by_label("Publicar").check()
    item.get_by_role("button", name="Guardar decisión").click()
    expect(page.get_by_text("Propuesta publicada.")).to_be_visible()
    page.get_by_role("link", name="Recibida (1)").click()
    item = page.locator("article.moderation-item", has_text="Parque de bolsillo")
    item.get_by_label("Nuevo estado").select_option(label="Aceptada para valoración")
    item.get_by_role("button", name="Cambiar estado").click()
    expect(page.get_by_text("Se actualizó el estado de la propuesta.")).to_be_visible()
    screenshot(page, "propuesta-moderacion")

    phone.reload()
    phone.get_by_role("link", name="Parque de bolsillo en la calle Río Mayo").click()
    expect(phone.get_by_role("heading", name="Parque de bolsillo en la calle Río Mayo")).to_be_visible()
    expect(phone.get_by_text("Aceptada para valoración")).to_be_visible()
    expect(phone.locator(".leaflet-interactive")).to_have_count(1)  # the proposal's point on the map
    assert "correo-privado" not in phone.content()
    screenshot(phone, "propuesta-telefono-pagina")
