"""Forms of the procurement pages: units, questions and answers, stages and outcomes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired

from .. import vocab
from ..forms_common import REQUIRED, choices, length
from ..orgs.forms import MARKDOWN_HELP, MultiCheckboxField, clean_text
from ..services.procurement import outcomes, questions, stages, units


class UnitForm(FlaskForm):
    """An innovation unit's name, mandate and contact point."""

    name = StringField(
        _l("Name of the unit"),
        validators=[DataRequired(REQUIRED), length(units.MAX_NAME)],
        filters=[clean_text],
        description=_l("For example: Emergent Technology Innovation Team, Ministry of Health."),
    )
    mandate = TextAreaField(
        _l("Mandate"),
        validators=[length(units.MAX_MANDATE)],
        filters=[clean_text],
        description=MARKDOWN_HELP,
    )
    contact = StringField(
        _l("Contact point"),
        validators=[length(units.MAX_CONTACT)],
        filters=[clean_text],
        description=_l("An e-mail address or a web address where the sector can reach the unit."),
    )


class InviteMemberForm(FlaskForm):
    """Invite one person found in the directory (the button next to their name)."""

    profile_id = HiddenField(validators=[DataRequired(REQUIRED)])


class AskForm(FlaskForm):
    """A question about a challenge."""

    question = TextAreaField(
        _l("Your question"),
        validators=[DataRequired(REQUIRED), length(questions.MAX_QUESTION)],
        filters=[clean_text],
        description=_l("Your name is not shown with the question."),
    )
    private = BooleanField(
        _l("Ask privately: only the organisation sees the question and its answer")
    )


class AnswerForm(FlaskForm):
    """The organisation's answer to one question."""

    answer = TextAreaField(
        _l("Answer"),
        validators=[DataRequired(REQUIRED), length(questions.MAX_ANSWER)],
        filters=[clean_text],
        description=MARKDOWN_HELP,
    )


class HideForm(FlaskForm):
    """Hide an abusive question, with an optional reason kept in the audit trail."""

    reason = StringField(
        _l("Why (optional)"), validators=[length(questions.MAX_REASON)], filters=[clean_text]
    )


class StageForm(FlaskForm):
    """Move a challenge to another stage, with a note for the timeline."""

    stage = SelectField(_l("New stage"), choices=lambda: choices(vocab.pairs("stages")))
    note = TextAreaField(
        _l("Note"),
        validators=[DataRequired(REQUIRED), length(stages.MAX_NOTE)],
        filters=[clean_text],
        description=_l("What happened and what comes next; it is shown on the timeline."),
    )


class OutcomeForm(FlaskForm):
    """Close a challenge with its outcome."""

    kind = SelectField(_l("Outcome"), choices=lambda: choices(vocab.pairs("outcome_kinds")))
    awardees = MultiCheckboxField(_l("Awarded to"), choices=[], validate_choice=False)
    note = TextAreaField(
        _l("Note"),
        validators=[length(outcomes.MAX_NOTE)],
        filters=[clean_text],
        description=_l("Shown with the outcome on the challenge page."),
    )
    story = SelectField(_l("Success story (optional)"), choices=[], validate_choice=False)
