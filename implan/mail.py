"""E-mail, sent only by a background task: the one path from the portal to the SMTP server.

An app asks for a message with ``email_queue``, inside its own transaction: the message is recorded
(``OutgoingEmail``, state «en cola») and the ``send_email`` task is enqueued once that transaction commits, so a
request never waits for a mail server and a message about something that rolled back is never sent.

The task sends through Django's mail backend (``EMAIL_URL``: SMTP in production) and records the outcome on the
row: «enviado», or «fallido» with the server's answer («550 5.1.1 …», «Connection refused»). A failed message is
sent again by ``email_retry`` (one message) or ``manage.py retry_failed_emails`` (every failed one, a few times;
the periodic timer ``implan-retry-emails``).

Retry-safe: the task claims the row with a conditional UPDATE (en cola → enviando, attempt + 1), so a task
delivered twice, or a retry racing a late task, sends a message once. A worker that dies in the middle of the
conversation with the server leaves the row «enviando»; after ``STALE_AFTER`` it counts as failed and is sent
again — perhaps a second time, with the same Message-ID, which mail programs recognise as the same message.

Core: imports no app; any app may send.
"""

from __future__ import annotations

import base64
import datetime
import logging
import smtplib
from collections.abc import Iterable, Sequence
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, make_msgid
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from implan.limits import SHORT_TEXT, require_text_limits
from implan.models import EmailState, OutgoingEmail
from implan.tasks import background_task, enqueue_on_commit

logger = logging.getLogger(__name__)

# ``manage.py retry_failed_emails`` gives up on a message after this many attempts (``email_retry`` does not).
MAX_ATTEMPTS = 5
# A message «enviándose» for longer than this was being sent by a worker that died.
STALE_AFTER = datetime.timedelta(minutes=10)

Attachment = tuple[str, bytes, str]  # file name, content, MIME type — as Django's EmailMessage.attach takes them


def email_queue(
    *,
    to: Sequence[str],
    subject: str,
    body: str,
    html: str | None = None,
    attachments: Iterable[Attachment] = (),
    reply_to: Sequence[str] | None = None,
    headers: dict[str, str] | None = None,
) -> OutgoingEmail:
    """Record a message and have a worker send it once the current transaction commits."""
    sender = settings.DEFAULT_FROM_EMAIL
    email = OutgoingEmail(
        to=list(to),
        reply_to=list(reply_to if reply_to is not None else settings.EMAIL_REPLY_TO),
        from_email=sender,
        subject=subject,
        body=body,
        html=html or "",
        attachments=[
            {"filename": name, "mimetype": mimetype, "content": base64.b64encode(content).decode("ascii")}
            for name, content, mimetype in attachments
        ],
        headers=dict(headers or {}),
        message_id=make_msgid(domain=parseaddr(sender)[1].rpartition("@")[2] or "localhost"),
    )
    require_text_limits(email)  # a composed text past its column's maximum is refused, not cut
    email.save()
    _schedule(email)
    return email


@background_task
def send_email(email_id: int) -> None:
    """The task: send a queued message once and record how it went (nothing to do for any other state)."""
    now = timezone.now()
    claimed = OutgoingEmail.objects.filter(pk=email_id, state=EmailState.QUEUED).update(
        state=EmailState.SENDING, attempts=F("attempts") + 1, updated_at=now
    )
    if not claimed:
        return
    email = OutgoingEmail.objects.get(pk=email_id)
    try:
        message(email).send()
    except Exception as exc:  # any failure must end on the row, where people and the retry command read it
        logger.warning("E-mail %s was not sent: %s", email_id, server_answer(exc))
        _finish(email, EmailState.FAILED, answer=server_answer(exc))
    else:
        _finish(email, EmailState.SENT, sent_at=timezone.now())


def message(email: OutgoingEmail) -> EmailMultiAlternatives:
    """The message as Django's mail backend sends it."""
    built = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body,
        from_email=email.from_email,
        to=email.to,
        reply_to=email.reply_to,
        headers={**email.headers, "Message-ID": email.message_id},
    )
    if email.html:
        built.attach_alternative(email.html, "text/html")
    for attachment in email.attachments:
        built.attach(attachment["filename"], base64.b64decode(attachment["content"]), attachment["mimetype"])
    return built


def server_answer(exc: Exception) -> str:
    """What the server said (its code and text), or why it could not be reached; cut to its column's maximum, since
    a server's answer is not ours to refuse."""
    return _server_answer(exc)[:SHORT_TEXT]


def _server_answer(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{address}: {_answer(*reply)}" for address, reply in exc.recipients.items())
    if isinstance(exc, smtplib.SMTPResponseException):
        return _answer(exc.smtp_code, exc.smtp_error)
    return f"{type(exc).__name__}: {exc}"


def _answer(code: int, text: bytes | str) -> str:
    return f"{code} {text.decode('utf-8', 'replace') if isinstance(text, bytes) else text}"


def _finish(email: OutgoingEmail, state: str, *, answer: str = "", sent_at: datetime.datetime | None = None) -> None:
    OutgoingEmail.objects.filter(pk=email.pk, state=EmailState.SENDING).update(
        state=state, answer=answer, sent_at=sent_at, updated_at=timezone.now()
    )


def _schedule(email: OutgoingEmail) -> None:
    enqueue_on_commit(send_email, email.pk, on_failure=lambda exc: _not_queued(email.pk))


def _not_queued(email_id: int) -> None:
    """The queue refused the task (Redis down): the message counts as failed, and the retry command sends it."""
    OutgoingEmail.objects.filter(pk=email_id, state=EmailState.QUEUED).update(
        state=EmailState.FAILED,
        answer=_("No se pudo poner en cola: el servicio de tareas no respondió."),
        updated_at=timezone.now(),
    )


# --- Retries ---------------------------------------------------------------------------------------------------


@transaction.atomic
def email_retry(*, email: OutgoingEmail) -> bool:
    """Send a failed message again (after the commit); False when it is not failed (sent, or already queued)."""
    if not OutgoingEmail.objects.filter(pk=email.pk, state=EmailState.FAILED).update(
        state=EmailState.QUEUED, updated_at=timezone.now()
    ):
        return False
    _schedule(email)
    return True


def emails_retry_failed(*, max_attempts: int = MAX_ATTEMPTS) -> int:
    """Send again every failed message tried fewer than ``max_attempts`` times; how many were queued again.

    Safe to run twice: a message queued by the first run is no longer failed for the second.
    """
    OutgoingEmail.objects.filter(state=EmailState.SENDING, updated_at__lt=timezone.now() - STALE_AFTER).update(
        state=EmailState.FAILED,
        answer=_("El trabajador se detuvo mientras lo enviaba; se enviará de nuevo."),
        updated_at=timezone.now(),
    )
    failed = OutgoingEmail.objects.filter(state=EmailState.FAILED, attempts__lt=max_attempts).order_by("pk")
    return sum(email_retry(email=email) for email in failed)
