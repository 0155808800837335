"""Citizen proposals in an open call: the public pages (the calls, a call with its map and form, a proposal, the open
data) and the planners' workspace (prepare and open a call, moderate, assess, turn a proposal into a project).
Thin views: validate, call one service, redirect or render."""

from __future__ import annotations

from typing import Any

from axes.helpers import get_client_ip_address
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from consultations import proposal_selectors as selectors
from consultations import proposals as services
from consultations.forms import CallForm, ModerationForm, ProposalForm, ProposalStepForm
from consultations.models import Proposal, ProposalCall, ProposalState
from implan.actions import refusal_as_message
from implan.concurrency import EditConflict, reopened
from implan.errors import DomainError
from implan.exports import csv_response
from implan.permissions import planner_only_sees
from projects.selectors import map_config

PER_PAGE = 20
JSON = {"ensure_ascii": False, "indent": 1}


# --- Public ----------------------------------------------------------------------------------------------------------


def call_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.public_calls().order_by("-starts_on", "-pk"), PER_PAGE).get_page(
        request.GET.get("pagina")
    )
    return render(request, "consultations/public/call_list.html", {"page": page})


def _public_call(slug: str) -> ProposalCall:
    return get_object_or_404(ProposalCall.objects.public(), slug=slug)


def call_detail(request: HttpRequest, slug: str) -> HttpResponse:
    call = _public_call(slug)
    form = ProposalForm(request.POST or None, call=call) if call.accepts_proposals_on() else None
    if request.method == "POST":
        if form is None:
            messages.error(request, _("Esta convocatoria no recibe propuestas: su periodo no está en curso."))
            return redirect("consultations:call_detail", slug=call.slug)
        if form.is_valid():
            try:
                _submit(request, call, form)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Gracias. Su propuesta se publicará en cuanto la moderación la revise."))
                return redirect("consultations:call_detail", slug=call.slug)
    proposals = selectors.published_proposals().filter(call=call).order_by("-created_at", "-pk")
    response = render(
        request,
        "consultations/public/call_detail.html",
        {
            "call": call,
            "form": form,
            "page": Paginator(proposals, PER_PAGE).get_page(request.GET.get("pagina")),
            "territories": list(call.territories.order_by("name")),
            "strategies": list(call.strategies.order_by("number")),
            "map": map_config(),
        },
    )
    if form is not None:
        # The form carries this visitor's CSRF token and the moment it was shown: never from the shared page cache.
        patch_cache_control(response, private=True, no_store=True)
    return response


def _submit(request: HttpRequest, call: ProposalCall, form: ProposalForm) -> None:
    if not request.session.session_key:
        request.session.save()  # a session to count this browser's proposals by
    data = {k: v for k, v in form.cleaned_data.items() if k not in ("website", "stamp")}
    services.proposal_submit(
        actor=request.user,
        call=call,
        address=get_client_ip_address(request) or "",
        session_key=request.session.session_key or "",
        **data,
    )


def call_geojson(request: HttpRequest, slug: str) -> JsonResponse:
    call = _public_call(slug)
    data = selectors.geojson(selectors.published_proposals().filter(call=call).order_by("pk"))
    return JsonResponse(data, content_type="application/geo+json", json_dumps_params=JSON)


def proposal_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    proposal = get_object_or_404(selectors.published_proposals(), call__slug=slug, pk=pk)
    return render(request, "consultations/public/proposal_detail.html", {"proposal": proposal, "map": map_config()})


def proposals_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"propuestas": selectors.open_data_json()}, json_dumps_params=JSON)


def proposals_csv(request: HttpRequest) -> HttpResponse:
    return csv_response(selectors.OPEN_DATA_HEADER, selectors.open_data_rows(), filename="propuestas-ciudadanas.csv")


# --- Workspace -------------------------------------------------------------------------------------------------------


def _call(pk: int) -> ProposalCall:
    return get_object_or_404(ProposalCall, pk=pk)


def _back(call: ProposalCall) -> HttpResponse:
    return redirect("consultations:call_workspace", pk=call.pk)


@planner_only_sees
def call_workspace_list(request: HttpRequest) -> HttpResponse:
    calls = ProposalCall.objects.annotate(total=Count("proposals")).order_by("-starts_on", "-pk")
    return render(request, "consultations/workspace/call_list.html", {"calls": calls})


@planner_only_sees
def call_create(request: HttpRequest) -> HttpResponse:
    form = CallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            # The form's copy of the record (OpenedMixin's «opened») matters only when editing.
            data = {name: form.cleaned_data[name] for name in services.CALL_FIELDS}
            call = services.call_create(actor=request.user, **data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Se creó la convocatoria en preparación; revísela y ábrala."))
            return _back(call)
    return render(
        request,
        "consultations/workspace/call_form.html",
        {"form": form, "title": _("Nueva convocatoria de propuestas")},
    )


@planner_only_sees
def call_edit(request: HttpRequest, pk: int) -> HttpResponse:
    call = _call(pk)
    form = CallForm(request.POST or None, instance=call)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.CALL_FIELDS}
        try:
            services.call_update(actor=request.user, call=call, seen=form.seen(), **data)
        except EditConflict as error:
            # A fresh copy of the stored record: the bound form above was filled in by the person's input.
            fresh = ProposalCall.objects.get(pk=call.pk)
            form, conflict = CallForm(reopened(request.POST, error), instance=fresh), error
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Se guardó la convocatoria."))
            return _back(call)
    return render(
        request,
        "consultations/workspace/call_form.html",
        {"form": form, "title": _("Editar la convocatoria"), "call": call, "conflict": conflict},
    )


@planner_only_sees
def call_workspace(request: HttpRequest, pk: int) -> HttpResponse:
    call = _call(pk)
    state = request.GET.get("estado", ProposalState.HELD)
    proposals = call.proposals.select_related("territory", "strategy", "project", "moderator")
    if state in ProposalState.values:
        proposals = proposals.filter(state=state)
    counts = dict(call.proposals.values_list("state").annotate(n=Count("pk")))
    page = Paginator(proposals.order_by("created_at", "pk"), 50).get_page(request.GET.get("pagina"))
    for proposal in page:
        # The steps the assessment allows from where it stands (the portfolio has its own button).
        proposal.next_steps = [  # type: ignore[attr-defined]
            (state, ProposalState(state).label)
            for state in ProposalState.values
            if state in services.ASSESSMENT_MOVES.get(proposal.state, set()) and state != ProposalState.IN_PORTFOLIO
        ]
    return render(
        request,
        "consultations/workspace/call_detail.html",
        {
            "call": call,
            "page": page,
            "state": state,
            "states": [(value, label, counts.get(value, 0)) for value, label in ProposalState.choices],
            "territories": list(call.territories.all()),
            "strategies": list(call.strategies.all()),
            "moderation_form": ModerationForm(),
            "reason_field": ProposalStepForm().fields["reason"],
        },
    )


def _call_transition(service: Any, success: str) -> Any:
    @planner_only_sees
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        call = _call(pk)
        with refusal_as_message(request):
            service(actor=request.user, call=call)
            messages.success(request, success)
        return _back(call)

    return view


call_open = _call_transition(services.call_open, gettext_lazy("La convocatoria está abierta al público."))
call_close = _call_transition(services.call_close, gettext_lazy("La convocatoria quedó cerrada."))


def _proposal(pk: int) -> Proposal:
    return get_object_or_404(Proposal.objects.select_related("call"), pk=pk)


def _to_list(proposal: Proposal, state: str) -> HttpResponse:
    response = _back(proposal.call)
    response["Location"] += f"?estado={state}"
    return response


@planner_only_sees
@require_POST
def proposal_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(pk)
    form = ModerationForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    else:
        accept = form.cleaned_data["decision"] == "aceptar"
        with refusal_as_message(request):
            services.proposal_moderate(
                actor=request.user, proposal=proposal, accept=accept, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("Propuesta publicada.") if accept else _("Propuesta rechazada."))
    return _to_list(proposal, ProposalState.HELD)


@planner_only_sees
@require_POST
def proposal_step(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(pk)
    form = ProposalStepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Elija el nuevo estado de la propuesta."))
        return _to_list(proposal, proposal.state)
    with refusal_as_message(request):
        services.proposal_advance(actor=request.user, proposal=proposal, **form.cleaned_data)
        messages.success(request, _("Se actualizó el estado de la propuesta."))
    return _to_list(proposal, form.cleaned_data["to"])


@planner_only_sees
@require_POST
def proposal_to_project(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(pk)
    with refusal_as_message(request):
        done = services.proposal_to_project(actor=request.user, proposal=proposal)
        messages.success(request, _("La propuesta se incorporó a la cartera como proyecto propuesto."))
        assert done.project is not None  # the service sets it with the state
        return redirect("projects:workspace_project", pk=done.project.pk)
    return _to_list(proposal, proposal.state)
