"""Sign-up that does not tell who has an account (SECURITY.md row 50).

Whatever the address, the form answers "check your mail". A new address gets an account
that waits for confirmation; an address that already has an account gets a mail telling
its owner so, with a log-in and a reset link; nothing on the page differs. The same
password hash is computed either way, so the answer's timing does not tell either.

Confirming needs the mailed link *and* the password chosen at sign-up. So a stranger who
signs up with someone else's address holds a password without the link, the owner of the
mailbox holds the link without the password, and neither gets an account alone (the owner
can sign up again, which replaces the password, or reset it).
"""

from __future__ import annotations

import hashlib
import secrets
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from ..extensions import db
from ..models import Role, User
from . import audit
from .accounts import AccountError, find_user, normalise_email
from .passwords import hash_password, password_problems, verify_password

CONFIRMATION_MAX_AGE = 3 * 24 * 3600  # seconds a confirmation link stays valid


class SignupResult(StrEnum):
    """What a sign-up did; only the mail sent differs, never the page."""

    CONFIRM = "confirm"  # a new (or still unconfirmed) account: mail a confirmation link
    EXISTING = "existing"  # a confirmed account: mail its owner that it exists


def sign_up(email: str, password: str, *, locale: str | None, ip: str = "") -> tuple[User, str]:
    """Create an account awaiting confirmation, or find the existing one; return it and why.

    Refusals (a malformed address, a weak password) depend only on what was typed, never
    on whether the address has an account.
    """
    address = normalise_email(email)
    problems = password_problems(password, email=address)
    if problems:
        raise AccountError("password", problems[0])
    password_hash = hash_password(password)
    user = find_user(address)
    if user is None:
        user = User(email=address, password_hash=password_hash, locale=locale)
        user.role = Role.MEMBER
        user.awaiting_confirmation = True
        db.session.add(user)
        db.session.flush()
        audit.record("account.signup", actor=user, target_kind="user", target_id=user.id, ip=ip)
        return user, SignupResult.CONFIRM
    if user.awaiting_confirmation:
        # Signing up again replaces the unconfirmed password: the mailbox's owner can always
        # take back an address a stranger signed up with. Older links stop working.
        user.password_hash = password_hash
        user.locale = locale or user.locale
        audit.record("account.signup_repeated", target_kind="user", target_id=user.id, ip=ip)
        return user, SignupResult.CONFIRM
    audit.record("account.signup_existing", target_kind="user", target_id=user.id, ip=ip)
    return user, SignupResult.EXISTING


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt="account-confirm")


def _fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def make_confirmation_token(user: User, secret_key: str) -> str:
    """Sign a confirmation token bound to the current password hash."""
    return _serializer(secret_key).dumps({"uid": user.id, "fp": _fingerprint(user)})


def user_for_confirmation(token: str, secret_key: str) -> User | None:
    """The unconfirmed account a link belongs to, or None when bad, expired or superseded."""
    try:
        data = _serializer(secret_key).loads(token, max_age=CONFIRMATION_MAX_AGE)
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("uid"), int):
        return None
    user = db.session.get(User, data["uid"])
    if user is None or not user.active or not user.awaiting_confirmation:
        return None
    if not secrets.compare_digest(_fingerprint(user), str(data.get("fp", ""))):
        return None
    return user


def confirm(user: User, password: str, *, ip: str = "") -> None:
    """Confirm the account when the password is the one chosen at sign-up."""
    if not verify_password(user.password_hash, password):
        raise AccountError("password", str(_l("This is not the password you chose.")))
    user.awaiting_confirmation = False
    audit.record("account.confirmed", actor=user, target_kind="user", target_id=user.id, ip=ip)
