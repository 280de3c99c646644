"""The refusal every story service raises: a message for the form, and the field it is about."""

from __future__ import annotations

from flask_babel.speaklater import LazyString


class StoryError(ValueError):
    """Bad input or a forbidden step; nothing was changed. `field` names the form field."""

    def __init__(self, message: str | LazyString, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.field = field
