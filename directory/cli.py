"""Flask commands: load-skills, seed-demo, create-curator."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import func, select

from . import matching_cli
from .backup import backup_command
from .extensions import db
from .models import Organization
from .services import accounts, skills


@click.command("load-skills")
@with_appcontext
def load_skills_command() -> None:
    """Load or refresh the bilingual skills vocabulary."""
    added, updated = skills.load_vocabulary()
    db.session.commit()
    click.echo(f"Skills: {added} added, {updated} updated.")


@click.command("load-risk-questionnaire")
@with_appcontext
@click.option("--force", is_flag=True, help="Store the shipped version even if one is stored.")
def load_risk_questionnaire_command(force: bool) -> None:
    """Store the shipped risk questionnaire (directory/data/risk_questionnaire.json)."""
    from .services.procurement import risk

    row = risk.load_default(force=force)
    db.session.commit()
    click.echo(f"Risk questionnaire: version {row.version} in force.")


@click.command("seed-demo")
@with_appcontext
@click.option("--force", is_flag=True, help="Seed even if the database already has organisations.")
def seed_demo_command(force: bool) -> None:
    """Load the fictional demo data once (skipped when data is already there)."""
    from .seed import seed_demo

    if not force and db.session.scalar(select(func.count()).select_from(Organization)):
        click.echo("Demo data already present; nothing to do (use --force to add it anyway).")
        return
    skills.load_vocabulary()
    counts = seed_demo()
    db.session.commit()
    click.echo("Demo data: " + ", ".join(f"{n} {kind}" for kind, n in counts.items()))


@click.command("reindex-search")
@with_appcontext
def reindex_search_command() -> None:
    """Recompute every record's keyword-search text (after a vocabulary or data change)."""
    from .search_text import BUILDERS, search_text_for

    changed = 0
    for model in BUILDERS:
        for record in db.session.scalars(select(model)):
            text = search_text_for(record)
            if record.search_text != text:
                record.search_text = text
                changed += 1
    db.session.commit()
    click.echo(f"Search text refreshed for {changed} records.")


@click.command("create-curator")
@click.argument("email")
@click.option("--password", help="Password of a new account (prompted when omitted).")
@with_appcontext
def create_curator_command(email: str, password: str | None) -> None:
    """Create a curator account, or make an existing account a curator."""
    user = accounts.find_user(email)
    try:
        if user is None:
            if password is None:
                password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
            user = accounts.register(email, password or "")
        accounts.make_curator(user)
    except accounts.AccountError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from exc
    db.session.commit()
    click.echo(f"{user.email} is now a curator.")


def init_app(app: Flask) -> None:
    """Register the commands on the app's CLI."""
    for command in (
        load_skills_command,
        load_risk_questionnaire_command,
        seed_demo_command,
        reindex_search_command,
        create_curator_command,
    ):
        app.cli.add_command(command)
    matching_cli.init_app(app)  # matching rebuild/status, import, export
    app.cli.add_command(backup_command)  # backup PATH (see directory/backup.py)
    from .listing_api.commands import opendata_cli

    app.cli.add_command(opendata_cli)  # opendata export (see directory/services/opendata/)
