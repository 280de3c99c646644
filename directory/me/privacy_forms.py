"""Forms of the privacy pages (my data, consents, ARCO requests, account deletion)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, RadioField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length

from ..forms_common import REQUIRED, choices, length
from ..models import ArcoKind
from ..services.passwords import MAX_LENGTH
from ..services.privacy import CONSENT_FIELDS, MAX_MESSAGE

# Labels of the four ARCO rights, as the request form and the lists show them.
ARCO_LABELS = {
    ArcoKind.ACCESS: _l("Access: know what data we hold about me and how we use it"),
    ArcoKind.RECTIFICATION: _l("Rectification: correct data that is wrong or incomplete"),
    ArcoKind.CANCELLATION: _l("Cancellation: delete my data from the directory"),
    ArcoKind.OPPOSITION: _l("Opposition: stop a use of my data, such as automated matching"),
}
ARCO_SHORT = {
    ArcoKind.ACCESS: _l("Access"),
    ArcoKind.RECTIFICATION: _l("Rectification"),
    ArcoKind.CANCELLATION: _l("Cancellation"),
    ArcoKind.OPPOSITION: _l("Opposition"),
}


class ConsentForm(FlaskForm):
    """Give or withdraw one consent (the button says which)."""

    consent = HiddenField(validators=[AnyOf(list(CONSENT_FIELDS))])
    grant = HiddenField(validators=[AnyOf(["0", "1"])])


class ArcoRequestForm(FlaskForm):
    """File an access, rectification, cancellation or opposition request."""

    kind = RadioField(_l("What do you ask for?"), validators=[DataRequired(REQUIRED)])
    message = TextAreaField(
        _l("Your request"),
        validators=[DataRequired(REQUIRED), length(MAX_MESSAGE)],
        description=_l(
            "Say which data or which use it is about, and what you would like us to do."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Built per request so the labels follow the viewer's language.
        self.kind.choices = choices([(kind, ARCO_LABELS[kind]) for kind in ArcoKind.ALL])


class DeleteAccountForm(FlaskForm):
    """Confirm the deletion with the password and an explicit tick."""

    password = PasswordField(
        _l("Your password"), validators=[DataRequired(REQUIRED), Length(max=MAX_LENGTH)]
    )
    confirm = BooleanField(
        _l("I understand that my account and my data will be deleted and cannot be recovered."),
        validators=[DataRequired(_l("Tick the box to confirm."))],
    )
