"""Build an app's queue from its configuration (settings.py says which backend)."""

from __future__ import annotations

from flask import Flask

from . import settings
from .queue import Queue
from .serializer import SignedJSONSerializer
from .storage import LeasedMemoryStorage, LeasedRedisStorage, LeasedSqliteStorage


class ImmediateQueue(Queue):
    """The queue of the immediate backend: jobs run at once, keys kept in memory."""

    def get_immediate_storage(self) -> LeasedMemoryStorage:
        """In-memory storage that also answers the lease and key calls."""
        return LeasedMemoryStorage(self.name)


def build_queue(app: Flask) -> Queue:
    """The queue for this app: Redis, a SQLite file, or immediate."""
    config = app.config
    kind = settings.backend(config)
    name = str(config.get("JOBS_QUEUE_NAME") or "directorio")
    lease = float(config.get("JOBS_LEASE_SECONDS") or 60)
    serializer = SignedJSONSerializer(str(config.get("SECRET_KEY") or ""))
    if kind == "redis":
        url = settings.redis_url(config)
        if url is None:
            raise RuntimeError(settings.production_problems({**config, "JOBS_BACKEND": "redis"})[0])
        return Queue(app, name, storage=LeasedRedisStorage, serializer=serializer, url=url,
                     lease=lease)  # fmt: skip
    if kind == "sqlite":
        path = settings.sqlite_path(config, app.instance_path)
        return Queue(app, name, storage=LeasedSqliteStorage, serializer=serializer,
                     filename=path, lease=lease)  # fmt: skip
    if kind == "immediate":
        return ImmediateQueue(app, name, storage=LeasedMemoryStorage, serializer=serializer,
                              immediate=True)  # fmt: skip
    raise RuntimeError(f"JOBS_BACKEND is {kind!r}: choose redis, sqlite or immediate")
