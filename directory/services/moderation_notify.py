"""Mail the people a curator's decision concerns, each in their own language.

Called by the views after the commit, inside a request (links are absolute URLs). Only
the record's name, the curator's reason and a link go out: no other personal data.
"""

from __future__ import annotations

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from ..extensions import db
from ..mail import send_mail
from ..models import Claim, Organization, OrgRole, User
from .moderation import POST_KINDS, PROFILE, Decision, title_of
from .moderation_reports import CLAIM_APPROVED


def _send(to: str, subject: str, body: str) -> bool:
    """Send one mail; a mail server that is down must not undo or hide a committed decision."""
    try:
        send_mail(to, subject, body)
    except OSError:  # smtplib's errors are OSErrors too
        current_app.logger.warning("Could not mail a moderation decision", exc_info=True)
        return False
    return True


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


def _link(decision: Decision) -> str:
    record = decision.record
    if decision.kind == PROFILE:
        return url_for("me.profile", _external=True)
    if decision.kind == "organization":
        return url_for("orgs.manage", org_id=record.id, _external=True)
    if decision.kind in POST_KINDS:
        return url_for("orgs.manage", org_id=record.organization_id, _external=True)
    return url_for("public.stories", _external=True)


def _locale(user: User) -> str:
    return user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]


def _message(decision: Decision, title: str, link: str) -> tuple[str, str]:
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


def send_decision_mails(decisions: list[Decision]) -> int:
    """Mail every person concerned by these decisions; return how many mails went out."""
    sent = 0
    for decision in decisions:
        link = _link(decision)
        for person in recipients(decision):
            locale = _locale(person)
            with force_locale(locale):
                title = title_of(decision.kind, decision.record, locale)
                subject, body = _message(decision, title, link)
            sent += _send(person.email, subject, body)
    return sent


def send_claim_mail(claim: Claim) -> None:
    """Tell the claimant whether they now manage the organisation, and why not if not."""
    user = claim.user
    if not user.active:
        return
    name = claim.organization.name
    with force_locale(_locale(user)):
        if claim.status == CLAIM_APPROVED:
            link = url_for("orgs.manage", org_id=claim.organization_id, _external=True)
            subject = _("You now manage “%(org)s”", org=name)
            body = _(
                "A curator approved your request: you are now an owner of “%(org)s” in "
                "Directorio IA.\n\n%(link)s",
                org=name,
                link=link,
            )
        else:
            subject = _("Your request to manage “%(org)s” was declined", org=name)
            body = _(
                "A curator declined your request to manage “%(org)s”. The reason:\n\n%(reason)s",
                org=name,
                reason=claim.resolution,
            )
    _send(user.email, subject, body)
