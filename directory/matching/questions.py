"""The match questions the product asks: person → posts, opening → people, challenge →
solvers and a team, and "more like this".

Each question scores the nearest records with the same recipe as search (service._semantic:
dense models plus character n-grams), ranks a pool of them on in-memory facts with their
skills compared by meaning (skillspace.py) and their feasibility (feasibility.py), and
loads only what it shows, re-checked for the viewer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from ..models import Challenge, Opening, Organization, Profile
from ..services.procurement import eligibility
from . import evidence, visibility
from .documents import document_text
from .ranking import Match, Team, best_team, rank, score
from .service import (
    _lexical,
    _record_vectors,
    _semantic,
    _top,
    engine,
    on_common_scale,
    recipe,
    skill_space,
    sync,
)

MATCH_POOL, POOL_PER_RESULT = 60, 3  # records ranked with evidence, per question
POST_KINDS = ("opening", "challenge")


def _matches(
    kind: str,
    scores: dict[int, float],
    viewer: Any,
    build: Callable[[Any, float], Any],
    limit: int,
) -> list[Match]:
    """Rank the visible part of the pool on in-memory facts (no record is loaded)."""
    pool = max(MATCH_POOL, POOL_PER_RESULT * limit)
    facts = engine().facts(kind, visibility.visible_ids(kind, _top(scores, pool), viewer))
    return rank((build(fact, scores[record_id]) for record_id, fact in facts.items()), limit)


def _with_records(
    matches: list[Match], viewer: Any, *, with_skills: bool = False
) -> list[tuple[Match, Any]]:
    """Load just the records shown, re-checked for the viewer, in the matches' order.

    A record hidden since the last sync drops out here even though its facts are still
    in memory. Skills are loaded only when asked (teams need them; a match's shared and
    missing skills come from the ranking).
    """
    keys = [(match.kind, match.record_id) for match in matches]
    records = visibility.load_shown(keys, viewer, with_skills=with_skills)
    return [
        (match, records[key]) for match, key in zip(matches, keys, strict=True) if key in records
    ]


def _ranked(
    kind: str,
    scores: dict[int, float],
    viewer: Any,
    build: Callable[[Any, float], Any],
    limit: int,
    *,
    with_skills: bool = False,
) -> list[tuple[Match, Any]]:
    """The best matches of one kind with their records."""
    matches = _matches(kind, scores, viewer, build, limit)
    return _with_records(matches, viewer, with_skills=with_skills)


def for_profile_by_kind(
    profile: Profile, viewer: Any, limit: int = 20, kinds: tuple[str, ...] = POST_KINDS
) -> dict[str, list[tuple[Match, Any]]]:
    """Openings and challenges that fit a person, best first, one list per kind."""
    sync(kinds)
    vectors = _record_vectors("profile", profile)
    text = document_text("profile", profile)
    space = skill_space()
    out: dict[str, list[tuple[Match, Any]]] = {}
    for kind in kinds:

        def build(post: Any, score: float, kind: str = kind) -> Any:
            return evidence.for_post(profile, post, kind, score, space=space)

        out[kind] = _ranked(kind, _semantic(kind, vectors, text), viewer, build, limit)
    return out


def for_profile(profile: Profile, viewer: Any, limit: int = 20) -> list[tuple[Match, Any]]:
    """Openings and challenges in one list, best first (the kinds' lists merged)."""
    lists = for_profile_by_kind(profile, viewer, limit)
    merged = [pair for kind in POST_KINDS for pair in lists.get(kind, [])]
    merged.sort(key=lambda pair: (-pair[0].score, pair[0].kind, pair[0].record_id))
    return merged[:limit]


def people_for_post(kind: str, post: Opening | Challenge, viewer: Any, limit: int) -> list[Match]:
    """The people who fit an opening (as candidates) or a challenge (as solvers), ranked,
    without loading their profiles (alerts need only who and how well)."""
    sync(("profile",))
    text = document_text(kind, post)
    scores = _semantic("profile", _record_vectors(kind, post), text)
    space = skill_space()

    def build(person: Any, score: float) -> Any:
        if kind == "opening":
            return evidence.for_post(person, post, "profile", score, space=space)
        return evidence.for_solver(post, person, "profile", score, space=space)

    return _matches("profile", scores, viewer, build, limit)


def for_opening(opening: Opening, viewer: Any, limit: int = 20) -> list[tuple[Match, Any]]:
    """People who published their profile, consented to matching and can take an opening."""
    return _with_records(people_for_post("opening", opening, viewer, limit), viewer)


@dataclass(frozen=True)
class Solvers:
    """Who could solve a challenge: organisations, people and the best team."""

    organizations: list[tuple[Match, Organization]]
    people: list[tuple[Match, Profile]]
    team: Team | None
    team_records: dict[tuple[str, int], Any]


def _team(
    challenge: Challenge,
    orgs: list[tuple[Match, Organization]],
    people: list[tuple[Match, Profile]],
) -> Team | None:
    """The best consortium, when the challenge accepts consortia (eligibility.py)."""
    if not eligibility.consortium_eligible(challenge.eligibility):
        return None
    space = skill_space()
    wanted = evidence.skill_keys(challenge)

    def brings(record: Any) -> frozenset[Any]:
        offered = evidence.skill_keys(record)
        return space.covered(wanted, offered) if space is not None else wanted & offered

    members = [o for _, o in orgs if eligibility.may_join_consortium("organization", o.kind)]
    return best_team(
        wanted,
        [(org.id, brings(org)) for org in members],
        [(person.id, brings(person)) for _, person in people],
    )


def for_challenge(challenge: Challenge, viewer: Any, limit: int = 10) -> Solvers:
    """Eligible organisations and people who could solve a challenge, and a team."""
    sync(("organization", "profile"))
    vectors = _record_vectors("challenge", challenge)
    text = document_text("challenge", challenge)
    space = skill_space()
    scores = _semantic("organization", vectors, text)

    def solvers(build: Callable[[Any, float], Any]) -> list[tuple[Match, Organization]]:
        ranked = _ranked("organization", scores, viewer, build, limit + 1, with_skills=True)
        return [pair for pair in ranked if pair[1].id != challenge.organization_id][:limit]

    def as_solver(org: Organization, score: float) -> Any:
        return evidence.for_solver(challenge, org, "organization", score, space=space)

    orgs = solvers(as_solver)
    # A consortium may hold organisations that could not propose alone (a consortia-only
    # challenge): the team draws from every organisation that may join one.
    partners = orgs
    if eligibility.consortium_eligible(challenge.eligibility):

        def as_partner(org: Organization, score: float) -> Any:
            joins = eligibility.may_join_consortium("organization", org.kind)
            return replace(as_solver(org, score), eligible=joins)

        partners = solvers(as_partner)
    people = _with_records(
        people_for_post("challenge", challenge, viewer, limit), viewer, with_skills=True
    )
    team = _team(challenge, partners, people)
    records = {("organization", o.id): o for _, o in [*orgs, *partners]} | {
        ("profile", p.id): p for _, p in people
    }
    return Solvers(orgs, people, team, records)


def more_like_this(kind: str, record: Any, viewer: Any, limit: int = 6) -> list[tuple[Match, Any]]:
    """Records of the same kind most similar to this one."""
    sync((kind,))
    scores = _semantic(kind, _record_vectors(kind, record), document_text(kind, record))
    scores.pop(record.id, None)
    return _ranked(
        kind, scores, viewer, lambda other, s: evidence.for_similar(record, other, kind, s), limit
    )


def _pair_semantic(kind: str, post: Any, vectors: dict[str, Any], text: str) -> float:
    """The fused similarity of one person with one post: _semantic's recipe for one record.

    Scored directly rather than looked up among the nearest neighbours, so a saved match or
    a post opened from a match is explained even when it is no longer among the nearest.
    """
    config = recipe()
    post_vectors = _record_vectors(kind, post)
    weights = {
        name: w
        for name, w in config.dense.items()
        if w and name in vectors and name in post_vectors
    }
    if not weights:
        return 0.0
    lexical_weight = max(config.lexical_same_language, config.lexical_cross_language)
    total = sum(weights.values()) + (lexical_weight if text else 0.0)
    value = sum(
        weights[name] * float(on_common_scale(name, float(vectors[name] @ post_vectors[name])))
        for name in weights
    )
    if text and lexical_weight:
        value += _lexical(kind, text, [post.id], config).get(post.id, 0.0)
    return value / total


def pair_for_profile(
    profile: Profile, posts: list[tuple[str, Any]]
) -> dict[tuple[str, int], Match]:
    """How well a person fits each of these (kind, post) pairs, scored one by one.

    Unlike the lists, a post whose hard requirements the person misses is still scored
    (its match carries `unmet`): the caller decides whether to show it. The caller checks
    that the viewer may see each post.
    """
    if not posts:
        return {}
    sync(tuple({kind for kind, _ in posts}) + ("profile",))
    vectors = _record_vectors("profile", profile)
    text = document_text("profile", profile)
    space = skill_space()
    out: dict[tuple[str, int], Match] = {}
    for kind, post in posts:
        semantic = _pair_semantic(kind, post, vectors, text)
        out[(kind, post.id)] = score(evidence.for_post(profile, post, kind, semantic, space=space))
    return out
