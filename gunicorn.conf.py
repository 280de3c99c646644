"""gunicorn settings for Directorio IA: `gunicorn -c gunicorn.conf.py wsgi:app`.

Every value can be changed through the environment (GUNICORN_*), so the same file serves a
2-core VM and a bigger one. Behind a reverse proxy, also set DIRECTORY_PROXY_COUNT (see the
README, "Deploying").

Preload or lazy loading: lazy (preload_app = False), on purpose.
- Loading torch in the master and forking afterwards is unsafe (its OpenMP thread pool does
  not survive fork) and the copy-on-write saving fades as reference counts touch the pages.
- So each worker loads the embedding models itself, after the fork: the post_worker_init
  hook below starts a background thread (directory/matching/warmup.py) that loads them,
  builds the worker's FAISS indexes from the database and saved snapshots, and answers one
  search, while the worker already serves pages that need no model.
- Each worker opens its own database connections and keeps its indexes in step with the
  database (a worker notices newer vectors with a cheap version check), so nothing needs
  to be created before the fork.
GET /healthz/ready answers 503 until every worker has warmed up (the workers record their
state in a directory the master makes in on_starting), then 200: load balancers and
deploy scripts wait on it, and no request waits 10-20 s for a model load. With
DIRECTORY_MATCHING_WARMUP=false the models load on each worker's first matching request
instead, and /healthz/ready answers 200 at once.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Each worker may hold the models (about 0.5-0.8 GB): two per core would exhaust memory
# before it used the CPU, so one worker per core, at least two.
workers = _int("GUNICORN_WORKERS", max(2, multiprocessing.cpu_count()))
# Threads let a worker serve cheap pages while another thread waits on the database or
# encodes a query; torch and FAISS release the GIL while they compute.
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 4)
# A request stuck longer is killed. Long enough for a model load too, when warm-up is off
# (the warm-up thread itself is not a request: the timeout does not apply to it).
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
preload_app = False
# Recycling a worker costs a model reload (and /healthz/ready answers 503 while the new
# worker warms up): off by default, set GUNICORN_MAX_REQUESTS to bound slow memory growth
# if it is ever seen.
max_requests = _int("GUNICORN_MAX_REQUESTS", 0)
max_requests_jitter = max(0, max_requests // 10)
# Requests are too large past this size anyway (the app answers 413 beyond 2 MB).
limit_request_line = 8190
limit_request_fields = 100
# X-Forwarded-For and -Proto: the app's ProxyFix (DIRECTORY_PROXY_COUNT) decides how many
# hops to trust; gunicorn keeps its default of trusting them only from 127.0.0.1.

# Logs: the app writes one JSON line per request (with its request id) to stderr, so
# gunicorn's own access log stays off and its error log uses the same JSON format.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
_JSON_TO_STDERR = {
    "class": "logging.StreamHandler",
    "formatter": "json",
    "stream": "ext://sys.stderr",
}
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "directory.request_log.JsonFormatter"}},
    "handlers": {"console": _JSON_TO_STDERR, "error_console": _JSON_TO_STDERR},
    # Libraries (SQLAlchemy, Flask-Limiter, ...) log through the root logger, as JSON too.
    "root": {"level": "WARNING", "handlers": ["console"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False},
        # Off: the app's own line per request has the request id and no query string.
        "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": False},
        # The app adds its own JSON handler (directory/request_log.py): no second copy.
        "directory": {"level": "INFO", "propagate": False},
    },
}

# Where each worker records its warm-up state (one file per worker pid), made by the master.
_warmup: dict[str, str] = {}


def on_starting(server: Any) -> None:
    """Make the private directory the workers record their warm-up in (master, once)."""
    _warmup["dir"] = tempfile.mkdtemp(prefix="directorio-warmup-")
    # Workers that drop privileges (gunicorn's `user`/`group`) must still write there.
    if (server.cfg.uid, server.cfg.gid) != (os.geteuid(), os.getegid()):
        os.chown(_warmup["dir"], server.cfg.uid, server.cfg.gid)


def post_worker_init(worker: Any) -> None:
    """After the fork: load the models and indexes in the background (warmup.py)."""
    import faulthandler

    # A crash in native code (torch, FAISS, OpenMP) leaves every thread's Python stack in
    # the error log instead of only gunicorn's "was sent SIGSEGV".
    faulthandler.enable(all_threads=True)
    # Imported here: the master never imports the app (nor, through it, torch).
    from flask import Flask

    from directory.matching import warmup

    app = worker.wsgi  # wsgi.py's `app`
    if not isinstance(app, Flask):
        worker.log.warning("matching warm-up skipped: the WSGI app is not the Flask app")
        return
    peers = warmup.Peers(Path(_warmup["dir"]), worker.cfg.workers) if _warmup else None
    warmup.start(app, peers)


def on_exit(server: Any) -> None:
    """Remove the warm-up directory."""
    if _warmup:
        shutil.rmtree(_warmup["dir"], ignore_errors=True)
