"""Forms of the trust pages: curators and the audit log's filters."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, Field, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, NumberRange, Optional, ValidationError

from ..forms_common import REQUIRED, length
from ..orgs.forms import clean_text
from ..services.audit_log import AuditFilters

# Beyond these years a date is a typo, and the far ends of the calendar overflow.
FIRST_YEAR, LAST_YEAR = 2000, 2100


class ButtonForm(FlaskForm):
    """A button that changes something: it carries only the CSRF token."""


class GrantCuratorForm(FlaskForm):
    """Give the curator role to an existing account."""

    email = EmailField(
        _l("Email of the account"),
        validators=[DataRequired(REQUIRED), length(254)],
        filters=[clean_text],
        description=_l("The person must already have an account in the directory."),
    )


class Plausible:
    """Refuse dates outside FIRST_YEAR..LAST_YEAR."""

    def __call__(self, form: FlaskForm, field: Field) -> None:
        if field.data and not FIRST_YEAR <= field.data.year <= LAST_YEAR:
            raise ValidationError(
                _l("Enter a date between %(first)d and %(last)d.", first=FIRST_YEAR,
                   last=LAST_YEAR)
            )  # fmt: skip


class AuditFilterForm(FlaskForm):
    """The audit log's filters, read from the query string (a GET form: no CSRF)."""

    class Meta:
        csrf = False

    actor = StringField(
        _l("Actor's email"), validators=[Optional(), length(254)], filters=[clean_text]
    )
    action = StringField(_l("Action"), validators=[Optional(), length(60)], filters=[clean_text])
    target_kind = SelectField(_l("Kind of record"), validators=[Optional()], validate_choice=True)
    target_id = IntegerField(
        _l("Record number"),
        validators=[
            Optional(),
            NumberRange(min=1, max=2**31 - 1, message=_l("Enter a whole number of 1 or more.")),
        ],
    )
    date_from = DateField(_l("From"), validators=[Optional(), Plausible()])
    date_to = DateField(_l("To"), validators=[Optional(), Plausible()])

    def validate_date_to(self, field: Field) -> None:
        """The end of the range cannot come before its start."""
        start: date | None = self.date_from.data
        if field.data and start and field.data < start:
            raise ValidationError(_l("The end date cannot be before the start date."))

    def filters(self) -> AuditFilters:
        """The validated values as service filters."""
        return AuditFilters(
            actor=self.actor.data or "",
            action=self.action.data or "",
            target_kind=self.target_kind.data or "",
            target_id=self.target_id.data,
            date_from=self.date_from.data,
            date_to=self.date_to.data,
        )

    def params(self) -> dict[str, Any]:
        """The non-empty, validated filters as query-string arguments (paging, export)."""
        values = {
            "actor": self.actor.data,
            "action": self.action.data,
            "target_kind": self.target_kind.data,
            "target_id": self.target_id.data,
            "date_from": self.date_from.data.isoformat() if self.date_from.data else None,
            "date_to": self.date_to.data.isoformat() if self.date_to.data else None,
        }
        return {name: value for name, value in values.items() if value}
