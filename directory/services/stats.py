"""The ecosystem's numbers for the chamber's dashboard, counted in the database.

Every figure is a GROUP BY or a COUNT in SQL; no function loads the records themselves.
Privacy: people are counted only while their profile is published (public or members-only)
by an active account — a person who keeps a profile private is in no figure. Names never
leave this module; it returns codes and counts. The public ecosystem page (/ecosistema)
asks the same functions with `published_only=True` and shows no count under SMALL_COUNT.

Portability: months are bucketed with `extract(year/month)` and durations with
`extract(epoch)`, which SQLAlchemy compiles to STRFTIME on SQLite and EXTRACT on
PostgreSQL, so the same queries run on both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, String, and_, cast, extract, func, select

from .. import vocab
from ..extensions import db
from ..models import (
    Challenge,
    Opening,
    Organization,
    Profile,
    Skill,
    Status,
    SuccessStory,
    User,
    utcnow,
)
from ..models.skills import challenge_skills, opening_skills, organization_skills, profile_skills
from ..permissions import listed_posts_clause

# Kinds in the order the dashboard shows them.
KINDS: tuple[str, ...] = ("organization", "profile", "opening", "challenge", "story")
MODELS: dict[str, Any] = {"organization": Organization, "profile": Profile, "opening": Opening,
                          "challenge": Challenge, "story": SuccessStory}  # fmt: skip
MODERATED = ("organization", "opening", "challenge", "story")
MONTHS = 12  # the monthly series covers this many months, the current one included
# Public figures under this are shown as "fewer than 5": so few could point at someone.
SMALL_COUNT = 5


def is_small(value: object) -> bool:
    """Whether a count is too small to publish (1 to SMALL_COUNT - 1; zero names nobody)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < SMALL_COUNT


def published_profiles() -> ColumnElement[bool]:
    """SQL filter for the profiles a curator may count: published by an active account."""
    return and_(
        Profile.visibility.in_(("public", "members")),
        Profile.user.has(User.active.is_(True)),
    )


def live_clause(kind: str) -> ColumnElement[bool]:
    """SQL filter for a kind's records that are live in the directory."""
    if kind == "profile":
        return published_profiles()
    if kind in ("opening", "challenge"):
        return listed_posts_clause(MODELS[kind])
    return MODELS[kind].status == Status.PUBLISHED


def _counted(kind: str) -> list[ColumnElement[bool]]:
    """Filters for records counted at all: every record but private people."""
    return [published_profiles()] if kind == "profile" else []


# --- records by kind and by month --------------------------------------------------------


def records_by_kind(*, published_only: bool = False) -> dict[str, dict[str, int]]:
    """Records of each kind by status ({kind: {status: n}}); people only when published.

    With `published_only`, only the records live in the directory: {kind: {published: n}}.
    """
    out: dict[str, dict[str, int]] = {}
    for kind in KINDS:
        if published_only:
            live = select(func.count()).select_from(MODELS[kind]).where(live_clause(kind))
            n = db.session.scalar(live)
            out[kind] = {Status.PUBLISHED: n or 0}
            continue
        if kind == "profile":
            n = db.session.scalar(select(func.count(Profile.id)).where(published_profiles()))
            out[kind] = {Status.PUBLISHED: n or 0}
            continue
        model = MODELS[kind]
        rows = db.session.execute(select(model.status, func.count()).group_by(model.status))
        out[kind] = {status: n for status, n in rows}
    return out


def month_keys(now: datetime | None = None, months: int = MONTHS) -> list[tuple[int, int]]:
    """(year, month) of the last `months` months, oldest first, the current one last."""
    now = now or utcnow()
    year, month = now.year, now.month
    keys = []
    for _ in range(months):
        keys.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return keys[::-1]


def records_by_month(
    now: datetime | None = None, months: int = MONTHS, *, published_only: bool = False
) -> tuple[list[tuple[int, int]], dict[str, dict[tuple[int, int], int]]]:
    """New records per kind per calendar month (UTC) of `created_at`, for the last months.

    With `published_only`, only the records live in the directory today are counted.
    """
    keys = month_keys(now, months)
    start = datetime(keys[0][0], keys[0][1], 1, tzinfo=(now or utcnow()).tzinfo)
    out: dict[str, dict[tuple[int, int], int]] = {}
    for kind in KINDS:
        model = MODELS[kind]
        year = extract("year", model.created_at)
        month = extract("month", model.created_at)
        query = (
            select(year, month, func.count())
            .where(
                model.created_at >= start,
                *([live_clause(kind)] if published_only else _counted(kind)),
            )
            .group_by(year, month)
        )
        counts = {(int(y), int(m)): n for y, m, n in db.session.execute(query)}
        out[kind] = {key: counts.get(key, 0) for key in keys}
    return keys, out


# --- places, areas, diaspora ---------------------------------------------------------------


def by_state() -> dict[str, dict[str, int]]:
    """Live organisations, published people in Mexico and live openings per state code."""
    columns = {
        "organization": (Organization.state_code, live_clause("organization")),
        "profile": (Profile.state_code, and_(live_clause("profile"), Profile.country_code == "MX")),
        "opening": (Opening.state_code, live_clause("opening")),
    }
    out: dict[str, dict[str, int]] = {}
    for kind, (column, where) in columns.items():
        query = select(column, func.count()).where(where, column.is_not(None)).group_by(column)
        out[kind] = {code: n for code, n in db.session.execute(query) if code}
    return out


LINKS = {
    "organization": (organization_skills, organization_skills.c.organization_id),
    "profile": (profile_skills, profile_skills.c.profile_id),
    "opening": (opening_skills, opening_skills.c.opening_id),
    "challenge": (challenge_skills, challenge_skills.c.challenge_id),
}


def skill_counts(kind: str, skill_ids: list[int] | None = None, *where: Any) -> dict[int, int]:
    """How many live records of a kind carry each skill (or each of skill_ids): {id: n}."""
    link, owner = LINKS[kind]
    model = MODELS[kind]
    query = (
        select(link.c.skill_id, func.count())
        .join(model, model.id == owner)
        .where(live_clause(kind), *where)
        .group_by(link.c.skill_id)
    )
    if skill_ids is not None:
        query = query.where(link.c.skill_id.in_(skill_ids))
    return dict(db.session.execute(query).all())


def ai_areas() -> tuple[list[Skill], dict[str, dict[int, int]]]:
    """The vocabulary's AI areas (skills of category "area") and how many live records of
    each kind carry each one: (areas, {kind: {skill_id: n}})."""
    areas = list(db.session.scalars(select(Skill).where(Skill.category == "area")))
    wanted = [a.id for a in areas]
    return areas, {kind: skill_counts(kind, wanted) for kind in LINKS}


def diaspora() -> dict[str, dict[str, int]]:
    """Published people by diaspora status, the abroad by country and by what they are open to."""
    where = published_profiles()
    status = dict(
        db.session.execute(
            select(Profile.diaspora_status, func.count())
            .where(where)
            .group_by(Profile.diaspora_status)
        ).all()
    )
    abroad = and_(where, Profile.country_code != "MX")
    country = dict(
        db.session.execute(
            select(Profile.country_code, func.count()).where(abroad).group_by(Profile.country_code)
        ).all()
    )
    # open_to is a JSON list of vocabulary keys: one COUNT per key, all in one statement.
    keys = list(vocab.OPEN_TO)
    text = cast(Profile.open_to, String)
    row = db.session.execute(
        select(
            *(
                select(func.count(Profile.id))
                .where(abroad, text.contains(f'"{key}"', autoescape=True))
                .scalar_subquery()
                for key in keys
            )
        )
    ).one()
    return {"status": status, "country": country, "open_to": dict(zip(keys, row, strict=True))}


def posts_by_status() -> dict[str, dict[str, int]]:
    """Openings and challenges by status."""
    out = {}
    for kind in ("opening", "challenge"):
        model = MODELS[kind]
        rows = db.session.execute(select(model.status, func.count()).group_by(model.status))
        out[kind] = dict(rows.all())
    return out


# --- time to moderation --------------------------------------------------------------------


@dataclass(frozen=True)
class Moderation:
    """How long a kind's decided records waited: count, mean and median days."""

    kind: str
    decided: int
    mean_days: float | None
    median_days: float | None


def _wait_days(model: Any) -> ColumnElement[Any]:
    """Days from submission to the curator's decision (or publication, for older records)."""
    decided = func.coalesce(model.moderated_at, model.published_at)
    return (extract("epoch", decided) - extract("epoch", model.created_at)) / 86400.0


def time_to_moderation() -> list[Moderation]:
    """Mean and median wait per kind over records a curator has decided on."""
    out = []
    for kind in MODERATED:
        model = MODELS[kind]
        days = _wait_days(model)
        where = (
            model.status.in_((Status.PUBLISHED, Status.REJECTED, Status.ARCHIVED)),
            func.coalesce(model.moderated_at, model.published_at).is_not(None),
        )
        n, mean = db.session.execute(select(func.count(), func.avg(days)).where(*where)).one()
        median = None
        if n:
            # The middle value (or the two middle values) by ORDER BY … OFFSET, in SQL.
            middle = list(
                db.session.scalars(
                    select(days).where(*where).order_by(days).offset((n - 1) // 2).limit(2 - n % 2)
                )
            )
            median = sum(float(v) for v in middle) / len(middle)
        out.append(Moderation(kind, n, float(mean) if mean is not None else None, median))
    return out
