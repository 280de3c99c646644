"""One eligibility rule for proposals, suggested solvers and teams (procurement/eligibility)."""

from __future__ import annotations

import pytest

from directory.services.procurement import eligibility

ALL = ["startups", "companies", "research_centres", "individuals", "consortia"]


@pytest.mark.parametrize(
    ("org_kind", "group"),
    [
        ("startup", "startups"),
        ("company", "companies"),
        ("research_centre", "research_centres"),
        ("university", "research_centres"),
    ],
)
def test_each_solver_kind_is_eligible_only_when_its_group_is_listed(org_kind, group) -> None:
    assert eligibility.organization_eligible([group], org_kind)
    others = [g for g in ALL if g != group]
    assert not eligibility.organization_eligible(others, org_kind)


@pytest.mark.parametrize("org_kind", ["government_agency", "ngo", "chamber", None, "x"])
def test_buyers_and_conveners_are_never_solvers(org_kind) -> None:
    assert not eligibility.organization_eligible(ALL, org_kind)
    assert not eligibility.may_join_consortium("organization", org_kind)


def test_people_and_consortia() -> None:
    assert eligibility.person_eligible(["individuals"])
    assert not eligibility.person_eligible(["startups", "consortia"])
    assert eligibility.consortium_eligible(["consortia"])
    assert not eligibility.consortium_eligible(["startups", "individuals"])
    assert eligibility.may_join_consortium("profile")


def test_a_challenge_that_lists_nothing_is_open_to_every_solver_group() -> None:
    assert eligibility.person_eligible([]) and eligibility.organization_eligible(None, "startup")
    assert not eligibility.organization_eligible([], "government_agency")
