"""The me blueprint's shared hooks, my applications and proposals (withdraw one), and the
proposals that name me or my organisations."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from ..extensions import db
from ..models import Application, Challenge, Opening, Proposal, User
from ..permissions import can_view_post
from ..proposals.forms import WithdrawForm
from ..services.engagement import EngagementError
from ..services.procurement import consortium, proposals, risk
from ..services.procurement.comparison import money
from ..web import client_ip
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
                selectinload(Proposal.members),
            )
            .order_by(Proposal.created_at.desc(), Proposal.id.desc())
        )
    )


@bp.route("/me/activity")
@login_required
def activity() -> str:
    """My applications to openings and proposals to challenges, with the poster's answers,
    and the proposals that name me or my organisations."""
    user = current_user._get_current_object()
    mine = my_proposals(user)
    return render_template(
        "me/activity.html",
        applications=my_applications(user),
        proposals=mine,
        # A post withdrawn since I answered it stays in my list, but without a dead link.
        can_view_post=lambda post: can_view_post(user, post),
        can_withdraw=lambda p: proposals.can_withdraw(p, user),
        withdraw_form=WithdrawForm(),
        standing=consortium.standing,
        member_name=consortium.member_name,
        money=money,
        safeguard_label=risk.safeguard_label,
        namings=[
            m for m in consortium.namings_for(user) if can_view_post(user, m.proposal.challenge)
        ],
    )


@bp.post("/me/proposals/<int:proposal_id>/withdraw")
@login_required
def withdraw_proposal(proposal_id: int) -> Response:
    """Take back one of my proposals that the organisation has not decided on yet."""
    proposal = db.session.get(Proposal, proposal_id)
    user = current_user._get_current_object()
    if proposal is None or proposal.user_id != user.id:
        abort(404)
    form = WithdrawForm()
    if form.validate_on_submit():
        try:
            proposals.withdraw(proposal, user, ip=client_ip())
        except EngagementError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(_("Your proposal was withdrawn. The organisation has been told."), "success")
    return redirect(url_for("me.activity"))
