"""Gremien and Mitgliedschaften: commands, invariants and queries."""

from datetime import date
from typing import Any, Literal

import pandas as pd
import sqlalchemy as sa
from sqlalchemy import and_, case, or_
from sqlalchemy.orm import aliased
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
    PersonCreate,
)
from models.enums import CommitteeKind, FederalState, MembershipRole
from services.actor import Actor
from services.errors import DomainError, FieldError
from services.paging import DEFAULT_PAGE_SIZE, Page, fetch_page
from services.periods import format_date, overlaps, valid_on, within
from services.persons import PERSONS
from services.search import matches
from services.validation import validate
from services.write import EntityCommands, add_row, get_row, key, require_active, transaction


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


# --- the Gremien page: list, pickers, profile, history, combined commands -------------

StatusFilter = Literal["active", "all", "archived"]
STATUS_FILTERS: dict[str, str] = {"active": "aktiv", "all": "alle", "archived": "archiviert"}

COMMITTEE_COLUMNS = [
    "id",
    "name",
    "short_name",
    "kind",
    "state",
    "host",
    "members",
    "meetings",
    "status",
    "source",
]


def committee_status(committee: Committee, today: date | None = None) -> str:
    """„archiviert“, „beendet“ (end date passed) or „aktiv“."""
    today = today or date.today()
    if committee.archived:
        return "archiviert"
    if committee.end_date is not None and committee.end_date < today:
        return "beendet"
    return "aktiv"


def search_committees(
    session: Session,
    *,
    search: str | None = None,
    states: list[FederalState] | list[str] | None = None,
    kinds: list[CommitteeKind] | list[str] | None = None,
    status: StatusFilter = "active",
    today: date | None = None,
    limit: int = DEFAULT_PAGE_SIZE,
    offset: int = 0,
) -> Page:
    """Committees matching name/short name, Länder, kinds and status; counted and paged in SQL.

    „active“ means not archived and not ended (no end date or one from today on);
    the member count covers the memberships valid today.
    """
    today = today or date.today()
    # Counted per row of the page only (correlated, by the committee_id indexes): grouping
    # every membership and meeting of the country first cost more than the page itself.
    members = (
        select(func.count())
        .select_from(Membership)
        .where(
            Membership.committee_id == Committee.id,
            col(Membership.archived).is_(False),
            or_(col(Membership.start_date).is_(None), col(Membership.start_date) <= today),
            or_(col(Membership.end_date).is_(None), col(Membership.end_date) >= today),
        )
        .correlate(Committee)
        .scalar_subquery()
    )
    meetings = (
        select(func.count())
        .select_from(Meeting)
        .where(Meeting.committee_id == Committee.id, col(Meeting.archived).is_(False))
        .correlate(Committee)
        .scalar_subquery()
    )
    filters: list[Any] = []
    if search and search.strip():
        filters.append(or_(matches(Committee.name, search), matches(Committee.short_name, search)))
    if states:
        filters.append(col(Committee.state).in_([FederalState(s) for s in states]))
    if kinds:
        filters.append(col(Committee.kind).in_([CommitteeKind(k) for k in kinds]))
    if status == "active":
        filters.append(
            and_(
                col(Committee.archived).is_(False),
                or_(col(Committee.end_date).is_(None), col(Committee.end_date) >= today),
            )
        )
    elif status == "archived":
        filters.append(col(Committee.archived).is_(True))
    statement = (
        sa.select(Committee, col(Organization.name), members, meetings)
        .join(Organization, col(Committee.host_organization_id) == Organization.id, isouter=True)
        .where(*filters)
        .order_by(col(Committee.name), col(Committee.id))
    )
    # The host join adds no rows (at most one host): count the committees alone.
    count = select(func.count()).select_from(Committee).where(*filters)

    def to_row(row: Any) -> dict[str, Any]:
        committee, host, n_members, n_meetings = row
        return {
            "id": committee.id,
            "name": committee.name,
            "short_name": committee.short_name,
            "kind": committee.kind.label,
            "state": committee.state.label if committee.state else "",
            "host": host,
            "members": int(n_members or 0),
            "meetings": int(n_meetings or 0),
            "status": committee_status(committee, today),
            "source": committee.source,
        }

    return fetch_page(
        session, statement, to_row, COMMITTEE_COLUMNS, limit=limit, offset=offset, count=count
    )


def committee_choices(
    session: Session,
    *,
    keep: int | None = None,
    exclude: int | None = None,
    limit: int | None = None,
) -> dict[int, str]:
    """Active committees for pickers (id → name); `keep` stays listed, `exclude` never is."""
    statement = (
        select(Committee.id, Committee.name)
        .where(col(Committee.archived).is_(False))
        .order_by(col(Committee.name), col(Committee.id))
    )
    if exclude is not None:
        statement = statement.where(Committee.id != exclude)
    rows = {
        int(i): name
        for i, name in session.exec(statement if limit is None else statement.limit(limit))
        if i is not None
    }
    if keep is not None and keep not in rows and keep != exclude:
        kept = session.get(Committee, keep)
        if kept is not None:
            rows[keep] = kept.name
    return rows


def committee_profile(
    session: Session, committee_id: int, today: date | None = None
) -> dict[str, Any]:
    """One committee in German words: labels of kind, Land, host, parent, rules and status."""
    committee = get_row(session, Committee, committee_id)
    host = session.get(Organization, committee.host_organization_id or -1)
    parent = session.get(Committee, committee.parent_id or -1)
    return {
        "id": committee.id,
        "name": committee.name,
        "short_name": committee.short_name,
        "kind": committee.kind.label,
        "state": committee.state.label if committee.state else "",
        "host": host.name if host else "",
        "parent": parent.name if parent else "",
        "parent_id": committee.parent_id,
        "purpose": committee.purpose,
        "seat_count": committee.seat_count,
        "quorum_rule": committee.quorum_rule.label,
        "majority_rule": committee.majority_rule.label,
        "start_date": committee.start_date,
        "end_date": committee.end_date,
        "status": committee_status(committee, today),
        "archived": committee.archived,
        "source": committee.source,
        "version": committee.version,
    }


HISTORY_COLUMNS = [
    "membership_id",
    "person_id",
    "name",
    "role",
    "on_behalf_of",
    "voting_right",
    "deputy_of",
    "start_date",
    "end_date",
    "status",
    "source",
]


def membership_history(
    session: Session, committee_id: int, today: date | None = None
) -> pd.DataFrame:
    """Every membership of the committee, ended ones included, newest start first."""
    today = today or date.today()
    represented = aliased(Membership)
    deputy_for = aliased(Person)
    statement = (
        select(Membership, Person, Organization.name, deputy_for)
        .join(Person, col(Membership.person_id) == Person.id)
        .join(Organization, col(Membership.on_behalf_of_id) == Organization.id, isouter=True)
        .join(represented, col(Membership.deputy_of_id) == represented.id, isouter=True)
        .join(deputy_for, col(represented.person_id) == deputy_for.id, isouter=True)
        .where(Membership.committee_id == committee_id, col(Membership.archived).is_(False))
        .order_by(
            col(Membership.start_date).desc().nulls_last(),
            case(
                {role.value: index for index, role in enumerate(MembershipRole)},
                value=col(Membership.role),
            ),
            col(Membership.deputy_rank),
            col(Person.family_name),
            col(Membership.id),
        )
    )
    rows = []
    for membership, person, org_name, represented_person in session.exec(statement):
        if membership.end_date is not None and membership.end_date < today:
            status = "beendet"
        elif membership.start_date is not None and membership.start_date > today:
            status = "künftig"
        else:
            status = "aktuell"
        rows.append(
            {
                "membership_id": membership.id,
                "person_id": person.id,
                "name": person.full_name,
                "role": membership.role.label
                + (f" ({membership.deputy_rank}.)" if membership.deputy_rank else ""),
                "on_behalf_of": org_name,
                "voting_right": membership.voting_right,
                "deputy_of": represented_person.full_name if represented_person else None,
                "start_date": membership.start_date,
                "end_date": membership.end_date,
                "status": status,
                "source": membership.source,
            }
        )
    return pd.DataFrame(rows, columns=HISTORY_COLUMNS)


def add_membership_with_new_person(
    *,
    session: Session,
    actor: Actor,
    person: dict[str, Any],
    membership: dict[str, Any],
) -> Membership:
    """Create a person and their membership together: both are stored, or neither.

    Runs the same validation and checks as `create_person` and `add_membership`;
    `membership` carries no person_id, it gets the new person's.
    """
    with transaction(session):
        errors: list[FieldError] = []
        person_values: PersonCreate | None = None
        membership_values: MembershipCreate | None = None
        try:
            person_values = validate(PersonCreate, person)
        except DomainError as exc:
            errors.extend(exc.errors)
        try:
            # The person does not exist yet; a placeholder lets the other fields validate now,
            # so the user sees every message of the form at once.
            membership_values = validate(MembershipCreate, {**membership, "person_id": 0})
        except DomainError as exc:
            errors.extend(exc.errors)
        if errors or person_values is None or membership_values is None:
            raise DomainError.many(errors)
        if PERSONS.check:
            PERSONS.check(session, person_values, None)
        new_person = add_row(session, actor, Person, person_values.model_dump())
        membership_values = membership_values.model_copy(update={"person_id": key(new_person)})
        _check_membership(session, membership_values, None)
        row = add_row(session, actor, Membership, membership_values.model_dump())
    session.refresh(row)
    return row


def end_committee_membership(
    *,
    session: Session,
    actor: Actor,
    committee_id: int,
    membership_id: int | None,
    end_date: date | None,
    expected_version: int | None = None,
) -> Membership:
    """End one membership of this committee (the form's required fields checked first)."""
    errors = []
    if membership_id is None:
        errors.append(FieldError("membership_id", "„Mitgliedschaft“ ist ein Pflichtfeld."))
    if end_date is None:
        errors.append(FieldError("end_date", "„Ende“ ist ein Pflichtfeld."))
    if membership_id is None or end_date is None:
        raise DomainError.many(errors)
    membership = get_row(session, Membership, membership_id, "membership_id")
    if membership.committee_id != committee_id:
        raise DomainError("„Mitgliedschaft“ gehört nicht zu diesem Gremium.", "membership_id")
    return end_membership(
        session=session,
        actor=actor,
        row_id=membership_id,
        end_date=end_date,
        expected_version=expected_version,
    )


def archived_memberships(session: Session, committee_id: int) -> list[tuple[int, str, str]]:
    """The committee's archived memberships: (id, person's name, role label), by family name."""
    rows = session.exec(
        select(Membership, Person)
        .join(Person, col(Membership.person_id) == Person.id)
        .where(Membership.committee_id == committee_id, col(Membership.archived).is_(True))
        .order_by(col(Person.family_name), col(Membership.id))
    ).all()
    return [
        (key(membership), person.full_name, membership.role.label) for membership, person in rows
    ]
