"""Two planners open the same project's data in their browsers; the one who saves second is shown what the first
changed (before → now), keeps what they typed, and overwrites only when they send it again on purpose."""

from playwright.sync_api import expect

from implan import roles
from implan.models import LifecycleState
from projects.models import Project
from tests.browser.a11y import assert_accessible
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, ProjectFactory, StrategyFactory, UserFactory


def test_the_second_planner_to_save_a_project_sees_what_changed_and_keeps_their_text(
    live_server, role_groups, new_page, screenshot
):
    strategy = StrategyFactory(vertiente__plan__state=LifecycleState.PUBLISHED)
    project = ProjectFactory(title="Cancha techada", strategy=strategy)
    for username in ("ana", "beto"):
        UserFactory(username=username, roles=[roles.PLANNING])
    ana, beto = new_page(), new_page()
    for page, username in ((ana, "ana"), (beto, "beto")):
        log_in(page, live_server.url, username, PASSWORD)
        page.goto(f"{live_server.url}/espacio/proyectos/{project.pk}/datos/")

    ana.get_by_label("Título del proyecto").fill("Cancha techada con gradas")
    ana.get_by_role("button", name="Guardar").click()
    expect(ana.get_by_text("Se guardaron los datos del proyecto.")).to_be_visible()

    beto.get_by_label("Problema que atiende").fill("Los jóvenes no tienen dónde jugar cuando llueve.")
    beto.get_by_role("button", name="Guardar").click()
    conflict = beto.get_by_role("alert").filter(has_text="Este registro cambió desde que lo abrió")
    expect(conflict).to_be_visible()
    row = conflict.get_by_role("row", name="Título")
    expect(row.get_by_role("cell").nth(0)).to_have_text("Cancha techada")
    expect(row.get_by_role("cell").nth(1)).to_have_text("Cancha techada con gradas")
    expect(beto.get_by_label("Problema que atiende")).to_have_value("Los jóvenes no tienen dónde jugar cuando llueve.")
    assert_accessible(beto)
    screenshot(beto, "conflicto-de-edicion-proyecto")
    project.refresh_from_db()
    assert (project.title, project.problem) == ("Cancha techada con gradas", "Un problema que el proyecto atiende.")

    # Beto's copy still says the old title; sending it again is a deliberate overwrite of everything he sees.
    beto.get_by_role("button", name="Guardar mi versión de todos modos").click()
    expect(beto.get_by_text("Se guardaron los datos del proyecto.")).to_be_visible()
    project = Project.objects.get(pk=project.pk)
    assert (project.title, project.problem) == ("Cancha techada", "Los jóvenes no tienen dónde jugar cuando llueve.")
