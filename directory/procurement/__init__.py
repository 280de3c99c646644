"""Procurement pages: innovation units, a challenge's questions and answers, followers,
stage history and outcome (services in services/procurement/)."""

from flask import Blueprint

bp = Blueprint("procurement", __name__)

# The modules attach their routes to bp; records teaches notifications our record kinds.
from ..services.procurement import records  # noqa: E402,F401
from . import common, question_routes, stage_routes, unit_routes  # noqa: E402,F401
