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


# --- through the solvers question: nothing ineligible is ever suggested ---------------------

CV = ("computer-vision", "python")
ORG_KINDS = ("startup", "company", "research_centre", "university", "government_agency", "ngo",
             "chamber")  # fmt: skip
GROUP_KINDS = {
    "startups": {"startup"},
    "companies": {"company"},
    "research_centres": {"research_centre", "university"},
    "individuals": set(),
    "consortia": set(),
}


@pytest.fixture
def solvers_world(app):
    """An agency, one visión organisation of every kind, a person on their own, and a person
    who edits a startup; all offer the challenge's skills."""
    from directory.extensions import db
    from directory.models import Membership
    from tests import factories as f

    with app.app_context():
        agency = f.org(f.user("agencia@example.org"), kind="government_agency", skill_slugs=CV)
        for kind in ORG_KINDS:
            f.org(kind=kind, name=f"Visión {kind}", skill_slugs=CV,
                  description="Visión por computadora con Python.")  # fmt: skip
        f.profile(full_name="Sola Visión", skill_slugs=CV)
        member = f.profile(full_name="Socia Visión", skill_slugs=CV)
        startup = db.session.scalar(
            db.select(f.Organization).where(f.Organization.name == "Visión startup")
        )
        db.session.add(Membership(user_id=member.user_id, organization=startup, role="editor"))
        db.session.commit()
        return agency.id


def _suggested(app, client, agency_id: int, groups: list[str]) -> tuple[set[str], set[str]]:
    from tests import factories as f

    with app.app_context():
        from directory.extensions import db
        from directory.models import Organization

        agency = db.session.get(Organization, agency_id)
        challenge = f.challenge(agency, skill_slugs=CV, eligibility=groups,
                                title="Visión por computadora con Python")  # fmt: skip
        challenge_id = challenge.id
    answer = client.get(f"/api/v1/matches/challenge/{challenge_id}").get_json()
    titles = {m["title"] for m in answer["matches"]}
    team = {m["title"] for m in (answer["team"] or {}).get("members", [])}
    return titles, team


@pytest.mark.parametrize("group", list(GROUP_KINDS))
def test_each_kind_is_suggested_only_when_its_group_is_eligible(app, client, auth, solvers_world,
                                                                 group):  # fmt: skip
    from tests.matching.conftest import fake_matching

    auth.login("agencia@example.org")
    with fake_matching(app):
        titles, team = _suggested(app, client, solvers_world, [group])
    orgs = {t.removeprefix("Visión ") for t in titles if t.startswith("Visión ")}
    assert orgs == GROUP_KINDS[group], titles
    # Buyers and conveners never; a person alone only when individuals are eligible; a
    # startup's editor also when startups (they propose for it) or consortia are.
    assert not orgs & {"government_agency", "ngo", "chamber"}
    assert ("Sola Visión" in titles) == (group == "individuals")
    assert ("Socia Visión" in titles) == (group in ("individuals", "startups", "consortia"))
    if group != "consortia":
        assert not team, team  # a team is a consortium: only when consortia are eligible
    for title in team:
        assert title not in {"Visión government_agency", "Visión ngo", "Visión chamber",
                             "Sola Visión"}  # fmt: skip


def test_a_consortia_only_challenge_gets_a_team_with_organisations(app, client, auth):
    """Organisations that could not propose alone may still be partners of a consortium."""
    from tests import factories as f
    from tests.matching.conftest import fake_matching

    with app.app_context():
        agency = f.org(f.user("agencia@example.org"), kind="government_agency")
        f.org(kind="company", name="Visión Parcial", skill_slugs=("computer-vision",),
              description="Visión por computadora.")  # fmt: skip
        f.org(kind="ngo", name="Visión Civil", skill_slugs=("computer-vision",),
              description="Visión por computadora.")  # fmt: skip
        # A person joins a consortium through the solver organisation they edit.
        person = f.profile(full_name="Pythonista", skill_slugs=("python",))
        f.org(person.user, kind="startup", name="Taller Py", skill_slugs=("machine-learning",))
        agency_id = agency.id
    auth.login("agencia@example.org")
    with fake_matching(app):
        titles, team = _suggested(app, client, agency_id, ["consortia"])
    assert "Visión Parcial" not in titles  # a company cannot propose alone here
    assert "Visión Parcial" in team, (team, titles)  # but joins the consortium
    assert "Visión Civil" not in team  # an NGO never solves
