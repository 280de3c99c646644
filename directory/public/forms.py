"""Forms of the public blueprint: apply, propose and report (each with a CSRF token)."""

from __future__ import annotations

from typing import Any

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, NumberRange

from .. import vocab
from ..forms_common import REQUIRED, LinksField, choices, length
from ..orgs.forms import MARKDOWN_HELP, clean_text
from ..services.engagement import MAX_MESSAGE, MAX_REPORT_MESSAGE
from ..services.procurement import proposals, risk


class ApplyForm(FlaskForm):
    """A message to the organisation that posted the opening."""

    message = TextAreaField(
        _l("Your message"),
        validators=[DataRequired(REQUIRED), length(MAX_MESSAGE)],
        description=_l("Say why the opening fits you; the organisation also sees your profile."),
    )


APPROACH_HELP = _l("How would you approach the problem, with what method and what result?")


class ProposeForm(FlaskForm):
    """A structured proposal, personally, for one of my organisations or as a consortium."""

    organization = SelectField(_l("On behalf of"), default="")
    consortium = BooleanField(_l("Send it as a consortium"))
    partners = TextAreaField(
        _l("Consortium partners"),
        validators=[length(2000)],
        filters=[clean_text],
        description=_l(
            "One directory address per line, such as /people/12 or /organizations/a-name. "
            "Each partner confirms before the organisation sees their name."
        ),
    )
    message = TextAreaField(
        _l("Approach summary"),
        validators=[DataRequired(REQUIRED), length(MAX_MESSAGE)],
        filters=[clean_text],
        # Joined when rendered: `+` on a lazy string would freeze it in English at import.
        description=LazyString(lambda: f"{APPROACH_HELP} {MARKDOWN_HELP}"),
    )
    team = TextAreaField(
        _l("Team (optional)"),
        validators=[length(2000)],
        filters=[clean_text],
        description=_l(
            "People and organisations of the directory who would work on it, one address per "
            "line. Each confirms before the organisation sees their name."
        ),
    )
    budget_amount = IntegerField(
        _l("Budget"),
        validators=[
            InputRequired(REQUIRED),
            NumberRange(0, proposals.MAX_BUDGET, _l("Enter a whole number of 0 or more.")),
        ],
    )
    budget_currency = SelectField(
        _l("Currency"), choices=[SelectChoice("MXN", "MXN"), SelectChoice("USD", "USD")]
    )
    timeline_weeks = IntegerField(
        _l("Timeline in weeks"),
        validators=[
            InputRequired(REQUIRED),
            NumberRange(
                1,
                proposals.MAX_WEEKS,
                _l("Enter a number of weeks from 1 to %(max)d.", max=proposals.MAX_WEEKS),
            ),
        ],
    )
    links = LinksField(
        _l("Links (optional)"),
        description=_l("Up to five web addresses (http or https), one per line: a demo, a "
                       "paper, a repository."),
    )  # fmt: skip

    def safeguard_fields(self) -> list[Any]:
        """The answers to the safeguards, in the questionnaire's order."""
        return [field for name, field in self._fields.items() if name.startswith("sg_")]


def propose_form(safeguards: list[dict[str, Any]]) -> ProposeForm:
    """The proposal form with one required answer per safeguard the challenge calls for."""

    class Form(ProposeForm):
        pass

    for safeguard in safeguards:
        setattr(
            Form,
            f"sg_{safeguard['code']}",
            TextAreaField(
                risk.text(safeguard, "label"),
                validators=[DataRequired(REQUIRED), length(proposals.MAX_SAFEGUARD)],
                filters=[clean_text],
                description=risk.text(safeguard, "prompt"),
            ),
        )
    return Form()


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
