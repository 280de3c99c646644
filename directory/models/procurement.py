"""Procurement: innovation units, questions and answers, followers, stages and outcomes."""

from __future__ import annotations
