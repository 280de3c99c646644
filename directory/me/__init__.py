"""My profile, my applications and proposals, my contact requests."""

from flask import Blueprint

bp = Blueprint("me", __name__)

# Routes attach themselves to bp: the shared hooks and activity, then one module per noun.
from . import contact_routes, privacy_routes, profile_routes, routes  # noqa: E402,F401
