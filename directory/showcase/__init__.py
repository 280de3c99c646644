"""Stories anyone can submit, their confirmations, and the public ecosystem page."""

from flask import Blueprint

bp = Blueprint("showcase", __name__)

# The modules attach their routes to bp.
from . import ecosystem, naming_routes, public, submission_routes  # noqa: E402,F401
