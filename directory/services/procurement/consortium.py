"""The people and organisations a proposal names (consortium partners, team members), and
their consent: each confirms before the posting organisation sees their name.

A proposer names records by their directory address (/people/<id>, /organizations/<slug>).
A person confirms for themselves; an organisation through any of its owners or editors
(at once when the proposer is one of them). A consortium proposal counts as one only while
every partner it names has confirmed; refusals are shown to the proposer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ... import permissions
from ...extensions import db
from ...models import (
    Membership,
    Organization,
    OrgRole,
    Profile,
    Proposal,
    ResponseStatus,
    Status,
    User,
    utcnow,
)
from ...models.proposals import MemberRole, MemberStatus, ProposalMember
from .. import audit, notifications
from ..engagement import EngagementError
from ..notifications import kinds
from ..responses import applicant_name
from . import eligibility

MAX_NAMED = 10  # per role: enough for a real consortium, too few to spam the directory
_PERSON = re.compile(r"^/people/(\d{1,9})/?$")
_ORG = re.compile(r"^/organizations/([a-z0-9][a-z0-9-]{0,139})/?$")
PROPOSAL_MEMBER = "proposal_member"  # how notifications name these records


def _path(reference: str) -> str | None:
    """The path of a directory address given as a path or an http(s) URL."""
    value = reference.strip()
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme and (parts.scheme not in ("http", "https") or not parts.netloc):
        return None
    return parts.path


def resolve(reference: str, proposer: User) -> Profile | Organization:
    """The person or organisation a directory address names, if the proposer may name it."""
    path = _path(reference) or ""
    person, org = _PERSON.match(path), _ORG.match(path)
    shown = reference.strip()[:80]
    if person:
        profile = db.session.get(Profile, int(person.group(1)))
        if (
            profile is not None
            and profile.user.active
            and permissions.can_view_profile(proposer, profile)
            and profile.visibility != "private"
        ):
            return profile
    elif org:
        found = db.session.scalar(select(Organization).where(Organization.slug == org.group(1)))
        if found is not None and found.status == Status.PUBLISHED and found.merged_into_id is None:
            if not eligibility.may_join_consortium("organization", found.kind):
                raise EngagementError(
                    _l("%(org)s cannot take part: government agencies, NGOs and chambers do "
                       "not propose solutions here.", org=found.name), "partners",
                )  # fmt: skip
            return found
    raise EngagementError(
        _l("“%(ref)s” is not the address of a published person or organisation in the "
           "directory (for example /people/12 or /organizations/a-name).", ref=shown),
        "partners",
    )  # fmt: skip


def name_members(proposal: Proposal, references: list[str], role: str, proposer: User) -> int:
    """Add the records named for a role to a new proposal; return how many were named."""
    field = "partners" if role == MemberRole.PARTNER else "team"
    refs = [r for r in dict.fromkeys(r.strip() for r in references) if r]
    if len(refs) > MAX_NAMED:
        raise EngagementError(_l("Name at most %(max)d.", max=MAX_NAMED), field)
    seen = {("user", proposer.id)}
    if proposal.organization_id is not None:
        seen.add(("org", proposal.organization_id))
    seen |= {("user", m.user_id) for m in proposal.members if m.user_id}
    seen |= {("org", m.organization_id) for m in proposal.members if m.organization_id}
    named = 0
    for ref in refs:
        try:
            record = resolve(ref, proposer)
        except EngagementError as exc:
            raise EngagementError(exc.message, field) from exc
        key = ("user", record.user_id) if isinstance(record, Profile) else ("org", record.id)
        if record is proposal.challenge.organization or key in seen:
            continue  # the proposer, their organisation, the agency itself, or a repeat
        seen.add(key)
        member = ProposalMember(role=role)
        if isinstance(record, Profile):
            member.user_id = record.user_id
        else:
            member.organization = record
            if permissions.can_edit_org(proposer, record):
                # The proposer speaks for this organisation too: nothing to confirm.
                member.status, member.decided_at = MemberStatus.CONFIRMED, utcnow()
                member.decided_by_id = proposer.id
        proposal.members.append(member)
        named += 1
    return named


def ask_to_confirm(proposal: Proposal) -> None:
    """Tell every named person (or organisation's team) still to confirm; call before commit."""
    db.session.flush()
    for member in proposal.members:
        if member.status != MemberStatus.PENDING:
            continue
        link = url_for("proposals.member", member_id=member.id)
        for person in deciders(member):
            notifications.notify(person, kinds.PROPOSAL_MEMBER, record=member,
                                 params={"role": member.role}, link=link)  # fmt: skip


def deciders(member: ProposalMember) -> list[User]:
    """Who may confirm for a named record: the person, or the organisation's team."""
    if member.user is not None:
        return [member.user]
    if member.organization is None:
        return []
    return [m.user for m in member.organization.memberships if m.role in OrgRole.ALL]


def can_decide(user: User, member: ProposalMember) -> bool:
    """Whether the user confirms or declines for this named record."""
    if not getattr(user, "is_authenticated", False):
        return False
    if member.user_id is not None:
        return member.user_id == user.id
    return member.organization is not None and permissions.can_edit_org(user, member.organization)


def can_view(user: User, member: ProposalMember) -> bool:
    """The named party and the proposer see a naming; nobody else does."""
    return can_decide(user, member) or (
        getattr(user, "is_authenticated", False) and member.proposal.user_id == user.id
    )


def still_open(proposal: Proposal) -> bool:
    """Whether the named parties may still change their answer (not decided, not withdrawn)."""
    return proposal.status in (ResponseStatus.RECEIVED, ResponseStatus.SHORTLISTED)


def decide(member: ProposalMember, accept: bool, *, actor: User, ip: str = "") -> None:
    """Confirm or decline a naming (or change one's mind while the proposal is open)."""
    if not can_decide(actor, member):
        raise EngagementError(_l("Only the person or organisation named may answer."))
    if not still_open(member.proposal):
        raise EngagementError(_l("This proposal has been decided or withdrawn: nothing to "
                                 "answer any more."))  # fmt: skip
    status = MemberStatus.CONFIRMED if accept else MemberStatus.DECLINED
    if member.status == status:
        return
    member.status, member.decided_at, member.decided_by_id = status, utcnow(), actor.id
    db.session.flush()
    audit.record(f"proposal_member.{status}", actor=actor, target_kind="proposal",
                 target_id=member.proposal_id, ip=ip, member_id=member.id)  # fmt: skip
    notifications.notify(member.proposal.user, kinds.PROPOSAL_MEMBER_ANSWER,
                         record=member, params={"answer": status},
                         link=url_for("me.activity"))  # fmt: skip


def lead_name(proposal: Proposal) -> str:
    """Who sends a proposal: their profile name, and the organisation they propose for."""
    person = applicant_name(proposal.user)
    if proposal.organization is None:
        return person
    return str(_l("%(person)s, for %(org)s", person=person, org=proposal.organization.name))


def member_name(member: ProposalMember) -> str:
    """The named person's profile name, or the organisation's name."""
    if member.organization is not None:
        return member.organization.name
    profile = member.user.profile if member.user is not None else None
    return profile.full_name if profile is not None else str(_l("A member of the directory"))


@dataclass(frozen=True)
class Standing:
    """A proposal's named records as a reader may see them."""

    confirmed: list[ProposalMember]  # named: they agreed
    waiting: int  # not named: still to confirm
    declined: int  # not named to the organisation; the proposer sees who
    consortium: str | None  # None (not sent as one), "confirmed", "pending", "declined"


def standing(proposal: Proposal) -> Standing:
    """Who confirmed, how many wait or declined, and whether it counts as a consortium."""
    members = list(proposal.members)
    partners = [m for m in members if m.role == MemberRole.PARTNER]
    state = None
    if proposal.consortium:
        if any(m.status == MemberStatus.DECLINED for m in partners):
            state = MemberStatus.DECLINED
        elif partners and all(m.status == MemberStatus.CONFIRMED for m in partners):
            state = MemberStatus.CONFIRMED
        else:
            state = MemberStatus.PENDING
    return Standing(
        confirmed=[m for m in members if m.status == MemberStatus.CONFIRMED],
        waiting=sum(m.status == MemberStatus.PENDING for m in members),
        declined=sum(m.status == MemberStatus.DECLINED for m in members),
        consortium=state,
    )


def namings_for(user: User) -> list[ProposalMember]:
    """Proposals that name the user or an organisation they edit, newest first."""
    orgs = select(Membership.organization_id).where(
        Membership.user_id == user.id, Membership.role.in_(OrgRole.ALL)
    )
    rows = db.session.scalars(
        select(ProposalMember)
        .where((ProposalMember.user_id == user.id) | ProposalMember.organization_id.in_(orgs))
        .order_by(ProposalMember.created_at.desc(), ProposalMember.id.desc())
    )
    return [m for m in rows if can_decide(user, m)]


def _visible(user: User, member: ProposalMember) -> bool:
    return can_view(user, member) and permissions.can_view_post(user, member.proposal.challenge)


notifications.register_record(
    PROPOSAL_MEMBER, ProposalMember, _visible, lambda m, user, locale: m.proposal.challenge.title
)
