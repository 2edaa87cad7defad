"""The Niederschrift (Ergebnisprotokoll) of a meeting as a Word document."""

import io
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
from docx import Document
from docx.document import Document as DocxDocument
from docx.shared import Pt
from sqlmodel import Session, col, or_, select

from models import Committee, Meeting, Membership, Person
from models.enums import AttendanceStatus, MeetingKind, MembershipRole
from services.meetings import agenda, attendance_sheet, guests, meeting_decisions, quorum
from services.periods import format_date
from services.write import get_row

SIGNATURE_LINE = "_" * 36


@dataclass(frozen=True)
class Signatories:
    """Who signs the minutes: the chair and the minute-taker valid on the meeting day."""

    chair: str | None
    secretary: str | None


def signatories(session: Session, committee_id: int, day: date) -> Signatories:
    """Vorsitz and Schriftführung (else the Geschäftsstelle) from the memberships on `day`."""
    statement = (
        select(Membership.role, Person)
        .join(Person, col(Membership.person_id) == Person.id)
        .where(
            Membership.committee_id == committee_id,
            col(Membership.archived).is_(False),
            col(Membership.role).in_(
                [MembershipRole.CHAIR, MembershipRole.SECRETARY, MembershipRole.OFFICE]
            ),
            or_(col(Membership.start_date).is_(None), col(Membership.start_date) <= day),
            or_(col(Membership.end_date).is_(None), col(Membership.end_date) >= day),
        )
        .order_by(col(Person.family_name), col(Person.id))
    )
    names: dict[MembershipRole, str] = {}
    for role, person in session.exec(statement):
        names.setdefault(MembershipRole(role), person.full_name)
    return Signatories(
        chair=names.get(MembershipRole.CHAIR),
        secretary=names.get(MembershipRole.SECRETARY) or names.get(MembershipRole.OFFICE),
    )


def vote_result(decision: dict[str, Any]) -> str:
    """The result in words and numbers: "mehrheitlich angenommen (Ja 5, Nein 1, …)"."""
    words = decision.get("result_label") or "ohne Ergebnis"
    counts = [
        decision.get(field) for field in ("votes_yes", "votes_no", "votes_abstain", "votes_biased")
    ]
    if all(count is None for count in counts):
        return str(words)
    yes, no, abstain, biased = (int(count or 0) for count in counts)
    return f"{words} (Ja {yes}, Nein {no}, Enthaltung {abstain}, befangen {biased})"


def niederschrift_docx(
    session: Session, meeting_id: int, *, include_non_public: bool = True
) -> bytes:
    """The meeting's Niederschrift: header, attendance, quorum, agenda, decisions, signatures."""
    meeting = get_row(session, Meeting, meeting_id, "meeting_id")
    committee = get_row(session, Committee, meeting.committee_id)
    document = Document()
    document.styles["Normal"].font.name = "Calibri"
    document.styles["Normal"].font.size = Pt(11)

    _header(document, committee, meeting)
    if meeting.kind != MeetingKind.CIRCULATION:
        _attendance(document, session, meeting)
    document.add_heading("Beschlussfähigkeit", level=2)
    document.add_paragraph(quorum(session, meeting_id).statement())

    items = _records(agenda(session, meeting_id))
    if not include_non_public:
        items = [item for item in items if item["public"]]
    decisions = _records(meeting_decisions(session, meeting_id))
    by_item = {d["agenda_item_id"]: d for d in decisions if d["agenda_item_id"] is not None}
    if meeting.kind == MeetingKind.CIRCULATION or items:
        _agenda_table(document, items)
    _items(document, items, by_item)
    circulated = [d for d in decisions if d["agenda_item_id"] is None]
    if circulated and (include_non_public or meeting.public):
        _circulated(document, circulated)
    _signatures(document, signatories(session, meeting.committee_id, meeting.start.date()))

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]


def _header(document: DocxDocument, committee: Committee, meeting: Meeting) -> None:
    document.add_heading(committee.name, level=0)
    number = meeting.number if meeting.number is not None else "–"
    document.add_heading(f"Niederschrift der Sitzung Nr. {number}", level=1)
    if meeting.title:
        document.add_paragraph(meeting.title)
    table = document.add_table(rows=0, cols=2)
    day = format_date(meeting.start.date())
    if meeting.end is not None and meeting.end.date() != meeting.start.date():
        day += f" bis {format_date(meeting.end.date())}"
    facts = [
        ("Datum", day),
        ("Ort", meeting.location or "–"),
        ("Sitzungsart", meeting.kind.label),
        ("Beginn", meeting.start.strftime("%H:%M Uhr")),
        ("Ende", meeting.end.strftime("%H:%M Uhr") if meeting.end else "–"),
        ("Sitzung", "öffentlich" if meeting.public else "nichtöffentlich"),
    ]
    for label, value in facts:
        cells = table.add_row().cells
        cells[0].text = label
        cells[1].text = value


def _attendance(document: DocxDocument, session: Session, meeting: Meeting) -> None:
    assert meeting.id is not None
    document.add_heading("Anwesenheit", level=2)
    sheet = _records(attendance_sheet(session, meeting.id))
    groups: dict[str, list[str]] = {"anwesend": [], "entschuldigt": [], "unentschuldigt": []}
    represented: list[str] = []
    for member in sheet:
        entry = _member_entry(member)
        status = member["status"]
        if status == AttendanceStatus.PRESENT:
            groups["anwesend"].append(entry)
        elif status == AttendanceStatus.REPRESENTED:
            represented.append(f"{entry}, vertreten durch {member['substitute'] or '–'}")
        elif status == AttendanceStatus.EXCUSED:
            groups["entschuldigt"].append(entry)
        elif status == AttendanceStatus.ABSENT:
            groups["unentschuldigt"].append(entry)
    guest_names = [
        f"{row['name']} ({row['status']})" if row["status"] != "anwesend" else str(row["name"])
        for row in _records(guests(session, meeting.id))
    ]
    sections = [
        ("Anwesend", groups["anwesend"]),
        ("Vertreten", represented),
        ("Entschuldigt", groups["entschuldigt"]),
        ("Unentschuldigt", groups["unentschuldigt"]),
        ("Gäste", guest_names),
    ]
    for title, names in sections:
        document.add_heading(title, level=3)
        if not names:
            document.add_paragraph("–")
        for name in names:
            document.add_paragraph(name, style="List Bullet")


def _member_entry(member: dict[str, Any]) -> str:
    details = ", ".join(str(part) for part in (member["role"], member["on_behalf_of"]) if part)
    return f"{member['name']} ({details})" if details else str(member["name"])


def _agenda_table(document: DocxDocument, items: list[dict[str, Any]]) -> None:
    document.add_heading("Tagesordnung", level=2)
    if not items:
        document.add_paragraph("Umlaufverfahren ohne Tagesordnung.")
        return
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("TOP", "Titel", "öffentlich"), strict=True):
        cell.text = text
    for item in items:
        cells = table.add_row().cells
        cells[0].text = str(item["number"])
        cells[1].text = str(item["title"])
        cells[2].text = "ja" if item["public"] else "nein"


def _items(
    document: DocxDocument, items: list[dict[str, Any]], by_item: dict[Any, dict[str, Any]]
) -> None:
    if not items:
        return
    document.add_heading("Beratung und Beschlüsse", level=2)
    for item in items:
        document.add_heading(f"TOP {item['number']}: {item['title']}", level=3)
        if item["description"]:
            document.add_paragraph(str(item["description"]))
        decision = by_item.get(item["id"])
        if decision is not None:
            _decision(document, decision)
        elif (item["minutes_note"] or "").strip():
            document.add_paragraph(f"Protokollnotiz: {item['minutes_note'].strip()}")
        else:
            document.add_paragraph("Ohne Ergebnis.")


def _decision(document: DocxDocument, decision: dict[str, Any]) -> None:
    document.add_paragraph(f"{decision['kind_label']} {decision['reference']}:")
    document.add_paragraph(str(decision["text"]))
    document.add_paragraph(f"Abstimmungsergebnis: {vote_result(decision)}")
    follow_up = [
        f"verantwortlich: {decision['responsible']}" if decision["responsible"] else "",
        f"Frist: {format_date(decision['due_date'])}" if decision["due_date"] else "",
    ]
    if any(follow_up):
        document.add_paragraph("; ".join(part for part in follow_up if part))


def _circulated(document: DocxDocument, decisions: list[dict[str, Any]]) -> None:
    document.add_heading("Beschlüsse im Umlaufverfahren", level=2)
    for decision in decisions:
        _decision(document, decision)


def _signatures(document: DocxDocument, people: Signatories) -> None:
    document.add_heading("Unterschriften", level=2)
    table = document.add_table(rows=3, cols=2)
    for index, (role, name) in enumerate(
        (("Vorsitz", people.chair), ("Schriftführung", people.secretary))
    ):
        table.cell(0, index).text = SIGNATURE_LINE
        table.cell(1, index).text = role
        table.cell(2, index).text = name or ""
