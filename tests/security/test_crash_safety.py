"""SECURITY.md rows 35 and 36: a process killed with SIGKILL in the middle of its writes
loses nothing it acknowledged and leaves a database the app opens; one killed in the
middle of a FAISS index save leaves an index that loads (or is rebuilt) and answers.

Each test runs a real child process that reports every durable step on stdout, and
kills it at several random moments.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from directory.matching.index import IndexMismatch, VectorIndex

from .conftest import STRONG_SECRET
from .test_backup import _dispose, sqlite_app

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 4

WRITER = textwrap.dedent(
    """
    import sys
    from directory import create_app
    from directory.extensions import db
    from directory.models import AuditEvent

    app = create_app({
        "TESTING": True, "SECRET_KEY": sys.argv[2],
        "SQLALCHEMY_DATABASE_URI": "sqlite:///" + sys.argv[1],
    })
    with app.app_context():
        print("ready", flush=True)
        n = 0
        while True:
            event = AuditEvent(action="crash.write", details={"n": n, "pad": "x" * 500})
            db.session.add(event)
            db.session.flush()
            event_id = event.id
            db.session.commit()
            print(event_id, flush=True)  # acknowledged only once the commit returned
            n += 1
    """
)

SAVER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    import numpy as np
    from directory.matching.index import VectorIndex

    directory, dim = Path(sys.argv[1]), 64
    rng = np.random.default_rng(int(sys.argv[2]))
    index = VectorIndex(dim)
    next_id = 1
    print("ready", flush=True)
    while True:
        vectors = rng.standard_normal((2000, dim)).astype("float32")
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        index.upsert(list(range(next_id, next_id + 2000)), vectors)
        next_id += 2000
        index.save(directory, "profile", "fake-hash")
        print(len(index), flush=True)  # this many vectors are saved for good
    """
)


def _child(script: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}
    return subprocess.Popen(
        [sys.executable, "-c", script, *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def _run_and_kill(proc: subprocess.Popen[str], rng: random.Random, at_least: int) -> list[str]:
    """Read acknowledgements, then SIGKILL the child at a random moment; return them."""
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready", "the child did not start"
    acknowledged: list[str] = []
    target = at_least + rng.randrange(at_least)
    while len(acknowledged) < target:
        line = proc.stdout.readline()
        assert line, "the child died on its own"
        acknowledged.append(line.strip())
    time.sleep(rng.random() * 0.05)  # land anywhere inside the next write
    os.kill(proc.pid, signal.SIGKILL)
    # Whatever was printed before the kill was acknowledged too.
    acknowledged.extend(line.strip() for line in proc.stdout if line.strip())
    proc.stdout.close()
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    return acknowledged


def test_every_acknowledged_write_survives_sigkill(tmp_path: Path) -> None:
    path = tmp_path / "crash.sqlite3"
    _dispose(sqlite_app(path, create=True))
    rng = random.Random(35)
    acknowledged: set[int] = set()
    for _round in range(ROUNDS):
        proc = _child(WRITER, str(path), STRONG_SECRET)
        acknowledged |= {int(i) for i in _run_and_kill(proc, rng, at_least=30)}
        conn = sqlite3.connect(path)  # recovery happens on this first open
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            stored = {row[0] for row in conn.execute("SELECT id FROM audit_events")}
        finally:
            conn.close()
        assert acknowledged <= stored, sorted(acknowledged - stored)[:10]
    assert len(acknowledged) >= ROUNDS * 30

    app = sqlite_app(path)
    try:
        assert app.test_client().get("/directory").status_code == 200
    finally:
        _dispose(app)


def _load_or_rebuild(directory: Path) -> tuple[VectorIndex, bool]:
    """What a worker does at start: trust a saved index only if it checks out."""
    try:
        return VectorIndex.load(directory, "profile", "fake-hash", 64), False
    except IndexMismatch:
        rebuilt = VectorIndex(64)
        rebuilt.upsert([1], np.ones((1, 64), dtype=np.float32) / 8.0)
        return rebuilt, True


def test_a_kill_during_an_index_save_leaves_a_loadable_index(tmp_path: Path) -> None:
    rng = random.Random(36)
    directory = tmp_path / "index"
    for round_ in range(ROUNDS):
        proc = _child(SAVER, str(directory), str(round_))
        counts = [int(c) for c in _run_and_kill(proc, rng, at_least=2)]
        index, rebuilt = _load_or_rebuild(directory)
        # Atomic saves: the old manifest names intact data until the new one replaces it,
        # so the index always loads, with the last acknowledged save or a newer one.
        assert not rebuilt
        assert len(index) >= counts[-1]
        assert len(index) % 2000 == 0
        probe = index.vector(1)
        assert index.search(probe, 1)[0][0] == 1
        # Temp files of the killed save are never mistaken for data.
        manifests = list(directory.glob("profile.json"))
        assert len(manifests) == 1
