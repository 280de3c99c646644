"""Write the open-data files: published records, public fields, CSV and JSON Lines.

Run nightly by a job (jobs/tasks.py) and by `flask opendata export`. See store.py for the
layout and why a reader never sees a half-written set of files.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import secrets
import shutil
import time
from collections.abc import Iterable
from typing import Any, BinaryIO

from ...models import utcnow
from .. import audit
from .fields import DATASETS, OPEN_DATASETS, record_json
from .listing import every_record
from .store import (
    FORMATS,
    MANIFEST,
    RUN_NAME,
    RUNS,
    DataFile,
    Manifest,
    manifest_json,
    read_manifest,
)

STALE_TEMP = 24 * 3600  # seconds after which a crashed run's temporary folder is removed
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """A value as CSV text: lists and objects as JSON, formulas defused with a quote."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


class _Sink:
    """A file being written: counts its bytes and hashes them on the way."""

    def __init__(self, handle: BinaryIO) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, text: str) -> None:
        data = text.encode("utf-8")
        self.handle.write(data)
        self.digest.update(data)
        self.size += len(data)


def _fsync_dir(path: str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_dataset(folder: str, dataset: str, records: Iterable[Any]) -> list[DataFile]:
    """Both files of one dataset, in one pass over its records."""
    names = [f.name for f in DATASETS[dataset][2]]
    paths = {fmt: os.path.join(folder, f"{dataset}.{fmt}") for fmt in FORMATS}
    with open(paths["csv"], "wb") as csv_file, open(paths["jsonl"], "wb") as jsonl_file:
        sinks = {"csv": _Sink(csv_file), "jsonl": _Sink(jsonl_file)}
        row = io.StringIO()
        writer = csv.writer(row, lineterminator="\r\n")  # RFC 4180

        def csv_row(cells: list[str]) -> None:
            row.seek(0)
            row.truncate()
            writer.writerow(cells)
            sinks["csv"].write(row.getvalue())

        csv_row(names)
        count = 0
        for record in records:
            values = record_json(dataset, record)
            csv_row([csv_cell(values[name]) for name in names])
            sinks["jsonl"].write(json.dumps(values, ensure_ascii=False) + "\n")
            count += 1
        for handle in (csv_file, jsonl_file):
            handle.flush()
            os.fsync(handle.fileno())
    return [
        DataFile(dataset, fmt, count, sink.size, sink.digest.hexdigest())
        for fmt, sink in sinks.items()
    ]


def _remove_old(runs_dir: str, keep: set[str]) -> None:
    """Runs but the kept ones, and temporary folders a crashed run left behind."""
    for name in os.listdir(runs_dir):
        if RUN_NAME.fullmatch(name) and name not in keep:
            shutil.rmtree(os.path.join(runs_dir, name), ignore_errors=True)
    for name in os.listdir(runs_dir):
        path = os.path.join(runs_dir, name)
        if name.startswith(".tmp-") and time.time() - os.path.getmtime(path) > STALE_TEMP:
            shutil.rmtree(path, ignore_errors=True)


def export(directory: str) -> Manifest:
    """Write a new run of every open dataset and make it current; the caller commits."""
    runs_dir = os.path.join(directory, RUNS)
    os.makedirs(runs_dir, exist_ok=True)
    now = utcnow().replace(microsecond=0)
    run = f"{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(4)}"
    temp = os.path.join(runs_dir, f".tmp-{run}")
    os.makedirs(temp)
    try:
        files: dict[str, DataFile] = {}
        for dataset in OPEN_DATASETS:
            for item in _write_dataset(temp, dataset, every_record(dataset)):
                files[item.name] = item
        _fsync_dir(temp)
        os.rename(temp, os.path.join(runs_dir, run))
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    _fsync_dir(runs_dir)
    previous = read_manifest(directory)
    manifest = Manifest(run, now, files)
    partial = os.path.join(directory, f".{MANIFEST}.{run}.tmp")
    with open(partial, "w", encoding="utf-8") as handle:
        json.dump(manifest_json(manifest), handle, ensure_ascii=False, indent=1)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, os.path.join(directory, MANIFEST))
    _fsync_dir(directory)
    # The run before stays: a download that began just before the switch still finishes.
    _remove_old(runs_dir, keep={run, previous.run if previous else run})
    counts = {dataset: files[f"{dataset}.csv"].records for dataset in OPEN_DATASETS}
    audit.record("opendata.exported", target_kind="opendata", run=run, records=counts)
    return manifest
