"""Load on gunicorn over loopback: 50 concurrent clients for 60 s, against a 1-client baseline.

Starts gunicorn with the repository's gunicorn.conf.py on a free 127.0.0.1 port against a
temporary SQLite database prepared as `make db` does (`flask db upgrade`, `load-skills`,
`seed-demo`), then runs two phases with the same mix of public pages:

- baseline: 1 client for --baseline-duration seconds (10 by default);
- load: --clients clients (50) for --duration seconds (60);
- bare: the same clients for --bare-duration seconds (default: --duration; 0 skips it)
  against a bare Flask app rendering one 3 KB Jinja page, served by gunicorn with the
  same worker class, workers, threads and keep-alive. The report prints the public mix's
  throughput as a share of the bare page's, measured in the same run on the same machine
  (issue 13's goal: at least 35%, p95 at most 100 ms, 0 errors).

The load and bare phases run on wrk when it is installed (`apt-get install wrk`; bench/_wrk.py:
50 Python threads on the same two cores saturated before the server did), else each client
is a thread with one keep-alive `http.client` connection (`--client python` forces it);
the count of clients and the time are bounded, and every request has a 10 s timeout.
Printed per phase: requests, errors, throughput and p50/p95/p99 latency. Any answer but
200, or any connection error, is an error, and the script exits 1 when there is one. The
one exception: a kept-alive connection the server closed just as a request was sent is
retried once on a new connection (RFC 9112, 9.3.1), and the report counts those retries.

The mix (weights in MIX): home, the directory browse page with and without a lexical
query, an organisation, an opening, a challenge, the stories list and a story, and the
log-in form. Semantic search and match pages are left out on purpose: their first request
in each worker loads the embedding models (4-8 s, see gunicorn.conf.py), which would
measure model start-up, not serving; bench/matching_speed.py measures matching.

Rate limits: the directory browse page is limited per client (60 a minute), and all the
clients share 127.0.0.1, so the bench raises every DIRECTORY_RATELIMIT_* limit for the
served app (the limiter still runs: its storage is hit on every limited request). With
a Redis answering on 127.0.0.1:6379 (or --redis URL) the app runs in production mode
(Redis rate-limit storage, HSTS, JSON logs, strong secret); otherwise in development mode
with in-memory limits, and the report says which.

    .venv/bin/python bench/load.py [--clients 50] [--duration 60] [--baseline-duration 10]
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import _wrk

ROOT = Path(__file__).resolve().parents[1]
HIGH = "1000000 per minute"
LIMITS = (
    "LOGIN_CLIENT",
    "LOGIN_ACCOUNT",
    "SIGNUP",
    "PASSWORD_RESET",
    "CONTACT",
    "SEARCH",
    "SEMANTIC_SEARCH",
    "MATCHING",
)
# (weight, kind of page): each request draws one, then a concrete URL of that kind.
MIX = (
    (3, "home"),
    (3, "browse"),
    (2, "search"),
    (3, "organization"),
    (3, "opening"),
    (1, "challenge"),
    (1, "stories"),
    (2, "story"),
    (1, "login"),
)
QUERIES = ("aprendizaje", "visi%C3%B3n", "salud", "python", "datos", "agricultura", "nlp")


@dataclass
class Phase:
    """What one phase measured."""

    name: str
    clients: int
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    failed_urls: set[str] = field(default_factory=set)
    retries: int = 0
    retried_urls: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, latency: float, error: str | None, url: str) -> None:
        """Record one request."""
        with self.lock:
            self.latencies.append(latency)
            if error:
                self.errors[error] = self.errors.get(error, 0) + 1
                self.failed_urls.add(url)

    def retried(self, url: str) -> None:
        """Record a request retried once after its kept-alive connection was closed."""
        with self.lock:
            self.retries += 1
            self.retried_urls.add(url)

    def throughput(self) -> float:
        """Requests per second."""
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        """The p-th latency in milliseconds."""
        done = sorted(self.latencies)
        return done[min(len(done) - 1, int(p * len(done)))] * 1000 if done else 0.0

    def report(self) -> str:
        """A one-line summary."""
        n = len(self.latencies)
        pct = self.percentile
        errors = sum(self.errors.values())
        return (
            f"{self.name:<9} clients={self.clients:<3} requests={n:<7} errors={errors:<4} "
            f"throughput={self.throughput():7.1f} req/s  p50={pct(0.50):6.1f} ms  "
            f"p95={pct(0.95):6.1f} ms  p99={pct(0.99):6.1f} ms"
            + (f"  {self.errors} on {sorted(self.failed_urls)[:10]}" if errors else "")
            + (f"  retried={self.retries} on {sorted(self.retried_urls)[:10]}" * bool(self.retries))
        )


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def redis_answers(url: str) -> bool:
    """Whether a Redis answers PING at redis://host:port/..."""
    hostport = url.split("//", 1)[1].split("/", 1)[0]
    host, _, port = hostport.partition(":")
    try:
        with socket.create_connection((host, int(port or 6379)), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def environment(db_path: Path, redis: str | None) -> dict[str, str]:
    """The served app's environment: its own database, high limits, production if Redis."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DIRECTORY_")}
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{db_path}",
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
        }
    )
    env.update({f"DIRECTORY_RATELIMIT_{name}": HIGH for name in LIMITS})
    if redis:
        env.update(
            {
                "DIRECTORY_ENV": "production",
                "DIRECTORY_SECRET_KEY": secrets.token_urlsafe(48),
                "DIRECTORY_RATELIMIT_STORAGE_URI": redis,
                # A key prefix of its own: the bench never shares counters with anyone.
                "DIRECTORY_RATELIMIT_KEY_PREFIX": "bench" + secrets.token_hex(4),
                "DIRECTORY_MAIL_SERVER": "smtp.invalid",
                # The served origin is pinned; the load comes to 127.0.0.1.
                "DIRECTORY_PUBLIC_URL": "https://directorio.example.mx",
                "DIRECTORY_TRUSTED_HOSTS": '["127.0.0.1"]',
            }
        )
    return env


def prepare(env: dict[str, str]) -> None:
    """Schema, vocabulary and demo data, as `make db` (without embedding)."""
    flask = [sys.executable, "-m", "flask", "--app", "directory"]
    for step in (["db", "upgrade"], ["load-skills"], ["seed-demo"]):
        subprocess.run(flask + step, cwd=ROOT, env=env, check=True, capture_output=True)


def targets(db_path: Path) -> dict[str, list[str]]:
    """Concrete URLs of each kind, read from the seeded database (published records only)."""
    with sqlite3.connect(db_path) as conn:

        def column(sql: str) -> list[str]:
            return [str(row[0]) for row in conn.execute(sql)]

        orgs = column(
            "SELECT slug FROM organizations WHERE status = 'published' AND merged_into_id IS NULL"
        )
        # Posts are public only while their organisation is.
        openings = column(
            "SELECT p.id FROM openings p JOIN organizations o ON o.id = p.organization_id "
            "WHERE p.status = 'published' AND o.status = 'published'"
        )
        challenges = column(
            "SELECT p.id FROM challenges p JOIN organizations o ON o.id = p.organization_id "
            "WHERE p.status = 'published' AND o.status = 'published'"
        )
        stories = column("SELECT slug FROM success_stories WHERE status = 'published'")
    found = {
        "home": ["/"],
        "browse": ["/directory", "/directory?kind=organization", "/directory?kind=opening"],
        "search": [f"/directory?q={q}" for q in QUERIES],
        "organization": [f"/organizations/{slug}" for slug in orgs],
        "opening": [f"/openings/{i}" for i in openings],
        "challenge": [f"/challenges/{i}" for i in challenges],
        "stories": ["/stories"],
        "story": [f"/stories/{slug}" for slug in stories],
        "login": ["/login"],
    }
    empty = [kind for kind, urls in found.items() if not urls]
    if empty:
        raise SystemExit(f"the demo data has no published {empty}")
    return found


def start_server(env: dict[str, str], port: int, workers: int, log: Path) -> subprocess.Popen:
    """gunicorn -c gunicorn.conf.py on 127.0.0.1:port, waiting until it answers."""
    command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(workers), "wsgi:app"]
    with log.open("wb") as out:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped:\n" + log.read_text()[-3000:])
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/")
            if conn.getresponse().status == 200:
                conn.close()
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not answer within 60 s")


# A server may close a kept-alive connection just as the client sends on it; RFC 9112
# section 9.3.1 lets a client retry an idempotent request once on a new connection, as
# browsers and urllib3 do. Only that case is retried, and the report counts retries.
STALE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


def fetch(conn: http.client.HTTPConnection, url: str, lang: str) -> http.client.HTTPResponse:
    """One GET on `conn`, its body read."""
    conn.request("GET", url, headers={"Accept-Language": lang})
    response = conn.getresponse()
    response.read()
    return response


def wait_until(
    port: int, path: str, server: subprocess.Popen, log: Path, seconds: float = 300
) -> float:
    """Seconds until GET path answers 200 (e.g. /healthz/ready, as a load balancer waits)."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped:\n" + log.read_text()[-3000:])
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
            status = conn.getresponse().status
            conn.close()
            if status == 200:
                return time.monotonic() - started
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"{path} did not answer 200 within {seconds:.0f} s")


def stop_server(server: subprocess.Popen, seconds: float = 30) -> None:
    """SIGTERM (a graceful stop), then SIGKILL when it takes longer than `seconds`."""
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


BARE_APP = """
from flask import Flask, render_template_string

app = Flask(__name__)
PAGE = (
    "<!doctype html><html lang='es'><head><meta charset='utf-8'><title>{{ title }}</title>"
    "</head><body><header><nav>{% for link in links %}<a href='/{{ link }}'>{{ link }}</a>"
    "{% endfor %}</nav></header><main><h1>{{ title }}</h1>{% for item in items %}<article>"
    "<h2>{{ item }}</h2><p>{{ text }}</p></article>{% endfor %}</main></body></html>"
)
TEXT = "Una organización del ecosistema de inteligencia artificial de México. " * 2


@app.get("/")
def page():
    return render_template_string(
        PAGE, title="Directorio", links=["a", "b", "c", "d"], items=range(18), text=TEXT
    )
"""


def start_bare(tmp: Path, port: int, workers: int, log: Path) -> subprocess.Popen:
    """The bare Flask page under gunicorn, configured like gunicorn.conf.py's workers."""
    (tmp / "bare_app.py").write_text(BARE_APP)
    command = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--worker-class", "gthread", "--threads", "4"]
    command += ["--keep-alive", "5", "bare_app:app"]
    with log.open("wb") as out:
        # cwd is the temporary directory: gunicorn must not read the repository's config.
        server = subprocess.Popen(command, cwd=tmp, stdout=out, stderr=subprocess.STDOUT)
    wait_until(port, "/", server, log, seconds=60)
    return server


def client(port: int, urls: dict[str, list[str]], phase: Phase, until: float, seed: int) -> None:
    """One client: requests drawn from MIX on one keep-alive connection until `until`."""
    rng = random.Random(seed)
    kinds = [kind for weight, kind in MIX for _ in range(weight)]
    conn: http.client.HTTPConnection | None = None
    reused = False
    while time.monotonic() < until:
        url = rng.choice(urls[rng.choice(kinds)])
        lang = rng.choice(("es", "en"))
        started = time.perf_counter()
        error = None
        try:
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                reused = False
            try:
                response = fetch(conn, url, lang)
            except STALE:
                if not reused:
                    raise
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                phase.retried(url)
                response = fetch(conn, url, lang)
            reused = True
            if response.status != 200:
                error = f"HTTP {response.status}"
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = None
        except Exception as exc:  # any failure is an error to count, never a dead client
            error = type(exc).__name__
            if conn is not None:
                conn.close()
            conn = None
        phase.add(time.perf_counter() - started, error, url)
    if conn is not None:
        conn.close()


def run_phase(name: str, port: int, urls: dict[str, list[str]], clients: int, seconds: float):
    """Run `clients` threads for `seconds`; return the measured phase."""
    phase = Phase(name, clients)
    started = time.monotonic()
    until = started + seconds
    threads = [
        threading.Thread(target=client, args=(port, urls, phase, until, i), daemon=True)
        for i in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 30)
    phase.seconds = time.monotonic() - started
    return phase


def main(argv: list[str] | None = None) -> int:
    """Prepare, serve, measure, print; exit 1 on any error."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--baseline-duration", type=float, default=10.0)
    parser.add_argument(
        "--bare-duration",
        type=float,
        default=None,
        help="seconds against a bare Flask page (default --duration, 0 skips)",
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument(
        "--client",
        choices=("auto", "wrk", "python"),
        default="auto",
        help="load generator for the load and bare phases (auto: wrk when installed)",
    )
    args = parser.parse_args(argv)
    use_wrk = args.client == "wrk" or (args.client == "auto" and _wrk.available())
    if use_wrk and not _wrk.available():
        parser.error("wrk is not installed (apt-get install wrk)")

    def phase(name: str, port: int, urls: dict[str, list[str]], seconds: float):
        if use_wrk:
            paths = _wrk.weighted_paths(urls, MIX)
            return _wrk.run(name, port, paths, args.clients, seconds)
        return run_phase(name, port, urls, args.clients, seconds)

    if not 1 <= args.clients <= 200 or not 0 < args.duration <= 600:
        parser.error("keep it bounded: 1-200 clients, at most 600 s")
    with tempfile.TemporaryDirectory(prefix="directory-load-") as tmp:
        db_path, log = Path(tmp) / "load.sqlite3", Path(tmp) / "gunicorn.log"
        redis = args.redis if redis_answers(args.redis) else None
        env = environment(db_path, redis)
        mode = f"production, rate limits in {redis}" if redis else "development, memory limits"
        print(f"preparing the database ({db_path.name}: upgrade, load-skills, seed-demo)...")
        t0 = time.monotonic()
        prepare(env)
        urls = targets(db_path)
        print(
            f"prepared in {time.monotonic() - t0:.0f} s: "
            + ", ".join(f"{len(v)} {k}" for k, v in urls.items())
        )
        port = free_port()
        server = start_server(env, port, args.workers, log)
        try:
            print(f"gunicorn -c gunicorn.conf.py, {args.workers} workers, 127.0.0.1:{port}, {mode}")
            # The workers warm up (models, indexes) first; traffic waits, as behind a
            # load balancer that probes /healthz/ready.
            ready = wait_until(port, "/healthz/ready", server, log)
            print(f"ready after {ready:.0f} s", flush=True)
            baseline = run_phase("baseline", port, urls, 1, args.baseline_duration)
            print(baseline.report(), flush=True)
            load = phase("load", port, urls, args.duration)
            print(load.report(), flush=True)
        finally:
            stop_server(server)
        bare = None
        bare_seconds = args.duration if args.bare_duration is None else args.bare_duration
        if bare_seconds > 0:
            bare_port, bare_log = free_port(), Path(tmp) / "bare.log"
            bare_server = start_bare(Path(tmp), bare_port, args.workers, bare_log)
            try:
                bare_urls = {kind: ["/"] for kind in urls}
                bare = phase("bare", bare_port, bare_urls, bare_seconds)
            finally:
                stop_server(bare_server)
            print(bare.report())
            ratio = load.throughput() / bare.throughput() if bare.throughput() else 0.0
            print(
                f"public mix / bare page: {100 * ratio:.1f}% of the throughput "
                f"(goal >= 35%), p95 {load.percentile(0.95):.1f} ms (goal <= 100 ms)"
            )
        text = log.read_text()
        crashes = text.count('"level": "ERROR"')
        print(f"server log: {crashes} error lines")
        if crashes or load.retries or baseline.errors or load.errors:
            # The server's own lines (worker restarts, timeouts), not the per-request ones.
            notes = [line for line in text.splitlines() if '"path"' not in line]
            print("server notes:\n  " + "\n  ".join(notes[-20:]))
        if crashes or baseline.errors or load.errors:
            kept = Path(tempfile.gettempdir()) / "bench-load-gunicorn.log"
            kept.write_text(text)
            print(f"server log kept in {kept}")
    errors = sum(baseline.errors.values()) + sum(load.errors.values()) + crashes
    errors += sum(bare.errors.values()) if bare else 0
    print("RESULT: " + ("0 errors" if not errors else f"{errors} errors"))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
