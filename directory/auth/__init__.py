"""Sign up, log in and out, password reset and the account page."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from . import routes, signup_routes  # noqa: E402,F401  (routes attach themselves to bp)
