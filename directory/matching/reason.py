"""A reason for a match: a code and its parameters, translated by the web layer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Reason:
    """Why a match was made: a code ("skills_shared", "same_state", …) and its parameters."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)
    positive: bool = True
