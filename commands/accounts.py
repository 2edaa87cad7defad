"""`create-user`, `set-password`, `list-users`: accounts from the command line.

Whoever can run manage.py on the server administers the workspace, so these commands act
as the system actor. Passwords are asked for twice without echo, or read from standard
input with `--password-stdin` for scripts; never from an option (it would end up in the
shell history and the process list).
"""

import sys
from typing import Annotated, NoReturn

import pandas as pd
import typer
from sqlmodel import Session

from models.account import Account
from models.db import make_engine
from models.enums import Role
from services import accounts
from services.actor import SYSTEM_ACTOR
from services.errors import DomainError
from services.periods import format_datetime
from services.write import find_one

ROLES = {role.value: role for role in Role}


def _fail(error: DomainError) -> NoReturn:
    typer.echo(error.message, err=True)
    raise typer.Exit(1)


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(typer.prompt("Passwort", hide_input=True, confirmation_prompt="Wiederholen"))


def create_user_command(
    username: Annotated[str, typer.Argument(help="Benutzername (klein, ohne Leerzeichen).")],
    name: Annotated[str, typer.Option("--name", help="Angezeigter Name.")],
    role: Annotated[
        str, typer.Option("--role", help="admin, secretariat (Sekretariat) oder reader (Lesend).")
    ] = Role.READER.value,
    email: Annotated[
        str | None, typer.Option("--email", help="E-Mail (für Single Sign-on).")
    ] = None,
    sso_only: Annotated[
        bool, typer.Option("--sso-only", help="Ohne Passwort: Anmeldung nur per SSO.")
    ] = False,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Passwort von der Standardeingabe lesen.")
    ] = False,
) -> None:
    """Benutzerkonto anlegen."""
    if role not in ROLES:
        typer.echo(f"„--role“: „{role}“ ist unbekannt; erlaubt: {', '.join(ROLES)}.", err=True)
        raise typer.Exit(2)
    password = None if sso_only else _password(password_stdin)
    data = {"username": username, "display_name": name, "email": email, "role": ROLES[role]}
    with Session(make_engine()) as session:
        try:
            account = accounts.create_account(
                session=session, actor=SYSTEM_ACTOR, data=data, password=password
            )
        except DomainError as error:
            _fail(error)
        typer.echo(f"Konto „{account.username}“ ({account.role.label}) angelegt, Nr. {account.id}.")


def set_password_command(
    username: Annotated[str, typer.Argument(help="Benutzername.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Passwort von der Standardeingabe lesen.")
    ] = False,
) -> None:
    """Neues Passwort setzen (hebt auch eine Sperre nach Fehlversuchen auf)."""
    with Session(make_engine()) as session:
        account = find_one(session, Account, username=username.strip().lower())
        if account is None or account.id is None:
            typer.echo(f"Ein Konto „{username}“ gibt es nicht.", err=True)
            raise typer.Exit(1)
        password = _password(password_stdin)
        try:
            accounts.set_password(
                session=session, actor=SYSTEM_ACTOR, account_id=account.id, password=password
            )
        except DomainError as error:
            _fail(error)
    typer.echo(f"Passwort für „{username}“ gesetzt.")


def list_users_command() -> None:
    """Alle Benutzerkonten mit Rolle, Zustand und letzter Anmeldung."""
    with Session(make_engine()) as session:
        table = accounts.list_accounts(session)
    if table.empty:
        typer.echo("Noch keine Konten. Beim ersten Start fragt die App nach dem Administrator.")
        return
    for row in table.to_dict("records"):
        state = "aktiv" if row["active"] else "deaktiviert"
        if row["locked"]:
            state += ", gesperrt"
        if row["sso_only"]:
            state += ", nur SSO"
        moment = row["last_sign_in_at"]
        last = format_datetime(moment) if pd.notna(moment) else "nie"
        typer.echo(
            f"{row['username']:<20} {row['role']:<14} {state:<24} "
            f"Zuordnungen: {row['assignments']:<3} letzte Anmeldung: {last}  {row['display_name']}"
        )


def register(cli: typer.Typer) -> None:
    """Add the account commands to the administration CLI."""
    cli.command("create-user")(create_user_command)
    cli.command("set-password")(set_password_command)
    cli.command("list-users")(list_users_command)
