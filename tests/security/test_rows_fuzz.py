"""SECURITY.md row 38: hostile text into every form and API field never gives a 5xx.

Every route in app.url_map is reached: each form page is fetched by someone allowed to
see it (the owner of an organisation and its posts, or a curator) and its field names are
read from the HTML, then every field gets hostile text: NUL, a lone surrogate (sent as the
invalid UTF-8 a browser or script could send), 10,000 characters, markup and SQL-ish
text. POST-only action routes get the names the actions read. GET pages without an id get
the same text in their query strings. The JSON API is fuzzed from its own OpenAPI
document: every parameter of every operation, within and beyond its schema.

A deterministic pass sends each canonical hostile value to every field once; Hypothesis
then draws further values (bounded example counts, no example database on disk).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directory.extensions import db
from directory.models import (
    Application,
    ContactRequest,
    Notification,
    PrivacyRequest,
    Proposal,
    SavedSearch,
    utcnow,
)
from directory.models.coalition import GroupMeeting, GroupMember, GroupOutput
from directory.models.procurement import UnitMember
from directory.models.proposals import ProposalMember
from directory.models.story_submissions import StoryNaming
from directory.services import api_tokens, revisions
from directory.services.revisions import fields

from .. import factories as f
from ..conftest import PASSWORD
from ..matching.conftest import fake_matching

pytestmark = pytest.mark.slow  # about half a minute: thousands of requests

HOSTILE = [
    "\x00",
    "a\x00b",
    "\ud800",  # a lone surrogate: invalid UTF-8 on the wire
    "x\udfffy",
    "ñ" * 10_000,
    "<script>alert(1)</script>",
    "'; DROP TABLE users; --",
    "%s%n{0}{{7*7}}",
    "-1",
    "9" * 30,
    "",
    " ",
    "\u202e\ufeff\u200b",
    "../../etc/passwd",
]
# Names POST-only actions read (they have no form page of their own).
ACTION_FIELDS = ["message", "reason", "note", "decision", "ids", "kind", "email", "value",
                 "response", "status", "next", "lang", "confirm", "password", "term", "skill",
                 "keep_id", "drop_id", "left", "right", "chamber_member", "sealed",
                 "name", "frequency", "search_kind", "query",
                 "question", "private", "answer", "profile_id", "back"]  # fmt: skip
# The coalition's POST-only forms (their fields live on another page).
ACTION_FIELDS += ["join_as", "tier", "meeting-starts_at", "meeting-place", "meeting-link",
                  "meeting-agenda", "output-title", "output-url", "output-published_on",
                  "question-kind", "question-text_es", "question-text_en",
                  "question-options_es", "question-options_en"]  # fmt: skip
QUERY_FIELDS = ["q", "kind", "page", "sort", "state", "area", "skill", "status", "lang",
                "actor", "action", "from", "to", "limit", "table", "term", "drop"]  # fmt: skip
# Log-out ends the fuzzing session; the icon is a file, not a page.
SKIP = {"auth.logout", "static", "public.favicon", "me.delete_account"}


def hostile_text() -> st.SearchStrategy[str]:
    """Text with control characters, surrogates and astral planes, up to 10k characters."""
    any_char = st.characters(codec=None, categories=None)
    return st.one_of(
        st.sampled_from(HOSTILE),
        st.text(any_char, max_size=40),
        st.text(st.sampled_from("\x00\ud800\udfff<>\"'%&\\/ñ🦎\r\n\t"), max_size=200),
        st.integers().map(str),
    )


def encode(fields: dict[str, str]) -> bytes:
    """A form body as a hostile client would send it: surrogates become invalid UTF-8."""
    return "&".join(
        f"{quote(name)}={quote(value.encode('utf-8', 'surrogatepass'))}"
        for name, value in fields.items()
    ).encode("ascii")


class _Fields(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("input", "select", "textarea"):
            name = dict(attrs).get("name")
            if name and name != "csrf_token":
                self.names.add(name)


def field_names(html: str) -> set[str]:
    """Every form field name on a page."""
    parser = _Fields()
    parser.feed(html)
    return parser.names


@dataclass
class Target:
    method: str
    url: str
    fields: list[str]
    who: str


@pytest.fixture
def clients(app: Flask) -> Iterator[dict[str, FlaskClient]]:
    """Logged-in owner and curator, an anonymous visitor, fake matching, and the targets."""
    with fake_matching(app):
        with app.app_context():
            owner = f.user("owner@example.org")
            f.user("curator@example.org", role="curator")
            applicant = f.user("applicant@example.org")
            org = f.org(owner, kind="government_agency")
            opening = f.opening(org)
            challenge = f.challenge(org)
            profile = f.profile(owner)
            other = f.profile(applicant)
            story = f.story()
            application = Application(opening=opening, user=applicant, message="hola")
            proposal = Proposal(challenge=challenge, user=applicant, message="hola")
            contact = ContactRequest(sender=applicant, recipient=owner, message="hola")
            arco = PrivacyRequest(user_id=owner.id, email=owner.email, kind="access")
            saved = SavedSearch(user=owner, name="Mi búsqueda", params={"q": "vision"})
            db.session.add_all([application, proposal, contact, arco, saved])
            # A held edit (row 52), so the curators' accept and reject get hostile input too.
            held = revisions.submit_edit(
                opening, {**_values(opening), "title": "Cambio en revisión"}, actor=owner
            )
            # One of the owner's notifications, for "mark read".
            notice = Notification(user_id=owner.id, kind="contact_request",
                                  record_kind="contact_request", record_id=contact.id)  # fmt: skip
            db.session.add(notice)
            # The owner's API token, for "revoke" (and /me/api-tokens makes more).
            token, _secret = api_tokens.create_token(owner, "Fuzz")
            # Proposals: the applicant's proposal names the owner as a consortium partner,
            # so the owner's answer (confirm/decline) gets hostile input too.
            named = ProposalMember(role="partner", user=owner)
            proposal.members.append(named)
            # Procurement: the agency's unit, an invitation to it, a question to answer.
            unit = f.unit(org)
            unit_member = UnitMember(unit=unit, user_id=applicant.id)
            db.session.add(unit_member)
            question = f.question(challenge, applicant)
            # The coalition: a group the owner coordinates, with a request, a meeting and a
            # document; an open consultation; the agency's request to join the coalition.
            group = f.working_group(coordinators=(owner,))
            group_member = GroupMember(user_id=applicant.id)
            group.members.append(group_member)
            meeting = GroupMeeting(group=group, starts_at=utcnow(), place="Sala 3")
            output = GroupOutput(group=group, title="Guía", url="https://example.org",
                                 published_on=date.today())  # fmt: skip
            db.session.add_all([meeting, output])
            consultation = f.consultation()
            coalition_member = f.coalition_member(org, status="requested")
            # A story the owner submitted, naming the agency (the owner answers for it).
            submission = f.story(status="pending", created_by_id=owner.id)
            story_naming = StoryNaming(story=submission, organization=org)
            db.session.add(story_naming)
            db.session.commit()
            app.config["FUZZ_IDS"] = {
                "org_id": org.id, "slug": org.slug, "opening_id": opening.id,
                "challenge_id": challenge.id, "profile_id": other.id, "record_id": opening.id,
                "application_id": application.id, "proposal_id": proposal.id,
                "request_id": contact.id, "membership_id": 1, "story_id": story.id,
                "user_id": applicant.id, "claim_id": 1, "report_id": 1, "kind": "opening",
                "token": "not-a-token", "story_slug": story.slug, "own_profile": profile.id,
                "revision_id": held.revision.id, "search_id": saved.id,
                "notification_id": notice.id, "member_id": named.id,
                "token_id": token.id, "dataset": "organizations", "fmt": "csv",
                "unit_id": unit.id, "unit_member_id": unit_member.id, "question_id": question.id,
                "group_id": group.id, "group_member_id": group_member.id, "meeting_id": meeting.id,
                "output_id": output.id, "coordinator_id": group.coordinators[0].id,
                "consultation_id": consultation.id,
                "consultation_question_id": consultation.questions[0].id,
                "coalition_member_id": coalition_member.id,
                "submission_id": submission.id, "naming_id": story_naming.id,
                "image_name": "A" * 32 + ".jpg",
                "photo_name": "A" * 32 + ".jpg", "logo_name": "A" * 32 + ".jpg",
            }  # fmt: skip
        out = {"anonymous": app.test_client()}
        for who in ("owner", "curator"):
            client = app.test_client()
            response = client.post(
                "/login", data={"email": f"{who}@example.org", "password": PASSWORD}
            )
            assert response.status_code == 302
            out[who] = client
        yield out
    app.config.pop("FUZZ_IDS", None)


@pytest.fixture(autouse=True)
def _no_open_data_export(app: Flask, tmp_path, monkeypatch) -> None:
    """An empty open-data folder of the test's own (never instance/'s files)."""
    monkeypatch.setitem(app.config, "OPENDATA_DIR", str(tmp_path / "opendata"))


@pytest.fixture(autouse=True)
def _uploads_elsewhere(app: Flask, tmp_path, monkeypatch) -> None:
    """Images the story form stores go to the test's own folder (never instance/)."""
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))


def _values(record) -> dict:
    """A record's live values as its edit service takes them."""
    kind = revisions.kind_of(record)
    return fields.service_data(fields.current(kind, record))


def _url(app: Flask, rule) -> str:
    ids = app.config["FUZZ_IDS"]
    values = {}
    for name in rule.arguments - set(rule.defaults or ()):
        if name == "slug" and rule.endpoint.endswith("story"):
            values[name] = ids["story_slug"]
        else:
            values[name] = ids[name]
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: str(values[m.group(1)]), rule.rule)


def targets(app: Flask, clients: dict[str, FlaskClient]) -> list[Target]:
    """Every route with the fields it reads and who may use it."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIP or rule.endpoint.startswith("api."):
            continue
        url = _url(app, rule)
        who = "curator" if rule.endpoint.startswith("curation.") else "owner"
        if rule.endpoint in ("auth.login", "auth.signup", "auth.forgot_password"):
            who = "anonymous"
        if rule.endpoint == "auth.reset_password":
            who = "anonymous"
        names: set[str] = set()
        if "GET" in rule.methods:
            page = clients[who].get(url)
            assert page.status_code < 500, url
            names = field_names(page.get_data(as_text=True))
        if "POST" in rule.methods:
            found.append(Target("POST", url, sorted(names or ACTION_FIELDS), who))
        if "GET" in rule.methods and not rule.arguments:
            found.append(Target("GET", url, sorted(names | set(QUERY_FIELDS)), who))
    return found


def _send(client: FlaskClient, target: Target, fields: dict[str, str]) -> int:
    body = encode(fields)
    if target.method == "GET":
        response = client.get(target.url + "?" + body.decode("ascii"))
    else:
        response = client.post(
            target.url, data=body, content_type="application/x-www-form-urlencoded"
        )
    assert response.status_code < 500, (target.method, target.url, fields)
    return response.status_code


def test_every_field_of_every_route_survives_each_hostile_value(app: Flask, clients) -> None:
    found = targets(app, clients)
    assert len([t for t in found if t.method == "POST"]) >= 40
    for target in found:
        for value in HOSTILE:
            _send(clients[target.who], target, dict.fromkeys(target.fields, value))
    # Still logged in: the values reached the views, not a login redirect.
    for who in ("owner", "curator"):
        assert clients[who].get("/account").status_code == 200, who


@settings(
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_random_hostile_values_never_give_a_server_error(app: Flask, clients, data) -> None:
    target = data.draw(st.sampled_from(_cached_targets(app, clients)))
    fields = {name: data.draw(hostile_text(), label=name) for name in target.fields}
    _send(clients[target.who], target, fields)


def _cached_targets(app: Flask, clients: dict[str, FlaskClient]) -> list[Target]:
    key = "FUZZ_TARGETS"
    if key not in app.config or app.config[key][0] is not clients:
        app.config[key] = (clients, targets(app, clients))
    return app.config[key][1]


def test_a_nul_never_reaches_the_database(app: Flask, clients) -> None:
    """PostgreSQL refuses NUL in text: directory/clean_input.py drops it from every field."""
    ids = app.config["FUZZ_IDS"]
    response = clients["owner"].post(
        f"/people/{ids['profile_id']}/contact",
        data=encode({"message": "Hola,\x00 me interesa tu trabajo."}),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 302
    with app.app_context():
        message = db.session.scalar(
            db.select(ContactRequest.message).order_by(ContactRequest.id.desc())
        )
    assert message == "Hola, me interesa tu trabajo."


# --- the API, from its OpenAPI document -----------------------------------------------------


def _operations(client: FlaskClient) -> list[tuple[str, list[dict]]]:
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    prefix = doc["servers"][0]["url"].split("//", 1)[-1].split("/", 1)[-1]
    return [
        ("/" + prefix.strip("/") + path, op.get("parameters", []))
        for path, item in doc["paths"].items()
        for method, op in item.items()
        if method == "get"
    ]


def _value(schema: dict, draw) -> str:
    """A value within the schema half of the time, hostile text otherwise."""
    if draw(st.booleans()):
        return draw(hostile_text())
    if "enum" in schema:
        return draw(st.sampled_from(schema["enum"]))
    if schema.get("type") == "integer":
        return str(draw(st.integers(schema.get("minimum", -(2**63)), schema.get("maximum", 2**63))))
    return draw(st.text(max_size=schema.get("maxLength", 50) + 5))


@settings(
    max_examples=80,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_the_api_answers_json_below_500_for_any_parameter(app: Flask, clients, data) -> None:
    client = clients[data.draw(st.sampled_from(["anonymous", "owner"]))]
    path, parameters = data.draw(st.sampled_from(_operations(client)))
    query = {}
    for parameter in parameters:
        value = _value(parameter.get("schema", {}), data.draw)
        if parameter["in"] == "path":
            path = path.replace(
                "{" + parameter["name"] + "}",
                quote(value.encode("utf-8", "surrogatepass"), safe=""),
            )
        elif parameter.get("required") or data.draw(st.booleans()):
            query[parameter["name"]] = value
    response = client.get(path + ("?" + encode(query).decode("ascii") if query else ""))
    assert response.status_code < 500, (path, query)
    if path.startswith("/api/") and response.status_code != 404:
        assert response.is_json, (path, response.status_code)
    if response.status_code == 400:  # refused by the contract: it names the parameter (row 53)
        assert response.get_json()["error"]["parameter"], (path, query)
