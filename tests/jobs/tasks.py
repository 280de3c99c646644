"""Jobs the queue tests run, in this process and in worker subprocesses (JOBS_IMPORTS).

``record_effect`` is idempotent the way a real delivery is (SECURITY.md row 43): a row with
a unique key in the database guards its effect, and the effect (a line in a file) happens
only for the run that inserted the row, in the same breath as its commit.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from huey import crontab
from sqlalchemy import Column, MetaData, String, Table, insert, select
from sqlalchemy.exc import IntegrityError

from directory.extensions import db
from directory.jobs import job
from directory.jobs.schedule import periodic

EFFECTS = Table("job_test_effects", MetaData(), Column("key", String(100), primary_key=True))


def _append(path: str, line: str) -> None:
    with Path(path).open("a") as out:
        out.write(line + "\n")
        out.flush()
        os.fsync(out.fileno())


@job(retries=2, retry_delay=1)
def record_effect(key: str, log: str, pause_before: float = 0.0, pause_after: float = 0.0) -> None:
    """Note the run, then do the effect once per key (guarded by a unique row).

    Only the first run pauses (where a test kills its worker); a re-run goes straight on.
    """
    first = f"started {key} " not in (Path(log).read_text() if Path(log).exists() else "")
    _append(log, f"started {key} {os.getpid()}")
    if not first:
        pause_before = pause_after = 0.0
    time.sleep(pause_before)
    if db.session.scalar(select(EFFECTS.c.key).where(EFFECTS.c.key == key)) is None:
        try:
            db.session.execute(insert(EFFECTS).values(key=key))
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
        else:
            _append(log, f"effect {key}")
    time.sleep(pause_after)


@job(retries=1, retry_delay=0)
def always_fails(note: str) -> None:
    """A job that raises every time."""
    raise RuntimeError(f"failing on purpose: {note}")


@periodic(crontab())  # every minute
def tick() -> None:
    """Note that the periodic job ran (the file comes from JOBS_TEST_TICKS)."""
    path = os.environ.get("JOBS_TEST_TICKS")
    if path:
        _append(path, f"tick {os.getpid()}")
