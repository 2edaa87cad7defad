"""Every write command the services expose, with a valid call for each and who may make it.

The role matrix (test_permissions.py) and the property tests (test_properties.py) run
over this catalogue; `uncatalogued()` finds commands added to a service module without
an entry here, so a new command cannot slip past the permission checks untested.
"""

import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from functools import cached_property
from typing import Any, Literal

from sqlalchemy import func
from sqlmodel import Session, SQLModel, select

import services
from models import (
    Account,
    AgendaItem,
    Agreement,
    AgreementParty,
    Approval,
    Assignment,
    Attendance,
    AuditEvent,
    Committee,
    Decision,
    Meeting,
    Membership,
    Organization,
    Participation,
    Person,
    TopicField,
)
from models.enums import MeetingState, Role
from services import (
    accounts,
    agreements,
    committees,
    decisions,
    importer,
    meetings,
    organizations,
    persons,
    seed,
    topic_fields,
)
from services.actor import Actor
from services.write import EntityCommands
from tests.conftest import (
    ACTOR,
    make_agenda_item,
    make_agreement,
    make_committee,
    make_membership,
    make_org,
    make_party,
    make_person,
    record_attendance,
)

Side = Literal["inside", "outside"]
PASSWORD = "Passwort-sicher-123"
# The write path and the rules it applies are not commands themselves.
NOT_COMMAND_MODULES = {"services.write", "services.permissions"}
ENTITY_METHODS = ("create", "update", "archive", "restore", "delete")


class Scope(Enum):
    """Which permission rule a command falls under."""

    WRITER = "any writer"  # directory records, and new committees and agreements
    COMMITTEE = "assigned committee"
    AGREEMENT = "assigned agreement"
    ADMIN = "administrators only"
    OWN_ACCOUNT = "the actor's own account"
    ANYONE = "every signed-in role"


class Workspace:
    """The records commands act on, created as the administrator when first asked for.

    "inside" records belong to the committee and agreement assigned to the Sekretariat
    account, "outside" ones to a committee and agreement it has no assignment for.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self._made: dict[tuple[str, str], Any] = {}
        self._n = 0

    @cached_property
    def admin_account(self) -> Account:
        return self._account("verwaltung", Role.ADMIN)

    @cached_property
    def reader_account(self) -> Account:
        return self._account("lesend", Role.READER)

    @cached_property
    def secretariat_account(self) -> Account:
        """The Sekretariat assigned the "inside" committee and agreement."""
        return self._account("sekretariat-a", Role.SECRETARIAT)

    @cached_property
    def other_secretariat_account(self) -> Account:
        return self._account("sekretariat-b", Role.SECRETARIAT)

    def actor(self, role: str) -> Actor:
        """The actor of a role in the matrix: admin, reader or secretariat (either side)."""
        if role == "admin":
            return accounts.account_actor(self.admin_account)
        if role == "reader":
            return accounts.account_actor(self.reader_account)
        return accounts.account_actor(self.secretariat_account)

    def _account(self, username: str, role: Role) -> Account:
        data = {"username": username, "display_name": username.title(), "role": role}
        return accounts.create_account(
            session=self.session, actor=ACTOR, data=data, password=PASSWORD
        )

    def _once(self, kind: str, side: str, build: Callable[[], Any]) -> Any:
        if (kind, side) not in self._made:
            self._made[kind, side] = build()
        return self._made[kind, side]

    def unique(self, prefix: str) -> str:
        """A name no other record of this workspace has."""
        self._n += 1
        return f"{prefix} {self._n}"

    # --- the directory ------------------------------------------------------------------

    def new_org(self) -> Organization:
        return make_org(self.session, name=self.unique("Stadt"))

    def new_person(self) -> Person:
        return make_person(self.session, family_name=self.unique("Person"))

    # --- committee work ---------------------------------------------------------------

    def committee(self, side: str) -> Committee:
        def build() -> Committee:
            committee = make_committee(self.session, name=f"Gremium {side}")
            if side == "inside":
                self._assign(committee_id=committee.id)
            return committee

        return self._once("committee", side, build)

    def _assign(self, **target: Any) -> Assignment:
        return accounts.assign(
            session=self.session,
            actor=ACTOR,
            account_id=self.secretariat_account.id,
            **target,
        )

    def new_committee(self) -> Committee:
        return make_committee(self.session, name=self.unique("Gremium"))

    def membership(self, side: str) -> Membership:
        return self._once(
            "membership",
            side,
            lambda: make_membership(self.session, self.committee(side), self.new_person()),
        )

    def meeting(self, side: str) -> Meeting:
        return self._once("meeting", side, lambda: self.new_meeting(side))

    def new_meeting(self, side: str) -> Meeting:
        return meetings.create_meeting(
            session=self.session,
            actor=ACTOR,
            data={"committee_id": self.committee(side).id, "start": datetime(2026, 3, 10, 10)},
        )

    def agenda_item(self, side: str) -> AgendaItem:
        # Numbered out of sequence, so renumbering the agenda changes something.
        return self._once(
            "agenda_item",
            side,
            lambda: make_agenda_item(self.session, self.meeting(side), number="7", order=1),
        )

    def new_agenda_item(self, side: str) -> AgendaItem:
        return make_agenda_item(
            self.session, self.meeting(side), number=self.unique("TOP"), order=5
        )

    def attendance(self, side: str) -> Attendance:
        return self._once(
            "attendance",
            side,
            lambda: record_attendance(self.session, self.meeting(side), self.new_person()),
        )

    def decision(self, side: str) -> Decision:
        return self._once("decision", side, lambda: self.new_decision(side))

    def new_decision(self, side: str) -> Decision:
        item = self.new_agenda_item(side)
        return decisions.record_decision(
            session=self.session,
            actor=ACTOR,
            data={
                "meeting_id": item.meeting_id,
                "agenda_item_id": item.id,
                "reference": self.unique("B"),
                "text": "Der Ausschuss beschließt.",
            },
        )

    # --- agreements -------------------------------------------------------------------

    def agreement(self, side: str) -> Agreement:
        def build() -> Agreement:
            agreement = make_agreement(self.session, title=f"Vereinbarung {side}")
            if side == "inside":
                self._assign(agreement_id=agreement.id)
            return agreement

        return self._once("agreement", side, build)

    def party(self, side: str) -> AgreementParty:
        return self._once(
            "party", side, lambda: make_party(self.session, self.agreement(side), self.new_org())
        )

    def new_party(self, side: str) -> AgreementParty:
        return make_party(self.session, self.agreement(side), self.new_org())

    def approval(self, side: str) -> Approval:
        return self._once(
            "approval",
            side,
            lambda: agreements.add_approval(
                session=self.session,
                actor=ACTOR,
                agreement_id=self.agreement(side).id,
                data={"party_id": self.party(side).id, "approving_body_name": "Stadtrat"},
            ),
        )

    # --- reference data ---------------------------------------------------------------

    def topic_field(self) -> TopicField:
        return self._once("topic_field", "", self.new_topic_field)

    def new_topic_field(self) -> TopicField:
        self._n += 1
        return topic_fields.create_topic_field(
            session=self.session,
            actor=ACTOR,
            data={"number": 50 + self._n, "name": self.unique("Themenfeld")},
        )

    def participation(self) -> Participation:
        return self._once("participation", "", self.new_participation)

    def new_participation(self) -> Participation:
        return topic_fields.add_participation(
            session=self.session,
            actor=ACTOR,
            data={
                "organization_id": self.new_org().id,
                "topic_field_id": self.topic_field().id,
                "role": "lead",
            },
        )

    def archived(self, commands: EntityCommands[Any], row: SQLModel) -> int:
        """Archive a row as the administrator; its id."""
        commands.archive(session=self.session, actor=ACTOR, row_id=row.id)  # type: ignore[attr-defined]
        return int(row.id)  # type: ignore[attr-defined]


# The kwargs of one valid call, beside session and actor; may create records first.
Prepare = Callable[[Workspace, Side, Actor], dict[str, Any]]


@dataclass(frozen=True)
class Command:
    """One write command: what it touches, whose rule applies and how to call it validly."""

    name: str
    func: Callable[..., Any]
    entity: str
    kind: str  # create, update, archive, restore, delete or a verb of its own
    scope: Scope
    prepare: Prepare

    def __call__(self, session: Session, actor: Actor, kwargs: dict[str, Any]) -> Any:
        return self.func(session=session, actor=actor, **kwargs)


def _entity_commands(
    module: str,
    attribute: str,
    commands: EntityCommands[Any],
    scope: Scope,
    *,
    row: Callable[[Workspace, Side], SQLModel],
    fresh: Callable[[Workspace, Side], SQLModel],
    create: Callable[[Workspace, Side], dict[str, Any]] | None,
    update: dict[str, Any] | Callable[[Workspace, Side], dict[str, Any]],
    create_scope: Scope | None = None,
    create_extra: Callable[[Workspace, Side], dict[str, Any]] | None = None,
) -> list[Command]:
    """The five commands of an EntityCommands instance.

    `row` is the record updates act on, `fresh` one nothing refers to (archived,
    restored and deleted); `create` the data of a new record (None where the entity's
    own create is reached only through a wrapper, still catalogued with its data).
    """
    entity = commands.model.__table__.name  # type: ignore[attr-defined]
    name = f"{module}.{attribute}"
    out: list[Command] = []
    if create is not None:
        build = create

        def prepare_create(ws: Workspace, side: Side, _actor: Actor) -> dict[str, Any]:
            kwargs: dict[str, Any] = {"data": build(ws, side)}
            if create_extra is not None:
                kwargs["extra"] = create_extra(ws, side)
            return kwargs

        out.append(
            Command(
                f"{name}.create",
                commands.create,
                entity,
                "create",
                create_scope or scope,
                prepare_create,
            )
        )
    out += [
        Command(
            f"{name}.update",
            commands.update,
            entity,
            "update",
            scope,
            lambda ws, side, _a: {
                "row_id": row(ws, side).id,  # type: ignore[attr-defined]
                "data": update(ws, side) if callable(update) else dict(update),
            },
        ),
        Command(
            f"{name}.archive",
            commands.archive,
            entity,
            "archive",
            scope,
            lambda ws, side, _a: {"row_id": fresh(ws, side).id},  # type: ignore[attr-defined]
        ),
        Command(
            f"{name}.restore",
            commands.restore,
            entity,
            "restore",
            scope,
            lambda ws, side, _a: {"row_id": ws.archived(commands, fresh(ws, side))},
        ),
        Command(
            f"{name}.delete",
            commands.delete,
            entity,
            "delete",
            Scope.ADMIN,
            lambda ws, side, _a: {"row_id": ws.archived(commands, fresh(ws, side))},
        ),
    ]
    return out


def _command(
    func: Callable[..., Any], entity: str, kind: str, scope: Scope, prepare: Prepare
) -> Command:
    return Command(
        f"{func.__module__.removeprefix('services.')}.{func.__name__}",
        func,
        entity,
        kind,
        scope,
        prepare,
    )


def _membership_data(ws: Workspace, side: Side) -> dict[str, Any]:
    return {"committee_id": ws.committee(side).id, "person_id": ws.new_person().id}


def _decision_data(ws: Workspace, side: Side) -> dict[str, Any]:
    item = ws.new_agenda_item(side)
    return {
        "meeting_id": item.meeting_id,
        "agenda_item_id": item.id,
        "reference": ws.unique("Neu"),
        "text": "Beschlossen.",
    }


def _other_account(ws: Workspace, side: Side, actor: Actor) -> int:
    """Inside: the actor's own account; outside: somebody else's."""
    if side == "inside":
        return int(actor.account_id or ws.admin_account.id or 0)
    return int(ws.other_secretariat_account.id or 0)


def _new_assignment(ws: Workspace) -> Assignment:
    return accounts.assign(
        session=ws.session,
        actor=ACTOR,
        account_id=ws.other_secretariat_account.id,
        committee_id=ws.new_committee().id,
    )


def _org_import(ws: Workspace, _side: Side, _actor: Actor) -> dict[str, Any]:
    data = f"Name;Art\n{ws.unique('Gemeinde')};Gemeinde\n".encode()
    preview = importer.preview_import(
        ws.session, kind="organisationen", data=data, filename="orgs.csv"
    )
    assert not preview.has_errors, preview.messages
    return {"preview": preview}


def build_catalogue() -> list[Command]:
    """Every write command with a valid call (see the module docstring)."""
    c: list[Command] = []
    c += _entity_commands(
        "organizations",
        "ORGANIZATIONS",
        organizations.ORGANIZATIONS,
        Scope.WRITER,
        row=lambda ws, _s: ws.new_org(),
        fresh=lambda ws, _s: ws.new_org(),
        create=lambda ws, _s: {"name": ws.unique("Gemeinde"), "kind": "municipality"},
        update={"short_name": "Neu"},
    )
    c += _entity_commands(
        "persons",
        "PERSONS",
        persons.PERSONS,
        Scope.WRITER,
        row=lambda ws, _s: ws.new_person(),
        fresh=lambda ws, _s: ws.new_person(),
        create=lambda ws, _s: {"given_name": "Ina", "family_name": ws.unique("Neu")},
        update={"function": "Referentin"},
    )
    c += _entity_commands(
        "committees",
        "COMMITTEES",
        committees.COMMITTEES,
        Scope.COMMITTEE,
        row=lambda ws, side: ws.committee(side),
        # A committee of its own, so that deleting it is not blocked by the assignment.
        fresh=lambda ws, side: ws.committee(side) if side == "inside" else ws.new_committee(),
        create=lambda ws, _s: {"name": ws.unique("Gremium"), "kind": "working_group"},
        update={"purpose": "Steuerung"},
        create_scope=Scope.WRITER,
    )
    c += _entity_commands(
        "committees",
        "MEMBERSHIPS",
        committees.MEMBERSHIPS,
        Scope.COMMITTEE,
        row=lambda ws, side: ws.membership(side),
        fresh=lambda ws, side: ws.membership(side),
        create=_membership_data,
        update={"voting_right": False},
    )
    c += [
        _command(
            committees.end_membership,
            "membership",
            "end",
            Scope.COMMITTEE,
            lambda ws, side, _a: {"row_id": ws.membership(side).id, "end_date": date(2026, 6, 30)},
        ),
        _command(
            committees.end_committee_membership,
            "membership",
            "end",
            Scope.COMMITTEE,
            lambda ws, side, _a: {
                "committee_id": ws.committee(side).id,
                "membership_id": ws.membership(side).id,
                "end_date": date(2026, 6, 30),
            },
        ),
        _command(
            committees.add_membership_with_new_person,
            "membership",
            "create",
            Scope.COMMITTEE,
            lambda ws, side, _a: {
                "person": {"family_name": ws.unique("Neu")},
                "membership": {"committee_id": ws.committee(side).id, "role": "member"},
            },
        ),
    ]
    c += _entity_commands(
        "meetings",
        "MEETINGS",
        meetings.MEETINGS,
        Scope.COMMITTEE,
        row=lambda ws, side: ws.meeting(side),
        fresh=lambda ws, side: ws.new_meeting(side),
        create=lambda ws, side: {
            "committee_id": ws.committee(side).id,
            "number": 90,
            "start": datetime(2026, 9, 1, 10),
        },
        update={"location": "Schwerin"},
    )
    c += [
        _command(
            meetings.create_meeting,
            "meeting",
            "create",
            Scope.COMMITTEE,
            lambda ws, side, _a: {
                "data": {"committee_id": ws.committee(side).id, "start": datetime(2026, 9, 1, 10)}
            },
        ),
        _command(
            meetings.change_meeting_state,
            "meeting",
            "update",
            Scope.COMMITTEE,
            lambda ws, side, _a: {"row_id": ws.meeting(side).id, "state": MeetingState.INVITED},
        ),
        _command(
            meetings.cancel_meeting,
            "meeting",
            "update",
            Scope.COMMITTEE,
            lambda ws, side, _a: {"row_id": ws.meeting(side).id},
        ),
    ]
    c += _entity_commands(
        "meetings",
        "AGENDA_ITEMS",
        meetings.AGENDA_ITEMS,
        Scope.COMMITTEE,
        row=lambda ws, side: ws.agenda_item(side),
        fresh=lambda ws, side: ws.new_agenda_item(side),
        create=lambda ws, side: {
            "meeting_id": ws.meeting(side).id,
            "number": "9",
            "order": 9,
            "title": "Verschiedenes",
        },
        update={"title": "Bericht der Geschäftsstelle"},
    )

    def two_items(ws: Workspace, side: Side, _actor: Actor) -> dict[str, Any]:
        first = ws.agenda_item(side)
        ws.new_agenda_item(side)
        return {"row_id": first.id, "direction": 1}

    c += [
        _command(
            meetings.append_agenda_item,
            "agenda_item",
            "create",
            Scope.COMMITTEE,
            lambda ws, side, _a: {
                "data": {"meeting_id": ws.meeting(side).id, "number": "9", "title": "Anfragen"}
            },
        ),
        _command(meetings.move_agenda_item, "agenda_item", "update", Scope.COMMITTEE, two_items),
        _command(
            meetings.renumber_agenda,
            "agenda_item",
            "update",
            Scope.COMMITTEE,
            lambda ws, side, _a: {"meeting_id": ws.agenda_item(side).meeting_id},
        ),
    ]
    c += _entity_commands(
        "meetings",
        "ATTENDANCES",
        meetings.ATTENDANCES,
        Scope.COMMITTEE,
        row=lambda ws, side: ws.attendance(side),
        fresh=lambda ws, side: ws.attendance(side),
        create=lambda ws, side: {
            "meeting_id": ws.meeting(side).id,
            "person_id": ws.new_person().id,
            "status": "present",
        },
        update={"status": "excused"},
    )
    c += [
        _command(
            meetings.restore_attendance,
            "attendance",
            "restore",
            Scope.COMMITTEE,
            lambda ws, side, _a: {"row_id": ws.archived(meetings.ATTENDANCES, ws.attendance(side))},
        ),
        _command(
            meetings.save_attendance,
            "attendance",
            "create",
            Scope.COMMITTEE,
            lambda ws, side, _a: {
                "meeting_id": ws.meeting(side).id,
                "entries": [{"person_id": ws.new_person().id, "status": "present"}],
            },
        ),
    ]
    c += _entity_commands(
        "decisions",
        "DECISIONS",
        decisions.DECISIONS,
        Scope.COMMITTEE,
        row=lambda ws, side: ws.decision(side),
        fresh=lambda ws, side: ws.new_decision(side),
        create=_decision_data,
        # The denormalised committee is what `record_decision` adds; so must every caller.
        create_extra=lambda ws, side: {"committee_id": ws.committee(side).id},
        update={"text": "Der Ausschuss beschließt einstimmig."},
    )
    c += [
        _command(
            decisions.record_decision,
            "decision",
            "create",
            Scope.COMMITTEE,
            lambda ws, side, _a: {"data": _decision_data(ws, side)},
        ),
        _command(
            decisions.add_follow_up_note,
            "follow_up_note",
            "create",
            Scope.COMMITTEE,
            lambda ws, side, _a: {
                "data": {
                    "decision_id": ws.decision(side).id,
                    "noted_on": date(2026, 4, 1),
                    "status": "in_progress",
                }
            },
        ),
    ]
    c += _entity_commands(
        "agreements",
        "AGREEMENTS",
        agreements.AGREEMENTS,
        Scope.AGREEMENT,
        row=lambda ws, side: ws.agreement(side),
        fresh=lambda ws, side: (
            ws.agreement(side)
            if side == "inside"
            else make_agreement(ws.session, title=ws.unique("Vereinbarung"))
        ),
        create=lambda ws, _s: {"title": ws.unique("Vertrag"), "kind": "company_founding"},
        update={"subject": "Gründung"},
        create_scope=Scope.WRITER,
    )
    c += _entity_commands(
        "agreements",
        "PARTIES",
        agreements.PARTIES,
        Scope.AGREEMENT,
        row=lambda ws, side: ws.party(side),
        fresh=lambda ws, side: ws.new_party(side),
        create=lambda ws, side: {
            "agreement_id": ws.agreement(side).id,
            "organization_id": ws.new_org().id,
        },
        update={"role": "shareholder"},
    )

    def approval_data(ws: Workspace, side: Side) -> dict[str, Any]:
        return {"party_id": ws.new_party(side).id, "approving_body_name": "Kreistag"}

    c += _entity_commands(
        "agreements",
        "APPROVALS",
        agreements.APPROVALS,
        Scope.AGREEMENT,
        row=lambda ws, side: ws.approval(side),
        fresh=lambda ws, side: ws.approval(side),
        create=approval_data,
        update={"approving_body_name": "Gemeinderat"},
    )
    c.append(
        _command(
            agreements.add_approval,
            "approval",
            "create",
            Scope.AGREEMENT,
            lambda ws, side, _a: {
                "agreement_id": ws.agreement(side).id,
                "data": approval_data(ws, side),
            },
        )
    )
    c += _entity_commands(
        "topic_fields",
        "TOPIC_FIELDS",
        topic_fields.TOPIC_FIELDS,
        Scope.ADMIN,
        row=lambda ws, _s: ws.topic_field(),
        fresh=lambda ws, _s: ws.new_topic_field(),
        create=lambda ws, _s: {"number": 98, "name": ws.unique("Themenfeld")},
        update={"description": "Neu zugeschnitten"},
    )
    c += _entity_commands(
        "topic_fields",
        "PARTICIPATIONS",
        topic_fields.PARTICIPATIONS,
        Scope.ADMIN,
        row=lambda ws, _s: ws.participation(),
        fresh=lambda ws, _s: ws.new_participation(),
        create=lambda ws, _s: {
            "organization_id": ws.new_org().id,
            "topic_field_id": ws.topic_field().id,
            "role": "supporting",
        },
        update={"note": "laut Steckbrief"},
    )
    c += _entity_commands(
        "accounts",
        "accounts",
        accounts.accounts,
        Scope.ADMIN,
        row=lambda ws, _s: ws.other_secretariat_account,
        fresh=lambda ws, _s: accounts.create_account(
            session=ws.session,
            actor=ACTOR,
            data={
                "username": ws.unique("konto").replace(" ", "-"),
                "display_name": "X",
                "role": "reader",
                "email": "konto@example.org",
            },
            password=None,
        ),
        create=lambda ws, _s: {"username": "neu", "display_name": "Neu", "role": "reader"},
        update={"display_name": "Umbenannt"},
    )
    c += _entity_commands(
        "accounts",
        "assignments",
        accounts.assignments,
        Scope.ADMIN,
        row=lambda ws, _s: _new_assignment(ws),
        fresh=lambda ws, _s: _new_assignment(ws),
        create=lambda ws, _s: {
            "account_id": ws.other_secretariat_account.id,
            "committee_id": ws.new_committee().id,
        },
        update=lambda ws, _s: {"committee_id": ws.new_committee().id},
    )
    c += [
        _command(
            accounts.create_account,
            "user_account",
            "create",
            Scope.ADMIN,
            lambda ws, _s, _a: {
                "data": {"username": "neu", "display_name": "Neu", "role": "reader"},
                "password": "Ein-langes-Passwort-1",
            },
        ),
        _command(
            accounts.update_account,
            "user_account",
            "update",
            Scope.ADMIN,
            lambda ws, _s, _a: {
                "account_id": ws.other_secretariat_account.id,
                "data": {"display_name": "Umbenannt"},
            },
        ),
        _command(
            accounts.set_account_active,
            "user_account",
            "archive",
            Scope.ADMIN,
            lambda ws, _s, _a: {"account_id": ws.other_secretariat_account.id, "active": False},
        ),
        _command(
            accounts.set_password,
            "user_account",
            "update",
            Scope.OWN_ACCOUNT,
            lambda ws, side, actor: {
                "account_id": _other_account(ws, side, actor),
                "password": "Ganz-neues-Passwort-7",
                "current_password": PASSWORD,
            },
        ),
        _command(accounts.record_sign_out, "user_account", "sign_out", Scope.ANYONE, lambda *_: {}),
        _command(
            accounts.assign,
            "account_assignment",
            "create",
            Scope.ADMIN,
            lambda ws, _s, _a: {
                "account_id": ws.other_secretariat_account.id,
                "committee_id": ws.committee("outside").id,
            },
        ),
        _command(
            accounts.unassign,
            "account_assignment",
            "archive",
            Scope.ADMIN,
            lambda ws, _s, _a: {"assignment_id": _new_assignment(ws).id},
        ),
        _command(importer.commit_import, "organization", "import", Scope.WRITER, _org_import),
        _command(seed.load_demo_data, "*", "seed", Scope.ADMIN, lambda *_: {}),
    ]
    return c


CATALOGUE = build_catalogue()


def command_key(func: Callable[..., Any]) -> tuple[str, ...]:
    """What identifies a command: the EntityCommands method, or the module function."""
    owner = getattr(func, "__self__", None)
    if isinstance(owner, EntityCommands):
        return ("entity", owner.model.__table__.name, func.__name__)  # type: ignore[attr-defined]
    return ("function", func.__module__, func.__qualname__)


def _takes_actor(func: Callable[..., Any]) -> bool:
    try:
        parameters = inspect.signature(func).parameters
    except (TypeError, ValueError):
        return False
    actor = parameters.get("actor")
    return "session" in parameters and actor is not None and actor.annotation is Actor


def exposed_commands() -> Iterator[tuple[str, tuple[str, ...]]]:
    """Every write command a service module exposes: its public name and its key."""
    for info in pkgutil.iter_modules(services.__path__):
        module = importlib.import_module(f"services.{info.name}")
        if module.__name__ in NOT_COMMAND_MODULES:
            continue
        for name, value in vars(module).items():
            if name.startswith("_"):
                continue
            if isinstance(value, EntityCommands):
                for method in ENTITY_METHODS:
                    yield f"{module.__name__}.{name}.{method}", command_key(getattr(value, method))
            elif isinstance(getattr(value, "__self__", None), EntityCommands) or (
                inspect.isfunction(value)
                and value.__module__ == module.__name__
                and _takes_actor(value)
            ):
                yield f"{module.__name__}.{name}", command_key(value)


# Reads that take the actor only to refuse everyone but administrators (they write nothing,
# so the matrix's "allowed means audited" does not fit); tests/services/test_backup.py covers them.
ADMIN_READS = {"services.backup.backup"}


def uncatalogued() -> list[str]:
    """Exposed commands the catalogue has no entry for."""
    known = {command_key(command.func) for command in CATALOGUE}
    return sorted(
        {name for name, key in exposed_commands() if key not in known and name not in ADMIN_READS}
    )


# --- what a command wrote ------------------------------------------------------------


def row_counts(session: Session) -> dict[str, int]:
    """The number of rows in every table (the audit trail included)."""
    return {
        table.name: int(session.exec(select(func.count()).select_from(table)).one())
        for table in SQLModel.metadata.sorted_tables
    }


def audit_count(session: Session) -> int:
    """The number of events in the Änderungsprotokoll."""
    return int(session.exec(select(func.count()).select_from(AuditEvent)).one())


__all__ = [
    "CATALOGUE",
    "PASSWORD",
    "Command",
    "Scope",
    "Workspace",
    "audit_count",
    "row_counts",
    "uncatalogued",
]
