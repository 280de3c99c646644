"""Match cards people can act on: each reason once, missing skills named, a fit on a fixed
scale, the explanation kept on the opening's page, and a solvers page that starts with the
team and lets the challenge's organisation contact and invite."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from directory.extensions import db
from directory.models import Notification
from directory.models.match_feedback import ProposalInvitation
from directory.services import match_feedback

from . import factories as f
from .conftest import PASSWORD
from .helpers import translated


def login(client, email: str) -> None:
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302


def html_of(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.get_data(as_text=True)


def card(html: str, kind: str, record_id: int) -> str:
    start = html.index(f'data-kind="{kind}" data-id="{record_id}"')
    return html[start : html.index("</article>", start)]


VISION = ("computer-vision", "deep-learning", "python", "mlops")


def _vision_person(email: str = "ana@example.org", **fields):
    values = {
        "headline": "Ingeniera de visión por computadora para manufactura",
        "bio": "Modelos de detección de defectos en líneas de producción con cámaras industriales.",
        "state_code": "NLE",
        "seniority": "senior",
        "skill_slugs": VISION,
    }
    values.update(fields)
    return f.profile(f.user(email, locale="en"), **values)


def test_each_reason_appears_once_and_missing_skills_are_named(app, client):
    with app.app_context():
        _vision_person(skill_slugs=("computer-vision", "python"))
        opening = f.opening(
            title="Visión por computadora para detección de defectos",
            description="Detección de defectos en líneas de producción con cámaras industriales.",
            state_code="NLE",
            skill_slugs=("computer-vision", "python", "mlops", "edge-ai"),
        )
        opening_id = opening.id
    login(client, "ana@example.org")
    one = card(html_of(client, "/me/matches"), "opening", opening_id)
    # Skills appear in their own rows only, never again as reasons.
    assert 'data-code="skills_shared"' not in one and 'data-code="skills_missing"' not in one
    assert one.count("Computer vision") == 1
    missing = re.findall(r'data-test="missing-skill">([^<]+)<', one)
    assert missing == ["Edge AI", "MLOps"]
    assert "Missing:" in one
    # No badge repeats the list marker: a reason is its sentence only.
    assert "badge-accepted" not in one and ">+<" not in one
    codes = re.findall(r'data-code="([a-z_]+)"', one)
    assert len(codes) == len(set(codes))
    # "Similar description" either names what is similar or is left out.
    assert translated(app, "Similar description", "en") not in one
    if 'data-code="similar_text"' in one:
        assert "Both descriptions talk about" in one and "defectos" in one


def test_the_fit_is_calibrated_not_relative_to_the_list(app, client):
    with app.app_context():
        _vision_person()
        twin = f.opening(
            title="Ingeniería de visión por computadora para manufactura",
            description="Modelos de detección de defectos en líneas de producción con cámaras "
            "industriales.",
            state_code="NLE",
            seniority="senior",
            skill_slugs=VISION,
        )
        twin_id = twin.id
        _vision_person(
            "beto@example.org",
            headline="Analista de ventas",
            bio="Informes.",
            state_code="YUC",
            seniority="junior",
            skill_slugs=("data-science",),
        )
    login(client, "ana@example.org")
    strong = card(html_of(client, "/me/matches"), "opening", twin_id)
    fit = int(re.search(r'data-fit="(\d+)"', strong).group(1))
    assert fit >= 85 and 'data-band="strong"' in strong and "Strong fit" in strong
    # The best (and only) match of a mediocre fit is not 100 and not called strong.
    client.post("/logout")
    login(client, "beto@example.org")
    weak = card(html_of(client, "/me/matches"), "opening", twin_id)
    fit = int(re.search(r'data-fit="(\d+)"', weak).group(1))
    assert fit < 65 and 'data-band="strong"' not in weak and 'data-band="good"' not in weak
    # A tooltip and a help text say what the number means.
    assert "the same scale for every list" in weak


def test_the_opening_page_explains_the_match_only_to_the_person(app, client):
    app.config["PAGE_CACHE"] = "local"
    try:
        with app.app_context():
            _vision_person()
            opening = f.opening(title="Visión industrial", state_code="NLE", skill_slugs=VISION)
            opening_id = opening.id
        url = f"/openings/{opening_id}?from=matches"
        anonymous = html_of(app.test_client(), url)
        assert 'data-test="match-why"' not in anonymous
        login(client, "ana@example.org")
        page = html_of(client, url)
        assert 'data-test="match-why"' in page and "Why this matches you" in page
        assert 'data-test="match-score"' in page and 'data-code="same_state"' in page
        # Numbers in the URL are never trusted, and nothing personal is cached.
        assert 'data-fit="7"' not in html_of(client, url + "&fit=7&score=7")
        assert 'data-test="match-why"' not in html_of(app.test_client(), url)
        assert 'data-test="match-why"' not in html_of(client, f"/openings/{opening_id}")
    finally:
        app.config["PAGE_CACHE"] = "auto"


def test_the_challenge_page_explains_the_match_too(app, client):
    with app.app_context():
        _vision_person(open_to=["challenges"])
        challenge = f.challenge(title="Inspección visual de presas", skill_slugs=VISION)
        challenge_id = challenge.id
    login(client, "ana@example.org")
    page = html_of(client, f"/challenges/{challenge_id}?from=matches")
    assert 'data-test="match-why"' in page


# --- solvers: team first, a sentence naming the missing skill, contact and invite ----------


def _solvers_world(app) -> dict[str, int]:
    wanted = ("computer-vision", "python", "natural-language-processing", "robotics")
    with app.app_context():
        owner = f.user("owner@example.org", locale="en")
        editor = f.user("editor@example.org", locale="en")
        agency = f.org(owner, kind="government_agency", skill_slugs=(), editors=(editor,))
        challenge = f.challenge(agency, skill_slugs=wanted)
        firm_owner = f.user("firm@example.org", locale="en")
        firm = f.org(firm_owner, name="Visión Norte", skill_slugs=("computer-vision", "python"))
        nora = f.profile(f.user("nora@example.org", locale="en"), full_name="Nora Lenguaje",
                         skill_slugs=("natural-language-processing",))  # fmt: skip
        f.user("curator@example.org", role="curator")
        return {"challenge": challenge.id, "firm": firm.id, "nora": nora.id}


def test_solvers_start_with_a_team_that_names_the_missing_skill(app, client):
    ids = _solvers_world(app)
    login(client, "owner@example.org")
    client.set_cookie("lang", "en")
    html = html_of(client, f"/manage/challenges/{ids['challenge']}/solvers")
    team = html.index('data-test="team"')
    assert team < html.index('data-test="solver-organizations"')
    assert team < html.index('data-test="solver-people"')
    sentence = re.search(r'data-test="team-coverage">([^<]+)<', html).group(1)
    assert sentence.startswith("Together they cover 3 of the 4 skills")
    assert sentence.endswith("Still missing: Robotics.")
    assert 'data-test="solver-columns"' in html
    assert f'href="/people/{ids["nora"]}/contact"' in html
    assert 'data-test="invite"' in html


def _invite(client, ids, kind="profile", key="nora"):
    return client.post(
        f"/manage/challenges/{ids['challenge']}/invite",
        data={"invitee_kind": kind, "invitee_id": ids[key]},
    )


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def test_an_invitation_to_propose_is_sent_once(app, client):
    ids = _solvers_world(app)
    login(client, "editor@example.org")
    assert _invite(client, ids).status_code == 302
    assert _invite(client, ids).status_code == 302  # the second one tells nobody
    assert _invite(client, ids, "organization", "firm").status_code == 302
    with app.app_context():
        kind = match_feedback.INVITE_TO_PROPOSE
        assert _count(ProposalInvitation) == 2
        rows = db.session.scalars(select(Notification).where(Notification.kind == kind)).all()
        assert len(rows) == 2  # Nora and the firm's owner, once each
        assert {row.link for row in rows} == {f"/challenges/{ids['challenge']}/propose"}
    html = html_of(client, f"/manage/challenges/{ids['challenge']}/solvers")
    assert 'data-test="invited"' in html
    client.post("/logout")
    login(client, "nora@example.org")
    inbox = html_of(client, "/me/notifications")
    assert "invites you to propose" in inbox


@pytest.mark.parametrize(
    ("who", "status"), [("curator@example.org", 403), ("nora@example.org", 403)]
)
def test_only_the_challenges_editors_may_invite(app, client, who, status):
    ids = _solvers_world(app)
    login(client, who)
    assert _invite(client, ids).status_code == status
    with app.app_context():
        assert _count(ProposalInvitation) == 0 and _count(Notification) == 0


def test_an_invitation_to_someone_not_suggested_changes_nothing(app, client):
    ids = _solvers_world(app)
    with app.app_context():
        hidden = f.profile(f.user("priv@example.org"), visibility="private")
        ids["hidden"] = hidden.id
    login(client, "owner@example.org")
    for data in ({"invitee_kind": "profile", "invitee_id": ids["hidden"]},
                 {"invitee_kind": "bogus", "invitee_id": "x"}, {}):  # fmt: skip
        response = client.post(f"/manage/challenges/{ids['challenge']}/invite", data=data)
        assert response.status_code == 302
    assert client.post("/manage/challenges/999999/invite", data={}).status_code == 404
    with app.app_context():
        assert _count(ProposalInvitation) == 0
