"""Sign-up and its confirmation: one answer for every address (services/signup.py)."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ..extensions import db
from ..i18n import current_locale
from ..mail import send_mail
from ..models import User
from ..services import accounts, signup
from ..web import client_ip
from . import bp, throttle
from .forms import ConfirmAccountForm, SignupForm
from .routes import _clear_session, _log_in


def _mail_confirmation(user: User) -> None:
    token = signup.make_confirmation_token(user, current_app.config["SECRET_KEY"])
    link = url_for("auth.confirm_account", token=token, _external=True)
    days = signup.CONFIRMATION_MAX_AGE // (24 * 3600)
    send_mail(
        user.email,
        _("Confirm your Directorio IA account"),
        _(
            "Someone, probably you, signed up to Directorio IA with this address. To confirm "
            "the account, open this link within %(days)d days and type the password you "
            "chose:\n\n%(link)s\n\nIf it was not you, ignore this message: without the "
            "confirmation nobody can use the account.",
            days=days,
            link=link,
        ),
    )


def _mail_existing_account(user: User) -> None:
    locale = user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(locale):
        send_mail(
            user.email,
            _("You already have a Directorio IA account"),
            _(
                "Someone, probably you, tried to sign up to Directorio IA with this address, "
                "but it already has an account.\n\nLog in: %(login)s\n\nForgot your password? "
                "Choose a new one here: %(reset)s\n\nIf it was not you, ignore this message: "
                "nothing has changed in your account.",
                login=url_for("auth.login", _external=True),
                reset=url_for("auth.forgot_password", _external=True),
            ),
        )


@bp.route("/signup", methods=["GET", "POST"], endpoint="signup")
def signup_view() -> str | Response:
    """Sign up: the same "check your mail" answer whether or not the address has an account."""
    if current_user.is_authenticated:
        return redirect(url_for("public.index"))
    form = SignupForm()
    if form.validate_on_submit():
        try:
            user, result = signup.sign_up(
                form.email.data or "",
                form.password.data or "",
                locale=current_locale(),
                ip=client_ip(),
            )
        except accounts.AccountError as exc:
            db.session.rollback()
            getattr(form, exc.field).errors.append(exc.message)
        else:
            if result == signup.SignupResult.EXISTING:
                _mail_existing_account(user)
            else:
                _mail_confirmation(user)
            db.session.commit()
            return render_template("auth/check_mail.html", email=user.email)
    return render_template("auth/signup.html", form=form)


@bp.route("/signup/confirm/<token>", methods=["GET", "POST"])
def confirm_account(token: str) -> str | Response:
    """Confirm a new account with the mailed link and the password chosen at sign-up."""
    user = signup.user_for_confirmation(token, current_app.config["SECRET_KEY"])
    if user is None:
        flash(
            _(
                "This confirmation link is invalid, expired or already used. Log in, or sign "
                "up again to receive a new one."
            ),
            "error",
        )
        return redirect(url_for("auth.login"))
    form = ConfirmAccountForm()
    if form.validate_on_submit():
        try:
            signup.confirm(user, form.password.data or "", ip=client_ip())
        except accounts.AccountError as exc:
            db.session.rollback()
            form.password.errors.append(exc.message)
        else:
            db.session.commit()
            throttle.clear(user.email)
            _clear_session()
            _log_in(user, remember=False)
            flash(_("Welcome to Directorio IA. Your account is ready."), "success")
            response = redirect(url_for("auth.account"))
            throttle.remember_device(response, user.email)
            return response
    return render_template("auth/confirm.html", form=form, email=user.email, token=token)
