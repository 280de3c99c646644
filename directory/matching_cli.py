"""Flask commands for matching and bulk data: `matching rebuild|status`, `import`, `export`.

The model and FAISS load only when a command needs them, so `flask --help` stays fast.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TextIO

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from .extensions import db
from .matching import store
from .matching.documents import KINDS, document_text, text_hash
from .models import Embedding
from .services.import_format import TYPES

CHUNK = 1000


# --- what is stored against what the database holds ----------------------------------------


@dataclass(frozen=True)
class VectorCounts:
    """One model's stored vectors of one kind, compared with the indexable records."""

    stored: int  # rows in the embeddings table
    fresh: int  # for an indexable record, with the hash of its current text
    stale: int  # for an indexable record whose text has changed since
    missing: int  # indexable records with no vector at all
    orphaned: int  # rows of records that are gone or no longer indexable


def current_hashes(kind: str) -> dict[int, str]:
    """Hash of the matching text of every indexable record of a kind."""
    ids = sorted(store.indexable_ids(kind))
    hashes: dict[int, str] = {}
    for start in range(0, len(ids), CHUNK):
        for record in store.load_records(kind, ids[start : start + CHUNK]):
            hashes[record.id] = text_hash(document_text(kind, record))
    return hashes


def vector_counts(kind: str, model: str, hashes: dict[int, str]) -> VectorCounts:
    """Compare one model's stored vectors of a kind with the records' current hashes."""
    rows = dict(
        db.session.execute(
            select(Embedding.record_id, Embedding.text_hash).where(
                Embedding.kind == kind, Embedding.model_name == model
            )
        ).all()
    )
    present = [record_id for record_id in hashes if record_id in rows]
    fresh = sum(1 for record_id in present if rows[record_id] == hashes[record_id])
    return VectorCounts(
        stored=len(rows),
        fresh=fresh,
        stale=len(present) - fresh,
        missing=len(hashes) - len(present),
        orphaned=len(rows) - len(present),
    )


def saved_index(kind: str, model: str, hashes: dict[int, str]) -> str:
    """How the index `matching rebuild` saved for this kind and model compares."""
    from .matching import service, snapshot

    saved = snapshot.saved_hashes(service.snapshot_dir(), kind, model)
    if saved is None:
        return "no saved index"
    current = sum(1 for i, h in hashes.items() if saved.get(i) == h)
    return f"saved index holds {current} of {len(hashes)} current"


def active_models() -> list[str]:
    """The dense models the engine embeds with (weighted, and installed here)."""
    from .matching import service

    return list(service.engine().embedders)


def pending_vectors(kinds: Sequence[str]) -> int:
    """How many vectors a sync from scratch would embed (stale or missing, every model)."""
    total = 0
    for kind in kinds:
        hashes = current_hashes(kind)
        for model in active_models():
            counts = vector_counts(kind, model, hashes)
            total += counts.stale + counts.missing
    return total


def sync_with_progress(kinds: Sequence[str], label: str) -> tuple[int, int]:
    """Sync the kinds through the matching service with a progress bar; (indexed, embedded)."""
    from .matching import service

    total = pending_vectors(kinds)
    embedded = 0
    if not total:
        return service.sync(kinds, strict=True), 0
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:

        def step(size: int) -> None:
            nonlocal embedded
            embedded += size
            bar.update(size)

        indexed = service.sync(kinds, progress=step, strict=True)
    return indexed, embedded


# --- flask matching ... ------------------------------------------------------------------


@click.group("matching")
def matching_group() -> None:
    """Keep the matching indexes and stored vectors in step with the database."""


@matching_group.command("rebuild")
@click.option("--kind", type=click.Choice(KINDS), help="Rebuild only this kind of record.")
@with_appcontext
def rebuild_command(kind: str | None) -> None:
    """Forget this process's indexes and rebuild them from the database.

    Embeds every record whose vector is missing or stale (its text changed), so that each
    web worker's next sync only has to load vectors.
    """
    from .matching import service

    kinds = [kind] if kind else list(KINDS)
    service.engine().reset(kind)
    started = time.monotonic()
    for name in kinds:
        began = time.monotonic()
        indexed, embedded = sync_with_progress([name], f"Embedding {name}")
        click.echo(
            f"{name}: indexed {indexed}, embedded {embedded} ({time.monotonic() - began:.1f} s)"
        )
    saved = service.engine().save()
    click.echo(f"Rebuilt {len(kinds)} kinds in {time.monotonic() - started:.1f} s.")
    if saved:
        click.echo(f"Saved the indexes for starting workers in {service.snapshot_dir()}.")


@matching_group.command("status")
@with_appcontext
def status_command() -> None:
    """Per kind: indexable records, and each model's stored, stale and missing vectors."""
    weights = current_app.config["MATCHING_WEIGHTS"]
    active = active_models()
    described = [
        f"{name} (weight {w:g}, not installed)"
        if w and name not in active
        else f"{name} (weight {w:g})"
        for name, w in weights.items()
    ]
    click.echo("Configured models: " + ", ".join(described))
    from .matching import service

    click.echo(f"Saved indexes: {service.snapshot_dir()}")
    for kind in KINDS:
        hashes = current_hashes(kind)
        click.echo(f"{kind}: {len(hashes)} indexable")
        stored_models = set(
            db.session.scalars(
                select(Embedding.model_name).where(Embedding.kind == kind).distinct()
            )
        )
        for model in [*weights, *sorted(stored_models - set(weights))]:
            c = vector_counts(kind, model, hashes)
            note = "" if model in weights else " (not configured)"
            click.echo(
                f"  {model}{note}: {c.stored} stored, {c.fresh} up to date, {c.stale} stale, "
                f"{c.missing} missing, {c.orphaned} orphaned"
            )
            click.echo(f"    {saved_index(kind, model, hashes)}")


# --- flask import / export ------------------------------------------------------------------


@click.command("import")
@click.argument("file", type=click.File("r", encoding="utf-8-sig", errors="surrogateescape"))
@click.option("--dry-run", is_flag=True, help="Check every line and report; import nothing.")
@click.option("--no-embed", is_flag=True, help="Do not embed the new records now.")
@with_appcontext
def import_command(file: TextIO, dry_run: bool, no_embed: bool) -> None:
    """Import organisations, profiles, openings and challenges from a JSON Lines FILE.

    Every line is checked first; if any is wrong, every error is listed with its line
    number and nothing is imported. The format: docs/import-format.md. Use - for stdin.
    """
    from .services.importer import InvalidImport, import_lines

    try:
        report = import_lines(file, embed=False, dry_run=dry_run)
    except InvalidImport as exc:
        for message in exc.errors:
            click.echo(message, err=True)
        raise click.ClickException(
            f"Nothing was imported: {len(exc.errors)} errors. Fix them and run the import again."
        ) from None
    click.echo(f"{report.summary()} ({report.seconds:.1f} s).")
    if dry_run or no_embed:
        return
    began = time.monotonic()
    indexed, embedded = sync_with_progress(TYPES, "Embedding")
    click.echo(
        f"Matching: indexed {indexed}, embedded {embedded} ({time.monotonic() - began:.1f} s)."
    )


@click.command("export")
@click.option(
    "--output",
    "-o",
    type=click.File("w", encoding="utf-8", lazy=False),
    default="-",
    help="File to write (default: standard output).",
)
@click.option(
    "--type", "types", type=click.Choice(TYPES), multiple=True, help="Only this type (repeatable)."
)
@click.option(
    "--with-emails",
    is_flag=True,
    help="Add account emails, languages and memberships (a full backup that re-imports).",
)
@with_appcontext
def export_command(output: TextIO, types: tuple[str, ...], with_emails: bool) -> None:
    """Write records as JSON Lines in the import format.

    Private profiles, deactivated accounts and phone numbers are never exported; emails
    only with --with-emails. Every export is recorded in the audit log.
    """
    from .services.exporter import export_records

    counts = export_records(output, types or TYPES, with_emails=with_emails)
    db.session.commit()  # the audit event
    summary = ", ".join(f"{kind}s: {n}" for kind, n in counts.items())
    click.echo(f"Exported {summary}.", err=True)


def init_app(app: Flask) -> None:
    """Register the commands on the app's CLI."""
    for command in (matching_group, import_command, export_command):
        app.cli.add_command(command)
