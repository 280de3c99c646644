"""The first match question after one record changes: full lexical refit vs updated().

Engine.sync used to refit a kind's character n-gram index (matching/lexical.py) from
every text of the kind after any change; it now calls CharNgramIndex.updated(), which
analyses only the changed texts. Per size (synthetic records from bench/matching_speed.py
with stored synthetic vectors, one process per size), on the profile kind (about half the
records):

(a) a full CharNgramIndex refit of the profiles after one changed: the engine's former cost, the
    baseline;
(b) updated() of the index before the change with that one record; the result is checked
    against the refit (same top 10 on a few queries, largest score difference);
(c) end to end: a profile's headline changes, its vectors are stored (as the embedding
    job does, off the request path), and the first "candidates for an opening" question
    (which syncs the profiles) is timed, split into the sync and the question.

(c) runs engine.py's own sync, which calls updated(); its baseline patches updated() to
refit, as the engine did before. Every figure is printed against the 500 ms goal of
issue 13.

    .venv/bin/python bench/after_change.py [--sizes 10000 100000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent))
from matching_speed import fresh_app, store_synthetic_vectors, synthetic_lines  # noqa: E402

from directory.matching import store  # noqa: E402
from directory.matching.documents import document_text  # noqa: E402
from directory.matching.engine import Engine  # noqa: E402
from directory.matching.lexical import CharNgramIndex  # noqa: E402
from directory.models import utcnow  # noqa: E402

GOAL_MS = 500.0
QUERIES = ("ingeniero de datos", "machine learning engineer", "visión por computadora",
           "salud", "MLOps", "procesamiento de lenguaje natural")  # fmt: skip


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def _median_ms(call: Callable[[], Any], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        times.append(_ms(started))
    return statistics.median(times)


def _line(label: str, value: float, note: str = "") -> None:
    print(f"    {label:<52} {value:10,.1f} ms  {value / GOAL_MS:6.3f}x goal  {note}")


def kind_texts(kind: str) -> dict[int, str]:
    """Every indexed text of a kind, read from the database (workers keep no texts)."""
    ids = store.indexable_ids(kind)
    texts: dict[int, str] = {}
    for start in range(0, len(ids), 2000):
        for record in store.load_records(kind, ids[start : start + 2000]):
            texts[record.id] = document_text(kind, record)
    return texts


def refit_mode(texts: dict[int, str]) -> AbstractContextManager[Any]:
    """The engine as it was: every sync refits the kind's lexical index from its texts.

    `texts` are the kind's texts, read once beforehand and kept current here, so the
    baseline pays the refit and not a read of every text.
    """

    def refit(index: CharNgramIndex, changed: Any, gone: Any) -> CharNgramIndex:
        texts.update(changed)
        for record_id in gone:
            texts.pop(record_id, None)
        ids = sorted(texts)
        return CharNgramIndex(ids, [texts[i] for i in ids])

    return mock.patch.object(CharNgramIndex, "updated", refit)


def lexical_figures(eng: Engine, repeats: int, rng: random.Random) -> None:
    """(a) and (b) on the profile kind's texts, with the check against the refit."""
    import numpy as np

    state = eng.kinds["profile"]
    before = state.lexical  # fitted by the first sync, as every worker's is
    texts = kind_texts("profile")
    ids = sorted(texts)
    victim, donor = rng.sample(ids, 2)
    changed = {victim: texts[donor] + ". Cambio de prueba"}
    after_texts = [changed.get(i, texts[i]) for i in ids]
    print(f"  lexical index of the profiles ({len(ids):,} texts), one record changed:")
    started = time.perf_counter()
    refit = CharNgramIndex(ids, after_texts)
    _line("(a) full refit (as before, the baseline)", refit_ms := _ms(started))
    update_ms = _median_ms(lambda: before.updated(changed, []), repeats)
    after = before.updated(changed, [])
    _line("(b) updated(), 1 changed record", update_ms, f"{refit_ms / update_ms:,.0f}x faster")
    gaps, same = [], True
    for query in QUERIES:
        truth = refit.scores(query)
        best = [score for _, score in refit.search(query, 10)]
        for index in (after,):
            gaps.append(float(np.abs(index.scores(query) - truth).max()))
            # Records tied in the refit (identical texts) may swap: compare the scores.
            top = [float(truth[np.searchsorted(refit.ids, i)]) for i, _ in index.search(query, 10)]
            same &= len(top) == len(best) and bool(np.allclose(top, best, atol=1e-5))
    print(f"    same top 10 as the refit on {len(QUERIES)} queries: {'yes' if same else 'NO'}; "
          f"largest score difference {max(gaps):.1e}")  # fmt: skip


def change_profile(profile: Any, models: dict[str, int], tag: str) -> None:
    """Edit a headline and store the new text's vectors, as the embedding job would."""
    import numpy as np
    from sqlalchemy import update

    from directory.extensions import db
    from directory.matching.documents import document_text, text_hash
    from directory.models import Embedding

    profile.headline = f"{profile.headline.split(' · ')[0]} · {tag}"
    db.session.commit()
    digest = text_hash(document_text("profile", profile))
    for name, dim in models.items():
        vector = np.random.default_rng().standard_normal(dim).astype(np.float32)
        vector /= np.linalg.norm(vector)
        db.session.execute(
            update(Embedding)
            .where(Embedding.kind == "profile", Embedding.record_id == profile.id)
            .where(Embedding.model_name == name)
            .values(text_hash=digest, vector=vector.tobytes(), updated_at=utcnow())
        )
    db.session.commit()


def end_to_end(models: dict[str, int], repeats: int, rng: random.Random) -> None:
    """(c): the first candidates question after a profile changes, both ways."""
    from flask_login import AnonymousUserMixin
    from sqlalchemy import select

    from directory.extensions import db
    from directory.matching import service
    from directory.models import Opening, Profile

    eng, viewer = service.engine(), AnonymousUserMixin()
    indexed = sorted(eng.kinds["profile"].names)
    opening = db.session.get(Opening, rng.choice(list(db.session.scalars(select(Opening.id)))))
    service.for_opening(opening, viewer)  # warm-up: models, skill phrases, first caches
    steady_ms = _median_ms(lambda: service.for_opening(opening, viewer), repeats)
    # Two parts of every sync that do not depend on the lexical index, for the breakdown.
    stamps_ms = _median_ms(lambda: store.stamps("profile"), repeats)
    some = indexed[len(indexed) // 2]
    dense = eng.kinds["profile"].dense.values()
    vectors = [(index, index.vector(some)[None, :]) for index in dense]
    upsert_ms = _median_ms(lambda: [index.upsert([some], v) for index, v in vectors], repeats)
    print("  first 'candidates for an opening' after one profile changes (sync + question):")
    modes = [("before: sync refitted the profiles' index", refit_mode(kind_texts("profile"))),
             ("with updated()", nullcontext())]  # fmt: skip
    for label, mode in modes:
        totals, syncs = [], []
        with mode:
            for attempt in range(repeats):
                change_profile(db.session.get(Profile, rng.choice(indexed)), models,
                               f"cambio {label[:5]} {attempt}")  # fmt: skip
                started = time.perf_counter()
                service.sync(("profile",))
                syncs.append(_ms(started))
                service.for_opening(opening, viewer)  # its own sync finds nothing to do
                totals.append(_ms(started))
        _line(label, statistics.median(totals), f"(sync {statistics.median(syncs):,.0f} ms)")
    _line("steady state: the same question, nothing changed", steady_ms)
    _line("in every sync: reading every profile's stamp", stamps_ms)
    _line(f"in every sync: FAISS upsert of 1 vector x {len(vectors)} models", upsert_ms)


def run_size(n: int, repeats: int, seed: int) -> None:
    """Build n synthetic records with stored vectors, then print (a), (b) and (c)."""
    from directory.matching import service
    from directory.services import importer

    rng = random.Random(seed)
    with fresh_app() as (_app, slugs):
        logging.getLogger("directory.matching").setLevel(logging.WARNING)  # per-index lines
        importer.import_lines(synthetic_lines(n, rng, slugs), embed=False)
        models = {name: emb.dim for name, emb in service.engine().embedders.items()}
        store_synthetic_vectors(models, seed)
        started = time.perf_counter()
        service.sync()
        print(f"\n{n:,} records (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} "
              f"cores); first sync of every kind {_ms(started) / 1000:.1f} s")  # fmt: skip
        lexical_figures(service.engine(), repeats, rng)
        end_to_end(models, repeats, rng)


def main() -> None:
    """Print the figures for each size, one process per size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="*", type=int, default=[10_000, 100_000])
    parser.add_argument("--repeats", type=int, default=3, help="changes timed per figure")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if len(args.sizes) == 1:
        run_size(args.sizes[0], args.repeats, args.seed)
        return
    for n in args.sizes:
        subprocess.run([sys.executable, __file__, "--sizes", str(n), "--repeats",
                        str(args.repeats), "--seed", str(args.seed)], check=True)  # fmt: skip


if __name__ == "__main__":
    main()
