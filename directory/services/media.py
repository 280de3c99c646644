"""Profile photos and organisation logos (issue 16): store, replace, remove and forget them.

An upload goes through services/uploads.py (judged by its content, decoded and re-encoded
by Pillow, no metadata kept), then is made square at SIDE pixels: a photo is cropped to
its centre, a logo is padded (a wordmark must not lose its ends). The record keeps only
the generated name; the file lives in UPLOAD_DIR/photos or UPLOAD_DIR/logos.

A replaced or removed file is deleted once the change is committed, never before: a
rollback then leaves the old image in place and in use. Who may see an image is decided
by the route that serves it (me/photo_routes.py, orgs/logo_routes.py), from the record's
own visibility.
"""

from __future__ import annotations

import io
from typing import Any

from flask import current_app

from ..extensions import db
from ..models import Organization, Profile, User
from . import audit, uploads

PHOTOS, LOGOS = "photos", "logos"
SIDE = 400  # pixels: sharp at twice the largest avatar (6rem), small enough for a card
_WHITE = (255, 255, 255)


def limits_text() -> dict[str, str]:
    """The upload limits as the forms write them next to the field."""
    config = current_app.config
    return {
        "mb": f"{int(config['UPLOAD_IMAGE_MAX_BYTES']) / (1024 * 1024):g}",
        "megapixels": f"{int(config['UPLOAD_IMAGE_MAX_PIXELS']) / 1_000_000:g}",
        "side": str(SIDE),
    }


# --- making the square copy ----------------------------------------------------------------


def _square(clean: uploads.CleanImage, *, pad: bool) -> uploads.CleanImage:
    """The cleaned image as a SIDE×SIDE square (or smaller, never enlarged), re-encoded."""
    from PIL import Image  # imported here: only uploads pay for Pillow

    # These bytes are the ones uploads.clean_image just wrote: a JPEG or WebP of ours.
    with Image.open(io.BytesIO(clean.data), formats=["JPEG", "WEBP"]) as decoded:
        decoded.load()
        image = decoded.copy()
    width, height = image.size
    if pad:
        edge = max(width, height)
        transparent = image.mode == "RGBA"
        canvas = Image.new(image.mode, (edge, edge), (0, 0, 0, 0) if transparent else _WHITE)
        canvas.paste(image, ((edge - width) // 2, (edge - height) // 2))
        image = canvas
    else:
        edge = min(width, height)
        left, top = (width - edge) // 2, (height - edge) // 2
        image = image.crop((left, top, left + edge, top + edge))
    if edge > SIDE:
        image = image.resize((SIDE, SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if clean.extension == "webp":
        image.save(out, format="WEBP", quality=uploads.JPEG_QUALITY, method=4)
    else:
        image.save(out, format="JPEG", quality=uploads.JPEG_QUALITY, optimize=True)
    return uploads.CleanImage(out.getvalue(), clean.extension, image.width, image.height)


def save_square(stream: Any, folder: str, *, pad: bool = False) -> str:
    """Check, re-encode, square and store an uploaded image; return its generated name.

    Raises uploads.UploadError (with a message for the person) for anything unfit.
    """
    limits = uploads.Limits.from_config()
    clean = uploads.clean_image(uploads.read_upload(stream, limits), limits)
    return uploads.store(_square(clean, pad=pad), folder)


def _delete_after_commit(folder: str, name: str | None) -> None:
    """Delete a stored file once the current transaction commits (at once outside one)."""
    if not uploads.is_stored_name(name):
        return
    from ..jobs import on_commit  # the job package imports services: not at module load

    on_commit(lambda: uploads.delete(folder, name))


# --- profile photos ------------------------------------------------------------------------


def set_photo(profile: Profile, name: str, *, actor: User, ip: str = "") -> None:
    """Make a stored image the profile's photo; the previous file goes after the commit."""
    old = profile.photo_name
    profile.photo_name = name
    db.session.flush()
    _delete_after_commit(PHOTOS, old)
    audit.record("profile.photo_set", actor=actor, target_kind="profile",
                 target_id=profile.id, ip=ip, replaced=bool(old))  # fmt: skip


def remove_photo(profile: Profile, *, actor: User | None = None, ip: str = "") -> bool:
    """Take the photo off the profile and delete its file after the commit; False if none.

    Without an actor (account deletion) no event is written: the account's own deletion
    event says it all.
    """
    old = profile.photo_name
    if not old:
        return False
    profile.photo_name = None
    db.session.flush()
    _delete_after_commit(PHOTOS, old)
    if actor is not None:
        audit.record("profile.photo_removed", actor=actor, target_kind="profile",
                     target_id=profile.id, ip=ip)  # fmt: skip
    return True


# --- organisation logos --------------------------------------------------------------------


def set_logo(org: Organization, name: str, *, actor: User, ip: str = "") -> None:
    """Make a stored image the organisation's logo; the previous file goes after the commit."""
    old = org.logo_name
    org.logo_name = name
    db.session.flush()
    _delete_after_commit(LOGOS, old)
    audit.record("organization.logo_set", actor=actor, target_kind="organization",
                 target_id=org.id, ip=ip, replaced=bool(old))  # fmt: skip


def remove_logo(org: Organization, *, actor: User | None = None, ip: str = "") -> bool:
    """Take the logo off the organisation and delete its file after the commit.

    Organisation deletion calls it without an actor before deleting the row; the caller
    commits (nothing is deleted from disk if it rolls back). False when there was none.
    """
    old = org.logo_name
    if not old:
        return False
    org.logo_name = None
    db.session.flush()
    _delete_after_commit(LOGOS, old)
    if actor is not None:
        audit.record("organization.logo_removed", actor=actor, target_kind="organization",
                     target_id=org.id, ip=ip)  # fmt: skip
    return True
