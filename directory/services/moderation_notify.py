"""Tell the people a curator's decision concerns, each in their own language.

Called by the views before they commit (the in-app notification is part of the decision),
inside a request (mail links are absolute URLs). Only the record's name, the curator's
reason and a link go out: no other personal data. Each person's notification settings
decide between the app and the mail (services/notifications).
"""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from ..extensions import db
from ..models import Claim, Organization, OrgRole, User
from . import notifications
from .moderation import POST_KINDS, PROFILE, Decision, title_of
from .moderation_reports import CLAIM_APPROVED

Message = tuple[str, str]  # (subject, body)


def _owners(org: Organization) -> list[User]:
    return [m.user for m in org.memberships if m.role == OrgRole.OWNER and m.user.active]


def recipients(decision: Decision) -> list[User]:
    """Who submitted or answers for the record: owners, the post's author, the person."""
    record = decision.record
    if decision.kind == PROFILE:
        people = [record.user]
    elif decision.kind == "organization":
        people = _owners(record)
    elif decision.kind in POST_KINDS:
        people = _owners(record.organization)
        # The author hears about their own post while they still belong to the organisation.
        author = next(
            (m.user for m in record.organization.memberships if m.user_id == record.created_by_id),
            None,
        )
        if author is not None and author.active:
            people.append(author)
    else:  # stories: their author, when one is known
        author = db.session.get(User, record.created_by_id) if record.created_by_id else None
        people = [author] if author is not None else []
    unique = {person.id: person for person in people if person is not None and person.active}
    return list(unique.values())


def _link(decision: Decision, *, external: bool = True) -> str:
    record = decision.record
    if decision.kind == PROFILE:
        return url_for("me.profile", _external=external)
    if decision.kind == "organization":
        return url_for("orgs.manage", org_id=record.id, _external=external)
    if decision.kind in POST_KINDS:
        return url_for("orgs.manage", org_id=record.organization_id, _external=external)
    return url_for("public.stories", _external=external)


def _message(decision: Decision, title: str, link: str) -> Message:
    reason = decision.reason
    if decision.action == "published":
        return (
            _("“%(title)s” is published", title=title),
            _(
                "A curator published “%(title)s”: it is now visible in the directory.\n\n%(link)s",
                title=title,
                link=link,
            ),
        )
    if decision.action == "rejected":
        return (
            _("“%(title)s” was not published", title=title),
            _(
                "A curator did not publish “%(title)s”. The reason:\n\n%(reason)s\n\n"
                "Correct it and save it to ask for a new review:\n%(link)s",
                title=title,
                reason=reason,
                link=link,
            ),
        )
    if decision.action == "hidden":
        return (
            _("Your profile was hidden from the directory"),
            _(
                "After a report, a curator made your profile private. The reason:\n\n"
                "%(reason)s\n\nYou can correct your profile and publish it again:\n%(link)s",
                reason=reason,
                link=link,
            ),
        )
    return (
        _("“%(title)s” was taken down after a report", title=title),
        _(
            "After a report, a curator took down “%(title)s”. The reason:\n\n%(reason)s\n\n"
            "%(link)s",
            title=title,
            reason=reason,
            link=link,
        ),
    )


def notify_decisions(decisions: list[Decision]) -> int:
    """Tell every person concerned by these decisions; return how many were told.

    Call before the commit: each in-app notification is part of the decision's transaction.
    """
    told = 0
    for decision in decisions:
        link = _link(decision)

        def mail(locale: str, decision: Decision = decision, link: str = link) -> Message:
            return _message(decision, title_of(decision.kind, decision.record, locale), link)

        for person in recipients(decision):
            notifications.notify(
                person,
                notifications.MODERATION,
                record=decision.record,
                params={"action": decision.action, "reason": decision.reason},
                link=_link(decision, external=False),
                email=mail,
            )
            told += 1
    return told


def notify_claim(claim: Claim) -> None:
    """Tell the claimant whether they now manage the organisation, and why not if not.

    Call before the commit, like every notification.
    """
    approved = claim.status == CLAIM_APPROVED
    link = url_for("orgs.manage", org_id=claim.organization_id, _external=True)
    path = url_for("orgs.manage", org_id=claim.organization_id) if approved else None

    def mail(locale: str) -> Message:
        name = claim.organization.name
        if approved:
            return (
                _("You now manage “%(org)s”", org=name),
                _(
                    "A curator approved your request: you are now an owner of “%(org)s” in "
                    "Directorio IA.\n\n%(link)s",
                    org=name,
                    link=link,
                ),
            )
        return (
            _("Your request to manage “%(org)s” was declined", org=name),
            _(
                "A curator declined your request to manage “%(org)s”. The reason:\n\n%(reason)s",
                org=name,
                reason=claim.resolution,
            ),
        )

    notifications.notify(
        claim.user,
        notifications.CLAIM_DECIDED,
        record=claim,
        params={"approved": approved},
        link=path,
        email=mail,
    )
