"""Personen: commands and queries."""

from collections.abc import Iterable
from datetime import date
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy import or_
from sqlmodel import Session, col, select

from models import Committee, Membership, Organization, Person, PersonCreate, PersonUpdate
from services.paging import DEFAULT_PAGE_SIZE, Page, fetch_page
from services.periods import valid_on
from services.search import matches, person_name_matches
from services.write import EntityCommands, require_active


def _check(session: Session, values: PersonCreate, _current: Person | None) -> None:
    require_active(session, Organization, values.organization_id, "organization_id")


PERSONS = EntityCommands(Person, PersonCreate, PersonUpdate, _check)
create_person = PERSONS.create
update_person = PERSONS.update
archive_person = PERSONS.archive
restore_person = PERSONS.restore


def list_persons(
    session: Session, *, search: str | None = None, include_archived: bool = False
) -> pd.DataFrame:
    """Persons with their home organization, sorted by family name."""
    statement = (
        select(Person, Organization.name)
        .join(Organization, col(Person.organization_id) == Organization.id, isouter=True)
        .order_by(col(Person.family_name), col(Person.given_name))
    )
    if not include_archived:
        statement = statement.where(col(Person.archived).is_(False))
    if search:
        pattern = f"%{search.strip()}%"
        statement = statement.where(
            col(Person.family_name).ilike(pattern) | col(Person.given_name).ilike(pattern)
        )
    rows = [
        {
            "id": person.id,
            "name": person.full_name,
            "function": person.function,
            "organization": org_name,
            "archived": person.archived,
            "source": person.source,
        }
        for person, org_name in session.exec(statement)
    ]
    return pd.DataFrame(
        rows, columns=["id", "name", "function", "organization", "archived", "source"]
    )


PERSON_COLUMNS = [
    "id",
    "name",
    "function",
    "organization_id",
    "organization",
    "email",
    "archived",
    "source",
]


def search_persons(
    session: Session,
    *,
    search: str | None = None,
    organization_id: int | None = None,
    archived: bool | None = False,
    limit: int = DEFAULT_PAGE_SIZE,
    offset: int = 0,
) -> Page:
    """One page of persons by family name; `archived` False: active, True: archived, None: all.

    `search` matches the name (also "Vorname Nachname"), the function and the e-mail address.
    """
    statement: sa.Select[*tuple[Any, ...]] = (
        sa.select(Person, col(Organization.name))
        .join(Organization, col(Person.organization_id) == Organization.id, isouter=True)
        .order_by(col(Person.family_name), col(Person.given_name), col(Person.id))
    )
    if archived is not None:
        statement = statement.where(col(Person.archived).is_(archived))
    if search and search.strip():
        statement = statement.where(
            or_(
                person_name_matches(search),
                matches(Person.function, search),
                matches(Person.email, search),
            )
        )
    if organization_id is not None:
        statement = statement.where(col(Person.organization_id) == organization_id)

    def to_row(row: Any) -> dict[str, Any]:
        person, org_name = row
        return {
            "id": person.id,
            "name": person.full_name,
            "function": person.function,
            "organization_id": person.organization_id,
            "organization": org_name,
            "email": person.email,
            "archived": person.archived,
            "source": person.source,
        }

    return fetch_page(session, statement, to_row, PERSON_COLUMNS, limit=limit, offset=offset)


MEMBERSHIP_HISTORY_COLUMNS = [
    "id",
    "committee_id",
    "committee",
    "role",
    "on_behalf_of",
    "voting_right",
    "start_date",
    "end_date",
    "period",
]


def person_memberships(session: Session, person_id: int, today: date | None = None) -> pd.DataFrame:
    """All memberships of a person over time, newest first, marked current, ended or future."""
    today = today or date.today()
    statement = (
        sa.select(Membership, col(Committee.name), col(Organization.name))
        .join(Committee, col(Membership.committee_id) == Committee.id)
        .join(Organization, col(Membership.on_behalf_of_id) == Organization.id, isouter=True)
        .where(col(Membership.person_id) == person_id, col(Membership.archived).is_(False))
        .order_by(
            col(Membership.start_date).desc().nulls_last(),
            col(Committee.name),
            col(Membership.id),
        )
    )
    rows = []
    for membership, committee_name, org_name in session.execute(statement):
        if valid_on(membership.start_date, membership.end_date, today):
            period = "aktuell"
        elif membership.end_date is not None and membership.end_date < today:
            period = "beendet"
        else:
            period = "künftig"
        rank = f" ({membership.deputy_rank}.)" if membership.deputy_rank else ""
        rows.append(
            {
                "id": membership.id,
                "committee_id": membership.committee_id,
                "committee": committee_name,
                "role": f"{membership.role.label}{rank}",
                "on_behalf_of": org_name,
                "voting_right": "ja" if membership.voting_right else "nein",
                "start_date": membership.start_date,
                "end_date": membership.end_date,
                "period": period,
            }
        )
    return pd.DataFrame(rows, columns=MEMBERSHIP_HISTORY_COLUMNS)


def person_choices(
    session: Session,
    *,
    search: str | None = None,
    keep: int | Iterable[int | None] | None = None,
    limit: int | None = 50,
) -> dict[int, str]:
    """Active persons for pickers: id → „Nachname, Vorname (Organisation)“, narrowed by `search`.

    `keep` is what is already chosen: it stays among the choices even when the search no
    longer matches it or it has been archived since. `limit=None` lists every match.
    """
    # Only the label's columns: building ORM objects for a country's persons takes seconds.
    statement = (
        sa.select(
            col(Person.id),
            col(Person.title),
            col(Person.given_name),
            col(Person.family_name),
            col(Organization.name),
        )
        .join(Organization, col(Person.organization_id) == Organization.id, isouter=True)
        .order_by(col(Person.family_name), col(Person.given_name), col(Person.id))
    )
    active = statement.where(col(Person.archived).is_(False))
    if search and search.strip():
        active = active.where(person_name_matches(search))
    rows = list(session.execute(active if limit is None else active.limit(limit)))
    kept_ids = [keep] if isinstance(keep, int) else [i for i in keep or [] if i is not None]
    found = {row[0] for row in rows}
    missing = [i for i in kept_ids if i not in found]
    if missing:
        rows = list(session.execute(statement.where(col(Person.id).in_(missing)))) + rows
    options: dict[int, str] = {}
    for person_id, title, given_name, family_name, org_name in rows:
        given = " ".join(part for part in (title, given_name) if part)
        label = f"{family_name}, {given}" if given else family_name
        options[int(person_id)] = f"{label} ({org_name})" if org_name else label  # type: ignore[arg-type]
    return options
