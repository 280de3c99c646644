"""Curation views: claims of organisations and scam/error reports, each a queue to decide."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from ..extensions import db
from ..i18n import current_locale
from ..models import Claim, Report
from ..services import moderation, moderation_reports
from ..services import moderation_notify as notify
from ..services.moderation import ModerationError
from ..web import client_ip
from . import bp, nav_item

nav_item(11, "curation.claims", _l("Claims"))
nav_item(12, "curation.reports", _l("Reports"))

REPORT_KINDS = {
    "organization": _l("Organisation"),
    "opening": _l("Opening"),
    "challenge": _l("Challenge"),
    "story": _l("Success story"),
    "profile": _l("Profile"),
}


def _actor() -> Any:
    return current_user._get_current_object()


def _load(model: type[Claim] | type[Report], row_id: int) -> Any:
    row = db.session.get(model, row_id)
    if row is None:
        raise ModerationError(_l("That request no longer exists."))
    return row


def _run(work: Callable[[], str], back: str) -> Response:
    """Run a decision; on refusal roll back and say why, else (it committed) confirm."""
    try:
        done = work()
    except ModerationError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        flash(done, "success")
    return redirect(back)


def email_domain(email: str) -> str:
    """Only the domain of a claimant's address: enough to check it against the website."""
    return "@" + email.rpartition("@")[2]


@bp.get("/claims")
def claims() -> str:
    """Members asking to manage an organisation already listed, oldest first."""
    return render_template(
        "curation/moderation_claims.html",
        claims=moderation_reports.open_claims(),
        email_domain=email_domain,
    )


@bp.post("/claims/<int:claim_id>/approve")
def approve_claim(claim_id: int) -> Response:
    """The claimant becomes an owner of the organisation and is told so."""

    def work() -> str:
        claim = _load(Claim, claim_id)
        note = request.form.get("reason")
        moderation_reports.approve_claim(claim, note, actor=_actor(), ip=client_ip())
        notify.notify_claim(claim)
        db.session.commit()
        return _("The claimant now manages “%(org)s”.", org=claim.organization.name)

    return _run(work, url_for("curation.claims"))


@bp.post("/claims/<int:claim_id>/dismiss")
def dismiss_claim(claim_id: int) -> Response:
    """Turn a claim down with a resolution the claimant will read."""

    def work() -> str:
        claim = _load(Claim, claim_id)
        reason = request.form.get("reason")
        moderation_reports.dismiss_claim(claim, reason, actor=_actor(), ip=client_ip())
        notify.notify_claim(claim)
        db.session.commit()
        return _("The claim was dismissed; the claimant was told why.")

    return _run(work, url_for("curation.claims"))


def _reports_back() -> str:
    kind = request.form.get("kind_filter")
    return url_for("curation.reports", kind=kind if kind in REPORT_KINDS else None)


@bp.get("/reports")
def reports() -> str:
    """Open scam or error reports, oldest first, filterable by the kind of record."""
    kind = request.args.get("kind")
    kind = kind if kind in REPORT_KINDS else None
    return render_template(
        "curation/moderation_reports.html",
        items=moderation_reports.open_report_items(kind),
        kind=kind,
        kinds=REPORT_KINDS,
        is_listed=moderation_reports.is_listed,
        title_of=lambda k, record: moderation.title_of(k, record, current_locale()),
    )


@bp.post("/reports/<int:report_id>/resolve")
def resolve_report(report_id: int) -> Response:
    """Uphold a report: hide or archive the listing; its owner is told why."""

    def work() -> str:
        report = _load(Report, report_id)
        resolution = request.form.get("reason")
        decision = moderation_reports.resolve_report(
            report, resolution, actor=_actor(), ip=client_ip()
        )
        if decision is not None:
            notify.notify_decisions([decision])
        db.session.commit()
        if decision is None:
            return _("The report is closed; the listing was already hidden.")
        return _("The listing was taken down and the report closed.")

    return _run(work, _reports_back())


@bp.post("/reports/<int:report_id>/dismiss")
def dismiss_report(report_id: int) -> Response:
    """Close a report and leave the listing as it is."""

    def work() -> str:
        report = _load(Report, report_id)
        resolution = request.form.get("reason")
        moderation_reports.dismiss_report(report, resolution, actor=_actor(), ip=client_ip())
        db.session.commit()
        return _("The report was dismissed.")

    return _run(work, _reports_back())
