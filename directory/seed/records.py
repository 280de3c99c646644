"""Plain record types for the demo data tables (no database access here)."""

from __future__ import annotations

from typing import NamedTuple


class OrgSeed(NamedTuple):
    """One demo organisation; sectors and skills are space-separated slugs."""

    slug: str
    name: str
    kind: str
    state_code: str
    city: str
    size: str
    sectors: str
    skills: str
    website: str
    description: str
    # Letters: "v" verified, "c" chamber member, "p" pending moderation.
    flags: str = ""


class OpeningSeed(NamedTuple):
    """One demo opening; the description is completed from shared snippets."""

    org: str
    title: str
    kind: str
    seniority: str
    remote_policy: str
    skills: str
    summary: str
    lang: str = "es"
    relocation: bool = False


class ChallengeSeed(NamedTuple):
    """One demo challenge posted by an organisation."""

    org: str
    title: str
    sector: str
    stage: str
    eligibility: str
    budget: tuple[int, int]
    skills: str
    problem: str
    desired_outcome: str
    data_available: str
    state_code: str = "CMX"


class StorySeed(NamedTuple):
    """One bilingual success story."""

    slug: str
    orgs: str
    sector: str
    state_code: str
    title_es: str
    title_en: str
    summary_es: str
    summary_en: str
    body_es: str
    body_en: str
    impact: tuple[tuple[str, str, str], ...]
    featured: bool = False
