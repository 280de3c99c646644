"""Fields and validators shared by every blueprint's forms."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Field, Form, SelectChoice, StringField, TextAreaField
from wtforms.validators import Length, ValidationError

from . import geo
from .text import is_http_url

REQUIRED = _l("This field is required.")


def length(max_length: int) -> Length:
    """A maximum length with a translated message."""
    return Length(max=max_length, message=_l("Use at most %(max)d characters.", max=max_length))


class HttpUrl:
    """Accept only absolute http(s) URLs (no javascript:, data:, ftp:…)."""

    def __call__(self, form: Form, field: Field) -> None:
        value = (field.data or "").strip()
        if value and not is_http_url(value):
            raise ValidationError(_l("Enter a full web address starting with http:// or https://."))


class NotInPast:
    """Refuse dates before today."""

    def __call__(self, form: Form, field: Field) -> None:
        if field.data and field.data < date.today():
            raise ValidationError(_l("The date cannot be in the past."))


class NotBelow:
    """Refuse a maximum below the form's minimum field (salary, budget)."""

    def __init__(self, min_field: str) -> None:
        self.min_field = min_field

    def __call__(self, form: Form, field: Field) -> None:
        low = form[self.min_field].data
        if field.data is not None and low is not None and field.data < low:
            raise ValidationError(_l("The maximum cannot be lower than the minimum."))


class LinksField(TextAreaField):
    """One http(s) link per line; the data is a list of URLs."""

    max_links = 5

    def _value(self) -> str:
        return "\n".join(self.data or [])

    def process_formdata(self, valuelist: list[Any]) -> None:
        raw = valuelist[0] if valuelist else ""
        self.data = [line.strip() for line in str(raw).splitlines() if line.strip()]

    def pre_validate(self, form: Form) -> None:
        if len(self.data or []) > self.max_links:
            raise ValidationError(_l("Add at most %(n)d links.", n=self.max_links))
        for link in self.data or []:
            if len(link) > 300 or not is_http_url(link):
                raise ValidationError(
                    _l(
                        "“%(link)s” is not a web address starting with http:// or https://.",
                        link=link[:80],
                    )  # fmt: skip
                )


class SkillsField(StringField):
    """Comma-separated skills; the page enhances it with autocomplete (static/js/skills.js)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        render_kw = {"data-skills": "", "autocomplete": "off", **kwargs.pop("render_kw", {})}
        super().__init__(*args, render_kw=render_kw, **kwargs)


def choices(pairs: list[tuple[str, Any]], blank: Any = None) -> list[SelectChoice]:
    """Build select choices from (value, label) pairs, optionally after a blank one."""
    # Labels stay lazy: forms build their choices once, at import, and str() there would
    # freeze them in English; WTForms renders each label in the viewer's language.
    head = [SelectChoice("", blank)] if blank is not None else []
    return head + [SelectChoice(value, label) for value, label in pairs]


def state_choices(blank: Any = None) -> list[SelectChoice]:
    """Mexico's 32 states for a select, optionally after a blank choice."""
    return choices(list(geo.MEXICAN_STATES), blank)


def country_choices(locale: str) -> list[SelectChoice]:
    """Every country in the viewer's language, Mexico first."""
    countries = [pair for pair in geo.countries(locale) if pair[0] != "MX"]
    return choices([("MX", geo.country_name("MX", locale)), *countries])
