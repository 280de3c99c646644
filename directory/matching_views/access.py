"""Who may ask which matching question, shared by the pages and the API.

Each loader answers 404 when the viewer may not even know the record exists, and 403 when
the record is public but the question (e.g. "who fits this opening?") is its owners' alone.
"""

from __future__ import annotations

from typing import Any

from flask import abort
from flask_babel import gettext as _

from .. import permissions
from ..extensions import db
from ..matching.service import SEARCH_KINDS
from ..models import Challenge, Opening, Organization, Profile, SuccessStory

MAX_QUERY = 300  # characters of a semantic search query
SIMILAR_KINDS = ("opening", "challenge", "organization", "story")
# Success stories are searchable too: the index holds them and they are public.
QUERY_KINDS = (*SEARCH_KINDS, "story")
SIMILAR_MODELS: dict[str, Any] = {
    "opening": Opening,
    "challenge": Challenge,
    "organization": Organization,
    "story": SuccessStory,
}


MAX_ID = 2**31 - 1  # PostgreSQL INTEGER: a larger id is no record, not a database error


def parse_id(raw: str) -> int | None:
    """A positive database id from a URL segment, or None."""
    if not raw.isascii() or not raw.isdigit() or len(raw) > 12:
        return None
    number = int(raw)
    return number if 0 < number <= MAX_ID else None


def may_match_post(viewer: Any, post: Opening | Challenge) -> bool:
    """Owners and editors of the posting organisation, and curators."""
    return permissions.can_edit_post(viewer, post) or permissions.is_curator(viewer)


def post_for_matching(model: type[Opening] | type[Challenge], post_id: int, viewer: Any) -> Any:
    """An opening or challenge whose matches the viewer may see: 404, then 403."""
    post = db.session.get(model, post_id)
    if post is None or not permissions.can_view_post(viewer, post):
        abort(404)
    if not may_match_post(viewer, post):
        abort(403)
    return post


def record_for_similar(kind: str, record_id: int, viewer: Any) -> Any:
    """A record the viewer may see, for "more like this" (404 otherwise)."""
    model = SIMILAR_MODELS.get(kind)
    record = db.session.get(model, record_id) if model is not None else None
    if record is None:
        abort(404)
    if kind == "organization":
        visible = permissions.can_view_org(viewer, record)
    elif kind == "story":
        visible = permissions.can_view_story(viewer, record)
    else:
        visible = permissions.can_view_post(viewer, record)
    if not visible:
        abort(404)
    return record


def why_no_matches(profile: Profile | None) -> str | None:
    """Why a person gets no matches ("no_profile", "private", "no_consent"), or None."""
    if profile is None:
        return "no_profile"
    if profile.visibility == "private":
        return "private"
    if not profile.matching_consent:
        return "no_consent"
    return None


def why_message(why: str) -> str:
    """The sentence that explains why there are no matches."""
    messages = {
        "no_profile": _(
            "You have no profile yet. Create one and publish it to see openings and "
            "challenges that fit you."
        ),
        "private": _(
            "Your profile is private, so we do not match it with anything. Publish it to see "
            "openings and challenges that fit you."
        ),
        "no_consent": _(
            "You have not agreed to be matched. Allow matching in your profile to see openings "
            "and challenges that fit you."
        ),
    }
    return messages[why]


def query_error(query: str | None) -> str | None:
    """Why a search query cannot be run, in the viewer's language, or None."""
    if query is None or not query.strip():
        return _("Type what you are looking for.")
    if len(query) > MAX_QUERY:
        return _("The search is too long: use at most %(max)d characters.", max=MAX_QUERY)
    return None


def kind_error() -> str:
    """The sentence for an unknown kind of record."""
    return _("Unknown kind of record. Choose one of the options offered.")


def parse_kinds(raw: str | None) -> tuple[str, ...] | None:
    """Kinds from "opening" or "opening,challenge" ("" = every kind); None when unknown."""
    if not raw:
        return QUERY_KINDS
    kinds = tuple(dict.fromkeys(part.strip() for part in raw.split(",") if part.strip()))
    if not kinds or any(kind not in QUERY_KINDS for kind in kinds):
        return None
    return kinds
