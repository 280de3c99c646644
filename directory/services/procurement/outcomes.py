"""Closing a challenge with an outcome: awarded (to whom), not awarded, or cancelled.

An editor of the posting organisation records the outcome with a note, optionally linked
to a published success story; the challenge closes, the outcome shows on the challenge
and unit pages, and followers and proposers hear of it (the first time only: a later
correction is audited but told to nobody). Awardees are organisations and people picked
from the directory; a person is shown only to those who may see their profile listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ... import permissions
from ...extensions import db
from ...models import Challenge, Organization, Profile, Proposal, Status, SuccessStory, User
from ...models.procurement import ChallengeOutcome, OutcomeAwardee, OutcomeKind
from .. import audit, notifications, posts
from ..notifications import kinds
from ..orgs import InvalidInput
from .common import checked_text, is_listed
from .following import audience
from .people import listable_org, listable_profile

MAX_NOTE, MAX_AWARDEES = 5000, 20


def can_decide(viewer: Any, challenge: Challenge) -> bool:
    """The posting organisation's editors close a public challenge with an outcome."""
    return permissions.can_edit_post(viewer, challenge) and is_listed(challenge)


def outcome_of(challenge: Challenge) -> ChallengeOutcome | None:
    """The challenge's outcome, if it has one."""
    return db.session.scalar(
        select(ChallengeOutcome).where(ChallengeOutcome.challenge_id == challenge.id)
    )


def awardee_key(record: Organization | Profile) -> str:
    """The form value naming an organisation or a person."""
    kind = "organization" if isinstance(record, Organization) else "profile"
    return f"{kind}:{record.id}"


def row_key(row: OutcomeAwardee) -> str:
    """The form value naming a stored awardee."""
    if row.organization_id is not None:
        return f"organization:{row.organization_id}"
    return f"profile:{row.profile_id}"


def _awardee(key: str, challenge: Challenge, actor: User) -> OutcomeAwardee:
    kind, _sep, raw = str(key).partition(":")
    record_id = int(raw) if raw.isdigit() and len(raw) < 10 else None
    refusal = InvalidInput("awardees", _l("Choose organisations and people from the directory."))
    if kind == "organization" and record_id is not None:
        org = db.session.get(Organization, record_id)
        if not listable_org(org) or org.id == challenge.organization_id:
            raise refusal
        return OutcomeAwardee(organization_id=org.id)
    if kind == "profile" and record_id is not None:
        profile = db.session.get(Profile, record_id)
        if not listable_profile(profile, actor):
            raise refusal
        return OutcomeAwardee(profile_id=profile.id)
    raise refusal


def _story(raw: str | int | None) -> SuccessStory | None:
    text = str(raw or "").strip()
    if not text:
        return None
    story = db.session.get(SuccessStory, int(text)) if text.isdigit() and len(text) < 10 else None
    if story is None or story.status != Status.PUBLISHED:
        raise InvalidInput("story", _l("Choose a published success story."))
    return story


def record_outcome(
    challenge: Challenge,
    kind: str | None,
    note: str | None,
    awardees: list[str] | None = None,
    story_id: str | int | None = None,
    *,
    actor: User,
    ip: str = "",
) -> tuple[ChallengeOutcome, bool]:
    """Close the challenge with its outcome (or correct it); return it and whether it is new."""
    if not can_decide(actor, challenge):
        raise InvalidInput(
            "kind", _l("Only the organisation's editors close a published challenge.")
        )
    if kind not in OutcomeKind.ALL:
        raise InvalidInput("kind", _l("Not a valid choice."))
    text = checked_text("note", note, MAX_NOTE, required=False)
    keys = list(dict.fromkeys(awardees or []))
    if len(keys) > MAX_AWARDEES:
        raise InvalidInput("awardees", _l("Name at most %(max)d.", max=MAX_AWARDEES))
    named = [_awardee(key, challenge, actor) for key in keys]
    if kind == OutcomeKind.AWARDED and not named:
        raise InvalidInput("awardees", _l("Choose who the challenge was awarded to."))
    if kind != OutcomeKind.AWARDED and named:
        raise InvalidInput("awardees", _l("Only an awarded challenge names who it was awarded to."))
    story = _story(story_id)
    outcome = outcome_of(challenge)
    first = outcome is None
    if outcome is None:
        outcome = ChallengeOutcome(challenge_id=challenge.id, kind=kind)
        db.session.add(outcome)
    outcome.kind, outcome.note = kind, text
    outcome.story_id = story.id if story is not None else None
    outcome.decided_by_id = actor.id
    outcome.awardees = named
    db.session.flush()
    posts.close_post(challenge, actor=actor, ip=ip)  # no-op when it was already closed
    audit.record("challenge.outcome" if first else "challenge.outcome_edited", actor=actor,
                 target_kind="challenge", target_id=challenge.id, ip=ip, outcome=kind,
                 awardees=keys, story_id=outcome.story_id)  # fmt: skip
    if first:
        link = url_for("public.challenge", challenge_id=challenge.id, _anchor="outcome")
        for person in audience(challenge):
            notifications.notify(
                person,
                kinds.CHALLENGE_NEWS,
                record=challenge,
                params={"action": "outcome", "outcome": kind},
                link=link,
            )
    return outcome, first


@dataclass(frozen=True)
class Awardee:
    """An awardee as a page shows it: an organisation or a person, with its record."""

    kind: str  # organization, profile
    record: Organization | Profile


def visible_awardees(outcome: ChallengeOutcome, viewer: Any) -> list[Awardee]:
    """The awardees the viewer may see (a person only while their profile is listed)."""
    shown = []
    for row in outcome.awardees:
        if row.organization is not None and listable_org(row.organization):
            shown.append(Awardee("organization", row.organization))
        elif row.profile is not None and listable_profile(row.profile, viewer):
            shown.append(Awardee("profile", row.profile))
    return shown


def proposer_candidates(challenge: Challenge, viewer: Any) -> list[Awardee]:
    """Those who proposed, as awardees to pick: their organisations and listed profiles."""
    found: dict[str, Awardee] = {}
    for proposal in db.session.scalars(
        select(Proposal).where(Proposal.challenge_id == challenge.id).order_by(Proposal.id)
    ):
        if proposal.organization is not None and listable_org(proposal.organization):
            found.setdefault(awardee_key(proposal.organization),
                             Awardee("organization", proposal.organization))  # fmt: skip
        profile = proposal.user.profile
        if profile is not None and listable_profile(profile, viewer):
            found.setdefault(awardee_key(profile), Awardee("profile", profile))
    return list(found.values())


def published_stories(locale: str) -> list[SuccessStory]:
    """Published success stories, by title in the viewer's language."""
    stories = db.session.scalars(select(SuccessStory).where(permissions.listed_stories_clause()))
    return sorted(stories, key=lambda s: (s.title(locale).casefold(), s.id))
