"""Write judgments.tsv: a Mexican tech recruiter's grades, 0–3, for every pair of the set.

The grades come from three hand-written inputs and nothing else (no model, no product code):

- records.jsonl: the records, with the feasibility fields (place, work modes, relocation,
  openness, degree, residence, languages, work permit, availability, eligibility);
- annotations.json: the recruiter's reading of each record: the competence areas a person
  really has (from the whole bio, not the skill list), and for each post the areas it
  cannot do without (`core`), the ones that help (`plus`), the seniority levels it takes
  and, when not the default, which `open_to` values fit it (`accepts`);
- overrides.tsv: pairs the recruiter grades differently from the rules, each with a reason.

The rules, in the order a recruiter reads a candidate:

1. Skills and domain: 3 when the person has every core area (and, when the post has a
   single core area, a plus area too); 2 for that single core area alone, or for the first
   core area (the one the post is about) and at least half of the others; 1 for some core
   or plus area; 0 otherwise.
2. Role and seniority: one level from what the post takes caps at 2, two or more at 1 (an
   internship: one level caps at 1, two at 0). Product managers, policy experts and
   executives cap at 1 for posts that do not need that role; product and policy posts cap
   everyone else at 1.
3. Whether the person can take it (openings): a hard requirement unmet gives 0 — degree
   below `min_degree`, a required language not spoken, a work permit needed and not
   sponsored (unless the job is remote and open to residents abroad), residence in Mexico
   or abroad not met, `open_to` without anything the post accepts, an onsite or hybrid job
   in another state for someone who will not relocate, someone abroad who will not return,
   a remote-only person for an onsite or hybrid job. Softer misfits cap at 1 (work mode
   not wanted, relocation not said) or 2 (abroad and open to return, for a remote job that
   needs residence in Mexico; available in more than six months, or twelve for research posts
   and fellowships). A visiting fellowship does not ask a visitor to move.
   Two soft misses compound: a 2 on two counts (say, skills and seniority) becomes a 1.
4. Challenges: a person whose kind is not eligible (no `individuals`, and no membership of
   an eligible organisation) caps at 1, and a member of the posting organisation gets 0;
   not open to challenges caps at 1; abroad for a pilot caps at 2; a junior caps at 2.

    .venv/bin/python bench/data/grade.py     # rewrites bench/data/judgments.tsv
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent
TODAY = date(2026, 12, 2)  # when the set was graded: availability is read from this day
SENIORITY = ("junior", "mid", "senior", "lead", "executive")
DEGREES = ("none", "technical", "bachelor", "master", "phd")
# Hybrid work across these state borders is a daily commute, not a move.
COMMUTE = {frozenset(p) for p in (("CMX", "MEX"), ("CMX", "MOR"), ("PUE", "TLA"), ("NLE", "COA"))}
DEFAULT_ACCEPTS = {
    "job": {"jobs", "full_return"},
    "internship": {"jobs"},
    "research_position": {"jobs", "full_return"},
    "fellowship": {"jobs", "research_collaboration", "visiting_stay", "full_return"},
}
ELIGIBLE_KINDS = {
    "startup": "startups",
    "company": "companies",
    "research_centre": "research_centres",
    "university": "research_centres",
}


def load_records() -> dict[str, list[dict[str, Any]]]:
    """The records of records.jsonl by type."""
    records: dict[str, list[dict[str, Any]]] = {}
    with (DATA / "records.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                record = json.loads(line)
                records.setdefault(record["type"], []).append(record)
    return records


def skill_level(core: list[str], plus: list[str], areas: set[str]) -> int:
    """Rule 1: how much of what the post needs the person really has."""
    share = len(areas & set(core)) / len(core)
    if share == 1:
        # One core area is easy to have: the excellent fit also brings something extra.
        return 3 if len(core) > 1 or not plus or areas & set(plus) else 2
    if core[0] in areas and share >= 0.5:
        return 2
    return 1 if share > 0 or areas & set(plus) else 0


def role_cap(person: dict[str, Any], core: list[str]) -> int:
    """Rule 2: a non-technical role fits only posts about that role."""
    roles = {"product_manager": "product", "policy_expert": "policy", "executive": "leadership"}
    needed = {area for area in roles.values() if area in core}
    own = roles.get(person.get("kind", ""))
    if own and own not in core:
        return 1
    if needed and not own and needed - {"leadership"}:
        return 1
    return 3


def combine(skill: int, caps: list[int]) -> int:
    """The lowest of skill and caps; two soft misses at 2 make a 1."""
    grade = min(skill, *caps)
    if grade == 2 and [skill, *caps].count(2) >= 2:
        return 1
    return grade


def seniority_cap(person: dict[str, Any], wanted: list[str], internship: bool) -> int:
    """Rule 2: distance between the person's level and the levels the post takes."""
    level = SENIORITY.index(person.get("seniority", "mid"))
    distance = min(abs(level - SENIORITY.index(s)) for s in wanted)
    if distance == 0:
        return 3
    if internship:
        return 1 if distance == 1 else 0
    return 2 if distance == 1 else 1


def _abroad(person: dict[str, Any]) -> bool:
    return person.get("country", "MX") != "MX"


def _will_move_to_mexico(person: dict[str, Any]) -> bool:
    """Returning, open to a full return, or (a foreigner) willing to relocate."""
    open_to = set(person.get("open_to", []))
    return (
        person.get("diaspora_status") == "returning"
        or "full_return" in open_to
        or person.get("relocate") is True
    )


def opening_caps(person: dict[str, Any], post: dict[str, Any], note: dict[str, Any]) -> list[int]:
    """Rules 2 and 3 for a person and an opening: the grades feasibility allows."""
    kind = post.get("kind", "job")
    caps = [
        seniority_cap(person, note["seniority"], kind == "internship"),
        role_cap(person, note["core"]),
    ]
    open_to = set(person.get("open_to", []))
    accepts = set(note.get("accepts", DEFAULT_ACCEPTS[kind]))
    visiting = "visiting_stay" in accepts & open_to
    if open_to and not open_to & accepts:
        caps.append(0)
    minimum = post.get("min_degree")
    degree = person.get("degree")
    if minimum and degree and DEGREES.index(degree) < DEGREES.index(minimum):
        caps.append(0)
    elif minimum in ("master", "phd") and not degree:
        caps.append(1)
    spoken = set(person.get("languages", []))
    if not set(post.get("required_languages", [])) <= spoken:
        caps.append(0)
    policy = post.get("remote_policy", "onsite")
    residence = post.get("residence", "any")
    abroad = _abroad(person)
    contract_abroad = policy == "remote" and residence in ("any", "abroad")
    if person.get("needs_work_permit") and not post.get("sponsors_work_permit"):
        caps.append(3 if contract_abroad else 0)
    if residence == "abroad" and not abroad:
        caps.append(0)
    if residence == "mexico" and abroad:
        if not _will_move_to_mexico(person):
            caps.append(0)
        elif person.get("diaspora_status") != "returning" and policy == "remote":
            caps.append(2)
    if policy in ("onsite", "hybrid") and post.get("state") and not visiting:
        caps.append(_place_cap(person, post, policy))
    modes = person.get("work_modes") or []
    if modes and policy not in modes:
        caps.append(0 if modes == ["remote"] else 1)
    available = person.get("available_from")
    if available:
        months = (date.fromisoformat(available) - TODAY).days / 30
        patience = 12 if kind in ("research_position", "fellowship") else 6
        if months > 2 * patience:
            caps.append(1)
        elif months > patience:
            caps.append(2)
    return caps


def _place_cap(person: dict[str, Any], post: dict[str, Any], policy: str) -> int:
    """Where the job is against where the person is and would go."""
    if _abroad(person):
        return 3 if _will_move_to_mexico(person) else 0
    here, there = person.get("state"), post["state"]
    if here == there or (policy == "hybrid" and frozenset((here, there)) in COMMUTE):
        return 3
    relocate = person.get("relocate")
    if relocate is True:
        return 3
    return 0 if relocate is False else 1


def challenge_caps(
    person: dict[str, Any], post: dict[str, Any], org_kinds: dict[str, str]
) -> list[int]:
    """Rule 4 for a person and a challenge: the grades eligibility allows."""
    caps = [3]
    memberships = _memberships(person)
    if post["organization"] in memberships:
        return [0]
    eligibility = set(post.get("eligibility", []))
    kinds = {ELIGIBLE_KINDS.get(org_kinds[ref], "") for ref in memberships}
    eligible = (
        "individuals" in eligibility
        or bool(kinds & eligibility)
        or ("consortia" in eligibility and bool(kinds - {""}))
    )
    if not eligible:
        caps.append(1)
    open_to = set(person.get("open_to", []))
    if open_to and "challenges" not in open_to:
        caps.append(1)
    if _abroad(person) and post.get("stage") in ("pilot", "scale"):
        caps.append(2)
    if person.get("seniority") == "junior":
        caps.append(2)
    return caps


def _memberships(person: dict[str, Any]) -> set[str]:
    refs = set(person.get("organizations", {}))
    if person.get("organization"):
        refs.add(person["organization"])
    return refs


def load_overrides() -> dict[tuple[str, str], int]:
    """(post title, email) → grade, from overrides.tsv."""
    overrides: dict[tuple[str, str], int] = {}
    with (DATA / "overrides.tsv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            overrides[(row["post"], row["person"])] = int(row["grade"])
    return overrides


def grade_all() -> list[tuple[str, str, str, int]]:
    """Every (direction, query, target, grade) of the set."""
    records = load_records()
    notes = json.loads((DATA / "annotations.json").read_text(encoding="utf-8"))
    overrides = load_overrides()
    org_kinds = {org["ref"]: org["kind"] for org in records["organization"]}
    people = records["profile"]
    rows: list[tuple[str, str, str, int]] = []
    pairs: dict[tuple[str, str], int] = {}
    for post in records["opening"]:
        note = notes["openings"][post["title"]]
        for person in people:
            areas = set(notes["profiles"][person["email"]]["areas"])
            grade = combine(
                skill_level(note["core"], note["plus"], areas), opening_caps(person, post, note)
            )
            pairs[(post["title"], person["email"])] = grade
    for post in records["challenge"]:
        note = notes["challenges"][post["title"]]
        for person in people:
            areas = set(notes["profiles"][person["email"]]["areas"])
            grade = combine(
                skill_level(note["core"], note["plus"], areas),
                challenge_caps(person, post, org_kinds),
            )
            pairs[(post["title"], person["email"])] = grade
    unknown = set(overrides) - set(pairs)
    if unknown:
        raise SystemExit(f"overrides.tsv names pairs that do not exist: {sorted(unknown)}")
    pairs.update(overrides)
    openings = {post["title"] for post in records["opening"]}
    for (title, email), grade in pairs.items():
        if title in openings:
            rows.append(("opening_people", title, email, grade))
            rows.append(("person_openings", email, title, grade))
        else:
            rows.append(("challenge_people", title, email, grade))
    rows.sort(key=lambda r: (r[0], r[1], -r[3], r[2]))
    return rows


def main() -> None:
    """Grade every pair and write judgments.tsv."""
    rows = grade_all()
    with (DATA / "judgments.tsv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(("direction", "query", "target", "grade"))
        writer.writerows(rows)
    counts = Counter((direction, grade) for direction, _, _, grade in rows)
    for direction in ("opening_people", "challenge_people", "person_openings"):
        per_grade = ", ".join(f"{g}: {counts[(direction, g)]}" for g in (3, 2, 1, 0))
        print(f"{direction}: {per_grade}")


if __name__ == "__main__":
    main()
