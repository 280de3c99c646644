"""Curation views: data hygiene. Duplicates and merge here; free-text skills in
hygiene_skills.py and the CSV import of organisations in hygiene_import.py."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from ..extensions import db
from ..services import duplicates as finder
from ..services import merge
from ..services.orgs import InvalidInput
from ..web import client_ip
from . import bp, nav_item
from .hygiene_forms import MergeForm, PairForm

nav_item(40, "curation.duplicates", _l("Duplicates"))

MAX_SHOWN = 50  # pairs per page: a curator works from the top


def _kind(value: str | None) -> str:
    return value if value in finder.KINDS else "organization"


def _record(kind: str, raw: Any) -> Any:
    """The record of this kind with this id (from a form or query string), or a 404."""
    try:
        record_id = int(str(raw))
    except ValueError:
        abort(404)
    # Ids beyond a database integer would fail in the driver, not as a missing row.
    record = db.session.get(finder.MODELS[kind], record_id) if 0 < record_id < 2**31 else None
    if record is None:
        abort(404)
    return record


@bp.get("/duplicates")
def duplicates() -> str:
    """Likely duplicate pairs side by side, best first, with the reasons."""
    kind = _kind(request.args.get("kind"))
    pairs = finder.find_pairs(kind)
    shown = finder.attach_records(pairs[:MAX_SHOWN])
    return render_template(
        "curation/hygiene_duplicates.html",
        kind=kind,
        kinds=finder.KINDS,
        pairs=shown,
        total=len(pairs),
        form=PairForm(),
    )


@bp.post("/duplicates/dismiss")
def duplicates_dismiss() -> Response:
    """Mark a pair as not duplicates; it is not proposed again."""
    form = PairForm()
    kind = _kind(form.kind.data)
    if not form.validate_on_submit():
        abort(400)
    left, right = _record(kind, form.left.data), _record(kind, form.right.data)
    if left.id == right.id:
        abort(400)
    finder.dismiss(kind, left, right, actor=current_user, ip=client_ip())
    db.session.commit()
    flash(_("Marked as not duplicates."), "success")
    return redirect(url_for("curation.duplicates", kind=kind))


def _plan(kind: str, drop: Any) -> merge.MergePlan:
    return merge.org_plan(drop) if kind == "organization" else merge.challenge_plan(drop)


@bp.route("/duplicates/merge", methods=["GET", "POST"])
def duplicates_merge() -> Response | tuple[str, int]:
    """Confirm, then merge one record into the other (everything moves to the one kept)."""
    form = MergeForm()
    source: Any = form if request.method == "POST" else None
    kind = _kind(source.kind.data if source else request.args.get("kind"))
    keep = _record(kind, source.keep.data if source else request.args.get("keep"))
    drop = _record(kind, source.drop.data if source else request.args.get("drop"))
    error = None
    try:
        merge.check(keep, drop)
    except InvalidInput as exc:
        error = exc.message
    if request.method == "POST" and error is None and form.validate_on_submit():
        if kind == "organization":
            merge.merge_organizations(keep, drop, actor=current_user, ip=client_ip())
        else:
            merge.merge_challenges(keep, drop, actor=current_user, ip=client_ip())
        db.session.commit()
        flash(_("Merged: the duplicate now redirects to the record kept."), "success")
        return redirect(url_for("curation.duplicates", kind=kind))
    if request.method == "GET":
        form = MergeForm(formdata=None, kind=kind, keep=keep.id, drop=drop.id)
    return render_template(
        "curation/hygiene_merge.html",
        kind=kind,
        keep=keep,
        drop=drop,
        plan=_plan(kind, drop),
        error=error,
        form=form,
    ), (409 if error else 200)


from . import hygiene_import, hygiene_skills  # noqa: E402,F401
