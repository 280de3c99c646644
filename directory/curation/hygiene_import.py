"""Curation views: import organisations from a CSV file — preview, then all or nothing.

The confirmation does not trust the preview: the file travels back signed (and tied to
the curator) in a hidden field and is parsed and checked again, against the directory as
it is at that moment, before anything is added.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.wrappers import Response

from ..extensions import db
from ..services import org_csv
from ..web import client_ip
from . import bp, nav_item
from .hygiene_forms import ConfirmImportForm, UploadForm

nav_item(42, "curation.import_organizations", _l("Import organisations"))


def _page(
    form: UploadForm,
    preview: org_csv.CsvPreview | None = None,
    sealed: str | None = None,
    status: int = 200,
) -> tuple[str, int]:
    confirm = ConfirmImportForm(formdata=None, sealed=sealed) if sealed else None
    return render_template(
        "curation/hygiene_import.html",
        form=form,
        preview=preview,
        confirm=confirm,
        columns=org_csv.COLUMNS,
        max_rows=org_csv.MAX_ROWS,
    ), status


@bp.route("/import", methods=["GET", "POST"])
def import_organizations() -> tuple[str, int]:
    """Upload a CSV file and see every row with its errors before importing."""
    form = UploadForm()
    if not form.validate_on_submit():
        return _page(form, status=400 if form.is_submitted() else 200)
    text, problem = org_csv.decode(form.file.data.read(org_csv.MAX_BYTES + 1))
    if text is None:
        form.file.errors = [problem]
        return _page(form, status=400)
    preview = org_csv.parse(text)
    sealed = None
    if preview.ok:
        sealed = org_csv.seal(text, current_user.id)
        if sealed is None:
            form.file.errors = [_("The file is too large to import at once; split it.")]
    db.session.rollback()  # the checks only read
    return _page(form, preview, sealed, 200 if preview.ok else 400)


@bp.post("/import/confirm")
def import_confirm() -> Response | tuple[str, int]:
    """Check the previewed file again and import all of its rows, or none."""
    confirm = ConfirmImportForm()
    text = org_csv.unseal(confirm.sealed.data or "", current_user.id)
    if not confirm.validate_on_submit() or text is None:
        form = UploadForm(formdata=None)
        form.file.errors = [_("The preview expired or was altered. Upload the file again.")]
        return _page(form, status=400)
    preview = org_csv.parse(text)
    if not preview.ok:
        # The directory changed since the preview (an organisation was added meanwhile).
        db.session.rollback()
        return _page(UploadForm(formdata=None), preview, status=409)
    added = org_csv.import_rows(preview, actor=current_user, ip=client_ip())
    db.session.commit()
    flash(
        ngettext(
            "%(num)d organisation was imported and published.",
            "%(num)d organisations were imported and published.",
            len(added),
        ),
        "success",
    )
    return redirect(url_for("curation.import_organizations"))
