"""My privacy: consents, "download my data", ARCO requests and "delete my account".

Every page here is personal, so the blueprint's after_request marks it `no-store`.
"""

from __future__ import annotations

import json

from flask import abort, current_app, flash, redirect, render_template, session, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user
from werkzeug.wrappers import Response

from ..extensions import db
from ..mail import send_mail
from ..models import User, utcnow
from ..services import account_deletion, audit, privacy
from ..services.data_export import export_user_data
from ..services.passwords import verify_password
from ..web import client_ip
from . import bp
from .privacy_forms import ARCO_SHORT, ArcoRequestForm, ConsentForm, DeleteAccountForm


def _me() -> User:
    return current_user._get_current_object()


def _page(arco_form: ArcoRequestForm | None = None, status: int = 200) -> tuple[str, int]:
    user = _me()
    return (
        render_template(
            "me/privacy.html",
            consents=privacy.consents(user.profile),
            consent_form=ConsentForm(),
            arco_form=arco_form or ArcoRequestForm(),
            requests=privacy.requests_of(user),
            arco_short=ARCO_SHORT,
            due_at=privacy.due_at,
        ),
        status,
    )


@bp.get("/me/privacy")
@login_required
def privacy_page() -> tuple[str, int]:
    """My consents, my data, my ARCO requests and the way to delete my account."""
    return _page()


@bp.post("/me/privacy/consents")
@login_required
def change_consent() -> Response:
    """Give or withdraw consent to be contacted or to be matched; each change is logged."""
    form = ConsentForm()
    user = _me()
    if not form.validate_on_submit():
        abort(400)
    if user.profile is None:
        flash(_("Create your profile first: consents belong to it."), "error")
        return redirect(url_for("me.privacy_page"))
    granted = form.grant.data == "1"
    changed = privacy.set_consent(
        user.profile, form.consent.data or "", granted, actor=user, ip=client_ip()
    )
    db.session.commit()
    if changed:
        flash(_("Your consent was recorded.") if granted else _("Your consent was withdrawn."))
    return redirect(url_for("me.privacy_page"))


@bp.get("/me/privacy/my-data.json")
@login_required
def download_my_data() -> Response:
    """Every record the directory holds about me, as a JSON file (ARCO access)."""
    user = _me()
    data = export_user_data(user)
    audit.record(
        "privacy.data_downloaded", actor=user, target_kind="user", target_id=user.id, ip=client_ip()
    )
    db.session.commit()
    body = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)
    filename = f"directorio-ia-my-data-{utcnow():%Y%m%d}.json"
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.post("/me/privacy/requests")
@login_required
def file_arco_request() -> Response | tuple[str, int]:
    """File an ARCO request; curators answer within 20 business days."""
    form = ArcoRequestForm()
    if not form.validate_on_submit():
        return _page(form, 400)
    try:
        privacy.file_request(_me(), form.kind.data or "", form.message.data or "", ip=client_ip())
    except privacy.PrivacyError as exc:
        db.session.rollback()
        getattr(form, exc.field).errors.append(str(exc.message))
        return _page(form, 400)
    db.session.commit()
    flash(_("Your request was sent. We will answer by email within 20 business days."), "success")
    return redirect(url_for("me.privacy_page"))


@bp.route("/me/privacy/delete", methods=["GET", "POST"])
@login_required
def delete_account() -> str | Response:
    """Delete my account and my data, after my password and an explicit confirmation."""
    user = _me()
    form = DeleteAccountForm()
    blocked = None
    try:
        account_deletion.check_deletable(user)
    except account_deletion.DeletionBlocked as exc:
        blocked = exc
    if blocked is None and form.validate_on_submit():
        if not verify_password(user.password_hash, form.password.data or ""):
            form.password.errors.append(_("Your password is not correct."))
        else:
            email, locale = user.email, user.locale
            account_deletion.delete_account(user, actor=None)
            db.session.commit()
            logout_user()
            session.clear()
            _tell_former_owner(email, locale)
            flash(_("Your account and your data were deleted."), "info")
            return redirect(url_for("public.index"))
    return render_template("me/delete_account.html", form=form, blocked=blocked)


def _tell_former_owner(email: str, locale: str | None) -> None:
    """Confirm the deletion to the address that no longer has an account."""
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        send_mail(
            email,
            _("Your Directorio IA account was deleted"),
            _(
                "Your account and the personal data linked to it were deleted from "
                "Directorio IA, as you asked. Backups that still hold them expire within "
                "the period stated in our privacy notice.\n\nIf it was not you, write to "
                "us by answering this message."
            ),
        )
