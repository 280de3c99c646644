"""My stories: submit one, see where each stands, change it until it is published."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from .. import image_routes
from ..extensions import db
from ..models import SuccessStory
from ..services import uploads
from ..services.stories import StoryError, naming, submission
from ..web import client_ip
from . import bp
from .forms import StoryForm

UPLOAD_ENDPOINTS = ("showcase.submit", "showcase.edit")


@bp.url_value_preprocessor
def _upload_size(endpoint: str | None, _values: dict[str, Any] | None) -> None:
    image_routes.allow_upload_body(endpoint, UPLOAD_ENDPOINTS)


def _user() -> Any:
    return current_user._get_current_object()


def _story_for_editing(submission_id: int) -> SuccessStory:
    """A story the viewer may change, else 404 (no hint that it exists)."""
    story = db.session.get(SuccessStory, submission_id)
    if story is None or not submission.can_edit(_user(), story):
        abort(404)
    return story


def _show_error(form: StoryForm, error: StoryError) -> None:
    field = form._fields.get(error.field or "")
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        flash(error.message, "error")


def _save_image(form: StoryForm) -> str | None:
    """Store the uploaded image, if one was sent; an unfit file becomes a field error."""
    sent = form.image.data
    if not isinstance(sent, FileStorage) or not sent.filename:
        return None
    try:
        return uploads.save_upload(sent.stream, submission.IMAGE_FOLDER)
    except uploads.UploadError as exc:
        raise StoryError(exc.message, "image") from exc


@bp.get("/me/stories")
@login_required
def mine() -> str:
    """The stories I submitted (or my organisations did), and where each stands."""
    user = _user()
    stories = submission.submissions_of(user)
    waiting = [n for n in naming.namings_for(user) if n.status == "waiting"]
    return render_template(
        "showcase/mine.html",
        stories=stories,
        standing={story.id: naming.standing(story) for story in stories},
        editable=submission.is_editable,
        waiting=len(waiting),
    )


@bp.route("/me/stories/new", methods=["GET", "POST"])
@login_required
def submit() -> str | Response:
    """Submit a success story; the curators review it and the people named confirm."""
    user = _user()
    form = StoryForm()
    form.set_org_choices(submission.orgs_to_submit_for(user))
    if form.validate_on_submit():
        image_name = None
        try:
            image_name = _save_image(form)
            story, waiting = submission.submit_story(
                form.data_for_service(), actor=user, image_name=image_name, ip=client_ip()
            )
            naming.ask_to_confirm(waiting)
        except StoryError as exc:
            db.session.rollback()
            uploads.delete(submission.IMAGE_FOLDER, image_name)
            _show_error(form, exc)
        else:
            db.session.commit()
            flash(_("Your story was sent. A curator will review it before it is published; "
                    "the people and organisations you named are asked to confirm."),
                  "success")  # fmt: skip
            return redirect(url_for("showcase.mine"))
    return render_template("showcase/story_form.html", form=form, story=None)


@bp.route("/me/stories/<int:submission_id>/edit", methods=["GET", "POST"])
@login_required
def edit(submission_id: int) -> str | Response:
    """Change a story until it is published; a rejected story goes back to the queue."""
    story = _story_for_editing(submission_id)
    if not submission.is_editable(story):
        flash(_("This story is published: it can no longer be changed here."), "info")
        return redirect(url_for("showcase.mine"))
    user = _user()
    form = StoryForm(obj=None if request.method == "POST" else story)
    del form.submitted_for  # chosen once, when the story is sent
    if request.method == "GET":
        form.organizations.data, form.people.data = submission.references(story)
        if story.impact:
            first = story.impact[0]
            form.impact_value.data = first.get("value", "")
            form.impact_label_es.data = first.get("label_es", "")
            form.impact_label_en.data = first.get("label_en", "")
    if form.validate_on_submit():
        image_name = None
        try:
            image_name = _save_image(form)
            waiting, unused = submission.update_story(
                story,
                form.data_for_service(),
                actor=user,
                image_name=image_name,
                remove_image=bool(form.remove_image.data),
                ip=client_ip(),
            )
            naming.ask_to_confirm(waiting)
        except StoryError as exc:
            db.session.rollback()
            uploads.delete(submission.IMAGE_FOLDER, image_name)
            _show_error(form, exc)
        else:
            db.session.commit()
            uploads.delete(submission.IMAGE_FOLDER, unused)  # once nothing points at it
            flash(_("Your changes were saved. The story waits for a curator's review."),
                  "success")  # fmt: skip
            return redirect(url_for("showcase.mine"))
    return render_template("showcase/story_form.html", form=form, story=story)
