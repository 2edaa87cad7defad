"""Organisationen: commands and queries."""

from collections.abc import Iterable
from datetime import date
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy import and_, case, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, select

from models import (
    Agreement,
    AgreementParty,
    Committee,
    Membership,
    Organization,
    OrganizationCreate,
    OrganizationUpdate,
    Participation,
    TopicField,
)
from models.enums import FederalState, OrganizationKind
from services.errors import DomainError
from services.paging import DEFAULT_PAGE_SIZE, Page, fetch_page
from services.periods import valid_on
from services.search import matches
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


ORGANIZATION_COLUMNS = [
    "id",
    "name",
    "short_name",
    "kind",
    "state",
    "parent_id",
    "parent",
    "ags",
    "archived",
    "source",
]


def search_organizations(
    session: Session,
    *,
    search: str | None = None,
    kinds: list[OrganizationKind] | None = None,
    states: list[FederalState] | None = None,
    archived: bool | None = False,
    parent_id: int | None = None,
    limit: int = DEFAULT_PAGE_SIZE,
    offset: int = 0,
) -> Page:
    """One page of organizations by name; `archived` False: active, True: archived, None: all.

    `search` matches name, short name and AGS; counting and slicing happen in SQL, so the
    list stays fast with all 11,000 Gemeinden loaded.
    """
    parent = aliased(Organization)
    statement: sa.Select[*tuple[Any, ...]] = (
        sa.select(Organization, col(parent.name))
        .join(parent, col(Organization.parent_id) == col(parent.id), isouter=True)
        .order_by(col(Organization.name), col(Organization.id))
    )
    if archived is not None:
        statement = statement.where(col(Organization.archived).is_(archived))
    if search and search.strip():
        statement = statement.where(
            or_(
                matches(Organization.name, search),
                matches(Organization.short_name, search),
                matches(Organization.ags, search),
            )
        )
    if kinds:
        statement = statement.where(col(Organization.kind).in_(kinds))
    if states:
        statement = statement.where(col(Organization.state).in_(states))
    if parent_id is not None:
        statement = statement.where(col(Organization.parent_id) == parent_id)

    def to_row(row: Any) -> dict[str, Any]:
        org, parent_name = row
        return {
            "id": org.id,
            "name": org.name,
            "short_name": org.short_name,
            "kind": org.kind.label,
            "state": org.state.label if org.state else "",
            "parent_id": org.parent_id,
            "parent": parent_name,
            "ags": org.ags,
            "archived": org.archived,
            "source": org.source,
        }

    return fetch_page(session, statement, to_row, ORGANIZATION_COLUMNS, limit=limit, offset=offset)


def organization_choices(
    session: Session,
    *,
    search: str | None = None,
    keep: int | Iterable[int | None] | None = None,
    limit: int | None = 50,
) -> dict[int, str]:
    """Active organizations for a picker (id → "Name (Kurzname)"), narrowed by `search`.

    `keep` is what is already chosen: it stays among the choices even when the search no
    longer matches it or it has been archived since. `limit=None` lists every match.
    """
    # Only the label's columns: ORM objects for a country's organizations cost a second.
    statement = select(Organization.id, Organization.name, Organization.short_name)
    active = statement.where(col(Organization.archived).is_(False))
    if search and search.strip():
        active = active.where(_matching(search))
    active = active.order_by(col(Organization.name), col(Organization.id))
    found = list(session.exec(active if limit is None else active.limit(limit)))
    kept_ids = [keep] if isinstance(keep, int) else [i for i in keep or [] if i is not None]
    missing = [i for i in kept_ids if i not in {row[0] for row in found}]
    if missing:
        found = list(session.exec(statement.where(col(Organization.id).in_(missing)))) + found
    return {
        int(org_id): _label(name, short_name)  # type: ignore[arg-type]
        for org_id, name, short_name in found
    }


def count_organizations(session: Session, search: str | None = None) -> int:
    """How many active organizations match `search` (to say when a pick list is cut short)."""
    statement = (
        select(func.count()).select_from(Organization).where(col(Organization.archived).is_(False))
    )
    if search and search.strip():
        statement = statement.where(_matching(search))
    return int(session.exec(statement).one())


def _matching(search: str) -> Any:
    return or_(
        matches(Organization.name, search),
        matches(Organization.short_name, search),
        matches(Organization.ags, search),
    )


def _label(name: str, short_name: str | None) -> str:
    short = f" ({short_name})" if short_name and short_name != name else ""
    return f"{name}{short}"


def organization_committees(
    session: Session, organization_id: int, today: date | None = None
) -> pd.DataFrame:
    """Committees the organization hosts or sends members to, with its current members there."""
    today = today or date.today()
    current = and_(
        or_(col(Membership.start_date).is_(None), col(Membership.start_date) <= today),
        or_(col(Membership.end_date).is_(None), col(Membership.end_date) >= today),
    )
    sent = (
        sa.select(
            col(Membership.committee_id).label("committee_id"),
            func.count().label("all_members"),
            func.sum(case((current, 1), else_=0)).label("current_members"),
        )
        .where(
            col(Membership.on_behalf_of_id) == organization_id,
            col(Membership.archived).is_(False),
        )
        .group_by(col(Membership.committee_id))
        .subquery()
    )
    statement = (
        sa.select(Committee, sent.c.all_members, sent.c.current_members)
        .join(sent, sent.c.committee_id == Committee.id, isouter=True)
        .where(
            col(Committee.archived).is_(False),
            or_(
                col(Committee.host_organization_id) == organization_id,
                sent.c.committee_id.is_not(None),
            ),
        )
        .order_by(col(Committee.name))
    )
    rows = []
    for committee, all_members, current_members in session.execute(statement):
        relations = []
        if committee.host_organization_id == organization_id:
            relations.append("Träger")
        if current_members:
            relations.append(f"entsendet {_members(int(current_members))}")
        elif all_members:
            relations.append(f"entsandte früher {_members(int(all_members))}")
        rows.append(
            {
                "id": committee.id,
                "name": committee.name,
                "kind": committee.kind.label,
                "state": committee.state.label if committee.state else "",
                "relation": "; ".join(relations),
                "current_members": int(current_members or 0),
            }
        )
    return pd.DataFrame(
        rows, columns=["id", "name", "kind", "state", "relation", "current_members"]
    )


def _members(count: int) -> str:
    return "1 Mitglied" if count == 1 else f"{count} Mitglieder"


def organization_agreements(session: Session, organization_id: int) -> pd.DataFrame:
    """Agreements the organization is a party to, or in which it represents a party."""
    party_org = aliased(Organization)
    representative = aliased(Organization)
    statement = (
        sa.select(AgreementParty, Agreement, col(party_org.name), col(representative.name))
        .join(Agreement, col(AgreementParty.agreement_id) == Agreement.id)
        .join(party_org, col(AgreementParty.organization_id) == col(party_org.id))
        .join(
            representative,
            col(AgreementParty.represented_by_id) == col(representative.id),
            isouter=True,
        )
        .where(
            col(AgreementParty.archived).is_(False),
            col(Agreement.archived).is_(False),
            or_(
                col(AgreementParty.organization_id) == organization_id,
                col(AgreementParty.represented_by_id) == organization_id,
            ),
        )
        .order_by(col(Agreement.title))
    )
    rows = []
    for party, agreement, party_name, representative_name in session.execute(statement):
        if party.organization_id == organization_id:
            relation = f"Partei ({party.role.label})"
            if representative_name:
                relation += f", vertreten durch {representative_name}"
        else:
            relation = f"vertritt {party_name} ({party.role.label})"
        rows.append(
            {
                "id": agreement.id,
                "title": agreement.title,
                "kind": agreement.kind.label,
                "state": agreement.state.label,
                "relation": relation,
                "concluded_on": agreement.concluded_on,
                "target_date": agreement.target_date,
            }
        )
    return pd.DataFrame(
        rows,
        columns=["id", "title", "kind", "state", "relation", "concluded_on", "target_date"],
    )


def organization_participations(
    session: Session, organization_id: int, today: date | None = None
) -> pd.DataFrame:
    """The organization's Themenfeld participations over time, current ones first."""
    today = today or date.today()
    statement = (
        select(Participation, TopicField.name)
        .join(TopicField, col(Participation.topic_field_id) == TopicField.id)
        .where(
            Participation.organization_id == organization_id,
            col(Participation.archived).is_(False),
        )
        .order_by(col(TopicField.number), col(Participation.valid_from))
    )
    rows = [
        {
            "id": participation.id,
            "topic_field": topic_name,
            "role": participation.role.label,
            "valid_from": participation.valid_from,
            "valid_to": participation.valid_to,
            "current": "aktuell"
            if valid_on(participation.valid_from, participation.valid_to, today)
            else "beendet"
            if participation.valid_to and participation.valid_to < today
            else "künftig",
            "note": participation.note,
        }
        for participation, topic_name in session.exec(statement)
    ]
    return pd.DataFrame(
        rows, columns=["id", "topic_field", "role", "valid_from", "valid_to", "current", "note"]
    )
