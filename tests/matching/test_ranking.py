"""Pure ranking: scores people can read and the reasons behind them."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest

from directory.matching.ranking import (
    Evidence,
    Match,
    Reason,
    best_team,
    rank,
    score,
    semantic_strength,
)


def ev(**fields: object) -> Evidence:
    """Evidence for an opening with neutral defaults."""
    values: dict[str, object] = {"kind": "opening", "record_id": 1, "semantic": 0.45}
    values.update(fields)
    return Evidence(**values)  # type: ignore[arg-type]


def codes(match: Match) -> list[str]:
    return [reason.code for reason in match.reasons]


def reason(match: Match, code: str) -> Reason:
    found = [r for r in match.reasons if r.code == code]
    assert len(found) == 1, codes(match)
    return found[0]


# --- skills ---------------------------------------------------------------------------


def test_shared_and_missing_skills_are_named() -> None:
    match = score(ev(wanted_skills=frozenset({1, 2, 3}), offered_skills=frozenset({2, 3, 9})))
    assert reason(match, "skills_shared").params == {"skills": [2, 3]}
    assert reason(match, "skills_shared").positive
    missing = reason(match, "skills_missing")
    assert missing.params == {"skills": [1]} and not missing.positive
    assert match.shared_skills == frozenset({2, 3})
    assert match.missing_skills == frozenset({1})
    # Skills the seeker has beyond what is wanted are neither shared nor missing.
    assert 9 not in match.shared_skills | match.missing_skills


def test_no_shared_skill_gives_no_shared_reason() -> None:
    match = score(ev(wanted_skills=frozenset({1, 2}), offered_skills=frozenset({5})))
    assert "skills_shared" not in codes(match)
    assert reason(match, "skills_missing").params == {"skills": [1, 2]}
    assert match.shared_skills == frozenset()


def test_all_skills_covered_gives_no_missing_reason() -> None:
    match = score(ev(wanted_skills=frozenset({1, 2}), offered_skills=frozenset({1, 2, 3})))
    assert "skills_missing" not in codes(match)
    assert match.missing_skills == frozenset()


def test_more_coverage_scores_higher() -> None:
    wanted = frozenset({1, 2, 3, 4})
    scores = [
        score(ev(wanted_skills=wanted, offered_skills=frozenset(list(wanted)[:n]))).score
        for n in range(5)
    ]
    assert scores == sorted(scores) and scores[0] < scores[-1]


def test_negative_reasons_come_after_positive_ones() -> None:
    match = score(
        ev(
            wanted_skills=frozenset({1, 2}),
            offered_skills=frozenset({1}),
            seeker_seniority="junior",
            target_seniority="lead",
            seeker_state="JAL",
            target_state="JAL",
            semantic=0.9,
        )
    )
    flags = [r.positive for r in match.reasons]
    assert flags == sorted(flags, reverse=True)
    assert {"skills_missing", "seniority_gap"} <= {r.code for r in match.reasons if not r.positive}


# --- place ----------------------------------------------------------------------------


def test_same_state() -> None:
    match = score(ev(seeker_state="NLE", target_state="NLE"))
    assert reason(match, "same_state").params == {"state": "NLE"}


def test_nearby_state_beats_a_far_one() -> None:
    near = score(ev(seeker_state="QUE", target_state="GUA"))
    far = score(ev(seeker_state="YUC", target_state="GUA"))
    same = score(ev(seeker_state="GUA", target_state="GUA"))
    assert reason(near, "nearby_state").params == {"state": "GUA"}
    assert not {"same_state", "nearby_state"} & set(codes(far))
    assert same.score > near.score > far.score


def test_remote_opening() -> None:
    match = score(ev(seeker_state="YUC", target_state="BCN", remote_policy="remote"))
    assert "remote" in codes(match)
    assert match.score > score(ev(seeker_state="YUC", target_state="BCN")).score


def test_relocation_offered_to_someone_in_a_far_state() -> None:
    match = score(ev(seeker_state="YUC", target_state="BCN", relocation_support=True))
    assert "relocation" in codes(match)


def test_someone_abroad_open_to_return_meets_relocation_support() -> None:
    abroad = {"seeker_abroad": True, "seeker_state": None, "target_state": "CMX"}
    both = score(ev(**abroad, seeker_open_to_return=True, relocation_support=True))
    assert "relocation_for_return" in codes(both)
    only_support = score(ev(**abroad, relocation_support=True))
    assert "relocation" in codes(only_support)
    only_wish = score(ev(**abroad, seeker_open_to_return=True))
    assert "open_to_return" in codes(only_wish)
    neither = score(ev(**abroad))
    assert not {"relocation", "relocation_for_return", "open_to_return"} & set(codes(neither))
    assert both.score > only_support.score > only_wish.score > neither.score


# --- seniority and freshness ----------------------------------------------------------


def test_seniority_fit_and_gap() -> None:
    fit = score(ev(seeker_seniority="senior", target_seniority="senior"))
    assert reason(fit, "seniority_fit").params == {"level": "senior"}
    near = score(ev(seeker_seniority="mid", target_seniority="senior"))
    assert not {"seniority_fit", "seniority_gap"} & set(codes(near))
    gap = score(ev(seeker_seniority="junior", target_seniority="lead"))
    assert reason(gap, "seniority_gap").params == {"level": "lead"}
    assert not reason(gap, "seniority_gap").positive
    assert fit.score > near.score > gap.score
    # Unknown levels are not evidence either way.
    unknown = score(ev(seeker_seniority="wizard", target_seniority="senior"))
    assert not {"seniority_fit", "seniority_gap"} & set(codes(unknown))


def test_freshness() -> None:
    fresh = score(ev(age_days=3))
    assert reason(fresh, "fresh").params == {"days": 3}
    stale = score(ev(age_days=200))
    assert "fresh" not in codes(stale)
    assert fresh.score > stale.score
    assert "fresh" not in codes(score(ev(age_days=None)))


# --- score ----------------------------------------------------------------------------


def test_semantic_strength_is_clamped() -> None:
    assert semantic_strength(-1.0) == 0.0
    assert semantic_strength(1.0) == 1.0
    assert 0.0 < semantic_strength(0.45) < 1.0


def test_similar_text_reason_only_for_close_texts() -> None:
    assert "similar_text" in codes(score(ev(semantic=0.8)))
    assert "similar_text" not in codes(score(ev(semantic=0.15)))
    # Lexical evidence can carry the text similarity too.
    assert "similar_text" in codes(score(ev(semantic=0.0, lexical=0.9)))


@pytest.mark.parametrize(
    "fields",
    [
        {"semantic": -5.0, "lexical": -3.0},
        {"semantic": 5.0, "lexical": 3.0, "remote_policy": "remote", "age_days": 0},
        {"semantic": 0.9, "wanted_skills": frozenset({1}), "offered_skills": frozenset({1})},
        {"semantic": 0.0, "wanted_skills": frozenset({1}), "seeker_abroad": True},
        {"semantic": 0.5, "age_days": 10_000, "seeker_seniority": "junior",
         "target_seniority": "executive"},
    ],
)  # fmt: skip
def test_score_is_within_0_and_100(fields: dict[str, object]) -> None:
    match = score(ev(**fields))
    assert isinstance(match.score, int)
    assert 0 <= match.score <= 100


def test_a_perfect_match_scores_high_and_a_poor_one_low() -> None:
    perfect = score(
        ev(
            semantic=0.85,
            wanted_skills=frozenset({1, 2}),
            offered_skills=frozenset({1, 2}),
            seeker_state="JAL",
            target_state="JAL",
            seeker_seniority="mid",
            target_seniority="mid",
            age_days=1,
        )
    )
    poor = score(
        ev(
            semantic=0.05,
            wanted_skills=frozenset({1, 2}),
            offered_skills=frozenset(),
            seeker_state="YUC",
            target_state="BCN",
            seeker_seniority="junior",
            target_seniority="executive",
            age_days=400,
        )
    )
    assert perfect.score >= 90
    assert poor.score <= 15


def test_rank_orders_by_score_then_kind_then_id_whatever_the_input_order() -> None:
    base = ev(semantic=0.5)
    evidence = [
        replace(base, record_id=3),
        replace(base, record_id=1),
        replace(base, kind="challenge", record_id=2),
        replace(base, record_id=4, semantic=0.7),
    ]
    expected = [("opening", 4), ("challenge", 2), ("opening", 1), ("opening", 3)]
    for order in itertools.permutations(evidence):
        ranked = rank(order, limit=10)
        assert [(m.kind, m.record_id) for m in ranked] == expected
    assert len(rank(evidence, limit=2)) == 2
    assert rank([], limit=5) == []


# --- teams ----------------------------------------------------------------------------


def test_team_is_formed_when_it_covers_more_than_anyone_alone() -> None:
    wanted = frozenset({1, 2, 3, 4})
    team = best_team(
        wanted,
        organizations=[(10, frozenset({1, 2, 99})), (11, frozenset({1}))],
        people=[(20, frozenset({3})), (21, frozenset({4, 3})), (22, frozenset({98}))],
    )
    assert team is not None
    assert team.members == (("organization", 10), ("profile", 21))
    assert team.covered == wanted
    assert team.coverage == 1.0
    assert team.best_single == 0.5


def test_no_team_when_one_record_already_covers_as_much() -> None:
    wanted = frozenset({1, 2, 3})
    assert (
        best_team(
            wanted,
            organizations=[(10, frozenset({1, 2, 3}))],
            people=[(20, frozenset({1})), (21, frozenset({2}))],
        )
        is None
    )
    assert best_team(frozenset(), [(10, frozenset({1}))], [(20, frozenset({2}))]) is None
    assert best_team(wanted, [], []) is None
    # A single person (no one to team up with) is not a team.
    assert best_team(wanted, [], [(20, frozenset({1, 2}))]) is None


def test_team_never_has_more_than_three_members_and_reports_its_coverage() -> None:
    wanted = frozenset(range(1, 9))
    people = [(100 + i, frozenset({i})) for i in range(1, 9)]
    team = best_team(wanted, organizations=[(10, frozenset({1, 2}))], people=people)
    assert team is not None
    assert len(team.members) == 3
    assert team.members[0] == ("organization", 10)
    assert team.covered == frozenset({1, 2, 3, 4})
    assert team.coverage == pytest.approx(4 / 8)
    assert team.best_single == pytest.approx(2 / 8)
    assert len(set(team.members)) == len(team.members)
    for size in (2, 3):
        smaller = best_team(wanted, organizations=[], people=people, size=size)
        assert smaller is not None and len(smaller.members) == size


def test_team_of_people_only_and_deterministic_ties() -> None:
    wanted = frozenset({1, 2})
    people = [(30, frozenset({1})), (20, frozenset({1})), (25, frozenset({2}))]
    team = best_team(wanted, organizations=[], people=people)
    assert team is not None
    assert team.members == (("profile", 20), ("profile", 25))
    assert team.coverage == 1.0
    again = best_team(wanted, organizations=[], people=list(reversed(people)))
    assert again == team
