"""Password hashing and the password policy."""

from __future__ import annotations

from functools import cache
from importlib import resources

from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 8
MAX_LENGTH = 128  # bounds the KDF's work on hostile input
# scrypt is werkzeug's default; naming it makes the parameters explicit and rehashable.
HASH_METHOD = "scrypt:32768:8:1"

# Verified against when the email is unknown, so both paths cost one KDF run.
_DUMMY_HASH = generate_password_hash("not-a-real-password", method=HASH_METHOD)


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
    return generate_password_hash(password, method=HASH_METHOD)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Check a password; unknown accounts still pay for one hash so timing stays equal."""
    if len(password) > MAX_LENGTH:
        return False
    return check_password_hash(stored_hash or _DUMMY_HASH, password) and stored_hash is not None


def needs_rehash(stored_hash: str) -> bool:
    """Whether a hash was made with other parameters than today's."""
    return not stored_hash.startswith(HASH_METHOD + "$")
