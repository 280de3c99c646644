"""A proposal that names someone: the named person (or organisation's editors) confirms or
declines; the proposer sees the same page without the buttons."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from .. import permissions
from ..extensions import db
from ..models.proposals import ProposalMember
from ..services.engagement import EngagementError
from ..services.procurement import consortium
from ..services.procurement.comparison import money
from ..web import client_ip
from . import bp
from .forms import MemberAnswerForm


def _member_or_404(member_id: int) -> ProposalMember:
    """A naming the viewer may see (they are named, or they sent the proposal), else 404."""
    member = db.session.get(ProposalMember, member_id)
    user = current_user._get_current_object()
    if member is None or not consortium.can_view(user, member):
        abort(404)
    if not permissions.can_view_post(user, member.proposal.challenge):
        abort(404)
    return member


@bp.route("/proposals/members/<int:member_id>", methods=["GET", "POST"])
@login_required
def member(member_id: int) -> str | Response:
    """Read the proposal that names me (or my organisation), then confirm or decline."""
    record = _member_or_404(member_id)
    user = current_user._get_current_object()
    may_answer = consortium.can_decide(user, record) and consortium.still_open(record.proposal)
    form = MemberAnswerForm()
    if form.validate_on_submit():
        try:
            consortium.decide(record, form.decision.data == "confirm", actor=user, ip=client_ip())
        except EngagementError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            if form.decision.data == "confirm":
                flash(_("Thank you: you confirmed. The organisation can now see your name on "
                        "the proposal."), "success")  # fmt: skip
            else:
                flash(_("You declined. The proposer has been told; your name is not shown."),
                      "success")  # fmt: skip
        return redirect(url_for("proposals.member", member_id=record.id))
    for errors in form.errors.values():
        for error in errors:
            flash(str(error), "error")
    proposal = record.proposal
    return render_template(
        "proposals/member.html",
        member=record,
        proposal=proposal,
        post=proposal.challenge,
        lead=consortium.lead_name(proposal),
        named=consortium.member_name(record),
        money=money,
        may_answer=may_answer and consortium.can_decide(user, record),
        form=form,
    )
