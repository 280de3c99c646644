"""Password hashing and the password policy."""

from __future__ import annotations

from functools import cache
from importlib import resources

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 8
MAX_LENGTH = 128  # bounds the KDF's work on hostile input
# scrypt is werkzeug's default; naming it makes the parameters explicit and rehashable.
HASH_METHOD = "scrypt:32768:8:1"


def hash_method() -> str:
    """Today's parameters: HASH_METHOD, unless the config names others.

    Only the test suite lowers them (PASSWORD_HASH_METHOD, to spare ~0.1 s per hash over
    a thousand tests); the production checks refuse anything cheaper than HASH_METHOD.
    """
    if has_app_context():
        return current_app.config.get("PASSWORD_HASH_METHOD") or HASH_METHOD
    return HASH_METHOD


@cache
def _dummy_hash(method: str) -> str:
    """Verified against when the email is unknown, so both paths cost one KDF run."""
    return generate_password_hash("not-a-real-password", method=method)


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords, lowercased."""
    text = resources.files("directory.data").joinpath("common_passwords.txt").read_text("utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and line[0] != "#"
    )


def password_problems(password: str, *, email: str = "") -> list[str]:
    """Return the reasons a new password is refused (empty when it is acceptable)."""
    problems: list[str] = []
    if len(password) < MIN_LENGTH:
        problems.append(str(_l("Use at least %(n)d characters.", n=MIN_LENGTH)))
    elif len(password) > MAX_LENGTH:
        problems.append(str(_l("Use at most %(n)d characters.", n=MAX_LENGTH)))
    elif password.lower() in common_passwords() or (
        email and password.lower() == email.split("@")[0].lower()
    ):
        problems.append(str(_l("This password is too common; choose another.")))
    return problems


def hash_password(password: str) -> str:
    """Hash a password with salted scrypt."""
    return generate_password_hash(password, method=hash_method())


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Check a password; unknown accounts still pay for one hash so timing stays equal."""
    if len(password) > MAX_LENGTH:
        return False
    dummy = _dummy_hash(hash_method())
    return check_password_hash(stored_hash or dummy, password) and stored_hash is not None


def needs_rehash(stored_hash: str) -> bool:
    """Whether a hash was made with other parameters than today's."""
    return not stored_hash.startswith(hash_method() + "$")
