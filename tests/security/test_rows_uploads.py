"""SECURITY.md row 22: oversized requests, upload types and paths.

The only upload is the curators' CSV import of organisations (directory/curation/
hygiene_import.py). It never touches the disk: the file is read into memory, decoded as
UTF-8 and parsed as CSV, so its type is decided by its content, and its name is never
used. There are no image or document uploads yet: the guard that applies to them today is
MAX_CONTENT_LENGTH (a 413 page for any request body over 2 MB, whatever the route).
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from ..conftest import AuthActions

CSV = "nombre,tipo,estado,ciudad\nQuetzal NLP,startup,Yucatán,Mérida\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 40


@pytest.fixture
def curator(client: FlaskClient, auth: AuthActions, make_user) -> FlaskClient:
    make_user("curator@example.org", role="curator")
    auth.login("curator@example.org")
    return client


def _upload(client: FlaskClient, data: bytes, name: str, mimetype: str):
    boundary, body = encode_multipart(
        {"file": FileStorage(io.BytesIO(data), name, content_type=mimetype)}
    )
    return client.post(
        "/curation/import",
        input_stream=io.BytesIO(body),
        content_length=len(body),
        content_type=f"multipart/form-data; boundary={boundary}",
    )


@pytest.mark.parametrize(
    ("data", "name", "mimetype"),
    [
        (PNG, "socios.csv", "text/csv"),  # an image that calls itself a CSV
        (ZIP, "socios.csv", "text/csv"),  # a spreadsheet archive (xlsx is a zip)
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "socios.csv", "text/csv"),
    ],
)
def test_the_content_decides_not_the_name_or_the_declared_type(curator, data, name, mimetype):
    response = _upload(curator, data, name, mimetype)
    assert response.status_code == 400
    assert 'data-test="import-confirm-form"' not in response.get_data(as_text=True)


def test_a_good_csv_is_accepted_whatever_name_and_type_it_declares(curator):
    response = _upload(curator, CSV.encode(), "foto.png", "image/png")
    assert response.status_code == 200
    assert 'data-test="import-confirm-form"' in response.get_data(as_text=True)


def test_a_hostile_file_name_writes_nothing_anywhere(app: Flask, curator, tmp_path: Path):
    target = tmp_path / "escaped.csv"
    instance = Path(app.instance_path)
    before = sorted(os.listdir(instance)) if instance.exists() else []
    for name in (f"../../../../..{target}", "..\\..\\escaped.csv", "/etc/passwd", "\x00.csv"):
        assert _upload(curator, CSV.encode(), name, "text/csv").status_code == 200
    assert not target.exists()
    after = sorted(os.listdir(instance)) if instance.exists() else []
    assert before == after


@pytest.mark.parametrize(
    ("path", "who"),
    [("/signup", "anonymous"), ("/curation/import", "curator"), ("/me/profile/edit", "curator")],
)
def test_any_oversized_body_is_refused_before_the_view(app: Flask, curator, path, who):
    """MAX_CONTENT_LENGTH guards every route, the one future uploads will use included."""
    limit = app.config["MAX_CONTENT_LENGTH"]
    assert 0 < limit <= 10 * 1024 * 1024
    body = io.BytesIO(b"a=" + b"x" * limit)
    client = curator if who == "curator" else app.test_client()
    response = client.post(
        path,
        input_stream=body,
        content_length=limit + 2,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413
    assert "Traceback" not in response.get_data(as_text=True)


# --- profile photos and organisation logos (issue 16, row 40) ------------------------------


def _image_upload(client: FlaskClient, url: str, field: str, data: bytes, name: str, mimetype):
    boundary, body = encode_multipart({field: FileStorage(io.BytesIO(data), name,
                                                          content_type=mimetype)})  # fmt: skip
    return client.post(url, input_stream=io.BytesIO(body), content_length=len(body),
                       content_type=f"multipart/form-data; boundary={boundary}")  # fmt: skip


@pytest.mark.parametrize("kind", ["photo", "logo"])
def test_photos_and_logos_are_judged_by_content_and_stored_under_a_new_name(
    app: Flask, tmp_path: Path, monkeypatch, kind: str
) -> None:
    from PIL import Image

    from directory.extensions import db
    from directory.models import Organization, Profile

    from .. import factories as f
    from ..conftest import PASSWORD

    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))
    with app.app_context():
        owner = f.user("duena@example.org")
        record_id = f.profile(owner).id if kind == "photo" else f.org(owner).id
    client = app.test_client()
    client.post("/login", data={"email": "duena@example.org", "password": PASSWORD})
    url = "/me/profile/photo" if kind == "photo" else f"/manage/organizations/{record_id}/logo"
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    # An SVG that calls itself a PNG, then a real PNG that calls itself an HTML page.
    _image_upload(client, url, kind, svg, "foto.png", "image/png")
    assert not (tmp_path / "uploads").exists() or not any((tmp_path / "uploads").rglob("*.*"))
    real = io.BytesIO()
    Image.new("RGB", (20, 20)).save(real, "PNG")
    hostile = f"../../../../..{tmp_path}/escaped.html"
    _image_upload(client, url, kind, real.getvalue(), hostile, "text/html")
    assert not (tmp_path / "escaped.html").exists()
    with app.app_context():
        record = db.session.get(Profile if kind == "photo" else Organization, record_id)
        name = record.photo_name if kind == "photo" else record.logo_name
    assert name and name.endswith(".jpg") and "escaped" not in name
    files = [p.name for p in (tmp_path / "uploads").rglob("*") if p.is_file()]
    assert files == [name]
