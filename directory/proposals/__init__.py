"""Proposal pages: structured proposals and consortia, the side-by-side comparison, the
risk self-assessment and the public challenge portfolio."""

from flask import Blueprint, request
from werkzeug.wrappers import Response

bp = Blueprint("proposals", __name__)

# Pages that show proposals or an organisation's own assessment: never kept by a cache.
PRIVATE = {"proposals.compare", "proposals.risk_assessment", "proposals.member"}


@bp.after_request
def _no_store(response: Response) -> Response:
    if request.endpoint in PRIVATE:
        response.headers["Cache-Control"] = "no-store"
    return response


# The modules attach their routes to bp (questionnaire_admin to the curation blueprint,
# under its curators-only guard), and panel.py the challenge page's template helper.
from . import (  # noqa: E402,F401
    compare_routes,
    member_routes,
    panel,
    portfolio_routes,
    questionnaire_admin,
    risk_routes,
)
