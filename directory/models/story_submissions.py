"""Stories submitted by members: who is named and whether they confirmed."""

from __future__ import annotations
