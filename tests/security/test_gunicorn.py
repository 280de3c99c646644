"""Production serving: gunicorn with the repository's gunicorn.conf.py serves the app in
production mode (behind one proxy, rate limits in Redis) on a free loopback port, and
refuses to start with a weak SECRET_KEY. Slow: each test starts real processes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from .conftest import STRONG_SECRET, free_port

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def _environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DIRECTORY_")}
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'served.sqlite3'}",
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
            # This checks serving and logging on an empty database: loading the models
            # would only cost CI time (tests/test_health.py runs the warm-up hooks).
            "DIRECTORY_MATCHING_WARMUP": "false",
            **extra,
        }
    )
    return env


def _gunicorn(env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", "2", "wsgi:app"]
    with log.open("wb") as out:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def _get(url: str, headers: dict[str, str]) -> tuple[int, dict[str, str]]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (http, loopback)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers)


def test_gunicorn_serves_the_app_in_production(tmp_path: Path, redis_url: str) -> None:
    env = _environment(
        tmp_path,
        DIRECTORY_ENV="production",
        DIRECTORY_SECRET_KEY=STRONG_SECRET,
        DIRECTORY_RATELIMIT_STORAGE_URI=redis_url,
        DIRECTORY_MAIL_SERVER="smtp.example.org",
        DIRECTORY_PROXY_COUNT="1",
        DIRECTORY_PUBLIC_URL="https://directorio.example.mx",
        DIRECTORY_TRUSTED_HOSTS='["127.0.0.1"]',
    )
    migrate = [sys.executable, "-m", "flask", "--app", "directory", "db", "upgrade"]
    subprocess.run(migrate, cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)
    port, log = free_port(), tmp_path / "gunicorn.log"
    server = _gunicorn(env, port, log)
    try:
        deadline, status = time.monotonic() + 60, 0
        headers: dict[str, str] = {}
        while time.monotonic() < deadline and status != 200:
            assert server.poll() is None, log.read_text()
            try:
                status, headers = _get(
                    f"http://127.0.0.1:{port}/",
                    {"X-Request-ID": "gunicorn-check-1", "X-Forwarded-For": "192.0.2.44"},
                )
            except OSError:
                time.sleep(0.2)
        assert status == 200, log.read_text()
        assert headers["X-Request-ID"] == "gunicorn-check-1"
        assert headers["Strict-Transport-Security"].startswith("max-age=")
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        missing, _ = _get(f"http://127.0.0.1:{port}/no-such-page", {})
        assert missing == 404
        searched, _ = _get(f"http://127.0.0.1:{port}/directory?q=secret-term", {})
        assert searched == 200
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    lines = [json.loads(x) for x in log.read_text().splitlines() if x.startswith("{")]
    served = [x for x in lines if x.get("request_id") == "gunicorn-check-1"]
    assert served and served[0]["status"] == 200
    assert served[0]["client_ip"] == "192.0.2.44"  # one proxy trusted: its X-Forwarded-For
    # One line per request (the app's), and search terms stay out of the log.
    assert len([x for x in lines if x.get("path") == "/no-such-page"]) == 1
    assert "secret-term" not in log.read_text()


def test_gunicorn_refuses_a_weak_secret_key(tmp_path: Path) -> None:
    env = _environment(tmp_path, DIRECTORY_ENV="production", DIRECTORY_SECRET_KEY="dev")
    log = tmp_path / "gunicorn.log"
    server = _gunicorn(env, free_port(), log)
    try:
        code = server.wait(timeout=60)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    assert code != 0
    assert "refusing to start with DIRECTORY_ENV=production" in log.read_text()


# --- the embedding service beside the workers (issue 13, light workers) ----------------------


def _children(master: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and (entry / "stat").read_text().rsplit(")", 1)[1].split()[
                1
            ] == str(master):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def _service_pids(master: int) -> list[int]:
    return [
        pid
        for pid in _children(master)
        if b"directory.matching.embed_service" in Path(f"/proc/{pid}/cmdline").read_bytes()
    ]


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _until(check: Any, seconds: float = 30) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    return check()


def test_gunicorn_starts_restarts_and_stops_the_embedding_service(tmp_path: Path) -> None:
    """The master starts one service (a child, restarted when it dies, stopped with the
    master) in a private directory, and its workers are pointed at it."""
    from directory.matching.remote import ping

    # Warm-up off: the service then loads each model on first use (none here).
    env = _environment(tmp_path, DIRECTORY_SECRET_KEY=STRONG_SECRET)
    port, log = free_port(), tmp_path / "gunicorn.log"
    server = _gunicorn(env, port, log)
    socket_path = ""
    try:
        ready = f"http://127.0.0.1:{port}/healthz/ready"

        def answers() -> bool:
            try:
                return _get(ready, {"Host": "localhost"})[0] == 200
            except OSError:
                return False

        assert _until(answers, 60), log.read_text()
        services = _until(lambda: _service_pids(server.pid))
        assert len(services) == 1, log.read_text()
        workers = [pid for pid in _children(server.pid) if pid not in services]
        assert len(workers) == 2
        # The service listens where the workers were told (their MATCHING_EMBED_SOCKET).
        argv = Path(f"/proc/{services[0]}/cmdline").read_bytes().split(b"\0")
        socket_path = argv[argv.index(b"--socket") + 1].decode()
        assert Path(socket_path).parent.stat().st_mode & 0o777 == 0o700
        # The service imports the app before it listens: a second or two.
        assert _until(lambda: (ping(socket_path) or {}).get("ready")), log.read_text()
        with urllib.request.urlopen(  # noqa: S310 (http, loopback)
            urllib.request.Request(ready, headers={"Host": "localhost"}), timeout=10
        ) as response:
            assert json.loads(response.read())["embedding"] == "ok"
        # The master itself never loads a model.
        assert "libtorch" not in Path(f"/proc/{server.pid}/maps").read_text()
        os.kill(services[0], signal.SIGKILL)
        again = _until(lambda: [p for p in _service_pids(server.pid) if p != services[0]])
        assert len(again) == 1, log.read_text()
        assert _until(lambda: (ping(socket_path) or {}).get("ready")), log.read_text()
        assert "embedding service (pid" in log.read_text()  # the restart is logged
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    assert not any(_alive(pid) for pid in [*services, *again])
    assert not Path(socket_path).parent.exists()


def test_gunicorn_without_the_service_keeps_the_models_in_its_workers(tmp_path: Path) -> None:
    env = _environment(tmp_path, DIRECTORY_MATCHING_EMBED_SERVICE="false")
    port, log = free_port(), tmp_path / "gunicorn.log"
    server = _gunicorn(env, port, log)
    try:
        assert _until(lambda: len(_children(server.pid)) == 2, 60), log.read_text()
        time.sleep(1)
        assert _service_pids(server.pid) == []
        ready = f"http://127.0.0.1:{port}/healthz/ready"
        request = urllib.request.Request(ready, headers={"Host": "localhost"})
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback)
            assert "embedding" not in json.loads(response.read())  # models in the workers
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
