"""Pure ranking: semantic similarity plus structured evidence, with reasons a person reads.

No database, no Flask: the service gathers `Evidence` for each candidate and this module
turns it into a 0–100 score and a list of `Reason`s (codes with parameters, translated by
the web layer).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..geo import nearby
from . import feasibility
from .reason import Reason

# A skill is an int (a vocabulary id) or a str (a free-text skill as written).
SkillKey = int | str

SENIORITY_ORDER = ("junior", "mid", "senior", "lead", "executive")
# Cosine similarities of this model rarely fall below 0.1 or rise above 0.8 for related
# texts; stretching that band to 0–1 makes the score read like a percentage.
SEMANTIC_FLOOR, SEMANTIC_CEILING = 0.10, 0.80
WEIGHTS = {"semantic": 0.50, "skills": 0.35, "context": 0.15}

# The fit a person reads (0-100), from the fused score through fixed anchors (raw, fit).
# The anchors sit between the raw scores of hand-judged pairs (tests/matching/judged.py,
# checked against the real models by tests/matching/test_calibration.py): pairs judged poor
# scored 13-14, partial 33-71, good 78-84, strong 100. So a fit of 85+ means "strong" in
# absolute terms, never merely "the best of this list"; the order of a list is unchanged.
# The API and alert thresholds keep the fused score (Match.score): only pages show the fit.
FIT_ANCHORS = ((0, 0), (24, 35), (75, 65), (92, 85), (100, 100))
# Lowest fit of each band, best first; below the last one a match is a weak fit.
FIT_BANDS = (("strong", 85), ("good", 65), ("partial", 35))


@dataclass(frozen=True)
class Evidence:
    """What is known about one seeker/target pair, gathered by the service."""

    kind: str
    record_id: int
    semantic: float
    lexical: float = 0.0
    wanted_skills: frozenset[SkillKey] = frozenset()
    offered_skills: frozenset[SkillKey] = frozenset()
    # Wanted skills the seeker has by meaning though not by name (skillspace.py); None:
    # compare names only.
    covered_skills: frozenset[SkillKey] | None = None
    seeker_state: str | None = None
    seeker_abroad: bool = False
    seeker_open_to_return: bool = False
    seeker_open_to_relocate: bool = False
    target_state: str | None = None
    remote_policy: str | None = None
    relocation_support: bool = False
    seeker_seniority: str | None = None
    target_seniority: str | None = None
    age_days: int | None = None
    # Feasibility of a person for a post (feasibility.py); post_kind None: not such a pair.
    post_kind: str | None = None
    opening_kind: str | None = None
    seeker_open_to: frozenset[str] = frozenset()
    seeker_work_modes: frozenset[str] = frozenset()
    seeker_relocate: bool | None = None
    seeker_degree: str | None = None
    seeker_languages: frozenset[str] = frozenset()
    seeker_needs_permit: bool = False
    seeker_available_in_days: int | None = None
    min_degree: str | None = None
    residence: str = "any"
    required_languages: frozenset[str] = frozenset()
    sponsors_work_permit: bool = False
    eligible: bool = True

    @property
    def seeker_will_come(self) -> bool:
        """Someone abroad who would come to Mexico: returning, or willing to move."""
        return self.seeker_open_to_return or bool(self.seeker_relocate)


@dataclass(frozen=True)
class Match:
    """A ranked result: what, how well (0–100) and why."""

    kind: str
    record_id: int
    score: int
    reasons: tuple[Reason, ...]
    shared_skills: frozenset[SkillKey] = frozenset()
    missing_skills: frozenset[SkillKey] = frozenset()
    unmet: tuple[str, ...] = ()  # hard requirements the person does not meet


def ordered(keys: Iterable[SkillKey]) -> list[SkillKey]:
    """Skills in a stable order: vocabulary ids first, then free-text skills."""
    return sorted(keys, key=lambda key: (1, key.casefold()) if isinstance(key, str) else (0, key))


def _clamp(value: float) -> float:
    return max(0.0, min(1.0, value))


def calibrated_fit(raw: int | float) -> int:
    """The displayed fit of a fused score: piecewise-linear through FIT_ANCHORS."""
    raw = max(0.0, min(100.0, float(raw)))
    for (x0, y0), (x1, y1) in zip(FIT_ANCHORS, FIT_ANCHORS[1:], strict=False):
        if raw <= x1:
            return round(y0 + (raw - x0) * (y1 - y0) / (x1 - x0))
    return 100


def fit_band(fit: int) -> str:
    """The band of a displayed fit: "strong", "good", "partial" or "weak"."""
    for band, lowest in FIT_BANDS:
        if fit >= lowest:
            return band
    return "weak"


def semantic_strength(similarity: float) -> float:
    """Map a cosine similarity onto 0–1."""
    return _clamp((similarity - SEMANTIC_FLOOR) / (SEMANTIC_CEILING - SEMANTIC_FLOOR))


def _place(ev: Evidence, reasons: list[Reason]) -> float | None:
    if ev.remote_policy == "remote":
        reasons.append(Reason("remote"))
        return 1.0
    if ev.seeker_abroad:
        if ev.relocation_support and (ev.seeker_open_to_return or ev.seeker_open_to_relocate):
            reasons.append(Reason("relocation_for_return"))
            return 1.0
        if ev.relocation_support:
            reasons.append(Reason("relocation"))
            return 0.7
        if ev.seeker_open_to_return:
            reasons.append(Reason("open_to_return"))
            return 0.5
        return 0.1
    if ev.seeker_state and ev.target_state:
        if ev.seeker_state == ev.target_state:
            reasons.append(Reason("same_state", {"state": ev.target_state}))
            return 1.0
        if nearby(ev.seeker_state, ev.target_state):
            reasons.append(Reason("nearby_state", {"state": ev.target_state}))
            return 0.7
        if ev.remote_policy == "hybrid":
            return 0.4
        if ev.relocation_support:
            reasons.append(Reason("relocation"))
            return 0.6
        return 0.2
    return None


def _seniority(ev: Evidence, reasons: list[Reason]) -> float | None:
    if ev.seeker_seniority not in SENIORITY_ORDER or ev.target_seniority not in SENIORITY_ORDER:
        return None
    gap = abs(
        SENIORITY_ORDER.index(ev.seeker_seniority) - SENIORITY_ORDER.index(ev.target_seniority)
    )
    if gap == 0:
        reasons.append(Reason("seniority_fit", {"level": ev.target_seniority}))
        return 1.0
    if gap == 1:
        return 0.6
    reasons.append(Reason("seniority_gap", {"level": ev.target_seniority}, positive=False))
    return 0.1


def _freshness(ev: Evidence, reasons: list[Reason]) -> float | None:
    if ev.age_days is None:
        return None
    if ev.age_days <= 30:
        reasons.append(Reason("fresh", {"days": ev.age_days}))
    return _clamp(1.0 - ev.age_days / 365)


def score(ev: Evidence) -> Match:
    """Combine the evidence into a score out of 100 with its reasons, strongest first."""
    reasons: list[Reason] = []
    semantic = max(semantic_strength(ev.semantic), _clamp(ev.lexical))
    shared = ev.wanted_skills & ev.offered_skills
    if ev.covered_skills is not None:
        shared |= ev.covered_skills & ev.wanted_skills
    # Coverage counts every required skill, recognised by the vocabulary or not.
    missing = ev.wanted_skills - shared
    if ev.wanted_skills:
        coverage = len(shared) / len(ev.wanted_skills)
        if shared:
            reasons.append(Reason("skills_shared", {"skills": ordered(shared)}))
        if missing:
            reasons.append(Reason("skills_missing", {"skills": ordered(missing)}, positive=False))
    else:
        coverage = semantic  # nothing structured to compare: trust the text
    feasible = feasibility.assess(ev)
    # A person meeting a post: place is part of feasibility, which multiplies the score.
    place = None if feasible is not None else _place(ev, reasons)
    context = [
        value
        for value in (place, _seniority(ev, reasons), _freshness(ev, reasons))
        if value is not None
    ]
    context_score = sum(context) / len(context) if context else 0.5
    total = (
        WEIGHTS["semantic"] * semantic
        + WEIGHTS["skills"] * coverage
        + WEIGHTS["context"] * context_score
    )
    if feasible is not None:
        total *= feasible.factor
        reasons.extend(feasible.reasons)
    if semantic >= 0.5:
        reasons.append(Reason("similar_text"))
    return Match(
        kind=ev.kind,
        record_id=ev.record_id,
        score=round(100 * _clamp(total)),
        reasons=tuple(sorted(reasons, key=lambda r: not r.positive)),
        shared_skills=frozenset(shared),
        missing_skills=frozenset(missing),
        unmet=tuple(feasible.unmet) if feasible is not None else (),
    )


def rank(evidence: Iterable[Evidence], limit: int = 20) -> list[Match]:
    """Score every candidate and return the best, ties broken by id for stable pages.

    A candidate that misses a hard requirement (a degree, residence, a language, a work
    permit, eligibility) is not a match at all: it never appears, let alone first.
    """
    matches = [match for match in (score(ev) for ev in evidence) if not match.unmet]
    matches.sort(key=lambda m: (-m.score, m.kind, m.record_id))
    return matches[:limit]


@dataclass(frozen=True)
class Team:
    """Up to three records that together cover a challenge's skills."""

    members: tuple[tuple[str, int], ...]
    covered: frozenset[SkillKey]
    coverage: float
    best_single: float
    wanted: frozenset[SkillKey] = frozenset()
    brings: tuple[frozenset[SkillKey], ...] = ()  # each member's wanted skills, in order


def best_team(
    wanted: frozenset[SkillKey],
    organizations: Sequence[tuple[int, frozenset[SkillKey]]],
    people: Sequence[tuple[int, frozenset[SkillKey]]],
    size: int = 3,
) -> Team | None:
    """Greedy cover: the organisation covering most, then people adding the most missing.

    Each candidate comes with the skills it offers (or the wanted skills it covers by
    meaning). Returns a team only when it covers more than the best single record does.
    """
    if not wanted:
        return None
    candidates = [("organization", i, s & wanted) for i, s in organizations] + [
        ("profile", i, s & wanted) for i, s in people
    ]
    best_single = max((len(s) for _, _, s in candidates), default=0) / len(wanted)
    orgs = sorted(
        (c for c in candidates if c[0] == "organization"), key=lambda c: (-len(c[2]), c[1])
    )
    chosen: list[tuple[str, int]] = []
    covered: set[int] = set()
    if orgs and orgs[0][2]:
        chosen.append(orgs[0][:2])
        covered |= orgs[0][2]
    pool = [c for c in candidates if c[0] == "profile"]
    while len(chosen) < size:
        gains = [
            (len(s - covered), -i, kind, i, s) for kind, i, s in pool if (kind, i) not in chosen
        ]
        gains = [g for g in gains if g[0] > 0]
        if not gains:
            break
        _, _, kind, record_id, skills = max(gains)
        chosen.append((kind, record_id))
        covered |= skills
    coverage = len(covered) / len(wanted)
    if len(chosen) < 2 or coverage <= best_single:
        return None
    offered = {(kind, i): s for kind, i, s in candidates}
    brings = tuple(frozenset(offered[member]) for member in chosen)
    return Team(tuple(chosen), frozenset(covered), coverage, best_single, wanted, brings)
