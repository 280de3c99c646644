"""Forms of the proposals pages: the risk questionnaire (built from its data), a named
party's answer, and the curators' revision of the questionnaire."""

from __future__ import annotations

import copy
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, RadioField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, InputRequired, NumberRange

from .. import vocab
from ..forms_common import REQUIRED, length
from ..orgs.forms import clean_text
from ..services.procurement import risk
from ..services.procurement.risk import NOTE_MAX
from ..services.procurement.risk_schema import MAX_POINTS

# A questionnaire document is small; a bigger one is a mistake or an attack.
CONTENT_MAX = 100_000


class RiskForm(FlaskForm):
    """One radio group per question of the questionnaire in force."""

    def answers(self) -> dict[str, str]:
        """{question code: chosen option code} of what was sent."""
        return {name[2:]: str(f.data or "") for name, f in self._fields.items() if name[:2] == "q_"}

    def questions(self) -> list[Any]:
        """The question fields, in the questionnaire's order."""
        return [f for name, f in self._fields.items() if name[:2] == "q_"]


def risk_form(content: dict[str, Any], answers: dict[str, str] | None = None) -> RiskForm:
    """The risk questionnaire as a form, in the viewer's language, pre-filled if assessed."""

    class Form(RiskForm):
        pass

    for question in risk.questions(content):
        setattr(
            Form,
            f"q_{question['code']}",
            RadioField(
                risk.text(question, "text"),
                choices=[
                    SelectChoice(o["code"], risk.text(o, "label")) for o in question["options"]
                ],
                validators=[DataRequired(_l("Choose one answer."))],
                default=(answers or {}).get(question["code"]),
            ),
        )
    return Form()


class MemberAnswerForm(FlaskForm):
    """A named person's or organisation's answer: confirm or decline."""

    decision = HiddenField(validators=[AnyOf(("confirm", "decline"), _l("Not a valid choice."))])


class WithdrawForm(FlaskForm):
    """The proposer takes back a proposal (the button is the whole form)."""


class QuestionnaireForm(FlaskForm):
    """A curator's revision of the questionnaire as a JSON document, with a note."""

    content = TextAreaField(
        _l("Questionnaire (JSON)"),
        validators=[DataRequired(REQUIRED), length(CONTENT_MAX)],
        render_kw={"rows": 30, "spellcheck": "false"},
        description=_l(
            "Questions with their options and points, the points from which each level "
            "starts, and the safeguards with the level from which each is required, in "
            "Spanish and English. Saving adds a new version; assessments keep the version "
            "they answered."
        ),
    )
    note = TextAreaField(
        _l("What changed and why"),
        validators=[DataRequired(REQUIRED), length(NOTE_MAX)],
        filters=[clean_text],
    )


class WeightsForm(FlaskForm):
    """A curator's revision of the numbers: each option's points, where each level starts
    and from which level each safeguard is required (the texts stay as they are)."""

    note = TextAreaField(
        _l("What changed and why"),
        validators=[DataRequired(REQUIRED), length(NOTE_MAX)],
        filters=[clean_text],
    )

    def revised(self, content: dict[str, Any]) -> dict[str, Any]:
        """A copy of the questionnaire with the numbers sent."""
        out = copy.deepcopy(content)
        for question in out.get("questions") or []:
            for option in question.get("options") or []:
                option["points"] = self[f"p_{question['code']}_{option['code']}"].data
        for level in out.get("levels") or []:
            level["min_points"] = self[f"l_{level['code']}"].data
        for safeguard in out.get("safeguards") or []:
            safeguard["from_level"] = self[f"s_{safeguard['code']}"].data
        return out


def weights_form(content: dict[str, Any]) -> WeightsForm:
    """The numbers of the questionnaire in force as a form, pre-filled."""

    class Form(WeightsForm):
        pass

    points = [InputRequired(REQUIRED), NumberRange(0, MAX_POINTS)]
    for question in risk.questions(content):
        for option in question["options"]:
            name = f"p_{question['code']}_{option['code']}"
            label = risk.text(option, "label")
            setattr(Form, name, IntegerField(label, validators=points, default=option["points"]))
    for level in content.get("levels") or []:
        label = _l("%(level)s starts at (points)", level=vocab.label("risk_levels", level["code"]))
        field = IntegerField(label, validators=[InputRequired(REQUIRED), NumberRange(0, 1000)],
                             default=level["min_points"])  # fmt: skip
        setattr(Form, f"l_{level['code']}", field)
    levels = [SelectChoice(code, str(name)) for code, name in vocab.RISK_LEVELS.items()]
    for safeguard in content.get("safeguards") or []:
        field = SelectField(risk.text(safeguard, "label"), choices=levels,
                            default=safeguard.get("from_level"))  # fmt: skip
        setattr(Form, f"s_{safeguard['code']}", field)
    return Form(prefix="w")
