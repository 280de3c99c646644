"""Consortium partners and team members: named from the directory, each confirms before the
posting organisation sees their name; refusals reach the proposer."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from directory.extensions import db
from directory.models import AuditEvent, Notification, Proposal, User
from directory.models.proposals import ProposalMember

from .. import factories as f
from ..helpers import translated
from .conftest import AGENCY, OTHER, PERSON, STARTUP, UNI, count, login, proposal_data


def _send_consortium(app, market, **extra: object) -> int:
    client = login(app, STARTUP)
    data = proposal_data(
        organization=str(market.startup),
        consortium="y",
        partners=f"/organizations/{market.university_slug}\n"
        f"http://localhost/people/{market.person_profile}",
        **extra,
    )
    response = client.post(f"/challenges/{market.together}/propose", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    with app.app_context():
        return db.session.scalar(select(Proposal.id))


def _members(app) -> dict[str, int]:
    with app.app_context():
        rows = db.session.scalars(select(ProposalMember)).all()
        return {("org" if m.organization_id else "person"): m.id for m in rows}


def test_named_partners_are_asked_and_the_agency_sees_only_who_confirmed(app, market):
    _send_consortium(app, market)
    members = _members(app)
    with app.app_context():
        told = dict(
            db.session.execute(
                select(User.email, Notification.link)
                .join(User, User.id == Notification.user_id)
                .where(Notification.kind == "proposal_member")
            ).all()
        )
    assert told == {
        UNI: f"/proposals/members/{members['org']}",
        PERSON: f"/proposals/members/{members['person']}",
    }
    agency = login(app, AGENCY)
    compare = agency.get(f"/manage/challenges/{market.together}/compare").get_data(as_text=True)
    assert "Universidad del Bajío" not in compare and "Pablo Persona" not in compare
    assert translated(app, "Sent as a consortium; waiting for partners to confirm", "es") in compare

    # The university's owner and the person confirm from the link in their notifications.
    for email in (UNI, PERSON):
        client = login(app, email)
        page = client.get(told[email])
        assert page.status_code == 200 and 'data-test="member-confirm"' in page.get_data(
            as_text=True
        )
        assert client.post(told[email], data={"decision": "confirm"}).status_code == 302
    compare = agency.get(f"/manage/challenges/{market.together}/compare").get_data(as_text=True)
    assert "Universidad del Bajío" in compare and "Pablo Persona" in compare
    assert translated(app, "Yes: every partner confirmed", "es") in compare
    with app.app_context():
        answers = db.session.scalars(
            select(User.email)
            .join(Notification, Notification.user_id == User.id)
            .where(Notification.kind == "proposal_member_answer")
        ).all()
        assert answers == [STARTUP, STARTUP]
        assert db.session.scalar(
            select(AuditEvent.id).where(AuditEvent.action == "proposal_member.confirmed")
        )


def test_a_refusal_is_shown_to_the_proposer_and_the_consortium_does_not_count(app, market):
    _send_consortium(app, market)
    members = _members(app)
    person = login(app, PERSON, "en")
    person.post(f"/proposals/members/{members['person']}", data={"decision": "decline"})
    mine = login(app, STARTUP, "en").get("/me/activity").get_data(as_text=True)
    assert 'data-test="consortium-declined"' in mine
    assert "Pablo Persona" in mine and translated(app, "Declined", "en") in mine
    bell = login(app, STARTUP, "en").get("/me/notifications").get_data(as_text=True)
    assert "Pablo Persona declined to join your proposal for" in bell
    compare = login(app, AGENCY).get(f"/manage/challenges/{market.together}/compare")
    html = compare.get_data(as_text=True)
    assert "Pablo Persona" not in html
    assert translated(app, "Not a consortium: a partner declined", "es") in html


def test_only_the_named_party_and_the_proposer_reach_a_naming(app, market):
    _send_consortium(app, market)
    members = _members(app)
    url = f"/proposals/members/{members['person']}"
    assert login(app, OTHER).get(url).status_code == 404
    assert login(app, AGENCY).get(url).status_code == 404
    assert login(app, UNI).get(url).status_code == 404  # named too, but not on this line
    assert app.test_client().get(url).status_code == 302  # log in first
    proposer = login(app, STARTUP)
    page = proposer.get(url)
    assert page.status_code == 200 and 'data-test="member-confirm"' not in page.get_data(
        as_text=True
    )
    # The proposer cannot answer for the person named.
    proposer.post(url, data={"decision": "confirm"})
    outsider = login(app, OTHER)
    assert outsider.post(url, data={"decision": "confirm"}).status_code == 404
    with app.app_context():
        assert db.session.get(ProposalMember, members["person"]).status == "pending"


def test_consortium_rules_are_enforced(app, market):
    client = login(app, STARTUP)

    def send(challenge: int, **data: object):
        data = proposal_data(organization=str(market.startup), **data)
        return client.post(f"/challenges/{challenge}/propose", data=data)

    # No partner named.
    no_partner = send(market.together, consortium="y", partners="")
    assert no_partner.status_code == 200
    # An agency cannot be a partner; neither can an unknown or private address.
    with app.app_context():
        other_agency = f.org(kind="government_agency", name="Otra Secretaría")
        private = f.profile(visibility="private", full_name="Privada")
        slugs = (other_agency.slug, private.id)
    refused = send(market.together, consortium="y", partners=f"/organizations/{slugs[0]}")
    assert "Otra Secretaría" in refused.get_data(as_text=True)
    for bad in (f"/people/{slugs[1]}", "/people/999999", "javascript:alert(1)", "/organizations/x"):
        assert send(market.together, consortium="y", partners=bad).status_code == 200
    # A challenge that takes no consortia ignores the box: the proposal is not one.
    assert send(market.challenge, consortium="y",
                partners=f"/organizations/{market.university_slug}").status_code == 302  # fmt: skip
    with app.app_context():
        proposal = db.session.scalar(select(Proposal))
        assert proposal.consortium is False and proposal.members == []
    assert count(app, Proposal) == 1


def test_a_team_member_confirms_like_a_partner(app, market):
    client = login(app, STARTUP)
    data = proposal_data(organization=str(market.startup),
                         team=f"/people/{market.other_profile}")  # fmt: skip
    assert client.post(f"/challenges/{market.challenge}/propose", data=data).status_code == 302
    with app.app_context():
        member = db.session.scalar(select(ProposalMember))
        assert (member.role, member.status) == ("team", "pending")
        member_id = member.id
    other = login(app, OTHER, "en")
    notes = other.get("/me/notifications").get_data(as_text=True)
    assert "You were named on the team of a proposal for" in notes
    answer = other.post(f"/proposals/members/{member_id}", data={"decision": "confirm"})
    assert answer.status_code == 302
    compare = login(app, AGENCY).get(f"/manage/challenges/{market.challenge}/compare")
    assert "Olga Otra" in compare.get_data(as_text=True)


@pytest.mark.parametrize("decision", ["", "maybe", "\x00"])
def test_a_bad_decision_changes_nothing(app, market, decision):
    _send_consortium(app, market)
    members = _members(app)
    client = login(app, PERSON)
    response = client.post(f"/proposals/members/{members['person']}", data={"decision": decision})
    assert response.status_code in (200, 302)
    with app.app_context():
        assert db.session.get(ProposalMember, members["person"]).status == "pending"
