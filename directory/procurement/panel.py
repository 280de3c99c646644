"""What the public challenge and organisation pages show of procurement: the unit, the
questions and answers, following, the stage timeline and the outcome.

public/pages.py calls these so its views stay as they were; every visibility decision is
made by the services (questions.visible_questions, outcomes.visible_awardees, ...).
"""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from .. import permissions
from ..models import Challenge, Organization
from ..orgs.forms import ActionForm
from ..services.procurement import following, outcomes, questions, stages, units
from ..services.procurement.common import is_listed
from .forms import AnswerForm, AskForm, HideForm


def challenge_context(post: Challenge) -> dict[str, Any]:
    """The procurement part of a challenge page, for the viewer."""
    viewer = current_user
    signed_in = bool(viewer.is_authenticated)
    unit = post.unit if post.unit is not None and units.can_view_unit(viewer, post.unit) else None
    outcome = outcomes.outcome_of(post)
    story = outcome.story if outcome is not None else None
    if story is not None and not permissions.can_view_story(viewer, story):
        story = None
    curator = permissions.is_curator(viewer)
    return {
        "unit": unit,
        "questions": questions.visible_questions(post, viewer),
        "ask_form": AskForm() if signed_in else None,
        "ask_refusal": questions.ask_refusal(post, viewer) if signed_in else None,
        "can_answer": permissions.can_edit_post(viewer, post),
        "can_hide": curator or permissions.can_edit_post(viewer, post),
        "answer_form": AnswerForm(),
        "hide_form": HideForm(),
        "action_form": ActionForm(),
        "listed": is_listed(post),
        "following": following.is_following(post, viewer),
        "timeline": stages.timeline(post),
        "can_move": stages.can_move(viewer, post),
        "outcome": outcome,
        "awardees": outcomes.visible_awardees(outcome, viewer) if outcome is not None else [],
        "story": story,
        "can_decide": outcomes.can_decide(viewer, post),
        "hidden_count": questions.hidden_count(post) if curator else 0,
        "viewer_id": viewer.id if signed_in else None,
    }


def organization_units(org: Organization) -> list[Any]:
    """The units an organisation's public page lists."""
    return units.units_of(org) if units.may_have_units(org) else []
