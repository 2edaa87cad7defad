"""Personen: commands and queries."""

import pandas as pd
from sqlmodel import Session, col, select

from models import Organization, Person, PersonCreate, PersonUpdate
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
