"""Home page and language switch."""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from ..extensions import db
from ..models import Challenge, Opening, Organization, Profile, Status, SuccessStory
from ..urls import safe_next
from . import bp

LANG_COOKIE_MAX_AGE = 365 * 24 * 3600


def _published_count(model: type) -> int:
    return (
        db.session.scalar(
            select(func.count()).select_from(model).where(model.status == Status.PUBLISHED)
        )
        or 0
    )


@bp.route("/")
def index() -> str:
    """Say what the directory is, with its headline numbers and featured stories."""
    people = (
        db.session.scalar(
            select(func.count()).select_from(Profile).where(Profile.visibility == "public")
        )
        or 0
    )
    counts = {
        "organizations": _published_count(Organization),
        "openings": _published_count(Opening),
        "challenges": _published_count(Challenge),
        "people": people,
    }
    stories = db.session.scalars(
        select(SuccessStory)
        .where(SuccessStory.status == Status.PUBLISHED, SuccessStory.featured.is_(True))
        .order_by(SuccessStory.published_at.desc())
        .limit(3)
    ).all()
    return render_template("public/index.html", counts=counts, stories=stories)


@bp.route("/language", methods=["POST"])
def set_language() -> Response:
    """Switch the interface language and remember it (cookie, and account if logged in)."""
    language = request.form.get("lang", "")
    target = safe_next(request.form.get("next"), url_for("public.index"))
    # CSRFProtect has already refused a POST without a valid token.
    if language not in current_app.config["LANGUAGES"]:
        return redirect(target)
    if current_user.is_authenticated:
        current_user.locale = language
        db.session.commit()
    response = redirect(target)
    response.set_cookie(
        "lang",
        language,
        max_age=LANG_COOKIE_MAX_AGE,
        samesite="Lax",
        httponly=True,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    return response
