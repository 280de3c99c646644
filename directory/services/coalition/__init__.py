"""The coalition: membership of organisations, working groups and consultations.

- membership.py: an owner asks to join, a curator approves (with a tier) or declines,
  changes the tier or ends the membership; figures.py counts members over time;
- groups.py, group_members.py, activity.py: working groups, who is in them, their
  meetings and documents;
- consultations.py, answers.py, results.py: consultations, members' answers and the
  results that may be shown (never from fewer than five answers);
- announce.py: the background job that tells many people of one event, once each;
- records.py: the records notifications can be about; privacy.py: ARCO access and deletion.
"""

from __future__ import annotations

from . import records  # noqa: F401  (registers the notification records)
