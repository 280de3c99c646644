"""Mail the submitter of a held edit the curator's decision, in the submitter's language.

The same rules as every moderation mail (services/moderation_notify.py, whose delivery and
language helpers it reuses): sent after the commit, inside a request, with only the
record's name, the curator's reason and a link.
"""

from __future__ import annotations

from flask import url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from ..moderation import title_of
from ..moderation_notify import _locale, _send
from .decide import RevisionDecision
from .fields import organization_of


def _message(decision: RevisionDecision, title: str, link: str) -> tuple[str, str]:
    if decision.action == "accepted":
        return (
            _("Your changes to “%(title)s” are published", title=title),
            _(
                "A curator accepted your changes to “%(title)s”: they are now visible in the "
                "directory.\n\n%(link)s",
                title=title,
                link=link,
            ),
        )
    return (
        _("Your changes to “%(title)s” were not published", title=title),
        _(
            "A curator did not accept your changes to “%(title)s”; the approved version stays "
            "public. The reason:\n\n%(reason)s\n\nYou can correct your changes and save them "
            "again:\n%(link)s",
            title=title,
            reason=decision.revision.reason,
            link=link,
        ),
    )


def send_revision_mail(decision: RevisionDecision) -> bool:
    """Mail the person who submitted the edit (if their account still exists and is active)."""
    person = decision.revision.submitted_by
    record = decision.record
    if person is None or not person.active or record is None:
        return False
    org = organization_of(record)
    link = url_for("orgs.manage", org_id=org.id, _external=True)
    locale = _locale(person)
    with force_locale(locale):
        subject, body = _message(decision, title_of(decision.revision.kind, record, locale), link)
    return _send(person.email, subject, body)
