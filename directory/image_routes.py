"""What the profile-photo and organisation-logo routes share: reading an upload, pointing a
record at it, and serving it with a Cache-Control that follows who may see it."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, abort, current_app, flash, g, request
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from .extensions import db
from .services import media, uploads


def allow_upload_body(endpoint: str | None, endpoints: tuple[str, ...]) -> None:
    """Let an upload endpoint take a larger (still bounded, SECURITY row 22) body.

    Called from a url_value_preprocessor: it runs before any before_request hook, so the
    CSRF check that reads the form already sees the larger limit.
    """
    if endpoint in endpoints:
        request.max_content_length = int(current_app.config["UPLOAD_REQUEST_MAX_BYTES"])


def stored_upload(field: str, folder: str, *, pad: bool = False) -> str | None:
    """The stored name of the image sent in `field`, or None after flashing why not."""
    sent = request.files.get(field)
    if not isinstance(sent, FileStorage) or not sent.filename:
        flash(_("Choose an image to upload."), "error")
        return None
    try:
        return media.save_square(sent.stream, folder, pad=pad)
    except uploads.UploadError as exc:
        flash(exc.message, "error")
        return None


def attach(folder: str, name: str, point_at_it: Callable[[], None]) -> None:
    """Point a record at a stored file and commit; if that fails, the file goes too."""
    try:
        point_at_it()
        db.session.commit()
    except Exception:
        db.session.rollback()
        uploads.delete(folder, name)  # nothing points at it
        raise


def serve(folder: str, name: str, *, public: bool) -> Response:
    """The stored image, or 404; `public` when anyone may see it (shared caches may keep it)."""
    response = uploads.image_response(folder, name, public=public)
    if response is None:
        abort(404)
    # Revalidated each time even when public: hiding a profile or withdrawing an
    # organisation hides its image at once.
    g.image_cache_control = "public, no-cache" if public else "private, no-store"
    return response


def restore_cache_control(response: Response) -> Response:
    """Give an image the Cache-Control its route decided.

    The me and orgs blueprints and security_headers mark every response there no-store;
    init_app registers this before security_headers does, and Flask runs after-request
    hooks in reverse order, so this has the last word (tests/test_photos_logos.py checks).
    """
    control = g.get("image_cache_control")
    if control:
        response.headers["Cache-Control"] = control
    return response


def init_app(app: Flask) -> None:
    """Register the one hook that restores an image's Cache-Control (before security_headers)."""
    app.after_request(restore_cache_control)
