"""Forms of the auth blueprint; every one carries a CSRF token."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectChoice, SelectField
from wtforms.validators import DataRequired, EqualTo, Length

from ..services.passwords import MAX_LENGTH

REQUIRED = _l("This field is required.")


class SignupForm(FlaskForm):
    """Email and password, typed twice."""

    email = EmailField(_l("Email"), validators=[DataRequired(REQUIRED), Length(max=254)])
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(REQUIRED)],
        description=_l("At least 8 characters; avoid common passwords."),
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(REQUIRED), EqualTo("password", _l("The passwords do not match."))],
    )


class ConfirmAccountForm(FlaskForm):
    """The password chosen at sign-up, typed again to confirm the account."""

    password = PasswordField(
        _l("Password"), validators=[DataRequired(REQUIRED), Length(max=MAX_LENGTH)]
    )


class LoginForm(FlaskForm):
    """Email, password and "remember me"."""

    email = EmailField(_l("Email"), validators=[DataRequired(REQUIRED), Length(max=254)])
    password = PasswordField(
        _l("Password"), validators=[DataRequired(REQUIRED), Length(max=MAX_LENGTH)]
    )
    remember = BooleanField(_l("Remember me on this device"))


class ForgotPasswordForm(FlaskForm):
    """Ask for a reset link."""

    email = EmailField(_l("Email"), validators=[DataRequired(REQUIRED), Length(max=254)])


class ResetPasswordForm(FlaskForm):
    """Choose a new password from a reset link."""

    password = PasswordField(_l("New password"), validators=[DataRequired(REQUIRED)])
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(REQUIRED), EqualTo("password", _l("The passwords do not match."))],
    )


class ChangePasswordForm(FlaskForm):
    """Change the password while logged in."""

    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(REQUIRED), Length(max=MAX_LENGTH)]
    )
    password = PasswordField(_l("New password"), validators=[DataRequired(REQUIRED)])
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(REQUIRED), EqualTo("password", _l("The passwords do not match."))],
    )


class PreferencesForm(FlaskForm):
    """The account's preferred language."""

    locale = SelectField(
        _l("Language"),
        choices=[SelectChoice("es", "Español"), SelectChoice("en", "English")],
        default="es",
    )


class LogoutForm(FlaskForm):
    """An empty form: logging out is a POST with a CSRF token."""
