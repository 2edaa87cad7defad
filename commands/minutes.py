"""`export-minutes` and `export-niederschrift`: minutes as CSV and the Niederschrift as Word."""

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from sqlmodel import Session

from commands.options import parse_dialect, parse_period
from models.db import make_engine
from services.errors import DomainError
from services.minutes import attendance_csv, minutes_csv
from services.niederschrift import niederschrift_docx


def _write(data: bytes, output: Path | None) -> None:
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    output.write_bytes(data)
    typer.echo(f"{len(data):,} Bytes geschrieben nach {output}".replace(",", "."), err=True)


def _fail(error: DomainError) -> NoReturn:
    typer.echo(error.message, err=True)
    raise typer.Exit(1)


def _progress_printer() -> Callable[[float], None]:
    last = [-1]

    def report(share: float) -> None:
        percent = int(share * 100)
        if percent // 10 != last[0] // 10 or percent == 100:
            last[0] = percent
            typer.echo(f"Export: {percent} %", err=True)

    return report


def export_minutes_command(
    committee: Annotated[
        int | None, typer.Option("--committee", help="Nur dieses Gremium (ID).")
    ] = None,
    meeting: Annotated[
        int | None, typer.Option("--meeting", help="Nur diese Sitzung (ID).")
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Sitzungen ab diesem Tag (JJJJ-MM-TT).")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Sitzungen bis zu diesem Tag (JJJJ-MM-TT).")
    ] = None,
    dialect: Annotated[
        str,
        typer.Option(
            "--dialect",
            help="excel = Excel (Deutschland): Semikolon, BOM, TT.MM.JJJJ; "
            "rfc4180 = Komma, ISO-Daten, feste Spaltennamen.",
        ),
    ] = "excel",
    attendance: Annotated[
        bool,
        typer.Option("--attendance", help="Anwesenheitslisten statt Protokollzeilen exportieren."),
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Zieldatei; ohne Angabe auf die Standardausgabe."),
    ] = None,
) -> None:
    """Protokolle (eine Zeile je Tagesordnungspunkt) oder Anwesenheit als CSV exportieren."""
    csv_dialect = parse_dialect(dialect)
    start, end = parse_period(since, until, "--since", "--until")
    export = attendance_csv if attendance else minutes_csv
    try:
        with Session(make_engine()) as session:
            data = export(
                session,
                meeting_id=meeting,
                committee_id=committee,
                since=start,
                until=end,
                dialect=csv_dialect,
                progress=_progress_printer(),
            )
    except DomainError as error:
        _fail(error)
    _write(data, output)


def export_niederschrift_command(
    meeting: Annotated[int, typer.Option("--meeting", help="Die Sitzung (ID).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Zieldatei (.docx).")],
) -> None:
    """Die Niederschrift einer Sitzung als Word-Dokument (.docx) schreiben."""
    try:
        with Session(make_engine()) as session:
            data = niederschrift_docx(session, meeting)
    except DomainError as error:
        _fail(error)
    _write(data, output)


def register(cli: typer.Typer) -> None:
    """Add the minutes commands to the administration CLI."""
    cli.command("export-minutes")(export_minutes_command)
    cli.command("export-niederschrift")(export_niederschrift_command)
