"""Organisationen: commands and queries."""

import pandas as pd
from sqlmodel import Session, col, select

from models import Organization, OrganizationCreate, OrganizationUpdate
from services.errors import DomainError
from services.write import EntityCommands, find_one, require_active


def _check(session: Session, values: OrganizationCreate, current: Organization | None) -> None:
    require_active(session, Organization, values.parent_id, "parent_id")
    if current is not None and values.parent_id is not None:
        ancestor_id: int | None = values.parent_id
        while ancestor_id is not None:
            if ancestor_id == current.id:
                raise DomainError(
                    "„übergeordnete Organisation“ darf nicht die Organisation selbst "
                    "oder eine ihr untergeordnete sein.",
                    "parent_id",
                )
            ancestor_id = session.get(Organization, ancestor_id).parent_id  # type: ignore[union-attr]
    if values.ags:
        other = find_one(session, Organization, ags=values.ags)
        if other is not None and (current is None or other.id != current.id):
            raise DomainError(
                f"„Amtlicher Schlüssel (AGS)“ {values.ags} ist bereits an „{other.name}“ vergeben.",
                "ags",
            )


ORGANIZATIONS = EntityCommands(Organization, OrganizationCreate, OrganizationUpdate, _check)
create_organization = ORGANIZATIONS.create
update_organization = ORGANIZATIONS.update
archive_organization = ORGANIZATIONS.archive
restore_organization = ORGANIZATIONS.restore


def list_organizations(
    session: Session, *, search: str | None = None, include_archived: bool = False
) -> pd.DataFrame:
    """Organizations with kind and Bundesland labels, sorted by name."""
    statement = select(Organization).order_by(Organization.name)
    if not include_archived:
        statement = statement.where(col(Organization.archived).is_(False))
    if search:
        pattern = f"%{search.strip()}%"
        statement = statement.where(
            col(Organization.name).ilike(pattern) | col(Organization.short_name).ilike(pattern)
        )
    rows = [
        {
            "id": org.id,
            "name": org.name,
            "short_name": org.short_name,
            "kind": org.kind.label,
            "state": org.state.label if org.state else "",
            "ags": org.ags,
            "archived": org.archived,
            "source": org.source,
        }
        for org in session.exec(statement)
    ]
    return pd.DataFrame(
        rows, columns=["id", "name", "short_name", "kind", "state", "ags", "archived", "source"]
    )
