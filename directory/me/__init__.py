"""My profile, my applications and proposals, my contact requests."""

from flask import Blueprint

bp = Blueprint("me", __name__)

from . import routes  # noqa: E402,F401  (routes attach themselves to bp)
