"""The web face of matching: my matches, candidates, solvers, "more like this", semantic
search, and the JSON API that answers the same questions under the same rules."""

from flask import Blueprint

bp = Blueprint("matches", __name__)
api_bp = Blueprint("api", __name__, url_prefix="/api/v1")

# The view modules attach their routes to the blueprints.
from . import actions, api, from_match, routes  # noqa: E402,F401
