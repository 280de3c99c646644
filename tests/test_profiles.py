"""My profile: created private, edited safely, published and hidden, re-confirmed yearly."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from directory import permissions
from directory.extensions import db
from directory.models import AuditEvent, Profile, User, utcnow
from directory.services import profiles

from . import factories
from .helpers import translated

ME = "ana@example.org"


def form(**overrides: Any) -> dict[str, Any]:
    """A valid profile form, with some fields changed."""
    data: dict[str, Any] = {
        "full_name": "Ana López",
        "headline": "Ingeniera de visión por computadora",
        "bio": "Trabajo en **visión** por computadora.",
        "kind": "engineer",
        "seniority": "senior",
        "skills": "Python, Visión por computadora",
        "languages": ["es", "en"],
        "diaspora_status": "local",
        "country_code": "MX",
        "state_code": "JAL",
        "city": "Guadalajara",
        "open_to": ["jobs", "advising"],
        "available_from": "",
        "links": "https://github.com/ana",
        "visibility": "private",
    }
    data.update(overrides)
    return data


def my_profile(app, email: str = ME) -> Profile | None:
    with app.app_context():
        user = db.session.scalars(select(User).where(User.email == email)).one()
        profile = user.profile
        if profile is not None:
            profile.skills  # noqa: B018  (load before the session closes)
            db.session.expunge_all()
        return profile


def audit_events(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        ).all()
        db.session.expunge_all()
        return list(events)


@pytest.fixture
def member(make_user, auth) -> User:
    user = make_user(ME)
    auth.login(ME)
    return user


def test_a_new_profile_is_private_and_nobody_else_sees_it(app, client, member, make_user, auth):
    response = client.post("/me/profile/edit", data=form())
    assert response.status_code == 302 and response.location == "/me/profile"
    profile = my_profile(app)
    assert profile is not None and profile.visibility == "private"
    assert [e.target_id for e in audit_events(app, "profile.created")] == [profile.id]
    html = client.get("/me/profile").get_data(as_text=True)
    assert "Ana López" in html and translated(app, "Private (only me)", "es") in html

    with app.app_context():
        saved = db.session.get(Profile, profile.id)
        other = factories.user("otra@example.org")
        assert permissions.can_view_profile(None, saved) is False
        assert permissions.can_view_profile(other, saved) is False
        for viewer in (None, other):
            listed = db.session.scalars(
                select(Profile.id).where(permissions.visible_profiles_clause(viewer))
            ).all()
            assert profile.id not in listed

    auth.logout()
    assert client.get("/me/profile").status_code == 302  # anonymous → log in
    auth.login("otra@example.org")
    html = client.get("/me/profile").get_data(as_text=True)
    assert "Ana López" not in html and 'data-test="no-profile"' in html
    assert "Ana López" not in client.get("/me/profile/edit").get_data(as_text=True)


def test_the_profile_page_invites_to_create_one_first(app, client, member):
    html = client.get("/me/profile").get_data(as_text=True)
    assert 'data-test="create-profile"' in html
    assert translated(app, "You have no profile yet", "es") in html
    response = client.post("/me/profile/publish", data={"visibility": "public"})
    assert response.location == "/me/profile/edit"


def test_the_profile_page_shows_status_date_and_hints(app, client, member):
    client.post("/me/profile/edit", data=form(links="", open_to=[]))
    client.set_cookie("lang", "en")
    html = client.get("/me/profile").get_data(as_text=True)
    assert 'data-visibility="private"' in html
    assert "Last updated" in html and 'data-test="profile-updated"' in html
    assert "Add a link to your work" in html and "Say what you are open to" in html
    assert "Your profile is private: publish it to be found." in html
    assert "Visión por computadora" not in html  # labels follow the page's language
    assert "Computer vision" in html


def test_publish_and_unpublish_change_visibility_and_are_audited(app, client, member):
    client.post("/me/profile/edit", data=form())
    client.post("/me/profile/publish", data={"visibility": "public"})
    assert my_profile(app).visibility == "public"
    client.post("/me/profile/publish", data={"visibility": "members"})
    assert my_profile(app).visibility == "members"
    client.post("/me/profile/publish", data={"visibility": "everyone"})  # not a level
    assert my_profile(app).visibility == "members"
    client.post("/me/profile/unpublish")
    assert my_profile(app).visibility == "private"
    assert [e.details["after"] for e in audit_events(app, "profile.published")] == [
        "public",
        "members",
    ]
    assert len(audit_events(app, "profile.unpublished")) == 1


CASES = [
    ({"full_name": ""}, "This field is required.", {}),
    ({"headline": "x" * 10_001}, "Use at most %(max)d characters.", {"max": 200}),
    ({"bio": "x" * 10_001}, "Use at most %(max)d characters.", {"max": 10_000}),
    (
        {"links": "javascript:alert(1)"},
        "“%(link)s” is not a web address starting with http:// or https://.",
        {"link": "javascript:alert(1)"},
    ),
    (
        {"links": "ftp://example.org/cv.pdf"},
        "“%(link)s” is not a web address starting with http:// or https://.",
        {"link": "ftp://example.org/cv.pdf"},
    ),
    ({"state_code": ""}, "Choose your state: it is required in Mexico.", {}),
    ({"available_from": "2020-01-01"}, "The date cannot be in the past.", {}),
    (
        {"skills": ", ".join(f"habilidad {n}" for n in range(31))},
        "Add at most %(max)d skills; you added %(count)d.",
        {"max": 30, "count": 31},
    ),
    ({"kind": "astronaut"}, "Not a valid choice.", {}),
    ({"available_from": "mañana"}, "Not a valid date value.", {}),
]


@pytest.mark.parametrize("locale", ["es", "en"])
@pytest.mark.parametrize(("overrides", "msgid", "params"), CASES)
def test_bad_input_is_explained_and_saves_nothing(
    app, client, make_user, auth, locale, overrides, msgid, params
):
    make_user(ME, locale=locale)
    auth.login(ME)
    response = client.post("/me/profile/edit", data=form(**overrides))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    if msgid.startswith("Not a valid"):  # WTForms' own messages: just check there is one
        assert 'class="errors"' in html
    else:
        assert translated(app, msgid, locale, **params) in html
    nothing_saved = "Nothing was saved. Please correct the fields marked below."
    assert translated(app, nothing_saved, locale) in html
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Profile)) == 0


def test_a_refused_edit_leaves_the_saved_profile_unchanged(app, client, member):
    client.post("/me/profile/edit", data=form())
    response = client.post("/me/profile/edit", data=form(full_name="Otra", state_code=""))
    assert response.status_code == 200
    assert my_profile(app).full_name == "Ana López"


def test_more_than_30_skills_after_resolution_are_refused_by_the_service(app_ctx):
    user = factories.user()
    data = profiles.ProfileInput(
        full_name="Ana", state_code="JAL", skills=", ".join(f"tema {n}" for n in range(31))
    )
    with pytest.raises(profiles.ProfileError) as excinfo:
        profiles.save_profile(user, data)
    assert excinfo.value.field == "skills"
    assert user.profile is None


def test_abroad_the_state_is_ignored_and_abroad_means_outside_mexico(app, client, member):
    abroad = form(country_code="DE", state_code="JAL", diaspora_status="abroad", city="Berlín")
    assert client.post("/me/profile/edit", data=abroad).status_code == 302
    profile = my_profile(app)
    assert profile.country_code == "DE" and profile.state_code is None

    response = client.post("/me/profile/edit", data=form(diaspora_status="abroad"))
    assert response.status_code == 200
    assert translated(app, "You said you live abroad: choose that country.", "es") in (
        response.get_data(as_text=True)
    )
    assert my_profile(app).country_code == "DE"


def test_a_saved_date_that_has_passed_does_not_block_other_edits(app, client, member):
    with app.app_context():
        user = db.session.scalars(select(User).where(User.email == ME)).one()
        factories.profile(user, available_from=date.today() - timedelta(days=10))
    past = (date.today() - timedelta(days=10)).isoformat()
    response = client.post("/me/profile/edit", data=form(available_from=past, city="Zapopan"))
    assert response.status_code == 302
    assert my_profile(app).city == "Zapopan"
    future = (date.today() + timedelta(days=5)).isoformat()
    client.post("/me/profile/edit", data=form(available_from=future))
    assert my_profile(app).available_from == date.today() + timedelta(days=5)


def test_bio_and_name_are_neutralised(app, client, member):
    bio = '<script>alert("bio")</script> [x](javascript:alert(1)) <img src=x onerror=alert(2)>'
    name = '"><svg onload=alert(3)>'
    client.post("/me/profile/edit", data=form(bio=bio, full_name=name))
    html = client.get("/me/profile").get_data(as_text=True)
    assert "<script>alert" not in html and "javascript:" not in html
    assert "<img src=x" not in html and "onerror" not in html and "<svg" not in html
    assert "&#34;&gt;&lt;svg onload=alert(3)&gt;" in html  # the name, shown as text


def test_links_render_with_safe_rel(app, client, member):
    client.post("/me/profile/edit", data=form(links="https://github.com/ana\nhttp://ana.mx"))
    html = client.get("/me/profile").get_data(as_text=True)
    assert '<a href="https://github.com/ana" rel="nofollow noopener ugc">' in html


def test_free_text_skills_are_kept_apart_and_areas_shown_as_such(app, client, member):
    skills = "Python, visión computacional, Cocina molecular, ML, python3"
    client.post("/me/profile/edit", data=form(skills=skills))
    profile = my_profile(app)
    assert {s.slug for s in profile.skills} == {"python", "computer-vision", "machine-learning"}
    assert profile.free_skills == ["Cocina molecular"]
    html = client.get("/me/profile").get_data(as_text=True)
    areas = html.split('data-test="profile-areas"')[1].split("</p>")[0]
    assert "Visión por computadora" in areas and "Python" not in areas
    assert "Cocina molecular" in html.split('data-test="profile-free-skills"')[1]
    edit = client.get("/me/profile/edit").get_data(as_text=True)
    assert "Cocina molecular" in edit and "Aprendizaje automático" in edit
    assert 'id="skills-vocabulary"' in edit


def test_consent_changes_are_audited_with_their_time(app, client, member):
    client.post("/me/profile/edit", data=form(contact_consent="y"))
    client.post("/me/profile/edit", data=form(matching_consent="y"))
    client.post("/me/profile/edit", data=form(matching_consent="y"))  # no change
    contact = audit_events(app, "consent.contact")
    matching = audit_events(app, "consent.matching")
    assert [e.details for e in contact] == [{"granted": True}, {"granted": False}]
    assert [e.details for e in matching] == [{"granted": True}]
    assert all(e.created_at <= utcnow() and e.actor_id is not None for e in contact + matching)
    profile = my_profile(app)
    assert profile.contact_consent is False and profile.matching_consent is True


def test_consents_start_unchecked(app, client, member):
    html = client.get("/me/profile/edit").get_data(as_text=True)
    for name in ("contact_consent", "matching_consent"):
        tag = re.search(rf'<input[^>]*id="{name}"[^>]*>', html)
        assert tag is not None and "checked" not in tag.group(0)
    assert re.search(r'<option selected value="private">', html)


def test_the_form_cannot_set_owner_role_or_verification(app, client, member):
    with app.app_context():
        other = factories.user("otra@example.org")
        other_profile = factories.profile(other, full_name="Otra Persona")
        other_id, other_profile_id = other.id, other_profile.id
    sneaky = form(
        role="curator", user_id=str(other_id), verified="1", id=str(other_profile_id),
        active="0", phone="555-0100", search_text="x",
    )  # fmt: skip
    assert client.post("/me/profile/edit", data=sneaky).status_code == 302
    with app.app_context():
        me = db.session.scalars(select(User).where(User.email == ME)).one()
        assert me.role == "member" and me.active is True
        assert me.profile.user_id == me.id and me.profile.id != other_profile_id
        assert me.profile.phone == ""
        assert db.session.get(Profile, other_profile_id).full_name == "Otra Persona"
        assert db.session.get(Profile, other_profile_id).user_id == other_id
    assert not hasattr(profiles.ProfileInput, "user_id")


def test_an_old_published_profile_asks_to_be_reconfirmed(app, client, member):
    client.post("/me/profile/edit", data=form(visibility="public"))
    with app.app_context():
        profile = db.session.scalars(select(Profile)).one()
        profile.confirmed_at = utcnow() - timedelta(days=400)
        db.session.commit()
    html = client.get("/me/profile").get_data(as_text=True)
    assert 'data-test="reconfirm-notice"' in html
    client.post("/me/profile/confirm")
    assert utcnow() - my_profile(app).confirmed_at < timedelta(minutes=1)
    assert 'data-test="reconfirm-notice"' not in client.get("/me/profile").get_data(as_text=True)
    assert len(audit_events(app, "profile.confirmed")) == 1


def test_a_private_profile_is_not_asked_to_reconfirm(app_ctx):
    profile = factories.profile(visibility="private")
    profile.confirmed_at = utcnow() - timedelta(days=400)
    assert profiles.needs_reconfirmation(profile) is False
    profile.visibility = "members"
    assert profiles.needs_reconfirmation(profile) is True


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/me/profile"),
        ("get", "/me/profile/edit"),
        ("post", "/me/profile/edit"),
        ("post", "/me/profile/publish"),
        ("post", "/me/profile/unpublish"),
        ("post", "/me/profile/confirm"),
    ],
)
def test_anonymous_visitors_are_sent_to_log_in(client, method, path):
    response = getattr(client, method)(path)
    assert response.status_code == 302 and response.location.startswith("/login")


def test_my_pages_are_not_cached(client, member):
    assert client.get("/me/profile").headers["Cache-Control"] == "no-store"
