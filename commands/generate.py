"""`generate`: a synthetic workspace for load tests and demonstrations at scale."""

import sys
from collections.abc import Callable
from typing import Annotated

import typer

from models.db import make_engine
from services.database import migrate
from services.errors import DomainError
from services.generator import DEFAULT_SEED, SCALES, generate


def _progress_printer() -> Callable[[str, int, int], None]:
    last: dict[str, int] = {}

    def report(step: str, done: int, total: int) -> None:
        percent = 100 * done // total if total else 100
        # One line per step and tenth: enough to see it move, few enough to read.
        if percent // 10 != last.get(step, -10) // 10:
            last[step] = percent
            typer.echo(f"{step}: {done:,} von {total:,} ({percent} %)".replace(",", "."), err=True)

    return report


def generate_command(
    scale: Annotated[
        str,
        typer.Option(
            "--scale",
            help="Umfang: germany (ganz Deutschland), land (ein Zehntel), small (ein Hundertstel).",
        ),
    ] = "small",
    seed: Annotated[
        int, typer.Option("--seed", help="Startwert des Zufalls: gleicher Wert, gleiche Daten.")
    ] = DEFAULT_SEED,
    database_url: Annotated[
        str | None,
        typer.Option("--database-url", help="Zieldatenbank; ohne Angabe DATABASE_URL."),
    ] = None,
) -> None:
    """Einen synthetischen Arbeitsbereich in eine leere Datenbank laden (Lasttests)."""
    if scale not in SCALES:
        typer.echo(f"„--scale“: „{scale}“ ist unbekannt; möglich: {', '.join(SCALES)}.", err=True)
        sys.exit(2)
    engine = make_engine(database_url)
    migrate(engine)
    try:
        report = generate(engine, scale=scale, seed=seed, progress=_progress_printer())
    except DomainError as exc:
        typer.echo(exc.message, err=True)
        sys.exit(1)
    finally:
        engine.dispose()
    for line in report.lines():
        typer.echo(line)


def register(cli: typer.Typer) -> None:
    """Add `generate` to the manage.py command line."""
    cli.command("generate")(generate_command)
