"""Anonymous public pages served from memory, invalidated by every write to the database.

What is cached: the body of a public page (views decorated with `cached_page`) rendered for
a visitor who sends no session, remember-me or Authorization credentials, so nothing on it
is personal, and whose rendering did not touch the session (a page with a form, hence a CSRF
token, is never kept). Keys hold the path and query string, the language, the day (listings
close by date) and the content version.

The content version is one counter every process shares: Redis in production (the same
Redis as rate limits and jobs), so a change saved on one server or worker invalidates every
copy on all of them at the next request. Any committed INSERT, UPDATE or DELETE on a table
that public pages may show bumps it (write_tracking.py watches the engine, so ORM, Core and
CLI writes all count); private bookkeeping tables do not. Without Redis (the development
server) the counter lives in the process, which is only correct for one process: "auto"
turns the cache on only where Redis is configured.

Responses carry an ETag and `Cache-Control: public, no-cache` with `Vary: Cookie`: browsers
and shared caches may keep a copy but must revalidate it (a 304 costs no rendering), so an
edit is never hidden behind a stale copy. The rate limits still apply: the limiter wraps
the views outside this cache (ratelimits.init_app runs after the blueprints are set up).
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import wraps
from typing import Any

from flask import Flask, Response, current_app, request, session

from . import write_tracking
from .i18n import current_locale

log = logging.getLogger(__name__)

EXTENSION = "page_cache"
MODES = ("auto", "redis", "local", "off")
CACHE_CONTROL = "public, no-cache"
_ANONYMOUS_SESSION_KEYS = frozenset({"csrf_token", "_permanent"})
# The public pages kept (endpoints: their views are wrapped when the app is built). Feeds
# and the sitemap set their own max-age and stay out; a person's page stays out too, and so
# do the open-data pages (they read files a nightly job writes, not the database).
CACHED_ENDPOINTS = (
    "public.index",
    "public.browse",
    "public.organization",
    "public.opening",
    "public.challenge",
    "public.stories",
    "public.story",
    "procurement.unit",
    "proposals.portfolio",
    "coalition.coalition",
    "coalition.groups_list",
    "coalition.group",
    "coalition.consultations_list",
    "coalition.consultation",
    "coalition.results_page",
)


@dataclass(frozen=True)
class _Entry:
    body: bytes
    mimetype: str
    etag: str
    stored: float


class PageCache:
    """A bounded, thread-safe LRU of rendered pages, with the shared content version."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._entries: OrderedDict[tuple[Any, ...], _Entry] = OrderedDict()
        self._lock = threading.Lock()
        self._local_version = 0
        self._redis: Any = None
        self._redis_url: str | None = None
        self._warned = False

    def mode(self) -> str:
        """The mode in force: redis, local or off ("auto" resolved)."""
        config = self.app.config
        mode = str(config.get("PAGE_CACHE", "auto")).lower()
        if mode == "auto":
            return "redis" if _redis_url(config) else "off"
        return mode if mode in MODES else "off"

    def _client(self) -> Any:
        url = _redis_url(self.app.config)
        if self._redis is None or url != self._redis_url:
            import redis

            self._redis_url = url
            self._redis = redis.Redis.from_url(url or "", socket_timeout=0.5)
        return self._redis

    def _key_name(self) -> str:
        return f"{self.app.config.get('RATELIMIT_KEY_PREFIX', 'directory')}:pages:version"

    def version(self) -> str | None:
        """The current content version, or None when it cannot be read (cache bypassed)."""
        mode = self.mode()
        if mode == "local":
            return str(self._local_version)
        if mode != "redis":
            return None
        try:
            value = self._client().get(self._key_name())
        except Exception as error:  # Redis down: serve fresh pages, never stale ones
            self._warn(error)
            return None
        return value.decode() if value else "0"

    def bump(self) -> None:
        """Invalidate every cached page, in every process sharing the version."""
        with self._lock:
            self._local_version += 1
            self._entries.clear()
        if self.mode() != "redis":
            return
        try:
            self._client().incr(self._key_name())
        except Exception as error:
            # The TTL bounds how long pages cached elsewhere may lag behind this write.
            self._warn(error)

    def _warn(self, error: Exception) -> None:
        if not self._warned:
            log.warning("page cache: Redis unreachable (%s); pages are rendered afresh", error)
            self._warned = True

    def get(self, key: tuple[Any, ...]) -> _Entry | None:
        """A fresh entry for key, or None."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if time.monotonic() - entry.stored > self.app.config["PAGE_CACHE_TTL"]:
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return entry

    def put(self, key: tuple[Any, ...], entry: _Entry) -> None:
        """Keep an entry, dropping the least recently used beyond PAGE_CACHE_ENTRIES."""
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.app.config["PAGE_CACHE_ENTRIES"]:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        """Forget every entry (tests)."""
        with self._lock:
            self._entries.clear()


def _redis_url(config: Any) -> str | None:
    from .jobs.settings import redis_url

    return redis_url(config)


def cache_of(app: Flask) -> PageCache:
    """The app's page cache."""
    return app.extensions[EXTENSION]


def _anonymous_request() -> bool:
    """A GET with no identity: whatever it renders is the same for every such visitor.

    A session holding only a CSRF token (a visitor who once opened a form) is still
    anonymous; a user id, a flashed message or anything else is not.
    """
    if request.method not in ("GET", "HEAD") or "Authorization" in request.headers:
        return False
    if current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies:
        return False
    return set(session.keys()) <= _ANONYMOUS_SESSION_KEYS


def _finish(response: Response, etag: str) -> Response:
    response.set_etag(etag)
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.vary.add("Cookie")
    return response.make_conditional(request)


def cached_page(view: Callable[..., Any]) -> Callable[..., Any]:
    """Serve a public view's anonymous renderings from the page cache."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        cache = current_app.extensions.get(EXTENSION)
        if cache is None or not _anonymous_request():
            return view(*args, **kwargs)
        version = cache.version()
        if version is None:
            return view(*args, **kwargs)
        key = (request.path, request.query_string, current_locale(), date.today(), version)
        entry = cache.get(key)
        if entry is not None:
            return _finish(Response(entry.body, mimetype=entry.mimetype), entry.etag)
        response = current_app.make_response(view(*args, **kwargs))
        if not _storable(response):
            return response
        body = response.get_data()
        etag = hashlib.blake2b(body, digest_size=16).hexdigest()
        cache.put(key, _Entry(body, response.mimetype or "text/html", etag, time.monotonic()))
        return _finish(response, etag)

    return wrapper


def _storable(response: Response) -> bool:
    """A 200 whose rendering left the session untouched and that no one marked private."""
    if response.status_code != 200 or response.direct_passthrough or response.is_streamed:
        return False
    if session.modified or "Set-Cookie" in response.headers:
        return False
    control = response.headers.get("Cache-Control", "")
    if "no-store" in control or "private" in control:
        return False
    length = response.calculate_content_length() or 0
    return length <= current_app.config["PAGE_CACHE_MAX_BYTES"]


def init_app(app: Flask) -> None:
    """Create the cache and bump its version on every committed write (write_tracking)."""
    app.config.setdefault("PAGE_CACHE", "auto")
    app.config.setdefault("PAGE_CACHE_TTL", 300)
    app.config.setdefault("PAGE_CACHE_ENTRIES", 1000)
    app.config.setdefault("PAGE_CACHE_MAX_BYTES", 512 * 1024)
    cache = PageCache(app)
    app.extensions[EXTENSION] = cache
    for endpoint in CACHED_ENDPOINTS:
        app.view_functions[endpoint] = cached_page(app.view_functions[endpoint])
    write_tracking.init_app(app, cache.bump)
