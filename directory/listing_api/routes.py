"""GET /api/v1/organizations, /openings, /challenges, /stories, /people: published records,
public fields, the directory's facets, cursor pagination.

Each view serves one operation of the OpenAPI document (spec.py) in the matching API's way
(matching_views/api.py): routed from the document's path, its parameters checked against
the document before it runs, every error JSON in the document's one Error shape and in the
language of ?lang, the user or the cookie. Order of the checks: a wrong or revoked token
(401), then the parameters (400), then the cursor (400). All of them run inside the view,
under the rate limits ratelimits.py wraps around it, so refused requests count too.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import current_app, jsonify, request, url_for
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from ..extensions import db
from ..matching_views import contract
from ..matching_views.api import _language, error
from ..services import api_tokens
from ..services.opendata import listing
from ..services.opendata.fields import DATASETS, record_json
from . import bp, cursor
from .tokens import presented

View = Callable[..., Any]


def _message(code: int) -> str:
    messages = {
        401: _("The API token is not valid: it is wrong, revoked, or its account is closed."),
        404: _("Not found."),
        405: _("Method not allowed."),
        429: _("Too many requests: wait a moment and try again (see Retry-After)."),
    }
    return messages.get(code, _("Something went wrong."))


def _refuse_token() -> tuple[Response, int, dict[str, str]]:
    body, code = error(401, _message(401))
    # RFC 6750: say which scheme, and that the token itself is what failed.
    return body, code, {"WWW-Authenticate": 'Bearer error="invalid_token"'}


def listing_operation(operation_id: str) -> Callable[[View], View]:
    """Serve one listing operation of the document: token, then parameters, then the view."""
    spec = contract.operation(operation_id)

    def register(view: View) -> View:
        @wraps(view)
        def checked() -> Any:
            with _language():
                token = presented()
                if token.refused:
                    return _refuse_token()
                violation = contract.check(spec, contract.raw_query(request.query_string), {})
                if violation is not None:
                    return error(400, violation.message, violation)
                if token.token is not None and api_tokens.touch(token.token):
                    db.session.commit()
                return view()

        bp.add_url_rule(spec.rule, operation_id, checked, methods=[spec.method])
        return checked

    return register


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> tuple[Response, int]:
    with _language():
        code = exc.code or 500
        return error(code, _message(code))


@bp.errorhandler(Exception)
def _server_error(exc: Exception) -> tuple[Response, int]:
    db.session.rollback()
    current_app.logger.exception("Unhandled listing API error on %s", request.path)
    with _language():
        return error(500, _message(500))


def _bad_cursor() -> tuple[Response, int]:
    message = _("This cursor does not belong to this listing, or it has expired. Start again "
                "from the first page, without a cursor.")  # fmt: skip
    return error(400, message, contract.Violation("cursor", "query", message))


def _listing(dataset: str) -> Any:
    """One page of a dataset: {"items", "next_cursor", "next"}."""
    # The contract has checked every parameter against the document; request.args has
    # them without NUL characters (clean_input.py).
    args = request.args
    after = 0
    if "cursor" in args:
        found = cursor.read(args["cursor"], dataset)
        if found is None:
            return _bad_cursor()
        after = found
    filters = {name: args[name] for name in listing.facets_of(dataset) if name in args}
    limit = int(args.get("limit", listing.DEFAULT_LIMIT))
    page = listing.page(dataset, filters, q=args.get("q", ""), after=after, limit=limit)
    next_cursor = next_url = None
    if page.next_after is not None:
        next_cursor = cursor.make(dataset, page.next_after)
        query = {**args.to_dict(), "cursor": next_cursor}
        next_url = url_for(f"listing_api.{dataset}", _external=True, **query)
    items = [record_json(dataset, record) for record in page.records]
    return jsonify({"items": items, "next_cursor": next_cursor, "next": next_url})


def _view(dataset: str) -> View:
    def view() -> Any:
        return _listing(dataset)

    # Flask-Limiter tells views apart by qualified name: each listing needs its own.
    view.__name__ = view.__qualname__ = dataset
    view.__doc__ = f"GET /api/v1/{dataset}: one page of the listing."
    return view


for _dataset in DATASETS:
    listing_operation(_dataset)(_view(_dataset))
