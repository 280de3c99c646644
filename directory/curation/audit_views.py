"""Curation views: the audit log with its filters, and its CSV export."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Response, render_template, request, stream_with_context
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..extensions import db
from ..forms_common import choices
from ..services import audit as audit_trail
from ..services import audit_log
from ..services.paging import page_number
from ..web import client_ip
from . import bp, nav_item
from .trust_forms import AuditFilterForm

nav_item(24, "curation.audit", _l("Audit log"))


def _filter_form() -> tuple[AuditFilterForm, list[str]]:
    """The filters from the query string, with the log's actions and kinds as choices."""
    actions, kinds = audit_log.known_values()
    form = AuditFilterForm(formdata=request.args)
    form.target_kind.choices = choices([(kind, kind) for kind in kinds], _l("Any"))
    return form, actions


def _page(form: AuditFilterForm, actions: list[str]) -> str:
    """The log page; with invalid filters, the form with its errors and no rows."""
    valid = form.validate()
    page = None
    if valid:
        page = audit_log.events_page(form.filters(), page_number(request.args.get("page")))
    return render_template(
        "curation/audit_log.html",
        form=form,
        actions=actions,
        page=page,
        params=form.params() if valid else {},
        details_text=audit_log.details_text,
    )


@bp.get("/audit")
def audit() -> str:
    """The log, newest first, filtered by actor, action, record and dates."""
    form, actions = _filter_form()
    return _page(form, actions)


@bp.get("/audit/export.csv")
def audit_export() -> Response | str:
    """The filtered log as a CSV download (the export itself is audited)."""
    form, actions = _filter_form()
    if not form.validate():
        return _page(form, actions)
    filters = form.filters()
    audit_trail.record(
        "audit.exported",
        actor=current_user,
        target_kind="audit_log",
        ip=client_ip(),
        filters=form.params(),
    )
    db.session.commit()
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    response = Response(stream_with_context(audit_log.csv_lines(filters)), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
    response.headers["Cache-Control"] = "no-store"
    return response
