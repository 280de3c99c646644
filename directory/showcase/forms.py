"""Forms of the story submission and of the answers of the people and organisations named."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from ..forms_common import HttpUrl, choices, length, state_choices
from ..orgs.forms import MARKDOWN_HELP, clean_text, vocab_choices
from ..services.stories.references import MAX_NAMED
from ..services.stories.submission import LIMITS, MAX_IMPACT_LABEL, MAX_IMPACT_VALUE, MAX_URL


def _lines(value: Any) -> Any:
    """A text area of one entry per line, as a list of non-blank lines."""
    if not isinstance(value, str):
        return value
    return [line.strip() for line in clean_text(value).splitlines() if line.strip()]


class LinesField(TextAreaField):
    """One entry per line; its data is the list of lines, its value the lines joined."""

    def _value(self) -> str:
        return "\n".join(self.data) if isinstance(self.data, list) else str(self.data or "")

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = _lines(valuelist[0]) if valuelist else []


def _text(label: Any, limit: int, help_text: Any = None) -> StringField:
    return StringField(label, [Optional(), length(limit)], filters=[clean_text],
                       description=help_text)  # fmt: skip


def _area(label: Any, limit: int, help_text: Any = None) -> TextAreaField:
    return TextAreaField(label, [Optional(), length(limit)], filters=[clean_text],
                         description=help_text)  # fmt: skip


class StoryForm(FlaskForm):
    """A success story in Spanish, English or both, who took part, a figure and an image."""

    submitted_for = SelectField(
        _l("Send it as"),
        choices=[],
        validate_choice=False,  # the service checks the member edits the organisation
        description=_l("Sent for an organisation you edit, its team may change it too."),
    )
    title_es = _text(_l("Title in Spanish"), LIMITS["title"])
    summary_es = _area(
        _l("Summary in Spanish"),
        LIMITS["summary"],
        _l("Two or three sentences: what was deployed and what it changed."),
    )
    body_es = _area(_l("The story in Spanish"), LIMITS["body"], MARKDOWN_HELP)
    title_en = _text(_l("Title in English"), LIMITS["title"])
    summary_en = _area(_l("Summary in English"), LIMITS["summary"])
    body_en = _area(_l("The story in English"), LIMITS["body"], MARKDOWN_HELP)
    sector = SelectField(_l("Sector"), choices=vocab_choices("sectors", "—"), validate_choice=False)
    state_code = SelectField(_l("State"), choices=lambda: state_choices("—"), validate_choice=False)
    url = StringField(_l("Web page with more information"), [Optional(), length(MAX_URL),
                      HttpUrl()], filters=[clean_text])  # fmt: skip
    impact_value = _text(_l("Figure of impact"), MAX_IMPACT_VALUE,
                         _l("For example -30%, 1,200 or 3 days."))  # fmt: skip
    impact_label_es = _text(_l("What the figure measures, in Spanish"), MAX_IMPACT_LABEL)
    impact_label_en = _text(_l("What the figure measures, in English"), MAX_IMPACT_LABEL)
    organizations = LinesField(
        _l("Organisations involved"),
        description=_l(
            "One per line, at most %(max)d: its exact name in the directory or the address of "
            "its page (for example /organizations/a-name). Each one confirms before its name "
            "appears on the story.",
            max=MAX_NAMED,
        ),
    )
    people = LinesField(
        _l("People involved"),
        description=_l(
            "One per line, at most %(max)d: the address of their profile (for example "
            "/people/12). Each person confirms before their name appears on the story.",
            max=MAX_NAMED,
        ),
    )
    image = FileField(
        _l("Image"),
        description=_l(
            "A JPEG, PNG or WebP photo of what was deployed, up to %(mb)s MB. It is re-saved "
            "without its metadata (camera, place, date).",
            mb=5,
        ),
    )
    remove_image = BooleanField(_l("Remove the current image"))

    def set_org_choices(self, orgs: list[Any]) -> None:
        """Offer "myself" and each organisation the member edits."""
        self.submitted_for.choices = choices(
            [(str(org.id), str(_l("%(org)s (its team may edit it too)", org=org.name)))
             for org in orgs],
            _l("Myself"),
        )  # fmt: skip

    def data_for_service(self) -> dict[str, Any]:
        """The fields as the story services take them."""
        names = ("submitted_for", "title_es", "summary_es", "body_es", "title_en", "summary_en",
                 "body_en", "sector", "state_code", "url", "impact_value", "impact_label_es",
                 "impact_label_en", "organizations", "people")  # fmt: skip
        return {name: self[name].data for name in names if name in self}


class AnswerForm(FlaskForm):
    """Confirm or decline being named: the button carries only the CSRF token."""
