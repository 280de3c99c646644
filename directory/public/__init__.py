"""Public pages: home, language switch and (later) the directory itself."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from . import routes  # noqa: E402,F401  (routes attach themselves to bp)
