"""Curation views: background jobs that failed, with retry and dismiss (audited)."""

from __future__ import annotations

from flask import current_app, flash, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.wrappers import Response

from ..extensions import db
from ..jobs import deadletter
from ..services.paging import page_number
from ..web import client_ip
from . import bp, nav_item
from .tables import ticked_ids
from .trust import back_to
from .trust_forms import ButtonForm

nav_item(25, "curation.jobs", _l("Background jobs"))


@bp.get("/jobs", endpoint="jobs")
def jobs_list() -> str:
    """Failed jobs: dead letters first, then those still retrying; or the resolved ones."""
    show = request.args.get("show", "open")
    if show not in deadletter.SHOWS:
        show = "open"
    return render_template(
        "curation/jobs.html",
        show=show,
        page=deadletter.failed_page(show, page_number(request.args.get("page"))),
        counts=deadletter.counts(),
        form=ButtonForm(),
    )


def _act(action: str) -> Response:
    """Retry or dismiss the chosen dead letters, then go back to the list."""
    target = "curation.jobs"
    if not ButtonForm().validate_on_submit():
        flash(_("The form expired. Please send it again."), "error")
        return back_to(target)
    ids = ticked_ids()
    if ids is None:
        flash(_("The selection is not valid. Please try again."), "error")
        return back_to(target)
    if not ids:
        flash(_("Tick at least one job first."), "error")
        return back_to(target)
    rows = deadletter.load(ids)
    queue = current_app.extensions["jobs"]
    run = deadletter.retry if action == "retry" else deadletter.dismiss
    outcome = run(rows, queue=queue, actor=current_user, ip=client_ip())
    db.session.commit()
    if outcome.done and action == "retry":
        flash(ngettext("%(num)d job was queued again.", "%(num)d jobs were queued again.",
                       outcome.done), "success")  # fmt: skip
    elif outcome.done:
        flash(ngettext("%(num)d job was dismissed.", "%(num)d jobs were dismissed.",
                       outcome.done), "success")  # fmt: skip
    if outcome.expired:
        message = ngettext(
            "%(num)d job can no longer be retried: its data has expired. Dismiss it.",
            "%(num)d jobs can no longer be retried: their data has expired. Dismiss them.",
            outcome.expired,
        )
        flash(message, "error")
    if outcome.skipped or len(rows) < len(set(ids)):
        flash(_("Jobs that are still retrying or already resolved were left alone."), "info")
    return back_to(target)


@bp.post("/jobs/retry")
def retry_jobs() -> Response:
    """Queue the chosen dead letters again, with fresh retries."""
    return _act("retry")


@bp.post("/jobs/dismiss")
def dismiss_jobs() -> Response:
    """Close the chosen dead letters for good."""
    return _act("dismiss")
