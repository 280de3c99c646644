"""Safe redirect targets."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit


def safe_next(target: str | None, fallback: str = "/") -> str:
    """Return `target` only if it is a path on this site, else `fallback`.

    Browsers treat backslashes as slashes and drop tabs and newlines, so "/\\evil.com" or
    "/\\t/evil.com" become "//evil.com": any of those characters, or a scheme or host, fails.
    """
    if not target or len(target) > 2000:
        return fallback
    # Check the decoded path too: "/%09/evil.com" is one unquote away from "/\t/evil.com".
    for form in (target, unquote(target.partition("?")[0])):
        if any(ch == "\\" or ord(ch) < 0x21 or ord(ch) == 0x7F for ch in form):
            return fallback
        if form.startswith("//"):
            return fallback
    if not target.startswith("/") or target.startswith("//"):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return fallback
    return target
