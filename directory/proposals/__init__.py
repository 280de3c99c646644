"""Proposal pages: structured proposals and consortia, the side-by-side comparison, the
risk self-assessment and the public challenge portfolio."""

from flask import Blueprint

bp = Blueprint("proposals", __name__)

# The modules attach their routes to bp.
