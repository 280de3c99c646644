"""SECURITY.md row 40: a story's image is judged by its content, decoded and re-encoded by
Pillow within byte and pixel limits, stripped of EXIF, stored under a generated name and
served with its exact type and nosniff; an SVG, a polyglot or a bomb is refused."""

from __future__ import annotations

import io
import os
import random
from pathlib import Path

import pytest
from flask import Flask
from PIL import Image
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from directory.extensions import db
from directory.models import SuccessStory
from directory.services import uploads

from ..helpers import translated
from .conftest import SVG, Cast, bomb, jpeg, login, png, story_form, submit, zip_archive


def _image_name(app: Flask) -> str | None:
    with app.app_context():
        return db.session.scalar(select(SuccessStory.image_name))


def _stored(upload_dir: Path) -> list[str]:
    folder = upload_dir / "stories"
    return sorted(os.listdir(folder)) if folder.exists() else []


@pytest.mark.parametrize(
    ("data", "sent_as", "extension"),
    [(jpeg(), "foto.jpg", "jpg"), (png(), "diagrama.png", "jpg"),
     (png(mode="RGBA"), "logo.png", "webp")],
)  # fmt: skip
def test_a_real_image_is_re_encoded_without_its_metadata(
    app: Flask, cast: Cast, upload_dir: Path, data: bytes, sent_as: str, extension: str
) -> None:
    client = login(app, cast.submitter)
    assert submit(client, image=(data, sent_as)).status_code == 302
    name = _image_name(app)
    assert name is not None and name.endswith("." + extension)
    assert sent_as.split(".")[0] not in name  # the uploaded name is never used
    assert _stored(upload_dir) == [name]
    stored = (upload_dir / "stories" / name).read_bytes()
    assert stored != data
    for secret in (b"CamaraSecreta", b"Calle Privada", b"NotaPrivada", b"Exif"):
        assert secret not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == ("JPEG" if extension == "jpg" else "WEBP")
        assert not image.getexif()
        if sent_as == "foto.jpg":
            assert image.size == (48, 64)  # turned upright by its EXIF orientation first
    response = client.get(f"/stories/images/{name}")
    assert response.status_code == 200
    assert response.mimetype == ("image/jpeg" if extension == "jpg" else "image/webp")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.data == stored


def test_a_large_photo_is_scaled_down(app: Flask, cast: Cast, upload_dir: Path) -> None:
    submit(login(app, cast.submitter), image=(jpeg((2400, 1200), exif=False), "grande.jpg"))
    with Image.open(upload_dir / "stories" / str(_image_name(app))) as image:
        assert image.size == (1600, 800)


NOT_AN_IMAGE = (
    "This file is not a JPEG, PNG or WebP image (SVG, GIF and other files are not accepted)."
)
MORE = (
    "This file holds something besides the image. Save it again as a plain JPEG or PNG "
    "and send that copy."
)
DAMAGED = "This image could not be read: it is damaged or not really an image."
TOO_MANY = ("The image has too many pixels (at most %(max)s million).", {"max": "40"})


@pytest.mark.parametrize(
    ("data", "sent_as", "message"),
    [
        (SVG, "dibujo.svg", NOT_AN_IMAGE),
        (b"Hola, soy un texto.\n", "foto.jpg", NOT_AN_IMAGE),
        (png() + zip_archive(), "foto.png", MORE),
        (jpeg() + zip_archive(), "foto.jpg", MORE),
        (jpeg()[:-200], "cortada.jpg", MORE),
        (png()[:40], "rota.png", DAMAGED),
        (bomb(), "bomba.png", TOO_MANY),
    ],
)  # fmt: skip
def test_unfit_files_are_refused_with_a_clear_message(
    app: Flask, cast: Cast, upload_dir: Path, data: bytes, sent_as: str, message: str | tuple
) -> None:
    client = login(app, cast.submitter)
    response = submit(client, image=(data, sent_as))
    assert response.status_code == 200
    msgid, params = message if isinstance(message, tuple) else (message, {})
    page = response.get_data(as_text=True)
    assert translated(app, msgid, "es", **params) in page, msgid
    assert 'id="image-error"' in page
    with app.app_context():
        assert db.session.scalar(select(SuccessStory.id)) is None
    assert _stored(upload_dir) == []


def test_the_byte_and_request_limits(app: Flask, cast: Cast, upload_dir: Path) -> None:
    client = login(app, cast.submitter)
    saved = dict(app.config)
    app.config.update(UPLOAD_IMAGE_MAX_BYTES=len(jpeg()) - 1, UPLOAD_IMAGE_MAX_PIXELS=1000)
    try:
        too_heavy = submit(client, image=(jpeg(), "foto.jpg")).get_data(as_text=True)
        limit_mb = f"{(len(jpeg()) - 1) / (1024 * 1024):g}"
        assert (
            translated(app, "The image is larger than %(max)s MB.", "es", max=limit_mb) in too_heavy
        )
        app.config["UPLOAD_IMAGE_MAX_BYTES"] = 5 * 1024 * 1024
        too_wide = submit(client, image=(png((50, 30)), "ancha.png")).get_data(as_text=True)
        assert translated(app, "The image has too many pixels (at most %(max)s million).",
                          "es", max="0.001") in too_wide  # fmt: skip
        # Past UPLOAD_REQUEST_MAX_BYTES the whole request is refused before the view.
        app.config["UPLOAD_REQUEST_MAX_BYTES"] = 64 * 1024
        huge = submit(client, image=(b"\xff\xd8\xff" + b"0" * 100_000, "foto.jpg"))
        assert huge.status_code == 413
    finally:
        app.config.update({k: saved[k] for k in ("UPLOAD_IMAGE_MAX_BYTES",
                           "UPLOAD_IMAGE_MAX_PIXELS", "UPLOAD_REQUEST_MAX_BYTES")})  # fmt: skip
    assert _stored(upload_dir) == []
    # Other routes keep the general 2 MB limit; the story form takes a 3 MB photo.
    assert app.config["UPLOAD_REQUEST_MAX_BYTES"] > app.config["MAX_CONTENT_LENGTH"]


def test_a_photo_over_the_general_2_mb_request_limit_is_accepted(
    app: Flask, cast: Cast, upload_dir: Path
) -> None:
    """The story form takes a body up to UPLOAD_REQUEST_MAX_BYTES; other forms keep 2 MB."""
    noise = Image.frombytes("RGB", (1000, 1000), random.Random(7).randbytes(3_000_000))
    out = io.BytesIO()
    noise.save(out, "PNG")
    assert out.tell() > app.config["MAX_CONTENT_LENGTH"]
    # The body is built here: the test client would spool it to a file it never closes.
    fields = {**story_form(), "image": FileStorage(io.BytesIO(out.getvalue()), "ruido.png")}
    boundary, body = encode_multipart(fields)
    response = login(app, cast.submitter).post(
        "/me/stories/new",
        input_stream=io.BytesIO(body),
        content_length=len(body),
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 302
    assert _stored(upload_dir) == [_image_name(app)]


def test_an_unpublished_storys_image_is_only_for_its_readers(app: Flask, cast: Cast) -> None:
    submitter = login(app, cast.submitter)
    submit(submitter, image=(jpeg(), "foto.jpg"), organizations=cast.org_name)
    url = f"/stories/images/{_image_name(app)}"
    assert submitter.get(url).status_code == 200
    assert "no-store" in submitter.get(url).headers["Cache-Control"]
    assert login(app, cast.curator).get(url).status_code == 200
    assert login(app, cast.editor).get(url).status_code == 200  # named: reads it to decide
    assert app.test_client().get(url).status_code == 404
    assert login(app, cast.outsider).get(url).status_code == 404
    with app.app_context():
        db.session.scalar(select(SuccessStory)).status = "published"
        db.session.commit()
    public = app.test_client().get(url)
    assert public.status_code == 200 and public.headers["Cache-Control"].startswith("public")


@pytest.mark.parametrize(
    "name",
    ["..%2F..%2Fconfig.py", "nada.jpg", "x" * 30 + ".svg", "%00.jpg", "a" * 300 + ".jpg"],
)
def test_only_generated_names_are_served(app: Flask, client, name: str) -> None:
    assert client.get(f"/stories/images/{name}").status_code == 404


def test_replacing_and_removing_the_image_deletes_the_old_file(
    app: Flask, cast: Cast, upload_dir: Path
) -> None:
    client = login(app, cast.submitter)
    submit(client, image=(jpeg(), "uno.jpg"))
    first = _image_name(app)
    with app.app_context():
        story_id = db.session.scalar(select(SuccessStory.id))
    form = {"title_es": "Triaje", "summary_es": "Resumen"}
    client.post(f"/me/stories/{story_id}/edit", content_type="multipart/form-data",
                data={**form, "image": (io.BytesIO(png()), "dos.png")})  # fmt: skip
    second = _image_name(app)
    assert second != first and _stored(upload_dir) == [second]
    client.post(f"/me/stories/{story_id}/edit", content_type="multipart/form-data",
                data={**form, "remove_image": "y"})  # fmt: skip
    assert _image_name(app) is None and _stored(upload_dir) == []


def test_the_upload_module_refuses_without_a_request(app: Flask) -> None:
    """uploads.py is reusable as it is (issue 16: photos, logos)."""
    limits = uploads.Limits(max_bytes=1024 * 1024, max_pixels=1_000_000, max_side=100)
    clean = uploads.clean_image(jpeg((300, 200), exif=False), limits)
    assert (clean.extension, clean.width, clean.height) == ("jpg", 100, 67)
    with app.test_request_context(), pytest.raises(uploads.UploadError):
        uploads.clean_image(SVG, limits)
