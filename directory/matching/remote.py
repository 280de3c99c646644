"""The web workers' side of the embedding service (embed_service.py): an Embedder that asks.

Each thread keeps one connection to the service's Unix socket and opens a new one when
the old one fails (the service restarted, or closed an idle connection); a request is
retried once on a fresh connection, never more. Connecting has a short timeout: a service
that is down makes `EmbedderUnavailable` at once, and the matching layer then answers
from its other scorers (service.py) instead of failing the request.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from . import embed_protocol as wire
from .embedder import EmbedderUnavailable

if TYPE_CHECKING:
    import numpy as np

CONNECT_SECONDS = 0.5
# A question waits this long for its vectors: enough for a model load on a service that
# has just restarted (as a worker's first question used to wait), not for ever.
ANSWER_SECONDS = 30.0


def _connect(path: str, timeout: float) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect(path)
    except OSError:
        sock.close()
        raise
    return sock


def ping(path: str, timeout: float = CONNECT_SECONDS) -> dict[str, Any] | None:
    """The service's status (models, dims, loaded, ready), or None if it does not answer."""
    try:
        with _connect(path, timeout) as sock:
            wire.send_frame(sock, wire.PING)
            answer = wire.recv_frame(sock, wire.MAX_ANSWER)
    except (OSError, EOFError, wire.ProtocolError):
        return None
    if not answer or wire.answer_error(answer) is not None:
        return None
    try:
        status = json.loads(answer[1:])
    except ValueError:
        return None
    return status if isinstance(status, dict) else None


class RemoteEmbedder:
    """Embeds through the embedding service; same vectors as the in-process embedder."""

    def __init__(self, model: str, socket_path: str, timeout: float = ANSWER_SECONDS) -> None:
        self.model_name = model
        self.socket_path = socket_path
        self.timeout = timeout
        self._dim: int | None = None
        self._local = threading.local()
        self._open: set[socket.socket] = set()  # every thread's connection, for close()
        self._open_lock = threading.Lock()

    @property
    def dim(self) -> int:
        """Vector size, as the service reports it (asked once)."""
        if self._dim is None:
            status = ping(self.socket_path)
            dim = (status or {}).get("models", {}).get(self.model_name)
            if not isinstance(dim, int):
                # Not loaded yet over there (or down): one short embed makes it known.
                dim = int(self.embed_query("dim").shape[0])
            self._dim = dim
        return self._dim

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts in requests of bounded size; shape (len(texts), dim)."""
        import numpy as np

        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        parts = [self._ask(batch, query=False) for batch in _batches(texts)]
        return np.ascontiguousarray(np.vstack(parts))

    def embed_query(self, text: str) -> np.ndarray:
        """Embed one query."""
        vector = self._ask([text], query=True)[0]
        if self._dim is None:
            self._dim = int(vector.shape[0])
        return vector

    def _ask(self, texts: Sequence[str], query: bool) -> np.ndarray:
        request = wire.embed_request(self.model_name, texts, query)
        for attempt in (1, 2):
            sock = getattr(self._local, "sock", None)
            fresh = sock is None
            try:
                if sock is None:
                    sock = self._local.sock = _connect(self.socket_path, CONNECT_SECONDS)
                    with self._open_lock:
                        self._open.add(sock)
                sock.settimeout(self.timeout)
                wire.send_frame(sock, request)
                answer = wire.recv_frame(sock, wire.MAX_ANSWER)
                if answer is None:
                    raise EOFError("the service closed the connection")
            except (OSError, EOFError, wire.ProtocolError) as exc:
                self._drop()
                # A kept connection may have gone stale (restart, idle close): one retry
                # on a new one. A new connection that fails means the service is down.
                if fresh or attempt == 2 or isinstance(exc, TimeoutError):
                    raise EmbedderUnavailable(f"{self.socket_path}: {exc}") from exc
                continue
            error = wire.answer_error(answer)
            if error is not None:
                raise EmbedderUnavailable(f"the embedding service refused: {error}")
            try:
                return wire.parse_vectors(answer, len(texts))
            except wire.ProtocolError as exc:
                self._drop()
                raise EmbedderUnavailable(str(exc)) from exc
        raise AssertionError("unreachable")

    def _drop(self) -> None:
        sock = getattr(self._local, "sock", None)
        self._local.sock = None
        if sock is not None:
            with self._open_lock:
                self._open.discard(sock)
            sock.close()

    def close(self) -> None:
        """Close every thread's connection (each reconnects on its next request)."""
        with self._open_lock:
            sockets, self._open = self._open, set()
        for sock in sockets:
            sock.close()

    def __del__(self) -> None:
        self.close()


def _batches(texts: Sequence[str]) -> list[Sequence[str]]:
    """Consecutive slices of at most CLIENT_BATCH_TEXTS texts and about CLIENT_BATCH_BYTES."""
    out: list[Sequence[str]] = []
    start, size = 0, 0
    for i, text in enumerate(texts):
        size += len(text) * 4  # UTF-8's worst case, without encoding twice
        if i > start and (i - start >= wire.CLIENT_BATCH_TEXTS or size > wire.CLIENT_BATCH_BYTES):
            out.append(texts[start:i])
            start, size = i, len(text) * 4
    out.append(texts[start:])
    return out
