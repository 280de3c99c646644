"""Forms of the public blueprint: apply, propose and report (each with a CSRF token)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired

from .. import vocab
from ..forms_common import REQUIRED, choices, length
from ..services.engagement import MAX_MESSAGE, MAX_REPORT_MESSAGE


class ApplyForm(FlaskForm):
    """A message to the organisation that posted the opening."""

    message = TextAreaField(
        _l("Your message"),
        validators=[DataRequired(REQUIRED), length(MAX_MESSAGE)],
        description=_l("Say why the opening fits you; the organisation also sees your profile."),
    )


class ProposeForm(FlaskForm):
    """A proposal, personally or on behalf of one of my organisations."""

    organization = SelectField(_l("On behalf of"), default="")
    message = TextAreaField(
        _l("Your proposal"),
        validators=[DataRequired(REQUIRED), length(MAX_MESSAGE)],
        description=_l("How would you approach the problem, with whom and in what time?"),
    )


class ReportForm(FlaskForm):
    """Why a record should be looked at by the curators."""

    reason = SelectField(_l("Reason"), validators=[DataRequired(REQUIRED)])
    message = TextAreaField(
        _l("What is wrong? (optional)"), validators=[length(MAX_REPORT_MESSAGE)]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Labels are translated per request, so the choices are built here, not at import.
        self.reason.choices = choices(vocab.pairs("report_reasons"))
