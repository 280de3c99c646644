"""Index snapshots on disk: what `matching rebuild` leaves for the next worker to start from.

The database holds the durable vectors; a snapshot is derived data that spares a starting
worker from reading every vector back. Each kind and model is one FAISS file and one
manifest (VectorIndex.save: data file named by its SHA-256, manifest replaced last), and
the manifest records the text hash of every record it holds. A worker trusts a snapshot's
vector only where that hash equals the hash of the record's current text — the vector of
a text under a model does not depend on anything else — and a snapshot that is corrupt,
truncated or built for another model or dimension is ignored and rebuilt from the database.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .index import IndexMismatch, VectorIndex

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)


def file_name(kind: str, model_name: str) -> str:
    """The base name of a kind's snapshot for a model (a model may be a path)."""
    return f"{kind}.{re.sub(r'[^A-Za-z0-9_-]+', '_', model_name)}"


@dataclass
class Snapshot:
    """A loaded snapshot: the index and the text hash of each record in it."""

    index: VectorIndex
    hashes: dict[int, str]

    def vector(self, record_id: int, current_hash: str) -> np.ndarray | None:
        """The saved vector of a record whose text is still the one it was made from."""
        if self.hashes.get(record_id) != current_hash:
            return None
        try:
            return self.index.vector(record_id)
        except KeyError:
            return None


def _hashes(meta: Mapping[str, Any]) -> dict[int, str]:
    """The text hash of each record, as save() wrote them into the manifest's meta."""
    return {int(i): str(h) for i, h in meta.get("hashes", {}).items()}


def saved_hashes(directory: Path, kind: str, model_name: str) -> dict[int, str] | None:
    """What a kind's snapshot for a model holds, read from its manifest alone (None when
    there is none or it is unreadable); for reports, not for loading vectors."""
    path = directory / f"{file_name(kind, model_name)}.json"
    try:
        manifest = json.loads(path.read_text())
        return _hashes(manifest["meta"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def load(directory: Path, kind: str, model_name: str, dim: int) -> Snapshot | None:
    """The kind's snapshot for a model, or None when absent or not to be trusted."""
    name = file_name(kind, model_name)
    if not (directory / f"{name}.json").exists():
        return None
    try:
        index, meta = VectorIndex.load_with_meta(directory, name, model_name, dim)
        hashes = _hashes(meta)
    except (IndexMismatch, ValueError, AttributeError) as exc:
        log.warning("Ignoring the saved index %s (rebuilt from the database): %s", name, exc)
        return None
    return Snapshot(index, hashes)


def save(
    directory: Path, kind: str, dense: Mapping[str, VectorIndex], hashes: Mapping[int, str]
) -> None:
    """Write a kind's indexes with the text hash of each record they hold."""
    meta = {"hashes": {str(i): h for i, h in hashes.items()}}
    for model_name, index in dense.items():
        index.save(directory, file_name(kind, model_name), model_name, meta)
