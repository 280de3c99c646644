"""Issue 16: profile photos and organisation logos.

Uploads are judged by their content (services/uploads.py, SECURITY.md row 40), made square
and stored under a generated name; a photo is served only where its profile may be seen,
a logo only where its organisation may be; replacing or removing deletes the old file;
initials stand in when there is no image; account deletion and the data export know them.
"""

from __future__ import annotations

import io
import json
import os
import random
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from directory.extensions import db
from directory.models import AuditEvent, Organization, Profile, User
from directory.services import account_deletion, media

from . import factories as f
from .conftest import PASSWORD, csrf_token_from
from .helpers import translated
from .showcase.conftest import SVG, bomb, jpeg, png, zip_archive

NOT_AN_IMAGE = (
    "This file is not a JPEG, PNG or WebP image (SVG, GIF and other files are not accepted)."
)
MORE = (
    "This file holds something besides the image. Save it again as a plain JPEG or PNG "
    "and send that copy."
)
DAMAGED = "This image could not be read: it is damaged or not really an image."
TOO_MANY = ("The image has too many pixels (at most %(max)s million).", {"max": "40"})


@pytest.fixture(autouse=True)
def upload_dir(app: Flask, tmp_path: Path, monkeypatch) -> Path:
    """Every stored image goes to this test's own folder, never to instance/."""
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))
    return tmp_path / "uploads"


@pytest.fixture
def people(app: Flask) -> dict[str, int]:
    """Ana with a private profile, Beto with a public one, an organisation Ana owns (published)
    with Carla as editor, a pending one, an outsider and a curator."""
    with app.app_context():
        ana = f.user("ana@example.org")
        beto = f.user("beto@example.org")
        carla = f.user("carla@example.org")
        f.user("otro@example.org")
        f.user("curadora@example.org", role="curator")
        private = f.profile(ana, visibility="private", full_name="Ana Pérez")
        public = f.profile(beto, visibility="public", full_name="Beto Sánchez")
        org = f.org(ana, editors=(carla,), name="Kaab Datos")
        pending = f.org(ana, status="pending", name="Pendiente Lab")
        return {"private": private.id, "public": public.id, "org": org.id,
                "pending": pending.id, "org_slug": org.slug}  # fmt: skip


def login(app: Flask, email: str) -> FlaskClient:
    """A new client logged in as `email`."""
    client = app.test_client()
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
    return client


def upload(client: FlaskClient, url: str, field: str, data: bytes, name: str = "foto.jpg"):
    """Post a file the way a browser's multipart form does."""
    return client.post(url, content_type="multipart/form-data",
                       data={field: (io.BytesIO(data), name)})  # fmt: skip


def upload_photo(client: FlaskClient, data: bytes, name: str = "foto.jpg"):
    return upload(client, "/me/profile/photo", "photo", data, name)


def upload_logo(client: FlaskClient, org_id: int, data: bytes, name: str = "logo.png"):
    return upload(client, f"/manage/organizations/{org_id}/logo", "logo", data, name)


def photo_name(app: Flask, profile_id: int) -> str | None:
    with app.app_context():
        return db.session.get(Profile, profile_id).photo_name


def logo_name(app: Flask, org_id: int) -> str | None:
    with app.app_context():
        return db.session.get(Organization, org_id).logo_name


def stored(upload_dir: Path, folder: str) -> list[str]:
    path = upload_dir / folder
    return sorted(n for n in os.listdir(path) if not n.startswith(".")) if path.exists() else []


def webp() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (50, 80), (20, 60, 200)).save(out, "WEBP")
    return out.getvalue()


def gps_jpeg() -> bytes:
    """A phone photo whose EXIF says where it was taken (GPS) and with which camera."""
    image = Image.new("RGB", (900, 600), (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "CamaraSecreta"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (20.0, 58.0, 1.0)  # latitude: Mérida
    gps[3], gps[4] = "W", (89.0, 37.0, 2.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    assert b"CamaraSecreta" in out.getvalue()
    return out.getvalue()


# --- uploads: what is accepted, and how it is stored --------------------------------------


@pytest.mark.parametrize(
    ("data", "sent_as", "extension"),
    [(jpeg((64, 48)), "foto.jpg", "jpg"), (png((40, 30)), "foto.png", "jpg"),
     (webp(), "foto.webp", "jpg"), (png((30, 40), mode="RGBA"), "transparente.png", "webp")],
)  # fmt: skip
def test_a_real_photo_is_re_encoded_squared_and_served_to_its_owner(
    app: Flask, people, upload_dir: Path, data: bytes, sent_as: str, extension: str
) -> None:
    client = login(app, "ana@example.org")
    response = upload_photo(client, data, sent_as)
    assert response.status_code == 302 and response.location.endswith("/me/profile/edit#photo")
    name = photo_name(app, people["private"])
    assert name is not None and name.endswith("." + extension)
    assert sent_as.split(".")[0] not in name  # the uploaded name is never used
    assert stored(upload_dir, "photos") == [name]
    kept = (upload_dir / "photos" / name).read_bytes()
    assert kept != data and b"NotaPrivada" not in kept and b"CamaraSecreta" not in kept
    with Image.open(io.BytesIO(kept)) as image:
        assert image.width == image.height  # cropped to a square
        assert not image.getexif()
    served = client.get(f"/people/{people['private']}/photo/{name}")
    assert served.status_code == 200 and served.data == kept
    assert served.mimetype == ("image/jpeg" if extension == "jpg" else "image/webp")
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in served.headers["Cache-Control"]  # a private profile's photo
    page = client.get("/me/profile/edit", follow_redirects=True).get_data(as_text=True)
    assert translated(app, "Your photo was saved.", "es") in page
    assert f'src="/people/{people["private"]}/photo/{name}"' in page  # the preview


def test_gps_and_camera_are_removed_and_a_big_photo_is_cropped_to_400(
    app: Flask, people, upload_dir: Path
) -> None:
    client = login(app, "ana@example.org")
    upload_photo(client, gps_jpeg(), "IMG_2024.jpg")
    kept = (upload_dir / "photos" / str(photo_name(app, people["private"]))).read_bytes()
    assert b"CamaraSecreta" not in kept and b"Exif" not in kept
    with Image.open(io.BytesIO(kept)) as image:
        assert image.size == (media.SIDE, media.SIDE)
        assert not image.getexif() and not image.getexif().get_ifd(0x8825)


def test_a_wide_logo_is_padded_to_a_square_not_cut(app: Flask, people, upload_dir: Path) -> None:
    wide = io.BytesIO()
    Image.new("RGB", (800, 200), (0, 0, 0)).save(wide, "PNG")
    client = login(app, "carla@example.org")  # an editor
    assert upload_logo(client, people["org"], wide.getvalue()).status_code == 302
    name = logo_name(app, people["org"])
    with Image.open(upload_dir / "logos" / str(name)) as image:
        assert image.size == (400, 400)
        assert image.getpixel((200, 200))[0] < 30  # the logo, whole, in the middle
        assert image.getpixel((200, 10))[0] > 225  # white above and below it


@pytest.mark.parametrize(
    ("data", "sent_as", "message"),
    [
        (SVG, "dibujo.svg", NOT_AN_IMAGE),
        (b"Hola, soy un texto.\n", "foto.jpg", NOT_AN_IMAGE),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "cv.jpg", NOT_AN_IMAGE),
        (png() + b"<html><script>alert(1)</script></html>", "foto.png", MORE),
        (png() + zip_archive(), "poliglota.png", MORE),
        (jpeg() + zip_archive(), "poliglota.jpg", MORE),
        (png()[:40], "rota.png", DAMAGED),
        (bomb(), "bomba.png", TOO_MANY),
    ],
)  # fmt: skip
def test_unfit_files_are_refused_with_a_clear_message_and_change_nothing(
    app: Flask, people, upload_dir: Path, data: bytes, sent_as: str, message
) -> None:
    client = login(app, "ana@example.org")
    upload_photo(client, jpeg(), "buena.jpg")
    good = photo_name(app, people["private"])
    response = upload_photo(client, data, sent_as)
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    msgid, params = message if isinstance(message, tuple) else (message, {})
    assert translated(app, msgid, "es", **params) in page, msgid
    assert photo_name(app, people["private"]) == good
    assert stored(upload_dir, "photos") == [good]
    # The same file as a logo: refused the same way, the organisation keeps no logo.
    editor = login(app, "carla@example.org")
    page = upload_logo(editor, people["org"], data, sent_as)
    assert translated(app, msgid, "es", **params) in editor.get(page.location).get_data(
        as_text=True
    )
    assert logo_name(app, people["org"]) is None and stored(upload_dir, "logos") == []


def test_the_byte_limit_and_an_empty_form(app: Flask, people, upload_dir: Path, monkeypatch):
    client = login(app, "ana@example.org")
    monkeypatch.setitem(app.config, "UPLOAD_IMAGE_MAX_BYTES", len(jpeg()) - 1)
    page = client.get(upload_photo(client, jpeg()).location).get_data(as_text=True)
    limit = f"{(len(jpeg()) - 1) / (1024 * 1024):g}"
    assert translated(app, "The image is larger than %(max)s MB.", "es", max=limit) in page
    empty = client.post("/me/profile/photo", data={}, follow_redirects=True)
    assert translated(app, "Choose an image to upload.", "es") in empty.get_data(as_text=True)
    assert photo_name(app, people["private"]) is None and stored(upload_dir, "photos") == []
    # Past UPLOAD_REQUEST_MAX_BYTES the whole request is refused before the view.
    monkeypatch.setitem(app.config, "UPLOAD_REQUEST_MAX_BYTES", 64 * 1024)
    assert upload_photo(client, b"\xff\xd8\xff" + b"0" * 100_000).status_code == 413


def test_a_photo_over_the_general_2_mb_request_limit_is_accepted(
    app: Flask, people, upload_dir: Path
) -> None:
    noise = Image.frombytes("RGB", (1000, 1000), random.Random(3).randbytes(3_000_000))
    out = io.BytesIO()
    noise.save(out, "PNG")
    assert out.tell() > app.config["MAX_CONTENT_LENGTH"]
    # The body is built here: the test client would spool it to a file it never closes.
    boundary, body = encode_multipart({"photo": FileStorage(io.BytesIO(out.getvalue()), "r.png")})
    response = login(app, "ana@example.org").post(
        "/me/profile/photo",
        input_stream=io.BytesIO(body),
        content_length=len(body),
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 302
    assert stored(upload_dir, "photos") == [photo_name(app, people["private"])]


def test_the_limits_are_written_next_to_the_field(app: Flask, people) -> None:
    page = login(app, "ana@example.org").get("/me/profile/edit").get_data(as_text=True)
    assert 'accept="image/jpeg,image/png,image/webp"' in page
    assert 'enctype="multipart/form-data"' in page
    assert "5 MB" in page and "40" in page and "400 × 400" in page
    logo_page = login(app, "carla@example.org").get(f"/manage/organizations/{people['org']}/edit")
    assert 'data-test="logo-form"' in logo_page.get_data(as_text=True)


# --- who sees an image ----------------------------------------------------------------------


def test_a_hidden_profiles_photo_is_404_to_everyone_but_its_owner(app: Flask, people) -> None:
    owner = login(app, "ana@example.org")
    upload_photo(owner, jpeg())
    url = f"/people/{people['private']}/photo/{photo_name(app, people['private'])}"
    assert owner.get(url).status_code == 200
    assert app.test_client().get(url).status_code == 404
    assert login(app, "otro@example.org").get(url).status_code == 404
    # Published: anyone sees it, and a shared cache may keep it but must ask again.
    with app.app_context():
        db.session.get(Profile, people["private"]).visibility = "public"
        db.session.commit()
    anonymous = app.test_client()
    public = anonymous.get(url)
    assert public.status_code == 200 and public.headers["Cache-Control"] == "public, no-cache"
    again = anonymous.get(url, headers={"If-None-Match": public.headers["ETag"]})
    assert again.status_code == 304
    assert login(app, "otro@example.org").get(url).headers["Cache-Control"] == "private, no-store"
    # Made private again from the profile page: the photo is gone for others at once.
    owner.post("/me/profile/unpublish")
    assert anonymous.get(url).status_code == 404
    assert anonymous.get(f"/people/{people['private']}").status_code == 404


def test_a_members_only_profiles_photo_is_for_members(app: Flask, people) -> None:
    owner = login(app, "ana@example.org")
    upload_photo(owner, jpeg())
    with app.app_context():
        db.session.get(Profile, people["private"]).visibility = "members"
        db.session.commit()
    url = f"/people/{people['private']}/photo/{photo_name(app, people['private'])}"
    assert app.test_client().get(url).status_code == 404
    member = login(app, "otro@example.org").get(url)
    assert member.status_code == 200 and "no-store" in member.headers["Cache-Control"]


def test_a_deactivated_accounts_photo_is_hidden(app: Flask, people) -> None:
    client = login(app, "beto@example.org")
    upload_photo(client, jpeg())
    url = f"/people/{people['public']}/photo/{photo_name(app, people['public'])}"
    assert app.test_client().get(url).status_code == 200
    with app.app_context():
        db.session.scalar(select(User).where(User.email == "beto@example.org")).active = False
        db.session.commit()
    assert app.test_client().get(url).status_code == 404


def test_a_pending_organisations_logo_is_for_its_members_and_curators(app: Flask, people):
    owner = login(app, "ana@example.org")
    upload_logo(owner, people["pending"], png())
    url = f"/organizations/{people['pending']}/logo/{logo_name(app, people['pending'])}"
    assert owner.get(url).status_code == 200
    assert login(app, "carla@example.org").get(url).status_code == 404  # not a member of it
    assert login(app, "curadora@example.org").get(url).status_code == 200
    assert app.test_client().get(url).status_code == 404
    upload_logo(owner, people["org"], png())
    published = f"/organizations/{people['org']}/logo/{logo_name(app, people['org'])}"
    response = app.test_client().get(published)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "public, no-cache"


@pytest.mark.parametrize(
    "name", ["..%2F..%2Fconfig.py", "nada.jpg", "x" * 30 + ".svg", "%00.jpg", "a" * 300 + ".jpg"]
)
def test_only_the_current_generated_name_is_served(app: Flask, people, name: str) -> None:
    client = login(app, "beto@example.org")
    upload_photo(client, jpeg())
    assert client.get(f"/people/{people['public']}/photo/{name}").status_code == 404
    assert client.get(f"/organizations/{people['org']}/logo/{name}").status_code == 404
    assert client.get(f"/people/99999/photo/{'A' * 32}.jpg").status_code == 404


# --- replacing, removing, and the initials ---------------------------------------------------


def test_replacing_and_removing_delete_the_old_file(app: Flask, people, upload_dir: Path):
    client = login(app, "beto@example.org")
    upload_photo(client, jpeg())
    first = photo_name(app, people["public"])
    upload_photo(client, png(), "otra.png")
    second = photo_name(app, people["public"])
    assert second != first and stored(upload_dir, "photos") == [second]
    old_url = f"/people/{people['public']}/photo/{first}"
    assert app.test_client().get(old_url).status_code == 404
    response = client.post("/me/profile/photo/remove", follow_redirects=True)
    assert translated(app, "Your photo was removed.", "es") in response.get_data(as_text=True)
    assert photo_name(app, people["public"]) is None and stored(upload_dir, "photos") == []
    # Logos the same way.
    editor = login(app, "carla@example.org")
    upload_logo(editor, people["org"], png())
    upload_logo(editor, people["org"], jpeg(), "nuevo.jpg")
    assert stored(upload_dir, "logos") == [logo_name(app, people["org"])]
    editor.post(f"/manage/organizations/{people['org']}/logo/remove")
    assert logo_name(app, people["org"]) is None and stored(upload_dir, "logos") == []
    with app.app_context():
        actions = list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions.count("profile.photo_set") == 2 and "organization.logo_removed" in actions


def test_initials_stand_in_without_an_image_and_the_image_shows_with_one(app: Flask, people):
    anonymous = app.test_client()
    profile_page = anonymous.get(f"/people/{people['public']}").get_data(as_text=True)
    assert 'data-test="avatar-initials">BS</span>' in profile_page
    org_page = anonymous.get(f"/organizations/{people['org_slug']}").get_data(as_text=True)
    assert 'data-test="avatar-initials">KD</span>' in org_page
    cards = anonymous.get("/directory?kind=profile").get_data(as_text=True)
    assert 'data-test="avatar-initials">BS</span>' in cards
    upload_photo(login(app, "beto@example.org"), jpeg())
    upload_logo(login(app, "ana@example.org"), people["org"], png())
    photo = f"/people/{people['public']}/photo/{photo_name(app, people['public'])}"
    logo = f"/organizations/{people['org']}/logo/{logo_name(app, people['org'])}"
    assert f'src="{photo}"' in anonymous.get(f"/people/{people['public']}").get_data(as_text=True)
    assert f'src="{photo}"' in anonymous.get("/directory?kind=profile").get_data(as_text=True)
    org_page = anonymous.get(f"/organizations/{people['org_slug']}").get_data(as_text=True)
    assert f'src="{logo}"' in org_page
    assert f'src="{logo}"' in anonymous.get("/directory?kind=organization").get_data(as_text=True)
    own = login(app, "beto@example.org").get("/me/profile").get_data(as_text=True)
    assert f'src="{photo}"' in own


# --- who may change an image -----------------------------------------------------------------


def test_uploads_need_the_csrf_token(app: Flask, people, csrf_on, upload_dir: Path) -> None:
    client = login_with_csrf(app, "ana@example.org")
    assert upload_photo(client, jpeg()).status_code == 400
    assert upload_logo(client, people["org"], png()).status_code == 400
    assert photo_name(app, people["private"]) is None and logo_name(app, people["org"]) is None
    token = csrf_token_from(client.get("/me/profile/edit").get_data(as_text=True))
    sent = client.post(
        "/me/profile/photo",
        content_type="multipart/form-data",
        data={"csrf_token": token, "photo": (io.BytesIO(jpeg()), "a.jpg")},
    )
    assert sent.status_code == 302 and photo_name(app, people["private"]) is not None
    assert client.post("/me/profile/photo/remove").status_code == 400
    assert stored(upload_dir, "photos") == [photo_name(app, people["private"])]


def login_with_csrf(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    data = {"email": email, "password": PASSWORD, "csrf_token": token}
    assert client.post("/login", data=data).status_code == 302
    return client


def test_only_the_organisations_editors_change_its_logo(app: Flask, people, upload_dir: Path):
    url = f"/manage/organizations/{people['org']}/logo"
    assert app.test_client().post(url).status_code == 302  # to the login page
    for email, code in (("otro@example.org", 403), ("beto@example.org", 403),
                        ("curadora@example.org", 403)):  # fmt: skip
        client = login(app, email)
        assert upload_logo(client, people["org"], png()).status_code == code, email
        assert client.post(f"{url}/remove").status_code == code, email
        # A pending organisation does not even exist for them (curators see it: 403).
        hidden = 403 if email.startswith("curadora") else 404
        assert upload_logo(client, people["pending"], png()).status_code == hidden, email
    assert logo_name(app, people["org"]) is None and stored(upload_dir, "logos") == []


def test_my_photo_routes_only_ever_touch_my_own_profile(app: Flask, people, upload_dir):
    upload_photo(login(app, "beto@example.org"), jpeg())
    beto = photo_name(app, people["public"])
    other = login(app, "otro@example.org")  # no profile yet
    response = upload_photo(other, png())
    assert response.location.endswith("/me/profile/edit")
    other.post("/me/profile/photo/remove", data={"profile_id": people["public"]})
    assert photo_name(app, people["public"]) == beto and stored(upload_dir, "photos") == [beto]


# --- ARCO: export, deletion, and organisation deletion -----------------------------------------


def test_the_data_export_links_the_photo(app: Flask, people) -> None:
    client = login(app, "ana@example.org")
    assert json.loads(client.get("/me/privacy/my-data.json").data)["profile"]["photo_url"] is None
    upload_photo(client, jpeg())
    data = json.loads(client.get("/me/privacy/my-data.json").data)
    name = photo_name(app, people["private"])
    assert data["profile"]["photo_name"] == name
    assert (
        data["profile"]["photo_url"] == f"http://localhost/people/{people['private']}/photo/{name}"
    )


def test_deleting_the_account_deletes_the_photo(app: Flask, people, upload_dir: Path) -> None:
    upload_photo(login(app, "beto@example.org"), jpeg())
    assert len(stored(upload_dir, "photos")) == 1
    with app.app_context():
        beto = db.session.scalar(select(User).where(User.email == "beto@example.org"))
        account_deletion.delete_account(beto, actor=None)
        assert len(stored(upload_dir, "photos")) == 1  # not before the commit
        db.session.commit()
    assert stored(upload_dir, "photos") == []


def test_remove_logo_deletes_the_file_only_once_committed(app: Flask, people, upload_dir):
    upload_logo(login(app, "ana@example.org"), people["org"], png())
    with app.app_context():
        org = db.session.get(Organization, people["org"])
        assert media.remove_logo(org) is True
        db.session.rollback()  # the deletion of the organisation failed: the logo stays
    assert len(stored(upload_dir, "logos")) == 1
    with app.app_context():
        org = db.session.get(Organization, people["org"])
        media.remove_logo(org)
        db.session.delete(org)
        db.session.commit()
    assert stored(upload_dir, "logos") == []
    with app.app_context():
        assert media.remove_logo(f.org(name="Sin logo")) is False
