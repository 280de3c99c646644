"""`flask opendata export`: write the open-data files now (the nightly job does the same)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from ..extensions import db
from ..services import opendata


@click.group("opendata", help="The open-data files served at /datos-abiertos.")
def opendata_cli() -> None:
    """The open-data commands."""


@opendata_cli.command("export")
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False),
    default=None,
    help="Write here instead of OPENDATA_DIR (default instance/opendata).",
)
@with_appcontext
def export_command(directory: str | None) -> None:
    """Write CSV and JSON Lines files of every published record and make them current."""
    target = directory or opendata.data_dir(current_app)
    manifest = opendata.export(target)
    db.session.commit()  # the audit event
    for item in manifest.files.values():
        click.echo(f"{item.name}: {item.records} records, {item.bytes} bytes")
    click.echo(f"Run {manifest.run} written to {target}.")
