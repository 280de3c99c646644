"""`notify`: tell one person about one event, in the app and/or by mail, as they chose.

Called by the service or view that makes the event, *before* it commits: the in-app row is
part of the event's transaction, so an event rolled back leaves no notification behind.
The mail goes through `mail.send_mail`, which (with the job queue) leaves only once the
transaction has committed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urljoin

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import inspect

from ...extensions import db
from ...mail import send_mail
from ...models import Notification, User
from . import records, texts
from .kinds import kind, wants_email, wants_in_app
from .preferences import channel_for

# (locale) -> (subject, body): the event's own mail, built in the recipient's language.
MailBuilder = Callable[[str], tuple[str, str]]
MAX_PARAM = 2_000
Scalar = str | int | float | bool | None


def reachable(user: User | None) -> bool:
    """Whether an account may be told anything: it exists, is active and is not being deleted."""
    if user is None or user.id is None or not user.active:
        return False
    state = inspect(user)
    return not (state.deleted or state.was_deleted)


def _clean_params(params: Mapping[str, Any] | None) -> dict[str, Scalar]:
    """Codes and short values only: the row must stay JSON and never hold a sentence."""
    clean: dict[str, Scalar] = {}
    for key, value in (params or {}).items():
        if not isinstance(value, str | int | float | bool | type(None)):
            raise ValueError(f"notification parameter {key!r} must be a plain value")
        clean[str(key)] = value[:MAX_PARAM] if isinstance(value, str) else value
    return clean


def safe_link(link: str | None) -> str:
    """A path on this site, or "" (never another site: no scheme, no //host, no backslash)."""
    if not link:
        return ""
    if not link.startswith("/") or link.startswith("//") or "\\" in link or len(link) > 500:
        raise ValueError(f"a notification links to a path on this site, not {link!r}")
    return link


def _absolute(link: str) -> str:
    return urljoin(url_for("public.index", _external=True), link) if link else ""


def _locale(user: User) -> str:
    return user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]


def _compose(
    user: User,
    code: str,
    params: dict[str, Scalar],
    record: tuple[str, Any] | None,
    visible: bool,
    link: str,
    email: MailBuilder | None,
) -> tuple[str, str]:
    """The mail in the user's language: the event's own text, or one built from the kind's.

    The event's own text names the record, so it is used only while the user may see it.
    """
    locale = _locale(user)
    with force_locale(locale):
        if email is not None and visible:
            return email(locale)
        title = records.title(user, *record, locale) if visible and record else None
        headline, detail = texts.write(code, params, title, record[1] if record else None)
        settings = _absolute(url_for("me.notification_settings"))
        footer = _("Choose what we tell you and how: %(link)s", link=settings)
        parts = (headline, detail, _absolute(link) if visible else "", footer)
        return headline, "\n\n".join(part for part in parts if part)


def _send(user: User, subject: str, body: str) -> bool:
    """Send one mail; a mail server that is down must not undo or hide the event."""
    try:
        send_mail(user.email, subject, body)
    except OSError:  # smtplib's errors are OSErrors too
        current_app.logger.warning("Could not mail a notification", exc_info=True)
        return False
    return True


def notify(
    user: User | None,
    code: str,
    *,
    record: Any = None,
    params: Mapping[str, Any] | None = None,
    link: str | None = None,
    email: MailBuilder | None = None,
) -> Notification | None:
    """Tell `user` about an event of kind `code`, by the channels they chose; never commits.

    `record` is the row the event is about (its kind and id are stored, its title is read
    when shown), `params` the codes the text needs (a status, a decision, a reason), `link`
    a path on this site, and `email` the event's own mail as ``(locale) -> (subject, body)``
    (without it the mail is built from the notification's text). Returns the in-app row,
    or None when nothing was written (inactive account, channel "none" or e-mail only, or a
    kind such as a match about a record the user may not see).
    """
    spec = kind(code)
    if not reachable(user):
        return None
    assert user is not None  # for the type checker: reachable() refused None
    channel = channel_for(user, code)
    if not (wants_in_app(channel) or wants_email(channel)):
        return None
    clean = _clean_params(params)
    path = safe_link(link)
    record_kind, record_id = records.key_of(record) if record is not None else (None, None)
    visible = record is None or records.can_see(
        user, record_kind or "", record, as_match=spec.needs_visible_record
    )
    if spec.needs_visible_record and not visible:
        return None
    row = None
    if wants_in_app(channel):
        row = Notification(
            user_id=user.id,
            kind=code,
            record_kind=record_kind,
            record_id=record_id,
            params=clean,
            link=path,
        )
        db.session.add(row)
        db.session.flush()
    if wants_email(channel):
        about = (record_kind or "", record) if record is not None else None
        _send(user, *_compose(user, code, clean, about, visible, path, email))
    return row
