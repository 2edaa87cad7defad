"""Property tests: whatever a form sends, a command either refuses it cleanly or stores it well.

For every create and update command in the catalogue (and the multi-row commands
that take form data), Hypothesis mixes valid values with hostile ones: unicode with
control characters, very long text, huge and negative numbers, None, wrong types,
dates far out of range, enum garbage and ids that do not exist. The call must either
raise a DomainError with a German message and leave every table untouched, or return
a record that re-validates against its Create schema with exactly the audit events
its rows need. Any other exception fails.

These run on SQLite only (the `sqlite_engine` fixture), where the examples are cheap;
the organization commands also run on PostgreSQL, whose types are stricter.
"""

from collections.abc import Callable, Iterator
from datetime import date, datetime
from enum import Enum
from typing import Any, get_args

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from sqlalchemy import Engine
from sqlmodel import Session, SQLModel, col, select

from models import (
    Account,
    AccountCreate,
    AgendaItemCreate,
    ApprovalCreate,
    Attendance,
    AttendanceCreate,
    DecisionCreate,
    FollowUpNoteCreate,
    MeetingCreate,
    MembershipCreate,
    PersonCreate,
)
from services import accounts, agreements, committees, decisions, meetings
from services.errors import DomainError
from services.write import EntityCommands
from tests.conftest import ACTOR, _empty
from tests.services.catalogue import CATALOGUE, Command, Workspace, audit_count, row_counts

EXAMPLES = 40
# English fragments of library messages that must never reach a user.
ENGLISH = ("Input should", "validation error", "Traceback", "object has no attribute", "NoneType")

HOSTILE = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zl", "Zp"]), min_size=1, max_size=10),
    st.builds(
        lambda piece, n: piece * n, st.text(min_size=1, max_size=3), st.integers(300, 12_000)
    ),
    st.sampled_from(["", "   ", "\x00", "31.02.2020", "2026-13-01", "ja", "Vorsitz", "MEMBER"]),
    st.integers(-(2**80), 2**80),
    st.sampled_from([0, -1, 2**31, 2**63 - 1, 2**63, -(2**63) - 1, 10**30]),
    st.integers(10**6, 2**31 - 1),  # an id that does not exist
    st.floats(),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
# Bookkeeping a form must not be able to set.
SMUGGLED = {
    "id": st.integers(1, 5),
    "version": st.integers(-3, 99),
    "archived": st.booleans(),
    "created_by": st.text(max_size=5),
    "committee_id_x": st.integers(),
}


def _base(annotation: Any) -> Any:
    options = [a for a in get_args(annotation) if a is not type(None)]
    return options[0] if options else annotation


def _meta(info: Any, attribute: str) -> Any:
    for item in info.metadata:
        if getattr(item, attribute, None) is not None:
            return getattr(item, attribute)
    return None


def _existing_ids(session: Session, foreign_key: str) -> list[int]:
    table = SQLModel.metadata.tables[foreign_key.split(".")[0]]
    return [int(i) for i in session.exec(select(table.c.id)).all()]  # type: ignore[call-overload]


def valid_values(session: Session, info: Any) -> st.SearchStrategy[Any]:
    """Values of the field's type within its constraints (ids of existing rows)."""
    base = _base(info.annotation)
    foreign_key = getattr(info, "foreign_key", None)
    if isinstance(foreign_key, str):
        ids = _existing_ids(session, foreign_key)
        return st.sampled_from(ids) if ids else st.none()
    if isinstance(base, type) and issubclass(base, Enum):
        return st.sampled_from([m.value for m in base])
    if base is bool:
        return st.booleans()
    if isinstance(base, type) and issubclass(base, datetime):
        return st.datetimes(min_value=datetime(2019, 1, 1), max_value=datetime(2027, 12, 31))
    if base is date:
        return st.dates(min_value=date(2019, 1, 1), max_value=date(2027, 12, 31))
    if base is int:
        low, high = _meta(info, "ge"), _meta(info, "le")
        return st.integers(low if low is not None else 0, high if high is not None else 500)
    pattern = _meta(info, "pattern")
    high = min(_meta(info, "max_length") or 60, 60)
    if pattern:
        return st.from_regex(pattern, fullmatch=True).filter(lambda s: len(s) <= high)
    low = _meta(info, "min_length") or 0
    return st.text(st.characters(categories=["L", "N", "Zs", "P"]), min_size=low, max_size=high)


def plausible(session: Session, info: Any, baseline: Any) -> st.SearchStrategy[Any]:
    """A value of the field's type, often the one of the known valid call."""
    valid = valid_values(session, info)
    return valid if baseline is None else st.one_of(st.just(baseline), valid)


def form_data(
    session: Session, schema: type[BaseModel], baseline: dict[str, Any], *, partial: bool
) -> st.SearchStrategy[dict[str, Any]]:
    """Input dicts over the schema's fields, with a few of them (or none) hostile.

    A create gets every required field and some optional ones, an update some fields.
    """
    fields = {
        name: plausible(session, info, baseline.get(name))
        for name, info in schema.model_fields.items()
    }
    required = [n for n, info in schema.model_fields.items() if info.is_required() and not partial]

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        chosen = required + [n for n in fields if n not in required and draw(st.booleans())]
        values = {name: draw(fields[name]) for name in chosen}
        spoiled = draw(st.lists(st.sampled_from([*fields, *SMUGGLED]), max_size=2, unique=True))
        for name in spoiled:
            values[name] = draw(SMUGGLED.get(name, HOSTILE))
        return values

    return build()


def _create_schema(command: Command) -> type[BaseModel] | None:
    owner = getattr(command.func, "__self__", None)
    if isinstance(owner, EntityCommands):
        return owner.create_schema
    return WRAPPER_SCHEMAS.get(command.func)


WRAPPER_SCHEMAS: dict[Callable[..., Any], type[BaseModel]] = {
    meetings.create_meeting: MeetingCreate,
    meetings.append_agenda_item: AgendaItemCreate,
    decisions.record_decision: DecisionCreate,
    decisions.add_follow_up_note: FollowUpNoteCreate,
    agreements.add_approval: ApprovalCreate,
    accounts.create_account: AccountCreate,
    accounts.update_account: AccountCreate,
}
# Commands that write more than the one record they return.
EXTRA_EVENTS: dict[Callable[..., Any], set[int]] = {
    decisions.add_follow_up_note: {1, 2},  # the note, and the decision's status
    committees.add_membership_with_new_person: {2},
}
FORM_COMMANDS = [
    pytest.param(command, id=command.name)
    for command in CATALOGUE
    if command.kind in ("create", "update") and _create_schema(command) is not None
]


@pytest.fixture
def sqlite_session(sqlite_engine: Engine) -> Iterator[Session]:
    _empty(sqlite_engine)
    with Session(sqlite_engine) as session:
        yield session


@pytest.fixture
def postgresql_session(postgresql_engine: Engine) -> Iterator[Session]:
    _empty(postgresql_engine)
    with Session(postgresql_engine) as session:
        yield session


def check_refused(session: Session, exc: DomainError, before: dict[str, int]) -> None:
    """A refusal says in German what is wrong and writes nothing."""
    message = str(exc)
    assert message.strip(), "empty message"
    assert all(error.message.strip() for error in exc.errors)
    assert not any(fragment in message for fragment in ENGLISH), message
    assert row_counts(session) == before


def check_stored(
    session: Session,
    command: Command,
    schema: type[BaseModel],
    result: Any,
    before: dict[str, int],
    old_version: int | None,
) -> None:
    """A stored record re-validates and has exactly the audit events of what changed."""
    rows = result if isinstance(result, list) else [result]
    for row in rows:
        session.refresh(row)
        schema.model_validate(row.model_dump(include=set(schema.model_fields)))
    events = audit_count(session) - before["audit_event"]
    if command.kind == "update":
        changed = result.version != old_version
        assert events == (1 if changed else 0), (events, old_version, result.version)
        assert row_counts(session) == {**before, "audit_event": before["audit_event"] + events}
    else:
        assert events in EXTRA_EVENTS.get(command.func, {1}), events


def _target(command: Command, kwargs: dict[str, Any]) -> Any:
    """The stored row an update command changes."""
    owner = getattr(command.func, "__self__", None)
    if isinstance(owner, EntityCommands):
        return owner.model, kwargs["row_id"]
    return Account, kwargs["account_id"]


def run_example(session: Session, command: Command, kwargs: dict[str, Any]) -> None:
    """One call: refused cleanly, or stored well."""
    schema = _create_schema(command)
    assert schema is not None
    before = row_counts(session)
    old_version = None
    if command.kind == "update":
        model, row_id = _target(command, kwargs)
        old_version = session.get(model, row_id, populate_existing=True).version
    try:
        result = command(session, ACTOR, kwargs)
    except DomainError as exc:
        check_refused(session, exc, before)
        return
    check_stored(session, command, schema, result, before, old_version)


def fuzz(session: Session, command: Command, examples: int = EXAMPLES) -> None:
    """Run `command` on generated form data against a prepared workspace."""
    workspace = Workspace(session)
    schema = _create_schema(command)
    assert schema is not None
    kwargs = command.prepare(workspace, "inside", workspace.actor("admin"))
    strategy = form_data(session, schema, kwargs["data"], partial=command.kind == "update")

    @given(strategy)
    @settings(max_examples=examples, deadline=None, database=None)
    def example(fuzzed: dict[str, Any]) -> None:
        session.rollback()
        run_example(session, command, {**kwargs, "data": fuzzed})

    example()


@pytest.mark.parametrize("command", FORM_COMMANDS)
def test_form_commands_refuse_cleanly_or_store_valid_records(
    sqlite_session: Session, command: Command
) -> None:
    fuzz(sqlite_session, command)


@pytest.mark.postgres
@pytest.mark.parametrize(
    "command", [c for c in FORM_COMMANDS if c.values[0].entity == "organization"]
)
def test_organization_commands_on_postgresql(postgresql_session: Session, command: Command) -> None:
    fuzz(postgresql_session, command, examples=EXAMPLES // 2)


def test_membership_with_new_person_refuses_cleanly_or_stores_both(
    sqlite_session: Session,
) -> None:
    session = sqlite_session
    workspace = Workspace(session)
    committee = workspace.committee("inside")
    people = form_data(session, PersonCreate, {"family_name": "Neu"}, partial=False)
    terms = form_data(session, MembershipCreate, {"committee_id": committee.id}, partial=False)

    @given(people, terms)
    @settings(max_examples=EXAMPLES, deadline=None, database=None)
    def example(person: dict[str, Any], membership: dict[str, Any]) -> None:
        session.rollback()
        membership.pop("person_id", None)
        before = row_counts(session)
        try:
            row = committees.add_membership_with_new_person(
                session=session, actor=ACTOR, person=person, membership=membership
            )
        except DomainError as exc:
            check_refused(session, exc, before)
            return
        MembershipCreate.model_validate(row.model_dump(include=set(MembershipCreate.model_fields)))
        assert audit_count(session) - before["audit_event"] == 2

    example()


def test_attendance_sheet_refuses_cleanly_or_stores_every_line(sqlite_session: Session) -> None:
    session = sqlite_session
    workspace = Workspace(session)
    meeting = workspace.meeting("inside")
    for _ in range(3):
        workspace.new_person()
    line = form_data(session, AttendanceCreate, {"meeting_id": meeting.id}, partial=False)
    # The sheet's lines come from the page's table: always dicts, their values anything.
    entries = st.lists(
        st.one_of(line, st.fixed_dictionaries({"expected_version": HOSTILE}, optional=SMUGGLED)),
        max_size=4,
    )

    @given(entries)
    @settings(max_examples=EXAMPLES, deadline=None, database=None)
    def example(sheet: list[Any]) -> None:
        session.rollback()
        before = row_counts(session)
        try:
            saved = meetings.save_attendance(
                session=session, actor=ACTOR, meeting_id=meeting.id, entries=sheet
            )
        except DomainError as exc:
            check_refused(session, exc, before)
            return
        for row in saved:
            AttendanceCreate.model_validate(
                row.model_dump(include=set(AttendanceCreate.model_fields))
            )
        assert audit_count(session) - before["audit_event"] <= len(sheet)
        stored = session.exec(
            select(Attendance).where(col(Attendance.meeting_id) == meeting.id)
        ).all()
        assert {row.person_id for row in saved} <= {row.person_id for row in stored}

    example()
