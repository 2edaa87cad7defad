"""The practical floors the services are measured against: the same data, read with one plain
SQL statement and shaped with nothing but the standard library.

The minutes baseline writes the very bytes services.minutes.minutes_csv writes for all
meetings (German Excel dialect), and the matrix baseline counts the very cells
services.participation.participation_matrix returns at kind level: tests/bench checks both, so
a ratio between them compares the same work.
"""

import csv
import io
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from models.enums import DecisionKind, DecisionResult, FollowUpStatus, MeetingKind
from services.csv_export import FORMULA_STARTS, neutralise
from services.minutes import MINUTES_COLUMNS

# Both branches share the meeting and decision columns; the first lists every agenda item with
# its decision (if any), the second the Umlauf decisions that have no agenda item.
MINUTES_SQL = """
WITH attendees AS (
    SELECT meeting_id, COUNT(*) AS attendees
    FROM attendance
    WHERE archived = false AND status IN ('present', 'represented')
    GROUP BY meeting_id
)
SELECT * FROM (
    SELECT m.id AS meeting_id, c.name AS committee, m.number AS meeting, m.start AS start,
           m."end" AS finish, m.location AS location, m.kind AS meeting_kind,
           a."order" AS item_order, a.number AS agenda_item, a.title AS title,
           a.public AS public, a.minutes_note AS minutes_note,
           d.reference AS reference, d.kind AS decision_kind, d.text AS decision_text,
           d.result AS result, d.votes_yes AS votes_yes, d.votes_no AS votes_no,
           d.votes_abstain AS votes_abstain, d.votes_biased AS votes_biased,
           t.attendees AS attendees, o.name AS responsible, d.due_date AS due_date,
           d.follow_up_status AS follow_up_status
    FROM meeting m
    JOIN committee c ON c.id = m.committee_id
    JOIN agenda_item a ON a.meeting_id = m.id
    LEFT JOIN decision d ON d.agenda_item_id = a.id AND d.archived = false
    LEFT JOIN organization o ON o.id = d.responsible_organization_id
    LEFT JOIN attendees t ON t.meeting_id = m.id
    WHERE m.archived = false AND m.cancelled = false AND a.archived = false
    UNION ALL
    SELECT m.id, c.name, m.number, m.start, m."end", m.location, m.kind,
           -1, NULL, NULL, m.public, NULL,
           d.reference, d.kind, d.text, d.result, d.votes_yes, d.votes_no,
           d.votes_abstain, d.votes_biased, t.attendees, o.name, d.due_date,
           d.follow_up_status
    FROM meeting m
    JOIN committee c ON c.id = m.committee_id
    JOIN decision d ON d.meeting_id = m.id
    LEFT JOIN organization o ON o.id = d.responsible_organization_id
    LEFT JOIN attendees t ON t.meeting_id = m.id
    WHERE m.archived = false AND m.cancelled = false
      AND d.agenda_item_id IS NULL AND d.archived = false
) rows
ORDER BY start, meeting_id, item_order, agenda_item, reference
"""

MATRIX_SQL = """
SELECT o.kind, t.id, t.number, t.name, COUNT(DISTINCT o.id)
FROM participation p
JOIN organization o ON o.id = p.organization_id
JOIN topic_field t ON t.id = p.topic_field_id
WHERE p.archived = false AND o.archived = false AND t.archived = false
  AND (p.valid_from IS NULL OR p.valid_from <= :on)
  AND (p.valid_to IS NULL OR p.valid_to >= :on)
GROUP BY o.kind, t.id, t.number, t.name
"""

MEETING_KINDS = MeetingKind.labels()
DECISION_KINDS = DecisionKind.labels()
RESULTS = DecisionResult.labels()
FOLLOW_UP = FollowUpStatus.labels()


def _text(value: Any) -> str:
    if value is None:
        return ""
    text = str(value)
    # Only the rare cell that starts like a formula needs the full check.
    return neutralise(text) if text.startswith(FORMULA_STARTS) else text


def _day(value: Any) -> str:
    """dd.mm.yyyy from a date (PostgreSQL) or its ISO text (SQLite)."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    text = str(value)
    return f"{text[8:10]}.{text[5:7]}.{text[0:4]}"


def _clock(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%H:%M")
    return str(value)[11:16]


def _number(value: Any) -> str:
    return "" if value is None else str(value)


def minutes_csv_baseline(connection: Connection) -> tuple[bytes, int]:
    """All minutes rows as German-Excel CSV bytes, and how many rows that made."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(list(MINUTES_COLUMNS.values()))
    count = 0
    for row in connection.exec_driver_sql(MINUTES_SQL):
        (
            _meeting_id,
            committee,
            meeting,
            start,
            finish,
            location,
            meeting_kind,
            _item_order,
            agenda_item,
            title,
            public,
            minutes_note,
            reference,
            decision_kind,
            decision_text,
            result,
            votes_yes,
            votes_no,
            votes_abstain,
            votes_biased,
            attendees,
            responsible,
            due_date,
            follow_up_status,
        ) = row
        decided = reference is not None
        writer.writerow(
            [
                _text(committee),
                _number(meeting),
                _day(start),
                _clock(start),
                _clock(finish),
                _text(location),
                MEETING_KINDS.get(meeting_kind, ""),
                _text(agenda_item),
                _text(title),
                "ja" if public else "nein",
                _text(reference),
                DECISION_KINDS.get(decision_kind, ""),
                _text(decision_text),
                RESULTS.get(result, "") if decided else _text(minutes_note),
                _number(votes_yes),
                _number(votes_no),
                _number(votes_abstain),
                _number(votes_biased),
                str(attendees or 0),
                _text(responsible),
                _day(due_date),
                FOLLOW_UP.get(follow_up_status, "") if decided else "",
            ]
        )
        count += 1
    return buffer.getvalue().encode("utf-8-sig"), count


def matrix_baseline(connection: Connection, *, on: date) -> list[tuple[str, int, int, str, int]]:
    """(kind code, Themenfeld id, number, name, participating organizations) per cell."""
    statement = sa.text(MATRIX_SQL).bindparams(sa.bindparam("on", type_=sa.Date()))
    return [
        (str(kind), int(field_id), int(number), str(name), int(count))
        for kind, field_id, number, name, count in connection.execute(statement, {"on": on})
    ]
