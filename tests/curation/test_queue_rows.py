"""Moderation queue rows (issue 16): each shows the record's kind, website, place, a
one-line summary, possible duplicates and how long it has waited, oldest first; and the
page's query count does not grow with its rows."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from directory.extensions import db
from directory.models import Organization, Report, Status, User, utcnow
from directory.services import duplicates

from .. import factories as f
from ..helpers import translated
from .test_moderation import curator_client


def _rows(html: str) -> dict[str, str]:
    """Each queue row's HTML by "kind:id"."""
    return {
        f"{kind}:{rid}": body
        for kind, rid, body in re.findall(
            r'<tr data-test="queue-row" data-kind="(\w+)" data-id="(\d+)">(.*?)</tr>', html, re.S
        )
    }


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def curator(app: Flask, client: FlaskClient) -> FlaskClient:
    with app.app_context():
        f.user("curator@example.org", role="curator")
    return curator_client(client)


def test_an_organisation_row_says_what_where_and_how_long(app, curator):
    with app.app_context():
        org = f.org(
            f.user("owner@example.org"),
            status=Status.PENDING,
            kind="research_centre",
            name="Centro Quetzal de Datos",
            website="https://quetzal.example.mx/inicio",
            city="Mérida",
            state_code="YUC",
            description="# Quiénes somos\n\n**Investigamos** visión por computadora "
            "para la [agricultura](https://x.example.mx) del sureste. " + "Más texto. " * 40,
        )
        org.created_at = utcnow() - timedelta(days=3, hours=2)
        db.session.commit()
        key = f"organization:{org.id}"
    curator.set_cookie("lang", "es")
    row = _rows(curator.get("/curation/queue").get_data(as_text=True))[key]
    assert translated(app, "Research centre", "es") in _text(row)
    website = re.search(
        r'<a class="queue-website" href="([^"]+)" rel="([^"]+)"[^>]*>([^<]+)</a>', row
    )
    assert website.group(1) == website.group(3) == "https://quetzal.example.mx/inicio"
    assert "nofollow" in website.group(2) and "noopener" in website.group(2)
    assert "Mérida, Yucatán" in _text(row)
    summary = re.search(r'data-test="row-summary">([^<]*)<', row).group(1)
    assert summary.startswith(
        "Quiénes somos Investigamos visión por computadora para la agricultura"
    )
    assert "**" not in summary and "#" not in summary and len(summary) <= 161
    waited = re.search(r'data-test="row-waited">([^<]*)<', row).group(1)
    assert waited == "3 días"
    curator.set_cookie("lang", "en")
    row = _rows(curator.get("/curation/queue").get_data(as_text=True))[key]
    assert re.search(r'data-test="row-waited">3 days<', row)


def test_a_website_that_is_not_http_is_not_a_link(app, curator):
    with app.app_context():
        org = f.org(status=Status.PENDING, website="javascript:alert(1)")
        key = f"organization:{org.id}"
    row = _rows(curator.get("/curation/queue").get_data(as_text=True))[key]
    assert "javascript:" not in row and 'data-test="row-website"' not in row


def test_possible_duplicates_are_named_with_their_reasons(app, curator):
    with app.app_context():
        known = f.org(name="Visión del Bajío S.A. de C.V.", website="https://www.vbajio.mx")
        f.org(name="Otra cosa", website="https://otra.example.mx")
        new = f.org(status=Status.PENDING, name="Vision del Bajio", website="https://vbajio.mx/")
        alone = f.org(status=Status.PENDING, name="Nada Parecido", website="https://np.mx")
        ids = (known.id, new.id, alone.id)
    rows = _rows(curator.get("/curation/queue").get_data(as_text=True))
    row = rows[f"organization:{ids[1]}"]
    assert re.search(rf'data-test="row-duplicate" data-id="{ids[0]}"', row)
    assert "Visión del Bajío S.A. de C.V." in row and "vbajio.mx" in _text(row)
    assert 'href="/curation/duplicates?kind=organization"' in row
    assert 'data-test="row-duplicates"' not in rows[f"organization:{ids[2]}"]
    # A pair a curator marked as not duplicates is not proposed again.
    with app.app_context():
        curator_user = db.session.scalar(db.select(User).where(User.role == "curator"))
        duplicates.dismiss(
            "organization",
            db.session.get(Organization, ids[0]),
            db.session.get(Organization, ids[1]),
            actor=curator_user,
        )
        db.session.commit()
    rows = _rows(curator.get("/curation/queue").get_data(as_text=True))
    assert 'data-test="row-duplicates"' not in rows[f"organization:{ids[1]}"]


def test_challenge_rows_show_duplicates_and_post_rows_their_facts(app, curator):
    with app.app_context():
        agency = f.org(kind="government_agency", name="Agencia Digital")
        f.challenge(agency, title="Detección de baches con visión por computadora")
        twin = f.challenge(agency, status=Status.PENDING,
                           title="Deteccion de baches con vision por computadora")  # fmt: skip
        opening = f.opening(agency, status=Status.PENDING, title="Ingeniería de datos",
                            city="Puebla", state_code="PUE")  # fmt: skip
        keys = (f"challenge:{twin.id}", f"opening:{opening.id}")
    rows = _rows(curator.get("/curation/queue").get_data(as_text=True))
    assert 'data-test="row-duplicate"' in rows[keys[0]]
    assert 'data-test="row-kind"' in rows[keys[0]] and 'data-test="row-summary"' in rows[keys[0]]
    assert "Puebla" in _text(rows[keys[1]]) and 'data-test="row-kind"' in rows[keys[1]]


def test_rows_are_oldest_first(app, curator):
    with app.app_context():
        owner = f.user("o@example.org")
        records = [f.org(owner, status=Status.PENDING, name=f"Org {n}") for n in range(3)]
        for days, record in zip((1, 9, 5), records, strict=True):
            record.created_at = utcnow() - timedelta(days=days)
        db.session.commit()
        expected = [f"organization:{records[i].id}" for i in (1, 2, 0)]
    html = curator.get("/curation/queue").get_data(as_text=True)
    assert list(_rows(html)) == expected


@pytest.fixture
def count_queries(app: Flask) -> Iterator[list[int]]:
    with app.app_context():
        engine = db.engine
    seen = [0]

    def listener(*_args: object) -> None:
        seen[0] += 1

    event.listen(engine, "before_cursor_execute", listener)
    yield seen
    event.remove(engine, "before_cursor_execute", listener)


def _add_pending(app: Flask, n: int) -> None:
    """n pending records of every kind, and n reported public profiles."""
    with app.app_context():
        owner = f.user()
        reporter = f.user()
        agency = f.org(owner, kind="government_agency")
        for _ in range(n):
            f.org(owner, status=Status.PENDING)
            f.opening(agency, status=Status.PENDING)
            f.challenge(agency, status=Status.PENDING)
            f.story(status=Status.PENDING)
            profile = f.profile(f.user(), visibility="public")
            db.session.add(Report(reporter_id=reporter.id, target_kind="profile",
                                  target_id=profile.id, reason="spam"))  # fmt: skip
        db.session.commit()


def test_the_query_count_does_not_grow_with_the_rows(app, curator, count_queries):
    _add_pending(app, 2)
    count_queries[0] = 0
    assert curator.get("/curation/queue").status_code == 200
    few = count_queries[0]
    _add_pending(app, 6)
    count_queries[0] = 0
    html = curator.get("/curation/queue").get_data(as_text=True)
    many = count_queries[0]
    assert len(_rows(html)) == 40
    assert many == few, (few, many)
