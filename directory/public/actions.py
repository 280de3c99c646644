"""What a logged-in visitor does on a listing: apply, propose, report."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from .. import permissions
from ..extensions import db
from ..forms_common import choices
from ..i18n import current_locale
from ..models import Challenge, Opening, Organization, Profile, SuccessStory
from ..services import engagement
from ..services.procurement import proposals
from ..web import client_ip
from . import bp
from .forms import ApplyForm, ReportForm, propose_form

REPORTABLE: dict[str, Any] = {
    "organization": (Organization, permissions.can_view_org),
    "profile": (Profile, permissions.can_view_profile),
    "opening": (Opening, permissions.can_view_post),
    "challenge": (Challenge, permissions.can_view_post),
    "story": (SuccessStory, permissions.can_view_story),
}


NO_STORE = {"public.apply", "public.propose", "public.report"}


@bp.after_request
def _no_store(response: Response) -> Response:
    """Forms that carry a member's own words are not kept by browsers or proxies."""
    if request.endpoint in NO_STORE:
        response.headers["Cache-Control"] = "no-store"
    return response


def _visible_post(model: type[Opening] | type[Challenge], post_id: int) -> Any:
    post = db.session.get(model, post_id)
    if post is None or not permissions.can_view_post(current_user, post):
        abort(404)
    return post


@bp.route("/openings/<int:opening_id>/apply", methods=["GET", "POST"])
@login_required
def apply(opening_id: int) -> str | Response:
    """Apply to an open opening with a message to the organisation."""
    opening = _visible_post(Opening, opening_id)
    back = url_for("public.opening", opening_id=opening.id)
    user = current_user._get_current_object()
    refusal = engagement.apply_refusal(opening, user)
    if refusal:
        flash(refusal, "error")
        return redirect(back)
    form = ApplyForm()
    if form.validate_on_submit():
        try:
            engagement.apply(opening, user, form.message.data or "", ip=client_ip())
        except engagement.EngagementError as exc:
            db.session.rollback()
            flash(exc.message, "error")
            return redirect(back)
        db.session.commit()
        flash(_("Your application was sent. The organisation will answer you here."), "success")
        return redirect(back)
    return render_template("public/apply.html", post=opening, form=form)


@bp.route("/challenges/<int:challenge_id>/propose", methods=["GET", "POST"])
@login_required
def propose(challenge_id: int) -> str | Response:
    """Send a structured proposal, personally, for one of my organisations or as a consortium.

    Someone with no eligible way to propose sees why on this page, before typing anything.
    """
    challenge = _visible_post(Challenge, challenge_id)
    back = url_for("public.challenge", challenge_id=challenge.id)
    user = current_user._get_current_object()
    refusal = engagement.posting_refusal(challenge, user)
    if refusal:  # closed, or their own organisation's challenge
        flash(refusal, "error")
        return redirect(back)
    options = proposals.options_for(challenge, user)
    if not options.any:  # said on the page (no form): nothing they could type would be taken
        refusal = proposals.eligibility_refusal(challenge, user)
        return render_template("public/propose.html", post=challenge, form=None, refusal=refusal)
    safeguards = proposals.required_safeguards(challenge)
    form = propose_form(safeguards)
    mine = {str(org.id): org for org in options.orgs}
    # Only my eligible organisations are valid choices: any other id fails validation.
    form.organization.choices = choices(
        [(key, org.name) for key, org in mine.items()],
        blank=None
        if not options.personal
        else _l("Myself")
        if options.individuals
        else _l("Myself, as the lead of a consortium"),
    )
    if form.validate_on_submit():
        draft = proposals.Draft(
            approach=form.message.data or "",
            budget_amount=form.budget_amount.data,
            budget_currency=form.budget_currency.data or "",
            timeline_weeks=form.timeline_weeks.data,
            organization=mine.get(form.organization.data or ""),
            links=list(form.links.data or []),
            consortium=bool(options.consortium and form.consortium.data),
            partners=(form.partners.data or "").splitlines(),
            team=(form.team.data or "").splitlines(),
            safeguards={f.name[3:]: f.data or "" for f in form.safeguard_fields()},
        )
        try:
            proposals.submit(challenge, user, draft, ip=client_ip())
        except engagement.EngagementError as exc:
            db.session.rollback()
            target = getattr(form, exc.field, None) or form.message
            target.errors = [*target.errors, exc.message]
        else:
            db.session.commit()
            flash(_("Your proposal was sent. The organisation will answer you here."), "success")
            return redirect(back)
    return render_template(
        "public/propose.html",
        post=challenge,
        form=form,
        refusal=None,
        options=options,
        safeguards=safeguards,
        groups=proposals.group_names(challenge),
    )


def _record_url(kind: str, record: Any) -> str:
    if kind == "organization":
        return url_for("public.organization", slug=record.slug)
    if kind == "profile":
        return url_for("public.profile", profile_id=record.id)
    if kind == "story":
        return url_for("public.story", slug=record.slug)
    return url_for(f"public.{kind}", **{f"{kind}_id": record.id})


def _record_title(kind: str, record: Any) -> str:
    if kind == "organization":
        return record.name
    if kind == "profile":
        return record.full_name
    if kind == "story":
        return record.title(current_locale())
    return record.title


# A plain segment checked against REPORTABLE (rather than an any() converter) gives the same
# URLs and 404s, and lets tests that fill route arguments generically reach the CSRF check.
@bp.route("/report/<kind>/<int:record_id>", methods=["GET", "POST"])
@login_required
def report(kind: str, record_id: int) -> str | Response:
    """Tell the curators that a record looks wrong, offensive or fraudulent."""
    if kind not in REPORTABLE:
        abort(404)
    model, can_view = REPORTABLE[kind]
    record = db.session.get(model, record_id)
    if record is None or not can_view(current_user, record):
        abort(404)
    form = ReportForm()
    if form.validate_on_submit():
        try:
            engagement.report(
                kind,
                record.id,
                current_user._get_current_object(),
                form.reason.data or "",
                form.message.data or "",
                ip=client_ip(),
            )
        except engagement.EngagementError as exc:
            db.session.rollback()
            getattr(form, exc.field).errors.append(exc.message)
        else:
            db.session.commit()
            flash(_("Thank you. The curators will review your report."), "success")
            return redirect(_record_url(kind, record))
    return render_template(
        "public/report.html",
        form=form,
        kind=kind,
        record_url=_record_url(kind, record),
        record_title=_record_title(kind, record),
    )
