"""Build records for tests. Call inside an app context (the `app_ctx` fixture); each
function flushes and commits so requests made by the test client see the rows."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import count
from typing import Any

from sqlalchemy import select

from directory.extensions import db
from directory.models import (
    Challenge,
    Membership,
    Opening,
    Organization,
    Profile,
    Skill,
    Status,
    SuccessStory,
    User,
    utcnow,
)
from directory.services import accounts

from .conftest import PASSWORD

_seq = count(1)


def skills(*slugs: str) -> list[Skill]:
    """Vocabulary skills by slug (the vocabulary is loaded once per test session)."""
    found = list(db.session.scalars(select(Skill).where(Skill.slug.in_(slugs))))
    assert len(found) == len(slugs), f"unknown skill slug among {slugs}"
    return found


def user(email: str | None = None, role: str = "member", **fields: Any) -> User:
    """A member account with the shared test password."""
    account = accounts.register(email or f"user{next(_seq)}@example.org", PASSWORD)
    account.role = role
    for key, value in fields.items():
        setattr(account, key, value)
    db.session.commit()
    return account


def profile(
    owner: User | None = None,
    *,
    visibility: str = "public",
    skill_slugs: tuple[str, ...] = ("machine-learning", "python"),
    **fields: Any,
) -> Profile:
    """A profile; public and consenting to contact and matching unless told otherwise."""
    owner = owner or user()
    values: dict[str, Any] = {
        "full_name": f"Persona {next(_seq)}",
        "headline": "Ingeniera de aprendizaje automático",
        "bio": "Trabajo en visión por computadora.",
        "state_code": "JAL",
        "city": "Guadalajara",
        "contact_consent": True,
        "matching_consent": True,
    }
    values.update(fields)
    record = Profile(user=owner, visibility=visibility, **values)
    db.session.add(record)  # before the skills query autoflushes
    record.skills = skills(*skill_slugs)
    db.session.commit()
    return record


def org(
    owner: User | None = None,
    *,
    status: str = Status.PUBLISHED,
    kind: str = "startup",
    skill_slugs: tuple[str, ...] = ("computer-vision",),
    editors: tuple[User, ...] = (),
    **fields: Any,
) -> Organization:
    """An organisation, published unless told otherwise, with an owner when given."""
    n = next(_seq)
    values: dict[str, Any] = {
        "name": f"Organización {n}",
        "slug": f"organizacion-{n}",
        "description": "Desarrollamos visión por computadora para la industria.",
        "state_code": "NLE",
        "city": "Monterrey",
        "sectors": ["manufacturing"],
        "website": "https://example.org",
    }
    values.update(fields)
    record = Organization(kind=kind, status=status, **values)
    if status == Status.PUBLISHED:
        record.published_at = utcnow()
    db.session.add(record)  # before the skills query autoflushes
    record.skills = skills(*skill_slugs)
    if owner is not None:
        db.session.add(Membership(user=owner, organization=record, role="owner"))
    for editor in editors:
        db.session.add(Membership(user=editor, organization=record, role="editor"))
    db.session.commit()
    return record


def opening(
    organization: Organization | None = None,
    *,
    status: str = Status.PUBLISHED,
    skill_slugs: tuple[str, ...] = ("machine-learning", "python"),
    **fields: Any,
) -> Opening:
    """An opening closing in 30 days, published unless told otherwise."""
    values: dict[str, Any] = {
        "title": f"Ingeniería de aprendizaje automático {next(_seq)}",
        "description": "Buscamos a alguien para modelos de visión.",
        "state_code": "NLE",
        "city": "Monterrey",
        "closes_on": date.today() + timedelta(days=30),
    }
    values.update(fields)
    record = Opening(organization=organization or org(), status=status, **values)
    if status == Status.PUBLISHED:
        record.published_at = utcnow()
    db.session.add(record)  # before the skills query autoflushes
    record.skills = skills(*skill_slugs)
    db.session.commit()
    return record


def challenge(
    organization: Organization | None = None,
    *,
    status: str = Status.PUBLISHED,
    skill_slugs: tuple[str, ...] = ("computer-vision",),
    **fields: Any,
) -> Challenge:
    """A government challenge closing in 45 days, published unless told otherwise."""
    values: dict[str, Any] = {
        "title": f"Detección de fugas de agua {next(_seq)}",
        "problem": "Las fugas se detectan tarde.",
        "desired_outcome": "Un modelo que priorice inspecciones.",
        "data_available": "Sensores de presión por sector.",
        "sector": "environment",
        "stage": "prototype",
        "eligibility": ["startups", "research_centres", "individuals", "consortia"],
        "closes_on": date.today() + timedelta(days=45),
    }
    values.update(fields)
    record = Challenge(
        organization=organization or org(kind="government_agency"), status=status, **values
    )
    if status == Status.PUBLISHED:
        record.published_at = utcnow()
    db.session.add(record)  # before the skills query autoflushes
    record.skills = skills(*skill_slugs)
    db.session.commit()
    return record


def story(*, status: str = Status.PUBLISHED, featured: bool = False, **fields: Any) -> SuccessStory:
    """A bilingual success story."""
    n = next(_seq)
    values: dict[str, Any] = {
        "slug": f"historia-{n}",
        "title_es": f"Triaje con visión por computadora {n}",
        "title_en": f"Computer-vision triage {n}",
        "summary_es": "Un hospital redujo tiempos de espera.",
        "summary_en": "A hospital cut waiting times.",
        "sector": "health",
        "impact": [{"label_es": "Menos espera", "label_en": "Less waiting", "value": "-30%"}],
    }
    values.update(fields)
    record = SuccessStory(status=status, featured=featured, **values)
    if status == Status.PUBLISHED:
        record.published_at = utcnow()
    db.session.add(record)
    db.session.commit()
    return record


def unit(organization: Organization | None = None, **fields: Any) -> Any:
    """An innovation unit of a government agency (procurement)."""
    from directory.models.procurement import InnovationUnit

    values: dict[str, Any] = {
        "name": f"Unidad de innovación {next(_seq)}",
        "mandate": "Conversar con el ecosistema antes de comprar.",
        "contact": "innovacion@example.org",
    }
    values.update(fields)
    record = InnovationUnit(organization=organization or org(kind="government_agency"), **values)
    db.session.add(record)
    db.session.commit()
    return record


def question(challenge: Challenge, asker: User, **fields: Any) -> Any:
    """A question about a challenge, public and unanswered unless told otherwise."""
    from directory.models.procurement import ChallengeQuestion

    values: dict[str, Any] = {"body": f"¿Pregunta {next(_seq)}?", "public": True}
    values.update(fields)
    if values.get("answer") and "answered_at" not in values:
        values["answered_at"] = utcnow()
    record = ChallengeQuestion(challenge_id=challenge.id, asker_id=asker.id, **values)
    db.session.add(record)
    db.session.commit()
    return record


# --- the coalition (directory/models/coalition.py) -------------------------------------------


def coalition_member(
    organization: Organization | None = None, *, status: str = "active", tier: str = "member",
    joined_on: date | None = None, **fields: Any,
) -> Any:  # fmt: skip
    """An organisation's coalition membership, active since today unless told otherwise."""
    from directory.models.coalition import CoalitionMember

    if joined_on is None and status in ("active", "ended"):
        joined_on = date.today()
    record = CoalitionMember(organization=organization or org(), status=status, tier=tier,
                             joined_on=joined_on, **fields)  # fmt: skip
    db.session.add(record)
    db.session.commit()
    return record


def working_group(*, status: str = "published", coordinators: tuple[User, ...] = (),
                  **fields: Any) -> Any:  # fmt: skip
    """A working group, published unless told otherwise, with its coordinators."""
    from directory.models.coalition import GroupCoordinator, WorkingGroup

    n = next(_seq)
    values: dict[str, Any] = {
        "name_es": f"Grupo de ética {n}",
        "name_en": f"Ethics group {n}",
        "description_es": "Principios para una IA responsable.",
        "description_en": "Principles for responsible AI.",
    }
    values.update(fields)
    record = WorkingGroup(status=status, **values)
    record.coordinators = [GroupCoordinator(user_id=u.id) for u in coordinators]
    db.session.add(record)
    db.session.commit()
    return record


def consultation(*, status: str = "published", opens_on: date | None = None,
                 closes_on: date | None = None, **fields: Any) -> Any:  # fmt: skip
    """A consultation open today (published) with one question of each kind."""
    from directory.models.coalition import Consultation, ConsultationQuestion

    n = next(_seq)
    values: dict[str, Any] = {
        "title_es": f"Consulta nacional de IA {n}",
        "title_en": f"National AI consultation {n}",
        "context_es": "Queremos saber qué opina el ecosistema.",
        "context_en": "We want to know what the ecosystem thinks.",
    }
    values.update(fields)
    record = Consultation(
        status=status,
        opens_on=opens_on or date.today() - timedelta(days=1),
        closes_on=closes_on or date.today() + timedelta(days=30),
        **values,
    )
    yes_no = [{"es": "Sí", "en": "Yes"}, {"es": "No", "en": "No"}]
    areas = [{"es": "Salud", "en": "Health"}, {"es": "Educación", "en": "Education"},
             {"es": "Agua", "en": "Water"}]  # fmt: skip
    record.questions = [
        ConsultationQuestion(position=1, kind="single", text_es="¿Usa IA?",
                             text_en="Do you use AI?", options=yes_no),
        ConsultationQuestion(position=2, kind="multiple", text_es="¿En qué áreas?",
                             text_en="In which areas?", options=areas),
        ConsultationQuestion(position=3, kind="scale", text_es="¿Qué tan preparada está?",
                             text_en="How ready is it?"),
        ConsultationQuestion(position=4, kind="text", text_es="¿Qué propone?",
                             text_en="What do you propose?"),
    ]  # fmt: skip
    if status == "published":
        record.published_at = utcnow()
    db.session.add(record)
    db.session.commit()
    return record
