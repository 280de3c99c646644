"""The audit log: filters, pages, CSV export and bad input (curation, issue 5)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, select

from directory.extensions import db
from directory.models import AuditEvent
from directory.services import audit, audit_log
from directory.services.accounts import find_user

from .. import factories as f
from ..conftest import AuthActions


@pytest.fixture
def curator(app: Flask, client: FlaskClient, auth: AuthActions) -> int:
    """A logged-in curator, with an empty log; returns the account's id."""
    with app.app_context():
        user_id = f.user("curator@example.org", role="curator").id
        f.user("otra@example.net")
        f.user("=evil@example.org")
    auth.login("curator@example.org")
    with app.app_context():
        db.session.execute(delete(AuditEvent))  # sign-ups and the log-in
        db.session.commit()
    return user_id


def _event(
    app: Flask,
    action: str,
    *,
    actor_email: str | None = None,
    when: datetime,
    kind: str = "organization",
    target: int | None = 1,
    **details: object,
) -> None:
    with app.app_context():
        actor = find_user(actor_email) if actor_email else None
        event = audit.record(action, actor=actor, target_kind=kind, target_id=target, **details)
        event.created_at = when
        db.session.commit()


def _actions(client: FlaskClient, query: str = "") -> list[str]:
    html = client.get("/curation/audit" + query).get_data(as_text=True)
    return [part.split("</code>")[0] for part in html.split('data-test="audit-action"><code>')[1:]]


@pytest.fixture
def log(app: Flask, curator: int) -> None:
    """Four events by two people over three days."""
    _event(app, "organization.verified", actor_email="curator@example.org",
           when=datetime(2025, 3, 1, 10, tzinfo=UTC), target=7)  # fmt: skip
    _event(app, "curator.granted", actor_email="curator@example.org",
           when=datetime(2025, 3, 2, 23, 59, tzinfo=UTC), kind="user", target=9)  # fmt: skip
    _event(app, "curator.revoked", actor_email="otra@example.net",
           when=datetime(2025, 3, 3, 0, 1, tzinfo=UTC), kind="user", target=9)  # fmt: skip
    _event(app, "organization.edited", actor_email="otra@example.net",
           when=datetime(2025, 3, 3, 12, tzinfo=UTC), target=8)  # fmt: skip


def test_newest_first(client: FlaskClient, log: None) -> None:
    assert _actions(client) == [
        "organization.edited",
        "curator.revoked",
        "curator.granted",
        "organization.verified",
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?actor=otra@example.net", ["organization.edited", "curator.revoked"]),
        ("?actor=EXAMPLE.NET", ["organization.edited", "curator.revoked"]),
        ("?action=curator", ["curator.revoked", "curator.granted"]),
        ("?action=curator.granted", ["curator.granted"]),
        ("?action=curator.gran", []),
        ("?target_kind=user", ["curator.revoked", "curator.granted"]),
        ("?target_kind=organization&target_id=7", ["organization.verified"]),
        ("?date_from=2025-03-02&date_to=2025-03-02", ["curator.granted"]),
        ("?date_from=2025-03-03", ["organization.edited", "curator.revoked"]),
        ("?date_to=2025-03-01", ["organization.verified"]),
        ("?actor=100%25", []),  # a LIKE wildcard is taken literally
    ],
)
def test_filters(client: FlaskClient, log: None, query: str, expected: list[str]) -> None:
    assert _actions(client, query) == expected


@pytest.mark.parametrize(
    "query",
    [
        "?date_from=2025-13-01",
        "?date_to=yesterday",
        "?date_from=0001-01-01",
        "?date_to=9999-12-31",
        "?date_from=2025-03-03&date_to=2025-03-01",
        "?target_id=abc",
        "?target_id=-4",
        "?target_id=99999999999999999999",
        "?target_kind=nonsense",
        "?actor=" + "a" * 300,
    ],
)
def test_bad_filters_give_a_form_error(client: FlaskClient, log: None, query: str) -> None:
    response = client.get("/curation/audit" + query)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'class="errors"' in html and 'data-test="audit-invalid"' in html
    assert 'data-test="audit-row"' not in html
    export = client.get("/curation/audit/export.csv" + query)
    assert export.status_code == 200 and export.mimetype == "text/html"


def test_control_characters_do_not_break_the_page(client: FlaskClient, log: None) -> None:
    for query in ("?actor=%00", "?action=%00x", "?actor=%F0%9F%98%80"):
        assert client.get("/curation/audit" + query).status_code == 200


def test_pages(app: Flask, client: FlaskClient, curator: int) -> None:
    with app.app_context():
        for n in range(audit_log.PER_PAGE + 5):
            event = audit.record("test.event", target_kind="thing", target_id=n + 1)
            event.created_at = datetime(2025, 1, 1, tzinfo=UTC).replace(minute=n % 60, hour=n // 60)
        db.session.commit()
    first = client.get("/curation/audit?action=test").get_data(as_text=True)
    assert first.count('data-test="audit-row"') == audit_log.PER_PAGE
    assert 'rel="next"' in first and "action=test" in first.split('rel="next"')[0].split("<a")[-1]
    second = client.get("/curation/audit?action=test&page=2").get_data(as_text=True)
    assert second.count('data-test="audit-row"') == 5
    assert 'data-test="audit-target">thing #1<' in second  # the oldest comes last
    assert client.get("/curation/audit?page=x").status_code == 200


def test_csv_export_of_the_filtered_rows(app: Flask, client: FlaskClient, log: None) -> None:
    response = client.get("/curation/audit/export.csv?action=curator")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert rows[0] == list(audit_log.CSV_HEADER)
    assert [row[2] for row in rows[1:]] == ["curator.revoked", "curator.granted"]
    revoked = rows[1]
    assert revoked[0] == "2025-03-03T00:01:00Z"
    assert revoked[1] == "otra@example.net"
    assert (revoked[3], revoked[4]) == ("user", "9")
    # The export itself is audited, with its filters.
    with app.app_context():
        [event] = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "audit.exported")
        ).all()
        assert event.details["filters"] == {"action": "curator"}


def test_csv_cells_cannot_run_formulas(app: Flask, client: FlaskClient, curator: int) -> None:
    _event(app, "=HYPERLINK(\"http://evil\")", when=datetime(2025, 1, 1, tzinfo=UTC),
           kind="+cmd", note="-2+3")  # fmt: skip
    _event(
        app, "plain.action", actor_email="=evil@example.org", when=datetime(2025, 1, 2, tzinfo=UTC)
    )
    body = client.get("/curation/audit/export.csv").get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))[1:]
    cells = [cell for row in rows for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    assert '\'=HYPERLINK("http://evil")' in cells
    assert "'+cmd" in cells


def test_details_and_names_are_escaped_on_the_page(
    app: Flask, client: FlaskClient, curator: int
) -> None:
    _event(app, "organization.edited", when=datetime(2025, 1, 1, tzinfo=UTC),
           name="<script>alert(1)</script>")  # fmt: skip
    html = client.get("/curation/audit").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_unit_safe_cell() -> None:
    assert audit_log.safe_cell("=1+1") == "'=1+1"
    assert audit_log.safe_cell("\tx") == "'\tx"
    assert audit_log.safe_cell("ok=1") == "ok=1"
    assert audit_log.safe_cell(5) == 5


def test_members_get_403(app: Flask, client: FlaskClient, auth: AuthActions) -> None:
    with app.app_context():
        f.user("member@example.org")
    auth.login("member@example.org")
    assert client.get("/curation/audit").status_code == 403
    assert client.get("/curation/audit/export.csv").status_code == 403
