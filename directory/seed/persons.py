"""Build the 120 fictional demo people (User + Profile) from the word lists in people.py."""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta
from typing import TYPE_CHECKING

from ..extensions import db
from ..models import Profile, User
from . import people as words

if TYPE_CHECKING:
    from . import DemoSeeder

PEOPLE = 120
ABROAD = 30  # living abroad, no plans announced
RETURNING = 10  # living abroad, planning to come back
RETURNED = 6  # back in Mexico
OPEN_TO_LOCAL = ("jobs", "challenges", "research_collaboration", "advising")
OPEN_TO_ORDER = (*OPEN_TO_LOCAL, "visiting_stay", "full_return")
AREA_CODES = {"CMX": "55", "JAL": "33", "NLE": "81", "PUE": "222", "QUE": "442", "YUC": "999"}
SENIORITY = {
    "student": ("junior",),
    "founder": ("lead", "executive", "senior"),
    "executive": ("executive", "lead"),
}
POLICY_TRACK = next(track for track in words.TRACKS if track.en == "AI ethics and governance")
COUNTRY_ES = {
    "US": "Estados Unidos", "CA": "Canadá", "ES": "España", "DE": "Alemania",
    "GB": "Reino Unido", "FR": "Francia", "NL": "Países Bajos", "CH": "Suiza",
    "CL": "Chile", "BR": "Brasil", "AU": "Australia", "JP": "Japón",
}  # fmt: skip


def ascii_slug(text: str) -> str:
    """Fold accents and spaces: "José Luis" → "jose-luis"."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(folded.lower().split())


def _expand(counts: dict[str, int]) -> list[str]:
    """Turn {"a": 2, "b": 1} into ["a", "a", "b"]."""
    return [kind for kind, n in counts.items() for _ in range(n)]


class PersonFactory:
    """Make one person at a time from the seeder's random generator."""

    def __init__(self, seeder: DemoSeeder, password_hash: str) -> None:
        self.seeder = seeder
        self.rng = seeder.rng
        self.password_hash = password_hash
        self.names: set[tuple[str, str, str]] = set()
        statuses = (
            ["abroad"] * ABROAD
            + ["returning"] * RETURNING
            + ["returned"] * RETURNED
            + ["local"] * (PEOPLE - ABROAD - RETURNING - RETURNED)
        )
        self.rng.shuffle(statuses)
        self.statuses = statuses
        self.local_kinds = _expand(words.LOCAL_KINDS)
        self.abroad_kinds = _expand(words.ABROAD_KINDS)
        self.rng.shuffle(self.local_kinds)
        self.rng.shuffle(self.abroad_kinds)
        visibility = ["public"] * 84 + ["members"] * 18 + ["private"] * 18
        self.rng.shuffle(visibility)
        self.visibility = visibility

    def name(self) -> tuple[str, str, str, bool]:
        """Return a unique (given names, first surname, second surname, is_female)."""
        while True:
            female = self.rng.random() < 0.5
            first = self.rng.choice(words.FEMALE_NAMES if female else words.MALE_NAMES)
            last1, last2 = self.rng.sample(words.SURNAMES, 2)
            if (first, last1, last2) not in self.names:
                self.names.add((first, last1, last2))
                return first, last1, last2, female

    def open_to(self, status: str) -> list[str]:
        """Return what the person is open to, in a stable order."""
        chosen = set(self.rng.sample(OPEN_TO_LOCAL, self.rng.randint(1, 3)))
        if status in ("abroad", "returning"):
            extra = ("full_return", "visiting_stay", "advising")
            chosen |= set(self.rng.sample(extra, self.rng.randint(1, 2)))
        if status == "returning":
            chosen |= {"full_return", "jobs"}
        return [item for item in OPEN_TO_ORDER if item in chosen]

    def bio(
        self, track: words.Track, english: bool, female: bool, status: str, student: bool
    ) -> str:
        """Write a 2–4 sentence bio in the person's language."""
        years = self.rng.randint(2, 5) if student else self.rng.randint(3, 15)
        abroad = status in ("abroad", "returning")
        if english:
            parts = [
                self.rng.choice(words.BIO_OPENINGS_EN).format(track=track.en, years=years),
                self.rng.choice(words.BIO_MIDDLES_EN),
            ]
            if abroad:
                closings = words.BIO_CLOSINGS_ABROAD_EN
                parts.append(closings[0] if status == "returning" else self.rng.choice(closings))
            return " ".join(parts)
        ending = "a" if female else "o"
        parts = [
            self.rng.choice(words.BIO_OPENINGS_ES).format(track=track.es, years=years, o=ending),
            self.rng.choice(words.BIO_MIDDLES_ES),
        ]
        if status == "returned":
            country = COUNTRY_ES[self.rng.choice(words.ABROAD_PLACES)[0]]
            parts.append(f"Regresé a México tras {self.rng.randint(3, 9)} años en {country}.")
        closings = words.BIO_CLOSINGS_ABROAD_ES if abroad else words.BIO_CLOSINGS_LOCAL_ES
        closing = closings[0] if status == "returning" else self.rng.choice(closings)
        parts.append(closing.format(o=ending))
        return " ".join(part for part in parts if part)

    def headline(self, kind: str, track: words.Track, english: bool, female: bool) -> str:
        """Return a headline such as "Ingeniera de aprendizaje automático en visión..."."""
        title_f, title_m, title_en = words.KIND_TITLES[kind]
        if english:
            return f"{title_en}, {track.en}"
        joiner = (
            " en " if kind in {"researcher", "engineer", "data_scientist", "student"} else " · "
        )
        return (title_f if female else title_m) + joiner + track.es

    def make(self, number: int) -> User:
        """Build the number-th demo person (1-based) and add it to the session."""
        rng = self.rng
        status = self.statuses[number - 1]
        abroad = status in ("abroad", "returning")
        kind = (self.abroad_kinds if abroad else self.local_kinds).pop()
        first, last1, last2, female = self.name()
        track = POLICY_TRACK if kind == "policy_expert" else rng.choice(words.TRACKS)
        english = rng.random() < (0.35 if abroad else 0.05)
        languages = ["es", "en"] if rng.random() < 0.9 else ["es"]
        if abroad:
            country, city, extra_language = rng.choice(words.ABROAD_PLACES)
            state_code = None
            languages = ["es", "en"] + ([extra_language] if extra_language else [])
        else:
            country = "MX"
            places = words.LOCAL_PLACES
            state_code, city, _ = rng.choices(places, [place[2] for place in places])[0]
        domain = "example.com" if rng.random() < 0.2 else "example.org"
        email = f"{ascii_slug(first).split('-')[0]}.{ascii_slug(last1)}.{number}@{domain}"
        handle = f"{ascii_slug(first)}-{ascii_slug(last1)}"
        hosts = rng.sample(words.LINK_HOSTS, rng.randint(0, 2))
        visibility = self.visibility[number - 1]
        shown = visibility != "private"
        slugs = track.skills.split()
        rng.shuffle(slugs)
        skill_slugs = " ".join(slugs[: rng.randint(3, min(8, len(slugs)))])
        created = self.seeder.past(540)
        available: date | None = None
        if status == "returning":
            available = self.seeder.today + timedelta(days=rng.randint(60, 300))
        elif rng.random() < 0.6:
            available = self.seeder.today + timedelta(days=rng.randint(-30, 240))
        phone = ""
        if rng.random() < 0.8:
            phone = f"+52 {AREA_CODES.get(state_code or 'CMX', '55')} 0000 {number:04d}"
        user = User(
            email=email,
            password_hash=self.password_hash,
            locale="en" if english else "es",
            created_at=created,
        )
        user.profile = Profile(
            full_name=f"{first} {last1} {last2}",
            headline=self.headline(kind, track, english, female),
            bio=self.bio(track, english, female, status, kind == "student"),
            kind=kind,
            seniority=rng.choice(SENIORITY.get(kind, ("junior", "mid", "mid", "senior", "lead"))),
            languages=languages,
            city=city,
            state_code=state_code,
            country_code=country,
            diaspora_status=status,
            open_to=self.open_to(status),
            available_from=available,
            links=[f"https://{host}.example.org/{handle}" for host in hosts],
            free_skills=(
                rng.sample(words.FREE_SKILLS, rng.randint(1, 2)) if rng.random() < 0.12 else []
            ),
            phone=phone,
            visibility=visibility,
            contact_consent=rng.random() < (0.85 if shown else 0.2),
            matching_consent=rng.random() < (0.85 if shown else 0.2),
            created_at=created,
            updated_at=self.seeder.after(created, 90),
            confirmed_at=self.seeder.after(created),
            skills=self.seeder.skill_list(skill_slugs, 3, 8),
        )
        db.session.add(user)
        return user


def seed_people(seeder: DemoSeeder, password_hash: str) -> list[User]:
    """Add the 120 demo people, all sharing one password hash, and flush."""
    factory = PersonFactory(seeder, password_hash)
    users = [factory.make(number) for number in range(1, PEOPLE + 1)]
    db.session.flush()
    return users
