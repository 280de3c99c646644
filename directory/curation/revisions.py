"""Curation views: edits of published records held for review, with a per-field diff.

A non-verified organisation's text edits of a published record wait here (SECURITY.md
row 52). Accepting applies them as a normal edit; rejecting keeps the approved version.
Same pipeline as the moderation queue: load → service decides (or refuses, changing
nothing) → commit → mail the submitter → redirect back with a flash.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms.fields.core import UnboundField

from ..extensions import db
from ..i18n import current_locale
from ..models import PendingRevision
from ..orgs.forms import OrgForm
from ..orgs.post_forms import ChallengeForm, OpeningForm
from ..services import revisions
from ..services.moderation import ModerationError, title_of
from ..services.paging import page_number
from ..web import client_ip
from . import bp, nav_item

nav_item(13, "curation.revisions_list", _l("Edits to review"))

# Each field is named as its edit form labels it (the same, already translated messages).
FORMS: dict[str, type[FlaskForm]] = {
    "organization": OrgForm,
    "opening": OpeningForm,
    "challenge": ChallengeForm,
}
# Stored fields that are not form fields of their own.
EXTRA_LABELS: dict[str, Any] = {"free_skills": _l("Skills outside the vocabulary")}
KIND_NAMES = {
    "organization": _l("Organisation"),
    "opening": _l("Opening"),
    "challenge": _l("Challenge"),
}

STATUS_NAMES = {
    "accepted": _l("Accepted"),
    "rejected": _l("Rejected"),
    "superseded": _l("Replaced by a newer edit"),
}


@dataclass
class Item:
    """One held edit as the curator reads it."""

    revision: PendingRevision
    record: Any
    title: str
    org: Any
    diffs: list[revisions.FieldDiff]


def _item(revision: PendingRevision) -> Item:
    record = revisions.record_of(revision)
    locale = current_locale()
    title = title_of(revision.kind, record, locale) if record is not None else ""
    org = revisions.organization_of(record) if record is not None else None
    return Item(revision, record, title, org, revisions.revision_diffs(revision, record, locale))


def field_label(kind: str, name: str) -> str:
    """A field's label as its edit form shows it."""
    unbound = getattr(FORMS[kind], name, None)
    if isinstance(unbound, UnboundField):
        label = unbound.kwargs.get("label") or (unbound.args[0] if unbound.args else name)
        return str(label)
    return str(EXTRA_LABELS.get(name, name))


def _page_data() -> dict[str, Any]:
    return {"field_label": field_label, "kind_names": KIND_NAMES, "status_names": STATUS_NAMES}


@bp.get("/revisions")
def revisions_list() -> str:
    """Held edits waiting for a decision, oldest first, each with its diff."""
    page = revisions.waiting(page_number(request.args.get("page")))
    items = [_item(revision) for revision in page.items]
    return render_template("curation/revisions.html", page=page, items=items, **_page_data())


@bp.get("/revisions/<int:revision_id>")
def revision(revision_id: int) -> str:
    """One held edit, waiting or decided, with its diff against the live record."""
    row = db.session.get(PendingRevision, revision_id)
    if row is None:
        abort(404)
    return render_template("curation/revision.html", item=_item(row), **_page_data())


def _decide(work: Callable[[], revisions.RevisionDecision], done: Callable[[str], str]) -> Response:
    """Run a decision; on refusal roll back and say why, else notify, commit and confirm."""
    try:
        decision = work()
    except ModerationError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        revisions.notify_revision(decision)  # part of the decision's transaction
        db.session.commit()
        record = decision.record
        title = title_of(decision.revision.kind, record, current_locale()) if record else ""
        flash(done(title), "success")
    return redirect(url_for("curation.revisions_list"))


def _actor() -> Any:
    return current_user._get_current_object()


@bp.post("/revisions/<int:revision_id>/accept")
def accept_revision(revision_id: int) -> Response:
    """Apply a held edit: it goes live as a normal edit would."""
    return _decide(
        lambda: revisions.accept(revisions.load(revision_id), actor=_actor(), ip=client_ip()),
        lambda title: _("The changes to “%(title)s” are published.", title=title),
    )


@bp.post("/revisions/<int:revision_id>/reject")
def reject_revision(revision_id: int) -> Response:
    """Refuse a held edit with a reason the submitter reads; the approved version stays."""
    return _decide(
        lambda: revisions.reject(
            revisions.load(revision_id),
            request.form.get("reason"),
            actor=_actor(),
            ip=client_ip(),
        ),
        lambda title: _(
            "The changes to “%(title)s” were rejected; the submitter was told why.", title=title
        ),
    )
