"""Open data: the public fields of published records, for the listing API and nightly files.

- fields.py: the public fields of each kind of record (one table for everything below);
- listing.py: which records, with the directory's facets, a page at a time;
- export.py: the CSV and JSON Lines files, written atomically;
- store.py: where the files live and which run is current.
"""

from __future__ import annotations

from flask import Flask

from .export import export
from .store import Manifest, data_dir, file_path, read_manifest

LICENSE_URL = {
    "es": "https://creativecommons.org/licenses/by/4.0/deed.es",
    "en": "https://creativecommons.org/licenses/by/4.0/deed.en",
}


def export_for(app: Flask) -> Manifest:
    """Write a new run into the app's open-data folder (OPENDATA_DIR); the caller commits."""
    return export(data_dir(app))


__all__ = [
    "LICENSE_URL",
    "Manifest",
    "data_dir",
    "export",
    "export_for",
    "file_path",
    "read_manifest",
]
