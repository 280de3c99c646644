"""Bulk import of organisations from a CSV file (the chamber's member spreadsheet).

The file is UTF-8 (a byte-order mark, as Excel writes it, is fine), comma-, semicolon- or
tab-separated, with a header row naming the columns in English or Spanish (README,
"Importing organisations from CSV"). `parse` checks every row and returns a preview with
the errors of each row; `import_rows` adds all rows or, when any row has an error,
none. Imported organisations are published (a curator imports them) but not verified:
chamber verification stays a separate, dated decision.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select

from ..extensions import db
from ..models import Organization, Status, User, utcnow
from ..text import slugify
from . import audit
from .duplicates import normalise_name
from .org_csv_rows import COLUMNS, CsvRow, RowChecker, header

__all__ = ["COLUMNS", "CsvPreview", "CsvRow", "decode", "import_rows", "parse", "seal", "unseal"]

MAX_BYTES = 1_000_000  # below the app's 2 MB request limit, so the form can say why
MAX_ROWS = 5_000
MAX_SEALED = 450_000  # the confirm form's hidden field must stay under Flask's 500 kB
SEAL_MAX_AGE = 3600  # seconds between preview and confirmation


@dataclass
class CsvPreview:
    """Every row of a file with its errors, and errors of the file as a whole."""

    rows: list[CsvRow] = field(default_factory=list)
    errors: list[LazyString] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the whole file can be imported."""
        return bool(self.rows) and not self.errors and not self.error_rows

    @property
    def error_rows(self) -> int:
        """How many rows have at least one error."""
        return sum(1 for row in self.rows if row.errors)


def decode(data: bytes) -> tuple[str | None, LazyString | None]:
    """The file's text, or why it cannot be read."""
    if len(data) > MAX_BYTES:
        return None, _l("The file is larger than 1 MB; split it into smaller files.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, _l("The file is not UTF-8 text. In your spreadsheet, save it as “CSV UTF-8”.")
    if "\x00" in text:
        return None, _l("The file is not a CSV text file.")
    return text, None


def _delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    return max((";", "\t", ","), key=lambda sep: (first.count(sep), sep == ","))


def parse(text: str) -> CsvPreview:
    """Check every row of the file against the rules and against the directory."""
    preview = CsvPreview()
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        lines = list(reader)
    except csv.Error:
        preview.errors.append(_l("The file is not valid CSV (line %(n)d).", n=reader.line_num))
        return preview
    if not lines:
        preview.errors.append(_l("The file is empty."))
        return preview
    columns, preview.errors = header(lines[0])
    if preview.errors:
        return preview
    body = [
        (n, cells) for n, cells in enumerate(lines[1:], start=2) if any(c.strip() for c in cells)
    ]
    if not body:
        preview.errors.append(_l("The file has a header but no rows."))
    if len(body) > MAX_ROWS:
        preview.errors.append(_l("At most %(max)d rows at a time.", max=MAX_ROWS))
        return preview
    checker = RowChecker()
    existing = {
        normalise_name(name): slug
        for name, slug in db.session.execute(
            select(Organization.name, Organization.slug).where(
                Organization.merged_into_id.is_(None)
            )
        )
    }
    seen: dict[str, int] = {}
    for number, cells in body:
        mapped = {col: cells[i] for i, col in enumerate(columns) if col and i < len(cells)}
        row = checker.row(number, mapped)
        if len(cells) > len(columns):
            row.errors.append(_l("This row has more cells than the header."))
        key = normalise_name(row.values["name"])
        if key and key in existing:
            row.errors.append(_l("An organisation with this name is already in the directory "
                                 "(%(slug)s).", slug=existing[key]))  # fmt: skip
        elif key and key in seen:
            row.errors.append(_l("Same name as row %(n)d.", n=seen[key]))
        seen.setdefault(key, number)
        preview.rows.append(row)
    return preview


def import_rows(preview: CsvPreview, *, actor: User, ip: str = "") -> list[Organization]:
    """Add every row as a published organisation; refuse (adding nothing) if any has errors."""
    if not preview.ok:
        raise ValueError("the preview has errors")
    taken = set(db.session.scalars(select(Organization.slug)))
    now = utcnow()
    added: list[Organization] = []
    for row in preview.rows:
        base = slugify(row.values["name"], max_length=120)
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        org = Organization(slug=slug, status=Status.PUBLISHED, published_at=now, **row.values)
        org.created_by_id = actor.id
        db.session.add(org)
        org.skills = row.skills
        added.append(org)
    db.session.flush()
    audit.record(
        "organizations.imported",
        actor=actor,
        target_kind="organization",
        ip=ip,
        count=len(added),
        ids=[org.id for org in added],
    )
    return added


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="curation.org-csv")


def seal(text: str, user_id: int) -> str | None:
    """Sign (and compress) the file for the confirm form; None if it is too big to carry."""
    token = _serializer().dumps({"csv": text, "user": user_id})
    return token if len(token) <= MAX_SEALED else None


def unseal(token: str, user_id: int) -> str | None:
    """The file text sealed for this user within the last hour, or None."""
    try:
        data = _serializer().loads(token, max_age=SEAL_MAX_AGE)
    except (BadSignature, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("user") != user_id:
        return None
    text = data.get("csv")
    return text if isinstance(text, str) else None
