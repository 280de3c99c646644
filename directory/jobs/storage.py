"""Huey storages that lose no job when a worker dies, for Redis, SQLite and memory.

Huey's own storages pop a message and forget it: a worker killed with SIGKILL while it
runs a job loses that job. These keep every message a worker took in a *lease* with a
deadline, in the same step that takes it from the queue (a Lua script on Redis, one
transaction on SQLite). The worker extends the leases of what it runs while it lives and
drops a lease once its job has finished or been put back for a retry; a lease whose
deadline passed belongs to a dead worker, and any scheduler puts its message back at the
head of the queue, marked ``r<n>:`` with how many times that happened.

Scheduled messages (retries with back-off) move from the schedule into the queue in one
step too, so a scheduler killed half-way through moves nothing twice and drops nothing.
They also hold the small keys the queue needs: per-minute claims that make a periodic job
run once across workers, and the payloads of dead letters a curator may retry.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from huey.storage import MemoryStorage, RedisStorage, SqliteStorage

from .serializer import split

BATCH = 100  # leases recovered per look


def recovered(raw: bytes) -> bytes:
    """A message as it goes back to the queue after its worker died."""
    count, body = split(raw)
    return b"r%d:" % (count + 1) + body


_DEQUEUE = """
local raw = redis.call('rpop', KEYS[1])
if raw then
  local now = redis.call('time')
  redis.call('zadd', KEYS[2], tonumber(now[1]) + tonumber(ARGV[1]), raw)
end
return raw
"""
_RECOVER = """
local now = redis.call('time')
local due = redis.call('zrangebyscore', KEYS[2], '-inf', tonumber(now[1]), 'LIMIT', 0, ARGV[1])
for _, raw in ipairs(due) do
  if redis.call('zrem', KEYS[2], raw) == 1 then
    local n, rest = 1, raw
    local count, body = string.match(raw, '^r(%d+):(.*)$')
    if count then n, rest = tonumber(count) + 1, body end
    redis.call('rpush', KEYS[1], 'r' .. n .. ':' .. rest)
  end
end
return #due
"""
_EXTEND = """
local now = redis.call('time')
for i = 2, #ARGV do
  redis.call('zadd', KEYS[1], 'XX', tonumber(now[1]) + tonumber(ARGV[1]), ARGV[i])
end
return #ARGV - 1
"""
_RELEASE = """
if redis.call('zrem', KEYS[2], ARGV[1]) == 1 then redis.call('rpush', KEYS[1], ARGV[1]) end
"""
_DUE = """
local due = redis.call('zrangebyscore', KEYS[1], '-inf', ARGV[1])
for _, raw in ipairs(due) do
  if redis.call('zrem', KEYS[1], raw) == 1 then redis.call('lpush', KEYS[2], raw) end
end
return #due
"""


class LeasedRedisStorage(RedisStorage):
    """Redis storage with leases: the production queue."""

    def __init__(self, name: str, *, lease: float, **kwargs: Any) -> None:
        super().__init__(name, **kwargs)
        self.lease = lease
        self.blocking = False  # a Lua script cannot block: the worker polls (max 1 s apart)
        self.lease_key = f"huey.leases.{self.name}"
        self.key_prefix = f"huey.keys.{self.name}."
        self._dequeue = self.conn.register_script(_DEQUEUE)
        self._recover = self.conn.register_script(_RECOVER)
        self._extend = self.conn.register_script(_EXTEND)
        self._release = self.conn.register_script(_RELEASE)
        self._due = self.conn.register_script(_DUE)

    def dequeue(self) -> bytes | None:
        """Take the oldest message and lease it, in one step."""
        return self._dequeue(keys=[self.queue_key, self.lease_key], args=[self.lease])

    def ack(self, raw: bytes) -> None:
        """The job of this message is done (or rescheduled): drop its lease."""
        self.conn.zrem(self.lease_key, raw)

    def extend(self, raws: Iterable[bytes]) -> None:
        """Push back the deadlines of messages this process is still running."""
        raws = list(raws)
        if raws:
            self._extend(keys=[self.lease_key], args=[self.lease, *raws])

    def release(self, raw: bytes) -> None:
        """Put back, at once, a message whose job was interrupted by a shutdown."""
        self._release(keys=[self.queue_key, self.lease_key], args=[raw])

    def recover(self) -> int:
        """Put back the messages of dead workers (leases past their deadline)."""
        return int(self._recover(keys=[self.queue_key, self.lease_key], args=[BATCH]))

    def leased(self) -> int:
        """How many messages workers hold right now."""
        return int(self.conn.zcard(self.lease_key))

    def read_schedule(self, ts: Any) -> list[bytes]:
        """Move the messages now due from the schedule into the queue, in one step."""
        self._due(keys=[self.schedule_key, self.queue_key], args=[self.convert_ts(ts)])
        return []

    def claim(self, key: str, ttl: int) -> bool:
        """Take a key for ``ttl`` seconds; False if someone holds it already."""
        return bool(self.conn.set(self.key_prefix + key, b"1", nx=True, ex=ttl))

    def keep(self, key: str, data: bytes, ttl: int) -> None:
        """Store bytes under a key for ``ttl`` seconds."""
        self.conn.set(self.key_prefix + key, data, ex=ttl)

    def fetch(self, key: str) -> bytes | None:
        """Bytes stored with ``keep``, or None once they expired."""
        return self.conn.get(self.key_prefix + key)

    def forget(self, key: str) -> None:
        """Delete a key stored with ``keep``."""
        self.conn.delete(self.key_prefix + key)


_LEASE_OF = "select id, data from lease where queue = ? and data = ? limit ?"
_LEASES_DUE = "select id, data from lease where queue = ? and deadline <= ? limit ?"


class LeasedSqliteStorage(SqliteStorage):
    """SQLite storage with leases: the embedded queue for `make run`."""

    ddl = [
        *SqliteStorage.ddl,
        "create table if not exists lease (id integer not null primary key, queue text not "
        "null, data blob not null, deadline real not null)",
        "create index if not exists lease_queue_deadline on lease (queue, deadline)",
        "create table if not exists keys (queue text not null, key text not null, value blob "
        "not null, expires real not null, primary key (queue, key))",
    ]

    def __init__(self, name: str, *, lease: float, **kwargs: Any) -> None:
        self.lease = lease
        super().__init__(name, **kwargs)

    def dequeue(self) -> bytes | None:
        """Take the oldest message and lease it, in one transaction."""
        if not self.sql("select 1 from task where queue = ? limit 1", (self.name,), results=True):
            return None
        with self.db(commit=True) as curs:
            curs.execute(
                "select id, data from task where queue = ? order by priority desc, id limit 1",
                (self.name,),
            )
            row = curs.fetchone()
            if row is None:
                return None
            curs.execute("delete from task where id = ?", (row[0],))
            curs.execute(
                "insert into lease (queue, data, deadline) values (?, ?, ?)",
                (self.name, row[1], time.time() + self.lease),
            )
            return bytes(row[1])

    def ack(self, raw: bytes) -> None:
        """The job of this message is done (or rescheduled): drop its lease."""
        self.sql(
            "delete from lease where id = (select id from lease where queue = ? and data = ? "
            "limit 1)",
            (self.name, self.to_blob(raw)),
            commit=True,
        )

    def extend(self, raws: Iterable[bytes]) -> None:
        """Push back the deadlines of messages this process is still running."""
        deadline = time.time() + self.lease
        for raw in raws:
            self.sql(
                "update lease set deadline = ? where queue = ? and data = ?",
                (deadline, self.name, self.to_blob(raw)),
                commit=True,
            )

    def _move_back(self, query: str, params: tuple[Any, ...], mark: bool) -> int:
        with self.db(commit=True) as curs:
            curs.execute(query, (self.name, *params, BATCH))
            rows = curs.fetchall()
            for lease_id, data in rows:
                body = recovered(bytes(data)) if mark else bytes(data)
                curs.execute("delete from lease where id = ?", (lease_id,))
                # Priority 1: back at the head of the queue, ahead of newer work.
                curs.execute(
                    "insert into task (queue, data, priority) values (?, ?, 1)",
                    (self.name, self.to_blob(body)),
                )
            return len(rows)

    def release(self, raw: bytes) -> None:
        """Put back, at once, a message whose job was interrupted by a shutdown."""
        self._move_back(_LEASE_OF, (self.to_blob(raw),), mark=False)

    def recover(self) -> int:
        """Put back the messages of dead workers (leases past their deadline)."""
        return self._move_back(_LEASES_DUE, (time.time(),), mark=True)

    def leased(self) -> int:
        """How many messages workers hold right now."""
        rows = self.sql("select count(*) from lease where queue = ?", (self.name,), results=True)
        return int(rows[0][0])

    def read_schedule(self, ts: Any) -> list[bytes]:
        """Move the messages now due from the schedule into the queue, in one transaction."""
        with self.db(commit=True) as curs:
            params = (self.name, ts.timestamp())
            curs.execute(
                "insert into task (queue, data, priority) select queue, data, 0 from schedule "
                "where queue = ? and timestamp <= ? order by timestamp, id",
                params,
            )
            curs.execute("delete from schedule where queue = ? and timestamp <= ?", params)
        return []

    def claim(self, key: str, ttl: int) -> bool:
        """Take a key for ``ttl`` seconds; False if someone holds it already."""
        now = time.time()
        with self.db(commit=True) as curs:
            curs.execute("delete from keys where queue = ? and expires <= ?", (self.name, now))
            curs.execute(
                "insert or ignore into keys (queue, key, value, expires) values (?, ?, ?, ?)",
                (self.name, key, b"1", now + ttl),
            )
            return bool(curs.rowcount == 1)

    def keep(self, key: str, data: bytes, ttl: int) -> None:
        """Store bytes under a key for ``ttl`` seconds."""
        self.sql(
            "insert or replace into keys (queue, key, value, expires) values (?, ?, ?, ?)",
            (self.name, key, self.to_blob(data), time.time() + ttl),
            commit=True,
        )

    def fetch(self, key: str) -> bytes | None:
        """Bytes stored with ``keep``, or None once they expired."""
        rows = self.sql(
            "select value from keys where queue = ? and key = ? and expires > ?",
            (self.name, key, time.time()),
            results=True,
        )
        return bytes(rows[0][0]) if rows else None

    def forget(self, key: str) -> None:
        """Delete a key stored with ``keep``."""
        self.sql("delete from keys where queue = ? and key = ?", (self.name, key), commit=True)


class LeasedMemoryStorage(MemoryStorage):
    """In-process storage for the immediate backend: nothing to lease, keys in a dict."""

    def __init__(self, name: str, **kwargs: Any) -> None:
        super().__init__(name, **kwargs)
        self.keys: dict[str, tuple[bytes, float]] = {}

    def ack(self, raw: bytes) -> None:
        """Nothing is leased in memory."""

    def extend(self, raws: Iterable[bytes]) -> None:
        """Nothing is leased in memory."""

    def release(self, raw: bytes) -> None:
        """Put a message back on the queue."""
        self.enqueue(raw)

    def recover(self) -> int:
        """Nothing is leased in memory."""
        return 0

    def leased(self) -> int:
        """Nothing is leased in memory."""
        return 0

    def claim(self, key: str, ttl: int) -> bool:
        """Take a key for ``ttl`` seconds; False if it is held already."""
        now = time.time()
        if key in self.keys and self.keys[key][1] > now:
            return False
        self.keys[key] = (b"1", now + ttl)
        return True

    def keep(self, key: str, data: bytes, ttl: int) -> None:
        """Store bytes under a key for ``ttl`` seconds."""
        self.keys[key] = (bytes(data), time.time() + ttl)

    def fetch(self, key: str) -> bytes | None:
        """Bytes stored with ``keep``, or None once they expired."""
        data, expires = self.keys.get(key, (b"", 0.0))
        return data if expires > time.time() else None

    def forget(self, key: str) -> None:
        """Delete a key stored with ``keep``."""
        self.keys.pop(key, None)
