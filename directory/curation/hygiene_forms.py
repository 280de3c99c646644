"""Forms of the data-hygiene pages: duplicates, free-text skills and CSV import."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Optional

from ..forms_common import REQUIRED, choices, length
from ..services.free_skills import CATEGORIES

CATEGORY_LABELS = {
    "area": _l("AI area"),
    "domain": _l("Application domain"),
    "practice": _l("Practice"),
    "technique": _l("Technique"),
    "tool": _l("Tool"),
}


class PairForm(FlaskForm):
    """Two records of one kind: "not duplicates"."""

    kind = HiddenField()
    left = HiddenField()
    right = HiddenField()


class MergeForm(FlaskForm):
    """Merge `drop` into `keep`."""

    kind = HiddenField()
    keep = HiddenField()
    drop = HiddenField()


class FoldForm(FlaskForm):
    """Fold a free-text term into a vocabulary skill."""

    key = HiddenField()
    # One skill: a plain field with the vocabulary as a datalist (no chips).
    skill = StringField(
        _l("Vocabulary skill"),
        validators=[DataRequired(REQUIRED), length(120)],
        render_kw={"list": "skills-vocabulary", "autocomplete": "off"},
        description=_l("Type the skill's name in Spanish or English and pick it from the list."),
    )


class AddSkillForm(FlaskForm):
    """Add a free-text term to the vocabulary with both labels."""

    key = HiddenField()
    label_es = StringField(_l("Spanish label"), validators=[DataRequired(REQUIRED), length(120)])
    label_en = StringField(_l("English label"), validators=[DataRequired(REQUIRED), length(120)])
    category = SelectField(
        _l("Category"),
        choices=lambda: choices([(c, CATEGORY_LABELS[c]) for c in CATEGORIES]),
        validators=[DataRequired(REQUIRED)],
    )
    slug = StringField(
        _l("Identifier (optional)"),
        validators=[Optional(), length(80)],
        description=_l("Lower-case letters, digits and hyphens; made from the English label."),
    )


class UploadForm(FlaskForm):
    """The CSV file to preview."""

    file = FileField(_l("CSV file"), validators=[FileRequired(REQUIRED)])


class ConfirmImportForm(FlaskForm):
    """The previewed file, signed, sent back to import it."""

    sealed = HiddenField()
