"""The rules of a consultation, each tried to break: period, transitions, moderation, answers, the report."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone, translation

from consultations import services
from consultations.models import Comment, CommentState, Consultation, ConsultationState, RejectionReason, Verdict
from implan.errors import DomainError
from implan.events import events_for
from implan.models import LifecycleState
from tests.consultations.builders import close, comment, draft_consultation, open_consultation
from tests.factories import ProgrammeFactory, StrategicPlanFactory

pytestmark = pytest.mark.django_db


def test_a_consultation_is_held_only_on_a_draft_version(planner):
    published = StrategicPlanFactory(slug="publicado", state=LifecycleState.PUBLISHED)
    today = timezone.localdate()
    with pytest.raises(DomainError, match="borrador"):
        services.consultation_create(
            actor=planner, instrument=published, title="C", starts_on=today, ends_on=today, rules="r"
        )


def test_only_planners_prepare_a_consultation(outsider, planner):
    plan = StrategicPlanFactory()
    today = timezone.localdate()
    with pytest.raises(PermissionDenied):
        services.consultation_create(
            actor=outsider, instrument=plan, title="C", starts_on=today, ends_on=today, rules=""
        )


def test_opening_needs_a_section_and_writes_an_event(planner):
    empty = draft_consultation(planner, sections=0)
    with pytest.raises(DomainError, match="sección"):
        services.consultation_open(actor=planner, consultation=empty)
    consultation = open_consultation(planner, slug="otro")
    assert consultation.state == ConsultationState.OPEN
    assert events_for(consultation).filter(action="consultation_abierta", actor=planner).exists()


def test_sections_and_period_are_fixed_once_open(planner):
    consultation = open_consultation(planner)
    with pytest.raises(DomainError):
        services.section_add(actor=planner, consultation=consultation, title="Otra")
    with pytest.raises(DomainError):
        services.consultation_update(
            actor=planner,
            consultation=consultation,
            title="x",
            starts_on=consultation.starts_on,
            ends_on=consultation.ends_on + datetime.timedelta(days=30),
            rules="x",
        )


def test_a_comment_before_opening_or_after_the_period_is_refused_and_nothing_is_saved(planner):
    consultation = draft_consultation(planner)
    with pytest.raises(DomainError, match="periodo"):
        comment(consultation)
    services.consultation_open(actor=planner, consultation=consultation)
    Consultation.objects.filter(pk=consultation.pk).update(ends_on=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(DomainError, match="periodo"):
        comment(consultation)
    assert Comment.objects.count() == 0


def test_a_comment_on_the_last_day_in_mexico_city_counts_even_if_it_is_already_tomorrow_in_utc(planner, settings):
    import time_machine

    # 23:30 in León on 10 March is 05:30 UTC on 11 March.
    with time_machine.travel(
        datetime.datetime(2026, 3, 10, 23, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=-6)))
    ):
        consultation = open_consultation(planner, days_left=0)
        assert consultation.ends_on == datetime.date(2026, 3, 10)
        assert comment(consultation).state == CommentState.HELD


def test_the_rate_limit_per_address_refuses_the_next_comment(planner, settings):
    settings.CONSULTATION_COMMENTS_PER_ADDRESS = 2
    consultation = open_consultation(planner)
    section = consultation.sections.first()

    def send(session: str) -> Comment:
        return services.comment_submit(
            actor=None,
            section=section,
            author_name="A",
            place="Centro",
            email="",
            text="t",
            address="1.2.3.4",
            session_key=session,
        )

    send("a")
    send("b")
    with pytest.raises(DomainError, match="demasiados mensajes"):
        send("c")
    assert Comment.objects.count() == 2


def test_the_rate_limit_per_session_holds_across_addresses(planner, settings):
    settings.CONSULTATION_COMMENTS_PER_SESSION = 1
    consultation = open_consultation(planner)
    section = consultation.sections.first()
    kwargs = {"actor": None, "section": section, "author_name": "A", "place": "C", "email": "", "text": "t"}
    services.comment_submit(**kwargs, address="1.1.1.1", session_key="misma")
    with pytest.raises(DomainError, match="demasiados mensajes"):
        services.comment_submit(**kwargs, address="2.2.2.2", session_key="misma")


def test_no_raw_address_is_kept_and_the_hash_is_erased_on_closing(planner):
    consultation = open_consultation(planner)
    kept = comment(consultation, n=7)
    assert kept.address_hash and "10.0.0.7" not in kept.address_hash
    close(consultation, planner)
    kept.refresh_from_db()
    assert kept.address_hash == ""


def test_a_rejection_needs_a_reason_from_the_list_and_a_comment_is_moderated_once(planner):
    consultation = open_consultation(planner)
    held = comment(consultation)
    with pytest.raises(DomainError, match="motivo"):
        services.comment_moderate(actor=planner, comment=held, accept=False, reason="me cae mal")
    rejected = services.comment_moderate(actor=planner, comment=held, accept=False, reason=RejectionReason.OFFENSIVE)
    assert (rejected.state, rejected.moderator) == (CommentState.REJECTED, planner)
    with pytest.raises(DomainError, match="ya fue moderado"):
        services.comment_moderate(actor=planner, comment=held, accept=True)


def test_the_period_cannot_be_closed_early(planner):
    consultation = open_consultation(planner)
    with pytest.raises(DomainError, match="no antes"):
        services.consultation_close(actor=planner, consultation=consultation)


def test_the_closing_command_closes_what_is_due_and_is_safe_to_run_twice(planner):
    due = open_consultation(planner)
    running = open_consultation(planner, slug="otra")
    Consultation.objects.filter(pk=due.pk).update(ends_on=timezone.localdate() - datetime.timedelta(days=1))
    call_command("close_consultations", stdout=open("/dev/null", "w"))
    call_command("close_consultations", stdout=open("/dev/null", "w"))
    due.refresh_from_db()
    running.refresh_from_db()
    assert (due.state, running.state) == (ConsultationState.CLOSED, ConsultationState.OPEN)
    assert events_for(due).filter(action="consultation_cerrada").count() == 1


def test_answers_come_after_closing_and_the_report_waits_for_every_answer(planner):
    consultation = open_consultation(planner)
    accepted = services.comment_moderate(actor=planner, comment=comment(consultation, n=1), accept=True)
    with pytest.raises(DomainError, match="cerrada"):
        services.answer_give(actor=planner, comment=accepted, verdict=Verdict.ACCEPTED, reason="Sí")
    close(consultation, planner)
    with pytest.raises(DomainError, match="sin respuesta"):
        services.report_publish(actor=planner, consultation=consultation)
    services.answer_give(actor=planner, comment=accepted, verdict=Verdict.PARTLY, reason="En parte, en la meta 2.")
    published = services.report_publish(actor=planner, consultation=consultation, summary="Gracias")
    assert published.state == ConsultationState.REPORTED
    with pytest.raises(DomainError):
        services.answer_give(actor=planner, comment=accepted, verdict=Verdict.ACCEPTED, reason="Otra")


def test_the_report_waits_for_held_comments_to_be_moderated(planner):
    consultation = open_consultation(planner)
    comment(consultation)
    close(consultation, planner)
    with pytest.raises(DomainError, match="por moderar"):
        services.report_publish(actor=planner, consultation=consultation)


def test_a_rejected_comment_is_never_answered(planner):
    consultation = open_consultation(planner)
    rejected = services.comment_moderate(
        actor=planner, comment=comment(consultation), accept=False, reason=RejectionReason.ADVERTISING
    )
    close(consultation, planner)
    with pytest.raises(DomainError, match="publicados"):
        services.answer_give(actor=planner, comment=rejected, verdict=Verdict.ACCEPTED, reason="x")


def test_adding_and_removing_a_section_is_recorded_on_its_consultation_and_removing_stops_once_open(planner):
    consultation = draft_consultation(planner, sections=1)
    extra = services.section_add(actor=planner, consultation=consultation, title="Movilidad")
    services.section_delete(actor=planner, section=extra)
    recorded = [(e.action, e.note, e.actor) for e in events_for(consultation).order_by("pk")]
    assert recorded[-2:] == [("section_add", "Movilidad", planner), ("section_delete", "Movilidad", planner)]
    services.consultation_open(actor=planner, consultation=consultation)
    with pytest.raises(DomainError):
        services.section_delete(actor=planner, section=consultation.sections.get())
    assert consultation.sections.count() == 1


def test_a_planner_prepares_a_consultation_through_the_workspace_form(client, planner):
    from django.urls import reverse

    from consultations.instruments import draft_instruments

    plan = StrategicPlanFactory(state=LifecycleState.DRAFT)
    [(_label, [(choice, _name), *_rest]), *_groups] = draft_instruments()
    client.force_login(planner)
    today = timezone.localdate()
    response = client.post(
        reverse("consultations:create"),
        {
            "instrument": choice,
            "title": "Consulta del plan",
            "starts_on": today + datetime.timedelta(days=1),
            "ends_on": today + datetime.timedelta(days=30),
            "rules": "Reglas",
            "opened": "",
        },
    )
    assert response.status_code == 302
    consultation = Consultation.objects.get()
    assert consultation.title == "Consulta del plan" and consultation.state == ConsultationState.DRAFT
    assert consultation.instrument == plan


def test_a_programmes_draft_is_consulted_with_its_mir_each_row_a_section_with_its_text(planner):
    """The MIR is part of its programme's version: the sections taken from a draft programme are the programme and
    the Fin, the Propósito and each Componente of its MIR (its Actividades named), each quoting its resumen."""
    from planning.models.mir import MirLevel, MirRow

    programme = ProgrammeFactory(name="Agua para Todos", description="Agua entubada en cada colonia.")
    row = {"programme": programme, "verification": "Informe anual", "assumptions": "Lluvias normales"}
    MirRow.objects.create(level=MirLevel.FIN, summary="Mejorar la salud de las familias.", **row)
    MirRow.objects.create(level=MirLevel.PROPOSITO, summary="Los hogares tienen agua entubada.", **row)
    red = MirRow.objects.create(level=MirLevel.COMPONENTE, order=1, summary="Red de agua ampliada.", **row)
    MirRow.objects.create(level=MirLevel.ACTIVIDAD, order=1, parent=red, summary="Tender 12 km de tubería.", **row)
    today = timezone.localdate()
    consultation = services.consultation_create(
        actor=planner, instrument=programme, title="Consulta del programa", starts_on=today, ends_on=today, rules="r"
    )
    with translation.override("en"):  # a planner working in English still writes the public sections in Spanish
        sections = services.sections_from_instrument(actor=planner, consultation=consultation)
    assert [(s.title, s.description) for s in sections] == [
        (str(programme), "Agua entubada en cada colonia."),
        ("MIR · Fin", "Mejorar la salud de las familias."),
        ("MIR · Propósito", "Los hogares tienen agua entubada."),
        ("MIR · Componente 1", "Red de agua ampliada.\nActividades: 1.1 Tender 12 km de tubería."),
    ]
