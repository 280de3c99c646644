"""JSON API v1: semantic search and explained matches, under the pages' visibility rules.

GET only. Each view serves one operation of the OpenAPI document (openapi.py): its route is
the document's path, and its parameters are checked against the document before it runs
(contract.py). Errors are JSON in the document's one Error shape: 400 for a parameter
outside the document, 401 when login is needed, 403 for a public record whose matches
belong to its owners, 404 for anything unknown or invisible (never 403 for records whose
very existence is private, such as a private profile), 429 past the rate limits.
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
from . import access, api_bp, contract, present
from .openapi import DEFAULT_LIMIT, DEFAULT_MATCH_LIMIT, document
from .routes import viewer

View = Callable[..., Any]


@contextmanager
def _language() -> Iterator[None]:
    """Answer in ?lang=es|en when given, else in the user's or cookie's language."""
    lang = request.args.get("lang")
    if lang in current_app.config["LANGUAGES"]:
        with force_locale(lang):
            yield
    else:
        yield


def error(
    code: int, message: str, violation: contract.Violation | None = None
) -> tuple[Response, int]:
    """A JSON error body in the document's Error shape, with its status code."""
    body: dict[str, Any] = {"status": code, "message": message}
    if violation is not None:
        body.update({"parameter": violation.name, "in": violation.location})
    return jsonify({"error": body}), code


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


def operation(operation_id: str, **options: Any) -> Callable[[View], View]:
    """Serve one operation of the document: its path and method, its parameters checked first.

    The check runs inside the view, under the rate limits that ratelimits.py wraps around it,
    so refused requests count against the budget like any other.
    """
    spec = contract.operation(operation_id)

    def register(view: View) -> View:
        @wraps(view)
        def checked(**path: str) -> Any:
            with _language():
                violation = contract.check(spec, contract.raw_query(request.query_string), path)
                if violation is not None:
                    return error(400, violation.message, violation)
                return view(**path)

        methods = [spec.method]
        api_bp.add_url_rule(spec.rule, operation_id, checked, methods=methods, **options)
        return checked

    return register


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


@operation("search")
def search() -> Any:
    """Semantic search: {"query", "results": [{"kind", "id", "title", "url", "score"}]}."""
    # The contract has checked q, kind and limit: a query with more than spaces, known
    # kinds, a limit from 1 to 50.
    query = " ".join(request.args["q"].split())
    kinds = access.parse_kinds(request.args.get("kind")) or access.QUERY_KINDS
    limit = int(request.args.get("limit", DEFAULT_LIMIT))
    hits = service.search(query, viewer(), kinds, limit)
    locale = current_locale()
    return jsonify({"query": query, "results": [present.hit_json(h, locale) for h in hits]})


def _needs_login() -> tuple[Response, int] | None:
    if not viewer().is_authenticated:
        return error(401, _message(401))
    return None


def _limit() -> int:
    # Checked by the contract: a whole number from 1 to MAX_LIMIT.
    return int(request.args.get("limit", DEFAULT_MATCH_LIMIT))


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
    lists = service.for_profile_by_kind(profile, viewer(), limit=_limit())
    for kind, key in (("opening", "openings"), ("challenge", "challenges")):
        body[key] = [v.as_json() for v in present.match_views(lists[kind], external=True)]
    merged = [*lists["opening"], *lists["challenge"]]
    merged.sort(key=lambda pair: (-pair[0].score, pair[0].kind, pair[0].record_id))
    body["matches"] = [v.as_json() for v in present.match_views(merged[: _limit()], external=True)]
    return jsonify(body)


def _opening_matches(record_id: int) -> Any:
    opening = access.post_for_matching(Opening, record_id, viewer())
    service.sync(("opening",))
    views = present.match_views(service.for_opening(opening, viewer(), _limit()), external=True)
    return jsonify({"kind": "opening", "id": opening.id, "matches": [v.as_json() for v in views]})


def _challenge_matches(record_id: int) -> Any:
    challenge = access.post_for_matching(Challenge, record_id, viewer())
    service.sync(("challenge",))
    solvers = service.for_challenge(challenge, viewer(), _limit())
    views = present.match_views([*solvers.organizations, *solvers.people], external=True)
    views.sort(key=lambda v: (-v.score, v.kind, v.id))
    team = present.team_view(solvers.team, solvers.team_records, external=True)
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
    similar = service.more_like_this(kind, record, viewer(), _limit())
    views = present.match_views(similar, external=True)
    return jsonify({"kind": kind, "id": record.id, "matches": [v.as_json() for v in views]})


# merge_slashes=False: a kind containing "/" (".../matches/0%2F/1") would otherwise get the
# router's HTML 308 to a merged path, which no API client expects; it is simply not found.
@operation("matches", merge_slashes=False)
def matches(kind: str, record_id: str) -> Any:
    """Explained matches of one record, for those who may ask about it."""
    # Strings in the rule, checked by the contract, so "abc" gets this API's JSON 400, not
    # an HTML 404. An id of more digits than any record has is simply not found.
    number = access.parse_id(record_id)
    if number is None:
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


@operation("openapi")
def openapi() -> Response:
    """The OpenAPI 3.1 description of this API."""
    server = request.host_url.rstrip("/") + api_bp.url_prefix
    return jsonify(document(server, current_app.config["SESSION_COOKIE_NAME"]))


@operation("index")
def index() -> Response:
    """Where to start: the endpoints and their description."""
    return jsonify(
        {
            "openapi": url_for("api.openapi", _external=True),
            "search": url_for("api.search", _external=True),
        }
    )
