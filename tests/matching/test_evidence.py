"""Evidence: what the service knows of a pair of records, turned into ranking input."""

from __future__ import annotations

from types import SimpleNamespace

from directory.matching import evidence
from directory.matching.ranking import Match, score
from directory.models import utcnow


def codes(match: Match) -> list[str]:
    return [reason.code for reason in match.reasons]


def _person(**fields: object) -> object:
    values: dict[str, object] = {
        "id": 7,
        "skills": [SimpleNamespace(id=1), SimpleNamespace(id=2)],
        "country_code": "MX",
        "state_code": "JAL",
        "open_to": [],
        "diaspora_status": "local",
        "seniority": "mid",
    }
    values.update(fields)
    return SimpleNamespace(**values)


def _post(**fields: object) -> object:
    values: dict[str, object] = {
        "id": 40,
        "skills": [SimpleNamespace(id=2), SimpleNamespace(id=3)],
        "state_code": "CMX",
        "remote_policy": "onsite",
        "relocation_support": True,
        "seniority": "mid",
        "published_at": utcnow(),
    }
    values.update(fields)
    return SimpleNamespace(**values)


def test_evidence_for_a_person_abroad_who_wants_to_return() -> None:
    person = _person(country_code="US", state_code=None, open_to=["full_return"],
                     diaspora_status="abroad")  # fmt: skip
    match = score(evidence.for_post(person, _post(), "opening", 0.5))
    assert match.record_id == 40
    assert "relocation_for_return" in codes(match)
    assert match.shared_skills == frozenset({2}) and match.missing_skills == frozenset({3})
    assert "seniority_fit" in codes(match) and "fresh" in codes(match)
    returning = _person(country_code="ES", state_code=None, diaspora_status="returning")
    assert "open_to_return" in codes(
        score(evidence.for_post(returning, _post(relocation_support=False), "opening", 0.5))
    )


def test_evidence_when_an_opening_looks_for_people_names_the_person() -> None:
    match = score(evidence.for_post(_person(), _post(state_code="JAL"), "profile", 0.5))
    assert match.kind == "profile" and match.record_id == 7
    assert "same_state" in codes(match)


def test_evidence_for_solvers_and_similar_records() -> None:
    challenge = _post(state_code="NLE")
    org = SimpleNamespace(id=5, skills=[SimpleNamespace(id=3)], state_code="COA", kind="startup")
    match = score(evidence.for_solver(challenge, org, "organization", 0.5))
    assert match.record_id == 5
    assert "nearby_state" in codes(match)  # an organisation has no country: it is local
    assert match.shared_skills == frozenset({3})
    similar = score(evidence.for_similar(_post(), _post(id=41, state_code="CMX"), "opening", 0.6))
    assert similar.record_id == 41 and "same_state" in codes(similar)
