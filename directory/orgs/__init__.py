"""Organisations: creation, members, openings, challenges and the responses they get."""

from flask import Blueprint

bp = Blueprint("orgs", __name__)

from . import routes  # noqa: E402,F401  (routes attach themselves to bp)
