"""The organisation's manage page and the owner's own public pages (issue 16): members by
name, no removal beside the only owner, titles that link, Close behind a confirmation,
accessible tables; "Manage this challenge" instead of a dead end; menu labels that equal
the titles of the pages they open."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from sqlalchemy import select

from directory.extensions import db
from directory.models import Membership, Opening, Status

from . import factories as f
from .helpers import translated
from .test_orgs import build_world, client_as


def _manage(app: Flask, world, role: str = "owner", lang: str = "es") -> str:
    client = client_as(app, role)
    client.set_cookie("lang", lang)
    return client.get(f"/manage/organizations/{world.org_id}").get_data(as_text=True)


def _members(html: str) -> list[str]:
    """Each member line as plain text."""
    items = re.findall(r'<li data-test="member"[^>]*>(.*?)</li>', html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in items]


def test_members_are_shown_by_name_or_to_owners_by_email_and_you_are_marked(app):
    world = build_world(app)
    with app.app_context():
        editor = db.session.get(Membership, world.editor_membership_id).user
        f.profile(editor, full_name="Elena Editora")
    lines = _members(_manage(app, world, "owner", "en"))
    assert lines[0].startswith("owner@example.org (you) · Owner")  # no profile: the e-mail
    assert lines[1].startswith("Elena Editora · Editor")
    assert not any("without a profile" in line for line in lines)
    # An editor never sees another member's e-mail (README: e-mails are shown nowhere else).
    editor_view = _members(_manage(app, world, "editor", "en"))
    assert editor_view[0].startswith("A member without a profile · Owner")
    assert editor_view[1].startswith("Elena Editora (you) · Editor")
    assert not any("@" in line for line in editor_view)


def test_no_remove_beside_the_only_owner(app):
    world = build_world(app)
    html = _manage(app, world)
    owner_line = re.search(r'<li data-test="member" data-role="owner">(.*?)</li>', html, re.S)
    assert 'data-test="remove-member"' not in owner_line.group(1)
    assert html.count('data-test="remove-member"') == 1  # beside the editor only
    with app.app_context():
        db.session.get(Membership, world.editor_membership_id).role = "owner"
        db.session.commit()
    assert _manage(app, world).count('data-test="remove-member"') == 2  # two owners: either


def test_titles_link_to_the_public_page_once_published_and_to_edit_before(app):
    world = build_world(app)
    with app.app_context():
        org = db.session.get(Opening, world.opening_id).organization
        draft = f.opening(org, status=Status.PENDING, title="Vacante en revisión").id
        closed = f.opening(org, status=Status.ARCHIVED, title="Vacante cerrada").id
    html = _manage(app, world)
    assert f'<a href="/openings/{world.opening_id}" data-test="opening-title">' in html
    assert f'<a href="/challenges/{world.challenge_id}" data-test="challenge-title">' in html
    assert f'<a href="/manage/openings/{draft}/edit" data-test="opening-title">' in html
    assert f'<a href="/openings/{closed}" data-test="opening-title">' in html
    # Curators read the dashboard but edit nothing: an unpublished title is plain text.
    curator = _manage(app, world, "curator")
    assert f"/manage/openings/{draft}/edit" not in curator and "Vacante en revisión" in curator


def test_close_asks_for_confirmation_first(app):
    world = build_world(app)
    html = _manage(app, world)
    link = f'href="/manage/openings/{world.opening_id}/close"'
    assert link in html  # a link to the confirmation page, not a one-click form
    assert f'action="/manage/openings/{world.opening_id}/close"' not in html
    owner = client_as(app, "owner")
    page = owner.get(f"/manage/openings/{world.opening_id}/close")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and 'data-test="close-confirm-form"' in text
    assert f'action="/manage/openings/{world.opening_id}/close"' in text
    with app.app_context():
        assert db.session.get(Opening, world.opening_id).status == Status.PUBLISHED  # not yet
    assert owner.post(f"/manage/openings/{world.opening_id}/close").status_code == 302
    with app.app_context():
        assert db.session.get(Opening, world.opening_id).status == Status.ARCHIVED
    # A closed post has nothing to confirm; a challenge asks too.
    assert owner.get(f"/manage/openings/{world.opening_id}/close").status_code == 403
    challenge = owner.get(f"/manage/challenges/{world.challenge_id}/close")
    assert 'data-test="close-confirm-form"' in challenge.get_data(as_text=True)


@pytest.mark.parametrize("role,status", [("anonymous", 302), ("outsider", 403), ("curator", 403)])
def test_the_confirmation_page_is_for_editors_only(app, role, status):
    world = build_world(app)
    client = client_as(app, role)
    assert client.get(f"/manage/challenges/{world.challenge_id}/close").status_code == status


def test_tables_have_headers_for_every_column_and_captions(app):
    world = build_world(app)
    html = _manage(app, world, "owner", "en")
    for table in ("openings", "challenges"):
        block = re.search(rf'<table class="data" data-test="{table}">(.*?)</thead>', html, re.S)
        head = block.group(1)
        assert "<caption" in head
        assert "<th>" not in head and "<th></th>" not in head
        assert re.search(r'<th scope="col" data-test="actions-heading">Actions</th>', head)
    es = _manage(app, world, "owner", "es")
    assert f">{translated(app, 'Actions', 'es')}</th>" in es


def test_the_owner_sees_manage_links_on_their_own_challenge_and_opening(app):
    world = build_world(app)
    owner = client_as(app, "owner")
    challenge = owner.get(f"/challenges/{world.challenge_id}").get_data(as_text=True)
    assert (
        f'href="/manage/organizations/{world.org_id}#challenge-{world.challenge_id}"' in challenge
    )
    assert f'href="/manage/challenges/{world.challenge_id}/proposals"' in challenge
    assert 'data-test="report"' not in challenge and 'data-test="propose"' not in challenge
    assert translated(app, "Manage this challenge", "es") in challenge
    opening = owner.get(f"/openings/{world.opening_id}").get_data(as_text=True)
    assert f'href="/manage/organizations/{world.org_id}#opening-{world.opening_id}"' in opening
    assert f'href="/manage/openings/{world.opening_id}/applications"' in opening
    assert 'data-test="report"' not in opening and 'data-test="apply"' not in opening
    assert translated(app, "See applications", "es") in opening
    # Everyone else keeps the usual actions, and no manage link.
    for role in ("outsider", "anonymous"):
        page = client_as(app, role).get(f"/challenges/{world.challenge_id}").get_data(as_text=True)
        assert 'data-test="report"' in page and 'data-test="manage-post"' not in page
    # The rows they point at carry those anchors.
    html = _manage(app, world)
    assert f'id="challenge-{world.challenge_id}"' in html
    assert f'id="opening-{world.opening_id}"' in html


@pytest.mark.parametrize("lang", ["es", "en"])
def test_every_account_menu_label_is_the_title_of_the_page_it_opens(app, lang):
    world = build_world(app)
    assert world.org_id
    client = client_as(app, "owner")
    client.set_cookie("lang", lang)
    html = client.get("/").get_data(as_text=True)
    menu = re.search(r'<div class="account-links">(.*?)</div>', html, re.S).group(1)
    links = re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', menu)
    assert len(links) >= 8
    for href, label in links:
        page = client.get(href).get_data(as_text=True)
        h1 = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)
        heading = " ".join(re.sub(r"<[^>]+>", " ", h1.group(1)).split())
        assert heading == label.strip(), (href, label, heading)


def test_a_forged_form_still_cannot_remove_the_only_owner(app):
    """The service still refuses removing the only owner, whatever a forged form sends."""
    world = build_world(app)
    owner = client_as(app, "owner")
    owner.post(f"/manage/organizations/{world.org_id}/members/{world.owner_membership_id}/remove")
    with app.app_context():
        roles = db.session.scalars(
            select(Membership.role).where(Membership.organization_id == world.org_id)
        ).all()
        assert "owner" in roles
