"""Notifications: a notice in a person's portal inbox and, unless they turned that kind off, by e-mail.

The apps register their kinds (``register_kind("session_convened", _("Sesión convocada"))``) and call ``notify``
inside the transaction of the change they report; the e-mail goes through ``implan.mail`` (a task, after commit).
A kind is a string, so the core knows no app. Every e-mail carries a signed link that turns that kind's e-mails
off without logging in (``unsubscribe_url``); the person's choices are on their preferences page.

Core: imports no app; any app may notify.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from implan import roles
from implan.errors import DomainError
from implan.mail import Attachment, email_queue
from implan.models import Notification, NotificationPreference, OutgoingEmail
from implan.types import Actor

P = ParamSpec("P")
T = TypeVar("T")

UNSUBSCRIBE_SALT = "implan.notifications.unsubscribe"


@dataclass(frozen=True)
class Kind:
    key: str
    label: str | Promise


_kinds: dict[str, Kind] = {}


def register_kind(key: str, label: str | Promise) -> None:
    """Declare a kind of notification (called when an app's module is imported); registering twice is harmless."""
    _kinds[key] = Kind(key, label)


def kinds() -> list[Kind]:
    return list(_kinds.values())


def kind_label(key: str) -> str:
    return str(_kinds[key].label) if key in _kinds else key


@dataclass(frozen=True)
class Letter:
    """The e-mail of a notification as an app composes it (Spanish text and HTML, attachments)."""

    subject: str
    text: str
    html: str
    attachments: tuple[Attachment, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Delivery:
    notification: Notification | None
    email: OutgoingEmail | None


def in_portal_language(function: Callable[P, T]) -> Callable[P, T]:
    """Run ``function`` in the portal's language (Spanish): what it composes is stored and e-mailed, whatever the
    language of the request that caused it."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        with translation.override(settings.LANGUAGE_CODE):
            return function(*args, **kwargs)

    return wrapper


def absolute(path: str) -> str:
    """A link for an e-mail: the portal's address (``PORTAL_URL``) and the path."""
    return settings.PORTAL_URL + path


def wants_email(user: Any, kind: str) -> bool:
    return not NotificationPreference.objects.filter(user=user, kind=kind, email=False).exists()


def notify(
    *,
    kind: str,
    title: str,
    text: str = "",
    url: str = "",
    user: Any = None,
    address: str = "",
    letter: Callable[[str], Letter] | None = None,
) -> Delivery:
    """Tell one person: a notice in ``user``'s inbox (if they have an account) and an e-mail to ``address`` (their
    account's address by default) unless they turned ``kind`` off.

    ``letter(unsubscribe_url)`` composes the e-mail; without it the default one says ``title`` and ``text`` and
    links ``url`` (a path of the portal). Texts are composed in Spanish, whatever the request's language.
    """
    if kind not in _kinds:
        raise DomainError(_("Tipo de aviso no registrado: %(kind)s.") % {"kind": kind})
    notification = None
    if user is not None:
        notification = Notification.objects.create(user=user, kind=kind, title=title[:300], text=text, url=url)
    address = address or (getattr(user, "email", "") if user is not None else "")
    if not address or (user is not None and not wants_email(user, kind)):
        return Delivery(notification, None)
    with translation.override(settings.LANGUAGE_CODE):
        unsubscribe = unsubscribe_url(user, kind) if user is not None else ""
        composed = (
            letter(unsubscribe) if letter else default_letter(title=title, text=text, url=url, unsubscribe=unsubscribe)
        )
    email = email_queue(
        to=[address],
        subject=composed.subject,
        body=composed.text,
        html=composed.html,
        attachments=composed.attachments,
    )
    if notification is not None:
        notification.email = email
        notification.save(update_fields=["email"])
    return Delivery(notification, email)


def default_letter(*, title: str, text: str, url: str, unsubscribe: str) -> Letter:
    context = {
        "title": title,
        "text": text,
        "url": absolute(url) if url else "",
        "unsubscribe_url": unsubscribe,
        "INSTITUTE_NAME": settings.INSTITUTE_NAME,
        "INSTITUTE_SHORT_NAME": settings.INSTITUTE_SHORT_NAME,
    }
    return Letter(
        subject=f"{settings.INSTITUTE_SHORT_NAME}: {title}",
        text=render_to_string("emails/notification.txt", context),
        html=render_to_string("emails/notification.html", context),
    )


# --- Signed links -----------------------------------------------------------------------------------------------


def unsubscribe_url(user: Any, kind: str) -> str:
    token = signing.dumps({"u": user.pk, "k": kind}, salt=UNSUBSCRIBE_SALT)
    return absolute(reverse("implan:unsubscribe", args=[token]))


def unsubscribe_target(token: str) -> tuple[int, str]:
    """The account and kind a link names; DomainError (in Spanish) when it was altered."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        raise DomainError(
            _("El enlace no es válido: puede estar incompleto o alterado. Copie el enlace completo del correo.")
        ) from None
    if data.get("k") not in _kinds:
        raise DomainError(_("El enlace no es válido: el tipo de aviso ya no existe."))
    return int(data["u"]), str(data["k"])


# --- What people do with them -----------------------------------------------------------------------------------


@transaction.atomic
def preference_set(*, user: Any, kind: str, email: bool, reason: str) -> None:
    """A person's choice for a kind's e-mails (from their preferences page or an unsubscribe link)."""
    if kind not in _kinds:
        raise DomainError(_("Tipo de aviso no registrado: %(kind)s.") % {"kind": kind})
    preference = NotificationPreference.objects.select_for_update().filter(user=user, kind=kind).first()
    if preference is None and email:
        return  # no row means yes
    if preference is None:
        preference = NotificationPreference(user=user, kind=kind, email=True)
    if preference.email != email:
        preference.email = email
        preference._change_reason = reason  # type: ignore[attr-defined]  # read by django-simple-history
        preference.save()


def preferences_of(user: Any) -> dict[str, bool]:
    """Every registered kind → whether ``user`` gets it by e-mail."""
    off = set(NotificationPreference.objects.filter(user=user, email=False).values_list("kind", flat=True))
    return {kind.key: kind.key not in off for kind in kinds()}


def inbox(user: Actor) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")


def unread_count(user: Actor) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_mark_read(*, user: Actor, ids: Iterable[int] | None = None) -> int:
    """Mark the person's own notices read (``ids``, or all); how many changed. Another person's are never touched."""
    if hasattr(user, roles.REQUEST_UNREAD):  # the header of a page drawn after this counts again
        delattr(user, roles.REQUEST_UNREAD)
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())
