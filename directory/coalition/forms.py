"""Forms of the coalition pages: membership, working groups, meetings, consultations."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DateTimeLocalField,
    EmailField,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import DataRequired, Optional

from .. import vocab
from ..forms_common import REQUIRED, HttpUrl, choices, length
from ..orgs.forms import MARKDOWN_HELP, clean_text
from ..services.coalition import activity, consultations, groups
from ..services.coalition.common import MAX_MESSAGE, MAX_NOTE
from ..services.coalition.membership import REQUESTABLE_TIERS


def _tiers(only: tuple[str, ...] | None = None) -> list:
    pairs = [(code, label) for code, label in vocab.pairs("coalition_tiers")
             if only is None or code in only]  # fmt: skip
    return choices(pairs)


class JoinCoalitionForm(FlaskForm):
    """An owner asks for the organisation to join the coalition."""

    tier = SelectField(_l("How the organisation wants to take part"),
                       choices=lambda: _tiers(REQUESTABLE_TIERS))  # fmt: skip
    message = TextAreaField(
        _l("Message to the curators (optional)"),
        validators=[length(MAX_MESSAGE)],
        filters=[clean_text],
        description=_l("What the organisation does in AI and what it brings to the coalition."),
    )


class ApproveForm(FlaskForm):
    """A curator approves a request in a tier, with an optional note."""

    tier = SelectField(_l("Tier"), choices=lambda: _tiers())
    note = StringField(_l("Note (optional)"), validators=[length(MAX_NOTE)], filters=[clean_text])


class ReasonForm(FlaskForm):
    """A curator declines a request or ends a membership: the owners read the reason."""

    note = StringField(
        _l("Reason (the owners read it)"),
        validators=[DataRequired(REQUIRED), length(MAX_NOTE)],
        filters=[clean_text],
    )


class TierForm(FlaskForm):
    """A curator moves a member to another tier."""

    tier = SelectField(_l("Tier"), choices=lambda: _tiers())


class GroupForm(FlaskForm):
    """A working group's bilingual name and description, and its status."""

    name_es = StringField(_l("Name in Spanish"), validators=[DataRequired(REQUIRED),
                          length(groups.MAX_NAME)], filters=[clean_text])  # fmt: skip
    name_en = StringField(_l("Name in English"), validators=[DataRequired(REQUIRED),
                          length(groups.MAX_NAME)], filters=[clean_text])  # fmt: skip
    description_es = TextAreaField(_l("Description in Spanish"), description=MARKDOWN_HELP,
                                   validators=[length(groups.MAX_DESCRIPTION)],
                                   filters=[clean_text])  # fmt: skip
    description_en = TextAreaField(_l("Description in English"), description=MARKDOWN_HELP,
                                   validators=[length(groups.MAX_DESCRIPTION)],
                                   filters=[clean_text])  # fmt: skip
    status = SelectField(_l("Status"), choices=lambda: choices(vocab.pairs("group_status")),
                         description=_l("A draft is seen by curators only; an archived group "
                                        "stays readable but takes no new members."))  # fmt: skip


class CoordinatorForm(FlaskForm):
    """Name a coordinator by the e-mail address of their account."""

    email = EmailField(_l("E-mail address of the person's account"),
                       validators=[DataRequired(REQUIRED), length(254)],
                       filters=[clean_text])  # fmt: skip


class JoinGroupForm(FlaskForm):
    """Ask to join a working group, as oneself or for an organisation one owns."""

    join_as = SelectField(_l("Who asks to join"), choices=[], validate_choice=False)
    message = TextAreaField(
        _l("Message to the coordinators (optional)"),
        validators=[length(MAX_MESSAGE)],
        filters=[clean_text],
    )


class MeetingForm(FlaskForm):
    """A meeting of the group."""

    starts_at = DateTimeLocalField(
        _l("Date and time"),
        validators=[DataRequired(REQUIRED)],
        description=_l("Mexico City time."),
    )
    place = StringField(_l("Place"), validators=[length(activity.MAX_PLACE)],
                        filters=[clean_text])  # fmt: skip
    link = URLField(_l("Link to join online"), validators=[length(300), HttpUrl()],
                    filters=[clean_text])  # fmt: skip
    agenda = TextAreaField(_l("Agenda"), validators=[length(activity.MAX_AGENDA)],
                           filters=[clean_text], description=MARKDOWN_HELP)  # fmt: skip


class OutputForm(FlaskForm):
    """A document the group published."""

    title = StringField(_l("Title"), validators=[DataRequired(REQUIRED),
                        length(activity.MAX_TITLE)], filters=[clean_text])  # fmt: skip
    url = URLField(_l("Link"), validators=[DataRequired(REQUIRED), length(300), HttpUrl()],
                   filters=[clean_text])  # fmt: skip
    published_on = DateField(_l("Date"), validators=[DataRequired(REQUIRED)])


class ConsultationForm(FlaskForm):
    """A consultation's bilingual title and context, and its dates."""

    title_es = StringField(_l("Title in Spanish"), validators=[DataRequired(REQUIRED),
                           length(consultations.MAX_TITLE)], filters=[clean_text])  # fmt: skip
    title_en = StringField(_l("Title in English"), validators=[DataRequired(REQUIRED),
                           length(consultations.MAX_TITLE)], filters=[clean_text])  # fmt: skip
    context_es = TextAreaField(_l("Context in Spanish"), description=MARKDOWN_HELP,
                               validators=[DataRequired(REQUIRED),
                                           length(consultations.MAX_CONTEXT)],
                               filters=[clean_text])  # fmt: skip
    context_en = TextAreaField(_l("Context in English"), description=MARKDOWN_HELP,
                               validators=[DataRequired(REQUIRED),
                                           length(consultations.MAX_CONTEXT)],
                               filters=[clean_text])  # fmt: skip
    opens_on = DateField(_l("Opens on"), validators=[DataRequired(REQUIRED)])
    closes_on = DateField(
        _l("Closes on"),
        validators=[DataRequired(REQUIRED)],
        description=_l("Members can answer until the end of this day."),
    )


class QuestionForm(FlaskForm):
    """A question of a consultation, with its options for the choice kinds."""

    kind = SelectField(_l("Kind of question"), choices=lambda: choices(
        vocab.pairs("question_kinds")))  # fmt: skip
    text_es = TextAreaField(_l("Question in Spanish"), validators=[DataRequired(REQUIRED),
                            length(consultations.MAX_QUESTION)], filters=[clean_text])  # fmt: skip
    text_en = TextAreaField(_l("Question in English"), validators=[DataRequired(REQUIRED),
                            length(consultations.MAX_QUESTION)], filters=[clean_text])  # fmt: skip
    options_es = TextAreaField(_l("Options in Spanish"), validators=[Optional(), length(5000)],
                               filters=[clean_text],
                               description=_l("For single and multiple choice: one option per "
                                              "line."))  # fmt: skip
    options_en = TextAreaField(_l("Options in English"), validators=[Optional(), length(5000)],
                               filters=[clean_text],
                               description=_l("The same options, in the same order."))  # fmt: skip


class AnswerForm(FlaskForm):
    """The answers: the fields are the questions' own (services/coalition/answers.py)."""
