"""A session's convocation, as the members receive it on a real SMTP server (aiosmtpd started by the test): one
e-mail each, in Spanish, with the agenda, the links and the calendar invitation (the feed's UID; a change or a
cancellation sends the same UID with a higher SEQUENCE); the «acuse» of each message for the secretary; the members'
answers from the e-mail's signed link; the body's notice period."""

from __future__ import annotations

import datetime
import re
from email.message import EmailMessage

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone
from icalendar import Calendar

from councils import opendata
from councils.models import (
    AttendanceReply,
    NoticeKind,
    ReplyAnswer,
    ReplyChannel,
    Session,
    SessionKind,
    SessionNotice,
    SessionState,
)
from councils.services import notices
from councils.services import sessions as session_services
from implan import roles, tasks
from implan.errors import DomainError
from implan.models import EmailState, Event, Notification
from tests.councils.builders import council
from tests.factories import PersonContactFactory

FROM = "IMPLAN León <convocatorias@implan.example>"
REPLY_TO = "secretaria.tecnica@implan.example"
one_backend = pytest.mark.parametrize("tasks_backend", ["database"], indirect=True)


def _role_groups() -> None:
    # A transactional test empties the database afterwards: the role groups a migration made are made again.
    for name in roles.ALL_ROLES:
        Group.objects.get_or_create(name=name)


@pytest.fixture
def groups(db):
    _role_groups()


@pytest.fixture
def institute_mail(settings):
    _role_groups()
    settings.DEFAULT_FROM_EMAIL = FROM
    settings.EMAIL_REPLY_TO = [REPLY_TO]
    settings.PORTAL_URL = "https://planeacion.example"


def _convene(c, *, days: float = 5, kind: str = SessionKind.ORDINARY, late_reason: str = "") -> Session:
    when = (timezone.localtime() + datetime.timedelta(days=days)).replace(second=0, microsecond=0)
    return session_services.session_convene(
        actor=c.secretary,
        body=c.body,
        scheduled_at=when,
        place="Sala de cabildo, Palacio Municipal",
        kind=kind,
        late_reason=late_reason,
        agenda=[
            session_services.AgendaEntry(title="Lectura del acta anterior"),
            session_services.AgendaEntry(title="Aprobación del Programa de Obra 2027"),
        ],
    )


def _calendar(message: EmailMessage) -> Calendar:
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar" and attachment.get_filename().endswith(".ics")
    return Calendar.from_ical(attachment.get_content())


def _event(message: EmailMessage):
    [event] = _calendar(message).walk("VEVENT")
    return event


def _by_recipient(messages: list[EmailMessage]) -> dict[str, EmailMessage]:
    return {m["To"]: m for m in messages}


@one_backend
def test_convening_emails_each_member_and_the_secretary_in_spanish_with_the_invitation(
    tasks_backend, smtp_server, institute_mail, client
):
    c = council(size=3, slug="ayuntamiento")
    PersonContactFactory(person=c.members[0].person, email="regidora.privada@correo.example")
    c.members[2].person.user.email = ""  # no address anywhere: told in the portal only
    c.members[2].person.user.save()
    session = _convene(c, kind=SessionKind.EXTRAORDINARY)
    assert tasks.run_waiting_tasks() == 4  # three e-mails (two members, the secretary) and the meeting packet

    received = _by_recipient(smtp_server.messages)
    # The private contact's address wins over the account's; the secretary is told too.
    assert set(received) == {"regidora.privada@correo.example", "ayuntamiento-02@example.org", c.secretary.email}
    message = received["regidora.privada@correo.example"]
    assert message["From"] == FROM and message["Reply-To"] == REPLY_TO
    assert "Convocatoria: sesión extraordinaria 1 de Órgano ayuntamiento" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    for content in (text, html):
        assert "Se le convoca a la sesión extraordinaria 1 de Órgano ayuntamiento." in content
        assert "Extraordinaria" in content and "Sala de cabildo, Palacio Municipal" in content
        assert "Aprobación del Programa de Obra 2027" in content
        assert timezone.localtime(session.scheduled_at).strftime("%H:%M") + " h" in content
        assert f"https://planeacion.example/espacio/sesiones/{session.pk}/" in content
        assert f"https://planeacion.example/paquete/{session.pk}/" in content  # the meeting packet's short link
        assert "https://planeacion.example/convocatoria/" in content and "/avisos/baja/" in content

    # The invitation is the feed's event: same UID, METHOD REQUEST, SEQUENCE 0.
    calendar = _calendar(message)
    assert calendar["METHOD"] == "REQUEST"
    event = _event(message)
    feed = Calendar.from_ical(client.get("/datos/sesiones.ics").content)
    [feed_event] = [e for e in feed.walk("VEVENT") if e["UID"] == event["UID"]]
    assert str(event["UID"]) == opendata.session_uid(session) == str(feed_event["UID"])
    assert event["SEQUENCE"] == feed_event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == session.scheduled_at
    assert str(event["LOCATION"]) == "Sala de cabildo, Palacio Municipal"
    assert str(event["ORGANIZER"]) == "mailto:convocatorias@implan.example"
    # The secretary's copy carries no answer links (they are not a member).
    assert "/convocatoria/" not in received[c.secretary.email].get_body(("plain",)).get_content()

    # The acuse: a notice per recipient, the e-mails sent, the member without an address recorded as such.
    notices_sent = SessionNotice.objects.filter(session=session, kind=NoticeKind.CONVOCATION)
    assert notices_sent.count() == 4
    assert notices_sent.get(person=c.members[2].person).email is None
    assert {n.email.state for n in notices_sent.exclude(email=None)} == {EmailState.SENT}
    # Every account has the notice in its inbox.
    assert Notification.objects.filter(kind=notices.SESSION_CONVENED).count() == 4


@one_backend
def test_a_change_and_a_cancellation_update_the_same_event_with_a_higher_sequence(
    tasks_backend, smtp_server, institute_mail
):
    c = council(size=2, slug="consejo")
    session = _convene(c)
    tasks.run_waiting_tasks()
    uid = opendata.session_uid(session)
    smtp_server.messages.clear()

    later = session.scheduled_at + datetime.timedelta(days=1)
    session_services.session_reschedule(
        actor=c.secretary, session=session, scheduled_at=later, place="Sala del IMPLAN", reason="El salón está ocupado"
    )
    tasks.run_waiting_tasks()
    assert len(smtp_server.messages) == 3
    change = smtp_server.messages[0]
    assert "Cambio en la sesión ordinaria 1" in change["Subject"]
    assert "Cambió la fecha o el lugar" in change.get_body(("plain",)).get_content()
    event = _event(change)
    assert _calendar(change)["METHOD"] == "REQUEST"
    assert (str(event["UID"]), event["SEQUENCE"], str(event["LOCATION"])) == (uid, 1, "Sala del IMPLAN")
    assert event.decoded("DTSTART") == later
    smtp_server.messages.clear()

    session_services.session_cancel(actor=c.secretary, session=session, reason="Falta de asuntos")
    tasks.run_waiting_tasks()
    cancel = smtp_server.messages[0]
    assert "Cancelada: sesión ordinaria 1" in cancel["Subject"]
    event = _event(cancel)
    assert _calendar(cancel)["METHOD"] == "CANCEL"
    assert (str(event["UID"]), event["SEQUENCE"], str(event["STATUS"])) == (uid, 2, "CANCELLED")
    assert "/convocatoria/" not in cancel.get_body(("plain",)).get_content()  # nothing left to answer
    kinds = SessionNotice.objects.filter(session=session).values_list("kind", flat=True)
    assert list(dict.fromkeys(kinds)) == [
        NoticeKind.CONVOCATION,
        NoticeKind.CHANGE,
        NoticeKind.CANCELLATION,
    ]


@one_backend
def test_a_refused_delivery_shows_in_the_acuse_with_the_answer_and_is_sent_by_the_retry(
    tasks_backend, smtp_server, institute_mail, client
):
    c = council(size=2, slug="consejo")
    smtp_server.refuse = "550 5.1.1 Buzón inexistente"
    session = _convene(c)
    tasks.run_waiting_tasks()
    client.force_login(c.secretary)
    page = client.get(f"/espacio/sesiones/{session.pk}/").content.decode()
    assert "Acuse de la convocatoria" in page
    assert page.count("550 5.1.1 Buzón inexistente") == 3 and "Falló" in page

    smtp_server.refuse = None
    call_command("retry_failed_emails")
    tasks.run_waiting_tasks()
    assert len(smtp_server.messages) == 3
    page = client.get(f"/espacio/sesiones/{session.pk}/").content.decode()
    assert "550 5.1.1" not in page and page.count("Enviado") >= 3


def _answer_links(message: EmailMessage) -> dict[str, str]:
    text = message.get_body(("plain",)).get_content()
    links = re.findall(r"https://planeacion\.example(/convocatoria/[^\s?]+/\?respuesta=(\w+))", text)
    return {answer: path for path, answer in links}


@one_backend
def test_several_members_confirm_attendance_from_the_link_without_logging_in(
    tasks_backend, smtp_server, institute_mail, client
):
    c = council(size=4, slug="ayuntamiento")
    session = _convene(c)
    tasks.run_waiting_tasks()
    received = _by_recipient(smtp_server.messages)
    answers = {0: ReplyAnswer.ATTENDING, 1: ReplyAnswer.ATTENDING, 2: ReplyAnswer.NOT_ATTENDING}
    for index, answer in answers.items():
        links = _answer_links(received[c.user(index).email])
        assert set(links) == {ReplyAnswer.ATTENDING, ReplyAnswer.NOT_ATTENDING}
        page = client.get(links[answer])  # opening the link (a mail scanner does too) records nothing
        assert page.status_code == 200 and c.members[index].person.name in page.content.decode()
        assert not AttendanceReply.objects.filter(person=c.members[index].person).exists()
        response = client.post(links[answer], {"answer": answer}, follow=True)
        assert "su respuesta quedó registrada" in response.content.decode()

    replies = {r.person_id: (r.answer, r.channel) for r in AttendanceReply.objects.filter(session=session)}
    assert replies == {c.members[i].person_id: (a, ReplyChannel.EMAIL) for i, a in answers.items()}
    assert Event.objects.filter(action="session_reply", object_id=session.pk).count() == 3

    # The fourth answers from the portal; the secretary reads the counts and each member's answer.
    client.force_login(c.user(3))
    client.post(f"/espacio/sesiones/{session.pk}/confirmar-asistencia/", {"answer": ReplyAnswer.NOT_ATTENDING})
    client.force_login(c.secretary)
    page = client.get(f"/espacio/sesiones/{session.pk}/").content.decode()
    assert "2 integrantes confirmaron que asistirán; 2 no asistirán." in page
    assert page.count("Enlace del correo") == 3 and "Portal" in page


def test_a_tampered_or_expired_answer_link_is_refused_in_spanish(client, groups):
    c = council(size=2, slug="consejo")
    session = _convene(c, days=4)
    token = notices.rsvp_token(session, c.members[0].person)

    tampered = client.post(f"/convocatoria/{token[:-3]}abc/", {"answer": ReplyAnswer.ATTENDING})
    assert tampered.status_code == 400
    assert "El enlace no es válido: puede estar incompleto o alterado" in tampered.content.decode()

    with time_machine.travel(session.scheduled_at + datetime.timedelta(minutes=5), tick=False):
        late = client.post(f"/convocatoria/{token}/", {"answer": ReplyAnswer.ATTENDING})
    assert late.status_code == 410 and "El enlace venció" in late.content.decode()

    session_services.session_cancel(actor=c.secretary, session=session, reason="Sin asuntos")
    cancelled = client.get(f"/convocatoria/{token}/")
    assert cancelled.status_code == 410 and "La sesión fue cancelada" in cancelled.content.decode()
    assert not AttendanceReply.objects.exists()


def test_an_answer_link_of_someone_who_is_not_a_member_is_refused(groups):
    c = council(size=2, slug="consejo")
    other = council(size=1, slug="otro")
    session = _convene(c)
    with pytest.raises(DomainError, match="Solo los integrantes"):
        notices.session_reply(
            session=session, person=other.members[0].person, answer=ReplyAnswer.ATTENDING, channel=ReplyChannel.EMAIL
        )


# --- The notice period ------------------------------------------------------------------------------------------


def test_convening_inside_the_notice_period_is_refused_without_a_reason(groups):
    c = council(size=2, slug="consejo")
    with pytest.raises(notices.LateNotice, match="72 horas de anticipación"):
        _convene(c, days=2)  # ordinary: 72 h
    assert not Session.objects.exists() and not SessionNotice.objects.exists()
    # Extraordinary: 24 h, so two days ahead is in time and records no reason.
    assert _convene(c, days=2, kind=SessionKind.EXTRAORDINARY).late_notice_reason == ""
    with pytest.raises(notices.LateNotice, match="24 horas"):
        _convene(c, days=0.5, kind=SessionKind.EXTRAORDINARY, late_reason="   ")
    session = _convene(c, days=0.5, kind=SessionKind.EXTRAORDINARY, late_reason="Emergencia por lluvias")
    assert session.late_notice_reason == "Emergencia por lluvias"
    assert Event.objects.get(action="session_convened", object_id=session.pk).note == "Emergencia por lluvias"


def test_the_convene_form_asks_for_the_reason_and_members_read_it(client, groups):
    c = council(size=2, slug="consejo")
    client.force_login(c.secretary)
    when = (timezone.localtime() + datetime.timedelta(hours=30)).strftime("%Y-%m-%dT%H:%M")
    form = {
        "kind": SessionKind.ORDINARY,
        "scheduled_at": when,
        "place": "Sala",
        "punto-TOTAL_FORMS": "1",
        "punto-INITIAL_FORMS": "0",
        "punto-0-title": "Informe",
    }
    refused = client.post("/espacio/organos/consejo/sesiones/convocar/", form)
    assert refused.status_code == 200 and "72 horas de anticipación" in refused.content.decode()
    assert not Session.objects.exists()

    done = client.post("/espacio/organos/consejo/sesiones/convocar/", {**form, "late_reason": "Informe urgente"})
    session = Session.objects.get()
    assert done.status_code == 302 and session.late_notice_reason == "Informe urgente"
    client.force_login(c.user(0))
    page = client.get(f"/espacio/sesiones/{session.pk}/").content.decode()
    assert "Convocada fuera del plazo del órgano. Motivo: Informe urgente" in page


def test_a_reschedule_inside_the_notice_period_needs_the_reason_to_say_so(groups):
    c = council(size=2, slug="consejo")
    session = _convene(c, days=10)
    with pytest.raises(DomainError, match="Escriba el motivo"):
        session_services.session_reschedule(
            actor=c.secretary, session=session, scheduled_at=session.scheduled_at, place="Otra sala", reason=""
        )
    soon = timezone.now() + datetime.timedelta(hours=20)
    moved = session_services.session_reschedule(
        actor=c.secretary, session=session, scheduled_at=soon, place="Sala", reason="Se adelanta por el presupuesto"
    )
    assert (moved.sequence, moved.late_notice_reason) == (1, "Se adelanta por el presupuesto")


def test_the_administration_sets_a_bodys_notice_periods(groups, client, administrator):
    c = council(size=2, slug="consejo")
    client.force_login(administrator)
    page = client.get("/espacio/organos/consejo/plazos-de-convocatoria/")
    opened = page.context["form"]["opened"].value()
    client.post(
        "/espacio/organos/consejo/plazos-de-convocatoria/",
        {"notice_hours_ordinary": "96", "notice_hours_extraordinary": "12", "opened": opened},
    )
    c.body.refresh_from_db()
    assert (c.body.notice_hours_ordinary, c.body.notice_hours_extraordinary) == (96, 12)
    assert Event.objects.filter(action="body_notice_periods_set").count() == 1
    with pytest.raises(notices.LateNotice, match="96 horas"):
        _convene(c, days=3.5)


# --- Reminders --------------------------------------------------------------------------------------------------


@one_backend
def test_the_reminder_command_run_twice_reminds_once(tasks_backend, smtp_server, institute_mail):
    c = council(size=2, slug="consejo")
    session = _convene(c, days=4)
    tasks.run_waiting_tasks()
    smtp_server.messages.clear()
    call_command("send_session_reminders")
    assert tasks.run_waiting_tasks() == 0  # four days ahead: not yet

    with time_machine.travel(session.scheduled_at - datetime.timedelta(hours=23), tick=False):
        call_command("send_session_reminders")
        call_command("send_session_reminders")
        assert tasks.run_waiting_tasks() == 3
    assert len(smtp_server.messages) == 3
    assert all(
        "Recordatorio: sesión ordinaria 1 de Órgano consejo es mañana" in m["Subject"] for m in smtp_server.messages
    )
    assert not any(m.is_multipart() and list(m.iter_attachments()) for m in smtp_server.messages)
    assert SessionNotice.objects.filter(kind=NoticeKind.REMINDER).count() == 3


def test_a_session_already_held_is_recorded_without_telling_anyone(groups):
    c = council(size=2, slug="consejo")
    session = session_services.session_convene(
        actor=c.secretary,
        body=c.body,
        scheduled_at=timezone.now() - datetime.timedelta(days=30),
        place="Sala",
        agenda=[session_services.AgendaEntry(title="Informe")],
        late_reason="Registro de una sesión ya celebrada",
    )
    assert session.state == SessionState.CONVENED and not SessionNotice.objects.exists()
