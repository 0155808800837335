"""The public pages: the list, a consultation with its form (robot checks), the report and the open data."""

from __future__ import annotations

import time

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultations import services
from consultations.models import Comment, CommentState, RejectionReason, Sector, Verdict
from tests.consultations.builders import close, comment, draft_consultation, open_consultation

pytestmark = pytest.mark.django_db


def form_data(client, consultation, **fields) -> dict:
    page = client.get(reverse("consultations:detail", args=[consultation.slug])).content.decode()
    stamp = page.split('name="stamp" value="')[1].split('"')[0]
    return {
        "section": consultation.sections.first().pk,
        "author_name": "Lupita",
        "place": "San Juan de Dios",
        "sector": "sociedad_civil",
        "email": "lupita@correo-privado.example",
        "text": "Faltan banquetas\n<script>window.__xss=1</script>",
        "website": "",
        "stamp": stamp,
        **fields,
    }


def post_later(client, consultation, data, seconds: float = 30):
    with time_machine.travel(time.time() + seconds):
        return client.post(reverse("consultations:detail", args=[consultation.slug]), data, follow=True)


def test_a_person_comments_and_the_comment_is_held(client, planner):
    consultation = open_consultation(planner)
    response = post_later(client, consultation, form_data(client, consultation))
    assert "se publicará en cuanto la moderación lo revise" in response.content.decode()
    assert Comment.objects.get().state == CommentState.HELD
    assert Comment.objects.get().sector == Sector.CIVIL_SOCIETY  # the report counts comments by sector too


def test_a_sector_not_in_the_list_is_refused_and_nothing_saved(client, planner):
    consultation = open_consultation(planner)
    response = post_later(client, consultation, form_data(client, consultation, sector="partido"))
    assert "opción válida" in response.content.decode()
    assert Comment.objects.count() == 0


@pytest.mark.parametrize(
    ("fields", "seconds"), [({"website": "http://spam.example"}, 30), ({}, 1), ({"stamp": "x"}, 30)]
)
def test_robots_are_refused_with_a_spanish_message_and_nothing_saved(client, planner, fields, seconds):
    consultation = open_consultation(planner)
    response = post_later(client, consultation, form_data(client, consultation, **fields), seconds=seconds)
    assert "parece enviado de forma automática" in response.content.decode()
    assert Comment.objects.count() == 0


def test_a_draft_consultation_is_not_public(client, planner):
    consultation = draft_consultation(planner)
    assert client.get(reverse("consultations:detail", args=[consultation.slug])).status_code == 404
    assert consultation.title not in client.get(reverse("consultations:list")).content.decode()


def test_only_accepted_comments_are_shown_as_text_and_no_email_appears(client, planner):
    consultation = open_consultation(planner)
    accepted = comment(consultation, n=1, text="Más árboles\n<script>window.__xss=1</script>")
    services.comment_moderate(actor=planner, comment=accepted, accept=True)
    services.comment_moderate(
        actor=planner,
        comment=comment(consultation, n=2, text="Texto rechazado"),
        accept=False,
        reason=RejectionReason.OFFENSIVE,
    )
    comment(consultation, n=3, text="Texto retenido")
    page = client.get(reverse("consultations:detail", args=[consultation.slug])).content.decode()
    assert "Más árboles" in page and "&lt;script&gt;window.__xss=1&lt;/script&gt;" in page
    assert "<script>window.__xss" not in page
    assert "Texto rechazado" not in page and "Texto retenido" not in page
    assert "correo-privado" not in page


def test_the_consultation_page_makes_the_same_queries_however_many_comments(client, planner):
    consultation = open_consultation(planner)
    url = reverse("consultations:detail", args=[consultation.slug])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    services.comment_moderate(actor=planner, comment=comment(consultation, n=1), accept=True)
    few = queries()
    for n in range(2, 12):
        services.comment_moderate(actor=planner, comment=comment(consultation, n=n, section=n % 2), accept=True)
    assert queries() == few


def test_the_list_shows_open_consultations_first_and_has_an_empty_state(client, planner):
    assert "Todavía no hay consultas públicas" in client.get(reverse("consultations:list")).content.decode()
    past = open_consultation(planner, slug="pasada")
    close(past, planner)
    running = open_consultation(planner, slug="vigente")
    page = client.get(reverse("consultations:list")).content.decode()
    assert page.index(reverse("consultations:detail", args=[running.slug])) < page.index(
        reverse("consultations:detail", args=[past.slug])
    )


@pytest.fixture
def reported(planner):
    consultation = open_consultation(planner)
    ana = services.comment_moderate(actor=planner, comment=comment(consultation, n=1, place="Las Joyas"), accept=True)
    beto = services.comment_moderate(
        actor=planner,
        comment=comment(consultation, n=2, section=1, place="las  joyas", sector=Sector.ACADEMIA),
        accept=True,
    )
    services.comment_moderate(
        actor=planner, comment=comment(consultation, n=3, text="Spam"), accept=False, reason=RejectionReason.ADVERTISING
    )
    close(consultation, planner)
    services.answer_give(actor=planner, comment=ana, verdict=Verdict.ACCEPTED, reason="Se agrega la meta 4.")
    services.answer_give(actor=planner, comment=beto, verdict=Verdict.NOT_ACCEPTED, reason="Fuera de la competencia.")
    return services.report_publish(actor=planner, consultation=consultation, summary="Dos aportaciones.")


def test_the_report_counts_by_section_sector_and_territory_and_shows_every_answer(client, reported):
    from consultations.selectors import consultation_report

    report = consultation_report(reported)
    assert [(str(s), n) for s, n in report.by_section] == [("1. Estrategia 1", 1), ("2. Estrategia 2", 1)]
    assert report.by_sector == [("Ciudadanía", 1), ("Academia", 1)]
    assert report.by_place == [("Las Joyas", 2)]
    page = client.get(reverse("consultations:report", args=[reported.slug])).content.decode()
    assert "Se agrega la meta 4." in page and "Fuera de la competencia." in page
    assert "Spam" not in page and "correo-privado" not in page


def test_the_report_csv_and_pdf_have_the_answers_and_no_email(client, reported):
    csv_text = client.get(reverse("consultations:report_csv", args=[reported.slug])).content.decode("utf-8-sig")
    assert "Fuera de la competencia." in csv_text and "correo-privado" not in csv_text
    assert "En línea,Vecina 2,Academia,las  joyas" in csv_text
    pdf = client.get(reverse("consultations:report_pdf", args=[reported.slug]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_the_report_is_not_public_before_it_is_published(client, planner):
    consultation = open_consultation(planner)
    assert client.get(reverse("consultations:report", args=[consultation.slug])).status_code == 404


def test_open_data_lists_published_contributions_without_emails(client, reported):
    data = client.get(reverse("consultations:opendata_json")).json()
    assert data["consultas"][0]["comentarios_publicados"] == 2
    csv_text = client.get(reverse("consultations:opendata_csv")).content.decode("utf-8-sig")
    assert "Se agrega la meta 4." in csv_text and "Spam" not in csv_text and "correo-privado" not in csv_text
