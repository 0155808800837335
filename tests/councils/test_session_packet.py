"""The meeting packet: one PDF with the convocation, the agenda, each point's frozen version and its differences,
and links to the documents; laid out once per change by a task on each backend (or by the first request when no
worker got to it), kept in storage and served from there; a private body's packet only for its members."""

import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from councils import packets
from councils.models import AgendaItemKind, BodyKind, Session, SessionPacket
from councils.services import documents as document_services
from councils.services import sessions as session_services
from implan import roles, tasks
from implan.models import LifecycleState
from planning.models import Budget
from planning.services import budget as budget_services
from planning.services import lifecycle
from tests.councils.builders import council
from tests.factories import BudgetFactory, UserFactory
from tests.projects.samples import pdf_bytes


@pytest.fixture
def backend(tasks_backend) -> str:
    """Each backend in turn, with the role groups back (a transactional test's flush removes them)."""
    for name in roles.ALL_ROLES:
        Group.objects.get_or_create(name=name)
    return tasks_backend


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    """The sessions laid out (the real layout runs; this only counts it)."""
    laid_out: list[str] = []
    real = packets.render

    def counted(data: dict) -> tuple[bytes, int]:
        laid_out.append(f"{data['body']} {data['number']}")
        return real(data)

    monkeypatch.setattr(packets, "render", counted)
    return laid_out


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _served(response) -> bytes:
    return b"".join(response.streaming_content)


def _budget_under_vote(planner) -> Budget:
    in_force = BudgetFactory(title="Presupuesto 2026", state=LifecycleState.PUBLISHED)
    draft = lifecycle.instrument_new_version(instrument=in_force, actor=planner)
    budget_services.budget_update(
        actor=planner, budget=draft, title="Presupuesto 2026 con obra nueva", ceiling=Decimal("1500000.00")
    )
    return lifecycle.instrument_submit(instrument=Budget.objects.get(pk=draft.pk), actor=planner)


def _convene(c, subject=None) -> Session:
    agenda = [session_services.AgendaEntry(title="Lectura del acta anterior")]
    if subject is not None:
        agenda.insert(0, session_services.AgendaEntry(title="Aprobación del presupuesto 2026", subject=subject))
    return session_services.session_convene(
        late_reason="Sesión de prueba",
        actor=c.secretary,
        body=c.body,
        scheduled_at=timezone.now() + datetime.timedelta(days=3),
        place="Salón del Ayuntamiento, Palacio Municipal",
        agenda=agenda,
    )


def test_convening_has_a_worker_lay_the_packet_out_once_and_pages_serve_that_file(client, backend, renders):
    planner = UserFactory(username="planeadora", roles=[roles.PLANNING])
    c = council(size=3, slug="ayuntamiento", kind=BodyKind.AYUNTAMIENTO, seat_limit=None)
    session = _convene(c, _budget_under_vote(planner))
    assert not SessionPacket.objects.exists()  # convening itself laid nothing out
    assert tasks.run_waiting_tasks() >= 1
    packet = SessionPacket.objects.get(session=session)
    assert renders == ["Órgano ayuntamiento 1"] and default_storage.exists(packet.file.name) and packet.pages >= 2

    client.force_login(c.user(0))
    response = client.get(reverse("councils:session_packet", args=[session.pk]))
    served = _served(response)
    assert response["Content-Type"] == "application/pdf" and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == 'inline; filename="paquete-ayuntamiento-sesion-1.pdf"'
    assert response["ETag"] == f'"{packet.sha256}"' and len(served) == packet.size
    text = _text(served)
    for expected in (
        "Convocatoria",
        "Órgano ayuntamiento · Sesión ordinaria 1",
        "Salón del Ayuntamiento, Palacio Municipal",
        "Orden del día",
        "Aprobación del presupuesto 2026",
        "Versión bajo votación",
        "Presupuesto 2026 con obra nueva, versión 2",
        "Diferencias con la versión vigente",
        "1500000",
        "Lectura del acta anterior",
    ):
        assert expected in text, expected
    assert renders == ["Órgano ayuntamiento 1"]  # served from storage, not laid out again

    # A document attached: the packet is laid out again, once, and links it.
    item = session.agenda_items.get(order=1)
    document_services.agenda_document_add(
        actor=c.secretary, item=item, upload=io.BytesIO(pdf_bytes()), name="dictamen.pdf", size=len(pdf_bytes())
    )
    assert tasks.run_waiting_tasks() == 1
    assert len(renders) == 2 and SessionPacket.objects.filter(session=session).count() == 2
    text = _text(_served(client.get(reverse("councils:session_packet", args=[session.pk]))))
    assert "dictamen.pdf" in text
    # The task delivered again finds the packet and lays nothing out.
    tasks.enqueue(packets.packet_generate, session.pk)
    assert tasks.run_waiting_tasks() == 1
    assert len(renders) == 2


@pytest.mark.django_db
def test_without_a_worker_the_first_request_lays_the_packet_out_and_stores_it_once(client, renders):
    c = council(size=3, slug="consejo-consultivo")
    session = _convene(c)
    client.force_login(c.user(0))
    url = reverse("councils:session_packet", args=[session.pk])
    first = _served(client.get(url))
    assert first.startswith(b"%PDF") and len(renders) == 1
    assert _served(client.get(url)) == first and len(renders) == 1
    packet = SessionPacket.objects.get()
    assert client.get(url, HTTP_IF_NONE_MATCH=f'"{packet.sha256}"').status_code == 304
    # Starting the session changes nothing the packet shows: no new packet.
    session.state = "en_curso"
    assert packets.stored_packet(session) == packet


@pytest.mark.django_db
def test_a_private_bodys_packet_is_only_for_its_members(client, renders):
    c = council(size=3, slug="comision-interna", kind=BodyKind.TECHNICAL_STAFF, seat_limit=None)
    c.body.is_public = False
    c.body.save()
    session = _convene(c)
    member_url = reverse("councils:session_packet", args=[session.pk])
    short = reverse("councils:packet_public", args=[session.pk])
    short_pdf = reverse("councils:packet_public_pdf", args=[session.pk])

    assert client.get(short)["Location"].startswith(reverse("login"))  # not logged in: the login page
    assert client.get(short_pdf)["Location"].startswith(reverse("login"))
    client.force_login(UserFactory(username="ajeno"))
    assert [client.get(u).status_code for u in (member_url, short, short_pdf)] == [404, 404, 404]
    assert reverse("councils:session_detail", args=[c.body.slug, session.number])
    assert client.get(reverse("councils:session_detail", args=[c.body.slug, session.number])).status_code == 404
    client.force_login(c.user(0))
    assert [client.get(u).status_code for u in (member_url, short, short_pdf)] == [200, 200, 200]
    page = client.get(short).content.decode()
    assert 'name="robots" content="noindex"' in page and "og:title" not in page
    assert renders == ["Órgano comision-interna 1"]


@pytest.mark.django_db
def test_the_short_link_of_a_public_session_previews_well_and_gives_the_pdf(client, renders, settings):
    settings.PORTAL_URL = "https://implan.example.gob.mx"
    c = council(size=3, slug="consejo-consultivo")
    session = _convene(c)
    page = client.get(reverse("councils:packet_public", args=[session.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert '<meta property="og:title" content="Paquete de la sesión ordinaria 1 · Órgano consejo-consultivo">' in html
    assert 'property="og:description"' in html and "Salón del Ayuntamiento, Palacio Municipal" in html
    # The portal's address, not the one the request named (a visitor's Host header would reach a cached page).
    assert f'content="https://implan.example.gob.mx/paquete/{session.pk}/"' in html and "testserver" not in html
    pdf = client.get(reverse("councils:packet_public_pdf", args=[session.pk]))
    assert pdf.status_code == 200 and _served(pdf).startswith(b"%PDF")
    assert pdf["Cache-Control"] == "public, max-age=300"
    # The public session's page links the packet and its short link.
    public_page = client.get(reverse("councils:session_detail", args=[c.body.slug, session.number])).content.decode()
    assert reverse("councils:packet_public_pdf", args=[session.pk]) in public_page
    assert f">https://implan.example.gob.mx/paquete/{session.pk}/</a>" in public_page


@pytest.mark.django_db
def test_an_informative_agenda_is_a_packet_too(renders):
    c = council(size=3, slug="consejo-consultivo")
    session = session_services.session_convene(
        late_reason="Sesión de prueba",
        actor=c.secretary,
        body=c.body,
        scheduled_at=timezone.now(),
        place="Sala",
        agenda=[session_services.AgendaEntry(title="Informe del director", kind=AgendaItemKind.INFORMATIVE)],
    )
    text = _text(packets.current_packet(session).file.read())
    assert "Informe del director" in text and "Este punto no tiene documentos adjuntos." in text


def test_the_packet_of_a_new_plan_version_reads_as_a_government_document(demo, renders):
    """The León demo's plan in a new version before the Consejo Consultivo: its first page is saved as a PNG (with
    poppler's pdftoppm, when installed) in test-artifacts/screenshots/ for a reviewer to look at."""
    from councils.models import Body
    from planning.models import StrategicPlan
    from planning.services import plan as plan_services

    planner = UserFactory(username="planeadora-paquete", roles=[roles.PLANNING])
    published = StrategicPlan.objects.filter(state=LifecycleState.PUBLISHED).first()
    draft = lifecycle.instrument_new_version(instrument=published, actor=planner)
    plan_services.plan_update(
        actor=planner,
        plan=draft,
        values={"summary": draft.summary + " Se incorpora la estrategia de movilidad activa y la meta de ciclovías."},
        seen=None,
    )
    strategy = draft.strategies.order_by("number").first()
    plan_services.strategy_update(
        actor=planner,
        strategy=strategy,
        values={"description": strategy.description + " Con prioridad en polígonos de atención."},
        seen=None,
    )
    plan = lifecycle.instrument_submit(instrument=StrategicPlan.objects.get(pk=draft.pk), actor=planner)
    body = Body.objects.get(kind=BodyKind.CONSULTATIVE_COUNCIL)
    secretary = UserFactory(username="secretaria-paquete", roles=[roles.TECHNICAL_SECRETARY])
    from guardian.shortcuts import assign_perm

    assign_perm("councils.manage_sessions", secretary, body)
    session = session_services.session_convene(
        late_reason="Sesión de prueba",
        actor=secretary,
        body=body,
        scheduled_at=timezone.now() + datetime.timedelta(days=4),
        place="Sala de juntas del IMPLAN, Blvd. Juan José Torres Landa 1701, León, Gto.",
        agenda=[
            session_services.AgendaEntry(title="Lista de asistencia y declaración de quórum"),
            session_services.AgendaEntry(title=f"Aprobación: {plan}", subject=plan),
            session_services.AgendaEntry(title="Asuntos generales"),
        ],
    )
    item = session.agenda_items.get(order=2)
    document_services.agenda_document_add(
        actor=secretary, item=item, upload=io.BytesIO(pdf_bytes()), name="dictamen-comision.pdf", size=len(pdf_bytes())
    )
    pdf = packets.current_packet(session).file.read()
    text = _text(pdf)
    assert "Versión bajo votación" in text and "movilidad activa" in text and "dictamen-comision.pdf" in text

    import shutil
    import subprocess
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "paquete-de-la-sesion.pdf").write_bytes(pdf)
    if shutil.which("pdftoppm"):
        for page, name in ((1, "paquete-pagina-1"), (2, "paquete-pagina-2")):
            subprocess.run(
                [
                    "pdftoppm",
                    "-png",
                    "-r",
                    "80",
                    "-f",
                    str(page),
                    "-l",
                    str(page),
                    "-singlefile",
                    str(folder / "paquete-de-la-sesion.pdf"),
                    str(folder / name),
                ],
                check=True,
            )
