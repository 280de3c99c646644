"""First semantic search after a server start: gunicorn without and with the warm-up (issue 13).

Prepares a temporary SQLite database as `make db` does (`flask db upgrade`, `load-skills`,
`seed-demo`, `matching rebuild`, its snapshots in the same temporary directory), then
starts gunicorn with the repository's gunicorn.conf.py on a free 127.0.0.1 port twice:

- baseline: DIRECTORY_MATCHING_WARMUP=false, the behaviour before issue 13: each worker
  loads the models on its first matching request;
- warm-up: DIRECTORY_MATCHING_WARMUP=true: each worker loads them in a background thread
  as it starts, and /healthz/ready answers 200 once every worker has.

For each it prints: seconds from the start until a page answers and until /healthz/ready
answers 200, the latency of the first semantic search (/search?q=...) sent right after
readiness, the worst and median of the next searches (each on a new connection, so both
workers take some: gunicorn gives a connection to whichever worker accepts it), and each
worker's RSS (VmRSS) afterwards, with the machine's load average (other processes slow
every figure: --repeat N alternates the two modes N times and prints medians). The goal:
the first search ≤ 1 s after readiness; the exit status is 1 when it is not met. Both modes
run with the machine's embedding service that gunicorn.conf.py starts (its RSS is printed
apart; --no-embed-service keeps the models in each worker, as before it existed).

As bench/load.py (whose helpers this reuses): production mode with rate limits in Redis
when one answers on 127.0.0.1:6379 (or --redis URL), else development mode; every limit
raised so the bench is not refused.

    .venv/bin/python bench/first_request.py [--workers 2] [--searches 8] [--repeat 1]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import (  # noqa: E402
    ROOT,
    environment,
    free_port,
    prepare,
    redis_answers,
    stop_server,
    wait_until,
)

QUERIES = (
    "aprendizaje automático para salud",
    "computer vision for agriculture",
    "procesamiento de lenguaje natural",
    "data engineer python",
    "visión por computadora",
    "predicción de demanda",
    "speech recognition in spanish",
    "detección de fraude",
    "robótica agrícola",
    "climate models",
)
WARMUP_LOGGER = "directory.matching.warmup"  # its lines are printed after each run
READY_WITHIN = 300.0  # seconds; the busy-machine baseline took up to 23 s per worker


@dataclass
class Run:
    """What one server start measured."""

    name: str
    page_s: float = 0.0
    ready_s: float = 0.0
    ready_body: str = ""
    first_search_s: float = 0.0
    next_searches_s: tuple[float, ...] = ()
    rss_mb: tuple[float, ...] = ()
    service_mb: float | None = None  # the machine's embedding service, when there is one
    load: float = 0.0  # the machine's 1-minute load average when the server started

    def report(self) -> str:
        """Lines for the table."""
        worst = max(self.next_searches_s, default=0.0)
        median = statistics.median(self.next_searches_s) if self.next_searches_s else 0.0
        rss = ", ".join(f"{mb:.0f}" for mb in self.rss_mb)
        if self.service_mb is not None:
            rss += f"; embedding service {self.service_mb:.0f}"
        return (
            f"{self.name:<9} load {self.load:4.1f}  "
            f"page after {self.page_s:5.1f} s  ready after {self.ready_s:5.1f} s  "
            f"first search {self.first_search_s:6.2f} s  next {len(self.next_searches_s)}: "
            f"worst {worst:6.2f} s, median {median:5.2f} s  worker RSS MB: {rss}\n"
            f"{'':<9} ready said: {self.ready_body}"
        )


def get(port: int, path: str, timeout: float = 120) -> tuple[int, str, float]:
    """One GET on a new connection: status, body, seconds."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Accept-Language": "es"})
        response = conn.getresponse()
        body = response.read().decode("utf-8", "replace")
        return response.status, body, time.perf_counter() - started
    finally:
        conn.close()


def is_embed_service(pid: int) -> bool:
    """Whether a child of the master is the embedding service rather than a worker."""
    try:
        return b"embed_service" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def workers_of(master: int) -> list[int]:
    """Pids of the gunicorn master's children (its workers and the embedding service)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command may hold spaces: fields after the last ")" are fixed.
        if int(stat.rsplit(")", 1)[1].split()[1]) == master:
            found.append(int(entry.name))
    return sorted(found)


def rss_mb(pid: int) -> float:
    """VmRSS of a process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def measure(name: str, env: dict[str, str], workers: int, searches: int, tmp: Path) -> Run:
    """Start gunicorn, wait for readiness, search, read the workers' memory, stop."""
    port, log = free_port(), tmp / f"gunicorn-{name}.log"
    command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(workers), "wsgi:app"]
    run = Run(name, load=os.getloadavg()[0])
    started = time.monotonic()
    with log.open("wb") as out:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_until(port, "/", server, log, READY_WITHIN)
        run.page_s = time.monotonic() - started
        wait_until(port, "/healthz/ready", server, log, READY_WITHIN)
        # Without the warm-up, ready answers at once, even before the embedding service
        # listens (searches then use their other scorers): wait for it to listen, so the
        # first search is a semantic one, as it was when each worker loaded the models.
        while '"unreachable"' in get(port, "/healthz/ready")[1]:
            if time.monotonic() - started > READY_WITHIN:
                raise SystemExit("the embedding service never answered")
            time.sleep(0.2)
        run.ready_s = time.monotonic() - started
        _, run.ready_body, _ = get(port, "/healthz/ready")
        status, _, run.first_search_s = get(port, "/search?q=" + quote(QUERIES[0]))
        if status != 200:
            raise SystemExit(f"the first search answered {status}")
        later = []
        for query in (QUERIES * 4)[1 : searches + 1]:
            status, _, seconds = get(port, "/search?q=" + quote(query))
            if status != 200:
                raise SystemExit(f"a search answered {status}")
            later.append(seconds)
        run.next_searches_s = tuple(later)
        children = workers_of(server.pid)
        run.rss_mb = tuple(rss_mb(pid) for pid in children if not is_embed_service(pid))
        services = [rss_mb(pid) for pid in children if is_embed_service(pid)]
        run.service_mb = services[0] if services else None
    finally:
        stop_server(server, 60)
    for line in log.read_text().splitlines():
        entry = json.loads(line) if line.startswith("{") else {}
        if entry.get("logger") == WARMUP_LOGGER or entry.get("level") == "ERROR":
            print(f"  server: {entry['message'][:200]}")
    return run


def main(argv: list[str] | None = None) -> int:
    """Prepare once, measure the baseline and the warm-up, print both."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--searches", type=int, default=8, help="searches after the first")
    parser.add_argument("--repeat", type=int, default=1, help="server starts per mode")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument(
        "--no-embed-service", action="store_true", help="models in each worker (as before)"
    )
    args = parser.parse_args(argv)
    if not 1 <= args.workers <= 8 or not 0 <= args.searches <= 40 or not 1 <= args.repeat <= 5:
        parser.error("keep it bounded: 1-8 workers, at most 40 searches and 5 repeats")
    with tempfile.TemporaryDirectory(prefix="directory-first-") as name:
        tmp = Path(name)
        db_path = tmp / "first.sqlite3"
        redis = args.redis if redis_answers(args.redis) else None
        env = environment(db_path, redis)
        env["DIRECTORY_MATCHING_INDEX_DIR"] = str(tmp / "matching")
        env["DIRECTORY_MATCHING_EMBED_SERVICE"] = "false" if args.no_embed_service else "true"
        mode = f"production, rate limits in {redis}" if redis else "development, memory limits"
        print("preparing the database as `make db` does (with `matching rebuild`)...")
        t0 = time.monotonic()
        prepare(env)
        flask = [sys.executable, "-m", "flask", "--app", "directory", "matching", "rebuild"]
        subprocess.run(flask, cwd=ROOT, env=env, check=True, capture_output=True)
        print(f"prepared in {time.monotonic() - t0:.0f} s")
        cpus = os.cpu_count()
        print(f"gunicorn -c gunicorn.conf.py, {args.workers} workers, {mode}, {cpus} CPUs")
        runs: dict[str, list[Run]] = {"baseline": [], "warm-up": []}
        for _ in range(args.repeat):
            for run_name, warm in (("baseline", "false"), ("warm-up", "true")):
                print(f"{run_name}: DIRECTORY_MATCHING_WARMUP={warm}", flush=True)
                runs[run_name].append(
                    measure(
                        run_name,
                        env | {"DIRECTORY_MATCHING_WARMUP": warm},
                        args.workers,
                        args.searches,
                        tmp,
                    )
                )
    print()
    for first in zip(*runs.values(), strict=True):
        for run in first:
            print(run.report())
    baseline = statistics.median(run.first_search_s for run in runs["baseline"])
    warm_first = statistics.median(run.first_search_s for run in runs["warm-up"])
    ready = statistics.median(run.ready_s for run in runs["warm-up"])
    print(
        f"median of {args.repeat}: ready after {ready:.1f} s; first search after readiness "
        f"{warm_first:.2f} s with the warm-up, {baseline:.2f} s without "
        f"({baseline / max(warm_first, 1e-6):.0f}x faster); goal ≤ 1 s: "
        + ("met" if warm_first <= 1.0 else "NOT met")
    )
    return 0 if warm_first <= 1.0 else 1


if __name__ == "__main__":
    sys.exit(main())
