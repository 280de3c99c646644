"""The embedding service's wire format: length-prefixed binary frames on a Unix socket.

A frame is a 4-byte big-endian length, then that many bytes. A request's first byte is
its operation:

- ``P`` ping. The answer: ``O`` then a JSON object (the models, whether they are loaded).
- ``E`` embed: a mode byte (``D`` documents, ``Q`` one query), a byte for the model
  name's length, the name (UTF-8), a 4-byte text count, then each text as a 4-byte length
  and UTF-8 bytes. The answer: ``O``, rows and dimension (4 bytes each), then the
  vectors as little-endian float32, row after row.

Any failure answers ``X`` and a UTF-8 message. Everything the service reads is bounded
(MAX_REQUEST, MAX_TEXTS): a frame that claims more is refused before it is read.
"""

from __future__ import annotations

import json
import socket
import struct
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

LENGTH = struct.Struct("!I")
COUNTS = struct.Struct("!II")
PING, EMBED = b"P", b"E"
DOCUMENTS, QUERY = b"D", b"Q"
OK, ERROR = b"O", b"X"
# A request holds at most a batch of texts: the app refuses bodies over 2 MB, and the
# client splits anything larger (CLIENT_BATCH_BYTES) into several requests.
MAX_REQUEST = 16 * 1024 * 1024
MAX_TEXTS = 512
CLIENT_BATCH_TEXTS = 64
CLIENT_BATCH_BYTES = 4 * 1024 * 1024
# Answers are vectors: a batch of MAX_TEXTS rows of a large model stays far below this.
MAX_ANSWER = 64 * 1024 * 1024


class ProtocolError(Exception):
    """A frame that breaks the format or its bounds."""


def send_frame(sock: socket.socket, payload: bytes) -> None:
    """Send one frame."""
    sock.sendall(LENGTH.pack(len(payload)) + payload)


def _read_exactly(sock: socket.socket, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = sock.recv(min(left, 1 << 20))
        if not chunk:
            raise EOFError("the peer closed the connection mid-frame")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def recv_frame(sock: socket.socket, limit: int) -> bytes | None:
    """Read one frame; None when the peer closed cleanly between frames."""
    first = sock.recv(LENGTH.size)
    if not first:
        return None
    if len(first) < LENGTH.size:
        first += _read_exactly(sock, LENGTH.size - len(first))
    (size,) = LENGTH.unpack(first)
    if size > limit:
        raise ProtocolError(f"a frame of {size} bytes is over the limit of {limit}")
    return _read_exactly(sock, size)


def embed_request(model: str, texts: Sequence[str], query: bool) -> bytes:
    """An embed request for these texts."""
    name = model.encode()
    if not 0 < len(name) < 256:
        raise ValueError("a model name takes 1 to 255 bytes")
    parts = [EMBED, QUERY if query else DOCUMENTS, bytes([len(name)]), name]
    parts.append(LENGTH.pack(len(texts)))
    for text in texts:
        data = text.encode("utf-8", "surrogatepass")
        parts += [LENGTH.pack(len(data)), data]
    return b"".join(parts)


def parse_embed(payload: bytes) -> tuple[str, list[str], bool]:
    """(model, texts, query) of an embed request, checked against every bound."""
    try:
        if payload[:1] != EMBED or payload[1:2] not in (DOCUMENTS, QUERY):
            raise ProtocolError("not an embed request")
        query = payload[1:2] == QUERY
        end = 3 + payload[2]
        model = payload[3:end].decode()
        (count,) = LENGTH.unpack_from(payload, end)
        if count > MAX_TEXTS or (query and count != 1):
            raise ProtocolError(f"{count} texts (a query has 1, a batch at most {MAX_TEXTS})")
        at, texts = end + LENGTH.size, []
        for _ in range(count):
            (size,) = LENGTH.unpack_from(payload, at)
            at += LENGTH.size
            if at + size > len(payload):
                raise ProtocolError("a text runs past the end of the frame")
            texts.append(payload[at : at + size].decode("utf-8", "surrogatepass"))
            at += size
    except (IndexError, struct.error, UnicodeDecodeError) as exc:
        raise ProtocolError(f"malformed embed request: {exc}") from exc
    if at != len(payload):
        raise ProtocolError("trailing bytes after the last text")
    return model, texts, query


def vectors_answer(vectors: np.ndarray) -> bytes:
    """The OK answer carrying a float32 matrix."""
    import numpy as np

    matrix = np.ascontiguousarray(vectors, dtype="<f4")
    rows, dim = matrix.shape
    return OK + COUNTS.pack(rows, dim) + matrix.tobytes()


def parse_vectors(payload: bytes, rows: int) -> np.ndarray:
    """The matrix of an OK answer (ProtocolError unless it has `rows` rows)."""
    import numpy as np

    if payload[:1] != OK or len(payload) < 1 + COUNTS.size:
        raise ProtocolError("not a vectors answer")
    count, dim = COUNTS.unpack_from(payload, 1)
    body = payload[1 + COUNTS.size :]
    if count != rows or len(body) != count * dim * 4:
        raise ProtocolError(f"{count}x{dim} vectors in {len(body)} bytes for {rows} texts")
    return np.frombuffer(body, dtype="<f4").reshape(count, dim).astype(np.float32)


def json_answer(data: dict[str, Any]) -> bytes:
    """The OK answer carrying a JSON object (ping)."""
    return OK + json.dumps(data).encode()


def error_answer(message: str) -> bytes:
    """The error answer."""
    return ERROR + message.encode("utf-8", "replace")[:1000]


def answer_error(payload: bytes) -> str | None:
    """The message of an error answer, or None for an OK one."""
    if payload[:1] == ERROR:
        return payload[1:].decode("utf-8", "replace")
    return None
