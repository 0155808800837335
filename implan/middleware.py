"""Middleware of the portal."""

from csp.middleware import CSPMiddleware, PolicyParts
from django.http import HttpRequest, HttpResponseBase

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
