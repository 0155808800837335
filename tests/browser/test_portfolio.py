"""consejero01 proposes from their community council; planeador scores it, moves it into the portfolio, funds it
and starts it; enlace reports progress with a photo and a PDF; the public map and project page show it."""

from decimal import Decimal

from django.db.models import Sum
from playwright.sync_api import expect

from planning.models import BudgetLine
from projects.models import Evidence, Project, ProjectStatus
from tests.browser.a11y import assert_accessible
from tests.browser.conftest import log_in
from tests.conftest import DEMO_PASSWORD as PASSWORD
from tests.projects.samples import pdf_bytes, png_bytes

TITLE = "Andador iluminado en el Parque Chapalita"
COUNCIL = "Consejo Comunitario Delegación Cerrito de Jerez"


def _free_line() -> BudgetLine:
    """The 2025 Obra Pública line with the most money not yet allocated to projects."""
    lines = BudgetLine.objects.filter(
        budget__fiscal_year__year=2025, budget__state__in=["aprobado", "publicado"], agency__slug="obra-publica"
    ).annotate(used=Sum("allocations__amount"))
    return max(lines, key=lambda line: line.approved_amount - (line.used or 0))


def test_a_proposal_travels_from_a_barrio_council_to_the_public_map(live_server, demo, new_page, screenshot, tmp_path):
    url = live_server.url
    # 1. The council member proposes from their community council; a point outside León is refused first.
    member = new_page()
    log_in(member, url, "consejero01", PASSWORD)
    member.get_by_role("link", name="Proyectos", exact=True).click()
    member.get_by_role("link", name="Ir a la cartera en su espacio de trabajo (propuestas y evaluación)").click()
    member.get_by_role("link", name="Proponer un proyecto").click()
    member.get_by_label("Órgano que propone").select_option(label=COUNCIL)
    member.get_by_label("Título del proyecto").fill(TITLE)
    member.get_by_label("Problema que atiende").fill("El parque no tiene luz y las personas lo rodean de noche.")
    member.get_by_label("Estrategia a la que sirve").select_option(label="7. Infraestructura y Equipamiento Nodal")
    member.get_by_label("Territorio").select_option(label="Delegación Cerrito de Jerez (delegación o zona)")
    member.get_by_label("Latitud").fill("19.432600")
    member.get_by_label("Longitud").fill("-99.133200")
    member.get_by_label("Personas beneficiarias (estimado)").fill("4200")
    member.get_by_label("Costo estimado (MXN)").fill("1850000")
    member.get_by_role("button", name="Enviar propuesta").click()
    expect(member.get_by_role("alert")).to_contain_text("quedan fuera del municipio de León")
    assert not Project.objects.filter(title=TITLE).exists()
    screenshot(member, "proyecto-propuesta-fuera-del-municipio")
    member.locator("[data-point-picker]").click()  # a click on the map (centred on León) sets the point
    expect(member.get_by_label("Latitud")).not_to_have_value("19.432600")
    member.get_by_role("button", name="Enviar propuesta").click()
    expect(member.get_by_text("Se registró la propuesta")).to_be_visible()
    project = Project.objects.get(title=TITLE)
    assert (project.origin_body.name, project.proposed_by.user.username) == (COUNCIL, "consejero01")
    screenshot(member, "proyecto-propuesto-consejero")

    # 2. The planner completes, scores, moves it into the portfolio, funds it and starts it.
    planner = new_page()
    log_in(planner, url, "planeador", PASSWORD)
    planner.goto(f"{url}/espacio/proyectos/?estado=propuesto")
    planner.get_by_role("link", name=TITLE).click()
    planner.get_by_role("link", name="Editar datos").click()
    planner.get_by_label("Dependencia responsable").select_option(label="Dirección General de Obra Pública")
    planner.get_by_label("11. Ciudades y comunidades sostenibles").check()
    planner.get_by_role("button", name="Guardar").click()
    expect(planner.get_by_text("Se guardaron los datos del proyecto.")).to_be_visible()
    planner.get_by_role("link", name="Evaluar").click()
    for label, value in (
        ("Alineación a la estrategia", "90"),
        ("Impacto", "80"),
        ("Personas beneficiarias", "85"),
        ("Factibilidad", "70"),
        ("Costo", "75"),
        ("Demanda ciudadana", "95"),
    ):
        planner.get_by_label(label, exact=False).first.fill(value)
    planner.get_by_role("button", name="Registrar evaluación").click()
    expect(planner.get_by_text("Evaluación registrada: 83.00 de 100 puntos.")).to_be_visible()
    planner.get_by_label("Nuevo estado").select_option(label="En cartera")
    planner.get_by_role("button", name="Cambiar estado").click()
    expect(planner.get_by_text("El proyecto quedó «En cartera».")).to_be_visible()
    line = _free_line()
    planner.get_by_role("link", name="Asignar recursos").click()
    planner.get_by_label("Línea presupuestal").select_option(value=str(line.pk))
    planner.get_by_label("Monto asignado (MXN)").fill("1200000")
    planner.get_by_role("button", name="Asignar").click()
    expect(planner.get_by_text("Se registró la asignación.")).to_be_visible()
    planner.get_by_label("Nuevo estado").select_option(label="En ejecución")
    planner.get_by_role("button", name="Cambiar estado").click()
    expect(planner.get_by_text("El proyecto quedó «En ejecución».")).to_be_visible()
    screenshot(planner, "proyecto-en-ejecucion-planeador")

    # 3. The liaison of Obra Pública reports progress with a photo and a PDF.
    photo, acta = tmp_path / "obra-frente.png", tmp_path / "acta-de-avance.pdf"
    photo.write_bytes(png_bytes(64, 48))
    acta.write_bytes(pdf_bytes())
    liaison = new_page(width=390, height=844)
    log_in(liaison, url, "enlace", PASSWORD)
    liaison.goto(f"{url}/espacio/proyectos/{project.pk}/")
    liaison.get_by_role("link", name="Reportar avance").click()
    liaison.get_by_label("Avance físico acumulado (%)").fill("30")
    liaison.get_by_label("Monto ejercido acumulado (MXN)").fill("350000")
    liaison.get_by_label("Qué se hizo").fill("Excavación y colocación de postes en el primer tramo.")
    liaison.get_by_label("Evidencias (fotos o PDF)").set_input_files([photo, acta])
    liaison.get_by_role("button", name="Registrar avance").click()
    expect(liaison.get_by_text("Se registró el avance de 30.00 %.")).to_be_visible()
    assert Evidence.objects.filter(progress_update__project=project).count() == 2
    screenshot(liaison, "proyecto-avance-enlace-telefono")

    # 4. The public sees it on the map, in the list and on its page, with its timeline.
    project.refresh_from_db()
    assert (project.status, project.physical_progress) == (ProjectStatus.IN_EXECUTION, Decimal("30.00"))
    public = new_page()
    public.goto(f"{url}/proyectos/")
    expect(public.locator("[data-project-map]")).to_have_attribute(
        "data-markers", str(Project.objects.public().exclude(latitude=None).count())
    )
    expect(public.get_by_role("link", name=TITLE)).to_be_visible()
    assert_accessible(public)
    screenshot(public, "cartera-publica-mapa")
    public.get_by_label("Buscar en la cartera").fill("Chapalita")
    public.get_by_role("button", name="Filtrar").click()
    expect(public.locator("[data-project-map]")).to_have_attribute("data-markers", "1")
    public.locator(".leaflet-interactive").first.click()
    expect(public.locator(".leaflet-popup-content")).to_contain_text(TITLE)
    screenshot(public, "cartera-publica-filtrada")
    public.get_by_role("link", name=TITLE).first.click()
    timeline = public.locator(".timeline")
    for text in (
        "Propuesta",
        "Evaluación: 83.00 de 100 puntos",
        "De «En cartera» a «En ejecución»",
        "Aprobación de «Presupuesto",
        "Acuerdo",
        "Asignación 2025",
        "Avance físico: 30.00 %",
    ):
        expect(timeline).to_contain_text(text)
    expect(public.get_by_role("img", name="Evidencia: obra-frente.png")).to_be_visible()
    expect(public.get_by_text("30 %").first).to_be_visible()
    assert_accessible(public)
    screenshot(public, "proyecto-pagina-publica")
