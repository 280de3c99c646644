"""The privacy notice (aviso de privacidad) required by the LFPDPPP, in both languages."""

from __future__ import annotations

from datetime import date

from flask import current_app, render_template

from ..i18n import current_locale
from . import bp


@bp.get("/privacy")
def privacy_notice() -> str:
    """The notice in the viewer's language; the Spanish text is the one that governs."""
    config = current_app.config
    try:
        updated: date | None = date.fromisoformat(str(config["PRIVACY_NOTICE_UPDATED"]))
    except ValueError:
        updated = None
    # Long legal prose lives in one template per language rather than in the gettext
    # catalogue: it is reviewed and changed as a whole document, by a lawyer, not string
    # by string, and a half-translated notice would be worse than none.
    language = "en" if current_locale() == "en" else "es"
    return render_template(
        f"public/privacy_{language}.html",
        controller=config["PRIVACY_CONTROLLER"],
        address=config["PRIVACY_ADDRESS"],
        privacy_email=config["PRIVACY_EMAIL"],
        updated=updated,
    )
