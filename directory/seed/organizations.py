"""Add the demo organisations (from institutions.py and firms.py) and their members."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..extensions import db
from ..models import Membership, Organization, OrgRole, Status, User
from .firms import FIRMS
from .institutions import INSTITUTIONS
from .records import OrgSeed

if TYPE_CHECKING:
    from . import DemoSeeder

HISTORY_DAYS = 540  # created_at spreads over about 18 months

ORGANIZATIONS: tuple[OrgSeed, ...] = INSTITUTIONS + FIRMS

# Organisations that get an owner among the seeded people, and the profile kind preferred.
OWNER_KINDS: dict[str, tuple[str, ...]] = {
    "startup": ("founder",),
    "company": ("executive", "product_manager"),
    "ngo": ("executive", "policy_expert"),
    "chamber": ("executive", "policy_expert", "founder"),
    "research_centre": ("researcher",),
    "university": ("researcher",),
    "government_agency": ("policy_expert", "executive"),
}
EXTRA_OWNED = ("cimat", "adip-cdmx", "camara-ia-mx")


def add_organizations(seeder: DemoSeeder) -> None:
    """Add every demo organisation."""
    for seed in ORGANIZATIONS:
        created = seeder.past(HISTORY_DAYS, 30)
        published = "p" not in seed.flags
        published_at = seeder.after(created, 7) if published else None
        org = Organization(
            slug=seed.slug,
            name=seed.name,
            kind=seed.kind,
            description=seed.description,
            website=seed.website,
            sectors=seed.sectors.split(),
            state_code=seed.state_code,
            city=seed.city,
            size=seed.size,
            status=Status.PUBLISHED if published else Status.PENDING,
            verified_at=(
                seeder.after(published_at, 30) if published_at and "v" in seed.flags else None
            ),
            chamber_member="c" in seed.flags,
            created_at=created,
            updated_at=published_at or created,
            published_at=published_at,
            confirmed_at=seeder.after(created),
            skills=seeder.skill_list(seed.skills, 2, 6),
        )
        db.session.add(org)
        seeder.orgs[seed.slug] = org
    db.session.flush()


def add_memberships(seeder: DemoSeeder, users: Sequence[User]) -> int:
    """Give about 25 organisations an owner and some an editor; return how many."""
    owned = [s.slug for s in FIRMS if s.kind in {"startup", "company"}][:20]
    owned += [s.slug for s in FIRMS if s.kind == "ngo"][:2] + list(EXTRA_OWNED)
    local = [u for u in users if u.profile is not None and u.profile.country_code == "MX"]
    taken: set[int] = set()
    count = 0
    for slug in owned:
        org = seeder.orgs[slug]
        owner = _pick(seeder, local, taken, *OWNER_KINDS[org.kind])
        _add_membership(seeder, org, owner, OrgRole.OWNER)
        org.created_by_id = owner.id
        seeder.owners[slug] = owner
        count += 1
    for slug in seeder.rng.sample(owned, 8):
        editor = _pick(seeder, local, taken, "engineer", "data_scientist", "product_manager")
        _add_membership(seeder, seeder.orgs[slug], editor, OrgRole.EDITOR)
        count += 1
    db.session.flush()
    return count


def _pick(seeder: DemoSeeder, people: Sequence[User], taken: set[int], *kinds: str) -> User:
    """Pick a not-yet-used person, preferring the given profile kinds."""
    free = [u for u in people if u.id not in taken]
    preferred = [u for u in free if u.profile is not None and u.profile.kind in kinds]
    user = seeder.rng.choice(preferred or free)
    taken.add(user.id)
    return user


def _add_membership(seeder: DemoSeeder, org: Organization, user: User, role: str) -> None:
    """Add one membership dated after both the organisation and the account."""
    start = max(org.created_at, user.created_at)
    db.session.add(
        Membership(user=user, organization=org, role=role, created_at=seeder.after(start, 60))
    )
