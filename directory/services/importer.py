"""Bulk import of records from JSON Lines (`flask import FILE`); docs/import-format.md has examples.

One JSON object per line, blank lines skipped, UTF-8. Every object has a "type":
organization, profile, opening or challenge. An import only ever *adds* records; it never
updates or deletes. All lines are checked first and, if any fails, nothing is imported and
every error is reported with its line number ("line 12: opening: closes_on must be a date
(YYYY-MM-DD)"). Unknown fields are errors (they are usually typos). `null`, "" and [] mean
"not given".

Values: text is a JSON string (single-line fields have their spaces collapsed); lists are
arrays; booleans true/false; numbers whole, 0–2147483647; dates "YYYY-MM-DD"; date-times ISO
8601 (UTC when no zone is given). "state" is a Mexican state's ISO 3166-2 code without "MX-"
(directory/geo.py: JAL, CMX, NLE…); "country" an ISO 3166-1 alpha-2 code (MX, US…). "skills"
is a list (or comma-separated string) of vocabulary slugs, Spanish or English labels or
synonyms (directory/data/skills.json); an unknown skill is an error. Values in [brackets] are
the keys of that group in directory/vocab.py; "status" is one of models.Status (draft,
pending, published, rejected, archived) and defaults to published: importing is an admin's
act. Defaults in (parentheses); * marks a required field.

organization — name* (≤200), kind* [org_kinds], ref (how other lines name it; unique in the
  file), slug (kept as given, must be free; else made from the name, and a name already in
  the directory is refused as a likely second import; a slug also works as a ref),
  description (≤10,000, Markdown), website (http(s) URL), sectors [sectors] list, state, city
  (≤120), size [org_sizes], skills, status, chamber_member (false), verified_at (date-time).
opening — organization* (a ref of this file or the slug of an organisation already in the
  directory), title* (≤200), description, skills, kind [opening_kinds] (job), seniority
  [seniority] (mid), state, city, remote_policy [remote_policies] (onsite), relocation_support
  (false), salary_min, salary_max, salary_currency (MXN|USD, MXN), closes_on (none: stays
  open), status.
challenge — organization* (a government agency or company), title* (≤200), problem,
  desired_outcome, data_available, sector [sectors], stage [stages] (discovery), eligibility
  [eligibility] list, skills, budget_min, budget_max, budget_currency (MXN), state, closes_on,
  status.
profile — email* (creates the account; it has no usable password, so the person signs in
  through "forgot password"), full_name* (≤120), headline (≤200), bio (≤10,000), kind
  [profile_kinds] (engineer), seniority (mid), skills, free_skills (terms outside the
  vocabulary, ≤80 characters; 30 skills in all), languages [languages] list, country (MX),
  state (only in Mexico), city, diaspora_status [diaspora_status] (local), open_to [open_to]
  list, available_from (date), links (≤5 http(s) URLs), visibility [visibility] (private),
  contact_consent (false), matching_consent (false), locale (es|en), organizations (object
  {"<ref>": "owner"|"editor"}: memberships) or organization (a ref) with role (editor).
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, func, select

from ..extensions import db
from ..models import (
    Challenge,
    Membership,
    Opening,
    Organization,
    Profile,
    Role,
    Skill,
    Status,
    User,
    utcnow,
)
from ..text import fold, slugify
from . import audit
from .import_format import SPECS, TYPES, Bad, check_row
from .passwords import HASH_METHOD
from .posts import CHALLENGE_ORG_KINDS
from .skills import _lookup_table

FLUSH_EVERY = 1000
CHUNK = 1000  # ids or emails per IN (...) query
MAX_PROFILE_SKILLS = 30


class InvalidImport(ValueError):
    """The file has errors; nothing was imported. `errors` lists them, line by line."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


@dataclass
class ImportReport:
    """What an import added (or, in a dry run, would add)."""

    counts: dict[str, int]
    dry_run: bool = False
    indexed: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        """How many records of each type, for people."""
        verb = "Would import" if self.dry_run else "Imported"
        parts = ", ".join(f"{kind}s: {self.counts.get(kind, 0)}" for kind in TYPES)
        return f"{verb} {parts}"


@dataclass
class _Row:
    line: int
    type: str
    values: dict[str, Any]  # model attributes
    extra: dict[str, Any]  # ref, slug, organization(s), email, locale
    skills: list[Skill] = field(default_factory=list)


def unusable_password_hash() -> str:
    """A well-formed scrypt hash that no known password produces: the account must reset it."""
    # Running scrypt over a random secret costs ~50 ms a row; a random salt and digest are
    # just as unguessable and let 30,000 accounts import in seconds.
    return f"{HASH_METHOD}${secrets.token_hex(8)}${secrets.token_hex(64)}"


# --- checking ------------------------------------------------------------------------------


# Record types with a free_skills field: there an unknown skill term is kept as free text.
FREE_SKILL_KINDS = ("profile", "opening", "challenge")


def _parse(
    number: int, raw: str, skills: dict[str, Skill], errors: list[tuple[int, str]]
) -> _Row | None:
    """Check one line on its own; add its errors and return the row when it has none."""

    def fail(message: str) -> None:
        errors.append((number, f"line {number}: {message}"))

    try:
        data = json.loads(raw.rstrip("\r\n"))  # the newline would move the error's column
    except json.JSONDecodeError as exc:
        fail(f"bad JSON ({exc.msg} at column {exc.colno})")
        return None
    except (ValueError, RecursionError):
        fail("bad JSON")
        return None
    if not isinstance(data, dict):
        fail("expected a JSON object {...}")
        return None
    kind = data.get("type")
    if kind is None:
        fail("type is missing (" + ", ".join(TYPES) + ")")
        return None
    if kind not in TYPES:
        fail(f"unknown type {json.dumps(kind)[:60]} (expected " + ", ".join(TYPES) + ")")
        return None
    spec = SPECS[kind]
    before = len(errors)
    for key in sorted(set(data) - set(spec) - {"type"}):
        fail(f"{kind}: unknown field {json.dumps(key)[:60]}")
    row = _Row(number, kind, {}, {})
    for key, (attr, parse, required) in spec.items():
        value = data.get(key)
        try:
            parsed = None if value in (None, "", [], {}) else parse(value)
        except Bad as exc:
            fail(f"{kind}: {key} {exc}")
            continue
        if parsed in (None, "", [], {}):
            if required:
                fail(f"{kind}: {key} is required")
            continue
        if attr:
            row.values[attr] = parsed
        else:
            row.extra[key] = parsed
    for term in row.extra.get("skills", []):
        skill = skills.get(fold(term))
        if skill is None and kind in FREE_SKILL_KINDS:
            # Outside the vocabulary: kept apart as written, as the web forms do (curators
            # fold such terms into the vocabulary later), never an import error.
            free = row.values.setdefault("free_skills", [])
            if fold(term) not in {fold(t) for t in free}:
                free.append(term)
        elif skill is None:
            fail(f"{kind}: unknown skill {json.dumps(term, ensure_ascii=False)}")
        elif skill not in row.skills:
            row.skills.append(skill)
    if kind == "profile" and len(row.skills) + len(row.values.get("free_skills", [])) > (
        MAX_PROFILE_SKILLS
    ):
        fail(f"profile: at most {MAX_PROFILE_SKILLS} skills and free_skills in all")
    for message in check_row(kind, row.values, row.extra):
        fail(f"{kind}: {message}")
    return row if len(errors) == before else None


def _in_chunks(stmt: Select[Any], column: Any, values: list[str]) -> list[Any]:
    """Run `stmt` filtered on column IN values, a chunk at a time (bounded parameters)."""
    out: list[Any] = []
    for start in range(0, len(values), CHUNK):
        out += db.session.scalars(stmt.where(column.in_(values[start : start + CHUNK])))
    return out


@dataclass
class _Plan:
    rows: dict[str, list[_Row]]
    existing: dict[str, Organization]  # slug → organisation already in the directory

    def counts(self) -> dict[str, int]:
        return {kind: len(self.rows[kind]) for kind in TYPES}


def _cross_check(rows: dict[str, list[_Row]], errors: list[tuple[int, str]]) -> _Plan:
    """Refs, slugs, organisations pointed at and emails, across the file and the database."""

    def fail(row: _Row, message: str) -> None:
        errors.append((row.line, f"line {row.line}: {row.type}: {message}"))

    names: dict[str, _Row] = {}  # ref or slug → organisation row of this file
    for row in rows["organization"]:
        for name in dict.fromkeys((row.extra.get("ref"), row.extra.get("slug"))):
            if name is None:
                continue
            if name in names:
                fail(row, f"{json.dumps(name)} already names the organisation on line "
                          f"{names[name].line}")  # fmt: skip
            else:
                names[name] = row
    wanted: dict[str, list[_Row]] = {}
    for row in rows["opening"] + rows["challenge"] + rows["profile"]:
        for ref in row.extra["organizations"]:
            if ref not in names:
                wanted.setdefault(ref, []).append(row)
    existing = {
        org.slug: org for org in _in_chunks(select(Organization), Organization.slug, list(wanted))
    }
    for ref, pointing in wanted.items():
        if ref not in existing:
            for row in pointing:
                fail(row, f"organization {json.dumps(ref)} is neither a ref in this file "
                          "nor the slug of an organisation in the directory")  # fmt: skip
    for row in rows["challenge"]:
        ref = next(iter(row.extra["organizations"]))
        target = names.get(ref) or existing.get(ref)
        kind = target.values["kind"] if isinstance(target, _Row) else getattr(target, "kind", None)
        if target is not None and kind not in CHALLENGE_ORG_KINDS:
            fail(row, "only government agencies and companies post challenges, "
                      f"and {json.dumps(ref)} is a {kind}")  # fmt: skip
    _assign_slugs(rows["organization"], fail)
    emails: dict[str, _Row] = {}
    for row in rows["profile"]:
        email = row.extra["email"]
        if email in emails:
            fail(row, f"email {email} is already used on line {emails[email].line}")
        else:
            emails[email] = row
    lowered = func.lower(User.email)
    for email in _in_chunks(select(lowered), lowered, list(emails)):
        fail(emails[email], f"an account with email {email} already exists")
    return _Plan(rows, existing)


def _assign_slugs(rows: list[_Row], fail: Callable[[_Row, str], None]) -> None:
    """Keep given slugs (when free), derive the others from the names; refuse re-imports."""
    in_directory = dict(db.session.execute(select(Organization.slug, Organization.name)).all())
    names = {fold(name): slug for slug, name in in_directory.items()}
    taken = set(in_directory)
    for row in rows:
        slug = row.extra.get("slug")
        if slug in in_directory:  # repeats within the file are refused as refs already
            fail(row, f"slug {json.dumps(slug)} is already taken by another organisation")
        elif slug is None and fold(row.values["name"]) in names:
            # Most likely the same file imported twice: say so rather than duplicate it.
            fail(row, f"an organisation named {json.dumps(row.values['name'], ensure_ascii=False)}"
                      f" is already in the directory (slug {names[fold(row.values['name'])]});"
                      " point at that slug, or give this one its own slug")  # fmt: skip
        if slug is not None:
            taken.add(slug)
    for row in rows:
        if row.extra.get("slug") is None:
            base = slugify(row.values["name"], max_length=120)
            slug, n = base, 2
            while slug in taken:
                slug, n = f"{base}-{n}", n + 1
            taken.add(slug)
            row.extra["slug"] = slug


def check_lines(lines: Iterable[str]) -> _Plan:
    """Check every line; raise InvalidImport listing all errors, or return what to insert."""
    skills = _lookup_table()  # one query: every slug, label and synonym, folded
    errors: list[tuple[int, str]] = []
    rows: dict[str, list[_Row]] = {kind: [] for kind in TYPES}
    for number, raw in enumerate(lines, start=1):
        if raw.strip():
            row = _parse(number, raw, skills, errors)
            if row is not None:
                rows[row.type].append(row)
    plan = _cross_check(rows, errors)
    if errors:
        errors.sort(key=lambda pair: pair[0])  # stable: a line's errors keep their order
        raise InvalidImport([message for _, message in errors])
    return plan


# --- inserting -----------------------------------------------------------------------------


def _insert(plan: _Plan) -> None:
    """Add every record in dependency order, flushing every FLUSH_EVERY records."""
    now = utcnow()
    orgs: dict[str, Organization] = dict(plan.existing)
    added = 0

    def add(record: Any) -> None:
        nonlocal added
        db.session.add(record)
        added += 1
        if added % FLUSH_EVERY == 0:
            db.session.flush()

    def published(record: Any) -> Any:
        record.status = record.status or Status.PUBLISHED
        if record.status == Status.PUBLISHED:
            record.published_at = now
        return record

    for row in plan.rows["organization"]:
        org = published(Organization(slug=row.extra["slug"], **row.values))
        org.skills = row.skills
        for name in (row.extra.get("ref"), row.extra["slug"]):
            if name is not None:
                orgs[name] = org
        add(org)
    for row in plan.rows["profile"]:
        user = User(
            email=row.extra["email"],
            password_hash=unusable_password_hash(),
            locale=row.extra.get("locale"),
            role=Role.MEMBER,
            active=True,
        )
        profile = Profile(user=user, **row.values)
        profile.skills = row.skills
        add(user)
        for ref, role in row.extra.get("organizations", {}).items():
            add(Membership(user=user, organization=orgs[ref], role=role))
    for kind, model in (("opening", Opening), ("challenge", Challenge)):
        for row in plan.rows[kind]:
            ref = next(iter(row.extra["organizations"]))
            post = published(model(organization=orgs[ref], **row.values))
            post.skills = row.skills
            add(post)
    db.session.flush()


def import_lines(
    lines: Iterable[str],
    *,
    embed: bool = True,
    progress: Callable[[int], None] | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Check, then import every line in one transaction, then embed the new records.

    Raises InvalidImport (having written nothing) when any line is wrong. Commits on success,
    because embedding reads the committed records; `progress` receives embedded batch sizes.
    """
    started = time.monotonic()
    try:
        plan = check_lines(lines)
    except InvalidImport:
        db.session.rollback()  # end the read-only transaction of the checks
        raise
    report = ImportReport(plan.counts(), dry_run=dry_run)
    if dry_run:
        db.session.rollback()
        report.seconds = time.monotonic() - started
        return report
    try:
        _insert(plan)
        audit.record("data.imported", target_kind="import", **report.counts)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    if embed:
        from ..matching import service

        report.indexed = service.sync(TYPES, progress=progress)
    report.seconds = time.monotonic() - started
    return report
