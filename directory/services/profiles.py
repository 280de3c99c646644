"""A person's own profile: create, edit, publish, unpublish and re-confirm it.

Only the fields in `ProfileInput` can ever be written from outside, so a form posted with
`role`, `user_id` or `verified` changes nothing (SECURITY.md row 15). Consent changes are
audited one by one, with their time, because withdrawing consent has legal weight.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from .. import geo, vocab
from ..extensions import db
from ..models import Profile, Skill, User, utcnow
from ..text import is_http_url
from . import audit
from .skills import resolve_skills

MAX_SKILLS = 30
MAX_SKILL_TERM = 80
MAX_LINKS = 5
MAX_LINK = 300
LIMITS = {"full_name": 120, "headline": 200, "bio": 10_000, "city": 120}
CONFIRM_EVERY = timedelta(days=365)
PRIVATE = "private"
PUBLISHED_LEVELS = ("members", "public")

# Plain attributes copied from ProfileInput; skills are resolved separately.
SIMPLE_FIELDS = (
    "full_name", "headline", "bio", "kind", "seniority", "languages", "diaspora_status",
    "country_code", "state_code", "city", "open_to", "available_from", "links", "visibility",
    "contact_consent", "matching_consent", "work_modes", "relocate", "degree",
    "needs_work_permit",
)  # fmt: skip
CONSENTS = {"contact_consent": "consent.contact", "matching_consent": "consent.matching"}


class ProfileError(ValueError):
    """A refusal with a message fit to show the user, tied to a form field."""

    def __init__(self, field: str, message: str | LazyString) -> None:
        # Kept lazy so the message is translated where it is shown (a request, a CLI).
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass
class ProfileInput:
    """Everything a person may set on their own profile, and nothing else."""

    full_name: str
    headline: str = ""
    bio: str = ""
    kind: str = "engineer"
    seniority: str = "mid"
    skills: str = ""  # comma-separated, as typed: vocabulary labels, slugs or free text
    languages: list[str] = field(default_factory=list)
    diaspora_status: str = "local"
    country_code: str = "MX"
    state_code: str | None = None
    city: str = ""
    open_to: list[str] = field(default_factory=list)
    available_from: date | None = None
    # Feasibility: how I can work (empty / None: not said).
    work_modes: list[str] = field(default_factory=list)
    relocate: bool | None = None
    degree: str | None = None
    needs_work_permit: bool = False
    links: list[str] = field(default_factory=list)
    visibility: str = PRIVATE
    contact_consent: bool = False
    matching_consent: bool = False


def _fail(name: str, message: LazyString) -> ProfileError:
    return ProfileError(name, message)


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _check_choices(data: ProfileInput) -> None:
    """Every controlled value must come from its vocabulary."""
    choose = _l("Choose one of the options.")
    for name, group in (
        ("kind", vocab.PROFILE_KINDS),
        ("seniority", vocab.SENIORITY),
        ("diaspora_status", vocab.DIASPORA_STATUS),
        ("visibility", vocab.VISIBILITY),
    ):
        if getattr(data, name) not in group:
            raise _fail(name, choose)
    for name, group in (
        ("languages", vocab.LANGUAGES),
        ("open_to", vocab.OPEN_TO),
        ("work_modes", vocab.REMOTE_POLICIES),
    ):
        if any(value not in group for value in getattr(data, name)):
            raise _fail(name, choose)
    if data.degree is not None and data.degree not in vocab.DEGREES:
        raise _fail("degree", choose)


def _check_place(data: ProfileInput) -> None:
    """Mexico needs a state; abroad the state is dropped, and "abroad" means outside Mexico."""
    if data.country_code not in dict(geo.countries("en")):
        raise _fail("country_code", _l("Choose one of the options."))
    if data.country_code == "MX":
        if not data.state_code or data.state_code not in geo.STATE_NAMES:
            raise _fail("state_code", _l("Choose your state: it is required in Mexico."))
        if data.diaspora_status == "abroad":
            raise _fail("country_code", _l("You said you live abroad: choose that country."))
    else:
        data.state_code = None


def _check_text(data: ProfileInput, current: Profile | None) -> None:
    """Lengths, links and the availability date."""
    data.full_name = " ".join(data.full_name.split())
    if not data.full_name:
        raise _fail("full_name", _l("This field is required."))
    data.headline = " ".join(data.headline.split())
    data.city = " ".join(data.city.split())
    data.bio = data.bio.strip()
    for name, limit in LIMITS.items():
        if len(getattr(data, name)) > limit:
            raise _fail(name, _l("Use at most %(max)d characters.", max=limit))
    if len(data.links) > MAX_LINKS:
        raise _fail("links", _l("Add at most %(n)d links.", n=MAX_LINKS))
    for link in data.links:
        if len(link) > MAX_LINK or not is_http_url(link):
            raise _fail(
                "links",
                _l(
                    "“%(link)s” is not a web address starting with http:// or https://.",
                    link=link[:80],
                ),
            )
    # A date already saved may have passed; only a newly chosen one must be today or later.
    stored = current.available_from if current is not None else None
    new_date = data.available_from and data.available_from != stored
    if new_date and data.available_from < date.today():
        raise _fail("available_from", _l("The date cannot be in the past."))


def resolve_profile_skills(raw: str) -> tuple[list[Skill], list[str]]:
    """Split typed skills into vocabulary skills and free-text ones, refusing more than 30."""
    found, unknown = resolve_skills(raw)
    if len(found) + len(unknown) > MAX_SKILLS:
        raise _fail(
            "skills",
            _l(
                "Add at most %(max)d skills; you added %(count)d.",
                max=MAX_SKILLS,
                count=len(found) + len(unknown),
            ),
        )
    for term in unknown:
        if len(term) > MAX_SKILL_TERM:
            raise _fail(
                "skills", _l("Each skill may have at most %(max)d characters.", max=MAX_SKILL_TERM)
            )
    return found, unknown


def validate(data: ProfileInput, current: Profile | None = None) -> tuple[list[Skill], list[str]]:
    """Check and normalise the input in place; return (vocabulary skills, free skills)."""
    data.languages = _unique(data.languages)
    data.open_to = _unique(data.open_to)
    data.work_modes = _unique(data.work_modes)
    data.links = _unique([link.strip() for link in data.links if link.strip()])
    _check_text(data, current)
    _check_choices(data)
    _check_place(data)
    return resolve_profile_skills(data.skills)


def save_profile(user: User, data: ProfileInput, *, ip: str = "") -> Profile:
    """Create or update the user's profile from whitelisted fields; audit consent changes."""
    profile = user.profile
    # Validate (and query the vocabulary) before anything is added, so autoflush never
    # meets a half-filled profile.
    found, free = validate(data, profile)
    creating = profile is None
    if profile is None:
        profile = Profile(user=user, visibility=PRIVATE)
        before: dict[str, Any] = {"contact_consent": False, "matching_consent": False}
    else:
        before = {name: getattr(profile, name) for name in (*CONSENTS, "visibility")}
    for name in SIMPLE_FIELDS:
        setattr(profile, name, getattr(data, name))
    profile.skills = found
    profile.free_skills = free
    # Saving means the owner has just looked at every field: the profile is confirmed.
    profile.confirmed_at = utcnow()
    db.session.add(profile)
    db.session.flush()
    target = {"actor": user, "target_kind": "profile", "target_id": profile.id, "ip": ip}
    audit.record("profile.created" if creating else "profile.updated", **target)
    for name, action in CONSENTS.items():
        if bool(getattr(profile, name)) != bool(before[name]):
            audit.record(action, granted=bool(getattr(profile, name)), **target)
    if not creating and before["visibility"] != profile.visibility:
        audit.record(
            "profile.visibility", before=before["visibility"], after=profile.visibility, **target
        )
    return profile


def publish_profile(profile: Profile, visibility: str, *, actor: User, ip: str = "") -> Profile:
    """Show the profile to members or to everyone."""
    if visibility not in PUBLISHED_LEVELS:
        raise _fail("visibility", _l("Choose one of the options."))
    before = profile.visibility
    profile.visibility = visibility
    profile.confirmed_at = utcnow()
    db.session.flush()
    audit.record(
        "profile.published",
        actor=actor,
        target_kind="profile",
        target_id=profile.id,
        ip=ip,
        before=before,
        after=visibility,
    )
    return profile


def unpublish_profile(profile: Profile, *, actor: User, ip: str = "") -> Profile:
    """Make the profile private again: only its owner (and curators) see it."""
    before = profile.visibility
    profile.visibility = PRIVATE
    db.session.flush()
    audit.record(
        "profile.unpublished",
        actor=actor,
        target_kind="profile",
        target_id=profile.id,
        ip=ip,
        before=before,
    )
    return profile


def confirm_profile(profile: Profile, *, actor: User, ip: str = "") -> Profile:
    """Record that the owner says the profile is still current."""
    profile.confirmed_at = utcnow()
    db.session.flush()
    audit.record(
        "profile.confirmed", actor=actor, target_kind="profile", target_id=profile.id, ip=ip
    )
    return profile


def needs_reconfirmation(profile: Profile, now: datetime | None = None) -> bool:
    """Whether a published profile was last confirmed more than a year ago."""
    now = now or utcnow()
    return profile.visibility != PRIVATE and profile.confirmed_at < now - CONFIRM_EVERY


def area_skills(profile: Profile) -> list[Skill]:
    """The profile's AI areas: vocabulary skills of the "area" category."""
    return [skill for skill in profile.skills if skill.category == "area"]


def other_skills(profile: Profile) -> list[Skill]:
    """The profile's vocabulary skills that are not AI areas."""
    return [skill for skill in profile.skills if skill.category != "area"]


def completeness_hints(profile: Profile) -> list[LazyString]:
    """What the owner could add so people and matching understand the profile better."""
    checks = [
        (bool(profile.headline), _l("Add a headline that says what you do.")),
        (len(profile.bio) >= 80, _l("Write a short bio about your work and interests.")),
        (bool(area_skills(profile)), _l("Add at least one AI area, such as computer vision.")),
        (len(profile.skills) + len(profile.free_skills) >= 3, _l("Add at least three skills.")),
        (bool(profile.languages), _l("Say which languages you work in.")),
        (bool(profile.open_to), _l("Say what you are open to: jobs, challenges, advising…")),
        (bool(profile.links), _l("Add a link to your work, such as a repository or paper.")),
        (profile.visibility != PRIVATE, _l("Your profile is private: publish it to be found.")),
        (profile.contact_consent, _l("Accept contact requests so people can reach you.")),
    ]
    return [hint for done, hint in checks if not done]


def completeness(profile: Profile) -> int:
    """A rough percentage of the profile that is filled in."""
    total = 9
    return round(100 * (total - len(completeness_hints(profile))) / total)


def form_data(profile: Profile | None, locale: str) -> dict[str, Any]:
    """Initial values of the edit form: the saved profile, or a private blank one."""
    if profile is None:
        return {"visibility": PRIVATE, "country_code": "MX", "kind": "engineer"}
    data = {name: getattr(profile, name) for name in SIMPLE_FIELDS}
    labels = [skill.label(locale) for skill in profile.skills] + list(profile.free_skills)
    data["skills"] = ", ".join(labels)
    # The form says yes/no/not said; the model holds True/False/None.
    data["relocate"] = {True: "yes", False: "no"}.get(profile.relocate, "")
    data["degree"] = profile.degree or ""
    return data
