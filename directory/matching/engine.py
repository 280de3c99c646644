"""Per-process matching state: one FAISS index per kind and model, kept in step with the DB.

Every worker holds its own indexes. Before answering, it reads the id and `updated_at` of
every indexable record (one narrow query) and compares them with the stamps it last saw;
it loads just the records whose stamp differs, reuses vectors another worker already
stored (same text hash and model) and embeds only what is new. Comparing stamps per record
rather than "newer than my last sync" catches a change stamped at flush but committed
after our read, and does not depend on clocks agreeing. A change made through one worker
is thus matched by all of them on their next question, without a restart.

What a worker keeps per record is kept small (issue 13, "Light workers": ≤ 600 MB per web
worker at 100k records): vectors as float16 (index.py), the lexical index as word counts
(lexical.py), the name and a digest instead of the text, and facts whose small values
are shared (store.py).
"""

from __future__ import annotations

import gc
import logging
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Embedding, utcnow
from . import snapshot, store
from .documents import KINDS, document_text, text_digest, text_hash
from .index import VectorIndex
from .language import guess_language
from .lexical import CharNgramIndex

if TYPE_CHECKING:
    import numpy as np

    from .embedder import Embedder

log = logging.getLogger(__name__)
EMBED_BATCH = 64
LOAD_CHUNK = 2000  # records loaded (with their skills and vectors) at a time by a sync
# A full collection every this many chunks (one costs ~0.1-0.4 s at 100k records).
COLLECT_EVERY = 5


@dataclass
class KindState:
    """What one worker knows of one kind of record.

    Not the texts themselves (~26 MB at 100k records): the lexical index keeps what it
    scores, search reads the names, and a record's text is compared by its digest.
    """

    dense: dict[str, VectorIndex] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)  # a text's first part: the name
    hashes: dict[int, bytes] = field(default_factory=dict)  # SHA-256 of each indexed text
    languages: dict[int, str] = field(default_factory=dict)
    lexical: CharNgramIndex | None = None
    facts: dict[int, store.Facts] = field(default_factory=dict)  # what ranking reads
    stamps: dict[int, datetime | None] | None = None  # updated_at of each indexed record
    synced_at: datetime | None = None
    checked_at: float | None = None  # time.monotonic() of the last look at the database
    generation: int = -1  # store.generation() seen at that look


class Engine:
    """Indexes of every kind for a set of embedders."""

    def __init__(
        self,
        embedders: Mapping[str, Embedder],
        snapshot_dir: Path | None = None,
        ann_min_vectors: int | None = None,
    ) -> None:
        self.embedders = dict(embedders)
        self.kinds: dict[str, KindState] = {kind: KindState() for kind in KINDS}
        self.snapshot_dir = snapshot_dir
        # Vectors per index from which search turns approximate (ann.py); None reads
        # MATCHING_ANN_MIN_VECTORS from the app's config when an index is made.
        self.ann_min_vectors = ann_min_vectors
        self.skill_space: Any = None  # skillspace.SkillSpace on these embedders, made on use
        self._lock = threading.RLock()

    # --- keeping in step with the database -------------------------------------------

    def sync(self, kind: str, progress: Callable[[int], None] | None = None) -> int:
        """Bring a kind's indexes up to date; return how many records were (re)indexed."""
        with self._lock:
            state = self.kinds[kind]
            stamps = store.stamps(kind)
            if stamps == state.stamps:
                return 0
            known = state.stamps or {}
            gone = sorted(set(state.hashes) - set(stamps))
            changed_ids = sorted(
                i for i, stamp in stamps.items() if i not in known or known[i] != stamp
            )
            # Only a worker's first sync of a kind, with records to index, reads snapshots:
            # an empty kind neither opens files nor loads a model for their dimension.
            saved = self._snapshots(kind) if state.stamps is None and changed_ids else {}
            texts: dict[int, str] = {}  # of the records loaded now, for the lexical index
            # In chunks: a worker's first sync at 100k records held every record, its skills
            # and stored vectors as ORM objects at once, and the process kept that peak.
            for start in range(0, len(changed_ids), LOAD_CHUNK):
                changed = store.load_records(kind, changed_ids[start : start + LOAD_CHUNK])
                texts.update(self._apply(kind, state, changed, progress, saved))
                del changed
                if start // LOAD_CHUNK % COLLECT_EVERY == COLLECT_EVERY - 1:
                    # The loaded records' cycles (record ↔ skills ↔ memberships) wait for a
                    # full collection otherwise: chunks pile up between the long-lived
                    # entries kept for each record, and the worker kept ~20 MB more.
                    gc.collect()
            del saved
            if gone:
                for index in state.dense.values():
                    index.remove(gone)
                for record_id in gone:
                    for known_of in (state.names, state.hashes, state.languages, state.facts):
                        known_of.pop(record_id, None)
            if state.lexical is None:
                # The first sync loaded every record of the kind.
                ids = sorted(texts)
                state.lexical = CharNgramIndex(ids, [texts[i] for i in ids])
            elif texts or gone:
                # Only the changed texts are analysed (lexical.py).
                state.lexical = state.lexical.updated(texts, gone)
            loaded = len(texts)
            del texts
            # Only what was actually loaded counts as seen: a record that vanished between
            # the two queries is looked at again next time.
            state.stamps = {i: stamp for i, stamp in stamps.items() if i in state.hashes}
            state.synced_at = utcnow()
            return loaded

    def sync_if_due(
        self, kind: str, interval: float, progress: Callable[[int], None] | None = None
    ) -> int:
        """Sync when `interval` seconds have passed or this process changed the kind since.

        Reading every record's stamp costs ~30 ms per 10k records, too much for every
        question; a worker sees its own changes at once and other workers' changes within
        `interval` seconds (hits are re-checked against the database in any case).
        """
        generation = store.generation(kind)
        now = time.monotonic()
        state = self.kinds[kind]
        if (
            state.checked_at is not None
            and now - state.checked_at < interval
            and state.generation == generation
        ):
            return 0
        try:
            return self.sync(kind, progress)
        finally:
            # Also after a failure (the embedding service down): the next try waits for
            # the interval instead of re-reading every stamp on every question.
            with self._lock:
                state = self.kinds[kind]
                state.checked_at, state.generation = now, generation

    def _snapshots(self, kind: str) -> dict[str, snapshot.Snapshot]:
        """The saved indexes of a kind this worker may start from (see snapshot.py)."""
        if self.snapshot_dir is None:
            return {}
        found = {}
        for model_name, embedder in self.embedders.items():
            saved = snapshot.load(self.snapshot_dir, kind, model_name, embedder.dim)
            if saved is not None:
                found[model_name] = saved
        return found

    def save(self) -> int:
        """Save every synced kind's indexes for the next worker; return the kinds saved."""
        if self.snapshot_dir is None:
            return 0
        saved = 0
        with self._lock:
            for kind, state in self.kinds.items():
                if state.stamps is None:
                    continue
                hashes = {i: digest.hex() for i, digest in state.hashes.items()}
                snapshot.save(self.snapshot_dir, kind, state.dense, hashes)
                saved += 1
        return saved

    def _apply(
        self,
        kind: str,
        state: KindState,
        records: Sequence[Any],
        progress: Callable[[int], None] | None,
        saved: Mapping[str, snapshot.Snapshot] | None = None,
    ) -> dict[int, str]:
        """Index these records (vectors, names, digests, facts); return their texts."""
        if not records:
            return {}
        texts = {record.id: document_text(kind, record) for record in records}
        # Every model's vectors first, the indexes after: when the embedding service is
        # down (EmbedderUnavailable) the sync fails before it changed anything.
        import numpy as np

        found: dict[str, tuple[list[int], np.ndarray | None]] = {}
        for model_name, embedder in self.embedders.items():
            vectors = self._vectors(
                kind, model_name, embedder, texts, progress, (saved or {}).get(model_name)
            )
            ids = sorted(vectors)
            # One matrix per model (not a small array per record) while the others load.
            matrix = np.stack([vectors[i] for i in ids]) if ids else None
            del vectors
            found[model_name] = (ids, matrix)
        for model_name, (ids, matrix) in found.items():
            index = state.dense.get(model_name)
            if index is None:
                index = state.dense[model_name] = VectorIndex(
                    self.embedders[model_name].dim,
                    self._ann_min_vectors(),
                    label=f"index {kind}/{model_name}",
                )
            if matrix is not None:
                index.upsert(ids, matrix)
        del found
        for record_id, text in texts.items():
            # Interned: many records share a name ("Data engineer"), and search's cache too.
            state.names[record_id] = sys.intern(text.split(". ")[0])
            state.hashes[record_id] = text_digest(text)
            state.languages[record_id] = guess_language(text)
        for record in records:
            state.facts[record.id] = store.facts_of(record)
        return texts

    def _vectors(
        self,
        kind: str,
        model_name: str,
        embedder: Embedder,
        texts: Mapping[int, str],
        progress: Callable[[int], None] | None,
        saved: snapshot.Snapshot | None = None,
    ) -> dict[int, np.ndarray]:
        """Saved or stored vectors where the text is unchanged; new embeddings elsewhere."""
        import numpy as np

        out: dict[int, np.ndarray] = {}
        if saved is not None:
            for record_id, text in texts.items():
                vector = saved.vector(record_id, text_hash(text))
                if vector is not None:
                    out[record_id] = vector
        rest = [record_id for record_id in texts if record_id not in out]
        stored = store.stored_vectors(kind, model_name, rest) if rest else {}
        todo: list[int] = []
        for record_id in rest:
            text = texts[record_id]
            row = stored.get(record_id)
            if row is not None and row.text_hash == text_hash(text) and row.dim == embedder.dim:
                out[record_id] = np.frombuffer(row.vector, dtype=np.float32)
            else:
                todo.append(record_id)
        for start in range(0, len(todo), EMBED_BATCH):
            batch = todo[start : start + EMBED_BATCH]
            vectors = embedder.embed_documents([texts[i] for i in batch])
            for record_id, vector in zip(batch, vectors, strict=True):
                out[record_id] = vector
                self._store(kind, model_name, record_id, texts[record_id], vector, stored)
            try:
                db.session.commit()
            except IntegrityError:
                # Another worker stored vectors of some of these records meanwhile (the
                # first questions after a deploy): overwrite its rows with ours.
                db.session.rollback()
                stored = store.stored_vectors(kind, model_name, batch)
                for record_id in batch:
                    self._store(
                        kind, model_name, record_id, texts[record_id], out[record_id], stored
                    )
                db.session.commit()
            if progress is not None:
                progress(len(batch))
        return out

    def _ann_min_vectors(self) -> int | None:
        """The size from which an index searches approximately (None: ann.py's default)."""
        if self.ann_min_vectors is not None:
            return self.ann_min_vectors
        # Read here rather than passed by service.engine(): sync already runs inside the
        # app context (the database session needs it), and so does this.
        from flask import current_app, has_app_context

        if not has_app_context():
            return None
        value = current_app.config.get("MATCHING_ANN_MIN_VECTORS")
        return int(value) if value is not None else None

    @staticmethod
    def _store(
        kind: str,
        model_name: str,
        record_id: int,
        text: str,
        vector: np.ndarray,
        stored: Mapping[int, Embedding],
    ) -> None:
        row = stored.get(record_id)
        if row is None:
            row = Embedding(kind=kind, record_id=record_id, model_name=model_name)
            db.session.add(row)
        row.text_hash = text_hash(text)
        row.dim = int(vector.shape[0])
        row.vector = vector.astype("float32").tobytes()
        row.updated_at = utcnow()

    def reset(self, kind: str | None = None) -> None:
        """Forget in-memory state so the next sync rebuilds from the database."""
        with self._lock:
            for name in [kind] if kind else list(self.kinds):
                self.kinds[name] = KindState()

    # --- scoring ----------------------------------------------------------------------

    def dense_scores(self, kind: str, model_name: str, vector: np.ndarray) -> dict[int, float]:
        """Cosine similarity of a vector with every indexed record of a kind."""
        # matrix() is a view of FAISS's buffer, which a sync in another thread may move.
        with self._lock:
            index = self.kinds[kind].dense.get(model_name)
            if index is None or not len(index):
                return {}
            ids, matrix = index.matrix()
            scores = matrix @ vector
            return dict(zip(ids.tolist(), scores.tolist(), strict=True))

    def candidate_scores(
        self, kind: str, vectors: Mapping[str, np.ndarray], primary: str, k: int
    ) -> dict[str, dict[int, float]]:
        """Per model, exact cosines of the primary model's k nearest records of a kind.

        One FAISS search on the heaviest-weighted model picks the candidates and every
        model scores just those: at 100k records a full scan per model costs ~11 ms each,
        while rescoring a few hundred vectors costs well under one.
        """
        with self._lock:
            state = self.kinds[kind]
            index = state.dense.get(primary)
            if index is None or primary not in vectors:
                return {}
            nearest = index.search(vectors[primary], k)
            ids = [record_id for record_id, _ in nearest]
            out = {primary: dict(nearest)}  # FAISS already gave the primary's cosines
            for name, vector in vectors.items():
                if name != primary and name in state.dense:
                    out[name] = state.dense[name].scores_for(ids, vector)
            return out

    def indexed_text_is(self, kind: str, record_id: int, text: str) -> bool:
        """Whether the record is indexed with exactly this text."""
        with self._lock:
            return self.kinds[kind].hashes.get(record_id) == text_digest(text)

    def facts(self, kind: str, ids: Sequence[int]) -> dict[int, store.Facts]:
        """The ranking facts of these records, for those indexed."""
        with self._lock:
            known = self.kinds[kind].facts
            return {i: known[i] for i in ids if i in known}

    def neighbours(
        self, kind: str, model_name: str, vector: np.ndarray, k: int
    ) -> list[tuple[int, float]]:
        """The k nearest records of a kind through FAISS."""
        with self._lock:
            index = self.kinds[kind].dense.get(model_name)
            return index.search(vector, k) if index is not None else []

    def stored_vector(self, kind: str, model_name: str, record_id: int) -> np.ndarray | None:
        """The indexed vector of a record, if it is indexed."""
        with self._lock:
            index = self.kinds[kind].dense.get(model_name)
            if index is None:
                return None
            try:
                return index.vector(record_id)
            except KeyError:
                return None
