"""The "Why this matches you" box on an opening or challenge opened from a match card.

The card's link carries only a marker (?from=matches); the fit and the reasons are worked
out here for the logged-in person, never read from the URL. Anonymous visitors get
nothing, so the page they get is the same whatever the marker (and the page cache may
keep it); a logged-in request is never cached (page_cache._anonymous_request).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import request
from flask_login import current_user

from .. import reasons
from ..i18n import current_locale
from ..matching import questions, visibility
from ..matching.documents import document_text
from ..services import match_feedback
from . import access, bp, present, wording

MARKER = "matches"


@bp.app_template_global("match_why")
def match_why(kind: str, post: Any) -> present.MatchView | None:
    """This person's match with the post, when they arrived from a match, else None."""
    if request.args.get("from") != MARKER or kind not in ("opening", "challenge"):
        return None
    if not current_user.is_authenticated:
        return None
    user = current_user._get_current_object()
    profile = user.profile
    if access.why_no_matches(profile) is not None:
        return None
    # The same rule as the lists: a post the person may not be offered is not explained.
    if not visibility.visible_ids(kind, [post.id], user):
        return None
    match = questions.pair_for_profile(profile, [(kind, post)]).get((kind, post.id))
    if match is None:
        return None
    locale = current_locale()
    skills = reasons.load_skills(reasons.reason_skill_ids([match]))
    view = present.match_view(
        match, post, skills, locale, seeker_text=document_text("profile", profile)
    )
    mark = match_feedback.marks_of(user).get((kind, post.id))
    return replace(view, saved=bool(mark and mark.saved))


# The fit's meaning, for the badges' tooltips and the help text of every matching page.
bp.add_app_template_global(wording.fit_help, "fit_help")
