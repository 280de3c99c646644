"""Structured proposals: what is saved, who may send one (eligibility, enforced), and the
refusals a proposer reads in their language."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from directory.extensions import db
from directory.models import AuditEvent, Notification, Proposal

from .. import factories as f
from ..helpers import translated
from .conftest import AGENCY, HIGH, PERSON, STARTUP, count, login, proposal_data


def _propose(client, challenge: int, **data: object):
    return client.post(f"/challenges/{challenge}/propose", data=proposal_data(**data))


def test_a_startup_editor_sends_a_structured_proposal(app, market):
    client = login(app, STARTUP)
    page = client.get(f"/challenges/{market.challenge}/propose").get_data(as_text=True)
    assert 'data-test="propose-form"' in page and "Visión Clínica" in page
    # Individuals are not eligible: "Myself" is not offered, only the startup.
    assert translated(app, "Myself", "es") not in page
    # Where consortia are, a person may propose in their own name as a consortium's lead.
    both = client.get(f"/challenges/{market.together}/propose").get_data(as_text=True)
    assert translated(app, "Myself, as the lead of a consortium", "es") in both
    response = _propose(client, market.challenge, organization=str(market.startup),
                        links="https://example.org/demo\nhttp://example.org/paper.pdf")  # fmt: skip
    assert response.status_code == 302
    with app.app_context():
        proposal = db.session.scalar(select(Proposal))
        assert proposal.organization_id == market.startup
        assert (proposal.budget_amount, proposal.budget_currency, proposal.timeline_weeks) == (
            850000, "MXN", 16,
        )  # fmt: skip
        assert proposal.links == ["https://example.org/demo", "http://example.org/paper.pdf"]
        assert proposal.message == "Un modelo de priorización con revisión clínica."
        assert proposal.consortium is False and proposal.members == []
        assert db.session.scalar(
            select(AuditEvent.action).where(AuditEvent.action == "proposal.created")
        )
        owner_told = db.session.scalar(
            select(Notification).where(Notification.kind == "response_received")
        )
        assert owner_told is not None


@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_person_is_refused_before_typing_when_individuals_are_not_eligible(app, market, lang):
    client = login(app, PERSON, lang)
    url = f"/challenges/{market.challenge}/propose"
    response = client.get(url)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'data-test="propose-refused"' in html and 'data-test="propose-form"' not in html
    groups = ", ".join(translated(app, g, lang) for g in ("Startups", "Research centres"))
    message = translated(
        app,
        "This challenge only takes proposals from: %(groups)s. You cannot propose in your own "
        "name, and none of the organisations you edit is of one of those kinds.",
        lang,
        groups=groups,
    )
    assert message in html
    # The challenge page says the same instead of offering the button.
    page = client.get(f"/challenges/{market.challenge}").get_data(as_text=True)
    assert message in page and 'data-test="propose"' not in page
    # And a forged submission is refused too: nothing saved, no 500.
    refused = _propose(client, market.challenge)
    assert refused.status_code == 200 and message in refused.get_data(as_text=True)
    assert count(app, Proposal) == 0


def test_an_organisation_of_an_ineligible_kind_is_refused(app, market):
    with app.app_context():
        firm = f.org(f.user("firma@example.org"), kind="company", name="Grandes Datos SA")
        firm_id = firm.id
    client = login(app, "firma@example.org", "en")
    html = client.get(f"/challenges/{market.challenge}/propose").get_data(as_text=True)
    assert 'data-test="propose-refused"' in html
    # Companies are not listed; even a hand-made post naming the firm is refused.
    assert _propose(client, market.challenge, organization=str(firm_id)).status_code == 200
    assert count(app, Proposal) == 0


def test_the_service_refuses_an_ineligible_lead_with_a_clear_message(app, market):
    from directory.models import Challenge, Organization, User
    from directory.services.engagement import EngagementError
    from directory.services.procurement import proposals

    with app.test_request_context():
        challenge = db.session.get(Challenge, market.challenge)
        founder = db.session.scalar(select(User).where(User.email == STARTUP))
        draft = proposals.Draft("Enfoque", 100, "MXN", 4)  # in my own name
        with pytest.raises(EngagementError) as refused:
            proposals.submit(challenge, founder, draft)
        assert refused.value.field == "organization"
        assert "título personal" in refused.value.message  # individuals, in Spanish
        ngo = f.org(founder, kind="ngo", name="ONG Salud")
        draft.organization = db.session.get(Organization, ngo.id)
        with pytest.raises(EngagementError, match="ONG Salud"):
            proposals.submit(challenge, founder, draft)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("budget_amount", ""),
        ("budget_amount", "-5"),
        ("budget_amount", "9" * 30),
        ("budget_amount", "mucho"),
        ("budget_currency", "EUR"),
        ("timeline_weeks", "0"),
        ("timeline_weeks", "521"),
        ("message", ""),
        ("message", "x" * 5001),
        ("links", "javascript:alert(1)"),
        ("links", "data:text/html,hola"),
        ("links", "ftp://example.org/x"),
        ("links", "\n".join(f"https://example.org/{n}" for n in range(6))),
        ("organization", "999999"),
    ],
)
def test_bad_input_is_refused_next_to_its_field_and_saves_nothing(app, market, field, value):
    client = login(app, STARTUP)
    data = {"organization": str(market.startup), field: value}
    response = _propose(client, market.challenge, **data)
    assert response.status_code == 200
    assert 'class="errors"' in response.get_data(as_text=True)
    assert count(app, Proposal) == 0


def test_one_proposal_per_organisation_and_a_withdrawn_one_can_be_sent_again(app, market):
    with app.app_context():
        colleague = f.user("colega@example.org")
        from directory.models import Membership

        db.session.add(Membership(user=colleague, organization_id=market.startup, role="editor"))
        db.session.commit()
    client = login(app, STARTUP)
    assert _propose(client, market.challenge, organization=str(market.startup)).status_code == 302
    again = _propose(client, market.challenge, organization=str(market.startup))
    assert translated(app, "You have already sent this proposal.", "es") in again.get_data(
        as_text=True
    )
    other = _propose(login(app, "colega@example.org"), market.challenge,
                     organization=str(market.startup))  # fmt: skip
    assert "Visión Clínica" in other.get_data(as_text=True) and other.status_code == 200
    assert count(app, Proposal) == 1


def test_safeguards_are_required_once_the_challenge_is_assessed(app, market):
    agency = login(app, AGENCY)
    answers = {f"q_{code}": option for code, option in HIGH.items()}
    assert (
        agency.post(f"/manage/challenges/{market.challenge}/risk", data=answers).status_code == 302
    )
    client = login(app, STARTUP, "en")
    page = client.get(f"/challenges/{market.challenge}/propose").get_data(as_text=True)
    for name in ("sg_data_handling", "sg_explanations", "sg_human_in_the_loop",
                 "sg_bias_testing", "sg_monitoring"):  # fmt: skip
        assert f'name="{name}"' in page
    assert "Bias testing" in page  # the safeguard's label, in the reader's language
    missing = _propose(client, market.challenge, organization=str(market.startup))
    assert missing.status_code == 200 and count(app, Proposal) == 0
    answers = {
        "sg_data_handling": "Datos cifrados en México.",
        "sg_explanations": "Cada prioridad muestra sus tres razones.",
        "sg_human_in_the_loop": "Una enfermera confirma cada cita.",
        "sg_bias_testing": "Medimos diferencias por sexo y región cada mes.",
        "sg_monitoring": "Tablero semanal e informe de incidentes.",
    }
    sent = _propose(client, market.challenge, organization=str(market.startup), **answers)
    assert sent.status_code == 302
    with app.app_context():
        proposal = db.session.scalar(select(Proposal))
        assert proposal.safeguards == {key[3:]: value for key, value in answers.items()}


def test_own_organisation_and_closed_challenges_are_refused(app, market):
    client = login(app, AGENCY)
    response = client.get(f"/challenges/{market.challenge}/propose")
    assert response.status_code == 302  # back to the challenge, with the reason
    refusal = translated(app, "You cannot send a proposal to your own organisation's challenge.",
                         "es")  # fmt: skip
    assert refusal in client.get(response.location).get_data(as_text=True)


def test_hostile_text_in_every_field_never_breaks_the_form(app, market):
    from ..security.test_rows_fuzz import HOSTILE, encode

    client = login(app, STARTUP)
    url = f"/challenges/{market.together}/propose"
    names = ["organization", "consortium", "partners", "message", "team", "budget_amount",
             "budget_currency", "timeline_weeks", "links"]  # fmt: skip
    for value in HOSTILE:
        response = client.post(url, data=encode(dict.fromkeys(names, value)),
                               content_type="application/x-www-form-urlencoded")  # fmt: skip
        assert response.status_code == 200, repr(value)
    assert count(app, Proposal) == 0


def test_proposals_are_rate_limited(app, market):
    saved = app.config["RATELIMIT_PROPOSAL"]
    app.config["RATELIMIT_PROPOSAL"] = "2 per minute"
    try:
        client = login(app, STARTUP)
        url = f"/challenges/{market.challenge}/propose"
        for _ in range(2):
            client.post(url, data=proposal_data(organization="nope"))
        limited = client.post(url, data=proposal_data(organization=str(market.startup)))
        assert limited.status_code == 429 and limited.headers["Retry-After"]
        assert client.get(url).status_code == 200  # reading the form is not limited
    finally:
        app.config["RATELIMIT_PROPOSAL"] = saved
    assert count(app, Proposal) == 0
