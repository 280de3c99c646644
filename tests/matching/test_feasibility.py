"""Feasibility: place, work modes, openness and hard requirements decide whether a person
can take a post, and say so (matching/feasibility.py through ranking.score and rank)."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from directory.matching import evidence
from directory.matching.ranking import Match, rank, score
from directory.models import utcnow


def _person(**fields: object) -> SimpleNamespace:
    values: dict[str, object] = {
        "id": 7,
        "skills": [SimpleNamespace(id=1), SimpleNamespace(id=2)],
        "country_code": "MX",
        "state_code": "NLE",
        "open_to": ["jobs"],
        "diaspora_status": "local",
        "seniority": "mid",
        "languages": ["es", "en"],
    }
    values.update(fields)
    return SimpleNamespace(**values)


def _opening(**fields: object) -> SimpleNamespace:
    values: dict[str, object] = {
        "id": 40,
        "kind": "job",
        "skills": [SimpleNamespace(id=1), SimpleNamespace(id=2)],
        "state_code": "NLE",
        "remote_policy": "onsite",
        "relocation_support": False,
        "seniority": "mid",
        "published_at": utcnow(),
    }
    values.update(fields)
    return SimpleNamespace(**values)


def _match(person: SimpleNamespace, post: SimpleNamespace, kind: str = "profile") -> Match:
    return score(evidence.for_post(person, post, kind, 0.6))


def _codes(match: Match) -> dict[str, bool]:
    return {reason.code: reason.positive for reason in match.reasons}


def test_someone_abroad_who_will_not_return_sinks_for_an_onsite_job() -> None:
    local = _match(_person(), _opening(relocation_support=True))
    abroad = _match(
        _person(country_code="CA", state_code=None, diaspora_status="abroad", open_to=["jobs"]),
        _opening(relocation_support=True),
    )
    assert _codes(abroad)["abroad_not_returning"] is False
    assert "relocation" not in _codes(abroad)  # no positive relocation reason for them
    assert abroad.score < local.score * 0.5


def test_someone_abroad_who_wants_to_return_keeps_their_place() -> None:
    returning = _person(country_code="CA", state_code=None, open_to=["jobs", "full_return"])
    match = _match(returning, _opening(relocation_support=True))
    assert _codes(match)["relocation_for_return"] is True
    assert match.score >= _match(_person(), _opening()).score * 0.9


@pytest.mark.parametrize(
    ("relocate", "support", "code", "positive"),
    [
        (False, True, "other_state_no_relocation", False),
        (None, False, "other_state", False),
        (True, False, "willing_to_relocate", True),
        (None, True, "relocation", True),
    ],
)
def test_another_state_depends_on_relocation(relocate, support, code, positive) -> None:
    person = _person(state_code="YUC", relocate=relocate)
    match = _match(person, _opening(relocation_support=support))
    assert _codes(match)[code] is positive
    assert match.score < _match(_person(), _opening()).score


def test_a_remote_job_for_someone_who_wants_the_office() -> None:
    office = _person(work_modes=["onsite"])
    match = _match(office, _opening(remote_policy="remote"))
    assert _codes(match)["work_mode_unwanted"] is False
    assert match.score < _match(_person(), _opening(remote_policy="remote")).score


def test_open_only_to_advising_is_not_a_candidate_for_a_job() -> None:
    adviser = _match(_person(open_to=["advising"]), _opening())
    assert _codes(adviser)["not_open_to_jobs"] is False
    assert adviser.score < _match(_person(), _opening()).score * 0.5
    # A research stay is fine for someone open to research collaboration.
    fellow = _match(_person(open_to=["research_collaboration"]), _opening(kind="fellowship"))
    assert "not_open_to_jobs" not in _codes(fellow)


@pytest.mark.parametrize(
    ("person", "opening", "unmet"),
    [
        ({"degree": "bachelor"}, {"min_degree": "phd"}, "degree_unmet"),
        ({}, {"residence": "abroad"}, "residence_abroad_unmet"),
        (
            {"country_code": "DE", "state_code": None, "open_to": ["jobs"]},
            {"residence": "mexico", "remote_policy": "remote"},
            "residence_mexico_unmet",
        ),
        ({"languages": ["es"]}, {"required_languages": ["en"]}, "languages_unmet"),
        ({"needs_work_permit": True}, {"sponsors_work_permit": False}, "work_permit_unmet"),
    ],
)
def test_an_unmet_hard_requirement_removes_the_match(person, opening, unmet) -> None:
    ev = evidence.for_post(_person(**person), _opening(**opening), "profile", 0.9)
    assert unmet in score(ev).unmet
    fine = evidence.for_post(_person(id=8), _opening(), "profile", 0.1)
    assert [m.record_id for m in rank([ev, fine])] == [8]  # never ranked, let alone first


def test_not_said_never_fails_a_requirement() -> None:
    unknown = _person(languages=[], degree=None)
    match = _match(unknown, _opening(min_degree="master", required_languages=["en"]))
    assert not match.unmet
    assert _codes(match)["degree_unknown"] is False and _codes(match)["languages_unknown"] is False


def test_a_sponsored_work_permit_is_a_positive_reason() -> None:
    match = _match(_person(needs_work_permit=True), _opening(sponsors_work_permit=True))
    assert not match.unmet and _codes(match)["work_permit_sponsored"] is True


def test_a_late_start_counts() -> None:
    later = _person(available_from=date.today() + timedelta(days=200))
    match = _match(later, _opening())
    assert _codes(match)["available_later"] is False
    assert match.score < _match(_person(), _opening()).score


def test_challenges_need_openness_and_eligibility() -> None:
    challenge = _opening(kind=None, eligibility=["startups", "individuals"])
    closed = score(evidence.for_post(_person(open_to=["jobs"]), challenge, "challenge", 0.6))
    assert _codes(closed)["not_open_to_challenges"] is False
    no_individuals = _opening(eligibility=["startups"])
    person = score(evidence.for_solver(no_individuals, _person(), "profile", 0.9))
    assert person.unmet == ("not_eligible",)


def test_a_foreigner_who_would_move_is_not_someone_who_will_not_return() -> None:
    foreigner = _person(country_code="BR", state_code=None, open_to=["jobs"], relocate=True,
                        needs_work_permit=True)  # fmt: skip
    match = _match(foreigner, _opening(relocation_support=True, sponsors_work_permit=True))
    assert not match.unmet
    assert _codes(match)["willing_to_move_to_mexico"] is True
    assert "abroad_not_returning" not in _codes(match)


def test_remote_work_from_abroad_needs_no_mexican_permit() -> None:
    abroad = _person(country_code="US", state_code=None, needs_work_permit=True)
    assert not _match(abroad, _opening(remote_policy="remote")).unmet
    assert _match(abroad, _opening(remote_policy="remote", residence="mexico")).unmet


def test_a_member_of_an_eligible_organisation_may_answer_a_challenge() -> None:
    startup_only = _opening(eligibility=["startups"])
    member = _person(member_org_kinds=frozenset({"startup"}))
    assert not score(evidence.for_solver(startup_only, member, "profile", 0.9)).unmet
    official = _person(member_org_kinds=frozenset({"government_agency"}))
    assert score(evidence.for_solver(startup_only, official, "profile", 0.9)).unmet


def test_consortia_take_members_of_solver_organisations_but_not_the_buyers_staff() -> None:
    consortia = _opening(eligibility=["consortia"], organization_id=99)
    researcher = _person(member_org_kinds=frozenset({"university"}), member_org_ids=frozenset({5}))
    assert not score(evidence.for_solver(consortia, researcher, "profile", 0.9)).unmet
    loner = _person(member_org_kinds=frozenset(), member_org_ids=frozenset())
    assert score(evidence.for_solver(consortia, loner, "profile", 0.9)).unmet
    open_to_all = _opening(eligibility=["individuals"], organization_id=99)
    staff = _person(member_org_kinds=frozenset({"company"}), member_org_ids=frozenset({99}))
    assert score(evidence.for_solver(open_to_all, staff, "profile", 0.9)).unmet
