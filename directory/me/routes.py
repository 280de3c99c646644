"""The me blueprint's shared hooks, my applications and proposals (what I sent, its
history, withdrawing one), and the proposals that name me or my organisations."""

from __future__ import annotations

from typing import Any

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
from ..services import responses
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
        can_withdraw_application=lambda a: responses.can_withdraw_application(a, user),
        standing=consortium.standing,
        member_name=consortium.member_name,
        money=money,
        safeguard_label=risk.safeguard_label,
        namings=[
            m for m in consortium.namings_for(user) if can_view_post(user, m.proposal.challenge)
        ],
    )


def _mine(model: type[Application] | type[Proposal], record_id: int) -> Any:
    """One of my applications or proposals; anyone else's (or none) is a 404."""
    record = db.session.get(model, record_id)
    if record is None or record.user_id != current_user.id:
        abort(404)
    return record


@bp.get("/me/applications/<int:application_id>")
@login_required
def sent_application(application_id: int) -> str:
    """Exactly what I sent to an opening, its answers so far and the way to withdraw it."""
    application = _mine(Application, application_id)
    user = current_user._get_current_object()
    return render_template(
        "me/sent_application.html",
        a=application,
        post_visible=can_view_post(user, application.opening),
        history=responses.history(application),
        can_withdraw=responses.can_withdraw_application(application, user),
    )


@bp.get("/me/proposals/<int:proposal_id>")
@login_required
def sent_proposal(proposal_id: int) -> str:
    """Exactly what I proposed (terms, links, safeguards, partners), its answers and history."""
    proposal = _mine(Proposal, proposal_id)
    user = current_user._get_current_object()
    return render_template(
        "me/sent_proposal.html",
        p=proposal,
        post_visible=can_view_post(user, proposal.challenge),
        history=responses.history(proposal),
        can_withdraw=proposals.can_withdraw(proposal, user),
        st=consortium.standing(proposal),
        member_name=consortium.member_name,
        money=money,
        safeguard_label=risk.safeguard_label,
    )


def _confirm_page(kind: str, record: Application | Proposal, allowed: bool) -> str | Response:
    """The confirmation step before a withdrawal (back to the record once it is decided)."""
    detail = url_for(f"me.sent_{kind}", **{f"{kind}_id": record.id})
    if not allowed:
        if kind == "application":
            flash(_("This application has already been decided or withdrawn."), "error")
        else:
            flash(_("This proposal has already been decided or withdrawn."), "error")
        return redirect(detail)
    post = record.opening if isinstance(record, Application) else record.challenge
    return render_template(
        "me/confirm_withdraw.html", kind=kind, record=record, post=post, back=detail,
        form=WithdrawForm(),
    )  # fmt: skip


@bp.get("/me/applications/<int:application_id>/withdraw")
@login_required
def confirm_withdraw_application(application_id: int) -> str | Response:
    """Ask before an application is withdrawn: it cannot be sent again."""
    application = _mine(Application, application_id)
    user = current_user._get_current_object()
    return _confirm_page(
        "application", application, responses.can_withdraw_application(application, user)
    )


@bp.post("/me/applications/<int:application_id>/withdraw")
@login_required
def withdraw_application(application_id: int) -> Response:
    """Take back one of my applications that the organisation has not decided on yet."""
    application = _mine(Application, application_id)
    if WithdrawForm().validate_on_submit():
        try:
            responses.withdraw_application(
                application, current_user._get_current_object(), ip=client_ip()
            )
        except EngagementError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(_("Your application was withdrawn. The organisation has been told."), "success")
    return redirect(url_for("me.sent_application", application_id=application_id))


@bp.get("/me/proposals/<int:proposal_id>/withdraw")
@login_required
def confirm_withdraw_proposal(proposal_id: int) -> str | Response:
    """Ask before a proposal is withdrawn."""
    proposal = _mine(Proposal, proposal_id)
    user = current_user._get_current_object()
    return _confirm_page("proposal", proposal, proposals.can_withdraw(proposal, user))


@bp.post("/me/proposals/<int:proposal_id>/withdraw")
@login_required
def withdraw_proposal(proposal_id: int) -> Response:
    """Take back one of my proposals that the organisation has not decided on yet."""
    proposal = _mine(Proposal, proposal_id)
    user = current_user._get_current_object()
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
    return redirect(url_for("me.sent_proposal", proposal_id=proposal_id))
