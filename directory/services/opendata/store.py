"""Where the open-data files live, and the manifest that says which run is current.

Layout under OPENDATA_DIR (default instance/opendata):

    manifest.json                   the current run: its name, time and files
    runs/<run>/organizations.csv    one folder per run, written whole before it is named
    runs/<run>/organizations.jsonl  ...

A new run is written into a temporary folder, renamed into runs/ when complete, and only
then named by a new manifest.json (written to a temporary file and renamed over the old
one). Renames are atomic, so a reader sees the old set of files or the new one, never a
mix or a half-written file. The previous run is kept, so a download that began just
before the switch still finishes.

Files are found from the fixed dataset and format names below, never from anything a
request says, and the run name read from the manifest must look like a run name.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Flask

from .fields import OPEN_DATASETS

MANIFEST = "manifest.json"
RUNS = "runs"
FORMATS: dict[str, str] = {
    "csv": "text/csv; charset=utf-8",
    # JSON Lines has no registered type; this is the one jsonlines.org names.
    "jsonl": "application/jsonl; charset=utf-8",
}
RUN_NAME = re.compile(r"[0-9]{8}T[0-9]{6}Z-[0-9a-f]{8}")
FORMAT_VERSION = 1


@dataclass(frozen=True)
class DataFile:
    """One file of a run: what it holds and how big it is."""

    dataset: str
    format: str
    records: int
    bytes: int
    sha256: str

    @property
    def name(self) -> str:
        """Its file name, e.g. organizations.csv."""
        return f"{self.dataset}.{self.format}"


@dataclass(frozen=True)
class Manifest:
    """The current run: its name, when it was made, and its files."""

    run: str
    generated_at: datetime
    files: dict[str, DataFile]

    def file(self, dataset: str, fmt: str) -> DataFile | None:
        """One file of the run, if it has it."""
        return self.files.get(f"{dataset}.{fmt}")


def data_dir(app: Flask) -> str:
    """The folder of the open-data files (OPENDATA_DIR, else instance/opendata)."""
    return str(app.config.get("OPENDATA_DIR") or os.path.join(app.instance_path, "opendata"))


def read_manifest(directory: str) -> Manifest | None:
    """The current run, or None when none was made yet (or the manifest is unreadable)."""
    try:
        with open(os.path.join(directory, MANIFEST), encoding="utf-8") as handle:
            raw = json.load(handle)
        return _parse(raw)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _parse(raw: dict[str, Any]) -> Manifest | None:
    run = raw["run"]
    if raw.get("format") != FORMAT_VERSION or not RUN_NAME.fullmatch(run):
        return None
    files = {}
    for dataset in OPEN_DATASETS:
        for fmt in FORMATS:
            entry = raw["files"].get(f"{dataset}.{fmt}")
            if entry is not None:
                item = DataFile(dataset, fmt, int(entry["records"]), int(entry["bytes"]),
                                str(entry["sha256"]))  # fmt: skip
                files[item.name] = item
    return Manifest(run, datetime.fromisoformat(raw["generated_at"]), files)


def manifest_json(manifest: Manifest) -> dict[str, Any]:
    """The manifest as it is written to disk."""
    return {
        "format": FORMAT_VERSION,
        "run": manifest.run,
        "generated_at": manifest.generated_at.isoformat(),
        "files": {
            name: {"dataset": f.dataset, "format": f.format, "records": f.records,
                   "bytes": f.bytes, "sha256": f.sha256}
            for name, f in manifest.files.items()
        },
    }  # fmt: skip


def file_path(directory: str, dataset: str, fmt: str) -> tuple[str, Manifest] | None:
    """The path of one file of the current run, or None when there is none."""
    if dataset not in OPEN_DATASETS or fmt not in FORMATS:
        return None
    manifest = read_manifest(directory)
    if manifest is None or manifest.file(dataset, fmt) is None:
        return None
    path = os.path.join(directory, RUNS, manifest.run, f"{dataset}.{fmt}")
    return (path, manifest) if os.path.isfile(path) else None
