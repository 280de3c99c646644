"""Text helpers: sanitised Markdown, search normalisation, slugs, safe links."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

import markdown as md
import nh3
from markupsafe import Markup

# What user Markdown may produce: text formatting, lists, quotes, code and links.
ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "code", "pre",
    "a", "h3", "h4", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
LINK_REL = "nofollow noopener ugc"


def render_markdown(text: str | None) -> Markup:
    """Render user Markdown to HTML with only safe tags and http(s)/mailto links."""
    html = md.markdown(text or "", extensions=["sane_lists"], output_format="html")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel=LINK_REL,
    )
    # nh3 has sanitised it: only the allowed tags, attributes and URL schemes are left.
    return Markup(clean)  # noqa: S704  # nosec B704


def fold(text: str | None) -> str:
    """Lower-case and strip accents so "Visión" and "vision" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", stripped.casefold()).strip()


def slugify(text: str, max_length: int = 120) -> str:
    """Make an ASCII, hyphen-separated slug."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    return slug[:max_length].strip("-") or "item"


def is_http_url(value: str) -> bool:
    """Whether a string is an absolute http(s) URL with a host."""
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in value.strip()
