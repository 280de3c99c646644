"""The me blueprint's shared hooks, and my applications and proposals (read-only here)."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from ..extensions import db
from ..models import Application, Challenge, Opening, Proposal, User
from ..permissions import can_view_post
from . import bp


@bp.after_request
def _no_store(response: Response) -> Response:
    """Personal pages must not linger in shared or back-button caches (SECURITY.md row 21)."""
    response.headers["Cache-Control"] = "no-store"
    return response


def my_applications(user: User) -> list[Application]:
    """The user's applications, newest first."""
    return list(
        db.session.scalars(
            select(Application)
            .where(Application.user_id == user.id)
            .options(selectinload(Application.opening).selectinload(Opening.organization))
            .order_by(Application.created_at.desc(), Application.id.desc())
        )
    )


def my_proposals(user: User) -> list[Proposal]:
    """The user's proposals, newest first."""
    return list(
        db.session.scalars(
            select(Proposal)
            .where(Proposal.user_id == user.id)
            .options(
                selectinload(Proposal.challenge).selectinload(Challenge.organization),
                selectinload(Proposal.organization),
            )
            .order_by(Proposal.created_at.desc(), Proposal.id.desc())
        )
    )


@bp.route("/me/activity")
@login_required
def activity() -> str:
    """My applications to openings and proposals to challenges, with the poster's answers."""
    user = current_user._get_current_object()
    return render_template(
        "me/activity.html",
        applications=my_applications(user),
        proposals=my_proposals(user),
        # A post withdrawn since I answered it stays in my list, but without a dead link.
        can_view_post=lambda post: can_view_post(user, post),
    )
