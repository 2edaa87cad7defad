"""Data in and out on the command line: import, backup, restore."""

import sys
from pathlib import Path
from typing import Annotated

import typer
from sqlmodel import Session

from models.db import make_engine
from services.actor import SYSTEM_ACTOR
from services.backup import backup, restore
from services.errors import DomainError
from services.importer import IMPORT_KINDS, commit_import, preview_import


def import_command(
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="CSV- oder .xlsx-Datei.")
    ],
    kind: Annotated[
        str,
        typer.Option("--kind", help="Was importiert wird: " + " | ".join(IMPORT_KINDS) + "."),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Nur prüfen und berichten, nichts speichern.")
    ] = False,
) -> None:
    """Organisationen, Personen oder Mitgliedschaften aus CSV/Excel importieren (alles oder nichts)."""
    if kind.casefold() not in IMPORT_KINDS:
        typer.echo(f"Unbekannte Art „{kind}“; möglich: {', '.join(IMPORT_KINDS)}.", err=True)
        sys.exit(2)
    with Session(make_engine()) as session:
        preview = preview_import(session, kind=kind, data=file.read_bytes(), filename=file.name)
        for line in preview.report_lines():
            typer.echo(line)
        if preview.has_errors:
            typer.echo("Nichts gespeichert: bitte die Fehler in der Datei beheben.", err=True)
            sys.exit(1)
        if dry_run:
            typer.echo("Probelauf (--dry-run): nichts gespeichert.")
            return
        try:
            result = commit_import(session, actor=SYSTEM_ACTOR, preview=preview)
        except DomainError as exc:
            for error in exc.errors:
                typer.echo(error.message, err=True)
            sys.exit(1)
    typer.echo(result.summary)


def backup_command(
    output: Annotated[Path, typer.Option("--output", "-o", help="Zieldatei, z. B. sicherung.zip.")],
) -> None:
    """Den ganzen Arbeitsbereich als eine Datei sichern (ZIP mit JSON Lines je Tabelle)."""
    with Session(make_engine()) as session:
        data = backup(session, actor=SYSTEM_ACTOR)
    output.write_bytes(data)
    typer.echo(f"Sicherung geschrieben: {output} ({len(data):,} Bytes).".replace(",", "."))


def restore_command(
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="Sicherungsdatei (.zip).")
    ],
) -> None:
    """Eine Sicherung in eine leere, migrierte Datenbank zurückspielen."""
    try:
        report = restore(make_engine(), file.read_bytes(), actor=SYSTEM_ACTOR)
    except DomainError as exc:
        typer.echo(exc.message, err=True)
        sys.exit(1)
    typer.echo(report.summary)
    for table, count in report.row_counts.items():
        typer.echo(f"  {table:<18} {count:>8}")


def register(cli: typer.Typer) -> None:
    """Add `import`, `backup` and `restore` to the manage.py command line."""
    cli.command("import")(import_command)
    cli.command("backup")(backup_command)
    cli.command("restore")(restore_command)
