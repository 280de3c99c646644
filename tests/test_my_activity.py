"""My applications and proposals: mine only, newest first, with the poster's answer."""

from __future__ import annotations

from datetime import timedelta

import pytest

from directory.extensions import db
from directory.models import Application, Proposal, Status, utcnow

from . import factories
from .helpers import translated

ME = "ana@example.org"


@pytest.fixture
def activity(app) -> dict[str, int]:
    """Two applications and a proposal of mine, and someone else's application."""
    with app.app_context():
        me = factories.user(ME)
        other = factories.user("otra@example.org")
        firm = factories.org(name="Visiones del Norte")
        older = factories.opening(firm, title="Científica de datos")
        newer = factories.opening(firm, title="Ingeniería de visión")
        hidden = factories.opening(firm, title="Puesto retirado", status=Status.REJECTED)
        agency = factories.org(kind="government_agency", name="Agencia Digital")
        challenge = factories.challenge(agency, title="Detección de baches")
        my_org = factories.org(me, name="Mi Startup")
        now = utcnow()
        db.session.add_all(
            [
                Application(
                    opening=older, user=me, status="shortlisted",
                    response_message="Nos gustaría entrevistarte.",
                    created_at=now - timedelta(days=3),
                ),
                Application(opening=newer, user=me, created_at=now - timedelta(days=1)),
                Application(opening=hidden, user=me, created_at=now - timedelta(days=5)),
                Application(opening=newer, user=other, response_message="Mensaje ajeno"),
                Proposal(
                    challenge=challenge, user=me, organization=my_org, status="accepted",
                    response_message="Propuesta aceptada, felicidades.",
                ),
            ]
        )  # fmt: skip
        db.session.commit()
        return {"older": older.id, "newer": newer.id, "hidden": hidden.id, "ch": challenge.id}


def test_my_activity_lists_my_applications_and_proposals(app, client, auth, activity):
    auth.login(ME)
    response = client.get("/me/activity")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.index("Ingeniería de visión") < html.index("Científica de datos")
    assert html.index("Científica de datos") < html.index("Puesto retirado")
    assert f'href="/openings/{activity["older"]}"' in html
    assert f'href="/openings/{activity["hidden"]}"' not in html  # no link to a hidden post
    assert translated(app, "no longer listed", "es") in html
    assert "Visiones del Norte" in html and "Nos gustaría entrevistarte." in html
    assert translated(app, "Shortlisted", "es") in html
    assert translated(app, "Received", "es") in html
    assert "Mensaje ajeno" not in html
    assert f'href="/challenges/{activity["ch"]}"' in html
    assert "Detección de baches" in html and "Agencia Digital" in html
    assert translated(app, "On behalf of %(org)s", "es", org="Mi Startup") in html
    assert "Propuesta aceptada, felicidades." in html
    assert translated(app, "Accepted", "es") in html


def test_someone_else_sees_only_their_own_activity(app, client, auth, activity):
    auth.login("otra@example.org")
    client.set_cookie("lang", "en")
    html = client.get("/me/activity").get_data(as_text=True)
    assert "Ingeniería de visión" in html
    assert "Científica de datos" not in html and "Nos gustaría" not in html
    assert "Detección de baches" not in html
    assert translated(app, "You have not sent any proposal yet.", "en") in html


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/me/activity")
    assert response.status_code == 302 and response.location.startswith("/login")


def test_a_newcomer_sees_empty_lists_in_both_languages(app, client, make_user, auth):
    make_user(ME)
    auth.login(ME)
    for locale in ("es", "en"):
        client.set_cookie("lang", locale)
        html = client.get("/me/activity").get_data(as_text=True)
        assert translated(app, "You have not applied to any opening yet.", locale) in html
    assert client.get("/me/activity").headers["Cache-Control"] == "no-store"
