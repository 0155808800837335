"""One-shot lifecycle actions for every approvable instrument (plan, diagnosis, programme, government plan, budget,
report, evaluation) and the comparison of two versions.

There is no approve action: approval happens only through the competent body's vote (councils.approvals →
planning.services.lifecycle hooks). After an action the person returns to the page they came from (``next``), or, after
starting a new version, to that new draft.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from councils.models import FrozenSubject
from councils.permissions import can_see_session
from councils.services import frozen as frozen_services
from implan.actions import refusal_as_message
from implan.models import Approvable
from implan.params import number
from implan.permissions import is_planner
from planning.diff import instrument_diff
from planning.models import Programme
from planning.permissions import view_programme
from planning.services import lifecycle
from planning.versions import instrument_get, versions_of, workspace_url


def visible_instrument(user: Any, kind: str, pk: int) -> Approvable:
    """Planners see every instrument; a commission sees its strategy's programmes (and may not act: 403)."""
    instrument = instrument_get(kind, pk)
    if isinstance(instrument, Programme):
        view_programme(user, instrument)
    elif not is_planner(user):
        raise Http404
    return instrument


def _back(request: HttpRequest, instrument: Approvable) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return workspace_url(instrument) or reverse("planning:plan_workspace")


def _act(
    request: HttpRequest, kind: str, pk: int, action: Callable[..., Approvable], success: Callable[[Approvable], str]
) -> HttpResponse:
    instrument = visible_instrument(request.user, kind, pk)
    with refusal_as_message(request):
        result = action(instrument=instrument, actor=request.user)
        messages.success(request, success(result))
    return redirect(_back(request, instrument))


def _submitted(instrument: Approvable) -> str:
    body = lifecycle.awaiting_body(instrument)
    if body is None:
        return _("Se envió a aprobación.")
    return _(
        "Se envió a aprobación; queda entre los asuntos pendientes de %(body)s, cuya secretaría técnica puede "
        "incluirlo en el orden del día."
    ) % {"body": body}


@require_POST
@login_required
def instrument_submit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    return _act(request, kind, pk, lifecycle.instrument_submit, _submitted)


@require_POST
@login_required
def instrument_withdraw(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    return _act(
        request,
        kind,
        pk,
        lifecycle.instrument_withdraw,
        lambda i: _("Se retiró de aprobación; vuelve a ser un borrador."),
    )


@require_POST
@login_required
def instrument_publish(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    return _act(
        request, kind, pk, lifecycle.instrument_publish, lambda i: _("Se publicó la versión %(v)s.") % {"v": i.version}
    )


@require_POST
@login_required
def instrument_new_version(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    instrument = visible_instrument(request.user, kind, pk)
    with refusal_as_message(request):
        new = lifecycle.instrument_new_version(instrument=instrument, actor=request.user)
        messages.success(
            request,
            _("Se inició la versión %(v)s en borrador; la versión %(old)s sigue como estaba.")
            % {"v": new.version, "old": instrument.version},
        )
        return redirect(workspace_url(new) or _back(request, instrument))
    return redirect(_back(request, instrument))  # refused: back to the page of the button


@login_required
def instrument_compare(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Field-by-field difference between this version and another (``?con=<id>``, by default the one before), or
    the differences frozen on an agenda point (``?punto=<id>``)."""
    if request.GET.get("punto"):
        return _frozen_compare(request, kind, pk, request.GET["punto"])
    instrument = visible_instrument(request.user, kind, pk)
    versions = versions_of(instrument)
    others = [v for v in versions if v.pk != instrument.pk]
    chosen = request.GET.get("con", "")
    if chosen:
        other = next((v for v in others if str(v.pk) == chosen), None)
        if other is None:
            raise Http404  # not a version of this instrument
    else:
        other = next((v for v in others if v.version < instrument.version), others[0] if others else None)
    diff = None
    if other is not None:
        old, new = sorted([instrument, other], key=lambda v: (v.version, v.pk))
        diff = instrument_diff(old=old, new=new)
    return render(
        request,
        "planning/workspace/instrument_compare.html",
        {
            "instrument": instrument,
            "other": other,
            "diff": diff,
            "versions": versions,
            "kind": kind,
            "back_url": workspace_url(instrument),
        },
    )


def _frozen_compare(request: HttpRequest, kind: str, pk: int, point: str) -> HttpResponse:
    """The version of this instrument frozen on an agenda point and its differences from the version then in force,
    as the session decides on them (whatever changed since): for planners and for whoever may see the session."""
    instrument = instrument_get(kind, pk)
    frozen = (
        FrozenSubject.objects.select_related("agenda_item__session__body")
        .filter(
            agenda_item_id=number(point) or 0,
            agenda_item__subject_type=ContentType.objects.get_for_model(instrument),
            agenda_item__subject_id=instrument.pk,
        )
        .first()
    )
    if frozen is None:
        raise Http404
    session = frozen.agenda_item.session
    if not can_see_session(request.user, session):
        visible_instrument(request.user, kind, pk)  # planners see every instrument; anyone else: 404
    return render(
        request,
        "planning/workspace/instrument_compare.html",
        {
            "instrument": instrument,
            "frozen": frozen,
            "session": session,
            "changed": frozen_services.changed_since_frozen(frozen.agenda_item),
            "diff": frozen.snapshot.get("diff"),
            "versions": [],
            "kind": kind,
            "back_url": reverse("councils:workspace_session", args=[session.pk]),
        },
    )
