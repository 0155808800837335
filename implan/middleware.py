"""Middleware of the portal."""

import re
import time
from collections.abc import Callable
from importlib import import_module

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseBase, QueryDict
from django.template.loader import render_to_string

from implan.control_characters import CONTROL_CHARACTERS, CONTROL_CHARACTERS_IN_TEXT
from implan.roles import REQUEST_ROLES

# The Django admin ships inline styles and scripts; only its pages get this relaxation.
ADMIN_RELAXATION = {
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
}


class PortalCSPMiddleware(CSPMiddleware):
    """django-csp with a relaxed policy on the admin and the strict one everywhere else."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path.startswith("/admin/"):
            parts.update = {**(parts.update or {}), **ADMIN_RELAXATION}
        return parts


class SessionIdleRefreshMiddleware:
    """Keeps sessions expiring after ``SESSION_COOKIE_AGE`` of inactivity without writing them on every request.

    Saving the session on every request (``SESSION_SAVE_EVERY_REQUEST``) made each logged-in page, each poll of a
    live vote count included, a write to the database. This renews the session (its expiry and the cookie's) at most
    once every ``SESSION_REFRESH_SECONDS``, so a session may end that much before a full idle period: a minute of 30.
    Sits right below SessionMiddleware, which saves what this marks as modified. Sessions that hold nothing (an
    anonymous visitor) are left alone, as Django leaves them.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        session = request.session
        if not session.is_empty():
            now = int(time.time())
            if now - session.get(SESSION_REFRESHED_KEY, 0) >= settings.SESSION_REFRESH_SECONDS:
                session[SESSION_REFRESHED_KEY] = now
        return response


SESSION_REFRESHED_KEY = "_renovada"


def session_stamp_login(sender: type, request: HttpRequest, **kwargs: object) -> None:
    """Receiver of ``user_logged_in``: the login saves the session with a full idle period, so that counts as its
    latest renewal (the first pages after logging in need not write it again)."""
    request.session[SESSION_REFRESHED_KEY] = int(time.time())


class RequestRolesMiddleware:
    """Lets the role checks of one request read the logged-in user's groups once (``implan.roles.REQUEST_ROLES``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        # The backend (implan.backends) marks the users it loads; a user that came another way is marked here.
        if request.user.is_authenticated and not hasattr(request.user, REQUEST_ROLES):
            setattr(request.user, REQUEST_ROLES, None)
        return self.get_response(request)


class RequestSizeLimitMiddleware:
    """Refuses any request body over ``MAX_REQUEST_BYTES`` before reading it (413, in Spanish).

    Django's own DATA_UPLOAD_MAX_MEMORY_SIZE does not count uploaded files; this caps everything, uploads included.
    Features with smaller limits (evidence files, indicator imports) check theirs on top.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
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


# Form bodies may carry tabs and line breaks: a textarea sends them.
CONTROL_CHARACTERS_IN_FORMS = CONTROL_CHARACTERS_IN_TEXT


class ControlCharacterMiddleware:
    """Answers 400 (in Spanish) to a request whose path, query, form fields or cookies hold a control character.

    One check here instead of one in every view that reads a parameter: a NUL that reached a query used to answer 500.
    Runs after ``RequestSizeLimitMiddleware``, so an oversized body is refused before this reads it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if (
            CONTROL_CHARACTERS.search(request.path)
            or _holds(request.GET, CONTROL_CHARACTERS)
            or (request.method == "POST" and _holds(request.POST, CONTROL_CHARACTERS_IN_FORMS))
        ):
            return bad_request()
        spoiled = [
            name
            for name, value in request.COOKIES.items()
            if CONTROL_CHARACTERS.search(name) or CONTROL_CHARACTERS.search(value)
        ]
        if spoiled:
            # The session middleware reads its cookie on the way out too: give it an empty session, not the key.
            request.session = import_module(settings.SESSION_ENGINE).SessionStore()
            return _without_cookies(spoiled)
        return self.get_response(request)


def _without_cookies(names: list[str]) -> HttpResponse:
    """A cookie with a control character (a session key with a NUL reached PostgreSQL and answered 500): a 400 that
    also deletes it, so the browser's next request works instead of being refused for ever."""
    response = bad_request()
    for name in names:
        if not CONTROL_CHARACTERS.search(name):  # a name that cannot go back into a header is left to expire
            response.delete_cookie(name)
    return response


def _holds(params: QueryDict, pattern: re.Pattern[str]) -> bool:
    return any(pattern.search(key) or any(pattern.search(value) for value in values) for key, values in params.lists())


def bad_request() -> HttpResponse:
    return HttpResponseBadRequest(render_to_string("400.html", {"control_characters": True}))
