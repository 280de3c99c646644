"""Alerts found by matching: new matches, ways back to Mexico, and new candidates.

They search the other way round from the match pages: one FAISS question per *new* record
against the index of the people who could be told (not one per person against all posts),
then each person keeps what scores at least their threshold.

- Matches: a new opening or challenge that fits a person who asked for match alerts.
- Ways back: for people abroad who are open to return, a new opening that is a way home
  (relocation support, remote work for a Mexican team, or a fellowship or research stay).
  In a run where both find the same opening for someone, the ways-back section keeps it.
- Candidates: a person who published (or changed) a profile that fits an opening or a
  challenge; its organisation's owners and editors are told, per post.

Everyone told is a published, consenting person or an active editor, and the digest
re-checks every record for its recipient when it is sent (send.py).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import select

from ...extensions import db
from ...matching import store
from ...models import Challenge, Membership, Opening, Profile, User
from ...models.deliveries import AlertSettings
from .collect import MATCHING_VIEWER, Item, settings_of

DEFAULT_THRESHOLD, WAYS_BACK_THRESHOLD = 60, 45
MATCHES_PER_POST, POSTS_PER_CANDIDATE = 50, 10
ABROAD = ("abroad", "returning")
STAY_KINDS = ("fellowship", "research_position")


Found = dict[int, list[tuple[int, str, Any]]]  # profile id → [(score, kind, post)]


def new_posts(since: datetime) -> list[tuple[str, Any]]:
    """Openings and challenges published since `since` that may be matched."""
    posts: list[tuple[str, Any]] = []
    for kind, model in (("opening", Opening), ("challenge", Challenge)):
        stmt = select(model).where(store.indexable_clause(kind), model.published_at > since)
        posts.extend((kind, post) for post in db.session.scalars(stmt.order_by(model.id)))
    return posts


def _people_for_posts(since: datetime) -> Found:
    """For every new post, the people it fits best (one question per post; the profiles
    themselves are not loaded here, only who and how well)."""
    from ...matching import service
    from ...matching.questions import people_for_post

    found: Found = defaultdict(list)
    posts = new_posts(since)
    anyone = select(Profile.id).where(store.indexable_clause("profile")).limit(1)
    if not posts or db.session.scalar(anyone) is None:
        return found  # nothing new, or nobody to tell: no model is loaded
    # The new posts' own vectors come from their indexes (stored by the embedding job).
    service.sync(("opening", "challenge", "profile", "organization"))
    for kind, post in posts:
        for match in people_for_post(kind, post, MATCHING_VIEWER, MATCHES_PER_POST):
            found[match.record_id].append((match.score, kind, post))
    return found


def _owners(profile_ids: list[int]) -> dict[int, Profile]:
    """The people behind these profiles, by profile id (active accounts only)."""
    if not profile_ids:
        return {}
    stmt = (
        select(Profile).join(Profile.user).where(Profile.id.in_(profile_ids), User.active.is_(True))
    )
    return {profile.id: profile for profile in db.session.scalars(stmt)}


def is_way_back(profile: Profile, kind: str, post: Any) -> bool:
    """Whether a post is a way home for this person (abroad, and open to return or a stay)."""
    if kind != "opening" or profile.diaspora_status not in ABROAD:
        return False
    wants = set(profile.open_to or ())
    returning = profile.diaspora_status == "returning" or "full_return" in wants
    if "visiting_stay" in wants and post.kind in STAY_KINDS:
        return True
    if not returning:
        return False
    return (
        bool(post.relocation_support) or post.remote_policy == "remote" or (post.kind in STAY_KINDS)
    )


def _wants(settings: AlertSettings | None, column: str, default: str) -> str:
    if settings is not None and settings.all_off:
        return "never"
    return getattr(settings, column) if settings is not None else default


def match_and_way_back_items(frequency: str, since: datetime) -> dict[int, list[Item]]:
    """New posts that fit people who asked for match or ways-back alerts this often."""
    found = _people_for_posts(since)
    profiles = _owners(list(found))
    settings = settings_of([profile.user_id for profile in profiles.values()])
    out: dict[int, list[Item]] = {}
    for profile_id, scored in found.items():
        profile = profiles.get(profile_id)
        if profile is None:
            continue
        chosen = settings.get(profile.user_id)
        threshold = chosen.match_threshold if chosen else DEFAULT_THRESHOLD
        back_on = _wants(chosen, "ways_back_frequency", "weekly") == frequency
        matches_on = _wants(chosen, "match_frequency", "weekly") == frequency
        items: list[Item] = []
        ways_back: set[tuple[str, int]] = set()
        ranked = sorted(scored, key=lambda s: (-s[0], s[1], s[2].id))
        for score, kind, post in ranked:
            if back_on and score >= WAYS_BACK_THRESHOLD and is_way_back(profile, kind, post):
                items.append(Item("waysback", kind, post.id, score))
                ways_back.add((kind, post.id))
        for score, kind, post in ranked:
            if matches_on and score >= threshold and (kind, post.id) not in ways_back:
                items.append(Item("matches", kind, post.id, score))
        if items:
            out[profile.user_id] = items
    return out


def _editors(org_ids: set[int]) -> dict[int, list[int]]:
    """Active owners' and editors' user ids, by organisation."""
    if not org_ids:
        return {}
    rows = db.session.execute(
        select(Membership.organization_id, Membership.user_id)
        .join(User, User.id == Membership.user_id)
        .where(Membership.organization_id.in_(org_ids), User.active.is_(True))
    )
    out: dict[int, list[int]] = defaultdict(list)
    for org_id, user_id in rows:
        out[org_id].append(user_id)
    return out


def candidate_items(frequency: str, since: datetime) -> dict[int, list[Item]]:
    """People who published or changed a fitting profile since `since`, for the editors
    of each post they fit (alert "candidates:<kind>:<id>", once per person and post)."""
    from ...matching import service

    stmt = select(Profile).where(store.indexable_clause("profile"), Profile.updated_at > since)
    people = list(db.session.scalars(stmt.order_by(Profile.id)))
    if not people or not db.session.scalar(select(Membership.id).limit(1)):
        return {}
    found: list[tuple[Profile, str, Any, int]] = []
    for profile in people:
        lists = service.for_profile_by_kind(profile, MATCHING_VIEWER, POSTS_PER_CANDIDATE)
        for kind, pairs in lists.items():
            found += [(profile, kind, post, match.score) for match, post in pairs]
    editors = _editors({post.organization_id for _p, _k, post, _s in found})
    settings = settings_of(sorted({uid for ids in editors.values() for uid in ids}))
    out: dict[int, list[Item]] = defaultdict(list)
    for profile, kind, post, score in sorted(found, key=lambda f: -f[3]):
        if score < DEFAULT_THRESHOLD:
            continue
        for user_id in editors.get(post.organization_id, []):
            on = _wants(settings.get(user_id), "candidate_frequency", "daily") == frequency
            if on and user_id != profile.user_id:
                alert = f"candidates:{kind}:{post.id}"
                out[user_id].append(Item(alert, "profile", profile.id, score))
    return dict(out)
