"""Openings and challenges: posting, editing, closing and closing by date."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from ..extensions import db
from ..models import (
    Application,
    Challenge,
    Opening,
    Organization,
    Proposal,
    Status,
    User,
    utcnow,
)
from . import audit
from .orgs import InvalidInput, apply_fields, check_choice, check_state, set_skills
from .skills import resolve_skills

OPENING_FIELDS = (
    "title", "description", "kind", "seniority", "state_code", "city", "remote_policy",
    "relocation_support", "salary_min", "salary_max", "salary_currency", "closes_on",
    "free_skills", "min_degree", "residence", "required_languages", "sponsors_work_permit",
)  # fmt: skip
CHALLENGE_FIELDS = (
    "title", "problem", "desired_outcome", "data_available", "sector", "stage", "eligibility",
    "budget_min", "budget_max", "budget_currency", "state_code", "closes_on", "free_skills",
)  # fmt: skip
MAX_POST_SKILLS, MAX_SKILL_TERM = 30, 80
# Challenges are smart-procurement requests: only buyers (agencies and companies) post them.
CHALLENGE_ORG_KINDS = ("government_agency", "company")
CURRENCIES = ("MXN", "USD")
# Posts that are still "live" in some way and so close by themselves when their date passes.
OPEN_STATUSES = (Status.PUBLISHED, Status.PENDING)

Post = Opening | Challenge


def may_post_challenges(org: Organization) -> bool:
    """Whether an organisation's kind lets it post challenges."""
    return org.kind in CHALLENGE_ORG_KINDS


def _check_range(low: int | None, high: int | None, field: str) -> None:
    for value in (low, high):
        if value is not None and value < 0:
            raise InvalidInput(field, _l("Enter a number of 0 or more."))
    if low is not None and high is not None and high < low:
        raise InvalidInput(field, _l("The maximum cannot be lower than the minimum."))


def _check_closes_on(value: date | None, *, was: date | None = None) -> None:
    if value is None:
        raise InvalidInput("closes_on", _l("This field is required."))
    # An edit may keep the date it already had; a new or changed date must be ahead.
    if value < date.today() and value != was:
        raise InvalidInput("closes_on", _l("The date cannot be in the past."))


def _text(data: Mapping[str, Any], name: str) -> str:
    return (data.get(name) or "").strip()


def post_skills(raw: str | None) -> tuple[list[Any], list[str]]:
    """Vocabulary skills and free-text ones (kept as written, matched by meaning)."""
    found, free = resolve_skills(raw or "")
    if len(found) + len(free) > MAX_POST_SKILLS:
        raise InvalidInput(
            "skills",
            _l("Add at most %(max)d skills; you added %(count)d.", max=MAX_POST_SKILLS,
               count=len(found) + len(free)),
        )  # fmt: skip
    if any(len(term) > MAX_SKILL_TERM for term in free):
        raise InvalidInput(
            "skills", _l("Each skill may have at most %(max)d characters.", max=MAX_SKILL_TERM)
        )
    return found, free


def _requirements(data: Mapping[str, Any]) -> dict[str, Any]:
    """An opening's hard requirements (matching/feasibility.py reads them)."""
    check_choice("min_degree", data.get("min_degree"), "degrees", blank=True)
    residence = data.get("residence") or "any"
    check_choice("residence", residence, "residence")
    languages = list(dict.fromkeys(v for v in data.get("required_languages") or [] if v))
    for value in languages:
        check_choice("required_languages", value, "languages")
    return {
        "min_degree": data.get("min_degree") or None,
        "residence": residence,
        "required_languages": languages,
        "sponsors_work_permit": bool(data.get("sponsors_work_permit")),
    }


def _clean_opening(data: Mapping[str, Any], was: date | None = None) -> dict[str, Any]:
    check_choice("kind", data.get("kind"), "opening_kinds")
    check_choice("seniority", data.get("seniority"), "seniority")
    check_choice("remote_policy", data.get("remote_policy"), "remote_policies")
    check_state("state_code", data.get("state_code"))
    if data.get("salary_currency") not in CURRENCIES:
        raise InvalidInput("salary_currency", _l("Not a valid choice."))
    if not data.get("state_code") and data.get("remote_policy") != "remote":
        raise InvalidInput("state_code", _l("Choose a state, or mark the opening as remote."))
    _check_range(data.get("salary_min"), data.get("salary_max"), "salary_max")
    _check_closes_on(data.get("closes_on"), was=was)
    clean = {name: data.get(name) for name in OPENING_FIELDS}
    clean.update(
        title=_text(data, "title"),
        description=data.get("description") or "",
        city=_text(data, "city"),
        state_code=data.get("state_code") or None,
        relocation_support=bool(data.get("relocation_support")),
        free_skills=post_skills(data.get("skills"))[1],
        **_requirements(data),
    )
    if not clean["title"]:
        raise InvalidInput("title", _l("This field is required."))
    return clean


def _clean_challenge(data: Mapping[str, Any], was: date | None = None) -> dict[str, Any]:
    check_choice("sector", data.get("sector"), "sectors")
    check_choice("stage", data.get("stage"), "stages")
    check_state("state_code", data.get("state_code"))
    if data.get("budget_currency") not in CURRENCIES:
        raise InvalidInput("budget_currency", _l("Not a valid choice."))
    eligibility = [value for value in data.get("eligibility") or [] if value]
    if not eligibility:
        raise InvalidInput("eligibility", _l("Choose at least one."))
    for value in eligibility:
        check_choice("eligibility", value, "eligibility")
    _check_range(data.get("budget_min"), data.get("budget_max"), "budget_max")
    _check_closes_on(data.get("closes_on"), was=was)
    clean = {name: data.get(name) for name in CHALLENGE_FIELDS}
    clean.update(
        title=_text(data, "title"),
        problem=data.get("problem") or "",
        desired_outcome=data.get("desired_outcome") or "",
        data_available=data.get("data_available") or "",
        state_code=data.get("state_code") or None,
        eligibility=eligibility,
        free_skills=post_skills(data.get("skills"))[1],
    )
    if not clean["title"]:
        raise InvalidInput("title", _l("This field is required."))
    return clean


def create_opening(
    org: Organization, data: Mapping[str, Any], *, actor: User, ip: str = ""
) -> Opening:
    """Post an opening for review (pending)."""
    clean = _clean_opening(data)
    skills = post_skills(data.get("skills"))[0]
    opening = Opening(organization=org, status=Status.PENDING, **clean)
    opening.created_by_id = actor.id
    db.session.add(opening)
    opening.skills = skills
    db.session.flush()
    audit.record("opening.created", actor=actor, target_kind="opening", target_id=opening.id, ip=ip)
    return opening


def create_challenge(
    org: Organization, data: Mapping[str, Any], *, actor: User, ip: str = ""
) -> Challenge:
    """Post a challenge for review (pending); only agencies and companies may."""
    if not may_post_challenges(org):
        raise InvalidInput(
            "title", _l("Only government agencies and companies can post challenges.")
        )
    clean = _clean_challenge(data)
    skills = post_skills(data.get("skills"))[0]
    challenge = Challenge(organization=org, status=Status.PENDING, **clean)
    challenge.created_by_id = actor.id
    db.session.add(challenge)
    challenge.skills = skills
    db.session.flush()
    audit.record(
        "challenge.created", actor=actor, target_kind="challenge", target_id=challenge.id, ip=ip
    )
    return challenge


def _save_edit(post: Post, clean: dict[str, Any], data: Mapping[str, Any], fields: tuple[str, ...],
               *, actor: User, ip: str, details: dict[str, Any]) -> list[str]:  # fmt: skip
    skills = post_skills(data.get("skills"))[0]
    changed = apply_fields(post, clean, fields)
    if set_skills(post, skills):
        changed.append("skills")
    if post.status == Status.REJECTED and changed:
        post.status = Status.PENDING  # a corrected post goes back for review
    db.session.flush()
    kind = "opening" if isinstance(post, Opening) else "challenge"
    audit.record(f"{kind}.edited", actor=actor, target_kind=kind, target_id=post.id, ip=ip,
                 changed=changed, **details)  # fmt: skip
    return changed


def clean_edit(post: Post, data: Mapping[str, Any]) -> dict[str, Any]:
    """Validate an edit of a post without saving it: the cleaned values, skills included.

    services/revisions uses it to decide whether an edit may go live or waits for review.
    """
    if isinstance(post, Opening):
        clean = _clean_opening(data, was=post.closes_on)
    else:
        clean = _clean_challenge(data, was=post.closes_on)
    clean["skills"] = post_skills(data.get("skills"))[0]
    return clean


def update_opening(
    opening: Opening, data: Mapping[str, Any], *, actor: User, ip: str = "", **details: Any
) -> list[str]:
    """Apply an edit now (services/revisions decides when); return the changed fields."""
    clean = _clean_opening(data, was=opening.closes_on)
    return _save_edit(opening, clean, data, OPENING_FIELDS, actor=actor, ip=ip, details=details)


def update_challenge(
    challenge: Challenge, data: Mapping[str, Any], *, actor: User, ip: str = "", **details: Any
) -> list[str]:
    """Apply an edit now (services/revisions decides when); return the changed fields."""
    clean = _clean_challenge(data, was=challenge.closes_on)
    return _save_edit(challenge, clean, data, CHALLENGE_FIELDS, actor=actor, ip=ip,
                      details=details)  # fmt: skip


def close_post(post: Post, *, actor: User, ip: str = "") -> bool:
    """Archive a post now; return False when it was already closed."""
    if post.status == Status.ARCHIVED:
        return False
    previous = post.status
    post.status = Status.ARCHIVED
    db.session.flush()
    kind = "opening" if isinstance(post, Opening) else "challenge"
    audit.record(
        f"{kind}.closed", actor=actor, target_kind=kind, target_id=post.id, ip=ip, was=previous
    )
    return True


def archive_expired(today: date | None = None) -> int:
    """Archive published or pending posts whose closing date has passed; return how many."""
    today = today or date.today()
    counts: dict[str, int] = {}
    for name, model in (("openings", Opening), ("challenges", Challenge)):
        result = db.session.execute(
            update(model)
            .where(model.status.in_(OPEN_STATUSES), model.closes_on < today)
            .values(status=Status.ARCHIVED, updated_at=utcnow())
            .execution_options(synchronize_session="fetch")
        )
        counts[name] = result.rowcount or 0  # type: ignore[attr-defined]
    total = sum(counts.values())
    if total:
        audit.record("posts.archived_expired", target_kind="system", today=today.isoformat(),
                     **counts)  # fmt: skip
        db.session.flush()
    return total


def org_posts(org: Organization) -> tuple[list[Opening], list[Challenge]]:
    """An organisation's openings and challenges, newest first."""
    openings = db.session.scalars(
        select(Opening)
        .where(Opening.organization_id == org.id)
        .order_by(Opening.created_at.desc(), Opening.id.desc())
    ).all()
    challenges = db.session.scalars(
        select(Challenge)
        .where(Challenge.organization_id == org.id)
        .order_by(Challenge.created_at.desc(), Challenge.id.desc())
    ).all()
    return list(openings), list(challenges)


def response_counts(org: Organization) -> tuple[dict[int, int], dict[int, int]]:
    """How many applications each opening and proposals each challenge of an org has."""
    applications = db.session.execute(
        select(Application.opening_id, func.count())
        .join(Application.opening)
        .where(Opening.organization_id == org.id)
        .group_by(Application.opening_id)
    ).all()
    proposals = db.session.execute(
        select(Proposal.challenge_id, func.count())
        .join(Proposal.challenge)
        .where(Challenge.organization_id == org.id)
        .group_by(Proposal.challenge_id)
    ).all()
    return {k: v for k, v in applications}, {k: v for k, v in proposals}
