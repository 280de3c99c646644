"""Demo coalition: member organisations over two years, two working groups with coordinators,
members, meetings and a document, and one open consultation answered by twelve people.

`add_coalition(seeder)` adds them to the session and flushes; seed_demo() calls it after the
organisations, people and memberships exist (the caller commits). Nobody is notified: the
consultation is marked as already announced.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from ..extensions import db
from ..models import Organization, Profile, Status, User
from ..models.coalition import (
    CoalitionMember,
    CoalitionStatus,
    CoalitionTier,
    Consultation,
    ConsultationAnswer,
    ConsultationQuestion,
    ConsultationResponse,
    GroupCoordinator,
    GroupMeeting,
    GroupMember,
    GroupOutput,
    GroupStatus,
    JoinStatus,
    QuestionKind,
    WorkingGroup,
)

if TYPE_CHECKING:
    from . import DemoSeeder

# (tier, days ago it joined): three founders two years ago, then members and an observer.
MEMBERS = (
    (CoalitionTier.FOUNDING, 720),
    (CoalitionTier.FOUNDING, 715),
    (CoalitionTier.FOUNDING, 700),
    (CoalitionTier.MEMBER, 540),
    (CoalitionTier.MEMBER, 400),
    (CoalitionTier.MEMBER, 250),
    (CoalitionTier.MEMBER, 90),
    (CoalitionTier.OBSERVER, 30),
)
GROUPS = (
    (
        "Ética e IA responsable",
        "Ethics and responsible AI",
        "Principios, evaluación de riesgos y **supervisión humana** para los sistemas de IA que "
        "se usan en México.\n\n_Grupo de demostración._",
        "Principles, risk assessment and **human oversight** for the AI systems used in Mexico."
        "\n\n_Demo group._",
        ("Taller: evaluación de impacto algorítmico", "https://example.org/etica/taller"),
    ),
    (
        "Datos abiertos para la IA",
        "Open data for AI",
        "Conjuntos de datos públicos, licencias y calidad de datos para entrenar y evaluar "
        "modelos.\n\n_Grupo de demostración._",
        "Public datasets, licences and data quality to train and evaluate models.\n\n_Demo group._",
        ("Guía de licencias de datos abiertos", "https://example.org/datos/guia"),
    ),
)
CONSULTATION = {
    "title_es": "Consulta nacional sobre talento en IA",
    "title_en": "National consultation on AI talent",
    "context_es": "¿Qué necesita el ecosistema para formar y retener talento en IA? Sus "
    "respuestas orientan el plan de trabajo del grupo de talento.\n\n_Consulta de demostración._",
    "context_en": "What does the ecosystem need to train and keep AI talent? Your answers "
    "guide the talent group's work plan.\n\n_Demo consultation._",
}
QUESTIONS = (
    (
        QuestionKind.SINGLE,
        "¿Su organización contrató perfiles de IA el último año?",
        "Did your organisation hire AI profiles last year?",
        [("Sí", "Yes"), ("No", "No"), ("No aplica", "Not applicable")],
    ),
    (
        QuestionKind.MULTIPLE,
        "¿Qué perfiles le cuesta más encontrar?",
        "Which profiles are hardest to find?",
        [
            ("Ingeniería de datos", "Data engineering"),
            ("MLOps", "MLOps"),
            ("Investigación", "Research"),
            ("Producto", "Product"),
        ],
    ),
    (
        QuestionKind.SCALE,
        "¿Qué tan preparada está la formación universitaria?",
        "How ready is university training?",
        [],
    ),
    (
        QuestionKind.TEXT,
        "¿Qué propone para retener talento en México?",
        "What do you propose to keep talent in Mexico?",
        [],
    ),
)
IDEAS = (
    "Becas de posgrado ligadas a proyectos con empresas mexicanas.",
    "Estancias cortas de la diáspora en centros de investigación.",
    "Salarios competitivos y trabajo remoto desde cualquier estado.",
    "Más datos públicos de calidad para proyectos aplicados.",
)
RESPONDENTS = 12


def _public_people(seeder: DemoSeeder, count: int, skip: set[int]) -> list[User]:
    rows = db.session.scalars(
        select(User)
        .join(Profile, Profile.user_id == User.id)
        .where(Profile.visibility == "public", User.id.not_in(skip or {-1}))
        .order_by(User.id)
    )
    people = list(rows)
    return seeder.rng.sample(people, min(count, len(people)))


def _members(seeder: DemoSeeder) -> list[Organization]:
    published = [o for o in seeder.orgs.values() if o.status == Status.PUBLISHED]
    owned = [o for o in published if o.slug in seeder.owners]
    others = [o for o in published if o.slug not in seeder.owners]
    # Owned organisations first: their owners coordinate groups and one asks to join.
    chosen = owned[:4] + seeder.rng.sample(others, min(len(MEMBERS) - 4, len(others)))
    for org, (tier, days) in zip(chosen, MEMBERS, strict=False):
        joined = seeder.today - timedelta(days=days)
        db.session.add(
            CoalitionMember(
                organization=org,
                status=CoalitionStatus.ACTIVE,
                tier=tier,
                joined_on=joined,
                requested_at=seeder.past(days + 10, days),
                decided_at=seeder.past(days, days - 1),
            )
        )
    waiting = owned[4] if len(owned) > 4 else None
    if waiting is not None:
        db.session.add(
            CoalitionMember(
                organization=waiting,
                tier=CoalitionTier.MEMBER,
                message="Queremos sumarnos al grupo de datos abiertos.",
            )
        )
    return chosen


def _meeting(seeder: DemoSeeder, group: WorkingGroup, days: int, place: str) -> None:
    day = seeder.today + timedelta(days=days)
    starts = datetime.combine(day, time(17, 0), tzinfo=seeder.now.tzinfo)  # 11:00 in CDMX
    db.session.add(
        GroupMeeting(
            group=group,
            starts_at=starts,
            place=place,
            link="https://meet.example.org/coalicion",
            agenda="1. Avances\n2. Próximos entregables",
        )
    )


def _groups(seeder: DemoSeeder, members: list[Organization]) -> int:
    people = _public_people(seeder, 4, set())
    for n, (name_es, name_en, text_es, text_en, (title, url)) in enumerate(GROUPS):
        group = WorkingGroup(
            name_es=name_es,
            name_en=name_en,
            description_es=text_es,
            description_en=text_en,
            status=GroupStatus.PUBLISHED,
            created_at=seeder.past(300, 200),
        )
        db.session.add(group)
        owner = seeder.owners.get(members[n].slug) if n < len(members) else None
        if owner is not None:
            group.coordinators.append(GroupCoordinator(user_id=owner.id))
        for org in members[n : n + 3]:
            group.members.append(GroupMember(organization_id=org.id, status=JoinStatus.ACTIVE))
        for person in people[n * 2 : n * 2 + 2]:
            group.members.append(GroupMember(user_id=person.id, status=JoinStatus.ACTIVE))
        if len(members) > 5:
            group.members.append(
                GroupMember(organization_id=members[5 + n].id, message="Nos interesa participar.")
            )
        _meeting(seeder, group, -40 - n, "Ciudad de México")
        _meeting(seeder, group, 14 + n, "En línea")
        db.session.add(
            GroupOutput(
                group=group,
                title=title,
                url=url,
                published_on=seeder.today - timedelta(days=20 + n),
            )
        )
    return len(GROUPS)


def _consultation(seeder: DemoSeeder) -> int:
    record = Consultation(
        **CONSULTATION,
        status=GroupStatus.PUBLISHED,
        opens_on=seeder.today - timedelta(days=10),
        closes_on=seeder.today + timedelta(days=20),
        published_at=seeder.now - timedelta(days=10),
        announced_at=seeder.now - timedelta(days=10),
    )
    for position, (kind, text_es, text_en, options) in enumerate(QUESTIONS, start=1):
        record.questions.append(
            ConsultationQuestion(
                position=position,
                kind=kind,
                text_es=text_es,
                text_en=text_en,
                options=[{"es": es, "en": en} for es, en in options],
            )
        )
    db.session.add(record)
    db.session.flush()
    single, multiple, scale, text = record.questions
    for person in _public_people(seeder, RESPONDENTS, set()):
        response = ConsultationResponse(consultation_id=record.id, user_id=person.id)
        rng = seeder.rng
        response.answers = [
            ConsultationAnswer(question_id=single.id, choices=[rng.choice((0, 0, 1, 2))]),
            ConsultationAnswer(question_id=multiple.id, choices=sorted(rng.sample(range(4), 2))),
            ConsultationAnswer(question_id=scale.id, scale=rng.randint(2, 4)),
            ConsultationAnswer(question_id=text.id, text=rng.choice(IDEAS)),
        ]
        db.session.add(response)
    return RESPONDENTS


def add_coalition(seeder: DemoSeeder) -> dict[str, int]:
    """Add the demo coalition, working groups and consultation; return the counts."""
    members = _members(seeder)
    db.session.flush()
    counts = {"coalition members": len(members), "working groups": _groups(seeder, members)}
    counts["consultation answers"] = _consultation(seeder)
    db.session.flush()
    return counts
