"""The posting organisation compares proposals side by side and moves each on; the
proposer reads what they sent and may withdraw it until it is decided."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from directory.extensions import db
from directory.models import AuditEvent, Notification, Proposal, User

from .. import factories as f
from ..helpers import translated
from .conftest import AGENCY, HIGH, OTHER, STARTUP, UNI, count, login, proposal_data

XSS = '"><svg onload=alert(1)><img src=x onerror=alert(2)>'
SAFEGUARDS = {"sg_data_handling": "Cifrado.", "sg_explanations": "Razones visibles.",
              "sg_human_in_the_loop": "Revisión humana.", "sg_bias_testing": "Pruebas.",
              "sg_monitoring": "Tablero."}  # fmt: skip


@pytest.fixture
def two_proposals(app, market) -> dict[str, int]:
    """A high-risk challenge with proposals from the startup and the university."""
    agency = login(app, AGENCY)
    answers = {f"q_{code}": option for code, option in HIGH.items()}
    agency.post(f"/manage/challenges/{market.challenge}/risk", data=answers)
    with app.app_context():
        named = f.Organization.name == "Universidad del Bajío"
        uni_id = db.session.scalar(select(f.Organization.id).where(named))
    sent = {}
    for email, org, budget in ((STARTUP, market.startup, "850000"), (UNI, uni_id, "40000")):
        client = login(app, email)
        data = proposal_data(organization=str(org), budget_amount=budget, **SAFEGUARDS)
        if email == UNI:
            data.update(budget_currency="USD", timeline_weeks="30",
                        message="Un enfoque **académico** con evaluación abierta.")  # fmt: skip
        assert client.post(f"/challenges/{market.challenge}/propose", data=data).status_code == 302
    with app.app_context():
        for proposal in db.session.scalars(select(Proposal)):
            sent[proposal.user.email] = proposal.id
    return sent


def test_the_agency_sees_proposals_side_by_side(app, market, two_proposals):
    client = login(app, AGENCY, "en")
    response = client.get(f"/manage/challenges/{market.challenge}/compare")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    assert html.count('data-test="compare-column"') == 2
    assert "Visión Clínica" in html and "Universidad del Bajío" in html
    assert "850,000 MXN" in html and "40,000 USD" in html
    assert "16 weeks" in html and "30 weeks" in html
    assert "<strong>académico</strong>" in html  # approach rendered as safe Markdown
    assert html.count('data-test="compare-safeguard"') == 5
    assert "Revisión humana." in html and "Bias testing" in html
    assert 'href="https://example.org/demo" rel="nofollow noopener ugc"' in html
    es = login(app, AGENCY, "es").get(f"/manage/challenges/{market.challenge}/compare")
    assert "850,000 MXN" in es.get_data(as_text=True)


def test_shortlist_then_accept_from_the_comparison(app, market, two_proposals):
    client = login(app, AGENCY)
    proposal = two_proposals[STARTUP]
    url = f"/manage/proposals/{proposal}"
    moved = client.post(url, data={f"r{proposal}-status": "shortlisted", f"r{proposal}-message":
                                   "Nos interesa.", "return_to": "compare"})  # fmt: skip
    assert moved.status_code == 302
    assert moved.location.endswith(f"/manage/challenges/{market.challenge}/compare")
    short = client.get(f"/manage/challenges/{market.challenge}/compare?status=shortlisted")
    assert short.get_data(as_text=True).count('data-test="compare-column"') == 1
    client.post(url, data={f"r{proposal}-status": "accepted", "return_to": "compare"})
    with app.app_context():
        assert db.session.get(Proposal, proposal).status == "accepted"
        statuses = db.session.scalars(
            select(Notification.params)
            .join(User, User.id == Notification.user_id)
            .where(User.email == STARTUP, Notification.kind == "proposal_status")
            .order_by(Notification.id)
        ).all()
        assert [p["status"] for p in statuses] == ["shortlisted", "accepted"]
    # The proposer sees the answer; an accepted proposal can no longer be withdrawn.
    mine = login(app, STARTUP).get("/me/activity").get_data(as_text=True)
    assert translated(app, "Accepted", "es") in mine and "Nos interesa." not in mine
    assert 'data-test="withdraw"' not in mine


def test_outsiders_cannot_compare_or_move(app, market, two_proposals):
    url = f"/manage/challenges/{market.challenge}/compare"
    assert app.test_client().get(url).status_code == 302
    for email in (STARTUP, OTHER):
        assert login(app, email).get(url).status_code == 403
    proposal = two_proposals[UNI]
    login(app, STARTUP).post(f"/manage/proposals/{proposal}",
                             data={f"r{proposal}-status": "declined"})  # fmt: skip
    with app.app_context():
        assert db.session.get(Proposal, proposal).status == "received"


def test_the_proposer_withdraws_and_the_agency_is_told(app, market, two_proposals):
    client = login(app, STARTUP, "en")
    page = client.get("/me/activity").get_data(as_text=True)
    assert 'data-test="withdraw"' in page and "850,000 MXN" in page and "Human in the loop" in page
    proposal = two_proposals[STARTUP]
    done = client.post(f"/me/proposals/{proposal}/withdraw", follow_redirects=True)
    assert translated(app, "Your proposal was withdrawn. The organisation has been told.",
                      "en") in done.get_data(as_text=True)  # fmt: skip
    with app.app_context():
        row = db.session.get(Proposal, proposal)
        assert row.status == "withdrawn" and row.withdrawn_at is not None
        told = db.session.scalar(
            select(User.email)
            .join(Notification, Notification.user_id == User.id)
            .where(Notification.kind == "proposal_withdrawn")
        )
        assert told == AGENCY
        assert db.session.scalar(
            select(AuditEvent.id).where(AuditEvent.action == "proposal.withdrawn")
        )
    html = (
        login(app, AGENCY)
        .get(f"/manage/challenges/{market.challenge}/compare")
        .get_data(as_text=True)
    )
    assert html.count('data-test="compare-column"') == 1 and 'data-test="withdrawn-count"' in html
    # Twice, or someone else's: refused, nothing changes.
    again = client.post(f"/me/proposals/{proposal}/withdraw", follow_redirects=True)
    assert translated(app, "This proposal has already been decided or withdrawn.",
                      "en") in again.get_data(as_text=True)  # fmt: skip
    assert login(app, OTHER).post(f"/me/proposals/{two_proposals[UNI]}/withdraw").status_code == 404
    assert login(app, OTHER).post("/me/proposals/999999/withdraw").status_code == 404
    with app.app_context():
        assert db.session.get(Proposal, two_proposals[UNI]).status == "received"
    # A withdrawn proposal may be sent again.
    data = proposal_data(organization=str(market.startup), **SAFEGUARDS)
    assert client.post(f"/challenges/{market.challenge}/propose", data=data).status_code == 302
    assert count(app, Proposal) == 3


def test_hostile_text_in_a_proposal_stays_inert_everywhere(app, market):
    agency = login(app, AGENCY)
    agency.post(f"/manage/challenges/{market.challenge}/risk",
                data={f"q_{code}": option for code, option in HIGH.items()})  # fmt: skip
    client = login(app, STARTUP)
    data = proposal_data(
        organization=str(market.startup),
        message=f"{XSS} [x](javascript:alert(3)) <script>alert(4)</script>",
        team=XSS,
        links="https://example.org/?q=<script>",
        **{key: XSS for key in SAFEGUARDS},
    )
    response = client.post(f"/challenges/{market.challenge}/propose", data=data)
    assert response.status_code == 200 and XSS not in response.get_data(as_text=True)
    data["team"] = ""
    assert client.post(f"/challenges/{market.challenge}/propose", data=data).status_code == 302
    pages = [
        agency.get(f"/manage/challenges/{market.challenge}/compare"),
        agency.get(f"/manage/challenges/{market.challenge}/proposals"),
        client.get("/me/activity"),
    ]
    for page in pages:
        html = page.get_data(as_text=True)
        assert page.status_code == 200
        assert "<svg onload" not in html and "<img src=x" not in html
        assert "<script>alert(4)" not in html and "javascript:alert(3)" not in html
    compare = pages[0].get_data(as_text=True)
    assert "&lt;svg onload=alert(1)&gt;" in compare  # shown as text, not dropped
    assert 'href="https://example.org/?q=&lt;script&gt;"' in compare
