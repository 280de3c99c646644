"""Search quality on the MELO benchmark, through the product's own import and search.

For each dataset, the corpus (ESCO occupation names) is imported as openings with
`flask import`'s code path into a fresh SQLite database, then every query goes through the
product's semantic search (`matching.service.search`), once per configuration:

- embedding alone: the dense model(s) of the product's recipe, no lexical part;
- lexical alone: the character n-gram TF-IDF part only;
- product, query as typed: the recipe without reading the query in the singular;
- product: the recipe in directory/config.py (the weights measured here), which also reads
  the query's words in the singular (directory/matching/plural.py).

Figures are trec_eval's (MAP over the top 100 returned, MRR, A@1/5/10), printed beside the
paper's baselines from published_results.tsv. The product never reads these files.

    .venv/bin/python bench/matching_quality.py [--datasets esp_q_es_c_es ...] [--limit N]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import _melo  # noqa: E402
import _vector_cache  # noqa: E402

from directory import create_app  # noqa: E402
from directory.config import DefaultConfig  # noqa: E402

TOP = 100
BASELINES = ("char_tf_idf", "bge_m3", "me5", "e5", "openai")


def configurations() -> dict[str, dict[str, Any]]:
    """The ways of scoring compared: dense only, lexical only, the product (two ways)."""
    product = dict(DefaultConfig.MATCHING_WEIGHTS)
    return {
        "embedding": {
            "MATCHING_WEIGHTS": product,
            "MATCHING_SINGULAR_QUERIES": False,
            "MATCHING_LEXICAL_SAME_LANGUAGE": 0.0,
            "MATCHING_LEXICAL_CROSS_LANGUAGE": 0.0,
        },
        "lexical": {
            "MATCHING_WEIGHTS": {},
            "MATCHING_SINGULAR_QUERIES": False,
            "MATCHING_LEXICAL_SAME_LANGUAGE": 1.0,
            "MATCHING_LEXICAL_CROSS_LANGUAGE": 1.0,
        },
        "product, query as typed": {"MATCHING_SINGULAR_QUERIES": False},
        "product": {},
    }


def _app(database: str, overrides: dict[str, Any]):
    return create_app({"SQLALCHEMY_DATABASE_URI": database, "TESTING": True, **overrides})


def _opening(text: str) -> dict[str, str]:
    """An opening named by an ESCO name; the few names over 200 characters (the title's
    limit) go on in the description, which follows the title in the matching text."""
    text = " ".join(text.split())
    record = {"type": "opening", "organization": "melo", "title": text[:200].rstrip()}
    if len(text) > 200:
        record["description"] = text[200:]
    return record


def import_corpus(database: str, dataset: _melo.Dataset) -> list[str]:
    """Import the corpus as openings of one organisation; return corpus ids by opening id."""
    from sqlalchemy import select

    from directory.extensions import db
    from directory.models import Opening
    from directory.services import importer, skills

    app = _app(database, {})
    with app.app_context():
        db.create_all()
        skills.load_vocabulary()
        db.session.commit()
        org = {"type": "organization", "ref": "melo", "name": "MELO", "kind": "company"}
        lines = [json.dumps(org)]
        lines += [json.dumps(_opening(text)) for _, text in dataset.corpus]
        started = time.monotonic()
        report = importer.import_lines(lines, embed=True)
        print(f"  imported {report.counts} in {time.monotonic() - started:.0f} s", flush=True)
        rows = db.session.execute(select(Opening.id, Opening.title).order_by(Opening.id)).all()
    assert [t for _, t in rows] == [_opening(t)["title"] for _, t in dataset.corpus]
    by_id = {}
    for (opening_id, _), (corpus_id, _) in zip(rows, dataset.corpus, strict=True):
        by_id[opening_id] = corpus_id
    return by_id


def evaluate(database: str, dataset: _melo.Dataset, by_id: dict[int, str], overrides, limit):
    """Run every query through the product's search under one configuration."""
    from flask_login import AnonymousUserMixin

    from directory.matching import service

    app = _app(database, overrides)
    rankings: dict[str, list[str]] = {}
    queries = dataset.queries[:limit] if limit else dataset.queries
    with app.test_request_context():
        service.sync(("opening",))
        viewer = AnonymousUserMixin()
        started = time.monotonic()
        for qid, text in queries:
            hits = service.search(text, viewer, kinds=("opening",), limit=TOP)
            rankings[qid] = [by_id[hit.record.id] for hit in hits]
        per_query = (time.monotonic() - started) / max(1, len(queries)) * 1000
    relevant = {qid: dataset.relevant[qid] for qid, _ in queries}
    return _melo.metrics(rankings, relevant), per_query


def _row(label: str, figures: dict[str, float], extra: str = "") -> str:
    cells = " ".join(f"{figures[k]:6.3f}" for k in ("MAP", "MRR", "A@1", "A@5", "A@10"))
    return f"  {label:<22} {cells} {extra}"


def main() -> None:
    """Print the table for every dataset."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="*", default=list(_melo.DATASETS))
    parser.add_argument("--limit", type=int, default=0, help="only the first N queries")
    parser.add_argument("--no-memo", action="store_true", help="encode every text afresh")
    parser.add_argument("--memo-read-only", action="store_true",
                        help="use the memo, never write it (beside a run that does)")  # fmt: skip
    args = parser.parse_args()
    save_memo = (lambda: None) if args.no_memo else _vector_cache.install(args.memo_read_only)
    published = _melo.published()
    print(f"recipe: {DefaultConfig.MATCHING_WEIGHTS}, lexical same-language "
          f"{DefaultConfig.MATCHING_LEXICAL_SAME_LANGUAGE}, cross-language "
          f"{DefaultConfig.MATCHING_LEXICAL_CROSS_LANGUAGE}")  # fmt: skip
    for name in args.datasets:
        dataset = _melo.load(name)
        print(f"\n{_melo.LABELS[name]} ({name}): {len(dataset.queries)} queries, "
              f"{len(dataset.corpus)} records")  # fmt: skip
        with tempfile.TemporaryDirectory() as tmp:
            database = "sqlite:///" + os.path.join(tmp, "melo.sqlite3")
            by_id = import_corpus(database, dataset)
            save_memo()
            print(f"  {'':<22} {'MAP':>6} {'MRR':>6} {'A@1':>6} {'A@5':>6} {'A@10':>6}")
            for label, overrides in configurations().items():
                figures, ms = evaluate(database, dataset, by_id, overrides, args.limit)
                print(_row(label, figures, f"({ms:.0f} ms/query)"), flush=True)
        for method in BASELINES:
            if (method, name) in published:
                print(_row(f"paper: {method}", published[(method, name)]))


if __name__ == "__main__":
    main()
