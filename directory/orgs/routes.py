"""Routes of the orgs blueprint."""

from . import bp  # noqa: F401
