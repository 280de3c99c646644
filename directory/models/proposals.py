"""Structured proposals: consortium members, the risk questionnaire and assessments."""

from __future__ import annotations
