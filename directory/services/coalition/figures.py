"""The coalition in numbers: members by kind and state, joins and ends over time.

Pure counting over membership rows (membership.py loads them: public organisations only),
so the public page, its charts and its tables all read the same figures.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from ...models.coalition import CoalitionMember, CoalitionTier

MAX_PERIODS = 20  # the page shows at most the last five years of quarters


@dataclass
class Period:
    """One quarter or year: who joined (by tier), how many left, members at its end."""

    year: int
    quarter: int | None
    joined: dict[str, int] = field(default_factory=dict)
    ended: int = 0
    total: int = 0

    @property
    def key(self) -> str:
        """A stable key: 2026-Q1, or 2026 for a year."""
        return f"{self.year}-Q{self.quarter}" if self.quarter else str(self.year)

    @property
    def joined_total(self) -> int:
        """Everyone who joined in the period, whatever the tier."""
        return sum(self.joined.values())


def _quarter(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def _next(year: int, quarter: int | None) -> tuple[int, int | None]:
    if quarter is None:
        return year + 1, None
    return (year + 1, 1) if quarter == 4 else (year, quarter + 1)


def periods(rows: Iterable[CoalitionMember], today: date, *, by: str = "quarter") -> list[Period]:
    """Quarters (or years) from the first join to today, each with its joins, ends and total."""
    rows = [r for r in rows if r.joined_on is not None]
    if not rows:
        return []

    def key(day: date) -> tuple[int, int | None]:
        return _quarter(day) if by == "quarter" else (day.year, None)

    joined = Counter((key(r.joined_on), r.tier) for r in rows if r.joined_on)
    ended = Counter(key(r.ended_on) for r in rows if r.ended_on)
    current, last = key(min(r.joined_on for r in rows if r.joined_on)), key(today)
    out: list[Period] = []
    total = 0
    while current <= last:  # type: ignore[operator]  # (int, int|None) tuples of one shape
        period = Period(current[0], current[1])
        period.joined = {tier: joined[(current, tier)] for tier in CoalitionTier.ALL}
        period.ended = ended[current]
        total += period.joined_total - period.ended
        period.total = total
        out.append(period)
        current = _next(*current)
    return out[-MAX_PERIODS:]


def by_kind(rows: Iterable[CoalitionMember]) -> Counter[str]:
    """Current members per kind of organisation."""
    return Counter(r.organization.kind for r in rows)


def by_state(rows: Iterable[CoalitionMember]) -> Counter[str]:
    """Current members per Mexican state (organisations without one are left out)."""
    return Counter(r.organization.state_code for r in rows if r.organization.state_code)


def by_tier(rows: Iterable[CoalitionMember]) -> Counter[str]:
    """Current members per tier."""
    return Counter(r.tier for r in rows)
