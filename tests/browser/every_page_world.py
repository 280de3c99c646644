"""The data the every-page sweep (test_every_page.py) visits, and the URL of every GET route.

The demo seed (`flask seed-demo`) gives each list page realistic volume; a few records of
the test's own give each role something to open: a member with a published profile, an
editor of a demo startup and of a demo agency, a curator, and one of everything the
curation and "my ..." pages list. Path parameters are filled by name (FILL); secret tokens
and query-only parameters by endpoint. A GET route that is neither filled nor in SKIP makes
`url_for_route` raise, so a route added later fails the sweep until someone fills it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import Flask, url_for
from sqlalchemy import Column, select
from werkzeug.routing import Rule

from directory.extensions import db
from directory.models import (
    Application,
    Challenge,
    Membership,
    Opening,
    PendingRevision,
    PrivacyRequest,
    Proposal,
    SavedSearch,
    SuccessStory,
    utcnow,
)
from directory.models.coalition import GroupMeeting, GroupOutput
from directory.models.procurement import InnovationUnit
from directory.models.proposals import ProposalMember
from directory.models.story_submissions import StoryNaming
from directory.seed import seed_demo
from directory.services import accounts, members, signup
from directory.services.digests import unsubscribe

from .. import factories as f
from ..conftest import PASSWORD

ROLES = ("anonymous", "member", "editor", "curator")
EMAILS = {
    "member": "miembro@example.org",
    "editor": "editora@example.org",
    "curator": "curadora-barrido@example.org",
}

# GET routes the sweep does not open in a browser, each with the reason. Only what is not an
# HTML page belongs here: every page, even one behind a secret token, is visited.
SKIP: dict[str, str] = {
    "static": "stylesheets, scripts and images (their failures are caught on the pages)",
    "public.favicon": "an image",
    "public.robots": "plain text",
    "public.sitemap": "XML",
    "public.alert_feed": "an Atom feed",
    "public.openings_feed": "an Atom feed",
    "public.challenges_feed": "an Atom feed",
    "public.stories_feed": "an Atom feed",
    "showcase.image": "an uploaded image",
    "me.photo": "an uploaded image (a profile photo)",
    "orgs.logo": "an uploaded image (an organisation's logo)",
    "opendata.download": "CSV and JSON Lines files",
    "curation.audit_export": "a CSV download",
    "me.download_my_data": "a JSON download",
    "health.live": "the load balancer's /healthz probe (plain text)",
    "health.ready": "the load balancer's /healthz probe (JSON)",
}
SKIP_PREFIXES = {
    "api.": "the JSON API (tests/test_api.py, tests/test_api_contract.py)",
    "listing_api.": "the JSON listing API (tests/listing_api/)",
}
# Routes that only ever redirect: a GET switches the language and goes back.
REDIRECT_ONLY = {"public.set_language"}


@dataclass
class World:
    """What the sweep needs after seeding: values by argument name and by endpoint."""

    by_name: dict[str, object] = field(default_factory=dict)
    by_endpoint: dict[str, dict[str, object]] = field(default_factory=dict)
    # Text the records themselves carry (demo people write in English too): see the
    # untranslated-text check in every_page_checks.py.
    record_text: str = ""


def skipped(endpoint: str) -> str | None:
    """Why a route is not visited, or None when it is."""
    if endpoint in SKIP:
        return SKIP[endpoint]
    return next((why for prefix, why in SKIP_PREFIXES.items() if endpoint.startswith(prefix)), None)


def get_routes(app: Flask) -> list[Rule]:
    """Every GET rule of the app that the sweep visits, in a stable order."""
    rules = [r for r in app.url_map.iter_rules() if "GET" in (r.methods or ())]
    return sorted((r for r in rules if skipped(r.endpoint) is None), key=lambda r: r.rule)


def url_for_route(app: Flask, world: World, rule: Rule) -> str:
    """The path (and query) that opens `rule` on the world's records; raise when unfillable."""
    values = dict(world.by_endpoint.get(rule.endpoint, {}))
    for name in sorted(rule.arguments - set(rule.defaults or ()) - set(values)):
        if name not in world.by_name:
            raise LookupError(
                f"{rule.endpoint} ({rule.rule}): no value for <{name}>; fill it in "
                "tests/browser/every_page_world.py (or add the route to SKIP if it is not HTML)"
            )
        values[name] = world.by_name[name]
    with app.test_request_context():
        return url_for(rule.endpoint, **values)


def build_world(app: Flask) -> World:
    """Seed the demo data plus the roles' own records; return how to fill every route."""
    with app.app_context():
        seed_demo()
        db.session.commit()
        member = f.user(EMAILS["member"], locale="es")
        profile = f.profile(member, free_skills=["Visión 3D"])
        editor = f.user(EMAILS["editor"], locale="es")
        f.user(EMAILS["curator"], role="curator", locale="es")

        # The editor edits a demo firm with an opening and a demo agency with a challenge.
        opening = db.session.scalars(
            select(Opening).where(Opening.status == "published").order_by(Opening.id)
        ).first()
        challenge = db.session.scalars(
            select(Challenge).where(Challenge.status == "published").order_by(Challenge.id)
        ).first()
        assert opening is not None and challenge is not None, "the demo seed has no posts"
        org, agency = opening.organization, challenge.organization
        # An editor of the firm, and the owner of the agency so that the owner-only pages
        # (new challenge, units, transfer, delete) are reached too.
        db.session.add(Membership(user_id=editor.id, organization_id=org.id, role="editor"))
        db.session.add(Membership(user_id=editor.id, organization_id=agency.id, role="owner"))
        unit = db.session.scalars(
            select(InnovationUnit).where(InnovationUnit.organization_id == agency.id)
        ).first() or f.unit(agency)

        # The member's own records: a saved search, an application, a proposal naming the
        # editor as a partner, a story submission naming the firm, an ARCO request.
        submission = f.story(status="pending", created_by_id=member.id)
        saved = SavedSearch(user_id=member.id, name="Visión en Jalisco", params={"q": "visión"})
        proposal = Proposal(
            challenge_id=challenge.id, user_id=member.id, message="Proponemos un piloto."
        )
        partner = ProposalMember(role="partner", user_id=editor.id)
        proposal.members.append(partner)
        naming = StoryNaming(story_id=submission.id, organization_id=org.id)
        application = Application(
            opening_id=opening.id, user_id=member.id, message="Me interesa la vacante."
        )
        arco = PrivacyRequest(user_id=member.id, email=member.email, kind="access")
        db.session.add_all([saved, application, proposal, naming, arco])
        held = {"title": opening.title + " (revisada)", "skills": ["python"]}
        revision = PendingRevision(kind="opening", record_id=opening.id, values=held)
        db.session.add(revision)
        group = f.working_group(coordinators=(member,))
        db.session.add(GroupMeeting(group=group, starts_at=utcnow(), place="Sala 3"))
        db.session.add(
            GroupOutput(group=group, title="Guía", url="https://example.org",
                        published_on=date.today())
        )  # fmt: skip
        consultation = f.consultation()
        twin = f.org(name=org.name + " S.A.", slug=org.slug + "-sa")
        db.session.commit()

        secret = app.config["SECRET_KEY"]
        _invitation, invite_token = members.invite_editor(org, member.email, actor=editor)
        unconfirmed, _result = signup.sign_up("sin-confirmar@example.org", PASSWORD, locale="es")
        db.session.commit()
        story = db.session.scalars(
            select(SuccessStory).where(SuccessStory.status == "published")
        ).first()
        assert story is not None
        world = World(
            by_name={
                "org_id": agency.id,
                "slug": org.slug,
                "application_id": application.id,
                "proposal_id": proposal.id,
                "opening_id": opening.id,
                "challenge_id": challenge.id,
                "unit_id": unit.id,
                "profile_id": profile.id,
                "kind": "opening",
                "record_id": opening.id,
                "search_id": saved.id,
                "submission_id": submission.id,
                "naming_id": naming.id,
                "member_id": partner.id,
                "request_id": arco.id,
                "revision_id": revision.id,
                "group_id": group.id,
                "consultation_id": consultation.id,
            },  # fmt: skip
            by_endpoint={
                "public.story": {"slug": story.slug},
                # Secret links, made the way the app mails them.
                "auth.reset_password": {"token": accounts.make_reset_token(member, secret)},
                "auth.confirm_account": {
                    "token": signup.make_confirmation_token(unconfirmed, secret)
                },
                "orgs.accept_invitation": {"token": invite_token},
                "public.unsubscribe": {"token": unsubscribe.make_token(member.id, "*", secret)},
                # Pages that name their records in the query string.
                "curation.free_skill": {"key": "vision 3d"},
                "curation.duplicates_merge": {
                    "kind": "organization",
                    "keep": org.id,
                    "drop": twin.id,
                },
            },
        )
        world.record_text = _record_text()
        return world


def _record_text() -> str:
    """Every string the seeded records hold, lower-cased (names, bios, descriptions...)."""
    chunks: list[str] = []
    for table in db.metadata.sorted_tables:
        if table.name == "skills":
            continue
        columns = [c for c in table.columns if _holds_text(c)]
        if not columns:
            continue
        for row in db.session.execute(select(*columns)):
            chunks.extend(str(value) for value in row if value)
    return "\n".join(chunks).lower()


def _holds_text(column: Column) -> bool:
    try:
        return column.type.python_type in (str, list, dict)
    except NotImplementedError:  # a type without a Python equivalent holds no text
        return False
