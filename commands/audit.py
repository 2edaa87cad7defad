"""`export-audit`: the Änderungsprotokoll as CSV, for archiving and for the data protection officer.

Whoever can run manage.py on the server sees everything, so the export includes the events
about non-public agenda items. The file is written in pieces: the trail may hold millions
of events.
"""

import sys
from pathlib import Path
from typing import Annotated

import typer
from sqlmodel import Session

from commands.options import parse_dialect, parse_period
from models.db import make_engine
from models.enums import AuditAction
from services.audit import AuditFilters, write_audit_csv

ACTIONS = {action.value: action for action in AuditAction}


def export_audit_command(
    since: Annotated[
        str | None, typer.Option("--from", help="Einträge ab diesem Tag (TT.MM.JJJJ).")
    ] = None,
    until: Annotated[
        str | None,
        typer.Option("--to", help="Einträge bis einschließlich diesem Tag (TT.MM.JJJJ)."),
    ] = None,
    actor: Annotated[
        str | None, typer.Option("--actor", help="Nur Einträge dieses Benutzers.")
    ] = None,
    action: Annotated[
        str | None,
        typer.Option("--action", help=f"Nur diese Aktion: {', '.join(ACTIONS)}."),
    ] = None,
    dialect: Annotated[
        str,
        typer.Option(
            "--dialect",
            help="excel = Excel (Deutschland): Semikolon, BOM, TT.MM.JJJJ; "
            "rfc4180 = Komma, ISO-Zeiten, feste Spaltennamen und Codes.",
        ),
    ] = "excel",
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Zieldatei; ohne Angabe auf die Standardausgabe."),
    ] = None,
) -> None:
    """Änderungsprotokoll als CSV exportieren: eine Zeile je geändertem Feld, älteste zuerst."""
    csv_dialect = parse_dialect(dialect)
    if action is not None and action not in ACTIONS:
        typer.echo(
            f"„--action“: „{action}“ ist unbekannt; erlaubt sind {', '.join(ACTIONS)}.", err=True
        )
        raise typer.Exit(2)
    start, end = parse_period(since, until, "--from", "--to")
    filters: AuditFilters = {
        "actor": actor,
        "action": ACTIONS[action] if action else None,
        "since": start,
        "until": end,
    }
    with Session(make_engine()) as session:
        if output is None:
            write_audit_csv(session, output=sys.stdout.buffer, dialect=csv_dialect, **filters)
            sys.stdout.buffer.flush()
            return
        with output.open("wb") as file:
            written = write_audit_csv(session, output=file, dialect=csv_dialect, **filters)
    typer.echo(f"{written:,} Bytes geschrieben nach {output}".replace(",", "."), err=True)


def register(cli: typer.Typer) -> None:
    """Add the audit export to the administration CLI."""
    cli.command("export-audit")(export_audit_command)
