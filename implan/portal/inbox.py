"""The inbox of notifications, the e-mail preferences per kind, and the unsubscribe link (signed, no login)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from implan import notifications
from implan.errors import DomainError
from implan.params import is_number
from implan.types import AuthenticatedRequest

PAGE_SIZE = 30


@login_required
def inbox(request: AuthenticatedRequest) -> HttpResponse:
    page = Paginator(notifications.inbox(request.user), PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(request, "portal/inbox.html", {"page": page, "items": list(page.object_list)})


@require_POST
@login_required
def inbox_mark_read(request: AuthenticatedRequest) -> HttpResponse:
    """Mark one notice read (``aviso``), or all of them; then follow the notice's link when asked (``abrir``)."""
    raw = request.POST.get("aviso", "")
    ids = [int(raw)] if is_number(raw) else None
    notifications.notifications_mark_read(user=request.user, ids=ids)
    if ids and request.POST.get("abrir"):
        target = notifications.inbox(request.user).filter(pk=ids[0]).values_list("url", flat=True).first()
        if target and target.startswith("/") and not target.startswith("//"):
            return redirect(target)
    return redirect("implan:inbox")


def _preferences_form(user: object, data: object = None) -> forms.Form:
    current = notifications.preferences_of(user)
    form = forms.Form(data)  # type: ignore[arg-type]  # a QueryDict or None, as Form takes
    for kind in notifications.kinds():
        form.fields[kind.key] = forms.BooleanField(label=str(kind.label), required=False, initial=current[kind.key])
    return form


@login_required
def preferences(request: AuthenticatedRequest) -> HttpResponse:
    form = _preferences_form(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        for key, wanted in form.cleaned_data.items():
            notifications.preference_set(
                user=request.user, kind=key, email=bool(wanted), reason=_("Preferencias de avisos")
            )
        messages.success(request, _("Se guardaron sus preferencias de correo."))
        return redirect("implan:notification_preferences")
    return render(request, "portal/notification_preferences.html", {"form": form})


def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The link at the foot of every notification e-mail: works without logging in. A GET asks; a POST turns the
    kind's e-mails off (mail scanners open links, and must not unsubscribe anyone)."""
    try:
        user_id, kind = notifications.unsubscribe_target(token)
        user = get_user_model().objects.get(pk=user_id)
    except (DomainError, get_user_model().DoesNotExist) as error:
        message = error.message if isinstance(error, DomainError) else _("El enlace no es válido.")
        return render(request, "portal/unsubscribe.html", {"refusal": message}, status=400)
    done = False
    if request.method == "POST":
        notifications.preference_set(user=user, kind=kind, email=False, reason=_("Baja desde el enlace del correo"))
        done = True
    wanted = notifications.preferences_of(user)[kind]
    return render(
        request,
        "portal/unsubscribe.html",
        {"kind_label": notifications.kind_label(kind), "done": done or not wanted},
    )
