"""SECURITY.md row 43 for digests: a run killed with SIGKILL half-way is run again and every
person ends with exactly one digest, nothing delivered twice and nobody left out."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select

from directory.extensions import db
from directory.models import AlertDelivery, Digest, DigestStatus, utcnow
from directory.services import alerts
from directory.services.digests import run as digests

from .. import factories as f

ROOT = Path(__file__).resolve().parents[2]
CHILD = textwrap.dedent(
    """
    import os, signal, sys
    from directory import create_app
    from directory.services.digests import run

    app = create_app({"TESTING": True, "SECRET_KEY": sys.argv[2], "PUBLIC_URL": "http://localhost",
                      "SQLALCHEMY_DATABASE_URI": sys.argv[1], "JOBS_BACKEND": "immediate"})

    def die(built):
        if built == 2:
            os.kill(os.getpid(), signal.SIGKILL)  # nothing after this runs, no cleanup

    with app.app_context():
        run.run_digests("weekly", after_each=die, batch=2)
    """
)


def test_a_digest_run_killed_with_sigkill_resumes_without_duplicates(app: Flask) -> None:
    with app.app_context():
        for n in range(5):
            saved = alerts.save_search(f.user(f"p{n}@example.org"), kind="directory",
                                       name="Hidrología", frequency="weekly",
                                       args={"q": "hidrología"})  # fmt: skip
            saved.created_at = utcnow() - timedelta(days=30)
        db.session.commit()
        f.opening(title="Hidrología satelital")
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    child = subprocess.run(
        [sys.executable, "-c", CHILD, uri, app.config["SECRET_KEY"]],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120,
        capture_output=True, text=True,
    )  # fmt: skip
    assert child.returncode == -signal.SIGKILL, child.stderr[-2000:]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Digest)) == 2
        # The rerun reaches the three the killed run never got to, and only them.
        assert digests.run_digests("weekly") == 3
        per_user = db.session.execute(
            select(Digest.user_id, func.count()).group_by(Digest.user_id)
        ).all()
        assert sorted(count for _user, count in per_user) == [1] * 5
        assert db.session.scalar(select(func.count()).select_from(AlertDelivery)) == 5
        statuses = set(db.session.scalars(select(Digest.status)))
        assert statuses == {DigestStatus.SENT}
