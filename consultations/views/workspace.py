"""The planners' workspace of a consultation: prepare it, open and close it, moderate, record forums, answer and
publish the report. Thin views: validate, call one service, redirect or render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from consultations import selectors, services
from consultations.contributions_csv import ImportRefused
from consultations.forms import (
    AnswerForm,
    ConsultationForm,
    ContributionForm,
    ContributionImportForm,
    ForumForm,
    ModerationForm,
    ReportForm,
    SectionForm,
)
from consultations.models import Comment, CommentState, Consultation, Contribution, Forum, Section
from implan.actions import refusal_as_message
from implan.concurrency import EditConflict, reopened, sign
from implan.errors import DomainError
from implan.permissions import planner_only_sees

FORM = "consultations/workspace/form.html"


def _consultation(pk: int) -> Consultation:
    return get_object_or_404(Consultation.objects.select_related(*selectors.INSTRUMENT_RELATED), pk=pk)


def _back(consultation: Consultation) -> HttpResponse:
    return redirect("consultations:workspace_detail", pk=consultation.pk)


@planner_only_sees
def consultation_list(request: HttpRequest) -> HttpResponse:
    consultations = Consultation.objects.select_related(*selectors.INSTRUMENT_RELATED).order_by("-starts_on", "-pk")
    return render(request, "consultations/workspace/consultation_list.html", {"consultations": consultations})


@planner_only_sees
def consultation_create(request: HttpRequest) -> HttpResponse:
    form = ConsultationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            # The form's copy of the record (OpenedMixin's «opened») matters only when editing.
            data = {name: value for name, value in form.cleaned_data.items() if name != "opened"}
            consultation = services.consultation_create(actor=request.user, **data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Se creó la consulta en preparación; agregue sus secciones."))
            return _back(consultation)
    return render(request, FORM, {"form": form, "title": _("Nueva consulta pública")})


@planner_only_sees
def consultation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _consultation(pk)
    form = ConsultationForm(request.POST or None, instance=consultation)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.EDITED_FIELDS}
        try:
            services.consultation_update(actor=request.user, consultation=consultation, seen=form.seen(), **data)
        except EditConflict as error:
            # A fresh copy of the stored record: the bound form above was filled in by the person's input.
            fresh = Consultation.objects.get(pk=consultation.pk)
            form, conflict = ConsultationForm(reopened(request.POST, error), instance=fresh), error
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Se guardó la consulta."))
            return _back(consultation)
    return render(
        request,
        FORM,
        {"form": form, "title": _("Editar la consulta"), "consultation": consultation, "conflict": conflict},
    )


@planner_only_sees
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _consultation(pk)
    counts = {
        state: Comment.objects.filter(section__consultation=consultation, state=state).count()
        for state in CommentState.values
    }
    return render(
        request,
        "consultations/workspace/consultation_detail.html",
        {
            "consultation": consultation,
            "sections": list(consultation.sections.all()),
            "section_form": SectionForm(),
            "forums": list(consultation.forums.prefetch_related("attendance")),
            "counts": counts,
            "pending": services.report_pending(consultation),
            "report_form": ReportForm(initial={"summary": consultation.report_summary}),
        },
    )


@planner_only_sees
@require_POST
def section_add(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _consultation(pk)
    form = SectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Escriba el título de la sección."))
        return _back(consultation)
    with refusal_as_message(request):
        services.section_add(actor=request.user, consultation=consultation, **form.cleaned_data)
        messages.success(request, _("Se agregó la sección."))
    return _back(consultation)


@planner_only_sees
@require_POST
def sections_prefill(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _consultation(pk)
    with refusal_as_message(request):
        sections = services.sections_from_instrument(actor=request.user, consultation=consultation)
        messages.success(request, _("Se agregaron %(n)s secciones del instrumento.") % {"n": len(sections)})
    return _back(consultation)


@planner_only_sees
@require_POST
def section_delete(request: HttpRequest, pk: int) -> HttpResponse:
    section = get_object_or_404(Section.objects.select_related("consultation"), pk=pk)
    with refusal_as_message(request):
        services.section_delete(actor=request.user, section=section)
        messages.success(request, _("Se quitó la sección."))
    return _back(section.consultation)


def _transition(service: Any, success: str) -> Any:
    @planner_only_sees
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        consultation = _consultation(pk)
        with refusal_as_message(request):
            service(actor=request.user, consultation=consultation)
            messages.success(request, success)
        return _back(consultation)

    return view


# Lazy: the message is translated when shown, in the language of that request.
consultation_open = _transition(services.consultation_open, gettext_lazy("La consulta está abierta al público."))
consultation_close = _transition(services.consultation_close, gettext_lazy("La consulta quedó cerrada."))


@planner_only_sees
@require_POST
def report_publish(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _consultation(pk)
    form = ReportForm(request.POST)
    if form.is_valid():
        with refusal_as_message(request):
            services.report_publish(actor=request.user, consultation=consultation, summary=form.cleaned_data["summary"])
            messages.success(request, _("Se publicó el informe de la consulta."))
            return redirect("consultations:report", slug=consultation.slug)
    return _back(consultation)


# --- Moderation ----------------------------------------------------------------------------------------------------


@planner_only_sees
def moderation(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _consultation(pk)
    state = request.GET.get("estado", CommentState.HELD)
    comments = Comment.objects.filter(section__consultation=consultation).select_related("section", "moderator")
    if state in CommentState.values:
        comments = comments.filter(state=state)
    page = Paginator(comments.order_by("created_at", "id"), 50).get_page(request.GET.get("pagina"))
    return render(
        request,
        "consultations/workspace/moderation.html",
        {
            "consultation": consultation,
            "page": page,
            "state": state,
            "states": CommentState.choices,
            "form": ModerationForm(),
        },
    )


@planner_only_sees
@require_POST
def comment_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("section__consultation"), pk=pk)
    form = ModerationForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    else:
        accept = form.cleaned_data["decision"] == "aceptar"
        with refusal_as_message(request):
            services.comment_moderate(
                actor=request.user, comment=comment, accept=accept, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("Comentario publicado.") if accept else _("Comentario rechazado."))
    return redirect("consultations:moderation", pk=comment.section.consultation_id)


# --- Forums ----------------------------------------------------------------------------------------------------------


@planner_only_sees
def forum_create(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _consultation(pk)
    form = ForumForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            forum = services.forum_record(
                actor=request.user,
                consultation=consultation,
                title=data["title"],
                held_on=data["held_on"],
                place=data["place"],
                attendance=form.attendance(),
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Se registró el foro; agregue sus aportaciones."))
            return redirect("consultations:forum_detail", pk=forum.pk)
    return render(request, FORM, {"form": form, "title": _("Registrar un foro"), "consultation": consultation})


@planner_only_sees
def forum_detail(request: HttpRequest, pk: int) -> HttpResponse:
    forum = get_object_or_404(Forum.objects.select_related("consultation"), pk=pk)
    consultation = forum.consultation
    form = ContributionForm(request.POST or None, consultation=consultation)
    if request.method == "POST" and form.is_valid():
        try:
            services.contribution_add(actor=request.user, forum=forum, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Se agregó la aportación."))
            return redirect("consultations:forum_detail", pk=forum.pk)
    return _forum_page(request, forum, form=form, import_form=ContributionImportForm())


def _forum_page(request: HttpRequest, forum: Forum, **forms: Any) -> HttpResponse:
    contributions = forum.contributions.select_related("section").order_by("id")
    return render(
        request,
        "consultations/workspace/forum_detail.html",
        {"forum": forum, "consultation": forum.consultation, "contributions": contributions, **forms},
    )


@planner_only_sees
@require_POST
def contributions_import(request: HttpRequest, pk: int) -> HttpResponse:
    forum = get_object_or_404(Forum.objects.select_related("consultation"), pk=pk)
    form = ContributionImportForm(request.POST, request.FILES)
    errors: list[str] = []
    if form.is_valid():
        try:
            created = services.contributions_import(actor=request.user, forum=forum, content=form.cleaned_data["file"])
        except ImportRefused as refused:
            form.add_error(None, refused.message)
            errors = refused.errors
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Se importaron %(n)s aportaciones.") % {"n": len(created)})
            return redirect("consultations:forum_detail", pk=forum.pk)
    contribution_form = ContributionForm(consultation=forum.consultation)
    return _forum_page(request, forum, form=contribution_form, import_form=form, import_errors=errors)


# --- Answers --------------------------------------------------------------------------------------------------------


@planner_only_sees
def answers(request: HttpRequest, pk: int) -> HttpResponse:
    return _answers_page(request, _consultation(pk))


def _answers_page(
    request: HttpRequest,
    consultation: Consultation,
    *,
    conflict: EditConflict | None = None,
    subject: Comment | Contribution | None = None,
    data: Any = None,
) -> HttpResponse:
    """Every answer form shows the stored answer and carries its snapshot; after a conflict, the one refused shows
    the person's own input again with a fresh token, under what changed."""
    comments = list(
        Comment.objects.published()
        .filter(section__consultation=consultation)
        .select_related("section", "answer")
        .order_by("section__order", "id")
    )
    contributions = list(
        Contribution.objects.filter(forum__consultation=consultation)
        .select_related("section", "forum", "answer")
        .order_by("section__order", "id")
    )
    for item in [*comments, *contributions]:
        answer = getattr(item, "answer", None)
        item.shown = {  # type: ignore[union-attr]
            "verdict": answer.verdict if answer else "",
            "reason": answer.reason if answer else "",
            "opened": sign(services.answer_snapshot(answer)),
        }
        if subject is not None and type(item) is type(subject) and item.pk == subject.pk:
            item.shown = {name: data.get(name, "") for name in ("verdict", "reason", "opened")}  # type: ignore[union-attr]
            item.conflict = conflict  # type: ignore[union-attr]
    return render(
        request,
        "consultations/workspace/answers.html",
        {"consultation": consultation, "comments": comments, "contributions": contributions, "form": AnswerForm()},
        status=200,
    )


def _answer(request: HttpRequest, consultation_id: int, subject: Comment | Contribution, **key: Any) -> HttpResponse:
    form = AnswerForm(request.POST)
    if not form.is_valid():
        # A form without its snapshot says so (a non-field error); otherwise a field is missing.
        messages.error(request, " ".join(form.non_field_errors()) or _("Elija la respuesta y explique la razón."))
        return redirect("consultations:answers", pk=consultation_id)
    data = {name: form.cleaned_data[name] for name in ("verdict", "reason")}
    try:
        services.answer_give(actor=request.user, seen=form.seen(), **key, **data)
    except EditConflict as error:
        consultation = _consultation(consultation_id)
        return _answers_page(request, consultation, conflict=error, subject=subject, data=reopened(request.POST, error))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Se guardó la respuesta."))
    return redirect("consultations:answers", pk=consultation_id)


@planner_only_sees
@require_POST
def comment_answer(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("section"), pk=pk)
    return _answer(request, comment.section.consultation_id, comment, comment=comment)


@planner_only_sees
@require_POST
def contribution_answer(request: HttpRequest, pk: int) -> HttpResponse:
    contribution = get_object_or_404(Contribution.objects.select_related("forum"), pk=pk)
    return _answer(request, contribution.forum.consultation_id, contribution, contribution=contribution)
