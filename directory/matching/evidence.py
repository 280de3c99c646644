"""Turn a seeker and a target record into ranking Evidence (pure, no database).

Records arrive either loaded from the database or as `store.Facts` (the pool of a match
question); both expose the same attribute names.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from ..models import utcnow
from ..services.procurement import eligibility
from . import store
from .ranking import Evidence, SkillKey
from .skillspace import free_key

if TYPE_CHECKING:
    from .skillspace import SkillSpace

RETURN_WISHES = {"full_return", "visiting_stay"}


def skill_keys(record: Any) -> frozenset[SkillKey]:
    """A record's skills: vocabulary ids and free-text skills as written."""
    known = getattr(record, "skill_ids", None)  # store.Facts carry them precomputed
    ids = (
        known
        if known is not None
        else frozenset(skill.id for skill in getattr(record, "skills", []) or [])
    )
    free = frozenset(free_key(str(t)) for t in getattr(record, "free_skills", None) or () if t)
    return frozenset(ids) | free


def _age_days(record: Any, now: datetime) -> int | None:
    stamp = getattr(record, "published_at", None) or getattr(record, "updated_at", None)
    return max(0, (now - stamp).days) if stamp else None


def _strings(record: Any, name: str) -> frozenset[str]:
    return frozenset(getattr(record, name, None) or ())


def _covered(
    space: SkillSpace | None, wanted: frozenset[SkillKey], offered: frozenset[SkillKey]
) -> frozenset[SkillKey] | None:
    return space.covered(wanted, offered) if space is not None else None


def _memberships(profile: Any) -> tuple[frozenset[str], frozenset[int]]:
    """The kinds and ids of a person's organisations (from store.Facts or a loaded record)."""
    kinds = getattr(profile, "member_org_kinds", None)
    if kinds is not None:
        return kinds, getattr(profile, "member_org_ids", frozenset())
    orgs = store.member_orgs(profile)  # the same rule as the facts: published ones only
    return frozenset(o.kind for o in orgs), frozenset(o.id for o in orgs)


def person_may_propose(post: Any, profile: Any) -> bool:
    """In their own name, through an eligible organisation, or in a consortium; never for
    their own organisation's challenge."""
    rule = getattr(post, "eligibility", None)
    kinds, ids = _memberships(profile)
    if getattr(post, "organization_id", None) in ids:
        return False
    if eligibility.person_eligible(rule):
        return True
    if any(eligibility.organization_eligible(rule, kind) for kind in kinds):
        return True
    capable = any(eligibility.may_join_consortium("organization", kind) for kind in kinds)
    return eligibility.consortium_eligible(rule) and capable


def _person(profile: Any) -> dict[str, Any]:
    """What feasibility reads of a person."""
    open_to = _strings(profile, "open_to")
    available = getattr(profile, "available_from", None)
    return {
        "seeker_state": profile.state_code,
        "seeker_abroad": getattr(profile, "country_code", None) not in (None, "", "MX"),
        "seeker_open_to_return": bool(open_to & RETURN_WISHES)
        or getattr(profile, "diaspora_status", None) == "returning",
        "seeker_open_to_relocate": "full_return" in open_to,
        "seeker_seniority": profile.seniority,
        "seeker_open_to": open_to,
        "seeker_work_modes": _strings(profile, "work_modes"),
        "seeker_relocate": getattr(profile, "relocate", None),
        "seeker_degree": getattr(profile, "degree", None),
        "seeker_languages": _strings(profile, "languages"),
        "seeker_needs_permit": bool(getattr(profile, "needs_work_permit", False)),
        "seeker_available_in_days": (available - date.today()).days if available else None,
    }


def for_post(
    profile: Any,
    post: Any,
    kind: str,
    semantic: float,
    lexical: float = 0.0,
    *,
    space: SkillSpace | None = None,
) -> Evidence:
    """A person looking at an opening or challenge (or an opening looking at a person)."""
    post_kind = "opening" if kind == "profile" else kind
    wanted, offered = skill_keys(post), skill_keys(profile)
    is_opening = post_kind == "opening"
    return Evidence(
        kind=kind,
        record_id=profile.id if kind == "profile" else post.id,
        semantic=semantic,
        lexical=lexical,
        wanted_skills=wanted,
        offered_skills=offered,
        covered_skills=_covered(space, wanted, offered),
        target_state=post.state_code,
        remote_policy=getattr(post, "remote_policy", None),
        relocation_support=bool(getattr(post, "relocation_support", False)),
        target_seniority=getattr(post, "seniority", None),
        age_days=_age_days(post, utcnow()),
        post_kind=post_kind,
        opening_kind=getattr(post, "kind", None) if is_opening else None,
        min_degree=getattr(post, "min_degree", None),
        residence=getattr(post, "residence", None) or "any",
        required_languages=_strings(post, "required_languages"),
        sponsors_work_permit=bool(getattr(post, "sponsors_work_permit", False)),
        # A person answers a challenge in their own name or through an eligible organisation.
        eligible=is_opening or person_may_propose(post, profile),
        **_person(profile),
    )


def for_solver(
    challenge: Any,
    solver: Any,
    kind: str,
    semantic: float,
    lexical: float = 0.0,
    *,
    space: SkillSpace | None = None,
) -> Evidence:
    """An organisation or person that might solve a challenge (ineligible ones never rank)."""
    wanted, offered = skill_keys(challenge), skill_keys(solver)
    rule = getattr(challenge, "eligibility", None)
    if kind == "profile":
        who: dict[str, Any] = {**_person(solver), "eligible": person_may_propose(challenge, solver)}
    else:
        who = {
            "seeker_state": solver.state_code,
            "eligible": eligibility.organization_eligible(rule, getattr(solver, "kind", None)),
        }
    return Evidence(
        kind=kind,
        record_id=solver.id,
        semantic=semantic,
        lexical=lexical,
        wanted_skills=wanted,
        offered_skills=offered,
        covered_skills=_covered(space, wanted, offered),
        target_state=challenge.state_code,
        post_kind="challenge",
        **who,
    )


def for_similar(source: Any, other: Any, kind: str, semantic: float) -> Evidence:
    """ "More like this": two records of the same kind."""
    return Evidence(
        kind=kind,
        record_id=other.id,
        semantic=semantic,
        wanted_skills=skill_keys(source),
        offered_skills=skill_keys(other),
        seeker_state=getattr(source, "state_code", None),
        target_state=getattr(other, "state_code", None),
        age_days=_age_days(other, utcnow()),
    )
