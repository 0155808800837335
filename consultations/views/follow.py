"""Following a public thing without an account: the form, the signed confirmation and unsubscribe links, and the
Atom feed of the thing's changes (the no-e-mail way to follow it)."""

from __future__ import annotations

from typing import Any

from axes.helpers import get_client_ip_address
from django.contrib import messages
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from consultations import following, subscriptions
from consultations.forms import FollowForm
from consultations.models import FollowKind, Subscription
from implan.errors import DomainError

FEED_SIZE = 50


def follow(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    obj = following.followed(kind, pk)
    form = FollowForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not request.session.session_key:
            request.session.save()
        try:
            subscriptions.subscription_request(
                email=form.cleaned_data["email"],
                kind=kind,
                obj=obj,
                frequency=form.cleaned_data["frequency"],
                address=get_client_ip_address(request) or "",
                session_key=request.session.session_key or "",
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _(
                    "Le enviamos un correo con un enlace para confirmar. No recibirá nada más hasta que lo abra y "
                    "pulse «Confirmar mi suscripción»."
                ),
            )
            return redirect("consultations:follow", kind=kind, pk=pk)
    response = render(
        request,
        "consultations/public/follow.html",
        {
            "form": form,
            "obj": obj,
            "kind": FollowKind(kind),
            "url": following.followed_url(kind, obj),
            "recent": following.changes(kind, obj, until=timezone.now(), limit=10),
        },
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


# No CSRF token: the signed token in the address is the proof (a page elsewhere cannot know it), and a mail
# program's browser that keeps no cookie can still confirm.
@csrf_exempt
def subscription_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The e-mail's link opens a page that asks; only its button (a POST) confirms, since mail scanners and link
    previews open every link of a message with a GET."""
    if request.method != "POST":
        try:
            pending = subscriptions.subscription_for_confirm(token)
        except DomainError as error:
            return _outcome(request, _("No se pudo confirmar"), error.message, status=400)
        return _ask(request, "consultations/public/subscription_confirm.html", pending, token)
    try:
        subscription = subscriptions.subscription_confirm(token=token)
    except DomainError as error:
        return _outcome(request, _("No se pudo confirmar"), error.message, status=400)
    return _outcome(
        request,
        _("Suscripción confirmada"),
        _(
            "Recibirá un resumen %(frequency)s de las novedades de «%(name)s». "
            "Cada correo trae un enlace para darse de baja."
        )
        % {
            "frequency": subscription.get_frequency_display().lower(),
            "name": subscriptions.followed_name(subscription),
        },
    )


@csrf_exempt  # RFC 8058: the mail program posts «List-Unsubscribe=One-Click» with no form of ours; the token signs it
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        try:
            subscription = subscriptions.subscription_cancel(token=token)
        except DomainError as error:
            return _outcome(request, _("No se pudo dar de baja"), error.message, status=400)
        return _outcome(
            request,
            _("Se dio de baja"),
            _("Ya no recibirá correos sobre «%(name)s».") % {"name": subscriptions.followed_name(subscription)},
        )
    try:
        subscription = subscriptions.subscription_for_cancel(token)
    except DomainError as error:
        return _outcome(request, _("No se pudo dar de baja"), error.message, status=400)
    return _ask(request, "consultations/public/unsubscribe.html", subscription, token)


def _ask(request: HttpRequest, template: str, subscription: Subscription, token: str) -> HttpResponse:
    """The page a link of the e-mail opens: it names what is followed and asks; its button posts the token back."""
    response = render(request, template, {"name": subscriptions.followed_name(subscription), "token": token})
    patch_cache_control(response, private=True, no_store=True)
    return response


def _outcome(request: HttpRequest, title: str, text: str, status: int = 200) -> HttpResponse:
    response = render(
        request, "consultations/public/subscription_outcome.html", {"title": title, "text": text}, status=status
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


class FollowFeed(Feed):
    """The changes of one followed thing, newest first."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, kind: str, pk: int) -> tuple[str, Any]:
        return kind, following.followed(kind, pk)

    def title(self, obj: tuple[str, Any]) -> str:
        return _("Novedades de «%(name)s»") % {"name": obj[1]}

    def link(self, obj: tuple[str, Any]) -> str:
        return following.followed_url(*obj)

    def subtitle(self, obj: tuple[str, Any]) -> str:
        return _("Versiones publicadas, acuerdos, avances, observaciones y consultas públicas.")

    def items(self, obj: tuple[str, Any]) -> list[following.Change]:
        return following.changes(obj[0], obj[1], until=timezone.now(), limit=FEED_SIZE)

    def item_title(self, item: following.Change) -> str:
        return item.text

    def item_description(self, item: following.Change) -> str:
        return item.text

    def item_link(self, item: following.Change) -> str:
        return item.url

    def item_guid(self, item: following.Change) -> str:
        return item.key

    def item_pubdate(self, item: following.Change) -> Any:
        return item.when

    def item_updateddate(self, item: following.Change) -> Any:
        return item.when
