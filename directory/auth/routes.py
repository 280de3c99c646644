"""Views of the auth blueprint: load → check → service → commit → redirect."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.exceptions import TooManyRequests
from werkzeug.wrappers import Response

from ..extensions import db
from ..i18n import current_locale
from ..mail import send_mail
from ..models import User
from ..services import accounts, audit
from ..urls import safe_next
from ..web import client_ip
from . import bp, throttle
from .forms import (
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    PreferencesForm,
    ResetPasswordForm,
)


def _log_in(user: User, remember: bool) -> None:
    """Open a server-side session and hand Flask-Login its id (new session, no fixation)."""
    config = current_app.config
    lifetime = (
        config["REMEMBER_COOKIE_DURATION"] if remember else config["PERMANENT_SESSION_LIFETIME"]
    )
    accounts.start_session(
        user,
        lifetime=lifetime,
        user_agent=request.user_agent.string,
        ip=client_ip(),
    )
    db.session.commit()
    login_user(user, remember=remember, duration=config["REMEMBER_COOKIE_DURATION"])


def _clear_session() -> None:
    """Drop every pre-login key so nothing planted before login survives it."""
    session.clear()


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response:
    """Log in with email and password."""
    next_url = safe_next(request.args.get("next"), url_for("auth.account"))
    if current_user.is_authenticated:
        return redirect(next_url)
    form = LoginForm()
    if form.validate_on_submit():
        email = form.email.data or ""
        # Per account and client, and per account for unknown clients (auth/throttle.py).
        wait = throttle.retry_after(email)
        if wait:
            # No address in the log: the request id ties it to the client if needed.
            current_app.logger.warning("log-in refused: too many failures on one account")
            raise TooManyRequests(retry_after=wait)
        user = accounts.authenticate(email, form.password.data or "", ip=client_ip())
        if user is None:
            throttle.record_failure(email)
            db.session.commit()  # keep the failed-login audit event
            # One message for unknown email, wrong password and unconfirmed sign-up: no
            # account enumeration.
            form.password.errors.append(_("Wrong email or password."))
            form.password.errors.append(
                _("If you have just signed up, first open the confirmation link we mailed you.")
            )
        else:
            throttle.clear(email)
            _clear_session()
            _log_in(user, remember=bool(form.remember.data))
            flash(_("You are logged in."), "success")
            response = redirect(next_url)
            throttle.remember_device(response, user.email)
            return response
    return render_template("auth/login.html", form=form, next_url=request.args.get("next", ""))


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    """End this browser's session (the server-side row goes, so saved cookies die too)."""
    if current_user.is_authenticated:
        accounts.end_session(current_user._get_current_object(), ip=client_ip())
        db.session.commit()
    logout_user()
    _clear_session()
    flash(_("You have logged out."), "info")
    return redirect(url_for("public.index"))


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password() -> str | Response:
    """Send a reset link; the answer is the same whether or not the account exists."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = accounts.find_user(form.email.data or "")
        if user is not None and user.active:
            token = accounts.make_reset_token(user, current_app.config["SECRET_KEY"])
            link = url_for("auth.reset_password", token=token, _external=True)
            minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
            send_mail(
                user.email,
                _("Reset your Directorio IA password"),
                _(
                    "Someone asked to reset the password of this account. To choose a new "
                    "password, open this link within %(minutes)d minutes:\n\n%(link)s\n\n"
                    "If it was not you, ignore this message.",
                    minutes=minutes,
                    link=link,
                ),
            )
            audit.record(
                "account.reset_requested",
                actor=user,
                target_kind="user",
                target_id=user.id,
                ip=client_ip(),
            )
            db.session.commit()
        flash(
            _(
                "If an account exists for that address, we have sent it a link to reset the password."  # noqa: E501
            ),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> str | Response:
    """Choose a new password from a signed, expiring, single-use link."""
    config = current_app.config
    user = accounts.user_for_reset_token(
        token, config["SECRET_KEY"], config["PASSWORD_RESET_MAX_AGE"]
    )
    if user is None:
        flash(_("This reset link is invalid, expired or already used. Ask for a new one."), "error")
        return redirect(url_for("auth.forgot_password"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.reset_password(user, form.password.data or "", ip=client_ip())
        except accounts.AccountError as exc:
            db.session.rollback()
            form.password.errors.append(exc.message)
        else:
            db.session.commit()
            # The owner proved the mailbox: whoever was guessing no longer keeps them out.
            throttle.clear(user.email)
            logout_user()
            _clear_session()
            flash(_("Your password has been changed. Log in with the new one."), "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form, token=token)


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account() -> str | Response:
    """The account page: email, role, organisations, language."""
    form = PreferencesForm(locale=current_user.locale or current_locale())
    if form.validate_on_submit():
        current_user.locale = form.locale.data
        db.session.commit()
        flash(_("Your preferences were saved."), "success")
        return redirect(url_for("auth.account"))
    return render_template("auth/account.html", form=form)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password() -> str | Response:
    """Change the password; every other browser is logged out."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            accounts.change_password(
                user, form.current_password.data or "", form.password.data or "", ip=client_ip()
            )
        except accounts.AccountError as exc:
            db.session.rollback()
            getattr(form, exc.field).errors.append(exc.message)
        else:
            db.session.commit()
            flash(_("Your password has been changed. Other devices were logged out."), "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/change_password.html", form=form)
