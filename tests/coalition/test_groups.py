"""Working groups: curators create them and name coordinators; people and organisations ask
to join; coordinators decide and add meetings and documents; the group hears of them."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Flask
from sqlalchemy import select

from directory.extensions import db
from directory.models import Notification, NotificationPreference
from directory.models.coalition import (
    GroupCoordinator,
    GroupMeeting,
    GroupMember,
    GroupOutput,
    WorkingGroup,
)

from .. import factories as f
from ..helpers import translated
from .helpers import audited, login, notified


def test_curators_create_a_group_that_stays_hidden_until_published(app: Flask) -> None:
    with app.app_context():
        f.user("curator@example.org", role="curator")
        coordinator_id = f.user("coordina@example.org").id
    curator = login(app, "curator@example.org")
    data = {
        "name_es": "Ética",
        "name_en": "Ethics",
        "description_es": "Principios **claros**",
        "description_en": "Clear principles",
        "status": "draft",
    }
    assert curator.post("/curation/working-groups/new", data=data).status_code == 302
    with app.app_context():
        group = db.session.scalar(select(WorkingGroup))
        group_id = group.id
        assert (group.name_es, group.name_en, group.status) == ("Ética", "Ethics", "draft")
        assert audited("group.created") == 1
    assert app.test_client().get(f"/grupos/{group_id}").status_code == 404
    assert "Ética" not in app.test_client().get("/grupos").get_data(as_text=True)
    assert curator.get(f"/grupos/{group_id}").status_code == 200
    # Coordinators are named by their account's address; an unknown address is refused.
    curator.post(
        f"/curation/working-groups/{group_id}/coordinators", data={"email": "nadie@example.org"}
    )
    curator.post(
        f"/curation/working-groups/{group_id}/coordinators", data={"email": "COORDINA@example.org"}
    )
    curator.post(f"/curation/working-groups/{group_id}", data={**data, "status": "published"})
    with app.app_context():
        assert [c.user_id for c in db.session.scalars(select(GroupCoordinator))] == [coordinator_id]
        assert audited("group.coordinator_named") == 1 and audited("group.updated") == 1
    english = app.test_client()
    english.set_cookie("lang", "en")
    page = english.get(f"/grupos/{group_id}").get_data(as_text=True)
    assert "Ethics" in page and "Clear principles" in page
    assert "<strong>claros</strong>" in app.test_client().get(f"/grupos/{group_id}").get_data(
        as_text=True
    )


def _world(app: Flask) -> dict[str, int]:
    with app.app_context():
        coordinator = f.user("coordina@example.org")
        f.profile(coordinator, full_name="Coordinadora Pública")
        owner = f.user("owner@example.org")
        org = f.org(owner, name="Datos Abiertos AC", kind="ngo")
        person = f.user("persona@example.org")
        f.profile(person, full_name="Persona Pública")
        hidden = f.user("oculta@example.org")
        f.profile(hidden, full_name="Persona Privada", visibility="private")
        f.user("sinperfil@example.org")
        f.user("curator@example.org", role="curator")
        group = f.working_group(coordinators=(coordinator,))
        return {
            "group": group.id,
            "org": org.id,
            "owner": owner.id,
            "person": person.id,
            "coordinator": coordinator.id,
            "hidden": hidden.id,
        }


def test_people_and_organisations_ask_and_coordinators_decide(app: Flask) -> None:
    ids = _world(app)
    url = f"/grupos/{ids['group']}"
    owner = login(app, "owner@example.org")
    form = owner.get(url).get_data(as_text=True)
    assert f'value="org-{ids["org"]}"' in form and 'value="me"' not in form  # no profile
    owner.post(f"{url}/unirse", data={"join_as": f"org-{ids['org']}", "message": "Datos"})
    person = login(app, "persona@example.org")
    person.post(f"{url}/unirse", data={"join_as": "me"})
    # Someone else's organisation, or no profile, is refused and saves nothing.
    person.post(f"{url}/unirse", data={"join_as": f"org-{ids['org']}"})
    login(app, "sinperfil@example.org").post(f"{url}/unirse", data={"join_as": "me"})
    hidden = login(app, "oculta@example.org")
    hidden.post(f"{url}/unirse", data={"join_as": "me"})
    with app.app_context():
        rows = db.session.scalars(select(GroupMember).order_by(GroupMember.id)).all()
        assert [(r.organization_id, r.user_id, r.status) for r in rows] == [
            (ids["org"], None, "requested"),
            (None, ids["person"], "requested"),
            (None, ids["hidden"], "requested"),
        ]
        assert len(notified(ids["coordinator"], "group_request")) == 3
        row_ids = [r.id for r in rows]

    # Only coordinators (and curators) reach the coordination page and decide.
    assert person.get(f"{url}/coordinar").status_code == 403
    assert person.post(f"{url}/solicitudes/{row_ids[0]}/aceptar").status_code == 403
    coordinator = login(app, "coordina@example.org")
    page = coordinator.get(f"{url}/coordinar").get_data(as_text=True)
    assert "Datos Abiertos AC" in page and "Persona Pública" in page
    assert "Persona Privada" not in page  # a private profile is not named, even to coordinators
    for row_id in row_ids[:2]:
        coordinator.post(f"{url}/solicitudes/{row_id}/aceptar")
    coordinator.post(f"{url}/solicitudes/{row_ids[2]}/rechazar")
    with app.app_context():
        assert [db.session.get(GroupMember, i).status for i in row_ids] == [
            "active",
            "active",
            "declined",
        ]
        assert notified(ids["owner"], "group_decided")[0].params == {"approved": True}
        assert notified(ids["hidden"], "group_decided")[0].params == {"approved": False}
        assert audited("group.join_accepted") == 2 and audited("group.join_declined") == 1
    public = app.test_client().get(url).get_data(as_text=True)
    assert "Datos Abiertos AC" in public and "Persona Pública" in public
    assert "Coordinadora Pública" in public and "Persona Privada" not in public


def test_a_member_whose_profile_is_hidden_vanishes_from_the_group_page(app: Flask) -> None:
    ids = _world(app)
    with app.app_context():
        group = db.session.get(WorkingGroup, ids["group"])
        group.members.append(GroupMember(user_id=ids["person"], status="active"))
        db.session.commit()
    url = f"/grupos/{ids['group']}"
    assert "Persona Pública" in app.test_client().get(url).get_data(as_text=True)
    with app.app_context():
        from directory.models import Profile

        profile = db.session.scalar(select(Profile).where(Profile.user_id == ids["person"]))
        profile.visibility = "members"
        db.session.commit()
    assert "Persona Pública" not in app.test_client().get(url).get_data(as_text=True)
    member = login(app, "owner@example.org")
    assert "Persona Pública" in member.get(url).get_data(as_text=True)


def test_meetings_and_documents_reach_the_group_by_app_and_mail(app: Flask) -> None:
    ids = _world(app)
    with app.app_context():
        group = db.session.get(WorkingGroup, ids["group"])
        group.members.append(GroupMember(organization_id=ids["org"], status="active"))
        group.members.append(GroupMember(user_id=ids["person"], status="active"))
        # The person wants only mail about group news; the owner both (the default).
        db.session.add(
            NotificationPreference(user_id=ids["person"], kind="group_news", channel="email")
        )
        db.session.commit()
    app.extensions["outbox"].clear()
    url = f"/grupos/{ids['group']}"
    coordinator = login(app, "coordina@example.org")
    soon = (date.today() + timedelta(days=7)).isoformat()
    response = coordinator.post(
        f"{url}/reuniones",
        data={
            "meeting-starts_at": f"{soon}T10:30",
            "meeting-place": "Sala 3, Monterrey",
            "meeting-agenda": "1. Bienvenida",
        },
    )
    assert response.status_code == 302
    response = coordinator.post(
        f"{url}/documentos",
        data={
            "output-title": "Guía de datos abiertos",
            "output-url": "https://example.org/guia.pdf",
            "output-published_on": date.today().isoformat(),
        },
    )
    assert response.status_code == 302
    with app.app_context():
        meeting = db.session.scalar(select(GroupMeeting))
        assert meeting.starts_at.hour == 16  # 10:30 in Mexico City is 16:30 UTC
        assert db.session.scalar(select(GroupOutput)).title == "Guía de datos abiertos"
        owner_news = notified(ids["owner"], "group_news")
        assert sorted(n.params["what"] for n in owner_news) == ["meeting", "output"]
        assert notified(ids["person"], "group_news") == []  # mail only
        assert notified(ids["coordinator"], "group_news") == []  # they added them
    mailed = [m["To"] for m in app.extensions["outbox"]]
    assert mailed.count("owner@example.org") == 2 and mailed.count("persona@example.org") == 2
    page = app.test_client().get(url).get_data(as_text=True)
    assert 'data-test="meetings-upcoming"' in page and "Sala 3, Monterrey" in page
    assert "Guía de datos abiertos" in page
    assert 'href="https://example.org/guia.pdf" rel="nofollow noopener ugc"' in page


def test_a_past_meeting_is_listed_as_past(app: Flask) -> None:
    ids = _world(app)
    coordinator = login(app, "coordina@example.org")
    past = (date.today() - timedelta(days=3)).isoformat()
    coordinator.post(
        f"/grupos/{ids['group']}/reuniones",
        data={"meeting-starts_at": f"{past}T09:00", "meeting-link": "https://meet.example.org/x"},
    )
    page = app.test_client().get(f"/grupos/{ids['group']}").get_data(as_text=True)
    assert 'data-test="meetings-past"' in page and 'data-test="no-upcoming"' in page


def test_hostile_meeting_and_document_input_is_refused(app: Flask) -> None:
    ids = _world(app)
    coordinator = login(app, "coordina@example.org")
    url = f"/grupos/{ids['group']}"
    bad = [
        ("reuniones", {"meeting-starts_at": "2026-13-45T99:99", "meeting-place": "x"}),
        ("reuniones", {"meeting-starts_at": "2030-01-01T10:00"}),  # neither place nor link
        (
            "reuniones",
            {"meeting-starts_at": "2030-01-01T10:00", "meeting-link": "javascript:alert(1)"},
        ),
        (
            "documentos",
            {
                "output-title": "x",
                "output-url": "data:text/html,hi",
                "output-published_on": "2030-01-01",
            },
        ),
        (
            "documentos",
            {
                "output-title": "x" * 400,
                "output-url": "https://example.org",
                "output-published_on": "2030-01-01",
            },
        ),
    ]
    for path, data in bad:
        response = coordinator.post(f"{url}/{path}", data=data)
        assert response.status_code == 400, data
    with app.app_context():
        assert db.session.scalar(select(GroupMeeting)) is None
        assert db.session.scalar(select(GroupOutput)) is None
        assert db.session.scalar(select(Notification)) is None
    message = "Say where the meeting is: a place, a link or both."
    response = coordinator.post(f"{url}/reuniones", data=bad[1][1])
    assert translated(app, message, "es") in response.get_data(as_text=True)


def test_an_archived_group_takes_no_new_members(app: Flask) -> None:
    ids = _world(app)
    with app.app_context():
        db.session.get(WorkingGroup, ids["group"]).status = "archived"
        db.session.commit()
    person = login(app, "persona@example.org")
    page = person.get(f"/grupos/{ids['group']}").get_data(as_text=True)
    assert 'data-test="join-group-form"' not in page
    person.post(f"/grupos/{ids['group']}/unirse", data={"join_as": "me"})
    with app.app_context():
        assert db.session.scalar(select(GroupMember)) is None
