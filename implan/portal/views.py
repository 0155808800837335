"""The site's own pages: public home, workspace home, search, open-data hub, language switch, health and readiness
checks, and the audit log with reverting a change.

The two home pages, search and the open-data hub compose every app, which is why they live in the site layer
(``implan.portal``) and not in the core; reverting a change is a core service (``implan.services``) that this module
only calls.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from implan import services
from implan.actions import refusal_as_message
from implan.history import audit_entries, audit_rows
from implan.licence import open_data_licence
from implan.permissions import require_administrator
from implan.portal import opendata, selectors
from implan.portal.forms import AuditFilterForm
from implan.portal.search import KINDS, KINDS_BY_KEY, MIN_LENGTH, hit, matching, search_groups
from implan.readiness import check as readiness_check
from implan.types import AuthenticatedRequest

AUDIT_PAGE_SIZE = 50
SEARCH_PAGE_SIZE = 20


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", selectors.public_home())


@login_required
def workspace(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "portal/workspace.html", selectors.workspace_for(request.user))


def search(request: HttpRequest) -> HttpResponse:
    """Public search, grouped by type; ``tipo`` narrows to one type and pages through all of its results."""
    text = request.GET.get("q", "").strip()[:200]
    kind = KINDS_BY_KEY.get(request.GET.get("tipo", ""))
    context: dict = {"q": text, "kind": kind, "kinds": KINDS}
    if kind is not None and len(text) >= MIN_LENGTH:
        page = Paginator(matching(kind, text), SEARCH_PAGE_SIZE).get_page(request.GET.get("pagina"))
        context.update(page=page, hits=[hit(kind, obj) for obj in page.object_list])
    else:
        context["groups"] = search_groups(text)
    return render(request, "portal/search.html", context)


def open_data(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/open_data.html", {"datasets": opendata.datasets(), "licence": open_data_licence()})


def health(request: HttpRequest) -> HttpResponse:
    """For load balancers and the benchmark's baseline: answers without touching the database."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache  # a proxy must not keep an answer that is only true now
def readiness(request: HttpRequest) -> HttpResponse:
    """For a load balancer: 200 when this instance's database and cache answer, 503 naming what does not."""
    result = readiness_check()
    return JsonResponse(result.as_json(), status=200 if result.ready else 503)


def language(request: HttpRequest, code: str) -> HttpResponse:
    """Switch the interface language with a plain link (no form, so public pages carry no CSRF token and can be
    cached); the choice lives in the language cookie."""
    if code not in dict(settings.LANGUAGES):
        raise Http404
    target = request.GET.get("siguiente", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = redirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    require_administrator(request.user)
    form = AuditFilterForm(request.GET or None)
    page = Paginator(audit_rows(form.criteria()), AUDIT_PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request, "portal/audit_log.html", {"form": form, "page": page, "entries": audit_entries(page.object_list)}
    )


@login_required
@require_POST
def history_revert(request: HttpRequest, model_label: str, history_id: int) -> HttpResponse:
    require_administrator(request.user)
    record = services.historical_record(model_label, history_id)
    with refusal_as_message(request):
        services.history_revert(record=record, actor=request.user)
        messages.success(request, _("Se revirtió el cambio; la reversión quedó registrada en el historial."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "implan:audit_log"
    return redirect(target)
