"""Forms for openings, challenges and answers to applications and proposals."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    Field,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, NumberRange, Optional, ValidationError

from .. import vocab
from ..forms_common import (
    REQUIRED,
    NotBelow,
    NotInPast,
    SkillsField,
    choices,
    length,
    state_choices,
)
from ..services.responses import MESSAGE_MAX
from .forms import MARKDOWN_HELP, SKILLS_HELP, AtLeastOne, MultiCheckboxField, clean_text
from .forms import vocab_choices as _vocab

# PostgreSQL integers stop at 2,147,483,647; refuse larger amounts instead of failing.
MAX_AMOUNT = 2_000_000_000


def _currencies() -> list[SelectChoice]:
    return [SelectChoice("MXN", "MXN"), SelectChoice("USD", "USD")]


def _amount(label: object, *extra: object) -> IntegerField:
    return IntegerField(
        label,
        validators=[
            Optional(),
            NumberRange(min=0, max=MAX_AMOUNT, message=_l("Enter a whole number of 0 or more.")),
            *extra,
        ],
    )


def _long_text(label: object, rows: int = 8, **kwargs: object) -> TextAreaField:
    # A browser's default textarea is two rows: too small for a problem statement.
    return TextAreaField(
        label,
        validators=[length(10_000)],
        filters=[clean_text],
        description=MARKDOWN_HELP,
        render_kw={"rows": rows},
        **kwargs,
    )


def _title() -> StringField:
    return StringField(
        _l("Title"), validators=[DataRequired(REQUIRED), length(200)], filters=[clean_text]
    )


def _skills() -> SkillsField:
    return SkillsField(
        _l("Skills"), validators=[length(2000)], filters=[clean_text], description=SKILLS_HELP
    )


def _closes_on() -> DateField:
    return DateField(
        _l("Closes on"),
        validators=[DataRequired(REQUIRED), NotInPast()],
        description=_l("After this date the post closes by itself."),
    )


class OpeningForm(FlaskForm):
    """A job, internship, fellowship or research position."""

    title = _title()
    description = _long_text(_l("Description"))
    kind = SelectField(_l("Kind of opening"), choices=_vocab("opening_kinds"))
    seniority = SelectField(_l("Seniority"), choices=_vocab("seniority"), default="mid")
    skills = _skills()
    remote_policy = SelectField(_l("Where the work happens"), choices=_vocab("remote_policies"))
    state_code = SelectField(_l("State"), choices=lambda: state_choices(_l("Choose a state")))
    city = StringField(_l("City"), validators=[length(120)], filters=[clean_text])
    relocation_support = BooleanField(_l("We help with relocation"))
    salary_min = _amount(_l("Monthly salary from"))
    salary_max = _amount(_l("Monthly salary up to"), NotBelow("salary_min"))
    salary_currency = SelectField(_l("Currency"), choices=_currencies)
    closes_on = _closes_on()
    # Hard requirements: people who do not meet one are not suggested as candidates.
    min_degree = SelectField(
        _l("Minimum degree (a requirement)"),
        choices=_vocab("degrees", _l("None required")),
        default="",
    )
    residence = SelectField(
        _l("Where candidates must live"), choices=_vocab("residence"), default="any"
    )
    required_languages = MultiCheckboxField(_l("Languages required"), choices=_vocab("languages"))
    sponsors_work_permit = BooleanField(
        _l("We sponsor the permit to work in Mexico for foreign candidates")
    )

    def validate_state_code(self, field: Field) -> None:
        """A state is needed unless the work is fully remote."""
        if not field.data and self.remote_policy.data != "remote":
            raise ValidationError(_l("Choose a state, or mark the opening as remote."))


class ChallengeForm(FlaskForm):
    """A problem an agency or company wants solved with AI."""

    title = _title()
    problem = _long_text(_l("The problem"))
    desired_outcome = _long_text(_l("The outcome you want"))
    data_available = _long_text(_l("Data available"), rows=5)
    sector = SelectField(_l("Sector"), choices=_vocab("sectors"))
    skills = _skills()
    stage = SelectField(_l("Stage"), choices=_vocab("stages"))
    eligibility = MultiCheckboxField(
        _l("Who may propose"), choices=_vocab("eligibility"), validators=[AtLeastOne()]
    )
    budget_min = _amount(_l("Budget from"))
    budget_max = _amount(_l("Budget up to"), NotBelow("budget_min"))
    budget_currency = SelectField(_l("Currency"), choices=_currencies)
    state_code = SelectField(_l("State"), choices=lambda: state_choices(_l("All of Mexico")))
    # Procurement (services/procurement/settings.py): the unit (choices set per
    # organisation by the view, which drops the field for organisations without units),
    # the clarification and proposal deadlines, and the risk question.
    unit = SelectField(_l("Posted by the unit"), choices=[], default="", validate_choice=False)
    clarification_deadline = DateField(
        _l("Clarification deadline"),
        validators=[Optional()],
        description=_l(
            "The last day members may ask questions. Leave it empty to take questions "
            "until the proposal deadline."
        ),
    )
    closes_on = DateField(
        _l("Proposal deadline"),
        validators=[DataRequired(REQUIRED), NotInPast()],
        description=_l("After this date no proposals are accepted and the challenge closes."),
    )
    decides_about_people = BooleanField(
        _l("The solution would take or support decisions about people"),
        description=_l("If so, you will be asked for a short risk self-assessment."),
    )

    def validate_clarification_deadline(self, field: Field) -> None:
        """Questions end on or before the proposal deadline."""
        if field.data and self.closes_on.data and field.data > self.closes_on.data:
            raise ValidationError(
                _l("The clarification deadline cannot be after the proposal deadline.")
            )


class ResponseForm(FlaskForm):
    """Move an application or proposal on, with a message the applicant reads."""

    status = SelectField(
        _l("New status"),
        choices=lambda: choices(
            [(s, label) for s, label in vocab.pairs("response_status") if s != "received"]
        ),
    )
    message = TextAreaField(
        _l("Message to the applicant (optional)"),
        validators=[length(MESSAGE_MAX)],
        filters=[clean_text],
    )
