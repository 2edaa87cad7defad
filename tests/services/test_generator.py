"""The synthetic workspace at small scale: consistent, deterministic, and every page renders."""

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import typer
from pydantic import BaseModel
from sqlalchemy import Engine
from sqlmodel import Session, SQLModel, col, select
from typer.testing import CliRunner

from commands.generate import register
from models import (
    AgendaItem,
    AgendaItemCreate,
    Agreement,
    AgreementCreate,
    AgreementParty,
    AgreementPartyCreate,
    Approval,
    ApprovalCreate,
    Attendance,
    AttendanceCreate,
    AuditEvent,
    Committee,
    CommitteeCreate,
    Decision,
    DecisionCreate,
    FollowUpNote,
    FollowUpNoteCreate,
    Meeting,
    MeetingCreate,
    Membership,
    MembershipCreate,
    Organization,
    OrganizationCreate,
    Participation,
    ParticipationCreate,
    Person,
    PersonCreate,
    TopicField,
    TopicFieldCreate,
)
from models.db import make_engine
from models.enums import (
    AgreementState,
    ApprovalState,
    AttendanceStatus,
    MeetingKind,
    MeetingState,
    MembershipRole,
    OrganizationKind,
    ParticipationRole,
    Role,
)
from services import accounts, agreements, decisions, meetings, organizations
from services.actor import SYSTEM_ACTOR
from services.database import migrate
from services.errors import DomainError
from services.generator import GENERATOR, SOURCE, GenerateReport, generate
from services.periods import valid_on
from services.validation import validate
from tests.conftest import ACTOR
from tests.pages.apptest import page_app
from tests.workspaces import PASSWORD
from ui.links import PAGES

TODAY = date(2026, 6, 1)
SEED = 7
SCHEMAS: list[tuple[type[SQLModel], type[BaseModel]]] = [
    (Organization, OrganizationCreate),
    (Person, PersonCreate),
    (TopicField, TopicFieldCreate),
    (Participation, ParticipationCreate),
    (Committee, CommitteeCreate),
    (Membership, MembershipCreate),
    (Meeting, MeetingCreate),
    (AgendaItem, AgendaItemCreate),
    (Attendance, AttendanceCreate),
    (Decision, DecisionCreate),
    (FollowUpNote, FollowUpNoteCreate),
    (Agreement, AgreementCreate),
    (AgreementParty, AgreementPartyCreate),
    (Approval, ApprovalCreate),
]


def fresh_engine(folder: Path, name: str) -> Engine:
    engine = make_engine(f"sqlite:///{folder / name}")
    migrate(engine)
    return engine


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, GenerateReport]:
    """A small workspace with one administrator (account 1, the pages' signed-in user)."""
    engine = fresh_engine(tmp_path_factory.mktemp("generated"), "small.db")
    steps: list[tuple[str, int, int]] = []
    report = generate(
        engine,
        scale="small",
        seed=SEED,
        today=TODAY,
        progress=lambda step, done, total: steps.append((step, done, total)),
    )
    assert {step for step, _done, _total in steps} >= {"Organisationen", "Personen"}
    assert all(done <= total for _step, done, total in steps)
    with Session(engine) as session:
        data = {"username": "admin", "display_name": "Admin", "role": Role.ADMIN}
        admin = accounts.create_account(
            session=session, actor=SYSTEM_ACTOR, data=data, password=PASSWORD
        )
        assert admin.id == 1
    with engine.begin() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    url = engine.url.render_as_string()
    engine.dispose()
    return url, report


@pytest.fixture
def session(generated: tuple[str, GenerateReport]) -> Any:
    engine = make_engine(generated[0])
    with Session(engine) as session:
        yield session
    engine.dispose()


# --- size and bookkeeping --------------------------------------------------------------


def test_a_hundredth_of_germany(generated: tuple[str, GenerateReport], session: Session) -> None:
    rows = generated[1].rows
    assert rows["topic_field"] == 14
    assert rows["person"] == 300
    assert rows["committee"] == 20
    assert rows["agreement"] == 10
    assert rows["participation"] == 500
    assert 100 <= rows["organization"] <= 160
    assert 450 <= rows["membership"] <= 800
    assert 300 <= rows["meeting"] <= 500
    assert 3_000 <= rows["agenda_item"] <= 5_000
    assert rows["decision"] > 1_000
    assert rows["agreement_party"] == rows["approval"]
    kinds = dict(
        session.exec(
            select(Organization.kind, sa.func.count()).group_by(col(Organization.kind))
        ).all()
    )
    assert kinds[OrganizationKind.LAND] == 16
    assert kinds[OrganizationKind.MUNICIPALITY] >= 100
    for model, _schema in SCHEMAS:
        table = model.__table__  # type: ignore[attr-defined]
        stored = session.exec(select(sa.func.count()).select_from(table)).one()
        assert stored == rows[table.name], table.name


def test_bookkeeping_and_one_audit_event_per_table(
    generated: tuple[str, GenerateReport], session: Session
) -> None:
    committee = session.exec(select(Committee)).first()
    assert committee is not None
    assert (committee.created_by, committee.version, committee.archived, committee.source) == (
        GENERATOR,
        1,
        False,
        SOURCE,
    )
    events = session.exec(select(AuditEvent).where(AuditEvent.actor == GENERATOR)).all()
    assert {event.entity: event.changes["generated"][1] for event in events} == generated[1].rows
    assert {event.entity_id for event in events} == {0}


def test_foreign_keys_hold(generated: tuple[str, GenerateReport]) -> None:
    engine = make_engine(generated[0])
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
        assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    engine.dispose()


@pytest.mark.parametrize(("model", "schema"), SCHEMAS, ids=lambda item: item.__name__)
def test_sample_rows_pass_their_create_schema(
    session: Session, model: type[SQLModel], schema: type[BaseModel]
) -> None:
    rows = session.exec(select(model).order_by(model.id)).all()  # type: ignore[attr-defined]
    assert rows
    for row in rows[:: max(1, len(rows) // 60)]:
        data = {name: getattr(row, name) for name in schema.model_fields}
        values = validate(schema, data)
        # Stored exactly as the write path would store it: texts already clean.
        assert values.model_dump() == data, (model.__name__, row.id)  # type: ignore[attr-defined]


# --- the invariants the commands keep --------------------------------------------------------


def test_memberships_keep_the_committee_rules(session: Session) -> None:
    committees = {c.id: c for c in session.exec(select(Committee))}
    by_committee: dict[int, list[Membership]] = {}
    for membership in session.exec(select(Membership)):
        by_committee.setdefault(membership.committee_id, []).append(membership)
    for committee_id, members in by_committee.items():
        committee = committees[committee_id]
        for m in members:
            assert committee.start_date is not None
            assert m.start_date is not None
            assert m.start_date >= committee.start_date
            if committee.end_date is not None:
                assert m.end_date is not None
                assert m.end_date <= committee.end_date
            if m.deputy_of_id is not None:
                assert m.role == MembershipRole.DEPUTY_MEMBER
                assert any(o.id == m.deputy_of_id for o in members)
            assert (m.role == MembershipRole.DEPUTY_CHAIR) == (m.deputy_rank is not None)
        for a in members:
            for b in members:
                if a.id >= b.id or not _overlap(a, b):  # type: ignore[operator]
                    continue
                assert a.person_id != b.person_id, (a.id, b.id)
                assert not (a.role == b.role == MembershipRole.CHAIR), (a.id, b.id)
                if a.role == b.role == MembershipRole.DEPUTY_CHAIR:
                    assert a.deputy_rank != b.deputy_rank
        chairs_today = [
            m
            for m in members
            if m.role == MembershipRole.CHAIR and valid_on(m.start_date, m.end_date, TODAY)
        ]
        assert len(chairs_today) == (0 if committee.end_date else 1)


def _overlap(a: Membership, b: Membership) -> bool:
    return (a.end_date is None or b.start_date is None or b.start_date <= a.end_date) and (
        b.end_date is None or a.start_date is None or a.start_date <= b.end_date
    )


def test_meetings_agenda_and_attendance(session: Session) -> None:
    committees = {c.id: c for c in session.exec(select(Committee))}
    states = set()
    for meeting in session.exec(select(Meeting)):
        committee = committees[meeting.committee_id]
        assert valid_on(committee.start_date, committee.end_date, meeting.start.date())
        states.add(meeting.state)
        if meeting.state == MeetingState.CLOSED:
            assert meetings.items_without_outcome(session, meeting.id) == []
        if meeting.state in (MeetingState.HELD, MeetingState.CLOSED) and (
            meeting.kind != MeetingKind.CIRCULATION
        ):
            voting = meetings.voting_members_on(session, meeting.committee_id, meeting.start.date())
            listed = set(
                session.exec(
                    select(Attendance.person_id).where(Attendance.meeting_id == meeting.id)
                )
            )
            assert {m.person_id for m in voting} <= listed, meeting.id
            assert meetings.quorum(session, meeting.id or 0).present > 0
    assert states == set(MeetingState)
    duplicates = session.exec(
        select(AgendaItem.meeting_id, AgendaItem.number)
        .group_by(col(AgendaItem.meeting_id), col(AgendaItem.number))
        .having(sa.func.count() > 1)
    ).all()
    assert duplicates == []
    represented = session.exec(
        select(Attendance).where(Attendance.status == AttendanceStatus.REPRESENTED)
    ).all()
    assert represented
    assert all(a.substitute_id not in (None, a.person_id) for a in represented)


def test_decisions_count_votes_of_members_present(session: Session) -> None:
    # Every third decision: the service checks cost a few queries each.
    for decision in session.exec(select(Decision).where(col(Decision.id) % 3 == 0)):
        meeting = session.get(Meeting, decision.meeting_id)
        assert meeting is not None
        assert decision.committee_id == meeting.committee_id
        cast = sum(getattr(decision, f) or 0 for f in decisions.VOTE_FIELDS)
        assert cast <= meetings.voting_present(session, meeting), decision.id
        assert decisions.result_conflict(session, decision) is None, decision.id
        if meeting.kind == MeetingKind.CIRCULATION:
            assert decision.agenda_item_id is None
        else:
            item = session.get(AgendaItem, decision.agenda_item_id)
            assert item is not None
            assert item.meeting_id == meeting.id


def test_follow_up_status_follows_the_latest_note(session: Session) -> None:
    notes: dict[int, list[FollowUpNote]] = {}
    for note in session.exec(select(FollowUpNote).order_by(FollowUpNote.noted_on, FollowUpNote.id)):
        notes.setdefault(note.decision_id, []).append(note)
    assert notes
    for decision_id, dated in notes.items():
        decision = session.get(Decision, decision_id)
        meeting = session.get(Meeting, decision.meeting_id) if decision else None
        assert decision is not None
        assert meeting is not None
        assert dated[-1].status == decision.follow_up_status
        assert all(meeting.start.date() <= n.noted_on <= TODAY for n in dated)
    assert not decisions.overdue_decisions(session, TODAY).empty


def test_agreements_have_one_approval_per_party(session: Session) -> None:
    parties = session.exec(select(AgreementParty)).all()
    approvals = session.exec(select(Approval)).all()
    assert sorted(a.party_id for a in approvals) == sorted(p.id for p in parties)  # type: ignore[type-var]
    for approval in approvals:
        assert (approval.approving_committee_id is None) != (approval.approving_body_name is None)
        assert (approval.state == ApprovalState.PENDING) == (approval.decided_on is None)
        if approval.decision_id is not None:
            decision = session.get(Decision, approval.decision_id)
            assert decision is not None
            assert decision.committee_id == approval.approving_committee_id
    outstanding = late = 0
    for agreement in session.exec(select(Agreement)):
        status = agreements.agreement_status(session, agreement.id or 0, TODAY)
        if agreement.state == AgreementState.IN_FORCE:
            assert status.approvals_outstanding == status.approvals_refused == 0
        outstanding += status.approvals_outstanding > 0
        late += bool(status.days_late)
    assert outstanding
    assert late


def test_each_themenfeld_has_one_lead_at_a_time(session: Session) -> None:
    participations = session.exec(select(Participation)).all()
    pairs = [(p.organization_id, p.topic_field_id) for p in participations]
    assert len(pairs) == len(set(pairs))
    for topic in session.exec(select(TopicField)):
        leads = [
            p
            for p in participations
            if p.topic_field_id == topic.id and p.role == ParticipationRole.LEAD
        ]
        assert leads
        for day in (date(2018, 1, 1), TODAY):
            assert sum(valid_on(p.valid_from, p.valid_to, day) for p in leads) == 1


# --- determinism, refusal, the command line, other backends ------------------------------------


def _fingerprint(engine: Engine) -> tuple[Any, ...]:
    with Session(engine) as session:
        return (
            session.exec(select(Person.given_name, Person.family_name).order_by(Person.id)).all(),
            session.exec(select(Committee.name).order_by(Committee.id)).all(),
            session.exec(select(Decision.reference, Decision.result).order_by(Decision.id)).all(),
        )


def test_same_seed_same_workspace(tmp_path: Path) -> None:
    first, second, other = (fresh_engine(tmp_path, f"{name}.db") for name in ("a", "b", "c"))
    report_a = generate(first, scale="small", seed=SEED, today=TODAY)
    report_b = generate(second, scale="small", seed=SEED, today=TODAY)
    generate(other, scale="small", seed=SEED + 1, today=TODAY)
    assert report_a.rows == report_b.rows
    assert _fingerprint(first) == _fingerprint(second)
    assert _fingerprint(first) != _fingerprint(other)


def test_refuses_a_database_with_data(generated: tuple[str, GenerateReport]) -> None:
    engine = make_engine(generated[0])
    with pytest.raises(DomainError, match="enthält bereits Daten"):
        generate(engine, scale="small")
    engine.dispose()


def test_command_generates_once_and_then_refuses(tmp_path: Path) -> None:
    cli = typer.Typer()
    register(cli)
    cli.command("noop")(lambda: None)  # a second command keeps `generate` a subcommand
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    runner = CliRunner()
    result = runner.invoke(cli, ["generate", "--scale", "small", "--database-url", url])
    assert result.exit_code == 0, result.output
    assert "Organisationen: 130 von 130 (100 %)" in result.output
    assert "Synthetischer Arbeitsbereich „small“ (Seed 2026)" in result.output
    again = runner.invoke(cli, ["generate", "--database-url", url, "--seed", "3"])
    assert again.exit_code == 1
    assert "nur in eine leere Datenbank" in again.output
    unknown = runner.invoke(cli, ["generate", "--scale", "welt", "--database-url", url])
    assert unknown.exit_code == 2
    assert "möglich: germany, land, small" in unknown.output


def test_generates_on_every_backend_and_keys_continue(engine: Engine) -> None:
    report = generate(engine, scale="small", seed=SEED, today=TODAY)
    assert report.rows["committee"] == 20
    with Session(engine) as session:
        # Codes, dates and times come back as written (PostgreSQL loads them through COPY).
        länder = session.exec(select(Organization).where(Organization.kind == "land")).all()
        assert sorted(land.ags or "" for land in länder) == [f"{n:02d}" for n in range(1, 17)]
        committee = session.exec(select(Committee).order_by(Committee.id)).first()
        assert committee is not None
        assert committee.created_by == GENERATOR
        assert committee.start_date is not None
        assert committee.start_date < TODAY
        meeting = session.exec(select(Meeting).order_by(Meeting.id)).first()
        assert meeting is not None
        assert meeting.start.tzinfo is None
        assert meeting.start.hour in (9, 10, 14, 16)
        highest = session.exec(select(sa.func.max(Organization.id))).one()
        org = organizations.create_organization(
            session=session, actor=ACTOR, data={"name": "Neu", "kind": "other"}
        )
        # The sequences moved past the generated keys (PostgreSQL), so new rows fit in.
        assert org.id == highest + 1


# --- every page renders on the generated workspace ----------------------------------------------


@pytest.mark.parametrize("noun", list(PAGES))
def test_every_page_renders(
    noun: str,
    generated: tuple[str, GenerateReport],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", generated[0])
    at = page_app(tmp_path, noun).run()
    assert not at.exception, at.exception
    assert at.title, noun


@pytest.mark.parametrize("noun", ["committees", "meetings", "decisions", "agreements"])
def test_record_views_render(
    noun: str,
    generated: tuple[str, GenerateReport],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", generated[0])
    at = page_app(tmp_path, noun)
    at.query_params["id"] = "1"
    at.run()
    assert not at.exception, at.exception
