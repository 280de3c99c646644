"""What a person did with a suggested match: saved it or said "not interested"."""

from __future__ import annotations
