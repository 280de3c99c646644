"""Curation views: ARCO requests (access, rectification, cancellation, opposition).

Open requests are listed oldest first with their age and due date: the LFPDPPP gives 20
business days to answer, so the overdue ones stand out. An answer (or a reasoned refusal)
is mailed to the person and audited. For a cancellation request the curator can run the
account deletion itself, answering the request in the same transaction.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import BooleanField, RadioField, TextAreaField
from wtforms.validators import DataRequired

from ..extensions import db
from ..forms_common import REQUIRED, choices, length
from ..mail import send_mail
from ..me.privacy_forms import ARCO_SHORT
from ..models import ArcoKind, PrivacyRequest, User, utcnow
from ..services import account_deletion, privacy
from ..web import client_ip
from . import bp, nav_item

nav_item(55, "curation.arco_requests", _l("Privacy requests"))


class AnswerForm(FlaskForm):
    """Answer or refuse a request, with the text the person receives."""

    status = RadioField(_l("Decision"), validators=[DataRequired(REQUIRED)])
    response = TextAreaField(
        _l("Answer to the person"),
        validators=[DataRequired(REQUIRED), length(privacy.MAX_MESSAGE)],
        description=_l("It is mailed to the person as written. A refusal must give its reasons."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.status.choices = choices(
            [(privacy.ANSWERED, _("Answered (granted)")), (privacy.REFUSED, _("Refused"))]
        )


class DeleteForm(FlaskForm):
    """Run the deletion a cancellation request asks for."""

    response = TextAreaField(
        _l("Answer to the person"),
        validators=[DataRequired(REQUIRED), length(privacy.MAX_MESSAGE)],
    )
    confirm = BooleanField(
        _l("Delete this account and its personal data now"),
        validators=[DataRequired(_l("Tick the box to confirm."))],
    )


def _load(request_id: int) -> PrivacyRequest:
    request = db.session.get(PrivacyRequest, request_id)
    if request is None:
        abort(404)
    return request


def _me() -> User:
    return current_user._get_current_object()


@bp.get("/privacy")
def arco_requests() -> str:
    """Open requests, oldest first, with their age and deadline; then recent decisions."""
    now = utcnow()
    return render_template(
        "curation/arco_list.html",
        open_requests=privacy.open_requests(),
        closed=privacy.closed_requests(),
        now=now,
        due_at=privacy.due_at,
        is_overdue=lambda r: privacy.is_overdue(r, now),
        arco_short=ARCO_SHORT,
    )


def _detail(request: PrivacyRequest, answer: AnswerForm, delete: DeleteForm, status: int = 200):
    user = request.user
    blocked: account_deletion.DeletionBlocked | None = None
    orphaned = []
    if user is not None and request.kind == ArcoKind.CANCELLATION:
        try:
            account_deletion.check_deletable(user, orphan_organizations=True)
        except account_deletion.DeletionBlocked as exc:
            blocked = exc
        orphaned = account_deletion.sole_owned_organizations(user)
    page = render_template(
        "curation/arco_detail.html",
        request_=request,
        person=user,
        answer_form=answer,
        delete_form=delete,
        blocked=blocked,
        orphaned=orphaned,
        due_at=privacy.due_at(request),
        overdue=privacy.is_overdue(request),
        arco_short=ARCO_SHORT,
    )
    return page, status


@bp.get("/privacy/<int:request_id>")
def arco_request(request_id: int) -> tuple[str, int]:
    """One request with the person's account, and the forms to act on it."""
    return _detail(_load(request_id), AnswerForm(), DeleteForm())


def _mail_answer(request: PrivacyRequest, address: str, locale: str | None) -> None:
    """Send the curator's answer to the person, in their language."""
    if not address:
        return
    with force_locale(locale or "es"):
        send_mail(
            address,
            _("Answer to your request about your personal data"),
            _(
                "We have answered your %(kind)s request of %(date)s:\n\n%(response)s\n\n"
                "Directorio IA",
                kind=str(ARCO_SHORT.get(request.kind, request.kind)).lower(),
                date=request.created_at.date().isoformat(),
                response=request.response,
            ),
        )


@bp.post("/privacy/<int:request_id>/answer")
def answer_arco_request(request_id: int) -> Response | tuple[str, int]:
    """Answer or refuse a request; the person is mailed and the decision audited."""
    request = _load(request_id)
    form = AnswerForm()
    if not form.validate_on_submit():
        return _detail(request, form, DeleteForm(), 400)
    try:
        privacy.answer_request(
            request, form.status.data or "", form.response.data or "", actor=_me(), ip=client_ip()
        )
    except privacy.PrivacyError as exc:
        db.session.rollback()
        getattr(form, exc.field).errors.append(str(exc.message))
        return _detail(request, form, DeleteForm(), 400)
    address = privacy.reply_address(request)
    locale = request.user.locale if request.user is not None else None
    db.session.commit()
    _mail_answer(request, address, locale)
    flash(_("The answer was saved and mailed to the person."), "success")
    return redirect(url_for("curation.arco_requests"))


@bp.post("/privacy/<int:request_id>/delete-account")
def delete_for_arco_request(request_id: int) -> Response | tuple[str, int]:
    """Carry out a cancellation request: answer it, then delete the account, in one commit."""
    request = _load(request_id)
    user = request.user
    if request.kind != ArcoKind.CANCELLATION or user is None or request.status != privacy.OPEN:
        flash(_("Only an open cancellation request of an existing account can do this."), "error")
        return redirect(url_for("curation.arco_request", request_id=request.id))
    form = DeleteForm()
    if not form.validate_on_submit():
        return _detail(request, AnswerForm(), form, 400)
    address, locale = user.email, user.locale
    try:
        privacy.answer_request(
            request, privacy.ANSWERED, form.response.data or "", actor=_me(), ip=client_ip()
        )
        # The curator saw the organisations that would be left without an owner.
        account_deletion.delete_account(
            user, actor=_me(), ip=client_ip(), orphan_organizations=True
        )
    except privacy.PrivacyError as exc:
        db.session.rollback()
        form.response.errors.append(str(exc.message))
        return _detail(request, AnswerForm(), form, 400)
    except account_deletion.DeletionBlocked:
        db.session.rollback()
        flash(_("This account cannot be deleted: it is the only curator."), "error")
        return redirect(url_for("curation.arco_request", request_id=request.id))
    db.session.commit()
    _mail_answer(request, address, locale)
    flash(_("The account was deleted and the person was told."), "success")
    return redirect(url_for("curation.arco_requests"))
