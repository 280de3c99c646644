"""Organisations: creation, members, openings, challenges and the responses they get."""

from flask import Blueprint

bp = Blueprint("orgs", __name__)

# The view modules attach their routes to bp; routes.py holds their shared helpers.
from . import logo_routes, member_routes, org_routes, post_routes, response_routes, routes  # noqa: E402,F401
