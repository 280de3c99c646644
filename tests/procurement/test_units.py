"""Innovation units: owners create and manage them, invited people accept, the unit page
shows only what each reader may see (SECURITY.md rows 12, 13, 16, 17–19, 31)."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from directory.extensions import db
from directory.models import AuditEvent, Challenge, Notification, Profile, Status, User
from directory.models.procurement import InnovationUnit, UnitMember

from .. import factories as f
from .conftest import ASKER, CURATOR, EDITOR, HIDDEN, OUTSIDER, OWNER, World, login


def _unit(app: Flask, unit_id: int) -> InnovationUnit:
    with app.app_context():
        unit = db.session.get(InnovationUnit, unit_id)
        assert unit is not None
        return unit


def test_an_agency_owner_creates_a_unit_and_the_agency_page_lists_it(app, world):
    owner = login(app, OWNER)
    form = owner.get(f"/manage/organizations/{world.agency_id}/units/new")
    assert form.status_code == 200 and form.headers["Cache-Control"] == "no-store"
    response = owner.post(
        f"/manage/organizations/{world.agency_id}/units/new",
        data={"name": "Equipo de datos abiertos", "mandate": "Abrir *datos*",
              "contact": "https://example.org/datos"},
    )  # fmt: skip
    assert response.status_code == 302
    with app.app_context():
        unit = db.session.scalar(
            select(InnovationUnit).where(InnovationUnit.name == "Equipo de datos abiertos")
        )
        assert unit.organization_id == world.agency_id and unit.contact.endswith("/datos")
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "unit.created"))
    page = app.test_client().get(f"/organizations/{world.agency_slug}").get_data(as_text=True)
    assert f'href="/units/{unit.id}"' in page and "Equipo de datos abiertos" in page
    unit_page = app.test_client().get(f"/units/{unit.id}").get_data(as_text=True)
    assert "<em>datos</em>" in unit_page
    assert 'href="https://example.org/datos" rel="nofollow noopener ugc"' in unit_page


def test_only_owners_of_agencies_manage_units(app, world):
    url = f"/manage/organizations/{world.agency_id}/units/new"
    assert login(app, EDITOR).get(url).status_code == 403
    assert login(app, OUTSIDER).get(url).status_code == 403
    assert login(app, CURATOR).get(url).status_code == 403
    assert app.test_client().get(url).status_code == 302
    login(app, EDITOR).post(url, data={"name": "Colada"})
    startup = login(app, ASKER).get(f"/manage/organizations/{world.startup_id}/units/new")
    assert startup.status_code == 403  # a startup has no units, even for its owner
    for path in (f"/manage/units/{world.unit_id}", f"/manage/units/{world.unit_id}/edit"):
        assert login(app, EDITOR).get(path).status_code == 403, path
        assert login(app, OWNER).get(path).status_code == 200, path
    with app.app_context():
        assert db.session.scalar(select(InnovationUnit.name).where(
            InnovationUnit.name == "Colada")) is None  # fmt: skip


def test_a_contact_point_must_be_an_email_or_a_web_address(app, world):
    owner = login(app, OWNER)
    for bad in ("javascript:alert(1)", "llámanos", "data:text/html,x"):
        response = owner.post(
            f"/manage/units/{world.unit_id}/edit", data={"name": "Equipo", "contact": bad}
        )
        assert response.status_code == 200 and 'class="errors"' in response.get_data(as_text=True)
        assert _unit(app, world.unit_id).contact == "innovacion@example.org"
    owner.post(f"/manage/units/{world.unit_id}/edit",
               data={"name": "Equipo ETI", "contact": "eti@example.org"})  # fmt: skip
    page = app.test_client().get(f"/units/{world.unit_id}").get_data(as_text=True)
    assert 'href="mailto:eti@example.org"' in page


def test_owners_invite_people_from_the_directory_who_accept(app, world):
    owner = login(app, OWNER)
    found = owner.get(f"/manage/units/{world.unit_id}?q=Ana").get_data(as_text=True)
    assert "Ana Preguntona" in found
    # A private profile is never offered, and cannot be invited by its id either.
    assert "Persona Oculta" not in owner.get(f"/manage/units/{world.unit_id}?q=Persona").get_data(
        as_text=True
    )
    owner.post(f"/manage/units/{world.unit_id}/invite",
               data={"profile_id": str(world.hidden_profile_id)})  # fmt: skip
    owner.post(f"/manage/units/{world.unit_id}/invite",
               data={"profile_id": str(world.asker_profile_id)})  # fmt: skip
    with app.app_context():
        rows = list(db.session.scalars(select(UnitMember)))
        assert [(r.user.email, r.status) for r in rows] == [(ASKER, "invited")]
        member_id = rows[0].id
        asker = db.session.scalar(select(User).where(User.email == ASKER))
        assert (
            db.session.scalar(select(Notification.kind).where(Notification.user_id == asker.id))
            == "unit_invitation"
        )
    # Invited is not a member yet: the unit page does not show them.
    assert "Ana Preguntona" not in app.test_client().get(f"/units/{world.unit_id}").get_data(
        as_text=True
    )
    # Someone else cannot accept the invitation; the invitee can.
    assert login(app, OUTSIDER).post(f"/me/units/{member_id}/accept").status_code == 404
    asker_client = login(app, ASKER)
    assert "Equipo ETI de Salud" in asker_client.get("/me/units").get_data(as_text=True)
    asker_client.post(f"/me/units/{member_id}/accept")
    page = app.test_client().get(f"/units/{world.unit_id}").get_data(as_text=True)
    assert "Ana Preguntona" in page
    # The owner removes them; they are gone from the page.
    owner.post(f"/manage/units/{world.unit_id}/members/{member_id}/remove")
    assert "Ana Preguntona" not in app.test_client().get(f"/units/{world.unit_id}").get_data(
        as_text=True
    )
    with app.app_context():
        actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"unit.member_invited", "unit.member_joined", "unit.member_removed"} <= actions


def test_the_unit_page_shows_a_member_only_as_their_profile_allows(app, world):
    with app.app_context():
        unit = db.session.get(InnovationUnit, world.unit_id)
        for email in (ASKER, HIDDEN):
            user = db.session.scalar(select(User).where(User.email == email))
            unit.members.append(UnitMember(user_id=user.id, status="active"))
        db.session.commit()
    assert "Ana Preguntona" in app.test_client().get(f"/units/{world.unit_id}").get_data(
        as_text=True
    )
    for email in (None, OWNER, CURATOR):
        client = login(app, email) if email else app.test_client()
        assert "Persona Oculta" not in client.get(f"/units/{world.unit_id}").get_data(
            as_text=True
        ), email
    # Members-only profiles: logged-in readers only.
    with app.app_context():
        profile = db.session.scalar(select(Profile).where(Profile.full_name == "Ana Preguntona"))
        profile.visibility = "members"
        db.session.commit()
    assert "Ana Preguntona" not in app.test_client().get(f"/units/{world.unit_id}").get_data(
        as_text=True
    )
    assert "Ana Preguntona" in login(app, OUTSIDER).get(f"/units/{world.unit_id}").get_data(
        as_text=True
    )


def test_the_unit_page_lists_open_and_past_challenges_but_never_unpublished_ones(app, world):
    with app.app_context():
        agency = db.session.get(Challenge, world.challenge_id).organization
        f.challenge(agency, title="Reto cerrado", status=Status.ARCHIVED, unit_id=world.unit_id)
        f.challenge(agency, title="Reto en revisión", status=Status.PENDING, unit_id=world.unit_id)
    html = app.test_client().get(f"/units/{world.unit_id}").get_data(as_text=True)
    opened = html.split('data-test="unit-open-challenges"')[1].split("</ul>")[0]
    past = html.split('data-test="unit-past-challenges"')[1].split("</ul>")[0]
    assert "Triaje de radiografías" in opened and "Reto cerrado" in past
    assert "Reto en revisión" not in html


def test_a_pending_agencys_unit_is_private(app):
    with app.app_context():
        owner = f.user(OWNER)
        agency = f.org(owner, kind="government_agency", status=Status.PENDING)
        unit_id = f.unit(agency, name="Unidad oculta").id
        f.user(OUTSIDER)
        f.user(CURATOR, role="curator")
    assert app.test_client().get(f"/units/{unit_id}").status_code == 404
    assert login(app, OUTSIDER).get(f"/units/{unit_id}").status_code == 404
    assert login(app, OWNER).get(f"/units/{unit_id}").status_code == 200
    assert login(app, CURATOR).get(f"/units/{unit_id}").status_code == 200


def test_deleting_a_unit_keeps_its_challenges(app, world: World):
    login(app, OWNER).post(f"/manage/units/{world.unit_id}/delete")
    with app.app_context():
        assert db.session.get(InnovationUnit, world.unit_id) is None
        challenge = db.session.get(Challenge, world.challenge_id)
        assert challenge is not None and challenge.unit_id is None
    assert app.test_client().get(f"/challenges/{world.challenge_id}").status_code == 200


def test_leaving_a_unit_and_declining(app, world):
    with app.app_context():
        asker = db.session.scalar(select(User).where(User.email == ASKER))
        member = UnitMember(unit_id=world.unit_id, user_id=asker.id, status="active")
        db.session.add(member)
        db.session.commit()
        member_id = member.id
    assert login(app, OUTSIDER).post(f"/me/units/{member_id}/leave").status_code == 404
    login(app, ASKER).post(f"/me/units/{member_id}/leave")
    with app.app_context():
        assert db.session.get(UnitMember, member_id) is None
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "unit.member_left"))
