"""The listing API (/api/v1/organizations, /openings, ...), API tokens and open data."""

from flask import Blueprint

bp = Blueprint("listing_api", __name__, url_prefix="/api/v1")

# The modules attach their routes to bp.
