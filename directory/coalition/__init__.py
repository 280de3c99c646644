"""The coalition: membership, working groups and consultations."""

from flask import Blueprint

bp = Blueprint("coalition", __name__)

# The modules attach their routes to bp.
