"""My profile, my applications and proposals, my contact requests, my saved searches,
my notifications."""

from flask import Blueprint

bp = Blueprint("me", __name__)

# Routes attach themselves to bp: the shared hooks and activity, then one module per noun.
from . import (  # noqa: E402,F401
    alert_routes,
    api_token_routes,
    contact_routes,
    digest_routes,
    notification_routes,
    photo_routes,
    privacy_routes,
    profile_routes,
    routes,
)
