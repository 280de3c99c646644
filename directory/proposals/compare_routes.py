"""The posting organisation's side-by-side view of a challenge's proposals."""

from __future__ import annotations

from flask import render_template, request
from flask_login import login_required

from ..models import Challenge
from ..orgs.post_forms import ResponseForm
from ..orgs.routes import post_for_editing
from ..services.procurement import comparison, consortium
from . import bp


@bp.get("/manage/challenges/<int:challenge_id>/compare")
@login_required
def compare(challenge_id: int) -> str:
    """Every proposal in a column: approach, team, budget, timeline, links, safeguards."""
    challenge: Challenge = post_for_editing(Challenge, challenge_id)
    status = request.args.get("status", "")
    chosen = status if status in comparison.FILTERS else None
    result = comparison.compare(challenge, chosen)
    forms = {c.proposal.id: ResponseForm(prefix=f"r{c.proposal.id}") for c in result.columns}
    return render_template(
        "proposals/compare.html",
        post=challenge,
        result=result,
        forms=forms,
        status=chosen,
        filters=comparison.FILTERS,
        counts=comparison.counts(challenge),
        ignored=bool(status) and chosen is None,
        member_name=consortium.member_name,
    )
