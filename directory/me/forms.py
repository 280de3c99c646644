"""Forms of the me blueprint; every one carries a CSRF token.

The profile form has no user, role or verification field: what it can change is exactly
what `services.profiles.ProfileInput` lists.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    Field,
    Form,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from .. import vocab
from ..forms_common import (
    REQUIRED,
    LinksField,
    NotInPast,
    SkillsField,
    choices,
    country_choices,
    length,
    state_choices,
)
from ..i18n import current_locale
from ..services.profiles import MAX_SKILLS, ProfileInput
from ..services.skills import split_terms


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes rather than a multiple select (easier to use on phones)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class NewDateNotInPast(NotInPast):
    """Refuse a past date unless it is the one already saved, so old profiles stay editable."""

    def __call__(self, form: Form, field: Field) -> None:
        if field.data != getattr(form, "saved_available_from", None):
            super().__call__(form, field)


class ProfileForm(FlaskForm):
    """Create or edit my profile."""

    full_name = StringField(_l("Full name"), validators=[DataRequired(REQUIRED), length(120)])
    headline = StringField(
        _l("Headline"),
        validators=[length(200)],
        description=_l("One line about what you do, e.g. “Computer vision engineer”."),
    )
    bio = TextAreaField(
        _l("About me"),
        validators=[length(10_000)],
        description=_l("You can use Markdown: **bold**, *italics*, lists and links."),
        render_kw={"rows": 8},
    )
    kind = SelectField(_l("I am mainly a…"), choices=choices(vocab.pairs("profile_kinds")))
    seniority = SelectField(_l("Seniority"), choices=choices(vocab.pairs("seniority")))
    skills = SkillsField(
        _l("Skills and AI areas"),
        validators=[length(3_000)],
        description=_l(
            "Type a skill and press Enter. Suggestions come from the directory's vocabulary; "
            "AI areas such as computer vision are shown apart. Up to 30."
        ),
    )
    languages = MultiCheckboxField(
        _l("Languages I work in"), choices=choices(vocab.pairs("languages"))
    )
    diaspora_status = SelectField(
        _l("Where I live"), choices=choices(vocab.pairs("diaspora_status"))
    )
    country_code = SelectField(_l("Country"), default="MX")
    state_code = SelectField(
        _l("State"),
        choices=state_choices(blank=_l("Choose a state")),
        description=_l("Required if you live in Mexico; ignored abroad."),
    )
    city = StringField(_l("City"), validators=[length(120)])
    open_to = MultiCheckboxField(_l("I am open to"), choices=choices(vocab.pairs("open_to")))
    available_from = DateField(
        _l("Available from"), validators=[Optional(), NewDateNotInPast()], format="%Y-%m-%d"
    )
    work_modes = MultiCheckboxField(
        _l("Ways of working I accept"),
        choices=choices(vocab.pairs("remote_policies")),
        description=_l("Leave all unticked if any suits you."),
    )
    relocate = SelectField(
        _l("Would you move for a job (to another state, or to Mexico from abroad)?"),
        choices=choices([("yes", _l("Yes")), ("no", _l("No"))], blank=_l("Not said")),
        default="",
    )
    degree = SelectField(
        _l("Highest degree"),
        choices=choices(vocab.pairs("degrees"), blank=_l("Not said")),
        default="",
    )
    needs_work_permit = BooleanField(
        _l("I would need a permit to work in Mexico (I am not a Mexican citizen or resident)")
    )
    links = LinksField(
        _l("Links"),
        description=_l("One per line, starting with https:// — up to 5."),
        render_kw={"rows": 3},
    )
    visibility = SelectField(
        _l("Who can see my profile"),
        choices=choices(vocab.pairs("visibility")),
        default="private",
    )
    contact_consent = BooleanField(
        _l("People may ask to contact me (my email is shown only to those I accept)")
    )
    matching_consent = BooleanField(
        _l("Suggest me for openings and challenges that match my profile")
    )

    def __init__(self, *args: Any, saved_available_from: date | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.country_code.choices = country_choices(current_locale())
        self.saved_available_from = saved_available_from

    def validate_state_code(self, field: Field) -> None:
        """Mexico needs a state; abroad the state is ignored."""
        if self.country_code.data == "MX" and not field.data:
            raise ValidationError(_l("Choose your state: it is required in Mexico."))

    def validate_skills(self, field: Field) -> None:
        """Refuse early what is plainly more than 30 skills (the service counts precisely)."""
        count = len(split_terms(field.data or ""))
        if count > MAX_SKILLS:
            raise ValidationError(
                _l(
                    "Add at most %(max)d skills; you added %(count)d.",
                    max=MAX_SKILLS,
                    count=count,
                )
            )

    def to_input(self) -> ProfileInput:
        """The whitelisted values for the service; nothing else from the request."""
        return ProfileInput(
            full_name=self.full_name.data or "",
            headline=self.headline.data or "",
            bio=self.bio.data or "",
            kind=self.kind.data or "",
            seniority=self.seniority.data or "",
            skills=self.skills.data or "",
            languages=list(self.languages.data or []),
            diaspora_status=self.diaspora_status.data or "",
            country_code=self.country_code.data or "",
            state_code=self.state_code.data or None,
            city=self.city.data or "",
            open_to=list(self.open_to.data or []),
            available_from=self.available_from.data,
            work_modes=list(self.work_modes.data or []),
            relocate={"yes": True, "no": False}.get(self.relocate.data or ""),
            degree=self.degree.data or None,
            needs_work_permit=bool(self.needs_work_permit.data),
            links=list(self.links.data or []),
            visibility=self.visibility.data or "private",
            contact_consent=bool(self.contact_consent.data),
            matching_consent=bool(self.matching_consent.data),
        )


class PublishForm(FlaskForm):
    """Publish my profile to members or to everyone."""

    visibility = SelectField(
        _l("Show my profile to"),
        choices=choices([(v, vocab.VISIBILITY[v]) for v in ("public", "members")]),
        default="public",
    )


class ActionForm(FlaskForm):
    """An empty form for a POST button (unpublish, confirm, accept, decline)."""


class ContactRequestForm(FlaskForm):
    """Ask to contact a person."""

    message = TextAreaField(
        _l("Your message"),
        validators=[DataRequired(REQUIRED), length(2_000)],
        description=_l("Say who you are and why you write. Your email is not shown yet."),
        render_kw={"rows": 6},
    )
