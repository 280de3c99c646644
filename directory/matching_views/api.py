"""JSON API v1: semantic search and explained matches, under the pages' visibility rules.

GET only. Errors are JSON too: 400 for bad input, 401 when login is needed, 403 for a
public record whose matches belong to its owners, 404 for anything unknown or invisible
(never 403 for records whose very existence is private, such as a private profile).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any

from flask import current_app, jsonify, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from .. import permissions
from ..extensions import db
from ..i18n import current_locale
from ..matching import service
from ..models import Challenge, Opening, Profile
from . import access, api_bp, present
from .openapi import document
from .routes import viewer

DEFAULT_LIMIT, MAX_LIMIT = 20, 50


@contextmanager
def _language() -> Iterator[None]:
    """Answer in ?lang=es|en when given, else in the user's or cookie's language."""
    lang = request.args.get("lang")
    if lang in current_app.config["LANGUAGES"]:
        with force_locale(lang):
            yield
    else:
        yield


def error(code: int, message: str) -> tuple[Response, int]:
    """A JSON error body with its status code."""
    return jsonify({"error": {"status": code, "message": message}}), code


def _message(code: int) -> str:
    messages = {
        400: _("The request is not valid."),
        401: _("Log in to use this endpoint."),
        403: _("Only the organisation's editors and curators may see these matches."),
        404: _("Not found."),
        405: _("Method not allowed."),
        413: _("The request is too large."),
        429: _("Too many requests: wait a moment and try again (see Retry-After)."),
    }
    return messages.get(code, _("Something went wrong."))


def localised(view: Callable[..., Any]) -> Callable[..., Any]:
    """Run a view in the language ?lang asks for."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with _language():
            return view(*args, **kwargs)

    return wrapper


@api_bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> tuple[Response, int]:
    with _language():
        code = exc.code or 500
        return error(code, _message(code))


@api_bp.errorhandler(Exception)
def _server_error(exc: Exception) -> tuple[Response, int]:
    db.session.rollback()
    current_app.logger.exception("Unhandled API error on %s", request.path)
    with _language():
        return error(500, _message(500))


@api_bp.after_request
def _no_store(response: Response) -> Response:
    """Answers depend on who asks and change as records do: never cache them."""
    response.headers["Cache-Control"] = "no-store"
    return response


def _limit(raw: str | None) -> int | None:
    if raw is None or raw == "":
        return DEFAULT_LIMIT
    if not raw.isascii() or not raw.isdigit() or len(raw) > 4 or int(raw) < 1:
        return None
    return min(int(raw), MAX_LIMIT)


@api_bp.get("/search")
@localised
def search() -> Any:
    """Semantic search: {"query", "results": [{"kind", "id", "title", "url", "score"}]}."""
    query = request.args.get("q")
    problem = access.query_error(query)
    if problem:
        return error(400, problem)
    kinds = access.parse_kinds(request.args.get("kind"))
    if kinds is None:
        return error(400, access.kind_error())
    limit = _limit(request.args.get("limit"))
    if limit is None:
        return error(400, _("The limit must be a whole number from 1 to %(max)d.", max=MAX_LIMIT))
    query = " ".join(query.split())
    hits = service.search(query, viewer(), kinds, limit)
    locale = current_locale()
    return jsonify({"query": query, "results": [present.hit_json(h, locale) for h in hits]})


def _needs_login() -> tuple[Response, int] | None:
    if not viewer().is_authenticated:
        return error(401, _message(401))
    return None


def _profile_matches(record_id: int) -> Any:
    profile = db.session.get(Profile, record_id)
    # Only the owner may ask; anyone else learns nothing, not even that it exists.
    if profile is None or not permissions.owns_profile(viewer(), profile):
        return error(404, _message(404))
    body: dict[str, Any] = {"kind": "profile", "id": profile.id, "matches": []}
    why = access.why_no_matches(profile)
    if why:
        body["notice"] = access.why_message(why)
        return jsonify(body)
    service.sync(("profile",))
    views = present.match_views(service.for_profile(profile, viewer()), external=True)
    body["matches"] = [v.as_json() for v in views]
    return jsonify(body)


def _opening_matches(record_id: int) -> Any:
    opening = access.post_for_matching(Opening, record_id, viewer())
    service.sync(("opening",))
    views = present.match_views(service.for_opening(opening, viewer()), external=True)
    return jsonify({"kind": "opening", "id": opening.id, "matches": [v.as_json() for v in views]})


def _challenge_matches(record_id: int) -> Any:
    challenge = access.post_for_matching(Challenge, record_id, viewer())
    service.sync(("challenge",))
    solvers = service.for_challenge(challenge, viewer())
    views = present.match_views([*solvers.organizations, *solvers.people], external=True)
    views.sort(key=lambda v: (-v.score, v.kind, v.id))
    team = present.team_view(
        solvers.team, solvers.team_records, [s.id for s in challenge.skills], external=True
    )
    return jsonify(
        {
            "kind": "challenge",
            "id": challenge.id,
            "matches": [v.as_json() for v in views],
            "team": team.as_json() if team else None,
        }
    )


def _similar_matches(kind: str, record_id: int) -> Any:
    record = access.record_for_similar(kind, record_id, viewer())
    service.sync((kind,))
    views = present.match_views(service.more_like_this(kind, record, viewer()), external=True)
    return jsonify({"kind": kind, "id": record.id, "matches": [v.as_json() for v in views]})


# merge_slashes=False: a kind containing "/" (".../matches/0%2F/1") would otherwise get the
# router's HTML 308 to a merged path, which no API client expects; it is simply not found.
@api_bp.get("/matches/<kind>/<record_id>", merge_slashes=False)
@localised
def matches(kind: str, record_id: str) -> Any:
    """Explained matches of one record, for those who may ask about it."""
    # A string in the rule, parsed here, so "abc" gets this API's JSON 404, not an HTML page.
    number = access.parse_id(record_id)
    if number is None or kind not in ("profile", "opening", "challenge", *access.SIMILAR_KINDS):
        return error(404, _message(404))
    if kind in ("profile", "opening", "challenge"):
        refusal = _needs_login()
        if refusal:
            return refusal
    if kind == "profile":
        return _profile_matches(number)
    if kind == "opening":
        return _opening_matches(number)
    if kind == "challenge":
        return _challenge_matches(number)
    return _similar_matches(kind, number)


@api_bp.get("/openapi.json")
def openapi() -> Response:
    """The OpenAPI 3.1 description of this API."""
    return jsonify(document(request.host_url.rstrip("/") + api_bp.url_prefix))


@api_bp.get("/")
def index() -> Response:
    """Where to start: the endpoints and their description."""
    return jsonify(
        {
            "openapi": url_for("api.openapi", _external=True),
            "search": url_for("api.search", _external=True),
        }
    )
