"""A challenge's proposals side by side, as the posting organisation's editors compare them.

One column per proposal that has not been withdrawn: who sends it (and for whom), whether
it counts as a consortium, the partners and team members who confirmed (the others are
only counted: they have not agreed to be named), approach, budget, timeline, links, and
the answer to every safeguard the challenge's risk level calls for (or that a proposer
answered under an earlier level).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import Challenge, Proposal, ResponseStatus
from ...models.proposals import ProposalMember
from ..responses import applicant_name, next_statuses
from . import consortium, risk

FILTERS = (ResponseStatus.RECEIVED, ResponseStatus.SHORTLISTED, ResponseStatus.ACCEPTED,
           ResponseStatus.DECLINED)  # fmt: skip


@dataclass(frozen=True)
class Column:
    """One proposal as the comparison shows it."""

    proposal: Proposal
    name: str
    standing: consortium.Standing
    budget: str
    answers: dict[str, str]
    next: tuple[str, ...]


@dataclass(frozen=True)
class Comparison:
    """The columns, the safeguard rows (code, label) and how many were withdrawn."""

    columns: list[Column]
    safeguards: list[tuple[str, str]]
    withdrawn: int
    total: int


def money(amount: int | None, currency: str) -> str:
    """An amount in the viewer's number format with its currency, or "not given"."""
    if amount is None:
        return _("Not given")
    return _("%(amount)s %(currency)s", amount=format_decimal(amount), currency=currency)


def _proposals(challenge: Challenge) -> list[Proposal]:
    return list(
        db.session.scalars(
            select(Proposal)
            .where(Proposal.challenge_id == challenge.id)
            .options(
                selectinload(Proposal.members).selectinload(ProposalMember.organization),
                selectinload(Proposal.members).selectinload(ProposalMember.user),
                selectinload(Proposal.organization),
                selectinload(Proposal.user),
            )
            .order_by(Proposal.created_at, Proposal.id)
        )
    )


def compare(challenge: Challenge, status: str | None = None) -> Comparison:
    """The challenge's proposals side by side, oldest first, optionally of one status."""
    rows = _proposals(challenge)
    live = [p for p in rows if p.status != ResponseStatus.WITHDRAWN]
    shown = [p for p in live if status is None or p.status == status]
    _version, content = risk.in_force()
    result = risk.result_of(challenge)
    wanted = [(s["code"], risk.text(s, "label")) for s in (result.safeguards if result else [])]
    labels = {s["code"]: risk.text(s, "label") for s in content.get("safeguards") or []}
    codes = {code for code, _label in wanted}
    # Answers given under an earlier level or questionnaire stay visible, after the rest.
    extra = sorted({c for p in shown for c in (p.safeguards or {}) if c not in codes})
    rows_of_safeguards = wanted + [(code, labels.get(code, code)) for code in extra]
    columns = [
        Column(
            proposal=p,
            name=applicant_name(p.user),
            standing=consortium.standing(p),
            budget=money(p.budget_amount, p.budget_currency),
            answers=dict(p.safeguards or {}),
            next=next_statuses(p.status),
        )
        for p in shown
    ]
    return Comparison(columns, rows_of_safeguards, len(rows) - len(live), len(live))


def counts(challenge: Challenge) -> dict[str, Any]:
    """How many proposals a challenge has, by status (withdrawn ones apart)."""
    out: dict[str, Any] = dict.fromkeys((*FILTERS, ResponseStatus.WITHDRAWN), 0)
    for status in db.session.scalars(
        select(Proposal.status).where(Proposal.challenge_id == challenge.id)
    ):
        out[status] = out.get(status, 0) + 1
    return out
