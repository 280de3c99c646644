"""Procurement pages: innovation units, a challenge's questions and answers, followers,
stage history and outcome (services in services/procurement/)."""

from flask import Blueprint

bp = Blueprint("procurement", __name__)

# The modules attach their routes to bp.
