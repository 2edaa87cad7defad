"""Gremien and Mitgliedschaften: commands, invariants and queries."""

from datetime import date
from typing import Any

import pandas as pd
from sqlmodel import Session, col, func, select

from models import (
    Committee,
    CommitteeCreate,
    CommitteeUpdate,
    Meeting,
    Membership,
    MembershipCreate,
    MembershipUpdate,
    Organization,
    Person,
)
from models.enums import MembershipRole
from services.actor import Actor
from services.errors import DomainError
from services.periods import format_date, overlaps, valid_on, within
from services.write import EntityCommands, get_row, require_active


def _check_committee(session: Session, values: CommitteeCreate, current: Committee | None) -> None:
    require_active(session, Organization, values.host_organization_id, "host_organization_id")
    require_active(session, Committee, values.parent_id, "parent_id")
    if current is None:
        return
    ancestor_id = values.parent_id
    while ancestor_id is not None:
        if ancestor_id == current.id:
            raise DomainError(
                "„übergeordnetes Gremium“ darf nicht das Gremium selbst "
                "oder eines seiner Untergremien sein.",
                "parent_id",
            )
        ancestor_id = get_row(session, Committee, ancestor_id).parent_id
    # Narrowing a committee's lifetime must not strand its memberships or meetings.
    for membership in _memberships(session, current.id):
        if not within(
            membership.start_date, membership.end_date, values.start_date, values.end_date
        ):
            raise DomainError(
                "„Beginn“/„Ende“ des Gremiums müssen alle Mitgliedschaften umfassen; "
                f"Mitgliedschaft Nr. {membership.id} liegt außerhalb.",
                "start_date",
            )
    for meeting in session.exec(
        select(Meeting).where(Meeting.committee_id == current.id, col(Meeting.archived).is_(False))
    ):
        if not valid_on(values.start_date, values.end_date, meeting.start.date()):
            raise DomainError(
                "„Beginn“/„Ende“ des Gremiums müssen alle Sitzungen umfassen; "
                f"die Sitzung vom {format_date(meeting.start.date())} liegt außerhalb.",
                "start_date",
            )


COMMITTEES = EntityCommands(Committee, CommitteeCreate, CommitteeUpdate, _check_committee)
create_committee = COMMITTEES.create
update_committee = COMMITTEES.update
archive_committee = COMMITTEES.archive
restore_committee = COMMITTEES.restore


def _memberships(session: Session, committee_id: int | None) -> list[Membership]:
    return list(
        session.exec(
            select(Membership).where(
                Membership.committee_id == committee_id, col(Membership.archived).is_(False)
            )
        )
    )


def _check_membership(
    session: Session, values: MembershipCreate, current: Membership | None
) -> None:
    require_active(session, Person, values.person_id, "person_id")
    committee = require_active(session, Committee, values.committee_id, "committee_id")
    assert committee is not None
    require_active(session, Organization, values.on_behalf_of_id, "on_behalf_of_id")
    if not within(values.start_date, values.end_date, committee.start_date, committee.end_date):
        raise DomainError(
            "„Beginn“ und „Ende“ der Mitgliedschaft müssen in der Bestehenszeit des Gremiums "
            f"liegen ({format_date(committee.start_date) or 'offen'} bis "
            f"{format_date(committee.end_date) or 'offen'}).",
            "start_date",
        )
    if values.role == MembershipRole.DEPUTY_CHAIR and values.deputy_rank is None:
        raise DomainError(
            "„Rang der Stellvertretung“ ist beim stellv. Vorsitz anzugeben (1, 2, …).",
            "deputy_rank",
        )
    if values.role != MembershipRole.DEPUTY_CHAIR and values.deputy_rank is not None:
        raise DomainError(
            "„Rang der Stellvertretung“ gibt es nur beim stellv. Vorsitz.", "deputy_rank"
        )
    if values.deputy_of_id is not None:
        represented = get_row(session, Membership, values.deputy_of_id, "deputy_of_id")
        if values.role != MembershipRole.DEPUTY_MEMBER:
            raise DomainError(
                "„Stellvertretung für“ gibt es nur bei der Rolle stellv. Mitglied.", "deputy_of_id"
            )
        if represented.committee_id != values.committee_id or (
            current is not None and represented.id == current.id
        ):
            raise DomainError(
                "„Stellvertretung für“ muss eine andere Mitgliedschaft desselben Gremiums sein.",
                "deputy_of_id",
            )
    own_id = current.id if current else None
    for other in _memberships(session, values.committee_id):
        if other.id == own_id or not overlaps(
            values.start_date, values.end_date, other.start_date, other.end_date
        ):
            continue
        if other.person_id == values.person_id:
            raise DomainError(
                "Die Person ist in diesem Zeitraum bereits Mitglied des Gremiums "
                f"(Mitgliedschaft Nr. {other.id}); beenden Sie diese zuerst.",
                "person_id",
            )
        if values.role == MembershipRole.CHAIR and other.role == MembershipRole.CHAIR:
            raise DomainError(
                "„Rolle“: Das Gremium hat in diesem Zeitraum bereits einen Vorsitz.", "role"
            )
        if (
            values.role == MembershipRole.DEPUTY_CHAIR
            and other.role == MembershipRole.DEPUTY_CHAIR
            and other.deputy_rank == values.deputy_rank
        ):
            raise DomainError(
                f"„Rang der Stellvertretung“ {values.deputy_rank} ist in diesem Zeitraum "
                "bereits besetzt.",
                "deputy_rank",
            )


MEMBERSHIPS = EntityCommands(Membership, MembershipCreate, MembershipUpdate, _check_membership)
add_membership = MEMBERSHIPS.create
update_membership = MEMBERSHIPS.update
archive_membership = MEMBERSHIPS.archive
restore_membership = MEMBERSHIPS.restore


def end_membership(
    *,
    session: Session,
    actor: Actor,
    row_id: int,
    end_date: date,
    expected_version: int | None = None,
) -> Membership:
    """End a membership on `end_date`: history is kept, never overwritten."""
    membership = get_row(session, Membership, row_id)
    if membership.end_date is not None and membership.end_date <= end_date:
        raise DomainError(
            f"Die Mitgliedschaft endet bereits am {format_date(membership.end_date)}.", "end_date"
        )
    return update_membership(
        session=session,
        actor=actor,
        row_id=row_id,
        data={"end_date": end_date},
        expected_version=expected_version,
    )


def voting_members_on(session: Session, committee_id: int, day: date) -> list[Membership]:
    """Memberships with voting right valid on `day` (the basis of quorum and vote checks)."""
    return [
        membership
        for membership in _memberships(session, committee_id)
        if membership.voting_right and valid_on(membership.start_date, membership.end_date, day)
    ]


def composition(session: Session, committee_id: int, day: date | None = None) -> pd.DataFrame:
    """The committee's members valid on `day` (default today), chair first."""
    day = day or date.today()
    order = {role: index for index, role in enumerate(MembershipRole)}
    rows: list[dict[str, Any]] = []
    statement = (
        select(Membership, Person, Organization.name)
        .join(Person, col(Membership.person_id) == Person.id)
        .join(Organization, col(Membership.on_behalf_of_id) == Organization.id, isouter=True)
        .where(Membership.committee_id == committee_id, col(Membership.archived).is_(False))
    )
    for membership, person, org_name in session.exec(statement):
        if not valid_on(membership.start_date, membership.end_date, day):
            continue
        rows.append(
            {
                "membership_id": membership.id,
                "person_id": person.id,
                "name": person.full_name,
                "role": membership.role.label
                + (f" ({membership.deputy_rank}.)" if membership.deputy_rank else ""),
                "on_behalf_of": org_name,
                "voting_right": membership.voting_right,
                "start_date": membership.start_date,
                "end_date": membership.end_date,
                "_order": (order[membership.role], membership.deputy_rank or 0, person.family_name),
            }
        )
    rows.sort(key=lambda row: row["_order"])
    frame = pd.DataFrame(
        rows,
        columns=[
            "membership_id",
            "person_id",
            "name",
            "role",
            "on_behalf_of",
            "voting_right",
            "start_date",
            "end_date",
            "_order",
        ],
    )
    return frame.drop(columns="_order")


def list_committees(session: Session, *, include_archived: bool = False) -> pd.DataFrame:
    """Committees with host, member count and meeting count."""
    members = (
        select(Membership.committee_id, func.count().label("n"))
        .where(col(Membership.archived).is_(False), col(Membership.end_date).is_(None))
        .group_by(col(Membership.committee_id))
        .subquery()
    )
    meetings = (
        select(Meeting.committee_id, func.count().label("n"))
        .where(col(Meeting.archived).is_(False))
        .group_by(col(Meeting.committee_id))
        .subquery()
    )
    statement = (
        select(Committee, Organization.name, members.c.n, meetings.c.n)
        .join(Organization, col(Committee.host_organization_id) == Organization.id, isouter=True)
        .join(members, members.c.committee_id == Committee.id, isouter=True)
        .join(meetings, meetings.c.committee_id == Committee.id, isouter=True)
        .order_by(Committee.name)
    )
    if not include_archived:
        statement = statement.where(col(Committee.archived).is_(False))
    rows = [
        {
            "id": committee.id,
            "name": committee.name,
            "kind": committee.kind.label,
            "state": committee.state.label if committee.state else "",
            "host": host,
            "members": int(n_members or 0),
            "meetings": int(n_meetings or 0),
            "archived": committee.archived,
            "source": committee.source,
        }
        for committee, host, n_members, n_meetings in session.exec(statement)
    ]
    return pd.DataFrame(
        rows,
        columns=[
            "id",
            "name",
            "kind",
            "state",
            "host",
            "members",
            "meetings",
            "archived",
            "source",
        ],
    )
