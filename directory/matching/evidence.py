"""Turn a seeker and a target record into ranking Evidence (pure, no database)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..models import utcnow
from .ranking import Evidence

RETURN_WISHES = {"full_return", "visiting_stay"}


def _skills(record: Any) -> frozenset[int]:
    known = getattr(record, "skill_ids", None)  # store.Facts carry them precomputed
    if known is not None:
        return known
    return frozenset(skill.id for skill in getattr(record, "skills", []) or [])


def _age_days(record: Any, now: datetime) -> int | None:
    stamp = getattr(record, "published_at", None) or getattr(record, "updated_at", None)
    return max(0, (now - stamp).days) if stamp else None


def for_post(profile: Any, post: Any, kind: str, semantic: float, lexical: float = 0.0) -> Evidence:
    """A person looking at an opening or challenge (or a post looking at a person)."""
    now = utcnow()
    abroad = profile.country_code not in (None, "", "MX")
    open_to = set(profile.open_to or [])
    return Evidence(
        kind=kind,
        record_id=profile.id if kind == "profile" else post.id,
        semantic=semantic,
        lexical=lexical,
        wanted_skills=_skills(post),
        offered_skills=_skills(profile),
        seeker_state=profile.state_code,
        seeker_abroad=abroad,
        seeker_open_to_return=bool(open_to & RETURN_WISHES)
        or profile.diaspora_status in ("returning",),
        seeker_open_to_relocate="full_return" in open_to,
        target_state=post.state_code,
        remote_policy=getattr(post, "remote_policy", None),
        relocation_support=bool(getattr(post, "relocation_support", False)),
        seeker_seniority=profile.seniority,
        target_seniority=getattr(post, "seniority", None),
        age_days=_age_days(post, now),
    )


def for_solver(
    challenge: Any, solver: Any, kind: str, semantic: float, lexical: float = 0.0
) -> Evidence:
    """An organisation or person that might solve a challenge."""
    return Evidence(
        kind=kind,
        record_id=solver.id,
        semantic=semantic,
        lexical=lexical,
        wanted_skills=_skills(challenge),
        offered_skills=_skills(solver),
        seeker_state=solver.state_code,
        seeker_abroad=getattr(solver, "country_code", "MX") not in (None, "", "MX"),
        target_state=challenge.state_code,
        age_days=None,
    )


def for_similar(source: Any, other: Any, kind: str, semantic: float) -> Evidence:
    """ "More like this": two records of the same kind."""
    return Evidence(
        kind=kind,
        record_id=other.id,
        semantic=semantic,
        wanted_skills=_skills(source),
        offered_skills=_skills(other),
        seeker_state=getattr(source, "state_code", None),
        target_state=getattr(other, "state_code", None),
        age_days=_age_days(other, utcnow()),
    )
