"""What the public story pages borrow from this package: the image route, the people named,
absolute image URLs for Open Graph, and links that carry their language."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from .. import permissions
from ..i18n import current_locale
from ..models import SuccessStory
from ..services import uploads
from ..services.stories import naming, submission
from . import bp

# Public story pages that links (the stories feed's above all) may open in a language.
LANGUAGE_LINKS = ("public.story", "public.stories")


@bp.get("/stories/images/<image_name>")
def image(image_name: str) -> Response:
    """A story's image, to whoever may read the story; nothing else is served from here."""
    story = submission.story_of_image(image_name[:100])
    if story is None or not submission.can_see_image(current_user, story):
        abort(404)
    public = permissions.can_view_story(None, story)
    response = uploads.image_response(submission.IMAGE_FOLDER, image_name, public=public)
    if response is None:
        abort(404)
    return response


@bp.app_template_global("story_people")
def story_people(story: SuccessStory) -> list[naming.NamedPerson]:
    """The people a story names who confirmed, as the viewer may see them."""
    return naming.confirmed_people(story, current_user)


@bp.app_template_global("story_image_url")
def story_image_url(story: SuccessStory, external: bool = False) -> str | None:
    """The URL of a story's image (absolute, from PUBLIC_URL, for Open Graph), if it has one."""
    if not uploads.is_stored_name(story.image_name):
        return None
    return url_for("showcase.image", image_name=story.image_name, _external=external)


@bp.before_app_request
def _open_in_language() -> Response | None:
    """A story link with ?lang=en (as the English feed writes them) opens the story in that
    language: the visitor goes through the language switch, which remembers the choice."""
    if request.method != "GET" or request.endpoint not in LANGUAGE_LINKS:
        return None
    lang = request.args.get("lang", "")
    if lang not in current_app.config["LANGUAGES"] or lang == current_locale():
        return None
    rest = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    target = request.path + ("?" + urlencode(rest) if rest else "")
    return redirect(url_for("public.set_language", lang=lang, next=target))
