"""The listing API (/api/v1/organizations, /openings, ...), API tokens and open data.

Two blueprints: `listing_api` for the JSON API under /api/v1 (JSON errors, no HTML), and
`opendata` for the public pages and files under /datos-abiertos. The second is registered
with the first (web.py registers only `listing_api`). The pages where members make and
revoke their tokens are in the me blueprint (me/api_token_routes.py).
"""

from typing import Any

from flask import Blueprint

bp = Blueprint("listing_api", __name__, url_prefix="/api/v1")
pages_bp = Blueprint("opendata", __name__)


@bp.record_once
def _register_pages(state: Any) -> None:
    state.app.register_blueprint(pages_bp)


# The modules attach their routes to bp and pages_bp.
from . import pages, routes  # noqa: E402,F401
