"""Merge a duplicate organisation or challenge into the record kept.

Everything that hangs off the duplicate moves to the record kept, the duplicate is
archived with `merged_into_id` set (its public page answers 301 to the kept one, see
public/pages.py), and one audit event says what moved. The caller commits, so a failure
anywhere leaves both records as they were. Archiving drops the duplicate's vectors in the
same flush (matching/store.py), so it leaves search and matches at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, insert, select, update

from ..extensions import db
from ..models import (
    Challenge,
    Claim,
    Invitation,
    Organization,
    OrgRole,
    Proposal,
    Report,
    Status,
    User,
    utcnow,
)
from ..models.stories import story_organizations
from . import audit
from .orgs import InvalidInput

# Blank fields of the record kept are filled from the duplicate.
FILLED_ORG_FIELDS = ("description", "website", "city", "state_code", "size")
FILLED_CHALLENGE_FIELDS = ("problem", "desired_outcome", "data_available", "sector", "state_code")
_ROLE_RANK = {OrgRole.OWNER: 2, OrgRole.EDITOR: 1}


@dataclass
class MergePlan:
    """What a merge would move, for the confirmation page."""

    openings: int = 0
    challenges: int = 0
    members: int = 0
    stories: int = 0
    proposals: int = 0
    claims: int = 0


def check(keep: Any, drop: Any) -> None:
    """Refuse a merge of a record with itself or with one already merged away."""
    if keep.id == drop.id:
        raise InvalidInput("keep", _l("A record cannot be merged with itself."))
    for record in (keep, drop):
        if record.merged_into_id is not None or record.status == Status.ARCHIVED:
            raise InvalidInput("keep", _l("An archived or merged record cannot be merged."))


def _ids(stmt: Any) -> list[int]:
    return list(db.session.scalars(stmt))


def _story_ids(org_id: int) -> list[int]:
    return _ids(
        select(story_organizations.c.story_id).where(
            story_organizations.c.organization_id == org_id
        )
    )


def org_plan(drop: Organization) -> MergePlan:
    """Counts of what would move from an organisation."""
    return MergePlan(
        openings=len(drop.openings),
        challenges=len(drop.challenges),
        members=len(drop.memberships),
        stories=len(_story_ids(drop.id)),
        proposals=len(_ids(select(Proposal.id).where(Proposal.organization_id == drop.id))),
        claims=len(_ids(select(Claim.id).where(Claim.organization_id == drop.id))),
    )


def challenge_plan(drop: Challenge) -> MergePlan:
    """Counts of what would move from a challenge."""
    return MergePlan(
        proposals=len(_ids(select(Proposal.id).where(Proposal.challenge_id == drop.id)))
    )


def _fill_blanks(keep: Any, drop: Any, names: Sequence[str]) -> list[str]:
    filled = []
    for name in names:
        if not getattr(keep, name) and getattr(drop, name):
            setattr(keep, name, getattr(drop, name))
            filled.append(name)
    return filled


def _take_status(keep: Any, drop: Any) -> bool:
    """A published duplicate keeps the merged record public: the curator chose it."""
    if drop.status == Status.PUBLISHED and keep.status != Status.PUBLISHED:
        keep.status = Status.PUBLISHED
        keep.published_at = drop.published_at or utcnow()
        return True
    return False


def _move_members(keep: Organization, drop: Organization) -> list[int]:
    """Move memberships; a person in both keeps the higher role (one row per person)."""
    existing = {m.user_id: m for m in keep.memberships}
    moved = []
    for membership in list(drop.memberships):
        mine = existing.get(membership.user_id)
        if mine is None:
            membership.organization = keep
        else:
            if _ROLE_RANK.get(membership.role, 0) > _ROLE_RANK.get(mine.role, 0):
                mine.role = membership.role
            db.session.delete(membership)
        moved.append(membership.user_id)
    return moved


def _move_stories(keep: Organization, drop: Organization) -> list[int]:
    stories = _story_ids(drop.id)
    already = set(_story_ids(keep.id))
    table = story_organizations
    missing = [story_id for story_id in stories if story_id not in already]
    if missing:
        db.session.execute(
            insert(table), [{"story_id": s, "organization_id": keep.id} for s in missing]
        )
    db.session.execute(delete(table).where(table.c.organization_id == drop.id))
    return stories


def _archive(keep: Any, drop: Any, model: type) -> None:
    drop.status = Status.ARCHIVED
    drop.merged_into_id = keep.id
    drop.moderated_at = utcnow()
    # Records merged into the duplicate earlier now point straight at the one kept.
    db.session.execute(
        update(model).where(model.merged_into_id == drop.id).values(merged_into_id=keep.id)
    )


def merge_organizations(
    keep: Organization, drop: Organization, *, actor: User, ip: str = ""
) -> dict[str, Any]:
    """Move everything of `drop` to `keep` and archive `drop`; return what moved."""
    check(keep, drop)
    openings = [o.id for o in drop.openings]
    for opening in list(drop.openings):
        opening.organization = keep
    challenges = [c.id for c in drop.challenges]
    for challenge in list(drop.challenges):
        challenge.organization = keep
    members = _move_members(keep, drop)
    db.session.flush()  # deleted memberships go before the stories' bulk statements
    stories = _move_stories(keep, drop)
    proposals = _ids(select(Proposal.id).where(Proposal.organization_id == drop.id))
    claims = _ids(select(Claim.id).where(Claim.organization_id == drop.id))
    for model in (Proposal, Claim, Invitation):
        db.session.execute(
            update(model)
            .where(model.organization_id == drop.id)
            .values(organization_id=keep.id)
            .execution_options(synchronize_session=False)
        )
    keep.sectors = list(dict.fromkeys([*(keep.sectors or []), *(drop.sectors or [])]))
    if drop.verified_at and not keep.verified_at:
        keep.verified_at, keep.verified_by_id = drop.verified_at, drop.verified_by_id
    keep.chamber_member = bool(keep.chamber_member or drop.chamber_member)
    moved: dict[str, Any] = {
        "openings": openings,
        "challenges": challenges,
        "members": members,
        "stories": stories,
        "proposals": proposals,
        "claims": claims,
    }
    return _finish("organization", keep, drop, FILLED_ORG_FIELDS, moved, actor, ip)


def merge_challenges(
    keep: Challenge, drop: Challenge, *, actor: User, ip: str = ""
) -> dict[str, Any]:
    """Move the proposals of `drop` to `keep` and archive `drop`; return what moved."""
    check(keep, drop)
    proposals = _ids(select(Proposal.id).where(Proposal.challenge_id == drop.id))
    db.session.execute(
        update(Proposal)
        .where(Proposal.challenge_id == drop.id)
        .values(challenge_id=keep.id)
        .execution_options(synchronize_session=False)
    )
    keep.eligibility = list(dict.fromkeys([*(keep.eligibility or []), *(drop.eligibility or [])]))
    moved: dict[str, Any] = {"proposals": proposals}
    return _finish("challenge", keep, drop, FILLED_CHALLENGE_FIELDS, moved, actor, ip)


def _finish(
    kind: str,
    keep: Any,
    drop: Any,
    fields: Sequence[str],
    moved: dict[str, Any],
    actor: User,
    ip: str,
) -> dict[str, Any]:
    """What every merge ends with: reports follow, skills unite, blanks fill, the status
    is taken over, the duplicate is archived and the whole merge is audited."""
    db.session.execute(
        update(Report)
        .where(Report.target_kind == kind, Report.target_id == drop.id)
        .values(target_id=keep.id)
    )
    keep.skills = list({s.id: s for s in [*keep.skills, *drop.skills]}.values())
    moved["filled"] = _fill_blanks(keep, drop, fields)
    moved["published"] = _take_status(keep, drop)
    _archive(keep, drop, type(keep))
    db.session.flush()
    audit.record(
        f"{kind}.merged",
        actor=actor,
        target_kind=kind,
        target_id=keep.id,
        ip=ip,
        kept_id=keep.id,
        merged_id=drop.id,
        moved=moved,
    )
    return moved
