"""Applications to openings and proposals for challenges, as the posting organisation sees them."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from ..extensions import db
from ..models import Application, Challenge, Opening, Proposal
from ..services import responses
from ..services.orgs import InvalidInput
from ..services.procurement.comparison import money
from ..web import client_ip
from . import bp
from .post_forms import ResponseForm
from .routes import load_or_404, post_for_editing

Answer = Application | Proposal


def _form_for(record: Answer) -> ResponseForm:
    # One form per row: the prefix keeps field ids unique on the page.
    return ResponseForm(prefix=f"r{record.id}")


def _rows(records: list[Answer]) -> list[dict[str, object]]:
    return [
        {
            "record": record,
            "name": responses.applicant_name(record.user),
            "next": responses.next_statuses(record.status),
            "form": _form_for(record),
        }
        for record in records
    ]


@bp.route("/manage/openings/<int:opening_id>/applications")
@login_required
def responses_opening(opening_id: int) -> str:
    """An opening's applications, for its organisation's owners and editors."""
    opening = post_for_editing(Opening, opening_id)
    return render_template(
        "orgs/responses.html",
        post=opening,
        kind="opening",
        rows=_rows(list(responses.applications_for(opening))),
    )


@bp.route("/manage/challenges/<int:challenge_id>/proposals")
@login_required
def responses_challenge(challenge_id: int) -> str:
    """A challenge's proposals, for its organisation's owners and editors."""
    challenge = post_for_editing(Challenge, challenge_id)
    return render_template(
        "orgs/responses.html",
        post=challenge,
        kind="challenge",
        rows=_rows(list(responses.proposals_for(challenge))),
        money=money,
    )


def _answer(record: Answer, back: str, public_url: str) -> Response:
    form = _form_for(record)
    if form.validate_on_submit():
        try:
            responses.respond(
                record,
                form.status.data or "",
                form.message.data or "",
                actor=current_user,
                ip=client_ip(),
            )
        except InvalidInput as exc:
            db.session.rollback()
            flash(str(exc.message), "error")
        else:
            # Before the commit: the applicant's notification is part of the answer.
            responses.notify_applicant(record, link=public_url)
            db.session.commit()
            flash(_("Saved. We told the applicant."), "success")
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
    return redirect(back)


@bp.route("/manage/applications/<int:application_id>", methods=["POST"])
@login_required
def respond_application(application_id: int) -> Response:
    """Move an application on (received → shortlisted → accepted or declined)."""
    application = load_or_404(Application, application_id)
    post_for_editing(Opening, application.opening_id)
    back = url_for("orgs.responses_opening", opening_id=application.opening_id)
    return _answer(
        application,
        back,
        url_for("public.opening", opening_id=application.opening_id, _external=True),
    )


@bp.route("/manage/proposals/<int:proposal_id>", methods=["POST"])
@login_required
def respond_proposal(proposal_id: int) -> Response:
    """Move a proposal on (received → shortlisted → accepted or declined)."""
    proposal = load_or_404(Proposal, proposal_id)
    post_for_editing(Challenge, proposal.challenge_id)
    back = url_for("orgs.responses_challenge", challenge_id=proposal.challenge_id)
    if request.form.get("return_to") == "compare":  # sent from the side-by-side view
        back = url_for("proposals.compare", challenge_id=proposal.challenge_id)
    return _answer(
        proposal,
        back,
        url_for("public.challenge", challenge_id=proposal.challenge_id, _external=True),
    )
