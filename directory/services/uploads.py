"""Uploaded images, judged by their content and never stored as sent (SECURITY.md row 40).

An upload is only ever bytes to decode: its file name and declared type are ignored. The
bytes must be a JPEG, PNG or WebP by their signature, hold nothing after the image (a
PNG/ZIP or JPEG/ZIP polyglot, a script), stay under the byte and pixel limits (a
decompression bomb is refused from its header, before any pixel is decoded), and decode
completely with Pillow restricted to those three formats. What is stored is a new file that
Pillow writes from the decoded pixels: a JPEG (a WebP when the image has transparency),
turned upright, scaled to fit UPLOAD_IMAGE_MAX_SIDE, with no EXIF, XMP, ICC or comment.
Its name is generated; it is served with its exact type and `nosniff`.

Stories use it for their image; profile photos and organisation logos (issue 16) can use
it as it is, each kind of record in its own folder.
"""

from __future__ import annotations

import io
import os
import re
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import current_app, request
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from werkzeug.wrappers import Response

# Formats accepted in, by their signature: (name Pillow knows, the magic test).
JPEG, PNG, WEBP = "JPEG", "PNG", "WEBP"
OUT_TYPES = {"jpg": "image/jpeg", "webp": "image/webp"}
JPEG_QUALITY = 85
_NAME = re.compile(r"^[A-Za-z0-9_-]{22,64}\.(jpg|webp)$")
_FOLDER = re.compile(r"^[a-z][a-z0-9_-]{0,30}$")
# Text that has no business inside a photo: a browser or an interpreter would act on it.
_ACTIVE = (b"<script", b"<?php", b"<!doctype html", b"<html", b"<iframe", b"javascript:")
_ZIP_ENTRY, _ZIP_END = b"PK\x03\x04", b"PK\x05\x06"


class UploadError(ValueError):
    """A refused upload, with a message fit to show the person who sent it."""

    def __init__(self, message: str | LazyString) -> None:
        super().__init__(str(message))
        self.message = str(message)


@dataclass(frozen=True)
class Limits:
    """What an upload may weigh and measure, and how big the stored copy is."""

    max_bytes: int
    max_pixels: int
    max_side: int

    @classmethod
    def from_config(cls) -> Limits:
        """The limits set in the app's configuration."""
        config = current_app.config
        return cls(
            max_bytes=int(config["UPLOAD_IMAGE_MAX_BYTES"]),
            max_pixels=int(config["UPLOAD_IMAGE_MAX_PIXELS"]),
            max_side=int(config["UPLOAD_IMAGE_MAX_SIDE"]),
        )


@dataclass(frozen=True)
class CleanImage:
    """A re-encoded image, ready to store: its bytes, extension, type and size."""

    data: bytes
    extension: str  # "jpg" or "webp"
    width: int
    height: int

    @property
    def content_type(self) -> str:
        """The MIME type it is served with."""
        return OUT_TYPES[self.extension]


# --- reading what was sent -----------------------------------------------------------------


def read_upload(stream: Any, limits: Limits) -> bytes:
    """The bytes of an uploaded file, refused past the byte limit without reading it all."""
    data = stream.read(limits.max_bytes + 1)
    if not data:
        raise UploadError(_l("The file is empty."))
    if len(data) > limits.max_bytes:
        raise UploadError(
            _l("The image is larger than %(max)s MB.", max=_megabytes(limits.max_bytes))
        )
    return bytes(data)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g}"


def sniff(data: bytes) -> str | None:
    """JPEG, PNG or WEBP by the file's signature, else None (SVG, GIF, PDF, text…)."""
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    return None


def _png_end(data: bytes) -> int | None:
    """Where a PNG's IEND chunk ends, walking its chunks; None if the structure is broken."""
    pos = 8
    while pos + 12 <= len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8]
        pos += 12 + length
        if kind == b"IEND":
            return pos
    return None


def _holds_more_than_an_image(data: bytes, kind: str) -> bool:
    """Whether bytes follow the image, or another format hides inside it (a polyglot)."""
    if kind == PNG:
        if _png_end(data) != len(data):
            return True
    elif kind == WEBP:
        if int.from_bytes(data[4:8], "little") + 8 != len(data):
            return True
    else:
        # A JPEG ends with its End Of Image marker; some encoders pad it with zeros.
        if not data.rstrip(b"\x00").endswith(b"\xff\xd9"):
            return True
    if _ZIP_ENTRY in data and _ZIP_END in data:
        return True
    lowered = data.lower()
    return any(token in lowered for token in _ACTIVE)


# --- decoding and re-encoding --------------------------------------------------------------


def clean_image(data: bytes, limits: Limits) -> CleanImage:
    """Decode an upload and write it anew, or refuse it with a clear message."""
    from PIL import Image, ImageOps  # imported here: only uploads pay for Pillow

    if len(data) > limits.max_bytes:
        raise UploadError(
            _l("The image is larger than %(max)s MB.", max=_megabytes(limits.max_bytes))
        )
    kind = sniff(data)
    if kind is None:
        raise UploadError(
            _l("This file is not a JPEG, PNG or WebP image (SVG, GIF and other files are not "
               "accepted).")
        )  # fmt: skip
    if kind == PNG and _png_end(data) is None:
        raise _damaged()
    if _holds_more_than_an_image(data, kind):
        raise UploadError(
            _l("This file holds something besides the image. Save it again as a plain JPEG "
               "or PNG and send that copy.")
        )  # fmt: skip
    try:
        with Image.open(io.BytesIO(data), formats=[kind]) as source:
            width, height = source.size
            if width < 1 or height < 1 or width * height > limits.max_pixels:
                raise _too_many_pixels(limits)  # from the header, before any pixel
            source.seek(0)  # the first frame of an animation
            source.load()
            image = ImageOps.exif_transpose(source)
    except UploadError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_many_pixels(limits) from exc
    except Exception as exc:  # noqa: BLE001  any decoder failure is the file's fault
        raise _damaged() from exc
    return _encode(image, limits)


def _damaged() -> UploadError:
    return UploadError(_l("This image could not be read: it is damaged or not really an image."))


def _too_many_pixels(limits: Limits) -> UploadError:
    millions = f"{limits.max_pixels / 1_000_000:g}"
    return UploadError(_l("The image has too many pixels (at most %(max)s million).", max=millions))


def _encode(image: Any, limits: Limits) -> CleanImage:
    """The pixels as a new JPEG (or WebP when transparent), scaled to fit, without metadata."""
    from PIL import Image

    transparent = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    image = image.convert("RGBA" if transparent else "RGB")
    image.info = {}  # EXIF, XMP, ICC, comments: none of it is written back
    image.thumbnail((limits.max_side, limits.max_side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if transparent:
        image.save(out, format="WEBP", quality=JPEG_QUALITY, method=4)
        extension = "webp"
    else:
        image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
        extension = "jpg"
    return CleanImage(out.getvalue(), extension, image.width, image.height)


# --- storing and serving -------------------------------------------------------------------


def upload_root() -> Path:
    """The folder uploads live in: UPLOAD_DIR, else instance/uploads."""
    configured = current_app.config.get("UPLOAD_DIR")
    return Path(configured or os.path.join(current_app.instance_path, "uploads"))


def _folder(folder: str) -> Path:
    if not _FOLDER.match(folder):
        raise ValueError(f"not an upload folder name: {folder!r}")
    return upload_root() / folder


def is_stored_name(name: str | None) -> bool:
    """Whether a name is one this module generates (no path, no other extension)."""
    return bool(name) and _NAME.match(name or "") is not None


def store(image: CleanImage, folder: str) -> str:
    """Write a cleaned image under a new random name, atomically; return the name."""
    target = _folder(folder)
    target.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_urlsafe(24)}.{image.extension}"
    handle, temporary = tempfile.mkstemp(dir=target, prefix=".upload-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(image.data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target / name)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return name


def save_upload(stream: Any, folder: str) -> str:
    """Read, check, re-encode and store an uploaded image; return its stored name."""
    limits = Limits.from_config()
    return store(clean_image(read_upload(stream, limits), limits), folder)


def delete(folder: str, name: str | None) -> None:
    """Remove a stored image (a name this module did not generate is ignored)."""
    if is_stored_name(name):
        (_folder(folder) / str(name)).unlink(missing_ok=True)


def path_of(folder: str, name: str) -> Path | None:
    """The stored file of a generated name, or None when the name or the file is unknown."""
    if not is_stored_name(name):
        return None
    path = _folder(folder) / name
    return path if path.is_file() else None


def image_response(folder: str, name: str, *, public: bool) -> Response | None:
    """Serve a stored image with its exact type and nosniff; None when there is none."""
    path = path_of(folder, name)
    if path is None:
        return None
    extension = name.rsplit(".", 1)[1]
    # Stored copies are small (scaled to UPLOAD_IMAGE_MAX_SIDE): read whole, no open handle.
    response = Response(path.read_bytes(), mimetype=OUT_TYPES[extension])
    response.add_etag()
    response.make_conditional(request)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Disposition"] = "inline"
    # An image is never a document: nothing in it may run, even if opened on its own.
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "public, max-age=3600" if public else "private, no-store"
    return response
