"""The success-stories showcase and its Atom feed."""

from __future__ import annotations

from flask import current_app, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from .. import permissions
from ..extensions import db
from ..models import SuccessStory
from ..text import render_markdown
from . import bp
from .atom import Entry, Feed, atom_document, atom_response, feed_language

FEED_SIZE = 50


def _listed_stories(*, featured_first: bool, limit: int | None = None) -> list[SuccessStory]:
    """Published stories, newest first (featured ones ahead if asked; id breaks ties)."""
    order = [SuccessStory.published_at.desc(), SuccessStory.id.desc()]
    if featured_first:
        order.insert(0, SuccessStory.featured.desc())
    query = (
        select(SuccessStory)
        .where(permissions.listed_stories_clause())
        .options(selectinload(SuccessStory.organizations))
        .order_by(*order)
    )
    if limit:
        query = query.limit(limit)
    return list(db.session.scalars(query))


@bp.get("/stories")
def stories() -> str:
    """Deployed Mexican AI systems and what they changed."""
    return render_template("public/stories.html", stories=_listed_stories(featured_first=True))


def story_entry(story: SuccessStory, lang: str) -> Entry:
    """A published story as an Atom entry in one language."""
    # Only organisations anyone may see are named, as on the story's page.
    orgs = [org for org in story.organizations if permissions.can_view_org(None, org)]
    return Entry(
        # The link carries the feed's language: the story opens in it (showcase/public.py).
        url=url_for("public.story", slug=story.slug, lang=lang, _external=True),
        title=story.title(lang),
        published=story.published_at,
        updated=story.updated_at or story.published_at,
        summary=story.summary(lang),
        content_html=str(render_markdown(story.body(lang))),
        categories=tuple((org.slug, org.name) for org in orgs),
    )


def atom_feed(items: list[SuccessStory], lang: str) -> bytes:
    """Build an Atom 1.0 document of stories in one language."""
    site = current_app.config["SITE_NAME"]
    with force_locale(lang):
        feed = Feed(
            self_url=url_for("public.stories_feed", lang=lang, _external=True),
            alternate_url=url_for("public.stories", lang=lang, _external=True),
            title=_("%(site)s: success stories", site=site),
            subtitle=_("Artificial intelligence deployed in Mexico."),
            lang=lang,
        )
    return atom_document(feed, [story_entry(story, lang) for story in items])


@bp.get("/stories/feed.atom")
def stories_feed() -> Response:
    """The published stories as an Atom feed; ?lang=en for English, Spanish otherwise."""
    lang = feed_language(request.args)
    return atom_response(atom_feed(_listed_stories(featured_first=False, limit=FEED_SIZE), lang))
