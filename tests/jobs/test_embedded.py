"""`make run`: the development server consumes its SQLite queue from a thread."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from directory.mail import send_mail

from .conftest import wait_for


def test_the_development_server_runs_its_own_jobs(make_app, tmp_path: Path) -> None:
    app: Flask = make_app(JOBS_BACKEND="sqlite", JOBS_SQLITE_PATH=str(tmp_path / "jobs.sqlite3"),
                          JOBS_EMBEDDED_WORKER=True)  # fmt: skip
    queue = app.extensions["jobs"]
    with app.app_context():
        send_mail("ana@example.org", "Hola", "Cuerpo")  # queued before the server starts
    assert queue.pending_count() == 1 and "jobs_embedded" not in app.extensions
    try:
        assert app.test_client().get("/").status_code == 200
        wait_for(lambda: queue.pending_count() == 0 and queue.storage.leased() == 0,
                 timeout=10, what="the embedded worker")  # fmt: skip
    finally:
        consumer = app.extensions.get("jobs_embedded")
        if consumer is not None:
            consumer.stop_flag.set()
            for _worker, thread in consumer.worker_threads:
                thread.join(timeout=5)
            consumer.scheduler.join(timeout=5)
