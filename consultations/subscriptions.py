"""Subscriptions: anyone follows a public thing by e-mail, no account needed.

- ``subscription_request`` records the wish (or reuses the row of the same address and thing) and sends a signed
  confirmation link; nothing is sent to the address but that link until it is followed (double opt-in).
- ``subscription_confirm`` and ``subscription_cancel`` act on a signed token, posted from the page the e-mail's
  link opens (a GET changes nothing: mail scanners open links), or by the mail program for RFC 8058's one-click
  unsubscribe (``django.core.signing``): a tampered
  token is refused, an expired confirmation too (``SUBSCRIPTION_CONFIRM_MAX_AGE``); the unsubscribe link never
  expires and needs no login.
- ``digests_enqueue`` (``manage.py send_digests``, the ``implan-digests`` timer) hands each confirmed subscription's
  last complete period (the previous day, or the previous Monday-to-Monday week, Mexico City time) to the
  ``digest_send`` task, which writes the ``Digest`` row of that period and queues the e-mail in one transaction:
  the unique (subscription, period) sends a period once however often the command or the task runs.

The address is private: event rows of a subscription carry no address, and no public page or file shows one.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations import following
from consultations.models import Digest, DigestFrequency, FollowKind, Subscription, SubscriptionState
from consultations.services import count_towards_rate, fingerprint, rate_keys, require_under_rate
from implan.errors import DomainError
from implan.events import event_record
from implan.formatting import long_date
from implan.mail import email_queue
from implan.tasks import background_task, enqueue_on_commit

CONFIRM_SALT = "consultations.subscription.confirm"
CANCEL_SALT = "consultations.subscription.cancel"


# --- Signed links -------------------------------------------------------------------------------------------------


def confirm_token(subscription: Subscription, frequency: str) -> str:
    return signing.dumps({"s": subscription.pk, "f": frequency}, salt=CONFIRM_SALT, compress=True)


def cancel_token(subscription: Subscription) -> str:
    return signing.dumps({"s": subscription.pk}, salt=CANCEL_SALT, compress=True)


def absolute(path: str) -> str:
    return settings.PORTAL_URL + path


def cancel_url(subscription: Subscription) -> str:
    return absolute(reverse("consultations:unsubscribe", args=[cancel_token(subscription)]))


# --- Services -----------------------------------------------------------------------------------------------------


def followed_name(subscription: Subscription) -> str:
    obj = following.followable(subscription.kind).filter(pk=subscription.object_id).first()
    return (
        str(obj) if obj is not None else _("%(kind)s retirado del portal") % {"kind": subscription.get_kind_display()}
    )


@transaction.atomic
def subscription_request(
    *, email: str, kind: str, obj: Any, frequency: str, address: str = "", session_key: str = ""
) -> Subscription:
    """Record the wish to follow ``obj`` and send the confirmation link. Rate-limited per address and session like
    comments; an address already following gets the link again (its frequency changes only when it confirms)."""
    if kind not in FollowKind.values or frequency not in DigestFrequency.values:
        raise DomainError(_("Elija qué seguir y con qué frecuencia."))
    if not following.followable(kind).filter(pk=obj.pk).exists():
        raise DomainError(_("Eso no se puede seguir: no está publicado."))
    keys = rate_keys(address_hash=fingerprint(address), session_hash=fingerprint(session_key))
    require_under_rate(keys)
    email = email.strip().lower()
    subscription, created = Subscription.objects.select_for_update().get_or_create(
        email=email, kind=kind, object_id=obj.pk, defaults={"frequency": frequency}
    )
    if subscription.state == SubscriptionState.CANCELLED:
        previous = subscription.state
        subscription.state, subscription.cancelled_at = SubscriptionState.PENDING, None
        subscription.save(update_fields=["state", "cancelled_at"])
        event_record(
            actor=None,
            subject=subscription,
            action="subscription_requested",
            from_state=previous,
            to_state=subscription.state,
        )
    elif created:
        event_record(actor=None, subject=subscription, action="subscription_requested", to_state=subscription.state)
    link = absolute(reverse("consultations:subscription_confirm", args=[confirm_token(subscription, frequency)]))
    name = str(obj)
    email_queue(
        to=[email],
        subject=_("Confirme que quiere seguir «%(name)s»") % {"name": name},
        body=_(
            "Alguien (esperamos que usted) pidió recibir en esta dirección un resumen %(frequency)s de las novedades "
            "de «%(name)s» en el portal de %(institute)s.\n\n"
            "Para confirmarlo, abra este enlace (vale siete días) y pulse «Confirmar mi suscripción»:\n%(link)s\n\n"
            "Si no lo pidió, ignore este mensaje: no recibirá nada más."
        )
        % {
            "frequency": DigestFrequency(frequency).label.lower(),
            "name": name,
            "institute": settings.INSTITUTE_NAME,
            "link": link,
        },
    )
    count_towards_rate(keys)
    return subscription


def _from_token(token: str, *, salt: str, max_age: int | None) -> dict[str, Any]:
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise DomainError(
            _("El enlace venció. Pida de nuevo seguir este tema y use el enlace del correo nuevo.")
        ) from exc
    except signing.BadSignature as exc:
        raise DomainError(_("El enlace no es válido: cópielo completo del correo.")) from exc
    if not isinstance(data, dict) or not isinstance(data.get("s"), int):
        raise DomainError(_("El enlace no es válido: cópielo completo del correo."))
    return data


def _confirmable(token: str, *, lock: bool = False) -> tuple[Subscription, dict[str, Any]]:
    data = _from_token(token, salt=CONFIRM_SALT, max_age=settings.SUBSCRIPTION_CONFIRM_MAX_AGE)
    rows = Subscription.objects.select_for_update() if lock else Subscription.objects.all()
    subscription = rows.filter(pk=data["s"]).first()
    if subscription is None:
        raise DomainError(_("El enlace no es válido: cópielo completo del correo."))
    if subscription.state == SubscriptionState.CANCELLED:
        raise DomainError(_("Esta suscripción fue cancelada. Pida de nuevo seguir este tema si lo desea."))
    return subscription, data


def subscription_for_confirm(token: str) -> Subscription:
    """The subscription a confirmation link names, read only: the page the link opens asks before confirming
    (mail scanners open every link in a message; only the person presses the button)."""
    return _confirmable(token)[0]


@transaction.atomic
def subscription_confirm(*, token: str) -> Subscription:
    subscription, data = _confirmable(token, lock=True)
    frequency = data.get("f") if data.get("f") in DigestFrequency.values else subscription.frequency
    previous, previous_frequency = subscription.state, subscription.frequency
    if previous == SubscriptionState.CONFIRMED and frequency == previous_frequency:
        return subscription  # the button pressed again: nothing changes, nothing to record
    subscription.frequency = frequency
    if previous != SubscriptionState.CONFIRMED:
        subscription.state, subscription.confirmed_at = SubscriptionState.CONFIRMED, timezone.now()
    subscription.save(update_fields=["frequency", "state", "confirmed_at"])
    event_record(
        actor=None,
        subject=subscription,
        action="subscription_confirmed",
        from_state=previous,
        to_state=subscription.state,
        data={"frequency": frequency},
    )
    return subscription


def subscription_for_cancel(token: str) -> Subscription:
    data = _from_token(token, salt=CANCEL_SALT, max_age=None)
    subscription = Subscription.objects.filter(pk=data["s"]).first()
    if subscription is None:
        raise DomainError(_("El enlace no es válido: cópielo completo del correo."))
    return subscription


@transaction.atomic
def subscription_cancel(*, token: str) -> Subscription:
    """One click, no login: the subscription stops; cancelling twice is harmless."""
    subscription = Subscription.objects.select_for_update().get(pk=subscription_for_cancel(token).pk)
    if subscription.state != SubscriptionState.CANCELLED:
        previous = subscription.state
        subscription.state, subscription.cancelled_at = SubscriptionState.CANCELLED, timezone.now()
        subscription.save(update_fields=["state", "cancelled_at"])
        event_record(
            actor=None,
            subject=subscription,
            action="subscription_cancelled",
            from_state=previous,
            to_state=subscription.state,
        )
    return subscription


# --- Digests ------------------------------------------------------------------------------------------------------


def last_period(frequency: str, now: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    """The last complete period before ``now``: the previous day, or the previous week (Monday to Monday)."""
    today = timezone.localdate(now)
    end_day = today if frequency == DigestFrequency.DAILY else today - datetime.timedelta(days=today.weekday())
    start_day = end_day - datetime.timedelta(days=1 if frequency == DigestFrequency.DAILY else 7)
    midnight = datetime.time.min
    return (
        timezone.make_aware(datetime.datetime.combine(start_day, midnight)),
        timezone.make_aware(datetime.datetime.combine(end_day, midnight)),
    )


@transaction.atomic
def digests_enqueue(*, now: datetime.datetime | None = None) -> int:
    """Hand every confirmed subscription's last complete period, not yet done, to ``digest_send``; how many."""
    now = now or timezone.now()
    due = 0
    confirmed = Subscription.objects.filter(state=SubscriptionState.CONFIRMED).order_by("pk")
    for frequency in DigestFrequency.values:
        start, end = last_period(frequency, now)
        waiting = (
            confirmed.filter(frequency=frequency, confirmed_at__lt=end)
            .exclude(digests__period_start=start)
            .values_list("pk", flat=True)
        )
        for pk in waiting:
            enqueue_on_commit(digest_send, pk, start.isoformat(), end.isoformat())
            due += 1
    return due


@background_task
def digest_send(subscription_id: int, start: str, end: str) -> None:
    """The task: write the period's digest row and queue its e-mail, once (nothing to do when the row exists)."""
    _digest_send(subscription_id, datetime.datetime.fromisoformat(start), datetime.datetime.fromisoformat(end))


@transaction.atomic
def _digest_send(subscription_id: int, start: datetime.datetime, end: datetime.datetime) -> Digest | None:
    subscription = (
        Subscription.objects.select_for_update().filter(pk=subscription_id, state=SubscriptionState.CONFIRMED).first()
    )
    if subscription is None:
        return None
    digest, created = Digest.objects.get_or_create(
        subscription=subscription, period_start=start, defaults={"period_end": end}
    )
    if not created:
        return None
    obj = following.followable(subscription.kind).filter(pk=subscription.object_id).first()
    found = following.changes(subscription.kind, obj, since=start, until=end) if obj is not None else []
    digest.changes = len(found)
    if found:
        digest.email = email_queue(
            to=[subscription.email],
            subject=_("Novedades de «%(name)s»: %(period)s") % {"name": obj, "period": _period(start, end)},
            body=digest_body(subscription, obj, found, start, end),
            headers={
                "List-Unsubscribe": f"<{cancel_url(subscription)}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
    digest.save(update_fields=["changes", "email"])
    return digest


def _period(start: datetime.datetime, end: datetime.datetime) -> str:
    last = timezone.localtime(end).date() - datetime.timedelta(days=1)
    first = timezone.localtime(start).date()
    if first == last:
        return long_date(first)
    return _("del %(first)s al %(last)s") % {"first": long_date(first), "last": long_date(last)}


def digest_body(
    subscription: Subscription,
    obj: Any,
    found: list[following.Change],
    start: datetime.datetime,
    end: datetime.datetime,
) -> str:
    lines = [
        _("Novedades de «%(name)s» en el portal de %(institute)s, %(period)s:")
        % {"name": obj, "institute": settings.INSTITUTE_NAME, "period": _period(start, end)},
        "",
    ]
    for change in reversed(found):  # oldest first, as they happened
        lines += [f"- {long_date(timezone.localtime(change.when).date())}: {change.text}", f"  {absolute(change.url)}"]
    lines += [
        "",
        _("Página de «%(name)s»: %(url)s")
        % {"name": obj, "url": absolute(following.followed_url(subscription.kind, obj))},
        "",
        _("Recibe este resumen %(frequency)s porque siguió este tema. Para no recibir más, abra:\n%(link)s")
        % {"frequency": subscription.get_frequency_display().lower(), "link": cancel_url(subscription)},
    ]
    return "\n".join(lines) + "\n"
