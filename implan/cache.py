"""Caching of the public site: whole pages for anonymous visitors, invalidated whenever content changes.

Every write to a model of the portal's apps bumps one *content version* (a signal: derived data, not a domain rule).
A cached page is stored under the language and the full path together with the version it was built at, and served
only while that is still the version, so a page published a second ago is never served stale, and nothing needs to
know which pages a change touches. The version and the page come back in one round trip to the cache (a hit should
cost little more than a trivial view). With ``REDIS_URL`` set the version and the
pages live in Redis, shared by every app server; otherwise in local memory (one process: the default run).
"""

from __future__ import annotations

import functools
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any, TypeGuard

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import patch_cache_control, patch_vary_headers, set_response_etag
from django.utils.functional import SimpleLazyObject, empty
from django.utils.http import http_date

VERSION_KEY = "portal:content-version"
PORTAL_APPS = frozenset({"implan", "councils", "planning", "projects", "indicators", "consultations"})
# Rows no public page shows: writing them leaves the version (and every kept page and fragment) alone. A vote is
# public only once its motion closes (the motion's save renews the version then); without this, each of 25 votes
# cast in a live session threw away every kept page of the site. Named by label: the core imports no app.
NOT_PUBLIC_MODELS = frozenset(
    {
        "councils.vote",
        "councils.historicalvote",
        "implan.notification",
        "implan.outgoingemail",
        "implan.adminimport",
        "implan.territoryimport",
        "indicators.importjob",
    }
)
# The event rows of those writes (every service writes one): the audit log that shows them is in the workspace.
NOT_PUBLIC_EVENTS = frozenset({"vote_cast", "vote_changed"})
NEVER_CACHED = ("/espacio/", "/admin/", "/cuenta/", "/idioma/", "/static/", "/media/", "/salud/")
# Pages about one person (the workspace, the admin, the account) must not be kept by a browser or a proxy either.
PRIVATE = ("/espacio/", "/admin/", "/cuenta/")


def content_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def content_changed(sender: type[models.Model], **kwargs: Any) -> None:
    """Receiver of post_save / post_delete / m2m_changed: any change of what public pages show renews the version.

    Renewed now and again when the transaction commits: a page built between the two saw the version of the change
    but not yet its data, and must not outlive the commit.
    """
    if sender._meta.app_label not in PORTAL_APPS or sender._meta.label_lower in NOT_PUBLIC_MODELS:
        return
    if (
        sender._meta.label_lower == "implan.event"
        and getattr(kwargs.get("instance"), "action", "") in NOT_PUBLIC_EVENTS
    ):
        return
    _renew_version()
    transaction.on_commit(_renew_version)


def _renew_version() -> None:
    cache.set(VERSION_KEY, time.time_ns(), timeout=None)


def cached_by_content(name: str, build: Callable[[], str]) -> str:
    """A rendered fragment kept until the content changes (``FRAGMENT_CACHE_SECONDS`` at most; 0 builds it every time).

    For the parts of a page that cost queries and depend on nothing but published content and the language (the
    caller puts the language, and anything else the fragment varies with, in ``name``). Unlike the page cache it serves
    logged-in users too. Same rule as the page cache: the version is read before building, so a fragment built from
    data older than a change is stored under the version before it and never served after it.
    """
    seconds = settings.FRAGMENT_CACHE_SECONDS
    if seconds <= 0:
        return build()
    key = f"fragment:{name}"
    found = cache.get_many([VERSION_KEY, key])
    version = found.get(VERSION_KEY) or content_version()
    stored = found.get(key)
    if stored is not None and stored[0] == version:
        return stored[1]
    fragment = build()
    cache.set(key, (version, fragment), seconds)
    return fragment


def lazy_context(build: Callable[[], dict[str, Any]], keys: Iterable[str]) -> dict[str, LazyValue]:
    """Context values for a page that keeps its content with ``{% content_cache %}``, built together by ``build`` the
    first time one is asked for, so that kept content costs no query at all."""
    built = functools.cache(build)
    return {key: LazyValue(functools.partial(_item, built, key)) for key in keys}


def _item(built: Callable[[], dict[str, Any]], key: str) -> Any:
    return built()[key]


class LazyValue(SimpleLazyObject):
    """A value computed when first used. Templates call what is callable, and get the value itself (``is None`` and
    ``{% blocktranslate count %}`` see the real thing); Python code (a test reading ``response.context``) gets a proxy
    that iterates, indexes and compares as the value does."""

    def __call__(self) -> Any:
        if self._wrapped is empty:  # type: ignore[attr-defined]  # LazyObject's own, missing from its stubs
            self._setup()  # type: ignore[attr-defined]
        return self._wrapped  # type: ignore[attr-defined]


# The pages most asked for, kept in each process as well, with the version they were built at: a hit then reads only
# the version from the shared cache, not the page (7–80 KB to fetch and unpickle, most of what a hit cost beyond a
# trivial view). Served under the same rule as the shared copy: only while its version is the current one, and no
# longer than PUBLIC_PAGE_CACHE_SECONDS.
PAGES_KEPT_HERE = 200
_kept: OrderedDict[str, tuple[float, dict[str, Any]]] = OrderedDict()
_kept_lock = threading.Lock()


def _kept_here(key: str) -> dict[str, Any] | None:
    with _kept_lock:
        found = _kept.get(key)
        if found is None:
            return None
        if found[0] < time.monotonic():
            del _kept[key]
            return None
        _kept.move_to_end(key)
        return found[1]


def _keep_here(key: str, page: dict[str, Any]) -> None:
    with _kept_lock:
        if key in _kept:
            _kept.move_to_end(key)
            if _kept[key][1] is page:
                return
        _kept[key] = (time.monotonic() + settings.PUBLIC_PAGE_CACHE_SECONDS, page)
        while len(_kept) > PAGES_KEPT_HERE:
            _kept.popitem(last=False)


class PublicPageCacheMiddleware:
    """Serves anonymous GETs of public pages from the cache; adds Last-Modified (ETag comes from ConditionalGet).

    Pages of the workspace, and any page a logged-in user gets, are marked ``private, no-store`` instead.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not self._cacheable_request(request):
            response = self.get_response(request)
            if request.path.startswith(PRIVATE) or request.user.is_authenticated:
                patch_cache_control(response, private=True, no_store=True)
            return response
        key = f"page:{request.LANGUAGE_CODE}:{request.get_full_path()}"
        stored = _kept_here(key)
        if stored is not None:  # only the version from the shared cache: a few bytes, not the page
            version = cache.get(VERSION_KEY) or content_version()
            if stored["version"] != version:
                stored = cache.get(key)
        else:
            found = cache.get_many([VERSION_KEY, key])
            version = found.get(VERSION_KEY) or content_version()
            stored = found.get(key)
        if stored is not None and stored["version"] == version:
            _keep_here(key, stored)
            response = HttpResponse(stored["content"], headers=stored["headers"])
        else:
            response = self.get_response(request)
            if self._cacheable_response(response):
                # The ETag now, once, rather than hashing the same bytes on every hit (ConditionalGetMiddleware keeps
                # an ETag it finds). Every header the middleware below this one and the view set (X-Frame-Options,
                # the CSP…): a cached answer must be the first answer again, not a page without its protections.
                set_response_etag(response)
                headers = dict(response.items())
                page = {"version": version, "content": response.content, "headers": headers}
                cache.set(key, page, settings.PUBLIC_PAGE_CACHE_SECONDS)
                _keep_here(key, page)
        if response.status_code == 200 and not response.has_header("Last-Modified"):
            response["Last-Modified"] = http_date(version / 1e9)
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        return response

    @staticmethod
    def _cacheable_request(request: HttpRequest) -> bool:
        return (
            settings.PUBLIC_PAGE_CACHE_SECONDS > 0
            and request.method in ("GET", "HEAD")
            and not request.user.is_authenticated
            and not request.path.startswith(NEVER_CACHED)
        )

    @staticmethod
    def _cacheable_response(response: HttpResponseBase) -> TypeGuard[HttpResponse]:
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "private" not in response.get("Cache-Control", "")
            and "no-store" not in response.get("Cache-Control", "")
        )
