"""The coalition: membership, working groups and consultations.

Public pages live at /coalicion, /grupos and /consultas; an owner asks to join from the
organisation's manage page; the curators' pages attach to the curation blueprint (its
guard and navigation) from the curation_* modules.
"""

from flask import Blueprint

bp = Blueprint("coalition", __name__)

# The modules attach their routes to bp (and the curation_* ones to the curation blueprint).
from . import (  # noqa: E402,F401
    coalition_routes,
    common,
    consultation_routes,
    curation_consultations,
    curation_groups,
    curation_members,
    group_routes,
)
