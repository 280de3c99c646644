"""`flask backup PATH`: a consistent copy of the database, safe to take while the app runs.

SQLite: the online backup API (`sqlite3.Connection.backup`) copies every page inside one
read transaction, so writers carry on (WAL) and the copy is a single point in time. The
copy is switched to a rollback journal so it is one self-contained file, checked with
`PRAGMA integrity_check`, fsynced and only then moved to PATH: a crash mid-backup never
leaves a half-written file under the final name.

PostgreSQL: `pg_dump --format=custom` of the configured database, restored with
`pg_restore` (see the README, "Backups and restore"). The password travels in the
environment, not on the command line, where other users could read it in `ps`.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess  # nosec B404 - runs pg_dump with a fixed argument list, no shell
import tempfile
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import URL, make_url

from .extensions import db
from .services import audit


class BackupError(click.ClickException):
    """A backup that could not be made; the message says why and what to do."""


def _replace_atomically(tmp: Path, path: Path) -> None:
    """fsync the finished copy, move it into place and fsync the directory entry."""
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _temp_beside(path: Path) -> Path:
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    os.close(fd)
    return Path(name)


def backup_sqlite(database: str, path: Path) -> int:
    """Copy a live SQLite database to `path` with the online backup API; return its size."""
    if not database or database == ":memory:":
        raise BackupError("The database is in memory: there is nothing on disk to back up.")
    source_path = Path(database)
    if not source_path.is_file():
        raise BackupError(f"The database file {source_path} does not exist.")
    tmp = _temp_beside(path)
    try:
        # Not a read-only URI: read-only WAL readers fail when no -shm file exists yet
        # (app stopped). The backup API only ever reads from the source.
        source = sqlite3.connect(source_path)
        target = sqlite3.connect(tmp)
        try:
            source.execute("PRAGMA busy_timeout = 5000")
            with target:
                source.backup(target)  # all pages in one step: one consistent snapshot
            target.execute("PRAGMA journal_mode = DELETE")
            result = target.execute("PRAGMA integrity_check").fetchone()
            if not result or result[0] != "ok":
                raise BackupError(f"The copy failed its integrity check: {result}")
        finally:
            target.close()
            source.close()
        _replace_atomically(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path.stat().st_size


def _libpq_url(url: URL) -> tuple[str, dict[str, str]]:
    """A driver-less URL for pg_dump, and the environment holding its password."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    # URL.set() ignores None, so build the password-less URL afresh.
    plain = URL.create(
        "postgresql",
        username=url.username,
        host=url.host,
        port=url.port,
        database=url.database,
        query=url.query,
    )
    return plain.render_as_string(hide_password=False), env


def backup_postgresql(url: URL, path: Path) -> int:
    """Dump a PostgreSQL database with `pg_dump -Fc`; return the dump's size."""
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise BackupError(
            "pg_dump was not found. Install the PostgreSQL client tools (on Debian: "
            "apt-get install postgresql-client, the same major version as the server)."
        )
    target, env = _libpq_url(url)
    tmp = _temp_beside(path)
    try:
        result = subprocess.run(  # noqa: S603  # nosec B603 - fixed arguments, no shell
            [pg_dump, "--format=custom", "--no-owner", "--file", str(tmp), "--dbname", target],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        _replace_atomically(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path.stat().st_size


def make_backup(path: Path) -> int:
    """Back up the app's database to `path` (SQLite or PostgreSQL); return the size."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite":
        return backup_sqlite(url.database or "", path)
    if url.get_backend_name() == "postgresql":
        return backup_postgresql(url, path)
    raise BackupError(f"Backups of {url.get_backend_name()} databases are not supported.")


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace PATH if it already exists.")
@with_appcontext
def backup_command(path: Path, force: bool) -> None:
    """Write a consistent backup of the database to PATH while the app keeps running.

    SQLite: a single database file. PostgreSQL: a pg_dump custom-format archive.
    Restore as the README's "Backups and restore" section explains.
    """
    path = path.expanduser().resolve()
    if path.exists() and not force:
        raise BackupError(f"{path} already exists; choose a new name or pass --force.")
    if not path.parent.is_dir():
        raise BackupError(f"The folder {path.parent} does not exist.")
    size = make_backup(path)
    # The file name only: where backups live is operations detail, not audit content.
    audit.record("data.backup", target_kind="database", file=path.name, bytes=size)
    db.session.commit()
    click.echo(f"Backup written to {path} ({size:,} bytes).")
