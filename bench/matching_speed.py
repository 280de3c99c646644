"""Matching speed and memory at 10k and 100k synthetic records, and the import rate.

For each size, synthetic organisations, openings, challenges and published, consenting
profiles go in through the product's importer (`import_lines(..., embed=False)`), then
every record gets stored vectors for each model of the recipe. Those vectors are random
points around 64 topic centres, not model output: embedding 100k records with the real
models would take an hour on two cores, and search cost depends on the count and the
dimension, not on what the vectors mean. The text hashes are the real ones, so the
engine's sync trusts the stored vectors exactly as it does in production.

Printed per size (p50 / p95 over --queries questions, one at a time):
- FAISS alone: `Engine.neighbours` on the primary model (the baseline);
- match queries through `matching.service` with the visibility re-check, evidence and
  reasons: candidates for an opening, openings and challenges for a person, solvers
  (organisations, people, team) for a challenge, and "more like this";
- the time to build the indexes from the stored vectors, and the process RSS.

Before that, per size, FAISS alone on one kind's index of that many vectors (same topic
generator, dim 384): exact search (IndexFlatIP, the baseline) against the index the
product chooses at that size (exact, or IVF cells re-scored exactly above
MATCHING_ANN_MIN_VECTORS: matching/ann.py), with the build time, the index's memory, recall@10
of the product's top-200 search against exact search on --queries vectors that are not
stored, and p50 / p95 per query on one thread. Sizes above --e2e-records time the match
questions on --e2e-records imported records whose searched kinds' indexes are padded to the
size with vectors of other topics under ids no record has: FAISS then works at the full
size while the questions rank real records. (1M vectors per kind through the importer means
2M records, half of them people; at the 1.7 GB RSS measured per 100k records that is ~34 GB,
beyond this 24 GB machine, and about an hour of importing and syncing.)

Then the import rate: --import-sample records imported with embedding (both real models)
against the raw encode time of the same texts with the same models.

    .venv/bin/python bench/matching_speed.py [--sizes 10000 100000 1000000] [--queries 200]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from directory import create_app  # noqa: E402

ROLES = [
    ("Ingeniera de aprendizaje automático", "Machine learning engineer"),
    ("Científico de datos", "Data scientist"),
    ("Investigadora en visión por computadora", "Computer vision researcher"),
    ("Ingeniero de MLOps", "MLOps engineer"),
    ("Especialista en procesamiento de lenguaje natural", "NLP specialist"),
    ("Analista de datos", "Data analyst"),
    ("Arquitecto de datos", "Data architect"),
    ("Gerente de producto de IA", "AI product manager"),
    ("Ingeniera de datos", "Data engineer"),
    ("Investigador en aprendizaje por refuerzo", "Reinforcement learning researcher"),
]
DOMAINS = [
    ("salud", "health"), ("agricultura", "agriculture"), ("finanzas", "finance"),
    ("gobierno", "government"), ("educación", "education"), ("energía", "energy"),
    ("manufactura", "manufacturing"), ("movilidad", "mobility"), ("comercio", "retail"),
]  # fmt: skip
STATES = ["CMX", "JAL", "NLE", "PUE", "QUE", "GUA", "YUC", "BCN", "SON", "VER"]
TOPICS = 64


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _rss_mb() -> tuple[float, float]:
    """(current, peak) resident set size in MB."""
    current = 0.0
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                current = int(line.split()[1]) / 1024
    return current, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def synthetic_lines(n: int, rng: random.Random, skills: list[str]) -> list[str]:
    """JSON Lines of n records: 2% organisations, 40% openings, 8% challenges, 50% people."""
    orgs = max(5, n // 50)  # at least one agency (every fifth) to post challenges
    lines = []
    for i in range(orgs):
        kind = "government_agency" if i % 5 == 0 else "startup"
        lines.append({"type": "organization", "ref": f"o{i}", "name": f"Org {i}", "kind": kind,
                      "state": rng.choice(STATES), "skills": rng.sample(skills, 4)})  # fmt: skip
    for i in range(int(n * 0.40)):
        es, en = rng.choice(ROLES)
        area_es, area_en = rng.choice(DOMAINS)
        title = f"{es} para {area_es}" if i % 2 else f"{en} for {area_en}"
        lines.append({"type": "opening", "organization": f"o{rng.randrange(orgs)}",
                      "title": f"{title} #{i}", "skills": rng.sample(skills, rng.randint(3, 6)),
                      "state": rng.choice(STATES), "seniority": rng.choice(["junior", "mid",
                      "senior"]), "remote_policy": rng.choice(["onsite", "hybrid", "remote"]),
                      "relocation_support": rng.random() < 0.3})  # fmt: skip
    for i in range(int(n * 0.08)):
        area_es, _ = rng.choice(DOMAINS)
        lines.append({"type": "challenge", "organization": f"o{5 * rng.randrange(orgs // 5)}",
                      "title": f"Reto de IA en {area_es} #{i}", "problem": "Detectar fraudes "
                      "y anomalías en expedientes.", "skills": rng.sample(skills, 4)})  # fmt: skip
    for i in range(n - len(lines)):
        es, en = rng.choice(ROLES)
        abroad = rng.random() < 0.3
        profile = {"type": "profile", "email": f"p{i}@example.org", "full_name": f"Persona {i}",
                   "headline": es if i % 2 else en, "skills": rng.sample(skills, rng.randint(3, 8)),
                   "visibility": "public", "matching_consent": rng.random() < 0.9,
                   "country": "US" if abroad else "MX"}  # fmt: skip
        if abroad:
            profile |= {"diaspora_status": "abroad", "open_to": ["full_return"]}
        else:
            profile["state"] = rng.choice(STATES)
        lines.append(profile)
    return [json.dumps(line, ensure_ascii=False) for line in lines]


def topic_vectors(centres: Any, n: int, rng: Any) -> Any:
    """n normalised vectors, each a random topic centre plus noise."""
    import numpy as np

    vectors = centres[rng.integers(0, len(centres), n)]
    vectors += 0.6 * rng.standard_normal(vectors.shape).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors


def store_synthetic_vectors(models: dict[str, int], rng_seed: int) -> int:
    """Give every indexable record a stored vector per model (topic centre plus noise)."""
    import numpy as np
    from sqlalchemy import insert

    from directory.extensions import db
    from directory.matching import store
    from directory.matching.documents import KINDS, document_text, text_hash
    from directory.models import Embedding, utcnow

    rng = np.random.default_rng(rng_seed)
    total = 0
    for kind in KINDS:
        ids = sorted(store.indexable_ids(kind))
        for name, dim in models.items():
            centres = rng.standard_normal((TOPICS, dim)).astype(np.float32)
            for start in range(0, len(ids), 2000):
                records = store.load_records(kind, ids[start : start + 2000])
                vectors = topic_vectors(centres, len(records), rng)
                now = utcnow()
                rows = [{"kind": kind, "record_id": r.id, "model_name": name, "dim": dim,
                         "text_hash": text_hash(document_text(kind, r)),
                         "vector": v.tobytes(), "updated_at": now}
                        for r, v in zip(records, vectors, strict=True)]  # fmt: skip
                db.session.execute(insert(Embedding), rows)
                total += len(rows)
            db.session.commit()
    return total


def timed(label: str, calls: list[Callable[[], Any]]) -> list[float]:
    """Run each call once; print and return the latencies in ms."""
    calls[0]()  # warm-up: first-use caches are not what a steady worker sees
    times = []
    for call in calls:
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    print(f"  {label:<34} p50 {_p(times, 0.5):7.2f} ms   p95 {_p(times, 0.95):7.2f} ms")
    return times


@contextmanager
def fresh_app() -> Iterator[tuple[Any, list[str]]]:
    """An app on a new SQLite database with the vocabulary, inside a request context."""
    from sqlalchemy import select

    from directory.extensions import db
    from directory.models import Skill
    from directory.services import skills

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite3",
                          "MATCHING_INDEX_DIR": f"{tmp}/matching", "TESTING": True})  # fmt: skip
        with app.test_request_context():
            db.create_all()
            skills.load_vocabulary()
            db.session.commit()
            yield app, list(db.session.scalars(select(Skill.slug)))


def faiss_alone(n: int, queries: int, seed: int, dim: int = 384) -> list[dict[str, Any]]:
    """One kind's index of n vectors: exact search (the baseline) and the product's choice."""
    import gc

    import numpy as np

    from directory.config import DefaultConfig
    from directory.matching.index import VectorIndex
    from directory.matching.service import CANDIDATES

    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((TOPICS, dim)).astype(np.float32)
    stored = topic_vectors(centres, n, rng)
    asked = topic_vectors(centres, queries, rng)  # not stored: another kind's records asking
    rows: list[dict[str, Any]] = []
    truth: list[set[int]] = []
    choices = [("exact", n + 1), ("product", DefaultConfig.MATCHING_ANN_MIN_VECTORS)]
    for role, threshold in choices:
        gc.collect()
        before = _rss_mb()[0]
        started = time.perf_counter()
        index = VectorIndex(dim, ann_min_vectors=threshold, label=f"bench {n:,}")
        index.upsert(np.arange(1, n + 1), stored)
        build = time.perf_counter() - started
        rss = _rss_mb()[0] - before
        index.search(asked[0], CANDIDATES)  # warm-up
        times, found = [], []
        for query in asked:
            started = time.perf_counter()
            hits = index.search(query, CANDIDATES)
            times.append((time.perf_counter() - started) * 1000)
            found.append({record_id for record_id, _ in hits[:10]})
        truth = truth or found
        recall = sum(len(f & t) for f, t in zip(found, truth, strict=True)) / (10 * len(truth))
        rows.append({"size": n, "role": role, "index": index.describe(), "build": build,
                     "mb": index.nbytes() / 2**20, "rss": rss, "recall": recall,
                     "p50": _p(times, 0.5), "p95": _p(times, 0.95)})  # fmt: skip
        print(f"  FAISS alone, {role:<7} {rows[-1]['index']}: built in {build:.1f} s, "
              f"{rows[-1]['mb']:,.0f} MB, recall@10 {recall:.3f}, p50 {rows[-1]['p50']:.2f} "
              f"ms, p95 {rows[-1]['p95']:.2f} ms")  # fmt: skip
        del index
    return rows


# The kinds the match questions search (for_opening: people; for_profile: openings and
# challenges; for_challenge: organisations and people; more like this: openings).
SEARCHED_KINDS = ("profile", "opening", "challenge", "organization")


def pad_indexes(eng: Any, model: str, size: int, seed: int) -> None:
    """Grow each searched kind's index of one model to `size` vectors of other topics.

    The padding's ids belong to no record and its topics are not the records' (random
    directions in 384 dimensions are nearly orthogonal), so the questions still rank the
    records that exist, while FAISS searches an index of the full size.
    """
    import numpy as np

    rng = np.random.default_rng(seed + 99)
    for kind in SEARCHED_KINDS:
        index = eng.kinds[kind].dense[model]
        extra = size - len(index)
        if extra <= 0:
            continue
        centres = rng.standard_normal((TOPICS, index.dim)).astype(np.float32)
        started = time.monotonic()
        with eng._lock:
            index.upsert(np.arange(10**9, 10**9 + extra), topic_vectors(centres, extra, rng))
        print(f"  {kind}/{model} padded to {len(index):,} vectors in "
              f"{time.monotonic() - started:.0f} s: {index.describe()}")  # fmt: skip


def run_size(n: int, queries: int, seed: int, pad_to: int | None = None) -> dict[str, float]:
    """Build a database of n records and time FAISS and the match queries on it; return
    each question's p95 (ms)."""
    from flask_login import AnonymousUserMixin
    from sqlalchemy import select

    from directory.extensions import db
    from directory.matching import service
    from directory.models import Challenge, Opening, Profile
    from directory.services import importer

    rng = random.Random(seed)
    with fresh_app() as (app, slugs):
        started = time.monotonic()
        report = importer.import_lines(synthetic_lines(n, rng, slugs), embed=False)
        print(f"\n{n:,} records {report.counts}: inserted in "
              f"{time.monotonic() - started:.0f} s")  # fmt: skip
        models = {name: emb.dim for name, emb in service.engine().embedders.items()}
        started = time.monotonic()
        stored = store_synthetic_vectors(models, seed)
        print(f"  {stored:,} synthetic vectors stored in {time.monotonic() - started:.0f} s")
        started = time.monotonic()
        service.sync()
        print(f"  indexes built from stored vectors in {time.monotonic() - started:.1f} s")
        eng = service.engine()
        primary = max(service.recipe().dense.items(), key=lambda kv: kv[1])[0]
        if pad_to:
            pad_indexes(eng, primary, pad_to, seed)
        viewer = AnonymousUserMixin()
        pick = random.Random(seed + 1)

        def sample(model: type) -> list[Any]:
            ids = list(db.session.scalars(select(model.id)))
            return [db.session.get(model, i) for i in pick.sample(ids, min(queries, len(ids)))]

        openings, challenges = sample(Opening), sample(Challenge)
        people = [p for p in sample(Profile) if p.matching_consent]
        vectors = [eng.stored_vector("profile", primary, p.id) for p in people]
        p95 = {}
        for label, calls in [
            (f"FAISS top-{service.CANDIDATES} ({primary})",
             [lambda v=v: eng.neighbours("opening", primary, v, service.CANDIDATES)
              for v in vectors]),
            ("match: candidates for an opening",
             [lambda o=o: service.for_opening(o, viewer) for o in openings]),
            ("match: posts for a person",
             [lambda p=p: service.for_profile(p, viewer) for p in people]),
            ("match: solvers for a challenge",
             [lambda c=c: service.for_challenge(c, viewer) for c in challenges]),
            ("match: more like this opening",
             [lambda o=o: service.more_like_this("opening", o, viewer) for o in openings]),
        ]:  # fmt: skip
            p95[label] = _p(timed(label, calls), 0.95)
        current, peak = _rss_mb()
        print(f"  RSS {current:,.0f} MB (peak {peak:,.0f} MB)")
        service_reset(app)
    return p95


def service_reset(app: Any) -> None:
    """Drop the engine so the next size starts from nothing (and its memory is freed)."""
    app.extensions.pop("matching", None)


def import_rate(sample: int, seed: int) -> None:
    """Import with real embedding vs the raw encode of the same texts, same models."""

    from directory.matching import service, store
    from directory.matching.documents import KINDS, document_text
    from directory.matching.engine import EMBED_BATCH
    from directory.services import importer

    rng = random.Random(seed)
    with fresh_app() as (_app, slugs):
        embedders = service.engine().embedders
        for embedder in embedders.values():  # load the models before timing
            embedder.embed_documents(["calentamiento"])
        lines = synthetic_lines(sample, rng, slugs)
        # The texts the import will embed, from a dry run of the same lines elsewhere.
        with fresh_app() as _other:
            importer.import_lines(lines, embed=False)
            texts = [
                document_text(kind, record)
                for kind in KINDS
                for record in store.load_records(kind, sorted(store.indexable_ids(kind)))
            ]

        def encode_all() -> float:
            started = time.perf_counter()
            for embedder in embedders.values():
                for start in range(0, len(texts), EMBED_BATCH):
                    embedder.embed_documents(texts[start : start + EMBED_BATCH])
            return time.perf_counter() - started

        # Raw encode before and after the import, the faster kept: the machine's load
        # drifts, and the comparison should not flatter the import.
        first = encode_all()
        started = time.perf_counter()
        report = importer.import_lines(lines, embed=True)
        imported = time.perf_counter() - started
        raw = min(first, encode_all())
    print(f"\nimport of {sum(report.counts.values())} records with embedding "
          f"({', '.join(embedders)}): {imported:.1f} s")  # fmt: skip
    print(f"  raw encode of the same {len(texts)} texts, same models: {raw:.1f} s")
    print(f"  import / raw encode = {imported / raw:.2f}x (target <= 1.5x); "
          f"{len(texts) / imported:.0f} records/s")  # fmt: skip


def one_size(n: int, args: argparse.Namespace) -> dict[str, Any]:
    """FAISS alone at n vectors, then the match questions at n records (or padded to n)."""
    print(f"\n=== {n:,} ===")
    rows = faiss_alone(n, args.queries, args.seed)
    records = min(n, args.e2e_records)
    p95 = run_size(records, args.queries, args.seed, pad_to=n if n > records else None)
    return {"faiss": rows, "records": records, "match_p95": p95}


def print_table(results: list[dict[str, Any]]) -> None:
    """The summary: per size, the exact baseline and the product's index, side by side."""
    print("\nFAISS alone: one kind, dim 384, top-200 per query, one thread; match p95 is the "
          "slowest question's p95 (ms)")  # fmt: skip
    print(f"{'vectors':>10} {'search':<7} {'index':<24} {'build s':>7} {'MB':>6} {'RSS +MB':>7} "
          f"{'recall@10':>9} {'p50 ms':>7} {'p95 ms':>7} {'match p95':>9}")  # fmt: skip
    for result in results:
        match = max(v for k, v in result["match_p95"].items() if k.startswith("match"))
        for row in result["faiss"]:
            end = f"{match:9.1f}" if row["role"] == "product" else f"{'':>9}"
            name = row["index"].split(" (")[0]  # "IVF1024,SQ8 nprobe=12", "exact"
            print(f"{row['size']:>10,} {row['role']:<7} {name:<24} {row['build']:7.1f} "
                  f"{row['mb']:6,.0f} {row['rss']:7,.0f} {row['recall']:9.3f} "
                  f"{row['p50']:7.2f} {row['p95']:7.2f} {end}")  # fmt: skip
        if result["records"] < result["faiss"][0]["size"]:
            print(f"{'':>10} (match questions on {result['records']:,} records, indexes "
                  "padded to this size)")  # fmt: skip


def main() -> None:
    """Print the figures for each size, then the import rate."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="*", type=int, default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--import-sample", type=int, default=400)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--e2e-records", type=int, default=100_000,
                        help="most records imported for the match questions")  # fmt: skip
    parser.add_argument("--result-file", help=argparse.SUPPRESS)  # one size's child process
    args = parser.parse_args()
    if args.import_sample:
        print(f"cores: {os.cpu_count()}, python {sys.version.split()[0]}")
    if len(args.sizes) == 1:
        result = one_size(args.sizes[0], args)
        if args.result_file:
            Path(args.result_file).write_text(json.dumps(result))
        else:
            print_table([result])
    else:
        # One process per size, so each RSS figure is that size's alone.
        results = []
        with tempfile.TemporaryDirectory() as tmp:
            for n in args.sizes:
                out = Path(tmp) / f"{n}.json"
                subprocess.run([sys.executable, __file__, "--sizes", str(n), "--queries",
                                str(args.queries), "--import-sample", "0", "--seed",
                                str(args.seed), "--e2e-records", str(args.e2e_records),
                                "--result-file", str(out)], check=True)  # fmt: skip
                results.append(json.loads(out.read_text()))
        print_table(results)
    if args.import_sample:
        import_rate(args.import_sample, args.seed)


if __name__ == "__main__":
    main()
