"""SECURITY.md rows 12, 13 and 16: no record is reachable by id beyond what its status,
visibility and the viewer's role allow, and private markers never leak into a page.

Every route with parameters in app.url_map is filled with the ids of *hidden* records
(a pending organisation, pending opening and challenge, a private profile, someone else's
applications and contact requests...). Outsiders must never get a 200 that shows them.
A new route with a parameter this test cannot fill makes it fail, so it stays complete.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pytest
from flask import Flask

from directory.extensions import db
from directory.models import (
    Application,
    Claim,
    ContactRequest,
    Membership,
    Notification,
    PendingRevision,
    Proposal,
    Report,
    SavedSearch,
    utcnow,
)
from directory.models.api_tokens import ApiToken
from directory.models.coalition import (
    CoalitionMember,
    ConsultationQuestion,
    ConsultationResponse,
    GroupMeeting,
    GroupMember,
    GroupOutput,
    WorkingGroup,
)
from directory.models.procurement import (
    ChallengeFollower,
    ChallengeQuestion,
    InnovationUnit,
    UnitMember,
)
from directory.models.proposals import ProposalMember, RiskAssessment
from directory.models.story_submissions import StoryNaming
from directory.services import api_tokens

from .. import factories as f
from ..conftest import PASSWORD

MARKER = "HIDDEN-MARKER-7431"
PHONE = "+52 55 PRIVATE-PHONE-99"
ROLES = ("anonymous", "member", "other_org")
# Parameters that are not record ids, and how to fill them.
NON_ID = {"token": "not-a-real-token", "kind": "opening", "filename": "css/app.css",
          "dataset": "organizations", "fmt": "csv"}  # fmt: skip


@dataclass
class World:
    ids: dict[str, object]
    owner_email: str
    emails: dict[str, str]


@pytest.fixture
def world(app: Flask) -> World:
    """Hidden records owned by `owner`, plus outsiders with nothing to do with them."""
    with app.app_context():
        owner = f.user("owner@example.org")
        member = f.user("member@example.org")
        other_owner = f.user("other-owner@example.org")
        f.org(other_owner, name="Otra organización")
        org = f.org(owner, status="pending", name=f"Org {MARKER}")
        opening = f.opening(org, status="pending", title=f"Vacante {MARKER}")
        challenge = f.challenge(
            f.org(owner, kind="government_agency", status="pending", name=f"Agencia {MARKER}"),
            status="pending",
            title=f"Reto {MARKER}",
        )
        profile = f.profile(owner, visibility="private", full_name=f"Persona {MARKER}", phone=PHONE)
        # Issue 16: the private profile's photo and the pending organisation's logo (names
        # only: outsiders are refused before any file is looked for).
        profile.photo_name, org.logo_name = "B" * 32 + ".jpg", "C" * 32 + ".jpg"
        story = f.story(status="pending", title_es=f"Historia {MARKER}", title_en=MARKER)
        story.created_by_id = owner.id
        applicant = f.user("applicant@example.org")
        published_org = f.org(owner, name="Org publicada")
        # The owner's submitted story names their own organisation and shows an image (its
        # name only: outsiders are refused before any file is looked for), row 46.
        story.image_name = "A" * 32 + ".jpg"
        story_naming = StoryNaming(story=story, organization=published_org)
        db.session.add(story_naming)
        open_opening = f.opening(published_org, title="Vacante abierta")
        open_challenge = f.challenge(published_org, title="Reto abierto")
        editor = f.user("editor@example.org")
        application = Application(opening=open_opening, user=applicant, message=MARKER)
        db.session.add(application)
        proposal = Proposal(challenge=open_challenge, user=applicant, message=MARKER)
        db.session.add(proposal)
        # It names the owner's editor as a consortium partner: only they and the applicant
        # may read that naming (proposals.member).
        proposal.members.append(ProposalMember(role="partner", user=editor))
        contact = ContactRequest(sender=applicant, recipient=owner, message=MARKER)
        db.session.add(contact)
        membership = Membership(user=editor, organization=org, role="editor")
        db.session.add(membership)
        report = Report(reporter_id=applicant.id, target_kind="opening", target_id=opening.id)
        db.session.add(report)
        claim = Claim(organization=published_org, user=applicant, message=MARKER)
        db.session.add(claim)
        # A held edit of a published opening whose new text outsiders must never read.
        values = {"title": f"Vacante {MARKER}"}
        revision = PendingRevision(
            kind="opening", record_id=open_opening.id, values=values, submitted_by_id=owner.id
        )
        db.session.add(revision)
        # The owner's notification about their hidden opening: outsiders cannot mark it read.
        notification = Notification(
            user_id=owner.id, kind="moderation", record_kind="opening", record_id=opening.id,
            params={"action": "rejected", "reason": MARKER},
        )  # fmt: skip
        db.session.add(notification)
        # The owner's saved search, named with the marker, with a live private feed.
        saved = SavedSearch(user=owner, name=f"Búsqueda {MARKER}", params={"q": "vision"},
                            feed_token_hash="0" * 64)  # fmt: skip
        db.session.add(saved)
        # The owner's API token, named with the marker: only its owner sees or revokes it.
        token, _secret = api_tokens.create_token(owner, f"Token {MARKER}")
        # Procurement: the pending agency's unit (with an invitation), and a private
        # question about the open challenge that only its asker and the team may read.
        hidden_unit = f.unit(challenge.organization, name=f"Unidad {MARKER}", mandate=MARKER)
        unit_member = UnitMember(unit=hidden_unit, user_id=editor.id)
        db.session.add(unit_member)
        question = f.question(open_challenge, applicant, body=MARKER, public=False)
        # The coalition: a draft working group (the owner coordinates it) with a request, a
        # meeting and a document; a draft consultation; the pending organisation's request.
        group = f.working_group(status="draft", name_es=f"Grupo {MARKER}", name_en=MARKER,
                                description_es=MARKER, coordinators=(owner,))  # fmt: skip
        group_member = GroupMember(user_id=applicant.id, message=MARKER)
        group.members.append(group_member)
        meeting = GroupMeeting(group=group, starts_at=utcnow(), place=MARKER, agenda=MARKER)
        output = GroupOutput(group=group, title=MARKER, url="https://example.org",
                             published_on=date.today())  # fmt: skip
        db.session.add_all([meeting, output])
        consultation = f.consultation(status="draft", title_es=MARKER, title_en=MARKER)
        coalition_member = f.coalition_member(org, status="requested", message=MARKER)
        db.session.commit()
        ids = {
            "org_id": org.id,
            "slug": org.slug,
            "opening_id": opening.id,
            "challenge_id": challenge.id,
            "profile_id": profile.id,
            "application_id": application.id,
            "proposal_id": proposal.id,
            "member_id": proposal.members[0].id,  # proposals: someone named in a proposal
            "request_id": contact.id,
            "membership_id": membership.id,
            "record_id": opening.id,
            "story_slug": story.slug,
            "story_id": story.id,  # curation: feature/unfeature
            "submission_id": story.id,  # showcase: the submitter edits their story
            "naming_id": story_naming.id,  # showcase: the organisation named answers
            "image_name": story.image_name,  # showcase: the story's image
            "photo_name": profile.photo_name,  # me: a private profile's photo
            "logo_name": org.logo_name,  # orgs: a pending organisation's logo
            "user_id": owner.id,  # curation: revoke the curator role
            "claim_id": claim.id,  # curation: decide a claim
            "report_id": report.id,  # curation: decide a report
            "revision_id": revision.id,  # curation: decide a held edit
            "notification_id": notification.id,  # me: mark one of my notifications read
            "search_id": saved.id,  # me: my saved searches
            "token_id": token.id,  # me: revoke one of my API tokens
            "unit_id": hidden_unit.id,  # procurement: units of a pending agency
            "unit_member_id": unit_member.id,  # procurement: someone's unit invitation
            "question_id": question.id,  # procurement: a private question
            "group_id": group.id,  # coalition: a draft working group
            "group_member_id": group_member.id,  # coalition: a request to join it
            "coordinator_id": group.coordinators[0].id,
            "meeting_id": meeting.id,
            "output_id": output.id,
            "consultation_id": consultation.id,  # coalition: a draft consultation
            "consultation_question_id": consultation.questions[0].id,
            "coalition_member_id": coalition_member.id,  # coalition: a pending request
        }
        emails = {
            "anonymous": "",
            "member": member.email,
            "other_org": other_owner.email,
        }
        return World(ids=ids, owner_email=owner.email, emails=emails)


def _fill(rule, ids: dict[str, object]) -> str | None:
    values = {}
    for name in rule.arguments:
        if rule.defaults and name in rule.defaults:
            continue
        if name in NON_ID:
            values[name] = NON_ID[name]
        elif name == "slug" and rule.endpoint.endswith("story"):
            values[name] = ids["story_slug"]
        elif name in ids:
            values[name] = ids[name]
        else:
            raise AssertionError(f"{rule.rule}: teach this test the parameter {name!r}")
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: str(values[m.group(1)]), rule.rule)


def _routes_with_ids(app: Flask) -> list[tuple[str, str]]:
    routes = []
    for rule in app.url_map.iter_rules():
        if rule.arguments and rule.endpoint != "static":
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                routes.append((method, rule))
    return routes


@pytest.fixture(autouse=True)
def _no_open_data_export(app: Flask, tmp_path, monkeypatch) -> None:
    """An empty open-data folder of the test's own (never instance/'s files)."""
    monkeypatch.setitem(app.config, "OPENDATA_DIR", str(tmp_path / "opendata"))


def _client_for(app: Flask, role: str, world: World):
    client = app.test_client()
    if role != "anonymous":
        client.post("/login", data={"email": world.emails[role], "password": PASSWORD})
        assert client.get("/account").status_code == 200
    return client


@pytest.mark.parametrize("role", ROLES)
def test_outsiders_never_reach_hidden_records(app, world, role):
    client = _client_for(app, role, world)
    checked = 0
    for method, rule in _routes_with_ids(app):
        url = _fill(rule, world.ids)
        response = client.open(url, method=method, data={"message": "x", "decision": "accept"})
        body = response.get_data(as_text=True)
        assert MARKER not in body, (role, method, url, response.status_code)
        assert PHONE not in body, (role, method, url)
        assert world.owner_email not in body, (role, method, url)
        if method == "GET" and not rule.endpoint.startswith("orgs.accept_invitation"):
            assert response.status_code != 200 or rule.endpoint in ALLOWED_200, (
                role,
                url,
                response.status_code,
            )
        checked += 1
    assert checked >= 30


# Pages that answer 200 to outsiders without showing the hidden record: a form to claim
# (refused on submit for pending organisations), the reset-password redirect target, etc.
ALLOWED_200: set[str] = set()


def test_state_changing_requests_by_outsiders_change_nothing(app, world):
    client = _client_for(app, "member", world)
    with app.app_context():
        before = _snapshot()
    for method, rule in _routes_with_ids(app):
        if method == "POST":
            client.post(
                _fill(rule, world.ids),
                data={
                    "message": "x",
                    "status": "accepted",
                    "title": "Cambiado",
                    "email": "x@example.org",
                },
            )
    with app.app_context():
        after = _snapshot()
    assert before == after


def _snapshot() -> dict[str, object]:
    from directory.models import (
        Challenge,
        Invitation,
        Opening,
        Organization,
        Profile,
        SuccessStory,
    )

    def rows(model, *cols):
        return sorted(
            tuple(getattr(r, c) for c in cols) for r in db.session.scalars(db.select(model))
        )

    return {
        "orgs": rows(Organization, "id", "name", "status", "logo_name"),
        "photos": rows(Profile, "id", "photo_name"),
        "openings": rows(Opening, "id", "title", "status"),
        "challenges": rows(Challenge, "id", "title", "status"),
        "applications": rows(Application, "id", "status", "response_message"),
        "proposals": rows(Proposal, "id", "status", "response_message"),
        "contacts": rows(ContactRequest, "id", "status"),
        "members": rows(Membership, "id", "role"),
        "invitations": rows(Invitation, "id"),
        "notifications": rows(Notification, "id", "read_at"),
        "saved_searches": rows(SavedSearch, "id", "name", "frequency", "paused", "feed_token_hash"),
        "api_tokens": rows(ApiToken, "id", "name", "revoked_at"),
        "units": rows(InnovationUnit, "id", "name", "mandate"),
        "unit_members": rows(UnitMember, "id", "status"),
        "questions": rows(ChallengeQuestion, "id", "answer", "hidden_at"),
        "followers": rows(ChallengeFollower, "id"),
        "proposal_members": rows(ProposalMember, "id", "status"),
        "stories": rows(SuccessStory, "id", "title_es", "status", "image_name"),
        "story_namings": rows(StoryNaming, "id", "status"),
        "risk_assessments": rows(RiskAssessment, "id", "level"),
        "coalition": rows(CoalitionMember, "id", "status", "tier"),
        "working_groups": rows(WorkingGroup, "id", "name_es", "status"),
        "group_members": rows(GroupMember, "id", "status"),
        "meetings": rows(GroupMeeting, "id"),
        "outputs": rows(GroupOutput, "id"),
        "consultation_questions": rows(ConsultationQuestion, "id"),
        "consultation_responses": rows(ConsultationResponse, "id"),
    }


def test_the_owner_reaches_their_own_hidden_records(app, world):
    client = app.test_client()
    client.post("/login", data={"email": world.owner_email, "password": PASSWORD})
    ids = world.ids
    for url in (
        f"/manage/organizations/{ids['org_id']}",
        f"/manage/openings/{ids['opening_id']}/edit",
        f"/manage/challenges/{ids['challenge_id']}/edit",
        f"/people/{ids['profile_id']}",
        f"/openings/{ids['opening_id']}",
        f"/organizations/{ids['slug']}",
        f"/me/stories/{ids['submission_id']}/edit",
        f"/me/stories/named/{ids['naming_id']}",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert MARKER in response.get_data(as_text=True), url
