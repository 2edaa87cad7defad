"""Who may change what: the one place that knows the roles.

Administrators may do everything. A Sekretariat changes the shared directory
(organizations, persons) and everything belonging to the committees and agreements
assigned to it; when it creates a committee or agreement, that one is assigned to it.
Lesend changes nothing and sees no non-public agenda items. The write path calls
`authorize` for every row it inserts or changes, so a page that forgot to hide a
button still cannot write.
"""

from sqlmodel import Session, SQLModel, select

from models.account import Assignment
from models.agreement import Agreement, AgreementParty
from models.committee import Committee
from models.decision import Decision
from models.enums import Role
from models.meeting import Meeting
from services.actor import Actor
from services.errors import PermissionDeniedError

# Records every Sekretariat may change, whatever it is assigned to.
DIRECTORY = frozenset({"organization", "person"})
# Workspace reference data and the accounts themselves.
ADMIN_ONLY = frozenset({"topic_field", "participation", "user_account", "account_assignment"})
COMMITTEE_SCOPED = frozenset(
    {"committee", "membership", "meeting", "agenda_item", "attendance", "decision"}
    | {"follow_up_note"}
)
AGREEMENT_SCOPED = frozenset({"agreement", "agreement_party", "approval"})

ADMIN_ONLY_LABELS = {
    "topic_field": "Themenfelder",
    "participation": "Beteiligungen an Themenfeldern",
    "user_account": "Benutzerkonten",
    "account_assignment": "Zuordnungen von Konten",
}


def is_admin(actor: Actor) -> bool:
    """Administrators may do everything, including accounts, backup and restore."""
    return actor.role is Role.ADMIN


def may_write_at_all(actor: Actor) -> bool:
    """Whether the actor's role changes anything (Lesend does not)."""
    return actor.role in (Role.ADMIN, Role.SECRETARIAT)


def sees_non_public(actor: Actor) -> bool:
    """Non-public agenda items and meetings are for the people who run the committees."""
    return may_write_at_all(actor)


def require_admin(actor: Actor, what: str) -> None:
    """Refuse everyone but administrators, naming what was attempted."""
    if not is_admin(actor):
        raise PermissionDeniedError(f"Keine Berechtigung: {what} ist Administratoren vorbehalten.")


def require_writer(actor: Actor) -> None:
    """Refuse Lesend before any input is looked at."""
    if not may_write_at_all(actor):
        raise PermissionDeniedError(
            f"Keine Berechtigung: Mit der Rolle „{Role.READER.label}“ können Sie nichts ändern."
        )


def authorize(session: Session, actor: Actor, row: SQLModel) -> None:
    """Refuse a write of `row` (new or changed) that the actor's role does not allow."""
    entity = str(row.__table__.name)  # type: ignore[attr-defined]
    with session.no_autoflush:
        committee_id, agreement_id = scope_of(session, entity, row)
    refusal = _refusal(session, actor, entity, committee_id, agreement_id)
    if refusal:
        raise PermissionDeniedError(refusal)


def may_change(
    session: Session,
    actor: Actor,
    entity: str,
    *,
    committee_id: int | None = None,
    agreement_id: int | None = None,
) -> bool:
    """Whether the actor may change `entity` records of that committee or agreement (for UIs)."""
    return _refusal(session, actor, entity, committee_id, agreement_id) is None


def assigned(session: Session, actor: Actor) -> tuple[set[int], set[int]]:
    """The committee ids and agreement ids assigned to the actor's account."""
    if actor.account_id is None:
        return set(), set()
    rows = session.exec(
        select(Assignment.committee_id, Assignment.agreement_id).where(
            Assignment.account_id == actor.account_id,
            Assignment.archived == False,  # noqa: E712
        )
    ).all()
    committees = {c for c, _ in rows if c is not None}
    agreements = {a for _, a in rows if a is not None}
    return committees, agreements


def scope_of(session: Session, entity: str, row: SQLModel) -> tuple[int | None, int | None]:
    """The committee and the agreement a record belongs to (None where it has none)."""
    values = row.__dict__
    if entity == "committee":
        return values.get("id"), None
    if entity in ("membership", "meeting", "decision"):
        return values.get("committee_id"), None
    if entity in ("agenda_item", "attendance"):
        meeting = session.get(Meeting, values.get("meeting_id"))
        return (meeting.committee_id if meeting else None), None
    if entity == "follow_up_note":
        decision = session.get(Decision, values.get("decision_id"))
        return (decision.committee_id if decision else None), None
    if entity == "agreement":
        return None, values.get("id")
    if entity == "agreement_party":
        return None, values.get("agreement_id")
    if entity == "approval":
        party = session.get(AgreementParty, values.get("party_id"))
        return None, (party.agreement_id if party else None)
    return None, None


def _refusal(
    session: Session,
    actor: Actor,
    entity: str,
    committee_id: int | None,
    agreement_id: int | None,
) -> str | None:
    if is_admin(actor):
        return None
    if not may_write_at_all(actor):
        return f"Keine Berechtigung: Mit der Rolle „{Role.READER.label}“ können Sie nichts ändern."
    if entity in ADMIN_ONLY:
        label = ADMIN_ONLY_LABELS[entity]
        return f"Keine Berechtigung: {label} ändern nur Administratoren."
    if entity in DIRECTORY:
        return None
    committees, agreements = assigned(session, actor)
    if entity in COMMITTEE_SCOPED:
        if committee_id is None:
            # Only a new committee has no committee yet: its creator becomes responsible for it.
            return None if entity == "committee" else _unknown_scope()
        if committee_id in committees:
            return None
        committee = session.get(Committee, committee_id)
        name = committee.name if committee else f"Nr. {committee_id}"
        return f"Keine Berechtigung: Das Gremium „{name}“ ist Ihrem Konto nicht zugeordnet."
    if entity in AGREEMENT_SCOPED:
        if agreement_id is None:
            return None if entity == "agreement" else _unknown_scope()
        if agreement_id in agreements:
            return None
        agreement = session.get(Agreement, agreement_id)
        title = agreement.title if agreement else f"Nr. {agreement_id}"
        return f"Keine Berechtigung: Die Vereinbarung „{title}“ ist Ihrem Konto nicht zugeordnet."
    return "Keine Berechtigung für diese Änderung."


def _unknown_scope() -> str:
    return "Keine Berechtigung: Der Datensatz gehört zu keinem Ihnen zugeordneten Gremium."
