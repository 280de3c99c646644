"""Tell the submitter of a held edit the curator's decision, in the submitter's language.

The same rules as every moderation notification (services/moderation_notify.py): written
before the commit, inside a request, with only the record's name, the curator's reason and
a link; the submitter's notification settings choose between the app and the mail.
"""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from .. import notifications
from ..moderation import title_of
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


def notify_revision(decision: RevisionDecision) -> bool:
    """Tell the person who submitted the edit (if their account still exists and is active).

    Call before the commit: the in-app notification is part of the decision's transaction.
    """
    person = decision.revision.submitted_by
    record = decision.record
    if person is None or record is None:
        return False
    org = organization_of(record)
    link = url_for("orgs.manage", org_id=org.id, _external=True)

    def mail(locale: str) -> tuple[str, str]:
        return _message(decision, title_of(decision.revision.kind, record, locale), link)

    row = notifications.notify(
        person,
        notifications.REVISION_DECIDED,
        record=decision.revision,
        params={"action": decision.action},
        link=url_for("orgs.manage", org_id=org.id),
        email=mail,
    )
    return row is not None
