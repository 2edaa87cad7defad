"""`export-oparl` and `export-ics`: the workspace as OParl 1.1 JSON, meetings as calendars."""

from pathlib import Path
from typing import Annotated

import typer
from sqlmodel import Session

from models.db import make_engine
from services.calendar_export import committee_ics, meeting_ics
from services.errors import DomainError
from services.oparl import export_oparl, write_oparl


def register(cli: typer.Typer) -> None:
    """Add the OParl and calendar commands to `cli`."""
    cli.command("export-oparl")(export_oparl_command)
    cli.command("export-ics")(export_ics_command)


def export_oparl_command(
    output: Annotated[Path, typer.Option("--output", help="Zielordner für die JSON-Dateien.")],
    base_url: Annotated[
        str,
        typer.Option(
            "--base-url", help="Basis-URL, unter der die OParl-Objekte erreichbar sein sollen."
        ),
    ] = "http://localhost:8501",
) -> None:
    """Den ganzen Arbeitsbereich als OParl-1.1-JSON schreiben (eine Datei je Objektliste)."""
    with Session(make_engine()) as session:
        files = export_oparl(session, base_url=base_url)
    paths = write_oparl(files, output)
    typer.echo(f"{len(paths)} OParl-Dateien nach {output} geschrieben.")


def export_ics_command(
    output: Annotated[Path, typer.Option("--output", help="Zieldatei (.ics).")],
    meeting: Annotated[
        int | None, typer.Option("--meeting", help="Nummer (ID) der Sitzung.")
    ] = None,
    committee: Annotated[
        int | None,
        typer.Option("--committee", help="Nummer (ID) des Gremiums: alle seine Sitzungen."),
    ] = None,
) -> None:
    """Kalenderdatei (.ics) einer Sitzung oder aller Sitzungen eines Gremiums schreiben."""
    if (meeting is None) == (committee is None):
        typer.echo("Bitte genau eines angeben: --meeting oder --committee.", err=True)
        raise typer.Exit(2)
    try:
        with Session(make_engine()) as session:
            content = (
                meeting_ics(session, meeting)
                if meeting is not None
                else committee_ics(session, committee or 0)
            )
    except DomainError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from error
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(content)
    typer.echo(f"Kalender nach {output} geschrieben.")
