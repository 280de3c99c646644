"""The risk self-assessment: scored from data into a level, shown on the challenge page,
and a questionnaire the chamber revises without a deploy."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from directory.extensions import db
from directory.models import AuditEvent, Challenge
from directory.models.proposals import RiskAssessment, RiskQuestionnaire
from directory.services.orgs import InvalidInput
from directory.services.procurement import risk
from directory.services.procurement.risk_schema import problems

from .. import factories as f
from ..helpers import translated
from .conftest import AGENCY, CURATOR, HIGH, LOW, OTHER, STARTUP, login


def _answers(chosen: dict[str, str]) -> dict[str, str]:
    return {f"q_{code}": option for code, option in chosen.items()}


MEDIUM = {**LOW, "autonomy": "decides_reviewed", "data": "sensitive"}  # 5 points


@pytest.mark.parametrize(("chosen", "level"), [(LOW, "low"), (MEDIUM, "medium"), (HIGH, "high")])
def test_answers_are_scored_into_a_level_with_its_safeguards(app, chosen, level):
    content = risk.default_content()
    points = risk.score(content, chosen)
    assert risk.level_for(content, points) == level
    codes = [s["code"] for s in risk.safeguards_for(content, level)]
    expected = {
        "low": ["data_handling"],
        "medium": ["data_handling", "explanations", "human_in_the_loop"],
        "high": ["data_handling", "explanations", "human_in_the_loop", "bias_testing",
                 "monitoring"],
    }[level]  # fmt: skip
    assert codes == expected


def test_the_shipped_questionnaire_is_valid_and_bilingual():
    content = risk.default_content()
    assert problems(content) == []
    codes = [q["code"] for q in content["questions"]]
    assert codes == ["rights", "autonomy", "data", "population", "reversibility", "oversight"]
    for question in content["questions"]:
        assert question["text_es"] != question["text_en"]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_agency_assesses_and_the_level_shows_on_the_challenge_page(app, market, lang):
    client = login(app, AGENCY, lang)
    url = f"/manage/challenges/{market.challenge}/risk"
    form = client.get(url)
    assert form.status_code == 200 and form.headers["Cache-Control"] == "no-store"
    html = form.get_data(as_text=True)
    question = risk.default_content()["questions"][0]
    assert question[f"text_{lang}"].replace("'", "&#39;") in html
    saved = client.post(url, data=_answers(HIGH), follow_redirects=True)
    level = translated(app, "High risk", lang)
    assert translated(app, "Saved. The challenge's risk level is: %(level)s.", lang,
                      level=level) in saved.get_data(as_text=True)  # fmt: skip
    with app.app_context():
        row = db.session.scalar(select(RiskAssessment))
        assert (row.level, row.score, row.questionnaire_version) == ("high", 17, 1)
        assert db.session.scalar(select(RiskQuestionnaire.version)) == 1  # stored on first use
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "risk_assessment.saved")
        )
        assert event.details["level"] == "high" and event.target_id == market.challenge
        # The level is a value of the challenge, in Python and in SQL (a facet can use it).
        assert db.session.get(Challenge, market.challenge).risk_level == "high"
        high = select(Challenge.id).where(Challenge.risk_level == "high")
        assert list(db.session.scalars(high)) == [market.challenge]
    anonymous = app.test_client()
    anonymous.set_cookie("lang", lang)
    page = anonymous.get(f"/challenges/{market.challenge}").get_data(as_text=True)
    assert 'data-test="risk-level" data-level="high"' in page and level in page
    assert "Bias testing" in page or "Pruebas de sesgo" in page
    assert 'data-test="risk-link"' not in page  # editors' links only for editors
    editor = client.get(f"/challenges/{market.challenge}").get_data(as_text=True)
    assert 'data-test="risk-link"' in editor and 'data-test="compare-link"' in editor


def test_a_new_answer_replaces_the_level(app, market):
    client = login(app, AGENCY)
    url = f"/manage/challenges/{market.challenge}/risk"
    client.post(url, data=_answers(HIGH))
    client.post(url, data=_answers(LOW))
    with app.app_context():
        rows = db.session.scalars(select(RiskAssessment)).all()
        assert [r.level for r in rows] == ["low"]


@pytest.mark.parametrize(
    "data",
    [{}, {"q_rights": "severe"}, {**_answers(HIGH), "q_rights": "catastrophic"},
     {**_answers(HIGH), "q_data": "<script>alert(1)</script>"}, {"q_rights": "\x00"}],
)  # fmt: skip
def test_an_incomplete_or_forged_answer_is_refused(app, market, data):
    client = login(app, AGENCY, "en")
    response = client.post(f"/manage/challenges/{market.challenge}/risk", data=data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'class="errors"' in html and "<script>alert(1)</script>" not in html
    with app.app_context():
        assert db.session.scalar(select(RiskAssessment)) is None


def test_only_the_organisations_editors_assess(app, market):
    url = f"/manage/challenges/{market.challenge}/risk"
    assert app.test_client().get(url).status_code == 302
    assert login(app, STARTUP).get(url).status_code == 403
    assert login(app, CURATOR).get(url).status_code == 403
    assert login(app, STARTUP).post(url, data=_answers(LOW)).status_code == 403
    with app.app_context():
        hidden = f.challenge(f.org(f.user(), kind="government_agency"), status="pending")
        hidden_id = hidden.id
    assert login(app, OTHER).get(f"/manage/challenges/{hidden_id}/risk").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(RiskAssessment)) is None


def test_a_challenge_that_decides_about_people_says_its_assessment_is_due(app, market):
    with app.app_context():
        challenge = db.session.get(Challenge, market.challenge)
        challenge.decides_about_people = True
        db.session.commit()
    page = app.test_client().get(f"/challenges/{market.challenge}").get_data(as_text=True)
    assert 'data-test="risk-due"' in page


# --- the questionnaire as data, revised by curators ----------------------------------------


def _revised(**changes) -> dict:
    content = risk.default_content()
    content["levels"][2]["min_points"] = changes.get("high", 4)
    content["levels"][1]["min_points"] = changes.get("medium", 2)
    content["questions"][0]["text_en"] = changes.get("text", "Could it deny a right?")
    return content


def test_curators_revise_the_questionnaire_and_new_assessments_use_it(app, market):
    curator = login(app, CURATOR, "en")
    page = curator.get("/curation/risk-questionnaire")
    assert page.status_code == 200
    assert 'data-test="questionnaire-preview"' in page.get_data(as_text=True)
    response = curator.post(
        "/curation/risk-questionnaire",
        data={"content": json.dumps(_revised()), "note": "Umbrales más estrictos"},
    )
    assert response.status_code == 302
    with app.app_context():
        versions = db.session.scalars(select(RiskQuestionnaire.version)).all()
        assert versions == [1, 2]  # the shipped one, then the revision
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "risk_questionnaire.saved")
        )
        assert event.details["version"] == 2 and event.details["note"] == "Umbrales más estrictos"
    agency = login(app, AGENCY, "en")
    form = agency.get(f"/manage/challenges/{market.challenge}/risk").get_data(as_text=True)
    assert "Could it deny a right?" in form
    medium = {**LOW, "rights": "significant"}  # 2 points: medium under the new thresholds
    agency.post(f"/manage/challenges/{market.challenge}/risk", data=_answers(medium))
    with app.app_context():
        row = db.session.scalar(select(RiskAssessment))
        assert (row.level, row.questionnaire_version) == ("medium", 2)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("no es json", "This is not valid JSON"),
        ("[]", "The questionnaire must be a JSON object."),
        (json.dumps(_revised(high=99)), "at most at the highest score"),
        (json.dumps(_revised(medium=0)), "medium above it"),
        (json.dumps(_revised(text="")), "the text in both languages is required"),
        (json.dumps({**risk.default_content(), "safeguards": []}), "Write between 1 and"),
    ],
)
def test_a_broken_questionnaire_is_refused_with_reasons(app, market, content, message):
    curator = login(app, CURATOR, "en")
    response = curator.post("/curation/risk-questionnaire", data={"content": content, "note": "x"})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(RiskQuestionnaire)) is None


def test_members_cannot_revise_the_questionnaire(app, market):
    member = login(app, AGENCY)
    url = "/curation/risk-questionnaire"
    assert member.get(url).status_code == 403
    revised = {"content": json.dumps(_revised()), "note": "x"}
    assert member.post(url, data=revised).status_code == 403
    with app.app_context():
        assert db.session.scalar(select(RiskQuestionnaire)) is None


def test_xss_in_a_revised_questionnaire_is_escaped_everywhere(app, market):
    xss = '"><img src=x onerror=alert(1)>'
    with app.test_request_context():
        content = _revised(text=xss)
        content["safeguards"][0]["label_en"] = xss
        curator = db.session.scalar(select(f.User).where(f.User.email == CURATOR))
        risk.save(content, actor=curator, note=xss)
        db.session.commit()
    agency = login(app, AGENCY, "en")
    form = agency.get(f"/manage/challenges/{market.challenge}/risk").get_data(as_text=True)
    assert xss not in form and "&lt;img src=x onerror=alert(1)&gt;" in form
    agency.post(f"/manage/challenges/{market.challenge}/risk", data=_answers(HIGH))
    page = app.test_client()
    page.set_cookie("lang", "en")
    html = page.get(f"/challenges/{market.challenge}").get_data(as_text=True)
    assert xss not in html
    admin = login(app, CURATOR, "en").get("/curation/risk-questionnaire").get_data(as_text=True)
    assert "<img src=x" not in admin


def test_the_service_refuses_a_note_too_long(app, market):
    with app.test_request_context():
        curator = db.session.scalar(select(f.User).where(f.User.email == CURATOR))
        with pytest.raises(InvalidInput):
            risk.save(risk.default_content(), actor=curator, note="x" * 501)


def test_the_command_stores_the_shipped_questionnaire_once(app, runner):
    first = runner.invoke(args=["load-risk-questionnaire"])
    assert first.exit_code == 0 and "version 1" in first.output
    again = runner.invoke(args=["load-risk-questionnaire"])
    assert "version 1" in again.output
    forced = runner.invoke(args=["load-risk-questionnaire", "--force"])
    assert "version 2" in forced.output
    with app.app_context():
        assert db.session.scalars(select(RiskQuestionnaire.version)).all() == [1, 2]


def test_curators_change_points_and_thresholds_in_a_plain_form(app, market):
    curator = login(app, CURATOR, "en")
    html = curator.get("/curation/risk-questionnaire").get_data(as_text=True)
    assert 'name="w-p_rights_severe"' in html and 'name="w-l_high"' in html
    content = risk.default_content()
    data = {"w-note": "La supervisión humana se exige desde riesgo bajo"}
    for question in content["questions"]:
        for option in question["options"]:
            data[f"w-p_{question['code']}_{option['code']}"] = str(option["points"])
    for level in content["levels"]:
        data[f"w-l_{level['code']}"] = str(level["min_points"])
    for safeguard in content["safeguards"]:
        data[f"w-s_{safeguard['code']}"] = safeguard["from_level"]
    data["w-s_human_in_the_loop"] = "low"
    data["w-p_rights_severe"] = "5"
    assert curator.post("/curation/risk-questionnaire", data=data).status_code == 302
    with app.app_context():
        stored = db.session.scalar(
            select(RiskQuestionnaire).order_by(RiskQuestionnaire.version.desc())
        )
        assert stored.version == 2
        saved = {s["code"]: s["from_level"] for s in stored.content["safeguards"]}
        assert saved["human_in_the_loop"] == "low"
        assert stored.content["questions"][0]["options"][3]["points"] == 5
        # The texts did not move.
        assert stored.content["questions"][0]["text_es"] == content["questions"][0]["text_es"]
    # Numbers that break the rules are refused with the reason, and nothing is saved.
    broken = {**data, "w-l_high": "0", "w-note": "x"}
    response = curator.post("/curation/risk-questionnaire", data=broken)
    assert response.status_code == 200 and "medium above it" in response.get_data(as_text=True)
    for bad in ("-1", "11", "mucho"):
        response = curator.post("/curation/risk-questionnaire", data={**data, "w-p_data_none": bad})
        assert response.status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.max(RiskQuestionnaire.version))) == 2
