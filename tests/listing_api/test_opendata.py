"""Open data: the nightly job and `flask opendata export` write CSV and JSON Lines files of
published records and public fields only, swap them in atomically, and /datos-abiertos
serves them with their licence and data dictionary, in both languages."""

from __future__ import annotations

import csv
import importlib
import io
import json
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from directory.extensions import db
from directory.jobs.schedule import periodic_job
from directory.jobs.tasks import export_open_data
from directory.models import AuditEvent
from directory.services import opendata
from directory.services.opendata.fields import DATASETS, OPEN_DATASETS

from .. import factories as f
from ..helpers import translated
from .conftest import EMAIL, MARKER, PHONE, World

# The module (the package's `export` attribute is the function of the same name).
export_module = importlib.import_module("directory.services.opendata.export")


def _files(folder: Path) -> dict[str, str]:
    manifest = json.loads((folder / "manifest.json").read_text())
    run = folder / "runs" / manifest["run"]
    return {path.name: path.read_text(encoding="utf-8") for path in run.iterdir()}


def _export(app: Flask) -> opendata.Manifest:
    with app.app_context():
        manifest = opendata.export_for(app)
        db.session.commit()
        return manifest


# --- the job and the files --------------------------------------------------------------


def test_the_nightly_job_runs_on_the_queue_and_writes_only_public_records(
    app: Flask, world: World, opendata_dir: Path, make_app: Callable[..., Flask], tmp_path
) -> None:
    worker = make_app(JOBS_BACKEND="sqlite", JOBS_SQLITE_PATH=str(tmp_path / "jobs.sqlite3"),
                      OPENDATA_DIR=str(opendata_dir), PUBLIC_URL="http://localhost")  # fmt: skip
    queue = worker.extensions["jobs"]
    with worker.app_context():
        queue.push(export_open_data, (), {})
        assert queue.drain() == 1
    files = _files(opendata_dir)
    assert sorted(files) == sorted(f"{d}.{x}" for d in OPEN_DATASETS for x in ("csv", "jsonl"))
    for dataset in OPEN_DATASETS:
        names = [field.name for field in DATASETS[dataset][2]]
        rows = [json.loads(line) for line in files[f"{dataset}.jsonl"].splitlines()]
        assert sorted(row["id"] for row in rows) == sorted(world.public[dataset]), dataset
        assert all(list(row) == names for row in rows)
        table = list(csv.reader(io.StringIO(files[f"{dataset}.csv"], newline="")))
        assert table[0] == names and len(table) == len(rows) + 1
    everything = "".join(files.values())
    assert MARKER not in everything and PHONE not in everything and EMAIL not in everything
    assert "Ana Pública" not in everything  # people are in the API only
    with app.app_context():
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "opendata.exported")
        )
    assert event is not None and event.details["records"]["organizations"] == 2


def test_the_job_runs_every_night_at_0820_utc() -> None:
    schedule = periodic_job(export_open_data)
    assert schedule is not None
    assert schedule.when(datetime(2026, 3, 4, 8, 20, tzinfo=UTC))
    for hour, minute in ((8, 21), (20, 20), (0, 0)):
        assert not schedule.when(datetime(2026, 3, 4, hour, minute, tzinfo=UTC))


def test_csv_cells_are_json_for_lists_and_never_formulas(app: Flask, opendata_dir: Path) -> None:
    with app.app_context():
        f.story(
            title_es='=HYPERLINK("http://evil")',
            title_en="@SUM(A1)",
            impact=[{"label_es": "Ahorro", "label_en": "Savings", "value": "-30%"}],
        )
    _export(app)
    files = _files(opendata_dir)
    [row] = list(csv.DictReader(io.StringIO(files["stories.csv"], newline="")))
    assert row["title_es"] == '\'=HYPERLINK("http://evil")' and row["title_en"] == "'@SUM(A1)"
    assert json.loads(row["impact"]) == [
        {"label_es": "Ahorro", "label_en": "Savings", "value": "-30%"}
    ]
    assert row["featured"] == "false" and row["organization_ids"] == "[]"
    [line] = files["stories.jsonl"].splitlines()
    assert json.loads(line)["title_es"] == '=HYPERLINK("http://evil")'  # exact in JSON


def test_a_new_run_replaces_the_old_one_whole_and_keeps_the_one_before(
    app: Flask, world: World, opendata_dir: Path
) -> None:
    first = _export(app)
    with app.app_context():
        f.org(name="Llegó después")
    second = _export(app)
    third = _export(app)
    runs = sorted(os.listdir(opendata_dir / "runs"))
    assert runs == sorted([second.run, third.run])  # the oldest is gone
    assert first.run not in runs
    assert "Llegó después" in _files(opendata_dir)["organizations.csv"]
    assert [p for p in os.listdir(opendata_dir) if p.startswith(".")] == []


def test_a_run_that_fails_half_way_leaves_the_current_files_untouched(
    app: Flask, world: World, opendata_dir: Path, monkeypatch
) -> None:
    before = _export(app)
    files_before = _files(opendata_dir)
    calls = {"n": 0}
    real = export_module._write_dataset

    def crash_on_the_third(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(export_module, "_write_dataset", crash_on_the_third)
    with app.app_context(), pytest.raises(OSError):
        opendata.export_for(app)
    assert opendata.read_manifest(str(opendata_dir)).run == before.run
    assert _files(opendata_dir) == files_before
    assert os.listdir(opendata_dir / "runs") == [before.run]  # no half-written folder left


def test_the_cli_command_writes_the_files(
    app: Flask, world: World, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    target = tmp_path / "elsewhere"
    result = runner.invoke(args=["opendata", "export", "--dir", str(target)])
    assert result.exit_code == 0, result.output
    assert "organizations.csv: 2 records" in result.output
    assert opendata.read_manifest(str(target)) is not None


# --- the pages and the downloads -----------------------------------------------------------


@pytest.mark.parametrize("locale", ["es", "en"])
def test_before_any_export_the_page_says_so(
    app: Flask, client: FlaskClient, opendata_dir: Path, locale: str
) -> None:
    client.set_cookie("lang", locale)
    response = client.get("/datos-abiertos")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    msgid = (
        "No export has been made yet. The files are made every night: please come back tomorrow."
    )
    assert translated(app, msgid, locale) in html
    assert client.get("/datos-abiertos/organizations.csv").status_code == 404


@pytest.mark.parametrize("locale", ["es", "en"])
def test_the_page_lists_the_files_with_their_licence_and_attribution(
    app: Flask, client: FlaskClient, world: World, opendata_dir: Path, locale: str
) -> None:
    _export(app)
    client.set_cookie("lang", locale)
    html = client.get("/datos-abiertos").get_data(as_text=True)
    for dataset in OPEN_DATASETS:
        for fmt in ("csv", "jsonl"):
            assert f'href="/datos-abiertos/{dataset}.{fmt}"' in html
    assert opendata.LICENSE_URL[locale] in html
    attribution = translated(app, "Source: %(site)s (%(url)s), data under the CC BY 4.0 licence.",
                             locale, site="Directorio IA", url="http://localhost/")  # fmt: skip
    assert attribution in html
    assert 'href="/datos-abiertos/diccionario"' in html and 'href="/api/v1/openapi.json"' in html


@pytest.mark.parametrize(("fmt", "mimetype"), [("csv", "text/csv"), ("jsonl", "application/jsonl")])
def test_files_download_with_their_type_and_nosniff(
    app: Flask, client: FlaskClient, world: World, opendata_dir: Path, fmt: str, mimetype: str
) -> None:
    _export(app)
    with client.get(f"/datos-abiertos/openings.{fmt}") as response:
        assert response.status_code == 200
        assert response.mimetype == mimetype and response.mimetype_params["charset"] == "utf-8"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Content-Disposition"].startswith("attachment")
        assert f"directorio-ia-openings.{fmt}" in response.headers["Content-Disposition"]
        body = response.get_data(as_text=True)
        etag = response.headers["ETag"]
    assert "Científica de datos" in body and MARKER not in body
    with client.get(f"/datos-abiertos/openings.{fmt}", headers={"If-None-Match": etag}) as again:
        assert again.status_code == 304


@pytest.mark.parametrize(
    "path",
    [
        "/datos-abiertos/manifest.json",
        "/datos-abiertos/people.csv",
        "/datos-abiertos/organizations.xml",
        "/datos-abiertos/..%2Fmanifest.json",
        "/datos-abiertos/runs/x/organizations.csv",
        "/datos-abiertos/organizations.csv%00.txt",
    ],
)
def test_no_other_name_is_served(
    app: Flask, client: FlaskClient, world: World, opendata_dir: Path, path: str
) -> None:
    _export(app)
    assert client.get(path).status_code == 404


def test_an_unreadable_manifest_is_no_export_not_an_error(
    app: Flask, client: FlaskClient, opendata_dir: Path
) -> None:
    opendata_dir.mkdir(parents=True)
    (opendata_dir / "manifest.json").write_text('{"format": 1, "run": "../../etc"}')
    assert 'data-test="no-export"' in client.get("/datos-abiertos").get_data(as_text=True)
    assert client.get("/datos-abiertos/stories.csv").status_code == 404


@pytest.mark.parametrize("locale", ["es", "en"])
def test_the_dictionary_describes_every_field_of_every_file(
    app: Flask, client: FlaskClient, locale: str
) -> None:
    client.set_cookie("lang", locale)
    html = client.get("/datos-abiertos/diccionario").get_data(as_text=True)
    for dataset, (_kind, _model, fields) in DATASETS.items():
        assert f'data-dataset="{dataset}"' in html
        for field in fields:
            assert f'data-field="{field.name}"' in html
            assert translated(app, field.description._args[0], locale) in html, field.name
    assert translated(app, "list of texts", locale) in html
    assert "<code>government_agency</code>" in html  # the codes of a vocabulary
