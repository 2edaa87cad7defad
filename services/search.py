"""The one search box: committees, organizations, persons, decisions and agreements at once.

Every kind is one SQL query with ILIKE and its own limit, so a search stays fast however
many Gemeinden or decisions the workspace holds.
"""

import re
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, literal, or_
from sqlmodel import Session, col, func, select

from models import Agreement, Committee, Decision, Organization, Person
from services.periods import format_date

SEARCH_COLUMNS = ["kind", "label", "detail", "page", "id"]
LIKE_ESCAPE = "\\"

# The German kind label of each result and the page (ui.links.PAGES key) showing the record.
KINDS = {
    "committee": ("Gremium", "committees"),
    "organization": ("Organisation", "organizations"),
    "person": ("Person", "persons"),
    "decision": ("Beschluss", "decisions"),
    "agreement": ("Vereinbarung", "agreements"),
}


def contains_pattern(text: str) -> str:
    """An ILIKE pattern matching `text` anywhere; % and _ typed by the user stay literal."""
    escaped = re.sub(r"([\\%_])", r"\\\1", text.strip())
    return f"%{escaped}%"


def matches(column: Any, text: str) -> ColumnElement[bool]:
    """`column` contains `text`, case-insensitive (ILIKE on PostgreSQL, LIKE on SQLite)."""
    return col(column).ilike(contains_pattern(text), escape=LIKE_ESCAPE)


def person_name_matches(text: str) -> ColumnElement[bool]:
    """Family name, given name or "given family" together contain `text`."""
    full_name = func.coalesce(Person.given_name, literal("")) + " " + col(Person.family_name)
    return or_(
        matches(Person.family_name, text),
        matches(Person.given_name, text),
        full_name.ilike(contains_pattern(text), escape=LIKE_ESCAPE),
    )


def search(session: Session, text: str | None, limit_per_kind: int = 10) -> pd.DataFrame:
    """Active records whose name or number contains `text`, at most `limit_per_kind` per kind."""
    if not text or not text.strip():
        return pd.DataFrame([], columns=SEARCH_COLUMNS)
    rows = [
        *_committees(session, text, limit_per_kind),
        *_organizations(session, text, limit_per_kind),
        *_persons(session, text, limit_per_kind),
        *_decisions(session, text, limit_per_kind),
        *_agreements(session, text, limit_per_kind),
    ]
    return pd.DataFrame(rows, columns=SEARCH_COLUMNS)


def _row(kind: str, label: str, detail: str, record_id: int | None) -> dict[str, Any]:
    kind_label, page = KINDS[kind]
    return {"kind": kind_label, "label": label, "detail": detail, "page": page, "id": record_id}


def _details(*parts: str | None) -> str:
    return " · ".join(part for part in parts if part)


def _committees(session: Session, text: str, limit: int) -> list[dict[str, Any]]:
    statement = (
        select(Committee)
        .where(
            col(Committee.archived).is_(False),
            or_(matches(Committee.name, text), matches(Committee.short_name, text)),
        )
        .order_by(col(Committee.name))
        .limit(limit)
    )
    return [
        _row(
            "committee",
            committee.name,
            _details(committee.kind.label, committee.state.label if committee.state else None),
            committee.id,
        )
        for committee in session.exec(statement)
    ]


def _organizations(session: Session, text: str, limit: int) -> list[dict[str, Any]]:
    statement = (
        select(Organization)
        .where(
            col(Organization.archived).is_(False),
            or_(
                matches(Organization.name, text),
                matches(Organization.short_name, text),
                matches(Organization.ags, text),
            ),
        )
        .order_by(col(Organization.name))
        .limit(limit)
    )
    return [
        _row(
            "organization",
            org.name,
            _details(
                org.kind.label,
                org.state.label if org.state else None,
                f"AGS {org.ags}" if org.ags else None,
            ),
            org.id,
        )
        for org in session.exec(statement)
    ]


def _persons(session: Session, text: str, limit: int) -> list[dict[str, Any]]:
    statement = (
        select(Person, Organization.name)
        .join(Organization, col(Person.organization_id) == Organization.id, isouter=True)
        .where(
            col(Person.archived).is_(False),
            or_(
                person_name_matches(text),
                matches(Person.function, text),
                matches(Person.email, text),
            ),
        )
        .order_by(col(Person.family_name), col(Person.given_name))
        .limit(limit)
    )
    return [
        _row("person", person.full_name, _details(person.function, org_name), person.id)
        for person, org_name in session.exec(statement)
    ]


def _decisions(session: Session, text: str, limit: int) -> list[dict[str, Any]]:
    statement = (
        select(Decision, Committee.name)
        .join(Committee, col(Decision.committee_id) == Committee.id)
        .where(
            col(Decision.archived).is_(False),
            or_(matches(Decision.reference, text), matches(Decision.text, text)),
        )
        .order_by(col(Decision.reference))
        .limit(limit)
    )
    return [
        _row(
            "decision",
            f"{decision.reference}: {_shorten(decision.text)}",
            _details(
                committee_name,
                f"Frist {format_date(decision.due_date)}" if decision.due_date else None,
                decision.follow_up_status.label,
            ),
            decision.id,
        )
        for decision, committee_name in session.exec(statement)
    ]


def _agreements(session: Session, text: str, limit: int) -> list[dict[str, Any]]:
    condition = or_(matches(Agreement.title, text), matches(Agreement.subject, text))
    # Agreements have no reference of their own; their number is the record number.
    number = text.strip().removeprefix("Nr.").strip()
    if number.isdigit():
        condition = or_(condition, col(Agreement.id) == int(number))
    statement = (
        select(Agreement)
        .where(col(Agreement.archived).is_(False), condition)
        .order_by(col(Agreement.title))
        .limit(limit)
    )
    return [
        _row(
            "agreement",
            agreement.title,
            _details(f"Nr. {agreement.id}", agreement.kind.label, agreement.state.label),
            agreement.id,
        )
        for agreement in session.exec(statement)
    ]


def _shorten(text: str, length: int = 90) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[: length - 1].rstrip() + "…"
