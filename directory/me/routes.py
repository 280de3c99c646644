"""Routes of the me blueprint."""

from . import bp  # noqa: F401
