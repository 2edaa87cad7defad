"""Administration and automation: `python manage.py --help`."""

import sys

import typer
from sqlmodel import Session

from commands import accounts, audit, data, generate, minutes, oparl
from models.db import make_engine
from services.database import database_status, migrate
from services.seed import has_data, load_demo_data

cli = typer.Typer(help="Kooperationsraum: Verwaltung auf der Kommandozeile.", no_args_is_help=True)


@cli.command("migrate")
def migrate_command() -> None:
    """Datenbank auf das neueste Schema bringen (Alembic)."""
    engine = make_engine()
    migrate(engine)
    typer.echo(f"Schema aktuell: {database_status(engine).current_revision}")


@cli.command("seed")
def seed_command(
    if_empty: bool = typer.Option(False, "--if-empty", help="Nur in eine leere Datenbank laden."),
) -> None:
    """Demo-Daten aus data/seed/ laden (mehrfaches Laden ändert nichts)."""
    engine = make_engine()
    with Session(engine) as session:
        if if_empty and has_data(session):
            typer.echo("Datenbank enthält bereits Daten; Demo-Daten nicht geladen.")
            return
        report = load_demo_data(session)
    typer.echo(f"{report.total} Datensätze neu angelegt.")
    for table, count in sorted(report.created.items()):
        typer.echo(f"  {table}: {count}")


@cli.command("setup")
def setup_command() -> None:
    """Migrieren und beim ersten Start die Demo-Daten laden (für `make run`)."""
    migrate_command()
    seed_command(if_empty=True)


@cli.command("check")
def check_command() -> None:
    """Schema-Version und Zeilen je Tabelle anzeigen; Exit-Code 1, wenn das Schema veraltet ist."""
    status = database_status(make_engine())
    typer.echo(f"Datenbank:      {status.url}")
    typer.echo(f"Schema-Version: {status.current_revision or '(keine)'}")
    typer.echo(f"Neueste:        {status.head_revision}")
    typer.echo("Zeilen je Tabelle:")
    for table, count in status.row_counts.items():
        typer.echo(f"  {table:<18} {count:>8}")
    if not status.up_to_date:
        typer.echo("Schema veraltet: bitte `python manage.py migrate` ausführen.", err=True)
        sys.exit(1)


for area in (accounts, audit, minutes, oparl, data, generate):
    area.register(cli)

if __name__ == "__main__":
    cli()
