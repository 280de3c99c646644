"""Curation views: chamber verification and membership of organisations, and featured
success stories. Re-confirmation, curators and the audit log have their own modules,
imported at the bottom so the blueprint sees them all through this one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from ..extensions import db
from ..models import Organization, SuccessStory
from ..services import trust
from ..services.paging import page_number
from ..urls import safe_next
from ..web import client_ip
from . import bp, nav_item
from .trust_forms import ButtonForm

T = TypeVar("T")

nav_item(20, "curation.verification", _l("Verification"))
nav_item(22, "curation.stories", _l("Featured stories"))


def back_to(endpoint: str) -> Response:
    """Return to the list the button was pressed on (its filters and page), or its start."""
    return redirect(safe_next(request.form.get("next"), url_for(endpoint)))


def load_or_404(model: type[T], record_id: int) -> T:
    """The record with this id, or a 404."""
    record = db.session.get(model, record_id)
    if record is None:
        abort(404)
    return record


def run(action: Callable[[], Any], success: str) -> bool:
    """Run a service call after checking the CSRF token; commit and flash the outcome."""
    if not ButtonForm().validate_on_submit():
        flash(_("The form expired. Please send it again."), "error")
        return False
    try:
        action()
    except trust.TrustError as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
        return False
    db.session.commit()
    flash(success, "success")
    return True


# --- verification -----------------------------------------------------------------------


@bp.get("/verification")
def verification() -> str:
    """Organisations with their verification and chamber membership, to change either."""
    text = request.args.get("q", "")[:200].strip()
    show = request.args.get("show", "all")
    if show not in trust.ORG_FILTERS:
        show = "all"
    page = trust.organizations_page(text, show, page_number(request.args.get("page")))
    verifiers = trust.emails_of({org.verified_by_id for org in page.items})
    return render_template(
        "curation/trust_verification.html",
        page=page,
        text=text,
        show=show,
        filters=trust.ORG_FILTERS,
        verifiers=verifiers,
        form=ButtonForm(),
    )


@bp.post("/organizations/<int:org_id>/verify")
def verify(org_id: int) -> Response:
    """Verify an organisation in the chamber's name."""
    org = load_or_404(Organization, org_id)
    run(
        lambda: trust.verify_organization(org, actor=current_user, ip=client_ip()),
        _("%(name)s is verified by the chamber.", name=org.name),
    )
    return back_to("curation.verification")


@bp.post("/organizations/<int:org_id>/unverify")
def unverify(org_id: int) -> Response:
    """Withdraw an organisation's verification."""
    org = load_or_404(Organization, org_id)
    run(
        lambda: trust.unverify_organization(org, actor=current_user, ip=client_ip()),
        _("%(name)s is no longer verified.", name=org.name),
    )
    return back_to("curation.verification")


@bp.post("/organizations/<int:org_id>/chamber-member")
def chamber_member(org_id: int) -> Response:
    """Mark an organisation as a member of the chamber, or not (field member=1 or 0)."""
    org = load_or_404(Organization, org_id)
    member = request.form.get("member")
    if member not in ("0", "1"):
        flash(_("Say whether the organisation is a member of the chamber."), "error")
        return back_to("curation.verification")
    run(
        lambda: trust.set_chamber_member(org, member == "1", actor=current_user, ip=client_ip()),
        _("%(name)s is marked as a member of the chamber.", name=org.name)
        if member == "1"
        else _("%(name)s is no longer marked as a member of the chamber.", name=org.name),
    )
    return back_to("curation.verification")


# --- featured stories -------------------------------------------------------------------


@bp.get("/stories")
def stories() -> str:
    """Published stories, featured first, to feature or stop featuring."""
    page = trust.stories_page(page_number(request.args.get("page")))
    return render_template("curation/trust_stories.html", page=page, form=ButtonForm())


@bp.post("/stories/<int:story_id>/feature")
def feature_story(story_id: int) -> Response:
    """Feature a story on the home page and at the top of the showcase."""
    story = load_or_404(SuccessStory, story_id)
    run(
        lambda: trust.set_featured(story, True, actor=current_user, ip=client_ip()),
        _("The story is featured."),
    )
    return back_to("curation.stories")


@bp.post("/stories/<int:story_id>/unfeature")
def unfeature_story(story_id: int) -> Response:
    """Stop featuring a story."""
    story = load_or_404(SuccessStory, story_id)
    run(
        lambda: trust.set_featured(story, False, actor=current_user, ip=client_ip()),
        _("The story is no longer featured."),
    )
    return back_to("curation.stories")


from . import audit_views, curators, reconfirmation  # noqa: E402,F401
