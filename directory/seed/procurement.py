"""Demo procurement: an innovation unit of the ADIP with members, questions and answers on
its challenges, a stage history, followers, and a challenge closed with an outcome."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from ..extensions import db
from ..models import Challenge, Organization, Profile, Status, User
from ..models.procurement import (
    ChallengeFollower,
    ChallengeOutcome,
    ChallengeQuestion,
    InnovationUnit,
    OutcomeAwardee,
    OutcomeKind,
    StageChange,
    UnitMember,
    UnitMemberStatus,
)

if TYPE_CHECKING:
    from . import DemoSeeder

UNIT_ORG = "adip-cdmx"
UNIT_NAME = "Equipo de Innovación en Tecnologías Emergentes (ETI) de la ADIP"
UNIT_MANDATE = (
    "Conversamos con el ecosistema de IA **antes de comprar**: publicamos retos, respondemos "
    "preguntas en público y damos seguimiento a cada proyecto como parte de un portafolio.\n\n"
    "_Unidad de demostración: ficticia, no representa a la institución._"
)
# (question, answer or "", public)
QUESTIONS = (
    ("¿Las solicitudes incluyen datos personales? ¿Cómo se entregarán?",
     "Sí. Se entregarán seudonimizadas, en un entorno de la Agencia, bajo convenio de "
     "confidencialidad; ningún dato sale de ese entorno.", True),
    ("¿Se aceptan propuestas de consorcios con una universidad?",
     "Sí, siempre que cada integrante esté en el directorio y confirme su participación.",
     True),
    ("¿El modelo debe ejecutarse en la infraestructura de la Agencia?",
     "De preferencia sí; en la propuesta indiquen requisitos de cómputo y costos de operación.",
     True),
    ("¿Podemos conocer el volumen mensual por canal antes de proponer?",
     "Les escribimos el desglose por canal en privado.", False),
    ("¿Habrá una sesión informativa en línea?", "", True),
)  # fmt: skip
STAGE_NOTES = (
    "Entrevistas con 12 áreas de atención ciudadana para entender los tiempos de canalización.",
    "Un prototipo clasificó 5 000 solicitudes históricas con revisión humana de cada caso.",
)
OUTCOME_NOTE = (
    "El jurado eligió la propuesta por su validación con datos locales y su plan de "
    "supervisión humana. El piloto empieza el próximo trimestre."
)


def _people(seeder: DemoSeeder, count: int, skip: set[int]) -> list[User]:
    """Demo people with public profiles, drawn with the seeder's generator."""
    public = list(
        db.session.scalars(
            select(User)
            .join(Profile, Profile.user_id == User.id)
            .where(Profile.visibility == "public", User.id.not_in(skip or {-1}))
            .order_by(User.id)
        )
    )
    return seeder.rng.sample(public, min(count, len(public)))


def _unit(seeder: DemoSeeder, agency: Organization, owner: User | None) -> InnovationUnit:
    unit = InnovationUnit(
        organization=agency,
        name=UNIT_NAME,
        mandate=UNIT_MANDATE,
        contact="eti.adip@example.org",
        created_at=seeder.after(agency.created_at),
        created_by_id=owner.id if owner else None,
    )
    db.session.add(unit)
    members = [owner] if owner is not None else []
    members += _people(seeder, 2, {m.id for m in members})
    for person in members:
        joined = seeder.after(unit.created_at, 20)
        db.session.add(UnitMember(unit=unit, user_id=person.id, status=UnitMemberStatus.ACTIVE,
                                  invited_at=joined, accepted_at=joined))  # fmt: skip
    return unit


def _questions(seeder: DemoSeeder, challenge: Challenge, askers: list[User]) -> None:
    start = challenge.published_at or challenge.created_at
    for (body, answer, public), asker in zip(QUESTIONS, askers, strict=False):
        asked = seeder.after(start, 20)
        db.session.add(
            ChallengeQuestion(
                challenge_id=challenge.id,
                asker_id=asker.id,
                body=body,
                public=public,
                created_at=asked,
                answer=answer,
                answered_at=seeder.after(asked, 5) if answer else None,
            )  # fmt: skip
        )
    for follower in askers[:3]:
        db.session.add(ChallengeFollower(challenge_id=challenge.id, user_id=follower.id))


def _history(seeder: DemoSeeder, challenge: Challenge, owner: User | None) -> None:
    """discovery → prototype → pilot, with a note at each move."""
    when = challenge.published_at or challenge.created_at
    path = ("discovery", "prototype", "pilot")
    for index, note in enumerate(STAGE_NOTES):
        when = seeder.after(when, 30)
        db.session.add(StageChange(challenge_id=challenge.id, from_stage=path[index],
                                   to_stage=path[index + 1], note=note, created_at=when,
                                   actor_id=owner.id if owner else None))  # fmt: skip
    challenge.stage = "pilot"


def _outcome(seeder: DemoSeeder, challenge: Challenge, winners: list[User]) -> None:
    """Close the challenge as awarded to a startup and a person of the directory."""
    challenge.status = Status.ARCHIVED  # closed before its proposal deadline
    decided = seeder.after(seeder.now - timedelta(days=4))
    outcome = ChallengeOutcome(challenge_id=challenge.id, kind=OutcomeKind.AWARDED,
                               note=OUTCOME_NOTE, decided_at=decided)  # fmt: skip
    outcome.awardees = [OutcomeAwardee(organization_id=seeder.orgs["tlali-labs"].id)]
    outcome.awardees += [OutcomeAwardee(profile_id=u.profile.id) for u in winners if u.profile]
    db.session.add(outcome)


def _another_agency_challenge(agency: Organization) -> Challenge | None:
    """A published challenge of another agency, when the unit's agency has only one."""
    return db.session.scalar(
        select(Challenge)
        .join(Organization, Organization.id == Challenge.organization_id)
        .where(Organization.kind == "government_agency", Organization.id != agency.id,
               Challenge.status == Status.PUBLISHED)
        .order_by(Challenge.id)
        .limit(1)
    )  # fmt: skip


def add_procurement(seeder: DemoSeeder) -> int:
    """Add the unit and its flow; return how many challenges it posts."""
    agency = seeder.orgs[UNIT_ORG]
    owner = seeder.owners.get(UNIT_ORG)
    unit = _unit(seeder, agency, owner)
    challenges = list(
        db.session.scalars(
            select(Challenge).where(Challenge.organization_id == agency.id).order_by(Challenge.id)
        )
    )
    for challenge in challenges:
        challenge.unit = unit
    published = [c for c in challenges if c.status == Status.PUBLISHED]
    askers = _people(seeder, len(QUESTIONS), {owner.id} if owner else set())
    if published:
        first = published[0]
        first.clarification_deadline = (first.closes_on or seeder.today) - timedelta(days=10)
        _questions(seeder, first, askers)
        _history(seeder, first, owner)
    closing = published[-1] if len(published) > 1 else _another_agency_challenge(agency)
    if closing is not None:
        _outcome(seeder, closing, askers[:1])
    db.session.flush()
    return len(challenges)
