"""Home page, language switch and the root favicon."""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from flask import current_app, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.wrappers import Response

from .. import permissions
from ..extensions import db
from ..models import Challenge, Opening, Status, SuccessStory
from ..services import search
from ..urls import safe_next
from . import bp

LANG_COOKIE_MAX_AGE = 365 * 24 * 3600


@bp.route("/")
def index() -> str:
    """Say what the directory is, with its headline numbers and featured stories."""
    # The same rules as the directory's listings, so each number matches its browse link.
    counts = {
        "organizations": search.listed_count("organization"),
        "openings": search.listed_count("opening"),
        "challenges": search.listed_count("challenge"),
        "people": search.listed_count("profile"),
    }
    stories = db.session.scalars(
        select(SuccessStory)
        .where(SuccessStory.status == Status.PUBLISHED, SuccessStory.featured.is_(True))
        .order_by(SuccessStory.published_at.desc(), SuccessStory.id.desc())
        .limit(3)
    ).all()
    return render_template(
        "public/index.html",
        counts=counts,
        stories=stories,
        openings=_newest_open(Opening),
        challenges=_newest_open(Challenge),
    )


def _newest_open(model: type[Opening] | type[Challenge], limit: int = 3) -> list[Any]:
    """The newest listed posts still open, with what their cards show, in two queries."""
    today = date.today()
    return list(
        db.session.scalars(
            select(model)
            .where(
                permissions.listed_posts_clause(model),
                or_(model.closes_on.is_(None), model.closes_on >= today),
            )
            .options(joinedload(model.organization), selectinload(model.skills))
            .order_by(model.published_at.desc(), model.id.desc())
            .limit(limit)
        )
    )


@bp.route("/language", methods=["GET", "POST"])
def set_language() -> Response:
    """Switch the interface language and remember it (cookie, and account if logged in)."""
    # A GET (the anonymous visitor's switch) only sets the cookie; a POST, which
    # CSRFProtect has already checked, also saves a member's choice in their account.
    values = request.form if request.method == "POST" else request.args
    language = str(values.get("lang", ""))
    target = safe_next(values.get("next"), url_for("public.index"))
    if language not in current_app.config["LANGUAGES"]:
        return redirect(target)
    if request.method == "POST" and current_user.is_authenticated:
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


@bp.get("/favicon.ico")
def favicon() -> Response:
    """The icon browsers and crawlers ask for at the root (pages also link the SVG)."""
    # Bytes, not a file stream: 4 KB, and no open file left to a client that never reads it.
    data = _favicon_bytes(current_app.static_folder or "static")
    response = Response(data, mimetype="image/vnd.microsoft.icon")
    response.cache_control.public = True
    response.cache_control.max_age = 7 * 24 * 3600
    return response


@cache
def _favicon_bytes(folder: str) -> bytes:
    return (Path(folder) / "favicon.ico").read_bytes()
