"""Fixtures for submitted stories: uploads in a temporary folder, images made on the spot,
and a story flow's cast (a submitter, an organisation with its editor, a curator)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image

from .. import factories as f
from ..conftest import PASSWORD


@pytest.fixture(autouse=True)
def upload_dir(app: Flask, tmp_path: Path) -> Iterator[Path]:
    """Every stored image goes to this test's own folder, never to instance/."""
    saved = app.config.get("UPLOAD_DIR")
    app.config["UPLOAD_DIR"] = str(tmp_path / "uploads")
    yield tmp_path / "uploads"
    app.config["UPLOAD_DIR"] = saved


def jpeg(size: tuple[int, int] = (64, 48), *, exif: bool = True) -> bytes:
    """A small JPEG whose EXIF names a camera, a place and a rotation."""
    image = Image.new("RGB", size, (180, 40, 40))
    out = io.BytesIO()
    if exif:
        data = Image.Exif()
        data[0x010F] = "CamaraSecreta"  # Make
        data[0x0112] = 6  # Orientation: rotate 90°
        data[0x010E] = "Calle Privada 123, Mérida"  # ImageDescription: a place
        image.save(out, "JPEG", exif=data.tobytes())
    else:
        image.save(out, "JPEG")
    return out.getvalue()


def png(size: tuple[int, int] = (40, 30), mode: str = "RGB") -> bytes:
    """A small PNG, with a text chunk that must not survive."""
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "NotaPrivada")
    out = io.BytesIO()
    Image.new(mode, size, (10, 120, 90, 128)[: len(mode)]).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def zip_archive() -> bytes:
    """A small ZIP archive (what a PNG/ZIP polyglot hides)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("payload.html", "<script>alert(1)</script>")
    return out.getvalue()


def bomb() -> bytes:
    """A 100-million-pixel PNG that weighs a few kilobytes: a decompression bomb."""
    out = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(out, "PNG")
    return out.getvalue()


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="4"/></svg>'


@dataclass
class Cast:
    """Who takes part in a story's journey, by e-mail, and the organisation named."""

    submitter: str
    editor: str
    curator: str
    outsider: str
    org_id: int
    org_slug: str
    org_name: str
    person_profile: int
    person: str


@pytest.fixture
def cast(app: Flask) -> Cast:
    """A submitter, a published organisation with an owner and an editor, a person with a
    public profile, a curator and an outsider."""
    with app.app_context():
        f.user("submitter@example.org")
        owner = f.user("owner@example.org")
        editor = f.user("editor@example.org")
        org = f.org(owner, editors=(editor,), name="Kaab Salud")
        person = f.user("persona@example.org")
        profile = f.profile(person, full_name="Itzel Pérez")
        f.user("curator@example.org", role="curator")
        f.user("outsider@example.org")
        return Cast(
            submitter="submitter@example.org",
            editor="editor@example.org",
            curator="curator@example.org",
            outsider="outsider@example.org",
            org_id=org.id,
            org_slug=org.slug,
            org_name=org.name,
            person_profile=profile.id,
            person="persona@example.org",
        )


def login(app: Flask, email: str) -> FlaskClient:
    """A new client logged in as `email`."""
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, email
    return client


def story_form(**fields: object) -> dict[str, object]:
    """A story form with a Spanish version only, plus the fields given."""
    data: dict[str, object] = {
        "title_es": "Triaje de urgencias con visión por computadora",
        "summary_es": "Un hospital de Mérida redujo la espera en urgencias.",
        "body_es": "El sistema **prioriza** a los pacientes.",
        "sector": "health",
        "state_code": "YUC",
        "impact_value": "-30%",
        "impact_label_es": "Menos espera",
    }
    data.update(fields)
    return data


def submit(client: FlaskClient, image: tuple[bytes, str] | None = None, **fields: object):
    """Post the story form (multipart, like a browser), optionally with an image."""
    data = story_form(**fields)
    if image is not None:
        data["image"] = (io.BytesIO(image[0]), image[1])
    return client.post("/me/stories/new", data=data, content_type="multipart/form-data")
