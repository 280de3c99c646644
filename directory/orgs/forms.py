"""Forms for organisations, members and claims; posts and answers live in post_forms.py."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    Field,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import DataRequired, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from .. import vocab
from ..forms_common import REQUIRED, HttpUrl, SkillsField, choices, length, state_choices

MARKDOWN_HELP = _l("You can use Markdown: **bold**, *italics*, lists and links.")
SKILLS_HELP = _l("Type a skill and pick it from the list; press Enter after each one.")
# Control characters (NUL above all: PostgreSQL refuses it) never belong in user text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: Any) -> Any:
    """Drop control characters and surrounding blanks from submitted text."""
    return _CONTROL.sub("", value).strip() if isinstance(value, str) else value


def vocab_choices(group: str, blank: Any = None) -> Any:
    """Choices of a vocabulary group, built per form so labels follow the viewer's language."""
    return lambda: choices(vocab.pairs(group), blank)


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes, one per choice."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AtLeastOne:
    """Require at least one ticked box (without the HTML `required` flag on the list)."""

    def __call__(self, form: FlaskForm, field: Field) -> None:
        if not field.data:
            raise ValidationError(_l("Choose at least one."))


class OrgForm(FlaskForm):
    """An organisation's public details."""

    name = StringField(
        _l("Name"), validators=[DataRequired(REQUIRED), length(200)], filters=[clean_text]
    )
    kind = SelectField(_l("Kind of organisation"), choices=vocab_choices("org_kinds"))
    description = TextAreaField(
        _l("Description"),
        validators=[length(10_000)],
        filters=[clean_text],
        description=MARKDOWN_HELP,
    )
    website = URLField(
        _l("Website"),
        validators=[length(300), HttpUrl()],
        filters=[clean_text],
        description=_l("A full address, for example https://example.mx"),
    )
    sectors = MultiCheckboxField(_l("Sectors"), choices=vocab_choices("sectors"))
    skills = SkillsField(
        _l("AI areas and skills"),
        validators=[length(2000)],
        filters=[clean_text],
        description=SKILLS_HELP,
    )
    state_code = SelectField(_l("State"), choices=lambda: state_choices(_l("Choose a state")))
    city = StringField(_l("City"), validators=[length(120)], filters=[clean_text])
    size = SelectField(_l("Size"), choices=vocab_choices("org_sizes", _l("Not said")))


class ClaimForm(FlaskForm):
    """Ask to manage an organisation already in the directory."""

    message = TextAreaField(
        _l("Why should you manage this organisation?"),
        validators=[DataRequired(REQUIRED), length(2000)],
        filters=[clean_text],
        description=_l("Say what your role is there; a curator will check it."),
    )


class InviteForm(FlaskForm):
    """Invite someone to edit the organisation."""

    email = EmailField(
        _l("Email of the person to invite"),
        validators=[DataRequired(REQUIRED), length(254)],
        filters=[clean_text],
    )


class ActionForm(FlaskForm):
    """A button that changes something: it carries only the CSRF token."""


class TransferForm(FlaskForm):
    """Hand the organisation to another member: who, and whether the owner stays one too."""

    member = SelectField(_l("New owner"), coerce=int)  # choices: the current members
    stay_owner = BooleanField(
        _l("Stay an owner as well"),
        description=_l(
            "Otherwise you become an editor: you keep editing, without managing members."
        ),
    )
    # Empty on the first submission (which shows the confirmation), "yes" on the second.
    confirmed = HiddenField()


class DeleteOrgForm(FlaskForm):
    """Delete an organisation: its name, typed again, is the confirmation."""

    name = StringField(
        _l("Type the organisation's name to confirm"),
        validators=[DataRequired(REQUIRED), length(200)],
        filters=[clean_text],
    )
