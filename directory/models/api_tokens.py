"""Personal API tokens (stored hashed) and the open-data export runs."""

from __future__ import annotations
