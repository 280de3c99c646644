"""Success stories that members and organisations submit, and their editing until published.

A story is written in Spanish, English or both: a version is its title and summary (and
optionally a body). It may be sent for an organisation its submitter edits (that
organisation's team may then edit it too, and it is named at once). It waits in the
moderation queue (status pending) like an organisation or a post; a curator publishes,
rejects or features it. Until it is published its submitter may change it; a rejected
story edited again goes back to the queue.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from ... import geo, permissions, vocab
from ...extensions import db
from ...models import Membership, Organization, OrgRole, Status, SuccessStory, User, utcnow
from ...models.stories import LANGUAGES
from ...models.story_submissions import NamingStatus
from ...text import is_http_url, slugify
from .. import audit, uploads
from . import naming
from .errors import StoryError

IMAGE_FOLDER = "stories"  # under UPLOAD_DIR
EDITABLE = (Status.DRAFT, Status.PENDING, Status.REJECTED)
LIMITS = {"title": 200, "summary": 600, "body": 20_000}
MAX_IMPACT_VALUE = 40
MAX_IMPACT_LABEL = 120
MAX_URL = 300
TEXT_FIELDS = tuple(f"{part}_{lang}" for lang in LANGUAGES for part in LIMITS)
# Control characters but tab and newline: nothing a person types, and PostgreSQL refuses NUL.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _text(value: Any, limit: int, field: str, *, multiline: bool = False) -> str:
    text = _CONTROL.sub("", str(value or "")).replace("\r\n", "\n").strip()
    if not multiline:
        text = " ".join(text.split())
    if len(text) > limit:
        raise StoryError(_l("Use at most %(max)d characters.", max=limit), field)
    return text


def clean_data(data: Mapping[str, Any]) -> dict[str, Any]:
    """The story's columns from form data; a clear refusal for anything wrong."""
    out: dict[str, Any] = {}
    for lang in LANGUAGES:
        for part, limit in LIMITS.items():
            field = f"{part}_{lang}"
            out[field] = _text(data.get(field), limit, field, multiline=part == "body")
        written = [out[f"{part}_{lang}"] for part in LIMITS]
        if any(written):
            for part in ("title", "summary"):
                if not out[f"{part}_{lang}"]:
                    raise StoryError(_l("A version needs its title and its summary."),
                                     f"{part}_{lang}")  # fmt: skip
    if not (out["title_es"] or out["title_en"]):
        raise StoryError(
            _l("Write the story in Spanish, in English or in both: a title and a summary."),
            "title_es",
        )
    sector = str(data.get("sector") or "")
    if sector and sector not in vocab.SECTORS:
        raise StoryError(_l("Choose a sector from the list."), "sector")
    state = str(data.get("state_code") or "")
    if state and state not in geo.STATE_NAMES:
        raise StoryError(_l("Choose a state from the list."), "state_code")
    url = _text(data.get("url"), MAX_URL, "url")
    if url and not is_http_url(url):
        raise StoryError(_l("Enter a full web address starting with http:// or https://."), "url")
    out.update(sector=sector, state_code=state or None, url=url, impact=_impact(data))
    return out


def _impact(data: Mapping[str, Any]) -> list[dict[str, str]]:
    """The figure of impact as the existing `impact` list holds it (none when blank)."""
    value = _text(data.get("impact_value"), MAX_IMPACT_VALUE, "impact_value")
    label_es = _text(data.get("impact_label_es"), MAX_IMPACT_LABEL, "impact_label_es")
    label_en = _text(data.get("impact_label_en"), MAX_IMPACT_LABEL, "impact_label_en")
    if not value and not (label_es or label_en):
        return []
    if not value:
        raise StoryError(_l("Write the figure, for example 30% or 1,200."), "impact_value")
    if not (label_es or label_en):
        raise StoryError(_l("Say what the figure measures."), "impact_label_es")
    return [{"label_es": label_es, "label_en": label_en, "value": value}]


def unique_slug(title: str) -> str:
    """A slug for the title, with -2, -3… appended until no story uses it."""
    base = slugify(title, max_length=120)
    taken = set(
        db.session.scalars(
            select(SuccessStory.slug).where(
                (SuccessStory.slug == base) | SuccessStory.slug.like(base + "-%")
            )
        )
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


# --- who submits and edits -----------------------------------------------------------------


def orgs_to_submit_for(user: User) -> list[Organization]:
    """The organisations a member may send a story for: those they own or edit."""
    return list(
        db.session.scalars(
            select(Organization)
            .join(Membership, Membership.organization_id == Organization.id)
            .where(
                Membership.user_id == user.id,
                Membership.role.in_(OrgRole.ALL),
                Organization.merged_into_id.is_(None),
            )
            .order_by(Organization.name)
        )
    )


def _submit_for(user: User, org_id: Any) -> Organization | None:
    if org_id in (None, "", 0, "0"):
        return None
    raw = str(org_id)
    org = db.session.get(Organization, int(raw)) if raw.isdigit() and len(raw) <= 9 else None
    if org is None or not permissions.can_edit_org(user, org):
        raise StoryError(_l("You can send a story only for an organisation you edit."),
                         "submitted_for")  # fmt: skip
    return org


def can_edit(user: Any, story: SuccessStory) -> bool:
    """Its submitter, and the team of the organisation it was sent for, change a story."""
    if not getattr(user, "is_authenticated", False):
        return False
    if story.created_by_id is not None and story.created_by_id == user.id:
        return True
    return story.submitted_for is not None and permissions.can_edit_org(user, story.submitted_for)


def is_editable(story: SuccessStory) -> bool:
    """Whether the story may still change (not published nor archived)."""
    return story.status in EDITABLE


def submissions_of(user: User) -> list[SuccessStory]:
    """The stories a member submitted or may edit for their organisations, newest first."""
    orgs = select(Membership.organization_id).where(
        Membership.user_id == user.id, Membership.role.in_(OrgRole.ALL)
    )
    return list(
        db.session.scalars(
            select(SuccessStory)
            .where(
                or_(SuccessStory.created_by_id == user.id, SuccessStory.submitted_for_id.in_(orgs))
            )
            .order_by(SuccessStory.created_at.desc(), SuccessStory.id.desc())
        )
    )


# --- submitting and editing ----------------------------------------------------------------


def submit_story(
    data: Mapping[str, Any], *, actor: User, image_name: str | None = None, ip: str = ""
) -> tuple[SuccessStory, list[Any]]:
    """Save a new story for review; return it and the namings that wait for an answer."""
    clean = clean_data(data)
    org = _submit_for(actor, data.get("submitted_for"))
    title = clean["title_es"] or clean["title_en"]
    story = SuccessStory(slug=unique_slug(title), status=Status.PENDING, created_by_id=actor.id,
                         submitted_for=org, image_name=image_name, **clean)  # fmt: skip
    db.session.add(story)
    waiting = naming.set_namings(
        story,
        list(data.get("organizations") or []),
        list(data.get("people") or []),
        submitter=actor,
        also=org,
    )
    db.session.flush()
    audit.record("story.submitted", actor=actor, target_kind="story", target_id=story.id, ip=ip)
    return story, waiting


def update_story(
    story: SuccessStory,
    data: Mapping[str, Any],
    *,
    actor: User,
    image_name: str | None = None,
    remove_image: bool = False,
    ip: str = "",
) -> tuple[list[Any], str | None]:
    """Change an unpublished story; a rejected one goes back to the queue.

    Returns the new namings that wait for an answer and the image it no longer uses (the
    view deletes that file once the change is committed).
    """
    if not can_edit(actor, story):
        raise StoryError(_l("Only its submitter and their organisation may change this story."))
    if not is_editable(story):
        raise StoryError(_l("This story is published: it can no longer be changed here."))
    clean = clean_data(data)
    for key, value in clean.items():
        setattr(story, key, value)
    old_image = story.image_name
    if image_name is not None or remove_image:
        story.image_name = image_name
    waiting = naming.set_namings(
        story,
        list(data.get("organizations") or []),
        list(data.get("people") or []),
        submitter=actor,
        also=story.submitted_for,
    )
    was = story.status
    if story.status == Status.REJECTED:
        story.status = Status.PENDING
    story.updated_at = utcnow()
    db.session.flush()
    audit.record("story.edited", actor=actor, target_kind="story", target_id=story.id, ip=ip,
                 was=was)  # fmt: skip
    unused = old_image if old_image and old_image != story.image_name else None
    return waiting, unused


def references(story: SuccessStory) -> tuple[list[str], list[str]]:
    """The addresses of the organisations and people a story names (to fill its form)."""
    orgs, people = [], []
    for item in story.namings:
        if item.status == NamingStatus.DECLINED:
            continue  # a declined party cannot be named again: its line would be refused
        if item.organization is not None and item.organization_id != story.submitted_for_id:
            orgs.append(url_for("public.organization", slug=item.organization.slug))
        elif item.user is not None and item.user.profile is not None:
            people.append(url_for("public.profile", profile_id=item.user.profile.id))
    return orgs, people


# --- the image -----------------------------------------------------------------------------


def story_of_image(name: str) -> SuccessStory | None:
    """The story that shows an image, by its stored name."""
    if not uploads.is_stored_name(name):
        return None
    return db.session.scalar(select(SuccessStory).where(SuccessStory.image_name == name))


def can_see_image(user: Any, story: SuccessStory) -> bool:
    """Whoever may read the story sees its image: everyone once published, else its team,
    the curators and the parties it names."""
    if permissions.can_view_story(user, story) or can_edit(user, story):
        return True
    return any(naming.speaks_for(user, item) for item in story.namings)
