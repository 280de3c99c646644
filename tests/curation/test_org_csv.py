"""CSV import of organisations: a preview with per-row errors, a confirmation that checks
the file again, and all rows or none."""

from __future__ import annotations

import io
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from directory.extensions import db
from directory.models import AuditEvent, Organization
from directory.services import org_csv

from .. import factories as f
from ..conftest import AuthActions, csrf_token_from

GOOD = (
    "nombre,tipo,sitio web,estado,ciudad,sectores,descripción,miembro\n"
    "Quetzal NLP,startup,quetzal.mx,Yucatán,Mérida,salud;finance,PLN en maya,sí\n"
    '"Datos del Norte, A.C.",ONG,https://datosnorte.mx,NLE,Monterrey,,"Datos abiertos\n'
    'en dos líneas",no\n'
)


@pytest.fixture
def curator(client: FlaskClient, auth: AuthActions, make_user) -> FlaskClient:
    make_user("curator@example.org", role="curator")
    auth.login("curator@example.org")
    return client


def _upload(client: FlaskClient, content: str | bytes, name: str = "socios.csv"):
    data = content.encode("utf-8") if isinstance(content, str) else content
    # Encoded in memory: the test client would spool a big body to a temporary file that
    # nothing closes (a ResourceWarning, an error under filterwarnings=error).
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(data), name)})
    return client.post("/curation/import", input_stream=io.BytesIO(body),
                       content_length=len(body),
                       content_type=f"multipart/form-data; boundary={boundary}")  # fmt: skip


def _sealed(html: str) -> str:
    match = re.search(r'name="sealed" type="hidden" value="([^"]+)"', html) or re.search(
        r'id="sealed" name="sealed" type="hidden" value="([^"]+)"', html
    )
    assert match, "no confirm form"
    return match.group(1)


def _orgs(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Organization)) or 0


def test_preview_then_import_everything(app: Flask, curator: FlaskClient) -> None:
    preview = _upload(curator, "\ufeff" + GOOD)  # Excel's byte-order mark is fine
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert html.count('data-test="import-row"') == 2
    assert 'data-test="import-row-errors"' not in html
    assert _orgs(app) == 0  # the preview writes nothing
    answer = curator.post("/curation/import/confirm", data={"sealed": _sealed(html)})
    assert answer.status_code == 302
    with app.app_context():
        orgs = {o.name: o for o in db.session.scalars(select(Organization))}
        quetzal = orgs["Quetzal NLP"]
        assert (quetzal.kind, quetzal.state_code, quetzal.website) == (
            "startup", "YUC", "https://quetzal.mx")  # fmt: skip
        assert quetzal.sectors == ["health", "finance"]
        assert quetzal.status == "published" and quetzal.chamber_member
        assert quetzal.verified_at is None  # verification stays a separate decision
        datos = orgs["Datos del Norte, A.C."]
        assert datos.kind == "ngo" and not datos.chamber_member
        assert datos.description == "Datos abiertos\nen dos líneas"
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "organizations.imported")
        )
        assert event.details["count"] == 2
    assert curator.get(f"/organizations/{quetzal.slug}").status_code == 200


def test_rows_with_errors_are_listed_and_block_the_import(app: Flask, curator: FlaskClient) -> None:
    with app.app_context():
        f.org(name="Ballena Robotics")
    content = (
        "name;kind;website;state;sectors;chamber_member;size\n"
        "Bien Hecha;startup;;JAL;;yes;\n"  # row 2: fine
        ";startup;;;;;\n"  # row 3: no name
        "Mala;spaceship;javascript:alert(1);Texas;gaming;maybe;huge\n"  # row 4: six errors
        "Ballena Robotics S.A. de C.V.;company;;;;;\n"  # row 5: already in the directory
        "bien hecha;company;;;;;\n"  # row 6: same name as row 2
    )
    answer = _upload(curator, content)
    html = answer.get_data(as_text=True)
    assert answer.status_code == 400
    errors = {int(n): html_row for n, html_row in re.findall(
        r'data-row="(\d+)"(.*?)</tr>', html, flags=re.S)}  # fmt: skip
    assert set(errors) == {2, 3, 4, 5, 6}
    assert "import-row-errors" not in errors[2]
    for row in (3, 5, 6):
        assert errors[row].count("<li>") == 1, row
    assert errors[4].count("<li>") == 6
    assert 'data-test="import-confirm"' not in html
    assert _orgs(app) == 1


def test_the_confirmation_checks_the_file_again(app: Flask, curator: FlaskClient) -> None:
    html = _upload(curator, GOOD).get_data(as_text=True)
    sealed = _sealed(html)
    with app.app_context():
        f.org(name="Quetzal NLP")  # added by someone else between preview and confirm
    answer = curator.post("/curation/import/confirm", data={"sealed": sealed})
    assert answer.status_code == 409
    assert 'data-test="import-row-errors"' in answer.get_data(as_text=True)
    assert _orgs(app) == 1  # nothing half-imported


@pytest.mark.parametrize("sealed", ["", "garbage", "x" * 5000])
def test_a_tampered_confirmation_imports_nothing(
    app: Flask, curator: FlaskClient, sealed: str
) -> None:
    real = _sealed(_upload(curator, GOOD).get_data(as_text=True))
    answer = curator.post("/curation/import/confirm", data={"sealed": sealed or real[:-3] + "abc"})
    assert answer.status_code == 400
    assert _orgs(app) == 0


def test_a_confirmation_sealed_for_another_curator_is_refused(app: Flask) -> None:
    with app.test_request_context():
        token = org_csv.seal(GOOD, user_id=1)
        assert org_csv.unseal(token, 1) == GOOD
        assert org_csv.unseal(token, 2) is None


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"name,kind\n",
        b"nombre\nSolo nombre\n",  # the kind column is missing
        b"name,kind,colour\nA,startup,red\n",  # unknown column
        "name,kind\nCaf\u00e9,startup\n".encode("latin-1"),  # not UTF-8
        b"name,kind\nA\x00B,startup\n",
        b"name,kind\n" + b"x" * (org_csv.MAX_BYTES + 10),
        b"\xff\xfe\x00\x00",
    ],
)
def test_bad_files_get_a_clear_message(app: Flask, curator: FlaskClient, content: bytes) -> None:
    answer = _upload(curator, content)
    assert answer.status_code == 400
    html = answer.get_data(as_text=True)
    assert 'class="errors"' in html or 'data-test="import-file-error"' in html
    assert 'data-test="import-confirm"' not in html
    assert _orgs(app) == 0


def test_no_file_and_a_huge_request(app: Flask, curator: FlaskClient) -> None:
    assert curator.post("/curation/import", data={}).status_code == 400
    huge = _upload(curator, b"name,kind\n" + b"a,startup\n" * 300_000)  # over the 2 MB limit
    assert huge.status_code == 413
    assert _orgs(app) == 0


def test_too_many_rows(app: Flask, curator: FlaskClient, monkeypatch) -> None:
    monkeypatch.setattr(org_csv, "MAX_ROWS", 3)
    content = "name,kind\n" + "".join(f"Org {n},startup\n" for n in range(4))
    answer = _upload(curator, content)
    assert answer.status_code == 400
    assert 'data-test="import-file-error"' in answer.get_data(as_text=True)


def test_the_forms_carry_their_csrf_tokens(app: Flask, curator: FlaskClient, csrf_on) -> None:
    page = curator.get("/curation/import").get_data(as_text=True)
    boundary, body = encode_multipart({
        "csrf_token": csrf_token_from(page),
        "file": FileStorage(io.BytesIO(GOOD.encode()), "socios.csv"),
    })  # fmt: skip
    preview = curator.post("/curation/import", input_stream=io.BytesIO(body),
                           content_length=len(body),
                           content_type=f"multipart/form-data; boundary={boundary}")  # fmt: skip
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    data = {"sealed": _sealed(html), "csrf_token": csrf_token_from(html)}
    assert curator.post("/curation/import/confirm", data=data).status_code == 302
    assert _orgs(app) == 2
