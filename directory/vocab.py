"""Controlled values of the data model with their translated labels.

One table per field, so forms, facets, badges and tests share the same names.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

Labels = dict[str, LazyString]

PROFILE_KINDS: Labels = {
    "researcher": _l("Researcher"),
    "engineer": _l("Engineer"),
    "data_scientist": _l("Data scientist"),
    "student": _l("Student"),
    "founder": _l("Founder"),
    "executive": _l("Executive"),
    "product_manager": _l("Product manager"),
    "policy_expert": _l("Policy expert"),
}
SENIORITY: Labels = {
    "junior": _l("Junior"),
    "mid": _l("Mid-level"),
    "senior": _l("Senior"),
    "lead": _l("Lead"),
    "executive": _l("Executive level"),
}
DIASPORA_STATUS: Labels = {
    "local": _l("Lives in Mexico"),
    "abroad": _l("Abroad"),
    "returning": _l("Returning to Mexico"),
    "returned": _l("Returned to Mexico"),
}
OPEN_TO: Labels = {
    "jobs": _l("Jobs"),
    "challenges": _l("Challenges"),
    "research_collaboration": _l("Research collaboration"),
    "advising": _l("Advising"),
    "visiting_stay": _l("Visiting stay"),
    "full_return": _l("Full return to Mexico"),
}
VISIBILITY: Labels = {
    "private": _l("Private (only me)"),
    "members": _l("Members of the directory"),
    "public": _l("Public"),
}
LANGUAGES: Labels = {
    "es": _l("Spanish"),
    "en": _l("English"),
    "fr": _l("French"),
    "de": _l("German"),
    "pt": _l("Portuguese"),
    "it": _l("Italian"),
    "zh": _l("Chinese"),
    "ja": _l("Japanese"),
    "nah": _l("Nahuatl"),
    "myn": _l("Maya"),
}
ORG_KINDS: Labels = {
    "startup": _l("Startup"),
    "company": _l("Company"),
    "research_centre": _l("Research centre"),
    "university": _l("University"),
    "government_agency": _l("Government agency"),
    "ngo": _l("NGO"),
    "chamber": _l("Chamber or association"),
}
SECTORS: Labels = {
    "health": _l("Health"),
    "agriculture": _l("Agriculture"),
    "finance": _l("Finance"),
    "government": _l("Government"),
    "education": _l("Education"),
    "energy": _l("Energy"),
    "manufacturing": _l("Manufacturing"),
    "mobility": _l("Mobility"),
    "retail": _l("Retail"),
    "security": _l("Security"),
    "environment": _l("Environment"),
    "legal": _l("Legal"),
    "telecom": _l("Telecommunications"),
    "media": _l("Media"),
}
ORG_SIZES: Labels = {
    "1-10": _l("1–10 people"),
    "11-50": _l("11–50 people"),
    "51-200": _l("51–200 people"),
    "201-1000": _l("201–1,000 people"),
    "1000+": _l("More than 1,000 people"),
}
OPENING_KINDS: Labels = {
    "job": _l("Job"),
    "internship": _l("Internship"),
    "fellowship": _l("Fellowship"),
    "research_position": _l("Research position"),
}
REMOTE_POLICIES: Labels = {
    "onsite": _l("On site"),
    "hybrid": _l("Hybrid"),
    "remote": _l("Remote"),
}
# Feasibility (issue 11): what a person can take on, what an opening requires.
DEGREES: Labels = {
    "none": _l("No degree"),
    "technical": _l("Technical degree"),
    "bachelor": _l("Bachelor's degree"),
    "master": _l("Master's degree"),
    "phd": _l("PhD"),
}
RESIDENCE: Labels = {
    "any": _l("Anywhere"),
    "mexico": _l("Living in Mexico"),
    "abroad": _l("Living outside Mexico"),
}
STAGES: Labels = {
    "discovery": _l("Discovery"),
    "prototype": _l("Prototype"),
    "pilot": _l("Pilot"),
    "scale": _l("Scale"),
}
# How a challenge ended (services/procurement/outcomes.py).
OUTCOME_KINDS: Labels = {
    "awarded": _l("Awarded"),
    "not_awarded": _l("Not awarded"),
    "cancelled": _l("Cancelled"),
}
ELIGIBILITY: Labels = {
    "startups": _l("Startups"),
    "companies": _l("Companies"),
    "research_centres": _l("Research centres"),
    "individuals": _l("Individuals"),
    "consortia": _l("Consortia"),
}
STATUS: Labels = {
    "draft": _l("Draft"),
    "pending": _l("Pending review"),
    "published": _l("Published"),
    "rejected": _l("Rejected"),
    "archived": _l("Closed"),
}
RESPONSE_STATUS: Labels = {
    "received": _l("Received"),
    "shortlisted": _l("Shortlisted"),
    "accepted": _l("Accepted"),
    "declined": _l("Declined"),
    "withdrawn": _l("Withdrawn"),
}
CONTACT_STATUS: Labels = {
    "pending": _l("Waiting for an answer"),
    "accepted": _l("Accepted"),
    "declined": _l("Declined"),
}
REPORT_REASONS: Labels = {
    "scam": _l("Scam or fraud"),
    "wrong": _l("Wrong or outdated information"),
    "offensive": _l("Offensive content"),
    "other": _l("Something else"),
}
RECORD_KINDS: Labels = {
    "organization": _l("Organisations"),
    "profile": _l("People"),
    "opening": _l("Openings"),
    "challenge": _l("Challenges"),
    "story": _l("Success stories"),
}
# Structured proposals and the risk self-assessment (services/procurement/).
RISK_LEVELS: Labels = {
    "low": _l("Low risk"),
    "medium": _l("Medium risk"),
    "high": _l("High risk"),
}
RISK_PRINCIPLES: Labels = {
    "transparency": _l("Transparency"),
    "accountability": _l("Accountability"),
    "fairness": _l("Fairness"),
    "privacy": _l("Privacy"),
    "safety": _l("Safety"),
    "human_oversight": _l("Human oversight"),
}
PROPOSAL_MEMBER_STATUS: Labels = {
    "pending": _l("Waiting for confirmation"),
    "confirmed": _l("Confirmed"),
    "declined": _l("Declined"),
}
# The coalition, its working groups and consultations (services/coalition/).
COALITION_TIERS: Labels = {
    "founding": _l("Founding member"),
    "member": _l("Member"),
    "observer": _l("Observer"),
}
COALITION_STATUS: Labels = {
    "requested": _l("Waiting for a curator"),
    "active": _l("Member of the coalition"),
    "declined": _l("Declined"),
    "ended": _l("Membership ended"),
}
GROUP_STATUS: Labels = {
    "draft": _l("Draft (curators only)"),
    "published": _l("Published"),
    "archived": _l("Archived"),
}
JOIN_STATUS: Labels = {
    "requested": _l("Waiting for the coordinators"),
    "active": _l("Member"),
    "declined": _l("Declined"),
}
QUESTION_KINDS: Labels = {
    "single": _l("Single choice"),
    "multiple": _l("Multiple choice"),
    "scale": _l("Scale from 1 to 5"),
    "text": _l("Free text"),
}
# Whether a person or organisation named in a story agreed (services/stories/naming.py).
STORY_NAMING_STATUS: Labels = {
    "waiting": _l("Waiting for an answer"),
    "confirmed": _l("Confirmed"),
    "declined": _l("Declined"),
}

GROUPS: dict[str, Labels] = {
    name.lower(): table
    for name, table in globals().items()
    if name.isupper() and isinstance(table, dict)
}


def label(group: str, value: str | None) -> str:
    """The translated label of a value, or the value itself when unknown."""
    table = GROUPS.get(group, {})
    return str(table[value]) if value in table else (value or "")


def pairs(group: str) -> list[tuple[str, LazyString]]:
    """(value, label) pairs of a group, for form choices."""
    return list(GROUPS[group].items())
