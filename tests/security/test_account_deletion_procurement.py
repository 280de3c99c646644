"""Deleting an account removes what the person did in procurement, and "download my data"
holds it first (ARCO rights, SECURITY.md rows 28-29): questions, follows, unit places, and
the proposals that name them."""

from __future__ import annotations

from sqlalchemy import func, select

from directory.extensions import db
from directory.models import Proposal, User
from directory.models.procurement import (
    ChallengeFollower,
    ChallengeQuestion,
    InnovationUnit,
    UnitMember,
)
from directory.models.proposals import ProposalMember
from directory.services import account_deletion, data_export

from .. import factories as f


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_deleting_an_account_removes_its_procurement_traces(app):
    with app.app_context():
        person = f.user("ana@example.org")
        other = f.user("beto@example.org")
        agency = f.org(other, kind="government_agency")
        challenge = f.challenge(agency)
        unit = InnovationUnit(organization=agency, name="Innovación", created_by_id=person.id)
        db.session.add(unit)
        db.session.flush()
        db.session.add_all(
            [
                ChallengeQuestion(challenge_id=challenge.id, asker_id=person.id, body="¿Plazo?"),
                ChallengeFollower(challenge_id=challenge.id, user_id=person.id),
                UnitMember(unit_id=unit.id, user_id=person.id, invited_by_id=other.id),
            ]
        )
        theirs = Proposal(challenge=challenge, user=other, message="Propuesta de Beto")
        mine = Proposal(challenge=challenge, user=person, message="Mi propuesta")
        db.session.add_all([theirs, mine])
        db.session.flush()
        db.session.add_all(
            [
                ProposalMember(proposal_id=theirs.id, user_id=person.id),
                ProposalMember(proposal_id=mine.id, user_id=other.id),
            ]
        )
        db.session.commit()
        exported = data_export.export_user_data(person)
        assert exported["challenge_questions"][0]["question"] == "¿Plazo?"
        assert exported["challenges_followed"] and exported["innovation_units"]
        assert [n["proposal_id"] for n in exported["proposal_namings"]] == [theirs.id]

        account_deletion.delete_account(person, actor=None)
        db.session.commit()
        assert db.session.scalar(select(User).where(User.email == "ana@example.org")) is None
        for model in (ChallengeQuestion, ChallengeFollower, UnitMember):
            assert _count(model) == 0, model
        # Beto's proposal stays, without the naming; Ana's proposal and its namings go.
        assert [p.message for p in db.session.scalars(select(Proposal))] == ["Propuesta de Beto"]
        assert _count(ProposalMember) == 0
        assert db.session.get(InnovationUnit, unit.id).created_by_id is None


def test_deleting_an_account_removes_its_story_namings_and_exports_them_first(app):
    from directory.models.story_submissions import StoryNaming

    with app.app_context():
        person = f.user("ana@example.org")
        story = f.story(created_by_id=person.id)
        db.session.add(StoryNaming(story_id=story.id, user_id=person.id, status="confirmed"))
        db.session.commit()
        exported = data_export.export_user_data(person)
        assert [s["slug"] for s in exported["stories_submitted"]] == [story.slug]
        assert [n["story_id"] for n in exported["story_namings"]] == [story.id]
        account_deletion.delete_account(person, actor=None)
        db.session.commit()
        assert _count(StoryNaming) == 0
        kept = db.session.get(type(story), story.id)
        assert kept is not None and kept.created_by_id is None  # a published story stays
