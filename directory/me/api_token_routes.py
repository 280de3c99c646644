"""My API tokens (/me/api-tokens): make a named, read-only token for the listing API, see it
once, see when each was last used, revoke one.

Every change is a POST with a CSRF token. A new token is shown in the answer to the POST
that made it and nowhere else (never stored, never put in a cookie, a flash or a redirect).
Someone else's token is a 404, never a 403.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import StringField
from wtforms.validators import DataRequired

from ..extensions import db
from ..forms_common import REQUIRED, length
from ..models import User
from ..services import api_tokens
from ..web import client_ip
from . import bp
from .forms import ActionForm


class ApiTokenForm(FlaskForm):
    """A new token's name: what it is for."""

    name = StringField(
        _l("Name"),
        validators=[DataRequired(REQUIRED), length(api_tokens.MAX_NAME)],
        description=_l("What will use it, e.g. “monthly report script”."),
    )


def _me() -> User:
    return current_user._get_current_object()


def _page(form: ApiTokenForm, secret: str | None = None, status: int = 200) -> tuple[str, int]:
    html = render_template(
        "me/api_tokens.html",
        form=form,
        action_form=ActionForm(),
        tokens=api_tokens.owned_tokens(_me()),
        secret=secret,
        max_active=api_tokens.MAX_ACTIVE,
    )
    return html, status


@bp.get("/me/api-tokens", endpoint="api_tokens")
@login_required
def api_tokens_page() -> tuple[str, int]:
    """My tokens and the form to make one."""
    return _page(ApiTokenForm())


@bp.post("/me/api-tokens")
@login_required
def create_api_token() -> tuple[str, int]:
    """Make a token and show it, once."""
    form = ApiTokenForm()
    if not form.validate_on_submit():
        return _page(form, status=400)
    try:
        _token, secret = api_tokens.create_token(_me(), form.name.data, ip=client_ip())
    except api_tokens.TokenError as exc:
        form.name.errors = [str(exc)]
        return _page(form, status=400)
    db.session.commit()
    return _page(ApiTokenForm(formdata=None), secret=secret)


@bp.post("/me/api-tokens/<int:token_id>/revoke")
@login_required
def revoke_api_token(token_id: int) -> Response:
    """Revoke one of my tokens: it stops working at once."""
    token = api_tokens.owned_token(_me(), token_id)
    if token is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    if api_tokens.revoke_token(token, actor=_me(), ip=client_ip()):
        db.session.commit()
        flash(_("The token “%(name)s” was revoked. It no longer works.", name=token.name),
              "success")  # fmt: skip
    return redirect(url_for("me.api_tokens"))
