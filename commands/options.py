"""Option parsing shared by the export commands: days and CSV dialects, German errors."""

from datetime import date

import typer

from services.csv_export import DIALECTS, CsvDialect
from services.importer import parse_date


def parse_day(value: str | None, option: str) -> date | None:
    """A day given as TT.MM.JJJJ or JJJJ-MM-TT; exit 2 with a German message otherwise."""
    if value is None:
        return None
    try:
        return parse_date(value)
    except ValueError:
        typer.echo(
            f"„{option}“: „{value}“ ist kein Datum im Format TT.MM.JJJJ oder JJJJ-MM-TT.", err=True
        )
        raise typer.Exit(2) from None


def parse_dialect(value: str) -> CsvDialect:
    """`excel` or `rfc4180`; exit 2 with a German message otherwise."""
    dialect = DIALECTS.get(value.lower())
    if dialect is None:
        typer.echo(
            f"„--dialect“: „{value}“ ist unbekannt; erlaubt sind excel und rfc4180.", err=True
        )
        raise typer.Exit(2)
    return dialect


def parse_period(
    since: str | None, until: str | None, since_option: str, until_option: str
) -> tuple[date | None, date | None]:
    """Both ends of a period of days; the end may not lie before the start."""
    start, end = parse_day(since, since_option), parse_day(until, until_option)
    if start and end and end < start:
        typer.echo(f"„{until_option}“ liegt vor „{since_option}“.", err=True)
        raise typer.Exit(2)
    return start, end
