"""Middleware of the portal."""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.template.loader import render_to_string

# The Django admin ships inline styles and scripts; only its pages get this relaxation.
ADMIN_RELAXATION = {"script-src": ["'self'", "'unsafe-inline'"], "style-src": ["'self'", "'unsafe-inline'"],
                    "img-src": ["'self'", "data:"]}


class PortalCSPMiddleware(CSPMiddleware):
    """django-csp with a relaxed policy on the admin and the strict one everywhere else."""

    def get_policy_parts(self, request: HttpRequest, response: HttpResponseBase,
                         report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path.startswith("/admin/"):
            parts.update = {**(parts.update or {}), **ADMIN_RELAXATION}
        return parts


class RequestSizeLimitMiddleware:
    """Refuses any request body over ``MAX_REQUEST_BYTES`` before reading it (413, in Spanish).

    Django's own DATA_UPLOAD_MAX_MEMORY_SIZE does not count uploaded files; this caps everything, uploads included.
    Features with smaller limits (evidence files, indicator imports) check theirs on top.
    """

    def __init__(self, get_response):  # noqa: ANN001
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            return too_large()
        return self.get_response(request)


def too_large() -> HttpResponse:
    limit = settings.MAX_REQUEST_BYTES // (1024 * 1024)
    body = render_to_string("413.html", {"limit_mb": limit})
    return HttpResponse(body, status=413)
