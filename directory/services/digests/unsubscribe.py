"""One-click unsubscribe (RFC 8058): a signed, per-recipient token names what to stop.

The token is the authority (the mail client posts it without a session or a CSRF token),
so it is signed with the app's secret and bound to one person and one alert: "search:<id>"
(that saved search stops mailing), "matches" (match alerts), "waysback" (ways back to
Mexico), "candidates" (new candidates for every post I edit) or "*" (every alert mail).
"""

from __future__ import annotations

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from ...extensions import db
from ...models import User
from ...models.alerts import Frequency, SavedSearch
from ...models.deliveries import AlertSettings
from .. import audit

EVERYTHING = "*"


def _serializer(secret: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt="alerts-unsubscribe")


def make_token(user_id: int, alert: str, secret: str) -> str:
    """A token that unsubscribes this person from this alert ("*": from all)."""
    return _serializer(secret).dumps({"u": user_id, "a": alert})


def read_token(token: str, secret: str) -> tuple[User, str] | None:
    """The person and alert a token names, or None when forged or the account is gone."""
    try:
        data = _serializer(secret).loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    alert = data.get("a")
    user = db.session.get(User, data["u"])
    if user is None or not isinstance(alert, str):
        return None
    return user, alert


def settings_for(user: User) -> AlertSettings:
    """The person's alert settings row, created with the defaults when missing."""
    row = db.session.get(AlertSettings, user.id)
    if row is None:
        row = AlertSettings(user_id=user.id)
        db.session.add(row)
    return row


def unsubscribe(user: User, alert: str, *, ip: str = "") -> None:
    """Stop what the token names, and log it (idempotent: a second click changes nothing)."""
    if alert == EVERYTHING:
        settings_for(user).all_off = True
    elif alert == "matches":
        settings_for(user).match_frequency = Frequency.NEVER
    elif alert == "candidates":
        settings_for(user).candidate_frequency = Frequency.NEVER
    elif alert == "waysback":
        settings_for(user).ways_back_frequency = Frequency.NEVER
    elif alert.startswith("search:") and alert[7:].isdigit():
        saved = db.session.scalar(
            select(SavedSearch).where(
                SavedSearch.id == int(alert[7:]), SavedSearch.user_id == user.id
            )
        )
        if saved is not None:
            saved.frequency = Frequency.NEVER
    audit.record("alerts.unsubscribed", actor=user, target_kind="user", target_id=user.id,
                 ip=ip, alert=alert)  # fmt: skip
