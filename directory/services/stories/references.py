"""Lines of a story form that name organisations and people of the directory.

An organisation is named by the address of its page (/organizations/<slug>, or the full
URL) or by its exact name; a person by the address of their profile (/people/<id>), which
the submitter must be allowed to see. Only published organisations and active members
with a profile that is not private can be named (or the submitter themselves).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ... import permissions
from ...extensions import db
from ...models import Organization, Profile, Status, User
from .errors import StoryError

MAX_NAMED = 10  # per kind: enough for a real project, too few to spam the directory
MAX_REFERENCE = 300
_PERSON = re.compile(r"^/people/(\d{1,9})/?$")
_ORG = re.compile(r"^/organizations/([a-z0-9][a-z0-9-]{0,139})/?$")


def _path(reference: str) -> str | None:
    """The path of a directory address given as a path or an http(s) URL."""
    try:
        parts = urlsplit(reference)
    except ValueError:
        return None
    if parts.scheme and (parts.scheme not in ("http", "https") or not parts.netloc):
        return None
    return parts.path


def _shown(reference: str) -> str:
    return reference[:80]


def resolve_org(reference: str) -> Organization:
    """The published organisation a line names, by address or exact name; refused otherwise."""
    match = _ORG.match(_path(reference) or "")
    if match:
        found = db.session.scalar(select(Organization).where(Organization.slug == match[1]))
        candidates = [found] if found is not None else []
    else:
        candidates = list(
            db.session.scalars(
                select(Organization)
                .where(func.lower(Organization.name) == reference.lower())
                .limit(3)
            )
        )
    live = [
        org for org in candidates if org.status == Status.PUBLISHED and org.merged_into_id is None
    ]
    if len(live) > 1:
        raise StoryError(
            _l("Several organisations are called “%(ref)s”: write the address of its page "
               "instead (for example /organizations/a-name).", ref=_shown(reference)),
            "organizations",
        )  # fmt: skip
    if not live:
        raise StoryError(
            _l("“%(ref)s” is not a published organisation of the directory: write its exact "
               "name or the address of its page (for example /organizations/a-name).",
               ref=_shown(reference)),
            "organizations",
        )  # fmt: skip
    return live[0]


def resolve_person(reference: str, submitter: User) -> User:
    """The member whose profile a line's address names, if the submitter may see it."""
    match = _PERSON.match(_path(reference) or "")
    if match:
        profile = db.session.get(Profile, int(match[1]))
        if (
            profile is not None
            and profile.user.active
            and (
                profile.user_id == submitter.id
                or (
                    permissions.can_view_profile(submitter, profile)
                    and profile.visibility != "private"
                )
            )
        ):
            return profile.user
    raise StoryError(
        _l("“%(ref)s” is not the address of a person's profile in the directory (for "
           "example /people/12).", ref=_shown(reference)),
        "people",
    )  # fmt: skip


def references(lines: list[str], field: str) -> list[str]:
    """The distinct non-blank lines, refused past MAX_NAMED or MAX_REFERENCE characters."""
    refs = [line for line in dict.fromkeys(line.strip() for line in lines) if line]
    if len(refs) > MAX_NAMED:
        raise StoryError(_l("Name at most %(max)d.", max=MAX_NAMED), field)
    if any(len(ref) > MAX_REFERENCE for ref in refs):
        raise StoryError(_l("Each line may have at most %(max)d characters.",
                            max=MAX_REFERENCE), field)  # fmt: skip
    return refs
