"""The records a notification can be about: how to load one, who may see it, its title.

Every check asks the database now, not when the event happened: a notification about an
opening withdrawn since, or a request whose sender deleted their account, shows no title
(SECURITY.md row 42). New domains register their own records (a procurement question,
say) with `register`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ... import permissions
from ...extensions import db
from ...models import (
    Application,
    Challenge,
    Claim,
    ContactRequest,
    Invitation,
    Opening,
    Organization,
    PendingRevision,
    Profile,
    Proposal,
    SuccessStory,
    User,
)


@dataclass(frozen=True)
class RecordType:
    """How notifications treat one kind of record."""

    name: str
    model: type[Any]
    can_see: Callable[[User, Any], bool]
    title: Callable[[Any, User, str], str]


RECORDS: dict[str, RecordType] = {}


def register(
    name: str,
    model: type[Any],
    can_see: Callable[[User, Any], bool],
    title: Callable[[Any, User, str], str],
) -> None:
    """Teach notifications a kind of record: `can_see(user, record)`, `title(record, user,
    locale)`."""
    RECORDS[name] = RecordType(name, model, can_see, title)


def key_of(record: Any) -> tuple[str, int]:
    """The (kind, id) a notification stores for a record instance."""
    for record_type in RECORDS.values():
        if type(record) is record_type.model:
            if record.id is None:
                db.session.flush()  # the event's own new row: give it its id
            return record_type.name, int(record.id)
    raise ValueError(f"notifications do not know records of type {type(record).__name__}")


def load(kind: str | None, record_id: int | None) -> Any:
    """The record a notification is about, or None when it is gone or of an unknown kind."""
    record_type = RECORDS.get(kind or "")
    if record_type is None or record_id is None:
        return None
    return db.session.get(record_type.model, record_id)


def can_see(user: User, kind: str, record: Any, *, as_match: bool = False) -> bool:
    """Whether the user may, right now, read what this record is.

    `as_match` adds matching's own rule for records offered as a match: published and
    listed, and a person only while they consent to being matched (matching/visibility.py).
    """
    record_type = RECORDS.get(kind)
    if record_type is None or record is None or not record_type.can_see(user, record):
        return False
    if as_match:
        from ...matching import store, visibility

        if kind in store.MODELS and not visibility.visible_ids(kind, [record.id], user):
            return False
    return True


def title(user: User, kind: str, record: Any, locale: str) -> str:
    """The record's name as this user reads it (call only after `can_see`)."""
    return str(RECORDS[kind].title(record, user, locale))


# --- the directory's own records ----------------------------------------------------------


def _response_visible(user: User, record: Application | Proposal) -> bool:
    post = record.opening if isinstance(record, Application) else record.challenge
    mine = record.user_id == user.id
    # The applicant while the post is still visible to them; the post's team always.
    return (mine or permissions.can_edit_post(user, post)) and permissions.can_view_post(user, post)


def _other_party(user: User, contact: ContactRequest) -> User:
    return contact.recipient if contact.sender_id == user.id else contact.sender


def _contact_visible(user: User, contact: ContactRequest) -> bool:
    involved = user.id in (contact.sender_id, contact.recipient_id)
    return involved and _other_party(user, contact).active


def _contact_title(contact: ContactRequest, user: User, locale: str) -> str:
    from ..contacts import display_name  # contacts notifies through this package

    return display_name(_other_party(user, contact))


def _revision_record(revision: PendingRevision) -> Any:
    model = {"organization": Organization, "opening": Opening, "challenge": Challenge}.get(
        revision.kind
    )
    return db.session.get(model, revision.record_id) if model is not None else None


def _revision_visible(user: User, revision: PendingRevision) -> bool:
    record = _revision_record(revision)
    if record is None or revision.submitted_by_id != user.id:
        return False
    org = record if isinstance(record, Organization) else record.organization
    return permissions.can_edit_org(user, org)


def _revision_title(revision: PendingRevision, user: User, locale: str) -> str:
    from ..moderation import title_of

    return title_of(revision.kind, _revision_record(revision), locale)


def _invitation_visible(user: User, invitation: Invitation) -> bool:
    return user.email.lower() == invitation.email.lower()


register(
    "organization",
    Organization,
    lambda user, org: permissions.can_view_org(user, org),
    lambda org, user, locale: org.name,
)
register(
    "opening",
    Opening,
    lambda user, post: permissions.can_view_post(user, post),
    lambda post, user, locale: post.title,
)
register(
    "challenge",
    Challenge,
    lambda user, post: permissions.can_view_post(user, post),
    lambda post, user, locale: post.title,
)
register(
    "profile",
    Profile,
    lambda user, profile: permissions.can_view_profile(user, profile),
    lambda profile, user, locale: profile.full_name,
)
register(
    "story",
    SuccessStory,
    lambda user, story: permissions.can_view_story(user, story),
    lambda story, user, locale: story.title(locale),
)
register("application", Application, _response_visible, lambda r, user, locale: r.opening.title)
register("proposal", Proposal, _response_visible, lambda r, user, locale: r.challenge.title)
register("contact_request", ContactRequest, _contact_visible, _contact_title)
register(
    "claim",
    Claim,
    lambda user, claim: (
        claim.user_id == user.id and permissions.can_view_org(user, claim.organization)
    ),
    lambda claim, user, locale: claim.organization.name,
)
register(
    "invitation", Invitation, _invitation_visible, lambda inv, user, locale: inv.organization.name
)
register("revision", PendingRevision, _revision_visible, _revision_title)
