"""When digests run (UTC): instant every ten minutes, daily at 13:00 (07:00 in Mexico City),
weekly on Mondays at 13:00. Each runs once per slot whatever the number of workers."""

from __future__ import annotations

from huey import crontab

from ...jobs.schedule import periodic
from . import send  # noqa: F401  (the worker must know send_digest)
from .run import run_digests


@periodic(crontab(minute="*/10"), retries=2, retry_delay=60)
def instant_digests() -> int:
    """Digests of searches and alerts set to "instant"."""
    return run_digests("instant")


@periodic(crontab(minute="0", hour="13"), retries=3, retry_delay=300)
def daily_digests() -> int:
    """The daily digests."""
    return run_digests("daily")


@periodic(crontab(minute="0", hour="13", day_of_week="1"), retries=3, retry_delay=300)
def weekly_digests() -> int:
    """The weekly digests."""
    return run_digests("weekly")
