"""What the public challenge page shows of proposals: the risk level with its safeguards,
and, for the posting organisation's editors, links to compare proposals and to the risk
self-assessment. templates/proposals/_challenge_panel.html calls `proposal_panel(post)`."""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from .. import permissions
from ..models import Challenge
from ..services.procurement import comparison, risk
from . import bp


def panel(post: Challenge) -> dict[str, Any]:
    """The risk level and, for editors, the proposal counts and their links."""
    result = risk.result_of(post)
    editor = permissions.can_edit_post(current_user, post)
    counts = comparison.counts(post) if editor else {}
    return {
        "result": result,
        "due": result is None and bool(getattr(post, "decides_about_people", False)),
        "editor": editor,
        "proposals": sum(n for status, n in counts.items() if status != "withdrawn"),
        "text": risk.text,
    }


@bp.app_context_processor
def _proposal_panel() -> dict[str, Any]:
    return {"proposal_panel": panel}
