"""Structured proposals: who may send one (eligibility enforced), what it holds, withdrawal.

A proposal has an approach summary, a budget in MXN or USD, a timeline in weeks, up to
five http(s) links, the consortium partners and team members it names from the directory
(consortium.py), and an answer to each safeguard the challenge's risk level calls for
(risk.py). Eligibility (eligibility.py) decides who sends it: a person in their own name
only when individuals are eligible, an organisation they edit only when its kind is, and a
consortium only when consortia are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import url_for
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ... import permissions, vocab
from ...extensions import db
from ...models import Challenge, Organization, Proposal, ResponseStatus, User, utcnow
from ...models.proposals import MemberRole
from ...text import is_http_url
from .. import audit, notifications
from ..engagement import MAX_MESSAGE, EngagementError, notify_team, proposing_orgs
from ..notifications import kinds
from ..posts import CURRENCIES
from . import consortium, eligibility, risk

MAX_BUDGET = 2_000_000_000
MAX_WEEKS = 520
MAX_LINKS = 5
MAX_LINK = 300
MAX_SAFEGUARD = 3000
OPEN = (ResponseStatus.RECEIVED, ResponseStatus.SHORTLISTED)  # still withdrawable


@dataclass
class Draft:
    """What a proposer sends, as the form read it."""

    approach: str
    budget_amount: int | None
    budget_currency: str
    timeline_weeks: int | None
    organization: Organization | None = None
    links: list[str] = field(default_factory=list)
    consortium: bool = False
    partners: list[str] = field(default_factory=list)  # directory addresses
    team: list[str] = field(default_factory=list)
    safeguards: dict[str, str] = field(default_factory=dict)  # safeguard code → answer


@dataclass(frozen=True)
class Options:
    """The ways a user may propose to a challenge."""

    personal: bool  # in their own name (alone, or leading a consortium)
    orgs: list[Organization]  # organisations they edit that may propose or lead a consortium
    consortium: bool  # the challenge takes consortia
    individuals: bool  # a person may propose alone, not only as a consortium's lead

    @property
    def any(self) -> bool:
        """Whether there is at least one way."""
        return self.personal or bool(self.orgs)


def group_names(challenge: Challenge) -> str:
    """Who the challenge takes proposals from, in the reader's language."""
    return ", ".join(vocab.label("eligibility", g) for g in vocab.ELIGIBILITY
                     if g in eligibility.groups(challenge.eligibility))  # fmt: skip


def options_for(challenge: Challenge, user: User) -> Options:
    """The ways a user may propose: personally, for which organisations, as a consortium."""
    rule = challenge.eligibility
    together = eligibility.consortium_eligible(rule)
    orgs = [
        org
        for org in proposing_orgs(user)
        if org.id != challenge.organization_id
        and (
            eligibility.organization_eligible(rule, org.kind)
            or (together and eligibility.may_join_consortium("organization", org.kind))
        )
    ]
    alone = eligibility.person_eligible(rule)
    return Options(personal=alone or together, orgs=orgs, consortium=together, individuals=alone)


def eligibility_refusal(challenge: Challenge, user: User) -> str | None:
    """Why the user has no eligible way to propose to this challenge, or None."""
    if options_for(challenge, user).any:
        return None
    return str(_l("This challenge only takes proposals from: %(groups)s. You cannot propose "
                  "in your own name, and none of the organisations you edit is of one of "
                  "those kinds.", groups=group_names(challenge)))  # fmt: skip


def _check_lead(challenge: Challenge, user: User, draft: Draft) -> None:
    rule = challenge.eligibility
    org = draft.organization
    if org is not None and not permissions.can_edit_org(user, org):
        raise EngagementError(_l("You can only propose on behalf of your own organisations."),
                              "organization")  # fmt: skip
    if draft.consortium:
        if not eligibility.consortium_eligible(rule):
            raise EngagementError(_l("This challenge does not take proposals from consortia."),
                                  "consortium")  # fmt: skip
        if org is not None and not eligibility.may_join_consortium("organization", org.kind):
            raise EngagementError(_l("%(org)s cannot lead a consortium: government agencies, "
                                     "NGOs and chambers do not propose solutions here.",
                                     org=org.name), "organization")  # fmt: skip
        if not [r for r in draft.partners if r.strip()]:
            raise EngagementError(_l("A consortium names at least one partner besides you: a "
                                     "person or an organisation of the directory."),
                                  "partners")  # fmt: skip
        return
    if org is None and not eligibility.person_eligible(rule):
        raise EngagementError(
            _l("This challenge does not take proposals from individuals in their own name. It "
               "takes them from: %(groups)s.", groups=group_names(challenge)), "organization",
        )  # fmt: skip
    if org is not None and not eligibility.organization_eligible(rule, org.kind):
        raise EngagementError(
            _l("%(org)s is a %(kind)s, and this challenge only takes proposals from: %(groups)s.",
               org=org.name, kind=vocab.label("org_kinds", org.kind),
               groups=group_names(challenge)), "organization",
        )  # fmt: skip


def _check_content(challenge: Challenge, draft: Draft) -> dict[str, str]:
    """Check the structured parts; return the safeguard answers to keep."""
    approach = (draft.approach or "").strip()
    if not approach:
        raise EngagementError(_l("Summarise your approach."), "message")
    if len(approach) > MAX_MESSAGE:
        raise EngagementError(_l("Use at most %(max)d characters.", max=MAX_MESSAGE), "message")
    if draft.budget_amount is None or not 0 <= draft.budget_amount <= MAX_BUDGET:
        most = format_decimal(MAX_BUDGET)
        raise EngagementError(_l("Give a budget between 0 and %(max)s.", max=most),
                              "budget_amount")  # fmt: skip
    if draft.budget_currency not in CURRENCIES:
        raise EngagementError(_l("Not a valid choice."), "budget_currency")
    if draft.timeline_weeks is None or not 1 <= draft.timeline_weeks <= MAX_WEEKS:
        raise EngagementError(_l("Give a timeline between 1 and %(max)d weeks.", max=MAX_WEEKS),
                              "timeline_weeks")  # fmt: skip
    if len(draft.links) > MAX_LINKS:
        raise EngagementError(_l("Add at most %(n)d links.", n=MAX_LINKS), "links")
    for link in draft.links:
        if len(link) > MAX_LINK or not is_http_url(link):
            raise EngagementError(_l("“%(link)s” is not a web address starting with http:// or "
                                     "https://.", link=link[:80]), "links")  # fmt: skip
    answers: dict[str, str] = {}
    for safeguard in required_safeguards(challenge):
        code = safeguard["code"]
        answer = (draft.safeguards.get(code) or "").strip()
        if not answer:
            raise EngagementError(_l("Answer this safeguard: the challenge's risk level calls "
                                     "for it."), f"sg_{code}")  # fmt: skip
        if len(answer) > MAX_SAFEGUARD:
            raise EngagementError(_l("Use at most %(max)d characters.", max=MAX_SAFEGUARD),
                                  f"sg_{code}")  # fmt: skip
        answers[code] = answer
    return answers


def required_safeguards(challenge: Challenge) -> list[dict[str, Any]]:
    """The safeguards proposers must answer (none until the challenge is assessed)."""
    result = risk.result_of(challenge)
    return result.safeguards if result is not None else []


def _active(challenge: Challenge) -> Any:
    return select(Proposal.id).where(
        Proposal.challenge_id == challenge.id, Proposal.status != ResponseStatus.WITHDRAWN
    )


def submit(challenge: Challenge, user: User, draft: Draft, *, ip: str = "") -> Proposal:
    """Record a structured proposal; refuse closed challenges, ineligible proposers, repeats."""
    from ..engagement import propose_refusal  # the closed / own-challenge / eligibility checks

    refusal = propose_refusal(challenge, user)
    if refusal:
        raise EngagementError(refusal)
    _check_lead(challenge, user, draft)
    answers = _check_content(challenge, draft)
    org = draft.organization
    mine = _active(challenge).where(Proposal.user_id == user.id)
    mine = mine.where(Proposal.organization_id.is_(None) if org is None
                      else Proposal.organization_id == org.id)  # fmt: skip
    if db.session.scalar(mine) is not None:
        raise EngagementError(_l("You have already sent this proposal."))
    if org is not None and db.session.scalar(
        _active(challenge).where(Proposal.organization_id == org.id)
    ):
        raise EngagementError(_l("%(org)s has already sent a proposal for this challenge.",
                                 org=org.name), "organization")  # fmt: skip
    proposal = Proposal(
        challenge=challenge, user=user, organization=org, message=draft.approach.strip(),
        budget_amount=draft.budget_amount, budget_currency=draft.budget_currency,
        timeline_weeks=draft.timeline_weeks, links=list(draft.links), safeguards=answers,
        consortium=draft.consortium,
    )  # fmt: skip
    db.session.add(proposal)
    partners = 0
    if draft.consortium:
        partners = consortium.name_members(proposal, draft.partners, MemberRole.PARTNER, user)
        if partners == 0:
            raise EngagementError(_l("A consortium names at least one partner besides you: a "
                                     "person or an organisation of the directory."),
                                  "partners")  # fmt: skip
    team = consortium.name_members(proposal, draft.team, MemberRole.TEAM, user)
    db.session.flush()
    audit.record("proposal.created", actor=user, target_kind="challenge", target_id=challenge.id,
                 ip=ip, proposal_id=proposal.id, organization_id=org.id if org else None,
                 consortium=draft.consortium, partners=partners, team=team)  # fmt: skip
    notify_team(challenge, proposal)
    consortium.ask_to_confirm(proposal)
    return proposal


def can_withdraw(proposal: Proposal, user: User) -> bool:
    """The proposer may take back a proposal the organisation has not decided on."""
    return proposal.user_id == getattr(user, "id", None) and proposal.status in OPEN


def withdraw(proposal: Proposal, user: User, *, ip: str = "") -> None:
    """Withdraw a proposal (audited); the posting organisation's team is told."""
    if proposal.user_id != user.id:
        raise EngagementError(_l("Only the person who sent a proposal may withdraw it."))
    if proposal.status not in OPEN:
        raise EngagementError(_l("This proposal has already been decided or withdrawn."))
    previous = proposal.status
    proposal.status = ResponseStatus.WITHDRAWN
    proposal.withdrawn_at = utcnow()
    db.session.flush()
    audit.record("proposal.withdrawn", actor=user, target_kind="proposal", target_id=proposal.id,
                 ip=ip, was=previous)  # fmt: skip
    link = url_for("orgs.responses_challenge", challenge_id=proposal.challenge_id)
    org = proposal.challenge.organization
    for membership in org.memberships:  # its owners and editors
        notifications.notify(membership.user, kinds.PROPOSAL_WITHDRAWN, record=proposal,
                             link=link)  # fmt: skip
