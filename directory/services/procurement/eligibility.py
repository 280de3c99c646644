"""Who may answer a challenge: one rule for proposals, suggested solvers and teams.

A challenge lists who may propose (vocab ``eligibility``): startups, companies, research
centres, individuals, consortia. An organisation is eligible when its kind falls in a listed
group; a person when individuals are listed; a team of several is a consortium, suggested
only when consortia are listed. Government agencies, NGOs and chambers are buyers and
conveners here, never solvers: no group covers them.
"""

from __future__ import annotations

from collections.abc import Iterable

# Organisation kind → the eligibility group it belongs to.
GROUP_OF_ORG_KIND = {
    "startup": "startups",
    "company": "companies",
    "research_centre": "research_centres",
    "university": "research_centres",
}
PERSON_GROUP = "individuals"
CONSORTIUM_GROUP = "consortia"
# A challenge that states nothing (an old import) is open to every solver group.
EVERYONE = ("startups", "companies", "research_centres", "individuals", "consortia")


def groups(eligibility: Iterable[str] | None) -> frozenset[str]:
    """The eligibility groups a challenge lists (all of them when it lists none)."""
    listed = frozenset(eligibility or ())
    return listed or frozenset(EVERYONE)


def organization_eligible(eligibility: Iterable[str] | None, org_kind: str | None) -> bool:
    """Whether an organisation of this kind may propose to a challenge."""
    group = GROUP_OF_ORG_KIND.get(org_kind or "")
    return group is not None and group in groups(eligibility)


def person_eligible(eligibility: Iterable[str] | None) -> bool:
    """Whether a person may propose in their own name."""
    return PERSON_GROUP in groups(eligibility)


def consortium_eligible(eligibility: Iterable[str] | None) -> bool:
    """Whether several organisations and people may propose together."""
    return CONSORTIUM_GROUP in groups(eligibility)


def may_join_consortium(kind: str, org_kind: str | None = None) -> bool:
    """Whether a record may be a member of a consortium (people, and solver organisations)."""
    return kind == "profile" or (org_kind or "") in GROUP_OF_ORG_KIND


def solver_eligible(eligibility: Iterable[str] | None, kind: str, org_kind: str | None) -> bool:
    """Whether a suggested solver (an organisation or a person) may propose on its own."""
    if kind == "profile":
        return person_eligible(eligibility)
    return organization_eligible(eligibility, org_kind)
