"""Following a challenge, and who hears of its news (answers, stages, outcome)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ...extensions import db
from ...models import Challenge, Organization, Status, User
from ...models.procurement import ChallengeFollower, ChallengeQuestion
from .common import is_listed, proposer_ids, team_ids


class FollowError(ValueError):
    """A challenge that cannot be followed (not public)."""


def is_following(challenge: Challenge, user: User | None) -> bool:
    """Whether the user follows the challenge."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    found = db.session.scalar(
        select(ChallengeFollower.id).where(
            ChallengeFollower.challenge_id == challenge.id, ChallengeFollower.user_id == user.id
        )
    )
    return found is not None


def follow(challenge: Challenge, user: User) -> bool:
    """Follow a public challenge; False when the user already followed it."""
    if not is_listed(challenge):
        raise FollowError("not listed")
    if is_following(challenge, user):
        return False
    db.session.add(ChallengeFollower(challenge_id=challenge.id, user_id=user.id))
    try:
        db.session.flush()
    except IntegrityError:  # a double click racing the check above
        db.session.rollback()
        return False
    return True


def unfollow(challenge: Challenge, user: User) -> bool:
    """Stop following; False when the user did not follow it."""
    row = db.session.scalar(
        select(ChallengeFollower).where(
            ChallengeFollower.challenge_id == challenge.id, ChallengeFollower.user_id == user.id
        )
    )
    if row is None:
        return False
    db.session.delete(row)
    db.session.flush()
    return True


def followed(user: User) -> list[Challenge]:
    """The public challenges the user follows, newest follow first."""
    return list(
        db.session.scalars(
            select(Challenge)
            .join(ChallengeFollower, ChallengeFollower.challenge_id == Challenge.id)
            .where(
                ChallengeFollower.user_id == user.id,
                Challenge.status.in_((Status.PUBLISHED, Status.ARCHIVED)),
                Challenge.organization.has(Organization.status == Status.PUBLISHED),
            )
            .order_by(ChallengeFollower.created_at.desc(), ChallengeFollower.id.desc())
        )
    )


def follower_ids(challenge: Challenge) -> set[int]:
    """The people who follow the challenge."""
    return set(
        db.session.scalars(
            select(ChallengeFollower.user_id).where(ChallengeFollower.challenge_id == challenge.id)
        )
    )


def asker_ids(challenge: Challenge) -> set[int]:
    """The people who asked a question about the challenge (hidden questions do not count)."""
    return set(
        db.session.scalars(
            select(ChallengeQuestion.asker_id).where(
                ChallengeQuestion.challenge_id == challenge.id,
                ChallengeQuestion.hidden_at.is_(None),
            )
        )
    )


def audience(challenge: Challenge, *, askers: bool = False) -> list[User]:
    """Who hears of a challenge's news: followers and proposers (and askers, for answers).

    The posting organisation's own team is left out: they made the news.
    """
    ids = follower_ids(challenge) | proposer_ids(challenge)
    if askers:
        ids |= asker_ids(challenge)
    ids -= team_ids(challenge.organization)
    if not ids:
        return []
    return list(db.session.scalars(select(User).where(User.id.in_(ids)).order_by(User.id)))
