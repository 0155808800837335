"""Documents of agenda points: PDF, XLSX, DOCX or images, checked by their content (not their name), size-limited,
stored through the storage, served with safe headers to whoever may see the session; attached and removed only by
the body's secretary, only before the session starts. A refused file leaves nothing behind."""

import io
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from councils.models import AgendaDocument, AgendaItemKind, AttendanceStatus
from councils.services import documents as document_services
from councils.services import sessions as session_services
from implan.errors import DomainError
from implan.events import events_for
from implan.uploads import sniff
from tests.councils.builders import council
from tests.factories import UserFactory
from tests.projects.samples import JPEG, pdf_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db

# What Windows programs start with: a program renamed «acta.pdf».
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def ooxml(main_part: str) -> bytes:
    """A minimal Office Open XML package whose main part makes it a workbook or a text document."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        package.writestr(main_part, "<x/>")
    return out.getvalue()


XLSX, DOCX = ooxml("xl/workbook.xml"), ooxml("word/document.xml")


@pytest.fixture
def world():
    c = council(size=3, slug="consejo-consultivo")
    session = session_services.session_convene(
        late_reason="Sesión de prueba",
        actor=c.secretary,
        body=c.body,
        scheduled_at=timezone.now(),
        place="Sala",
        agenda=[session_services.AgendaEntry(title="Programa de movilidad", kind=AgendaItemKind.DECISION)],
    )
    return c, session, session.agenda_items.get()


def _post(client, item, name, content):
    return client.post(reverse("councils:agenda_document_add", args=[item.pk]), {"file": upload(name, content)})


def _stored_files(session) -> list[str]:
    folder = f"sesiones/{session.pk}"
    return default_storage.listdir(folder)[1] if default_storage.exists(folder) else []


def test_signatures_tell_pdf_office_and_images_apart():
    kinds = [sniff(io.BytesIO(b)) for b in (pdf_bytes(), XLSX, DOCX, JPEG, png_bytes(), EXE, b"PK\x03\x04 roto")]
    assert kinds == [
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "image/jpeg",
        "image/png",
        None,
        None,
    ]


@pytest.mark.parametrize(
    ("name", "content"),
    [("acta.pdf", pdf_bytes()), ("anexo.xlsx", XLSX), ("dictamen.docx", DOCX), ("plano.png", png_bytes())],
)
def test_the_secretary_attaches_a_document_that_is_stored_with_its_checksum(client, world, name, content):
    c, session, item = world
    client.force_login(c.secretary)
    response = _post(client, item, name, content)
    assert response.status_code == 302
    document = AgendaDocument.objects.get()
    assert document.original_name == name and document.size == len(content)
    assert default_storage.exists(document.file.name) and document.file.name.startswith(f"sesiones/{session.pk}/")
    assert name not in document.file.name  # a random name, nothing taken from the uploader
    event = events_for(item).get(action="agenda_document_added")
    assert event.actor == c.secretary and event.data["name"] == name


def test_a_program_renamed_pdf_is_refused_in_spanish_and_nothing_is_saved(client, world):
    c, session, item = world
    client.force_login(c.secretary)
    response = _post(client, item, "acta.pdf", EXE)
    page = client.get(response["Location"]).content.decode()
    assert "«acta.pdf» no se acepta: su contenido no es PDF, XLSX, DOCX, JPEG, PNG, WebP ni GIF" in page
    assert not AgendaDocument.objects.exists() and _stored_files(session) == []
    assert not events_for(item).filter(action="agenda_document_added").exists()


def test_a_spreadsheet_named_docx_is_not_what_its_name_says(world):
    c, session, item = world
    with pytest.raises(DomainError, match="no es lo que su nombre dice: su contenido es XLSX"):
        document_services.agenda_document_add(
            actor=c.secretary, item=item, upload=io.BytesIO(XLSX), name="dictamen.docx", size=len(XLSX)
        )
    assert not AgendaDocument.objects.exists() and _stored_files(session) == []


def test_a_file_over_the_size_limit_is_refused_and_nothing_is_saved(client, world, settings):
    settings.AGENDA_DOCUMENT_MAX_BYTES = 1024
    c, session, item = world
    client.force_login(c.secretary)
    response = _post(client, item, "acta.pdf", pdf_bytes() + b"%" * 2048)
    page = client.get(response["Location"]).content.decode()
    assert "«acta.pdf» pesa 3 KB; el máximo por archivo es 1 KB." in page
    assert not AgendaDocument.objects.exists() and _stored_files(session) == []


def test_documents_are_served_with_their_type_a_safe_name_and_nosniff(client, world):
    c, session, item = world
    document = document_services.agenda_document_add(
        actor=c.secretary, item=item, upload=io.BytesIO(pdf_bytes()), name="dictamen final.pdf", size=len(pdf_bytes())
    )
    response = client.get(reverse("councils:agenda_document", args=[document.pk]))  # a public session: anyone
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == 'inline; filename="dictamen final.pdf"'
    assert b"".join(response.streaming_content) == pdf_bytes()
    # A spreadsheet or a text document is downloaded, never shown.
    sheet = document_services.agenda_document_add(
        actor=c.secretary, item=item, upload=io.BytesIO(XLSX), name="anexo.xlsx", size=len(XLSX)
    )
    response = client.get(reverse("councils:agenda_document", args=[sheet.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="anexo.xlsx"'
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_a_private_bodys_documents_are_for_its_members_only(client, world):
    c, session, item = world
    c.body.is_public = False
    c.body.save()
    document = document_services.agenda_document_add(
        actor=c.secretary, item=item, upload=io.BytesIO(JPEG), name="foto.jpg", size=len(JPEG)
    )
    url = reverse("councils:agenda_document", args=[document.pk])
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(username="ajeno"))
    assert client.get(url).status_code == 404
    client.force_login(c.user(0))
    response = client.get(url)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"


def test_only_the_bodys_secretary_attaches_and_removes(client, world):
    c, session, item = world
    document = document_services.agenda_document_add(
        actor=c.secretary, item=item, upload=io.BytesIO(JPEG), name="foto.jpg", size=len(JPEG)
    )
    client.force_login(c.user(0))  # a member sees the session but may not change it
    assert _post(client, item, "acta.pdf", pdf_bytes()).status_code == 403
    remove = reverse("councils:agenda_document_remove", args=[document.pk])
    assert client.post(remove).status_code == 403
    c.body.is_public = False
    c.body.save()
    client.force_login(UserFactory(username="ajeno"))  # someone who does not see a private body's session
    assert _post(client, item, "acta.pdf", pdf_bytes()).status_code == 404
    assert AgendaDocument.objects.count() == 1


def test_a_removed_document_leaves_an_event_and_its_file_goes(client, world, django_capture_on_commit_callbacks):
    c, session, item = world
    document = document_services.agenda_document_add(
        actor=c.secretary, item=item, upload=io.BytesIO(JPEG), name="foto.jpg", size=len(JPEG)
    )
    stored = document.file.name
    client.force_login(c.secretary)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("councils:agenda_document_remove", args=[document.pk]))
    assert not AgendaDocument.objects.exists() and not default_storage.exists(stored)
    event = events_for(item).get(action="agenda_document_removed")
    assert event.actor == c.secretary and event.data["sha256"] == document.sha256
    assert AgendaDocument.history.filter(history_type="-", history_user=c.secretary).exists()


def test_once_the_session_started_documents_neither_come_nor_go(world):
    c, session, item = world
    document = document_services.agenda_document_add(
        actor=c.secretary, item=item, upload=io.BytesIO(JPEG), name="foto.jpg", size=len(JPEG)
    )
    session_services.session_record_attendance(
        actor=c.secretary, session=session, statuses={m.pk: AttendanceStatus.PRESENT for m in c.members}
    )
    with pytest.raises(DomainError, match="antes de iniciar la sesión"):
        document_services.agenda_document_add(
            actor=c.secretary, item=item, upload=io.BytesIO(JPEG), name="otra.jpg", size=len(JPEG)
        )
    with pytest.raises(DomainError, match="antes de iniciar la sesión"):
        document_services.agenda_document_remove(actor=c.secretary, document=document)
    assert AgendaDocument.objects.count() == 1


def test_the_session_page_runs_the_same_queries_with_many_documents(client, world):
    c, session, item = world
    client.force_login(c.user(0))
    url = reverse("councils:workspace_session", args=[session.pk])

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    document_services.agenda_document_add(
        actor=c.secretary, item=item, upload=io.BytesIO(JPEG), name="foto.jpg", size=len(JPEG)
    )
    few = count()
    for n in range(12):
        document_services.agenda_document_add(
            actor=c.secretary, item=item, upload=io.BytesIO(JPEG), name=f"foto-{n}.jpg", size=len(JPEG)
        )
    assert count() == few
