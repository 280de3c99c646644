# ruff: noqa: E501  (the matrix reads best one route per line)
"""SECURITY.md rows 12 and 13: the full role matrix over every GET route with a record id.

test_object_access.py proves that outsiders never reach hidden records on any route (with
any method). This module adds the two missing columns and the expected answer per cell:
for {anonymous, owner, other member, other organisation's member, curator} and every GET
route whose URL carries a record id, the status code is the one in EXPECTED below — the
owner and curators reach draft/pending records, others get a login redirect, 403 or 404.
A GET route with an id that is missing from EXPECTED fails test_every_id_route_is_in_the_matrix.
Token routes (invitations, password reset, sign-up confirmation, saved-search feeds) carry
no record id: tests/test_members.py, tests/test_auth_reset.py, tests/test_auth_signup.py and
tests/test_saved_searches.py cover them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask

from directory.extensions import db
from directory.models import (
    Application,
    ContactRequest,
    PendingRevision,
    PrivacyRequest,
    Proposal,
    SavedSearch,
)
from directory.models.proposals import ProposalMember
from directory.models.story_submissions import StoryNaming
from directory.services import uploads

from .. import factories as f
from ..conftest import PASSWORD

ROLES = ("anonymous", "owner", "member", "other_org", "curator")
TOKEN_ROUTES = {"orgs.accept_invitation", "auth.reset_password", "auth.confirm_account", "static",
                "public.alert_feed", "public.unsubscribe"}  # fmt: skip


def _jpeg() -> bytes:
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (8, 8)).save(out, "JPEG")
    return out.getvalue()


@dataclass
class World:
    ids: dict[str, object]
    emails: dict[str, str]


@pytest.fixture
def world(app: Flask, tmp_path, monkeypatch) -> World:
    """Published and hidden records of one owner, and people with no tie to them."""
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path))  # the story's image
    with app.app_context():
        owner = f.user("owner@example.org")
        member = f.user("member@example.org")
        other = f.user("other@example.org")
        curator = f.user("curator@example.org", role="curator")
        applicant = f.user("applicant@example.org")
        other_org = f.org(other, name="Otra")
        org = f.org(owner, kind="government_agency", name="Agencia publicada")
        opening = f.opening(org)
        challenge = f.challenge(org)
        hidden_org = f.org(owner, kind="government_agency", status="pending", name="Pendiente")
        hidden_opening = f.opening(hidden_org, status="pending")
        hidden_challenge = f.challenge(hidden_org, status="pending")
        private = f.profile(owner, visibility="private")
        public = f.profile(applicant, visibility="public")
        story = f.story()
        hidden_story = f.story(status="pending")
        # A story the owner submitted, with its image, naming the other organisation (row 46).
        with app.test_request_context():
            image = uploads.store(uploads.clean_image(_jpeg(), uploads.Limits(10**6, 10**6, 64)),
                                  "stories")  # fmt: skip
        submission = f.story(status="pending", created_by_id=owner.id, image_name=image)
        # Photos and logos (issue 16): each served where its profile or organisation is.
        with app.test_request_context():
            media = {folder: [uploads.store(uploads.clean_image(_jpeg(), uploads.Limits(
                10**6, 10**6, 64)), folder) for _ in range(2)] for folder in ("photos", "logos")}  # fmt: skip
        private.photo_name, public.photo_name = media["photos"]
        org.logo_name, hidden_org.logo_name = media["logos"]
        story_naming = StoryNaming(story=submission, organization=other_org)
        db.session.add(story_naming)
        application = Application(opening=opening, user=applicant, message="hola")
        proposal = Proposal(challenge=challenge, user=applicant, message="hola")
        db.session.add_all([application, proposal])
        # A consortium proposal that names `member` as a partner (proposals.member).
        named = Proposal(challenge=challenge, user=applicant, message="consorcio", consortium=True)
        named.members.append(ProposalMember(role="partner", user=member))
        db.session.add(named)
        db.session.add(ContactRequest(sender=applicant, recipient=owner, message="hola"))
        arco = PrivacyRequest(user_id=owner.id, email=owner.email, kind="access", message="x")
        db.session.add(arco)
        # An edit of the published opening held for a curator (row 52).
        revision = PendingRevision(kind="opening", record_id=opening.id,
                                   values={"title": "Cambio en revisión"}, submitted_by_id=owner.id)  # fmt: skip
        db.session.add(revision)
        saved = SavedSearch(user=owner, name="Mi búsqueda", params={"q": "vision"})
        db.session.add(saved)
        # Innovation units of the published and of the pending agency (procurement).
        unit, hidden_unit = f.unit(org), f.unit(hidden_org)
        # The coalition: a published working group the owner coordinates and a draft one,
        # a published (open) consultation and a draft one.
        group = f.working_group(coordinators=(owner,))
        hidden_group = f.working_group(status="draft")
        consultation, hidden_consultation = f.consultation(), f.consultation(status="draft")
        db.session.commit()
        ids = {
            "group": group.id,
            "hidden_group": hidden_group.id,
            "consultation": consultation.id,
            "hidden_consultation": hidden_consultation.id,
            "slug": org.slug,
            "hidden_slug": hidden_org.slug,
            "org": org.id,
            "hidden_org": hidden_org.id,
            "opening": opening.id,
            "hidden_opening": hidden_opening.id,
            "challenge": challenge.id,
            "hidden_challenge": hidden_challenge.id,
            "private": private.id,
            "public": public.id,
            "story": story.slug,
            "hidden_story": hidden_story.slug,
            "submission": submission.id,
            "story_naming": story_naming.id,
            "story_image": image,
            "private_photo": private.photo_name,
            "public_photo": public.photo_name,
            "org_logo": org.logo_name,
            "hidden_org_logo": hidden_org.logo_name,
            "arco": arco.id,
            "revision": revision.id,
            "saved_search": saved.id,
            "proposal_member": named.members[0].id,
            "application": application.id,  # the applicant's own: no role here sent it
            "proposal": proposal.id,
            "unit": unit.id,
            "hidden_unit": hidden_unit.id,
        }
        emails = {
            "owner": owner.email,
            "member": member.email,
            "other_org": other.email,
            "curator": curator.email,
        }
        return World(ids=ids, emails=emails)


# endpoint, URL template, expected status for (anonymous, owner, member, other_org, curator)
# The owner and curators reach hidden records; curators read but do not edit an organisation's
# posts (they moderate them); a private profile exists for its owner and curators only.
# fmt: off
EXPECTED: list[tuple[str, str, tuple[int, ...]]] = [
    ("public.organization", "/organizations/{slug}", (200, 200, 200, 200, 200)),
    ("public.organization", "/organizations/{hidden_slug}", (404, 200, 404, 404, 200)),
    ("public.opening", "/openings/{opening}", (200, 200, 200, 200, 200)),
    ("public.opening", "/openings/{hidden_opening}", (404, 200, 404, 404, 200)),
    ("public.challenge", "/challenges/{challenge}", (200, 200, 200, 200, 200)),
    ("public.challenge", "/challenges/{hidden_challenge}", (404, 200, 404, 404, 200)),
    ("public.apply", "/openings/{opening}/apply", (302, 302, 200, 200, 200)),
    ("public.apply", "/openings/{hidden_opening}/apply", (302, 302, 404, 404, 302)),
    ("public.propose", "/challenges/{challenge}/propose", (302, 302, 200, 200, 200)),
    ("public.propose", "/challenges/{hidden_challenge}/propose", (302, 302, 404, 404, 302)),
    ("public.profile", "/people/{public}", (200, 200, 200, 200, 200)),
    ("public.profile", "/people/{private}", (404, 200, 404, 404, 200)),
    ("me.contact_request", "/people/{public}/contact", (302, 200, 200, 200, 200)),
    ("me.contact_request", "/people/{private}/contact", (302, 403, 404, 404, 403)),
    ("public.story", "/stories/{story}", (200, 200, 200, 200, 200)),
    ("public.story", "/stories/{hidden_story}", (404, 404, 404, 404, 200)),
    # A submitted story: its submitter edits it, the organisation it names reads it (and its
    # image) to confirm; curators moderate it in the queue, they do not edit it.
    ("showcase.edit", "/me/stories/{submission}/edit", (302, 200, 404, 404, 404)),
    ("showcase.naming_page", "/me/stories/named/{story_naming}", (302, 404, 404, 200, 404)),
    ("showcase.image", "/stories/images/{story_image}", (404, 200, 404, 200, 200)),
    # Photos and logos (issue 16): only where the profile or organisation may be seen.
    ("me.photo", "/people/{public}/photo/{public_photo}", (200, 200, 200, 200, 200)),
    ("me.photo", "/people/{private}/photo/{private_photo}", (404, 200, 404, 404, 200)),
    ("orgs.logo", "/organizations/{org}/logo/{org_logo}", (200, 200, 200, 200, 200)),
    ("orgs.logo", "/organizations/{hidden_org}/logo/{hidden_org_logo}", (404, 200, 404, 404, 200)),
    ("public.report", "/report/opening/{opening}", (302, 200, 200, 200, 200)),
    ("public.report", "/report/opening/{hidden_opening}", (302, 200, 404, 404, 200)),
    ("matches.similar", "/similar/opening/{opening}", (200, 200, 200, 200, 200)),
    ("matches.similar", "/similar/opening/{hidden_opening}", (404, 200, 404, 404, 200)),
    ("api.matches", "/api/v1/matches/opening/{opening}", (401, 200, 403, 403, 200)),
    ("api.matches", "/api/v1/matches/opening/{hidden_opening}", (401, 200, 404, 404, 200)),
    ("orgs.manage", "/manage/organizations/{org}", (302, 200, 403, 403, 200)),
    ("orgs.manage", "/manage/organizations/{hidden_org}", (302, 200, 404, 404, 200)),
    ("orgs.edit", "/manage/organizations/{org}/edit", (302, 200, 403, 403, 403)),
    ("orgs.edit", "/manage/organizations/{hidden_org}/edit", (302, 200, 404, 404, 403)),
    ("orgs.new_opening", "/manage/organizations/{org}/openings/new", (302, 200, 403, 403, 403)),
    ("orgs.new_challenge", "/manage/organizations/{org}/challenges/new", (302, 200, 403, 403, 403)),
    ("orgs.claim", "/manage/organizations/{org}/claim", (302, 302, 200, 200, 200)),
    ("orgs.claim", "/manage/organizations/{hidden_org}/claim", (302, 302, 404, 404, 200)),
    ("orgs.edit_opening", "/manage/openings/{opening}/edit", (302, 200, 403, 403, 403)),
    ("orgs.edit_opening", "/manage/openings/{hidden_opening}/edit", (302, 200, 404, 404, 403)),
    ("orgs.responses_opening", "/manage/openings/{opening}/applications", (302, 200, 403, 403, 403)),
    ("matches.opening_candidates", "/manage/openings/{opening}/candidates", (302, 200, 403, 403, 200)),
    ("matches.opening_candidates", "/manage/openings/{hidden_opening}/candidates", (302, 200, 404, 404, 200)),
    ("orgs.edit_challenge", "/manage/challenges/{challenge}/edit", (302, 200, 403, 403, 403)),
    ("orgs.edit_challenge", "/manage/challenges/{hidden_challenge}/edit", (302, 200, 404, 404, 403)),
    ("orgs.responses_challenge", "/manage/challenges/{challenge}/proposals", (302, 200, 403, 403, 403)),
    # Issue 16: Close asks to confirm on a page; owners alone transfer or delete.
    ("orgs.close_opening", "/manage/openings/{opening}/close", (302, 200, 403, 403, 403)),
    ("orgs.close_opening", "/manage/openings/{hidden_opening}/close", (302, 200, 404, 404, 403)),
    ("orgs.close_challenge", "/manage/challenges/{challenge}/close", (302, 200, 403, 403, 403)),
    ("orgs.close_challenge", "/manage/challenges/{hidden_challenge}/close", (302, 200, 404, 404, 403)),
    ("orgs.transfer_ownership", "/manage/organizations/{org}/transfer", (302, 200, 403, 403, 403)),
    ("orgs.transfer_ownership", "/manage/organizations/{hidden_org}/transfer", (302, 200, 404, 404, 403)),
    ("orgs.delete_organization", "/manage/organizations/{org}/delete", (302, 200, 403, 403, 403)),
    ("orgs.delete_organization", "/manage/organizations/{hidden_org}/delete", (302, 200, 404, 404, 403)),
    ("matches.challenge_solvers", "/manage/challenges/{challenge}/solvers", (302, 200, 403, 403, 200)),
    ("curation.arco_request", "/curation/privacy/{arco}", (302, 403, 403, 403, 200)),
    ("curation.revision", "/curation/revisions/{revision}", (302, 403, 403, 403, 200)),
    # Structured proposals: the posting organisation's editors compare and assess (curators
    # moderate challenges, they do not read proposals); a naming is for the named and the
    # proposer only.
    ("proposals.compare", "/manage/challenges/{challenge}/compare", (302, 200, 403, 403, 403)),
    ("proposals.compare", "/manage/challenges/{hidden_challenge}/compare", (302, 200, 404, 404, 403)),
    ("proposals.risk_assessment", "/manage/challenges/{challenge}/risk", (302, 200, 403, 403, 403)),
    ("proposals.risk_assessment", "/manage/challenges/{hidden_challenge}/risk", (302, 200, 404, 404, 403)),
    ("proposals.member", "/proposals/members/{proposal_member}", (302, 404, 200, 404, 404)),
    # What I sent (issue 16): the sender's alone, with the withdrawal's confirmation step;
    # the posting organisation reads it in its list, curators not at all.
    ("me.sent_application", "/me/applications/{application}", (302, 404, 404, 404, 404)),
    ("me.confirm_withdraw_application", "/me/applications/{application}/withdraw", (302, 404, 404, 404, 404)),
    ("me.sent_proposal", "/me/proposals/{proposal}", (302, 404, 404, 404, 404)),
    ("me.confirm_withdraw_proposal", "/me/proposals/{proposal}/withdraw", (302, 404, 404, 404, 404)),
    # A saved search is its owner's alone: curators have no business in it either.
    ("me.alert", "/me/alerts/{saved_search}", (302, 200, 404, 404, 404)),
    # The listing API and open data: public records for everyone (a file exists only once
    # an export ran: none here); the API tokens page is each member's own.
    ("listing_api.organizations", "/api/v1/organizations", (200, 200, 200, 200, 200)),
    ("listing_api.openings", "/api/v1/openings", (200, 200, 200, 200, 200)),
    ("listing_api.challenges", "/api/v1/challenges", (200, 200, 200, 200, 200)),
    ("listing_api.stories", "/api/v1/stories", (200, 200, 200, 200, 200)),
    ("listing_api.people", "/api/v1/people", (200, 200, 200, 200, 200)),
    ("opendata.index", "/datos-abiertos", (200, 200, 200, 200, 200)),
    ("opendata.dictionary", "/datos-abiertos/diccionario", (200, 200, 200, 200, 200)),
    ("opendata.download", "/datos-abiertos/organizations.csv", (404, 404, 404, 404, 404)),
    ("me.api_tokens", "/me/api-tokens", (302, 200, 200, 200, 200)),
    # The coalition: only owners speak for an organisation (editors and curators: 403);
    # a draft group or consultation exists for curators only; coordinators coordinate.
    ("coalition.join", "/manage/organizations/{org}/coalicion", (302, 200, 403, 403, 403)),
    ("coalition.join", "/manage/organizations/{hidden_org}/coalicion", (302, 200, 404, 404, 403)),
    ("coalition.group", "/grupos/{group}", (200, 200, 200, 200, 200)),
    ("coalition.group", "/grupos/{hidden_group}", (404, 404, 404, 404, 200)),
    ("coalition.coordinate", "/grupos/{group}/coordinar", (302, 200, 403, 403, 200)),
    ("coalition.coordinate", "/grupos/{hidden_group}/coordinar", (302, 404, 404, 404, 200)),
    ("coalition.consultation", "/consultas/{consultation}", (200, 200, 200, 200, 200)),
    ("coalition.consultation", "/consultas/{hidden_consultation}", (404, 404, 404, 404, 200)),
    ("coalition.results_page", "/consultas/{consultation}/resultados", (200, 200, 200, 200, 200)),
    ("coalition.results_page", "/consultas/{hidden_consultation}/resultados", (404, 404, 404, 404, 200)),
    ("curation.edit_working_group", "/curation/working-groups/{hidden_group}", (302, 403, 403, 403, 200)),
    ("curation.edit_consultation", "/curation/consultations/{hidden_consultation}", (302, 403, 403, 403, 200)),
    ("curation.consultation_answers", "/curation/consultations/{consultation}/answers", (302, 403, 403, 403, 200)),
    # Procurement: a unit is as public as its agency; only the agency's owners manage it.
    ("procurement.unit", "/units/{unit}", (200, 200, 200, 200, 200)),
    ("procurement.unit", "/units/{hidden_unit}", (404, 200, 404, 404, 200)),
    ("procurement.new_unit", "/manage/organizations/{org}/units/new", (302, 200, 403, 403, 403)),
    ("procurement.new_unit", "/manage/organizations/{hidden_org}/units/new", (302, 200, 404, 404, 403)),
    ("procurement.manage_unit", "/manage/units/{unit}", (302, 200, 403, 403, 403)),
    ("procurement.manage_unit", "/manage/units/{hidden_unit}", (302, 200, 404, 404, 403)),
    ("procurement.edit_unit", "/manage/units/{unit}/edit", (302, 200, 403, 403, 403)),
    ("procurement.edit_unit", "/manage/units/{hidden_unit}/edit", (302, 200, 404, 404, 403)),
    # Hidden questions: curators only, each reading audited.
    ("procurement.hidden_questions", "/challenges/{challenge}/questions/hidden", (302, 403, 403, 403, 200)),
    ("procurement.hidden_questions", "/challenges/{hidden_challenge}/questions/hidden", (302, 403, 404, 404, 200)),
    # Stage and outcome: the posting organisation's editors, for a published challenge only.
    ("procurement.move_stage", "/manage/challenges/{challenge}/stage", (302, 200, 403, 403, 403)),
    ("procurement.move_stage", "/manage/challenges/{hidden_challenge}/stage", (302, 409, 404, 404, 403)),
    ("procurement.outcome", "/manage/challenges/{challenge}/outcome", (302, 200, 403, 403, 403)),
    ("procurement.outcome", "/manage/challenges/{hidden_challenge}/outcome", (302, 409, 404, 404, 403)),
]
# fmt: on


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


def _id_routes(app: Flask) -> set[str]:
    return {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.arguments - set(rule.defaults or ())
        and "GET" in rule.methods
        and rule.endpoint not in TOKEN_ROUTES
    }


def test_every_id_route_is_in_the_matrix(app):
    missing = _id_routes(app) - {endpoint for endpoint, _, _ in EXPECTED}
    assert not missing, f"add these GET routes to EXPECTED: {sorted(missing)}"


def test_each_role_gets_the_expected_answer_on_every_id_route(app, world):
    clients = {role: _client_for(app, role, world) for role in ROLES}
    wrong = []
    for endpoint, template, expected in EXPECTED:
        url = template.format(**world.ids)
        for role, code in zip(ROLES, expected, strict=True):
            got = clients[role].get(url).status_code
            if got != code:
                wrong.append((endpoint, url, role, code, got))
    assert not wrong, wrong


def test_anonymous_visitors_are_sent_to_log_in_not_shown_an_error(app, world):
    """Every 302 of the anonymous column lands on the login page, with the way back."""
    client = app.test_client()
    for _, template, expected in EXPECTED:
        if expected[0] == 302:
            url = template.format(**world.ids)
            response = client.get(url)
            assert response.location.startswith("/login?next="), url
