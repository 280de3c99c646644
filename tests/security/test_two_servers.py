"""More than one machine (issue 13): two app servers share one PostgreSQL and one Redis.

Simulated on one machine as two gunicorn servers (gunicorn.conf.py, one worker each, on
two ports) in production mode, behind a load balancer that ends TLS and forwards the
client's address (PROXY_COUNT=1): the same SECRET_KEY, a fresh PostgreSQL database of
their own (migrated, vocabulary, demo data, `flask matching rebuild`), the rate limits and
the job queue on two dedicated Redis databases, and one snapshot directory (as on a shared
volume). What a user would notice:

- a session opened on one server works on the other, and logging out on one ends it on both;
- a profile saved on one server is found on the other within 2 s, by the directory's
  keyword search and by semantic search;
- rate limits are shared: a client trips them at the configured count, wherever the load
  balancer sends each attempt;
- a server restarted from the snapshots answers like the one that kept running, including
  a change saved after the snapshots were written.

The servers re-read the database's stamps every MATCHING_SYNC_INTERVAL = 1 s (the default
since this test found that 2 s plus the sync itself missed the 2 s promise). Web
servers never write snapshots; `flask matching rebuild` does. Two rebuilds writing to one
shared directory at once is the last test (saves and loads lock the index's files).
Slow: it starts real processes and loads the models.
"""

from __future__ import annotations

import json
import os
import secrets
import string
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest

from directory.matching.index import VectorIndex
from directory.seed import DEMO_PASSWORD

from ._servers import (
    ROOT,
    Browser,
    NoPostgres,
    Page,
    Server,
    directory_people,
    flask,
    form_with,
    fresh_database,
    postgres_server_url,
    query,
    semantic_hits,
    stop_all,
)
from .conftest import free_port

pytestmark = pytest.mark.slow

# The rate-limit and job-queue databases on the test's Redis: nobody else's keys.
LIMITS_DB, JOBS_DB = 13, 14
HIGH = "1000000 per minute"
PROPAGATION_SECONDS = 2.0  # the promise: saved on one, searchable on the other
SYNC_INTERVAL = 1.0


@dataclass
class Deployment:
    """Two servers, what they share, and one demo person with a public profile."""

    a: Server
    b: Server
    snapshots: Path
    email: str
    profile_id: int
    name: str


def environment(database_url: str, redis_url: str, snapshots: Path) -> dict[str, str]:
    """What every app server (and job worker) of the deployment is given: the same values."""
    base = redis_url.rsplit("/", 1)[0]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DIRECTORY_", "GUNICORN_"))}
    env.update(
        {
            "DATABASE_URL": database_url,
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
            "DIRECTORY_ENV": "production",
            "DIRECTORY_SECRET_KEY": secrets.token_urlsafe(48),
            "DIRECTORY_RATELIMIT_STORAGE_URI": f"{base}/{LIMITS_DB}",
            "DIRECTORY_JOBS_REDIS_URL": f"{base}/{JOBS_DB}",
            "DIRECTORY_MAIL_SERVER": "smtp.invalid",
            "DIRECTORY_PUBLIC_URL": "https://directorio.example.mx",
            "DIRECTORY_TRUSTED_HOSTS": '["directorio.example.mx"]',
            "DIRECTORY_PROXY_COUNT": "1",
            "DIRECTORY_MATCHING_INDEX_DIR": str(snapshots),
            # How long a server answers from its indexes before it re-reads the database's
            # stamps. The default, 2 s, plus the sync itself overshoots the 2 s promise
            # (2.2-2.7 s on a busy 2-core machine, when a server had looked just before the
            # save; 1.2-1.5 s with 1 s).
            "DIRECTORY_MATCHING_SYNC_INTERVAL": str(SYNC_INTERVAL),
            # Small budgets for the limits under test; high ones for the searches polled.
            "DIRECTORY_RATELIMIT_LOGIN_CLIENT": "6 per minute",
            "DIRECTORY_RATELIMIT_LOGIN_ACCOUNT_CLIENT": "3 per 15 minutes",
            "DIRECTORY_RATELIMIT_SEARCH": HIGH,
            "DIRECTORY_RATELIMIT_SEMANTIC_SEARCH": HIGH,
        }
    )
    return env


def flush(redis_url: str) -> None:
    """Empty the deployment's two Redis databases."""
    import redis

    base = redis_url.rsplit("/", 1)[0]
    for number in (LIMITS_DB, JOBS_DB):
        client = redis.Redis.from_url(f"{base}/{number}")
        try:
            client.flushdb()
        finally:
            client.close()


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory, redis_url: str) -> Iterator[Deployment]:
    """A fresh database, prepared as a deploy does, served by two gunicorn servers."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        # Two app servers share one PostgreSQL: this runs once, in the PostgreSQL phase of
        # `.ci/run` (it takes about two minutes, mostly `matching rebuild`).
        pytest.skip("two app servers need PostgreSQL: set DATABASE_URL")
    tmp = tmp_path_factory.mktemp("two-servers")
    with ExitStack() as cleanup:
        try:
            database_url = cleanup.enter_context(fresh_database(postgres_server_url()))
        except NoPostgres as exc:
            pytest.skip(str(exc))
        flush(redis_url)
        cleanup.callback(flush, redis_url)
        snapshots = tmp / "snapshots"
        env = environment(database_url, redis_url, snapshots)
        for step in (["db", "upgrade"], ["load-skills"], ["seed-demo"], ["matching", "rebuild"]):
            flask(env, *step)
        email, profile_id, name = query(
            database_url,
            "SELECT u.email, p.id, p.full_name FROM profiles p JOIN users u ON u.id = p.user_id "
            "WHERE p.visibility = 'public' AND p.matching_consent AND u.active "
            "ORDER BY p.id LIMIT 1",
        )[0]
        a, b = (Server(label, free_port(), env, tmp / f"gunicorn-{label}.log") for label in "ab")
        cleanup.callback(stop_all, (a, b))
        for server in (a, b):
            server.start()
        a.wait_ready()
        b.wait_ready()
        yield Deployment(a, b, snapshots, email, profile_id, name)


def log_in(browser: Browser, server: Server, email: str, password: str = DEMO_PASSWORD) -> Page:
    """Fill the log-in form served by `server` and send it there (CSRF is on)."""
    form = form_with(browser.get(server, "/login").text, "password")
    return browser.post(server, "/login", form.filled(email=email, password=password))


@pytest.fixture(scope="module")
def person(deployment: Deployment) -> Browser:
    """The demo person's browser, logged in on server A."""
    browser = Browser("198.51.100.10")
    answer = log_in(browser, deployment.a, deployment.email)
    assert answer.status == 302, answer.text[:2000]
    return browser


def save_headline(person: Browser, form_from: Server, send_to: Server, headline: str) -> None:
    """Edit my profile's headline: the form as one server renders it, sent to another."""
    form = form_with(person.get(form_from, "/me/profile/edit").text, "headline")
    saved = person.post(send_to, "/me/profile/edit", form.filled(headline=headline))
    assert saved.status == 302, saved.text[:3000]
    assert saved.headers["Location"].endswith("/me/profile")


def new_word() -> str:
    """A word no record contains (ending in a digit, so no plural rule touches it)."""
    return "".join(secrets.choice(string.ascii_lowercase) for _ in range(10)) + "7"


def search(browser: Browser, server: Server, words: str, kind: str = "") -> list[tuple[str, int]]:
    """The semantic search's results on one server."""
    page = browser.get(server, f"/search?q={quote(words)}&kind={kind}")
    assert page.status == 200, page.text[:2000]
    return semantic_hits(page.text)


def keyword_people(browser: Browser, server: Server, words: str) -> list[int]:
    """The people the directory's keyword search lists on one server."""
    page = browser.get(server, f"/directory?q={quote(words)}&kind=profile")
    assert page.status == 200, page.text[:2000]
    return directory_people(page.text)


def test_a_session_opened_on_one_server_works_on_the_other(
    deployment: Deployment, person: Browser
) -> None:
    stranger = Browser("198.51.100.11")
    assert stranger.get(deployment.b, "/me/profile").status == 302  # the page needs a login
    for server in (deployment.b, deployment.a):
        page = person.get(server, "/me/profile")
        assert page.status == 200, f"server {server.name}: {page.status} {page.headers}"
        assert deployment.name in page.text


def test_logging_out_on_one_server_ends_the_session_on_both(deployment: Deployment) -> None:
    browser = Browser("198.51.100.12")
    assert log_in(browser, deployment.a, deployment.email).status == 302
    copied = Browser("198.51.100.12", dict(browser.cookies))  # a cookie someone kept
    logout = form_with(browser.get(deployment.b, "/me/profile").text, "csrf_token", "/logout")
    assert browser.post(deployment.b, "/logout", logout.fields).status == 302
    page = copied.get(deployment.a, "/me/profile")
    assert page.status == 302 and "/login" in page.headers["Location"]


def test_a_change_saved_on_one_server_is_searchable_on_the_other_within_2_s(
    deployment: Deployment, person: Browser
) -> None:
    a, b, profile = deployment.a, deployment.b, ("profile", deployment.profile_id)
    token, visitor = new_word(), Browser("203.0.113.20")
    form = form_with(person.get(b, "/me/profile/edit").text, "headline")
    # The worst case: B answered a search (models loaded, indexes synced) and re-read the
    # database's stamps just before the save, so it answers from its indexes for a while.
    search(visitor, b, "salud", "profile")
    time.sleep(SYNC_INTERVAL + 0.2)
    assert search(visitor, b, token, "profile")[:1] != [profile]
    assert deployment.profile_id not in keyword_people(visitor, b, token)

    answer = person.post(a, "/me/profile/edit", form.filled(headline=f"Monitoreo de {token}"))
    assert answer.status == 302, answer.text[:3000]
    saved = time.monotonic()
    found: dict[str, float] = {}
    while len(found) < 2 and time.monotonic() - saved < 10:
        if "keyword" not in found and deployment.profile_id in keyword_people(visitor, b, token):
            found["keyword"] = time.monotonic() - saved
        if "semantic" not in found and search(visitor, b, token, "profile")[:1] == [profile]:
            found["semantic"] = time.monotonic() - saved
        time.sleep(0.1)
    late = {how: f"{seconds:.2f} s" for how, seconds in found.items()}
    assert len(found) == 2, f"not found on B within 10 s: only {late}\n{b.tail()}"
    assert max(found.values()) <= PROPAGATION_SECONDS, f"found on B after {late}"


def test_rate_limits_are_shared_by_the_servers(deployment: Deployment) -> None:
    servers = [deployment.a, deployment.b]
    # Log-in attempts per client address: 6 a minute, wherever each one lands.
    guesser = Browser("198.51.100.20")
    form = form_with(guesser.get(deployment.a, "/login").text, "password")
    statuses = []
    for attempt in range(8):
        fields = form.filled(email=f"nadie{attempt}@example.org", password="no-es-esta")
        statuses.append(guesser.post(servers[attempt % 2], "/login", fields).status)
    assert statuses == [200] * 6 + [429] * 2  # one budget of 6, not 6 on each server

    # Failed log-ins on one account from one client: 3 per 15 minutes, on both servers.
    guesser = Browser("198.51.100.21")
    form = form_with(guesser.get(deployment.b, "/login").text, "password")
    fields = form.filled(email=deployment.email, password="no-es-esta")
    statuses = [guesser.post(servers[attempt % 2], "/login", fields).status for attempt in range(5)]
    assert statuses == [200] * 3 + [429] * 2


def test_a_restarted_server_answers_like_the_other_from_the_snapshots(
    deployment: Deployment, person: Browser
) -> None:
    a, b, profile = deployment.a, deployment.b, ("profile", deployment.profile_id)
    assert list(deployment.snapshots.glob("profile.*.json")), "matching rebuild saved none"
    # A change saved after `matching rebuild` wrote the snapshots: their vector of this
    # profile is stale, and a server starting from them must not use it.
    token = new_word()
    save_headline(person, form_from=a, send_to=a, headline=f"Polinización y {token}")
    started = len(b.log.read_text(errors="replace")) if b.log.exists() else 0
    b.stop()
    b.start()
    b.wait_ready()
    visitor = Browser("203.0.113.21")
    assert search(visitor, b, token, "profile")[:1] == [profile]
    for words in ("salud", "visión por computadora", "procesamiento de lenguaje natural", token):
        on_a, on_b = search(visitor, a, words), search(visitor, b, words)
        assert on_b and on_a == on_b, f"{words!r}: A {on_a} B {on_b}"
    restarted = b.log.read_text(errors="replace")[started:]
    assert "Ignoring the saved index" not in restarted, restarted[-3000:]
    for path in deployment.snapshots.glob("*.json"):  # each loads and matches its checksum
        manifest = json.loads(path.read_text())
        VectorIndex.load(path.parent, path.stem, manifest["model"], manifest["dim"])


# Two writers of one snapshot directory: what two `flask matching rebuild`s (one per
# machine, on a shared volume) do at the end, through the product's snapshot.save.
WRITER = """
import json, sys, time
from pathlib import Path
import numpy as np
from directory.matching import snapshot
from directory.matching.index import VectorIndex

folder, me, rounds, gap = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), 0.3

def data(writer, round_):
    rng = np.random.default_rng(1000 * writer + round_)
    vectors = rng.standard_normal((400 + 10 * writer, 32)).astype("float32")
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

(folder / f"ready-{me}").touch()
while len(list(folder.glob("ready-*"))) < 2:
    time.sleep(0.01)
start = max(p.stat().st_mtime for p in folder.glob("ready-*")) + 0.5
problems = []
for round_ in range(rounds):
    vectors = data(me, round_)
    index = VectorIndex(32)
    index.upsert(list(range(len(vectors))), vectors)
    hashes = {i: f"{me}-{round_}-{i}" for i in range(len(vectors))}
    time.sleep(max(0.0, start + round_ * gap - time.time()))
    snapshot.save(folder / "index", "profile", {"m1": index, "m2": index}, hashes)
    time.sleep(max(0.0, start + round_ * gap + gap / 2 - time.time()))
    for model in ("m1", "m2"):
        saved = snapshot.load(folder / "index", "profile", model, 32)
        if saved is None:
            problems.append(f"round {round_} {model}: unreadable")
            continue
        writer, got_round, _ = saved.hashes[0].split("-")
        expected = data(int(writer), int(got_round))
        if len(saved.hashes) != len(expected) or not all(
            np.allclose(saved.vector(i, h), expected[i], atol=5e-4) for i, h in saved.hashes.items()
        ):
            problems.append(f"round {round_} {model}: vectors of another save")
print(json.dumps(problems))
"""


def test_two_writers_of_one_snapshot_directory_leave_a_loadable_snapshot(
    tmp_path: Path,
) -> None:
    command = [sys.executable, "-c", WRITER, str(tmp_path)]
    writers = [
        subprocess.Popen(
            [*command, str(me), "20"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for me in (1, 2)
    ]
    problems = []
    for writer in writers:
        out, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
        problems += json.loads(out)
    assert problems == []
