"""Evidence files: images or PDF, checked by content (not by name), size-limited; a bad file saves nothing."""

import datetime
import hashlib
from decimal import Decimal

import pytest

from implan.errors import DomainError
from projects import services
from projects.evidence import sniff
from projects.models import Evidence, ProgressUpdate
from tests.projects.builders import liaison_of, running_project
from tests.projects.samples import JPEG, pdf_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.EVIDENCE_MAX_BYTES = 64 * 1024
    return tmp_path


@pytest.fixture
def running(planner):
    return running_project(planner)


def _report(project, files, progress="30"):
    actor = liaison_of(project) if not hasattr(project, "_liaison") else project._liaison
    project._liaison = actor
    return services.progress_report(
        actor=actor,
        project=project,
        reported_on=datetime.date(2025, 5, 2),
        physical_progress=Decimal(progress),
        amount_spent=Decimal("0"),
        narrative="Colado de losa",
        files=files,
    )


def test_images_and_pdfs_are_stored_under_media_with_their_checksum(running, media):
    png, pdf = png_bytes(), pdf_bytes()
    update = _report(
        running, [upload("foto frente.png", png, "image/png"), upload("acta.PDF", pdf), upload("detalle.jpeg", JPEG)]
    )
    stored = list(update.evidence.order_by("id"))
    assert [(e.original_name, e.content_type) for e in stored] == [
        ("foto frente.png", "image/png"),
        ("acta.PDF", "application/pdf"),
        ("detalle.jpeg", "image/jpeg"),
    ]
    assert stored[0].sha256 == hashlib.sha256(png).hexdigest()
    path = media / stored[1].file.name
    assert path.read_bytes() == pdf
    assert stored[0].file.name.startswith(f"evidencias/{running.pk}/") and "foto" not in stored[0].file.name


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("informe.pdf", png_bytes(), "no es lo que su nombre dice: su contenido es PNG"),
        ("foto.jpg", pdf_bytes(), "no es lo que su nombre dice: su contenido es PDF"),
        ("foto.png", b"MZ\x90\x00\x03 ejecutable de Windows", "no es una imagen"),
        ("avance.pdf", b"<html><script>alert(1)</script></html>", "no es una imagen"),
        ("imagen.svg", b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "no es una imagen"),
        ("foto", JPEG, "no es lo que su nombre dice"),
        ("vacio.png", b"", "está vacío"),
    ],
)
def test_a_file_that_is_not_what_its_name_says_is_refused_and_nothing_is_saved(running, media, name, content, message):
    good = upload("bien.png", png_bytes())
    with pytest.raises(DomainError, match=message):
        _report(running, [good, upload(name, content, "image/png")])
    assert not ProgressUpdate.objects.exists() and not Evidence.objects.exists()
    assert not any(media.rglob("*.*"))
    running.refresh_from_db()
    assert running.physical_progress == Decimal("0")


def test_a_file_above_the_size_limit_is_refused(running, media):
    big = png_bytes() + b"\x00" * (100 * 1024)
    with pytest.raises(DomainError, match="«plano.png» pesa 100 KB; el máximo por archivo es 64 KB"):
        _report(running, [upload("plano.png", big)])
    assert not Evidence.objects.exists() and not any(media.rglob("*.*"))


def test_at_most_ten_files_per_report(running):
    with pytest.raises(DomainError, match="como máximo 10"):
        _report(running, [upload(f"f{n}.png", png_bytes()) for n in range(11)])


def test_signatures_are_recognised():
    assert [
        sniff(b)
        for b in (png_bytes(), JPEG, pdf_bytes(), b"GIF89a....", b"RIFF\x00\x00\x00\x00WEBPVP8 ", b"PK\x03\x04")
    ] == ["image/png", "image/jpeg", "application/pdf", "image/gif", "image/webp", None]


def test_sizes_read_as_a_person_reads_them():
    from projects.evidence import human_size

    assert [human_size(n) for n in (10, 300 * 1024, 5 * 1024 * 1024, 7_549_747)] == ["1 KB", "300 KB", "5 MB", "7.2 MB"]


def test_files_written_before_a_failure_are_removed_with_the_rolled_back_report(running, media, monkeypatch):
    """Storage is outside the transaction: a report that fails after writing its files must not leave them."""
    from django.db import IntegrityError

    def broken_event(**kwargs):
        raise IntegrityError("the database refused the event row")

    monkeypatch.setattr(services, "event_record", broken_event)
    with pytest.raises(IntegrityError):
        _report(running, [upload("avance.png", png_bytes()), upload("acta.pdf", pdf_bytes())])
    assert not ProgressUpdate.objects.exists() and not Evidence.objects.exists()
    assert [path for path in media.rglob("*") if path.is_file()] == []
