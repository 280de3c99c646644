"""The demo data shows the procurement flow: a unit with members, answered questions, a
stage history and a challenge closed with an outcome, all reachable from public pages."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from directory.extensions import db
from directory.models import Challenge, Status
from directory.models.procurement import (
    ChallengeOutcome,
    ChallengeQuestion,
    InnovationUnit,
    StageChange,
    UnitMember,
)


def test_the_demo_has_a_unit_questions_a_timeline_and_an_outcome(
    app: Flask, runner: FlaskCliRunner
) -> None:
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        unit = db.session.scalar(select(InnovationUnit))
        assert unit is not None and unit.organization.kind == "government_agency"
        assert sum(m.status == "active" for m in unit.members) >= 2
        answered = db.session.scalar(
            select(func.count()).where(
                ChallengeQuestion.answered_at.is_not(None), ChallengeQuestion.public.is_(True)
            )
        )
        assert answered >= 3
        change = db.session.scalar(select(StageChange))
        outcome = db.session.scalar(select(ChallengeOutcome))
        assert change is not None and outcome is not None and outcome.awardees
        assert db.session.get(Challenge, outcome.challenge_id).status == Status.ARCHIVED
        asked_on, unit_id = change.challenge_id, unit.id
        member_ids = {m.user_id for m in db.session.scalars(select(UnitMember))}
        assert len(member_ids) == len(unit.members)
    client = app.test_client()
    unit_page = client.get(f"/units/{unit_id}").get_data(as_text=True)
    assert 'data-test="unit-member"' in unit_page and 'data-test="unit-open-challenges"' in (
        unit_page
    )
    page = client.get(f"/challenges/{asked_on}").get_data(as_text=True)
    assert page.count('data-test="answer"') >= 3 and 'data-test="timeline-note"' in page
    closed = client.get(f"/challenges/{outcome.challenge_id}").get_data(as_text=True)
    assert 'data-test="outcome"' in closed and 'data-test="awardee"' in closed
