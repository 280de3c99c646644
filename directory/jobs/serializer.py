"""Queue messages as signed JSON, never pickle.

The queue lives in the Redis that also counts rate limits. A pickled message would run any
code whoever can write to that Redis chooses; a JSON message can only name a registered job
with JSON arguments, and the HMAC (keyed by SECRET_KEY) refuses messages this app did not
write. A job's arguments must therefore be JSON values (ids, strings, lists, dicts), which
also keeps ORM objects out of the queue.

A message that a worker held when it died is put back with an ``r<n>:`` prefix counting
how often that happened (storage.py); ``split`` reads it off before the signature.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from datetime import datetime
from typing import Any

from huey.registry import Message
from huey.serializer import Serializer

_RECOVERED = re.compile(rb"^r(\d{1,6}):")
_SEPARATOR = b"."


class BadMessage(ValueError):
    """A queue message that is not signed JSON from this app."""


def split(raw: bytes) -> tuple[int, bytes]:
    """How many times a message was recovered from a dead worker, and the message itself."""
    found = _RECOVERED.match(raw)
    if not found:
        return 0, raw
    return int(found.group(1)), raw[found.end() :]


def _encode(value: Any) -> Any:
    if isinstance(value, Message):
        fields = value._asdict()
        return {"__message__": {name: _encode(item) for name, item in fields.items()}}
    if isinstance(value, datetime):
        return {"__datetime__": value.isoformat()}
    if isinstance(value, tuple | list):
        return [_encode(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _encode(item) for key, item in value.items()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"a job argument must be a JSON value, not {type(value).__name__}")


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(item) for item in value]
    if not isinstance(value, dict):
        return value
    if "__datetime__" in value:
        return datetime.fromisoformat(value["__datetime__"])
    if "__message__" in value:
        fields = {name: _decode(item) for name, item in value["__message__"].items()}
        fields["args"] = tuple(fields.get("args") or ())
        return Message(**{k: v for k, v in fields.items() if k in Message._fields})
    return {key: _decode(item) for key, item in value.items()}


class SignedJSONSerializer(Serializer):
    """Huey serializer: JSON with an HMAC-SHA256 signature."""

    def __init__(self, secret: str | bytes) -> None:
        super().__init__()
        material = secret.encode() if isinstance(secret, str) else secret
        self._key = hashlib.sha256(b"directory.jobs:" + material).digest()

    def _signature(self, body: bytes) -> bytes:
        return hmac.new(self._key, body, hashlib.sha256).hexdigest().encode("ascii")

    def _serialize(self, data: Any) -> bytes:
        body = json.dumps(_encode(data), separators=(",", ":"), ensure_ascii=False).encode()
        return self._signature(body) + _SEPARATOR + body

    def _deserialize(self, data: bytes) -> Any:
        _, data = split(bytes(data))
        signature, _, body = data.partition(_SEPARATOR)
        if not body or not hmac.compare_digest(signature, self._signature(body)):
            raise BadMessage("the message is not signed by this app (another SECRET_KEY?)")
        return _decode(json.loads(body))
