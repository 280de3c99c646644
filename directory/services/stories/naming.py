"""Who a submitted story names, and their consent (SECURITY.md row 46).

A submitter names organisations and people of the directory by their address
(/organizations/<slug>, /people/<id>) or, for an organisation, by its exact name. Each
named party confirms or declines from a notification: a person for themselves, an
organisation through any of its owners or editors (at once when the submitter is one of
them, or names themselves). A name appears on the story — page, showcase, feed, search —
only once confirmed: a confirmed organisation joins the story's `organizations`, which
every public page already reads; a confirmed person is listed by `confirmed_people`. A
decline, at any time, takes the name off again.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ... import permissions
from ...extensions import db
from ...models import Membership, Organization, OrgRole, SuccessStory, User, utcnow
from ...models.story_submissions import NamingStatus, StoryNaming
from .. import audit, notifications
from ..notifications import kinds
from .errors import StoryError
from .references import references, resolve_org, resolve_person

STORY_NAMING = "story_naming"  # how notifications name these records

Key = tuple[str, int]  # ("org", organization id) or ("user", user id)


def key_of(naming: StoryNaming) -> Key:
    """The named party as a key: ("org", id) or ("user", id)."""
    if naming.organization_id is not None:
        return ("org", naming.organization_id)
    return ("user", int(naming.user_id or 0))


def speaks_for(user: User, naming: StoryNaming) -> bool:
    """Whether the user answers for this named party (the person, or the org's team)."""
    if not getattr(user, "is_authenticated", False):
        return False
    person = naming.user  # the relationship: a naming being built has no ids yet
    if person is not None:
        return person.id == user.id
    return naming.organization is not None and permissions.can_edit_org(user, naming.organization)


def _confirm(naming: StoryNaming, actor: User) -> None:
    naming.status, naming.decided_at, naming.decided_by_id = (
        NamingStatus.CONFIRMED,
        utcnow(),
        actor.id,
    )
    if naming.organization is not None and naming.organization not in naming.story.organizations:
        naming.story.organizations.append(naming.organization)


def _unname(naming: StoryNaming) -> None:
    if naming.organization is not None and naming.organization in naming.story.organizations:
        naming.story.organizations.remove(naming.organization)


def set_namings(
    story: SuccessStory,
    org_lines: list[str],
    person_lines: list[str],
    *,
    submitter: User,
    also: Organization | None = None,
) -> list[StoryNaming]:
    """Make the story name exactly these parties (and `also`, the org it is sent for).

    Parties no longer named are dropped (and taken off the page); a party that declined
    cannot be named again. Returns the new namings that wait for an answer.
    """
    wanted: dict[Key, Organization | User] = {}
    for ref in references(org_lines, "organizations"):
        org = resolve_org(ref)
        wanted[("org", org.id)] = org
    for ref in references(person_lines, "people"):
        person = resolve_person(ref, submitter)
        wanted[("user", person.id)] = person
    if also is not None:
        wanted[("org", also.id)] = also
    existing = {key_of(naming): naming for naming in story.namings}
    for key, party in wanted.items():
        naming = existing.get(key)
        if naming is not None and naming.status == NamingStatus.DECLINED:
            raise StoryError(
                _l("%(name)s declined to be named in this story: take the line out.",
                   name=_party_label(party)),
                "organizations" if key[0] == "org" else "people",
            )  # fmt: skip
    for key, naming in existing.items():
        if key not in wanted and naming.status != NamingStatus.DECLINED:
            _unname(naming)
            story.namings.remove(naming)
    added = []
    for key, party in wanted.items():
        if key in existing:
            continue
        if isinstance(party, Organization):
            naming = StoryNaming(organization=party)
        else:
            naming = StoryNaming(user=party)
        story.namings.append(naming)  # complete before an autoflush can write it
        if speaks_for(submitter, naming):
            _confirm(naming, submitter)  # the submitter answers for this party already
        else:
            added.append(naming)
    return added


def _party_label(party: Organization | User) -> str:
    if isinstance(party, Organization):
        return party.name
    profile = party.profile
    return profile.full_name if profile is not None else str(_l("A member of the directory"))


def party_name(naming: StoryNaming) -> str:
    """The named organisation's name, or the named person's profile name."""
    if naming.organization is not None:
        return naming.organization.name
    if naming.user is not None:
        return _party_label(naming.user)
    return ""


def deciders(naming: StoryNaming) -> list[User]:
    """Who may answer for a named party: the person, or the organisation's team."""
    if naming.user is not None:
        return [naming.user] if naming.user.active else []
    if naming.organization is None:
        return []
    return [
        m.user for m in naming.organization.memberships if m.role in OrgRole.ALL and m.user.active
    ]


def ask_to_confirm(namings: list[StoryNaming]) -> None:
    """Tell every newly named party that they may confirm; call before the commit."""
    db.session.flush()
    for naming in namings:
        link = url_for("showcase.naming_page", naming_id=naming.id)
        what = "organization" if naming.organization_id is not None else "person"
        for person in deciders(naming):
            notifications.notify(person, kinds.STORY_NAMED, record=naming,
                                 params={"for": what}, link=link)  # fmt: skip


def decide(naming: StoryNaming, accept: bool, *, actor: User, ip: str = "") -> bool:
    """Confirm or decline being named (or change one's mind); False when nothing changed."""
    if not speaks_for(actor, naming):
        raise StoryError(_l("Only the person or organisation named may answer."))
    status = NamingStatus.CONFIRMED if accept else NamingStatus.DECLINED
    if naming.status == status:
        return False
    if accept:
        _confirm(naming, actor)
    else:
        naming.status, naming.decided_at, naming.decided_by_id = status, utcnow(), actor.id
        _unname(naming)
    db.session.flush()
    audit.record(f"story_naming.{status}", actor=actor, target_kind="story",
                 target_id=naming.story_id, ip=ip, naming_id=naming.id)  # fmt: skip
    author = (
        db.session.get(User, naming.story.created_by_id) if naming.story.created_by_id else None
    )
    if author is not None and author.id != actor.id:
        notifications.notify(author, kinds.STORY_NAMING_ANSWER, record=naming,
                             params={"answer": status},
                             link=url_for("showcase.mine"))  # fmt: skip
    return True


def namings_for(user: User) -> list[StoryNaming]:
    """Stories that name the user or an organisation they edit, newest first."""
    orgs = select(Membership.organization_id).where(
        Membership.user_id == user.id, Membership.role.in_(OrgRole.ALL)
    )
    rows = db.session.scalars(
        select(StoryNaming)
        .where((StoryNaming.user_id == user.id) | StoryNaming.organization_id.in_(orgs))
        .order_by(StoryNaming.created_at.desc(), StoryNaming.id.desc())
    )
    return [naming for naming in rows if speaks_for(user, naming)]


@dataclass(frozen=True)
class Standing:
    """How many named parties confirmed, wait, or declined."""

    confirmed: int
    waiting: int
    declined: int


def standing(story: SuccessStory) -> Standing:
    """The story's namings counted by answer."""
    statuses = [naming.status for naming in story.namings]
    return Standing(
        confirmed=statuses.count(NamingStatus.CONFIRMED),
        waiting=statuses.count(NamingStatus.WAITING),
        declined=statuses.count(NamingStatus.DECLINED),
    )


@dataclass(frozen=True)
class NamedPerson:
    """A person who confirmed being named: their name, and their page if the viewer may see it."""

    name: str
    url: str | None


def confirmed_people(story: SuccessStory, viewer: object) -> list[NamedPerson]:
    """The people a story may name to this viewer: confirmed, active, with a profile."""
    out = []
    for naming in story.namings:
        person = naming.user
        if naming.status != NamingStatus.CONFIRMED or person is None or not person.active:
            continue
        profile = person.profile
        if profile is None or not profile.full_name.strip():
            continue
        visible = permissions.can_view_profile(viewer, profile)
        url = url_for("public.profile", profile_id=profile.id) if visible else None
        out.append(NamedPerson(profile.full_name, url))
    return sorted(out, key=lambda person: person.name.casefold())


def can_view_naming(user: User, naming: StoryNaming) -> bool:
    """The named party reads the story it is named in, even before it is published."""
    return speaks_for(user, naming)


notifications.register_record(
    STORY_NAMING,
    StoryNaming,
    lambda user, naming: (
        speaks_for(user, naming)
        or (naming.story.created_by_id is not None and naming.story.created_by_id == user.id)
    ),
    lambda naming, user, locale: naming.story.title(locale),
)
