"""The open-data pages: /datos-abiertos (the files, their licence, how to cite them) and
/datos-abiertos/diccionario (every field of every file), and the files themselves.

Files are served from the current run (services/opendata/store.py) under fixed names: the
URL picks one of the datasets and formats below, and the path is built from those names,
never from the request's text. With no export made yet, the page says so and a file's URL
is a 404.
"""

from __future__ import annotations

from flask import abort, current_app, render_template, send_file, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from .. import vocab
from ..i18n import current_locale
from ..services import opendata
from ..services.opendata.fields import DATASETS, OPEN_DATASETS
from ..services.opendata.store import FORMATS
from . import pages_bp

DATASET_TITLES = {
    "organizations": _l("Organisations"),
    "openings": _l("Openings"),
    "challenges": _l("Challenges"),
    "stories": _l("Success stories"),
    "people": _l("People (API only)"),
}
TYPE_LABELS = {
    "string": _l("text"),
    "integer": _l("whole number"),
    "boolean": _l("true or false"),
    "date": _l("date (YYYY-MM-DD)"),
    "datetime": _l("date and time (ISO 8601, UTC)"),
    "uri": _l("web address"),
    "strings": _l("list of texts"),
    "integers": _l("list of whole numbers"),
    "impact": _l("list of figures (label_es, label_en, value)"),
}
MAX_AGE = 3600  # seconds: the files change once a night
_DATASET_RULE = "<any(" + ", ".join(OPEN_DATASETS) + "):dataset>"
_FORMAT_RULE = "<any(" + ", ".join(FORMATS) + "):fmt>"


@pages_bp.get("/datos-abiertos")
def index() -> str:
    """The open-data files of the last export, their licence and how to cite them."""
    manifest = opendata.read_manifest(opendata.data_dir(current_app))
    return render_template(
        "listing_api/open_data.html",
        manifest=manifest,
        datasets=OPEN_DATASETS,
        formats=list(FORMATS),
        titles=DATASET_TITLES,
        license_url=opendata.LICENSE_URL[current_locale()],
        site_url=url_for("public.index", _external=True),
    )


@pages_bp.get("/datos-abiertos/diccionario")
def dictionary() -> str:
    """Every field of every file (and of the API's people), in the visitor's language."""
    return render_template(
        "listing_api/dictionary.html",
        datasets=[*OPEN_DATASETS, "people"],
        fields={name: DATASETS[name][2] for name in DATASETS},
        titles=DATASET_TITLES,
        types=TYPE_LABELS,
        vocabularies=vocab.GROUPS,
        license_url=opendata.LICENSE_URL[current_locale()],
    )


@pages_bp.get(f"/datos-abiertos/{_DATASET_RULE}.{_FORMAT_RULE}")
def download(dataset: str, fmt: str) -> Response:
    """One file of the current export, as a download with its exact content type."""
    found = opendata.file_path(opendata.data_dir(current_app), dataset, fmt)
    if found is None:
        abort(404)
    path, manifest = found
    response = send_file(
        path,
        mimetype=FORMATS[fmt],
        as_attachment=True,
        download_name=f"directorio-ia-{dataset}.{fmt}",
        conditional=True,
        etag=manifest.files[f"{dataset}.{fmt}"].sha256,
        last_modified=manifest.generated_at,
        max_age=MAX_AGE,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
