"""Success stories that anyone can submit: writing them (submission.py), naming the people
and organisations involved with their consent (naming.py), and the refusal both raise."""

from __future__ import annotations

from . import naming, submission
from .errors import StoryError

__all__ = ["StoryError", "naming", "submission"]
