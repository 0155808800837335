"""E-mail leaves the portal only through the send_email task, on each backend, to a real SMTP server started by the
test (aiosmtpd): the message arrives whole (Spanish text, HTML, an attachment), is sent once however often its task
runs, and a refused or unreachable delivery is recorded with the server's answer and sent by a later retry."""

import pytest
from django.core.management import call_command
from django.db import transaction

from implan import mail, tasks
from implan.env import email_config
from implan.models import EmailState, OutgoingEmail
from tests.smtp_server import free_port

ICS = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//IMPLAN//ES\r\nEND:VCALENDAR\r\n"
SUBJECT = "Convocatoria: sesión ordinaria del Ayuntamiento — año 2026"
BODY = "Estimada regidora:\n\nSe le convoca a la sesión del miércoles en el salón de cabildo. Señal: ñandú.\n"


def _queue() -> OutgoingEmail:
    return mail.email_queue(
        to=["regidora@ejemplo.gob.mx"],
        subject=SUBJECT,
        body=BODY,
        html="<p>Se le convoca a la <strong>sesión</strong> del miércoles.</p>",
        attachments=[("sesión.ics", ICS, "text/calendar")],
        reply_to=["secretaria@ejemplo.gob.mx"],
    )


def test_a_queued_message_is_sent_by_the_task_and_arrives_whole(tasks_backend, smtp_server, settings):
    settings.DEFAULT_FROM_EMAIL = "IMPLAN León <no-responder@ejemplo.gob.mx>"
    email = _queue()
    assert OutgoingEmail.objects.get(pk=email.pk).state == EmailState.QUEUED and smtp_server.messages == []

    assert tasks.run_waiting_tasks() == 1
    [received] = smtp_server.messages
    # Django 5.2 folds a long encoded subject from the line after «Subject:»; the fold reads as one leading space.
    assert received["Subject"].strip() == SUBJECT
    assert received["From"] == "IMPLAN León <no-responder@ejemplo.gob.mx>"
    assert received["To"] == "regidora@ejemplo.gob.mx" and received["Reply-To"] == "secretaria@ejemplo.gob.mx"
    assert received["Message-ID"] == email.message_id and email.message_id.endswith("@ejemplo.gob.mx>")
    assert received.get_body(("plain",)).get_content() == BODY
    assert "<strong>sesión</strong>" in received.get_body(("html",)).get_content()
    [attachment] = list(received.iter_attachments())
    assert attachment.get_filename() == "sesión.ics" and attachment.get_content_type() == "text/calendar"
    assert attachment.get_content().splitlines() == ICS.decode().splitlines()  # a text part: lines travel as CRLF
    email.refresh_from_db()
    assert (email.state, email.attempts, email.answer) == (EmailState.SENT, 1, "") and email.sent_at is not None

    # The task delivered again (a retry of the queue, a second enqueue) sends nothing more.
    tasks.enqueue(mail.send_email, email.pk)
    assert tasks.run_waiting_tasks() == 1
    assert len(smtp_server.messages) == 1 and OutgoingEmail.objects.get(pk=email.pk).attempts == 1


def test_a_refused_message_is_recorded_with_the_answer_and_a_later_retry_sends_it(tasks_backend, smtp_server):
    smtp_server.refuse = "550 5.7.1 Mailbox unavailable"
    email = _queue()
    tasks.run_waiting_tasks()
    email.refresh_from_db()
    assert (email.state, email.attempts) == (EmailState.FAILED, 1)
    assert email.answer == "550 5.7.1 Mailbox unavailable" and smtp_server.messages == []

    smtp_server.refuse = None
    call_command("retry_failed_emails")
    call_command("retry_failed_emails")  # the periodic command run twice queues the message once
    assert tasks.run_waiting_tasks() == 1
    email.refresh_from_db()
    assert (email.state, email.attempts, email.answer) == (EmailState.SENT, 2, "")
    [received] = smtp_server.messages
    assert received["Subject"].strip() == SUBJECT and received["Message-ID"] == email.message_id


def test_an_unreachable_server_is_recorded_and_the_retry_command_gives_up_after_its_attempts(
    tasks_backend, smtp_server, settings
):
    settings.EMAIL_PORT = free_port()  # nothing listens there
    email = _queue()
    tasks.run_waiting_tasks()
    email.refresh_from_db()
    assert email.state == EmailState.FAILED and "ConnectionRefusedError" in email.answer
    for _attempt in range(mail.MAX_ATTEMPTS):
        mail.emails_retry_failed()
        tasks.run_waiting_tasks()
    email.refresh_from_db()
    assert (email.state, email.attempts) == (EmailState.FAILED, mail.MAX_ATTEMPTS)
    assert mail.emails_retry_failed() == 0  # given up; a person may still retry it
    assert mail.email_retry(email=email) is True


def test_a_message_of_a_transaction_that_rolls_back_is_never_sent(tasks_backend, smtp_server):
    with pytest.raises(RuntimeError), transaction.atomic():
        _queue()
        raise RuntimeError
    assert tasks.run_waiting_tasks() == 0 and not OutgoingEmail.objects.exists()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "smtp+tls://portal%40ejemplo.gob.mx:p%3Ass@smtp.ejemplo.gob.mx:2525?timeout=5",
            ("smtp.EmailBackend", "smtp.ejemplo.gob.mx", 2525, "portal@ejemplo.gob.mx", "p:ss", True, False, 5.0),
        ),
        (
            "smtps://u:p@mail.ejemplo.gob.mx",
            ("smtp.EmailBackend", "mail.ejemplo.gob.mx", 465, "u", "p", False, True, 10),
        ),
        ("smtp://127.0.0.1", ("smtp.EmailBackend", "127.0.0.1", 25, "", "", False, False, 10)),
        ("console://", ("console.EmailBackend", "localhost", 25, "", "", False, False, 10)),
    ],
)
def test_email_url_names_the_server(url, expected):
    config = email_config(url)
    backend = config.backend.removeprefix("django.core.mail.backends.")
    assert (backend, config.host, config.port, config.user, config.password, config.use_tls, config.use_ssl,
            config.timeout) == expected  # fmt: skip


def test_an_unknown_email_url_scheme_is_refused():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL debe empezar por"):
        email_config("http://mail.ejemplo.gob.mx")


def test_with_debug_and_no_email_url_messages_are_printed_not_sent():
    from tests.implan.test_settings import _run

    code = "import django; django.setup(); from django.conf import settings as s; print(s.EMAIL_BACKEND)"
    assert _run(["-c", code], DEBUG="1").stdout.strip() == "django.core.mail.backends.console.EmailBackend"


def test_an_administrator_sends_a_failed_message_again_from_the_admin(tasks_backend, smtp_server, admin_client):
    smtp_server.refuse = "451 4.3.0 Try again later"
    email = _queue()
    tasks.run_waiting_tasks()
    assert OutgoingEmail.objects.get(pk=email.pk).answer == "451 4.3.0 Try again later"
    listing = admin_client.get("/admin/implan/outgoingemail/")
    assert SUBJECT in listing.content.decode() and "451 4.3.0" in listing.content.decode()
    smtp_server.refuse = None
    admin_client.post("/admin/implan/outgoingemail/", {"action": "retry", "_selected_action": [email.pk]}, follow=True)
    assert tasks.run_waiting_tasks() == 1
    assert OutgoingEmail.objects.get(pk=email.pk).state == EmailState.SENT and len(smtp_server.messages) == 1
