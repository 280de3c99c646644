"""Coalition membership: an owner asks, a curator decides (audited), owners are told, and
/coalicion lists the members of published organisations with counts over time."""

from __future__ import annotations

from datetime import date

from flask import Flask
from sqlalchemy import select

from directory.extensions import db
from directory.models import Organization
from directory.models.coalition import CoalitionMember

from .. import factories as f
from ..helpers import translated
from .helpers import audited, login, notified

XSS = '"><script>alert(1)</script>'


def _setup(app: Flask) -> dict[str, int]:
    with app.app_context():
        owner = f.user("owner@example.org")
        editor = f.user("editor@example.org")
        f.user("curator@example.org", role="curator")
        f.user("member@example.org")
        org = f.org(
            owner, editors=(editor,), name="Visión del Norte", kind="startup", state_code="NLE"
        )
        pending = f.org(owner, status="pending", name="Aún pendiente")
        return {"org": org.id, "pending": pending.id, "owner": owner.id}


def test_an_owner_asks_a_curator_approves_and_the_organisation_is_listed(app: Flask) -> None:
    ids = _setup(app)
    owner = login(app, "owner@example.org")
    page = owner.get(f"/manage/organizations/{ids['org']}")
    assert f"/manage/organizations/{ids['org']}/coalicion" in page.get_data(as_text=True)
    response = owner.post(
        f"/manage/organizations/{ids['org']}/coalicion",
        data={"tier": "member", "message": "Hacemos visión por computadora."},
    )
    assert response.status_code == 302
    page = owner.get(f"/manage/organizations/{ids['org']}/coalicion").get_data(as_text=True)
    assert 'data-test="coalition-requested"' in page
    assert "Visión del Norte" not in app.test_client().get("/coalicion").get_data(as_text=True)

    curator = login(app, "curator@example.org")
    queue = curator.get("/curation/coalition").get_data(as_text=True)
    assert "Visión del Norte" in queue and "Hacemos visión por computadora." in queue
    with app.app_context():
        row = db.session.scalar(select(CoalitionMember))
        assert row.status == "requested"
        row_id = row.id
    response = curator.post(f"/curation/coalition/{row_id}/approve", data={"tier": "founding"})
    assert response.status_code == 302
    with app.app_context():
        row = db.session.get(CoalitionMember, row_id)
        assert (row.status, row.tier, row.joined_on) == ("active", "founding", date.today())
        assert audited("coalition.requested") == 1 and audited("coalition.approved") == 1
        (note,) = notified(ids["owner"], "coalition_decided")
        assert note.params == {"action": "approved", "tier": "founding"}
    public = app.test_client().get("/coalicion").get_data(as_text=True)
    assert "Visión del Norte" in public
    assert 'data-test="coalition-total"' in public
    assert translated(app, "Founding member", "es") in public  # Spanish, the default language


def test_only_owners_of_published_organisations_may_ask(app: Flask) -> None:
    ids = _setup(app)
    editor = login(app, "editor@example.org")
    assert editor.get(f"/manage/organizations/{ids['org']}/coalicion").status_code == 403
    assert (
        editor.post(
            f"/manage/organizations/{ids['org']}/coalicion", data={"tier": "member"}
        ).status_code
        == 403
    )
    member = login(app, "member@example.org")
    assert member.get(f"/manage/organizations/{ids['pending']}/coalicion").status_code == 404
    owner = login(app, "owner@example.org")
    page = owner.get(f"/manage/organizations/{ids['pending']}/coalicion").get_data(as_text=True)
    assert 'data-test="coalition-unpublished"' in page
    # A hand-made POST for the pending organisation, or a tier owners may not choose, is refused.
    response = owner.post(
        f"/manage/organizations/{ids['pending']}/coalicion", data={"tier": "member"}
    )
    assert response.status_code == 200
    message = "The organisation must be published before it can join the coalition."
    assert translated(app, message, "es") in response.get_data(as_text=True)
    response = owner.post(
        f"/manage/organizations/{ids['org']}/coalicion", data={"tier": "founding"}
    )
    assert response.status_code == 200
    with app.app_context():
        assert db.session.scalar(select(CoalitionMember)) is None


def test_asking_twice_is_refused_with_a_message(app: Flask) -> None:
    ids = _setup(app)
    owner = login(app, "owner@example.org")
    url = f"/manage/organizations/{ids['org']}/coalicion"
    owner.post(url, data={"tier": "observer"})
    again = owner.post(url, data={"tier": "observer"})
    assert again.status_code == 200
    assert 'data-test="coalition-join-form"' not in again.get_data(as_text=True)
    with app.app_context():
        assert len(db.session.scalars(select(CoalitionMember)).all()) == 1


def test_a_declined_request_tells_the_owners_why_and_may_be_sent_again(app: Flask) -> None:
    ids = _setup(app)
    owner = login(app, "owner@example.org")
    owner.post(f"/manage/organizations/{ids['org']}/coalicion", data={"tier": "member"})
    with app.app_context():
        row_id = db.session.scalar(select(CoalitionMember.id))
    curator = login(app, "curator@example.org")
    # A decline without a reason changes nothing.
    curator.post(f"/curation/coalition/{row_id}/decline", data={"note": ""})
    with app.app_context():
        assert db.session.get(CoalitionMember, row_id).status == "requested"
    curator.post(f"/curation/coalition/{row_id}/decline", data={"note": "Falta información"})
    page = owner.get(f"/manage/organizations/{ids['org']}/coalicion").get_data(as_text=True)
    assert 'data-test="coalition-declined"' in page and "Falta información" in page
    with app.app_context():
        assert audited("coalition.declined") == 1
        assert notified(ids["owner"], "coalition_decided")[0].params["action"] == "declined"
    owner.post(f"/manage/organizations/{ids['org']}/coalicion", data={"tier": "member"})
    with app.app_context():
        assert db.session.get(CoalitionMember, row_id).status == "requested"


def test_curators_change_a_tier_and_end_a_membership_audited(app: Flask) -> None:
    ids = _setup(app)
    with app.app_context():
        row_id = f.coalition_member(db.session.get(Organization, ids["org"])).id
    curator = login(app, "curator@example.org")
    curator.post(f"/curation/coalition/{row_id}/tier", data={"tier": "observer"})
    with app.app_context():
        assert db.session.get(CoalitionMember, row_id).tier == "observer"
        assert audited("coalition.tier_changed") == 1
    curator.post(f"/curation/coalition/{row_id}/end", data={"note": "Ya no participa"})
    with app.app_context():
        row = db.session.get(CoalitionMember, row_id)
        assert (row.status, row.ended_on) == ("ended", date.today())
        assert audited("coalition.ended") == 1
        actions = [n.params["action"] for n in notified(ids["owner"], "coalition_decided")]
        assert actions == ["tier", "ended"]
    assert "Visión del Norte" not in app.test_client().get("/coalicion").get_data(as_text=True)


def test_the_public_page_lists_published_members_by_kind_and_state_with_counts(
    app: Flask,
) -> None:
    with app.app_context():
        f.coalition_member(
            f.org(name="Universidad Uno", kind="university", state_code="JAL"),
            joined_on=date(2025, 2, 1),
            tier="founding",
        )
        f.coalition_member(
            f.org(name="Arranque Dos", kind="startup", state_code="CMX"), joined_on=date(2025, 5, 1)
        )
        f.coalition_member(f.org(name="Escondida", status="pending"), joined_on=date(2025, 5, 2))
        f.coalition_member(
            f.org(name="Se fue"),
            status="ended",
            joined_on=date(2025, 2, 3),
            ended_on=date(2025, 8, 1),
        )
        f.coalition_member(f.org(name="Solo pidió"), status="requested", joined_on=None)
    client = app.test_client()
    client.set_cookie("lang", "en")
    page = client.get("/coalicion").get_data(as_text=True)
    assert "Universidad Uno" in page and "Arranque Dos" in page
    for hidden in ("Escondida", "Se fue", "Solo pidió"):
        assert hidden not in page
    assert "2 member organisations" in page
    for key in ("kinds", "tiers", "states", "quarters", "years"):
        assert f'data-test="table-{key}"' in page
    assert 'data-test="chart-coalition-quarters"' in page
    # Q1 2025: the founding member and the one that left; Q3 2025: one left.
    assert '<tr data-key="2025-Q1">' in page
    q1 = page.split('<tr data-key="2025-Q1">')[1].split("</tr>")[0]
    assert '<th scope="row">Q1 2025</th>' in q1
    cells = [c.split(">")[1].split("<")[0] for c in q1.split('<td class="num"')[1:]]
    assert cells == [
        "1",
        "1",
        "0",
        "2",
        "0",
        "2",
    ]  # founding, member, observer, joined, left, total
    q3 = page.split('<tr data-key="2025-Q3">')[1].split("</tr>")[0]
    assert [c.split(">")[1].split("<")[0] for c in q3.split('<td class="num"')[1:]][-2:] == [
        "1",
        "2",
    ]
    only_jal = client.get("/coalicion?state=JAL&kind=nonsense").get_data(as_text=True)
    members = only_jal.split('id="members"')[1].split("</section>")[0]
    assert "Universidad Uno" in members and "Arranque Dos" not in members


def test_hostile_names_are_escaped_on_the_public_and_curator_pages(app: Flask) -> None:
    with app.app_context():
        f.user("curator@example.org", role="curator")
        owner = f.user("owner@example.org")
        f.coalition_member(f.org(owner, name=XSS))
        f.coalition_member(f.org(owner, name=XSS + "2"), status="requested", message=XSS)
    for client, url in (
        (app.test_client(), "/coalicion"),
        (login(app, "curator@example.org"), "/curation/coalition"),
    ):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in html, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url
