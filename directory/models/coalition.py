"""The coalition: members, working groups, meetings, outputs, consultations and answers."""

from __future__ import annotations
