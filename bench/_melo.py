"""MELO data loading and trec_eval-style metrics for the matching benchmarks."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

MELO = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "melo"
DATASETS = ("esp_q_es_c_es", "usa_q_en_c_en", "esp_q_es_c_en")
LABELS = {"esp_q_es_c_es": "es→es", "usa_q_en_c_en": "en→en", "esp_q_es_c_en": "es→en"}


@dataclass
class Dataset:
    """Queries, corpus and relevance judgements of one MELO dataset."""

    name: str
    queries: list[tuple[str, str]]
    corpus: list[tuple[str, str]]
    relevant: dict[str, set[str]]


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE) if row]


def load(name: str, root: Path = MELO) -> Dataset:
    """Read one dataset; queries without a relevant element are dropped, as trec_eval does."""
    folder = root / name
    relevant: dict[str, set[str]] = {}
    for qid, _, cid, rel in _rows(folder / "annotations.tsv"):
        if int(rel) > 0:
            relevant.setdefault(qid, set()).add(cid)
    queries = [(q, t) for q, t in _rows(folder / "queries.tsv") if q in relevant]
    corpus = [(c, t) for c, t in _rows(folder / "corpus_elements.tsv")]
    return Dataset(name, queries, corpus, relevant)


def metrics(rankings: dict[str, list[str]], relevant: dict[str, set[str]]) -> dict[str, float]:
    """MAP, MRR and A@1/5/10 with trec_eval's definitions over the returned rankings."""
    total_ap = total_rr = 0.0
    hits = {1: 0, 5: 0, 10: 0}
    for qid, rels in relevant.items():
        ranking = rankings.get(qid, [])
        found = 0
        ap = 0.0
        first = None
        for position, cid in enumerate(ranking, start=1):
            if cid in rels:
                found += 1
                ap += found / position
                if first is None:
                    first = position
        total_ap += ap / len(rels)
        total_rr += 1.0 / first if first else 0.0
        for k in hits:
            if first is not None and first <= k:
                hits[k] += 1
    n = len(relevant) or 1
    return {
        "MAP": total_ap / n,
        "MRR": total_rr / n,
        "A@1": hits[1] / n,
        "A@5": hits[5] / n,
        "A@10": hits[10] / n,
    }


def published(root: Path = MELO) -> dict[tuple[str, str], dict[str, float]]:
    """The paper's figures: (method, dataset) → metrics."""
    rows = _rows(root / "published_results.tsv")
    header = rows[0]
    out = {}
    for row in rows[1:]:
        out[(row[0], row[1])] = {k: float(v) for k, v in zip(header[2:], row[2:], strict=True)}
    return out
