"""Public pages of the consultations: the list, a consultation with its comment form, the report (page, CSV, PDF)
and the open data."""

from __future__ import annotations

from axes.helpers import get_client_ip_address
from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from consultations import report_pdf, selectors, services
from consultations.forms import CommentForm
from consultations.models import Consultation, ConsultationState
from implan.cache import content_version
from implan.errors import DomainError
from implan.exports import csv_response, file_response

PDF_CACHE_SECONDS = 60 * 60


def consultation_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.public_consultations(), 20).get_page(request.GET.get("pagina"))
    return render(request, "consultations/public/consultation_list.html", {"page": page})


def _public(slug: str) -> Consultation:
    return get_object_or_404(Consultation.objects.public().select_related(*selectors.INSTRUMENT_RELATED), slug=slug)


def consultation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _public(slug)
    accepting = consultation.accepts_comments_on()
    form = None
    if accepting:
        form = CommentForm(request.POST or None, consultation=consultation)
        if request.method == "POST" and form.is_valid():
            try:
                _submit(request, form)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Gracias. Su comentario se publicará en cuanto la moderación lo revise."))
                return redirect("consultations:detail", slug=consultation.slug)
    elif request.method == "POST":
        messages.error(request, _("Esta consulta no recibe comentarios: su periodo no está en curso."))
        return redirect("consultations:detail", slug=consultation.slug)
    response = render(
        request,
        "consultations/public/consultation_detail.html",
        {
            "consultation": consultation,
            "sections": selectors.consultation_sections(consultation),
            "form": form,
            "accepting": accepting,
        },
    )
    if form is not None:
        # The form carries this visitor's CSRF token and the moment it was shown: never from the shared page cache.
        patch_cache_control(response, private=True, no_store=True)
    return response


def _submit(request: HttpRequest, form: CommentForm) -> None:
    if not request.session.session_key:
        request.session.save()  # a session to count this browser's comments by
    data = form.cleaned_data
    services.comment_submit(
        actor=request.user,
        section=data["section"],
        author_name=data["author_name"],
        place=data["place"],
        sector=data["sector"],
        email=data["email"],
        text=data["text"],
        address=get_client_ip_address(request) or "",
        session_key=request.session.session_key or "",
    )


def _reported(slug: str) -> Consultation:
    consultation = _public(slug)
    if consultation.state != ConsultationState.REPORTED:
        raise Http404
    return consultation


def report_detail(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _reported(slug)
    report = selectors.consultation_report(consultation)
    return render(request, "consultations/public/report_detail.html", {"consultation": consultation, "report": report})


def report_csv(request: HttpRequest, slug: str) -> HttpResponse:
    report = selectors.consultation_report(_reported(slug))
    return csv_response(selectors.REPORT_HEADER, selectors.report_rows(report), filename=f"informe-{slug}.csv")


def report_pdf_download(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _reported(slug)
    key = f"consulta-pdf:{consultation.pk}:{content_version()}:{get_language()}"
    pdf = cache.get(key)
    if pdf is None:
        pdf = report_pdf.report_pdf(selectors.consultation_report(consultation), request)
        cache.set(key, pdf, PDF_CACHE_SECONDS)
    return file_response(pdf, filename=f"informe-{slug}.pdf", content_type="application/pdf", attachment=False)


def consultations_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        {"consultas": selectors.open_data_consultations()}, json_dumps_params={"ensure_ascii": False, "indent": 1}
    )


def contributions_csv(request: HttpRequest) -> HttpResponse:
    return csv_response(
        selectors.CONTRIBUTIONS_HEADER, selectors.open_data_contributions(), filename="aportaciones-consultas.csv"
    )
