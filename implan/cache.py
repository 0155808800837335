"""Caching of the public site: whole pages for anonymous visitors, invalidated whenever content changes.

Every write to a model of the portal's apps bumps one *content version* (a signal: derived data, not a domain rule).
A cached page is stored under the language and the full path together with the version it was built at, and served
only while that is still the version, so a page published a second ago is never served stale, and nothing needs to
know which pages a change touches. The version and the page come back in one round trip to the cache (a hit should
cost little more than a trivial view). With ``REDIS_URL`` set the version and the
pages live in Redis, shared by every app server; otherwise in local memory (one process: the default run).

With Redis, each process also follows the version through Redis's publish/subscribe (``VersionFeed``): a renewal is
announced on a channel, and a page kept in the process is served without asking Redis anything while no announcement
is waiting (with that round trip at every hit, gunicorn served 0.77 as many cached pages per second as trivial views;
without it, 1.14).
A process whose subscription died without saying so reads the version again within a tenth of a second.
"""

from __future__ import annotations

import functools
import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any, TypeGuard

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import patch_cache_control, patch_vary_headers, set_response_etag
from django.utils.functional import SimpleLazyObject, empty
from django.utils.http import http_date
from redis.backoff import NoBackoff
from redis.client import PubSub
from redis.connection import AbstractConnection
from redis.retry import Retry

logger = logging.getLogger(__name__)

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
    if version is None:  # never set, or lost (Redis restarted, or evicted it): a new one, which every process hears of
        if cache.add(VERSION_KEY, time.time_ns(), timeout=None):
            version_feed.announce()
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
    # Announced to the other processes at the commit only: until then they could read nothing new anyway.
    _renew_version(announce=False)
    transaction.on_commit(_renew_version)


def _renew_version(*, announce: bool = True) -> None:
    cache.set(VERSION_KEY, time.time_ns(), timeout=None)
    if announce:
        version_feed.announce()


def current_version() -> int:
    """The content version: from this process's subscription when it can be trusted (no round trip), else read."""
    return version_feed.version() or content_version()


class VersionFeed:
    """This process's copy of the content version, renewed by the announcements of ``_renew_version`` (Redis only).

    Trusted only while nothing can have been missed: the subscription confirmed by Redis *before* the copy was read
    (an announcement made after it is delivered, and a renewal made before it is in what was read), no announcement
    waiting on the connection (one waiting: read again), the connection never lost since (a reconnection makes it
    wait for a new confirmation, reading the version from Redis meanwhile), and the copy read no longer than
    ``TRUST_SECONDS`` ago. Redis sends an announcement in the same pass as its answer to the writer, so on a healthy
    connection a process hears of a change before the writer's own response has left; the bound is for a connection
    that dies without saying so (a dropped network path): then a change is seen up to that long late, never longer.
    Any error: back to reading the version on every hit, and subscribing again after ``RETRY_SECONDS``.
    """

    TRUST_SECONDS = 0.1  # one read per process and tenth of a second at most, against hundreds of hits
    RETRY_SECONDS = 5.0

    def __init__(self) -> None:
        self._lock = threading.RLock()  # version() reads the version, which may announce a new one
        self._warned = False
        self._reset(owner=None)

    def _reset(self, *, owner: tuple[int, str, str] | None) -> None:
        self._owner = owner
        self._channel = owner[2] if owner else ""
        self._client: redis.Redis | None = None
        self._pubsub: PubSub | None = None
        self._confirmed = False
        self._version: int | None = None
        self._read_at = 0.0
        self._retry_at = 0.0

    def announce(self) -> None:
        """Tell every process that the version changed (after it was set). A failure is logged, not raised: the write
        it follows has happened, and a process that does not hear of it reads the version within TRUST_SECONDS."""
        with self._lock:
            client, channel = self._redis(), self._channel
        if client is None:
            return
        try:
            client.publish(channel, b"")
        except redis.RedisError as error:
            logger.error("No se pudo anunciar la nueva versión del contenido por Redis: %s", error)

    def version(self) -> int | None:
        """The version if this process's copy can be trusted now, else None (the caller reads it from the cache)."""
        with self._lock:
            if self._redis() is None:
                return None
            try:
                if not self._listening():
                    return None
                now = time.monotonic()
                if self._version is None or now - self._read_at > self.TRUST_SECONDS:
                    self._version, self._read_at = content_version(), now
                return self._version
            except redis.RedisError as error:
                if not self._warned:  # once per process: a Redis that forbids SUBSCRIBE would say it every time
                    logger.warning("Se dejó de seguir la versión del contenido por Redis: %s", error)
                    self._warned = True
                self._drop()
                return None

    def _redis(self) -> redis.Redis | None:
        url = settings.REDIS_URL
        if not url:
            return None
        # The channel has the cache's prefix: portals that share a Redis hear only their own renewals (PUBLISH and
        # SUBSCRIBE ignore the database number).
        owner = (os.getpid(), url, cache.make_key(VERSION_KEY))
        if owner != self._owner:
            if self._owner is not None and self._owner[0] == owner[0]:  # changed settings (tests), same process
                self._drop()
                if self._client is not None:
                    self._client.close()
            # A forked worker leaves the connections it inherited alone (they are its parent's) and opens its own.
            self._reset(owner=owner)
        if self._client is None:
            # No retry: a failure falls back to reading the version; a writer's announcement must not wait seconds.
            self._client = redis.Redis.from_url(
                url,
                client_name=f"implan-version-{os.getpid()}",
                retry=Retry(NoBackoff(), 0),
                socket_connect_timeout=2,
                socket_timeout=2,
            )
        return self._client

    def _listening(self) -> bool:
        """Subscribes when not subscribed; reads every waiting message; whether the copy may be used."""
        if self._pubsub is None:
            if time.monotonic() < self._retry_at:
                return False
            assert self._client is not None
            self._pubsub = self._client.pubsub()
            self._pubsub.subscribe(self._channel)
            self._pubsub.connection.register_connect_callback(self._connected)  # type: ignore[union-attr]
            return False  # the confirmation comes on a later request
        while (message := self._pubsub.get_message(timeout=0.0)) is not None:
            if message["type"] == "subscribe":
                self._confirmed = True
            self._version = None  # a confirmation or an announcement: read the version again
        return self._confirmed

    def _connected(self, connection: AbstractConnection) -> None:
        # The subscription's connection made again (by redis-py): renewals may have been missed meanwhile.
        if self._pubsub is not None and connection is self._pubsub.connection:
            self._confirmed, self._version = False, None

    def _drop(self) -> None:
        pubsub, self._pubsub, self._confirmed, self._version = self._pubsub, None, False, None
        self._retry_at = time.monotonic() + self.RETRY_SECONDS
        if pubsub is not None:
            if pubsub.connection is not None:
                pubsub.connection.deregister_connect_callback(self._connected)
            try:
                pubsub.close()
            except redis.RedisError:
                pass


version_feed = VersionFeed()


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
        if stored is not None:  # only the version: this process's copy (version_feed), or a few bytes from the cache
            version = current_version()
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
