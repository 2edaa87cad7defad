"""Sitzungen: the meetings per committee, and a meeting's page from agenda to closing."""

from collections.abc import Callable
from datetime import time
from typing import Any, cast

import pandas as pd
import streamlit as st
from sqlmodel import Session

from models import Committee, Meeting
from models.enums import (
    AttendanceStatus,
    DecisionKind,
    DecisionResult,
    MeetingKind,
    MeetingState,
    VoteMode,
)
from services import decisions, meetings
from services.actor import Actor
from services.committees import committee_choices
from services.paging import Page
from services.periods import format_date
from services.write import get_row, key
from ui import forms, layout
from ui.db import session_scope
from ui.exports.minutes import meeting_downloads
from ui.exports.oparl import calendar_downloads
from ui.format import plain
from ui.links import back_to_list, link, selected_id
from ui.session import sees_non_public, show_flash
from ui.tables import paged, pick_table, show_table

ORDERS = {"upcoming": "nächste zuerst", "newest": "neueste zuerst"}
LIST_LABELS = {"number": "Nr.", "kind": "Art", "state": "Status", "end": "Ende"}
STATE_ACTIONS = {
    MeetingState.INVITED: "Als eingeladen markieren",
    MeetingState.HELD: "Als durchgeführt markieren",
    MeetingState.CLOSED: "Sitzung abschließen",
}
REOPEN = "Abschluss aufheben"
CLOSED_NOTE = (
    "Die Sitzung ist abgeschlossen: Tagesordnung, Anwesenheit und Abstimmungen sind "
    "festgeschrieben und nur noch lesbar. Für Korrekturen heben Sie unter „Status“ den "
    "Abschluss auf."
)
DECISION_KINDS = {
    kind.value: kind.label for kind in DecisionKind if kind != DecisionKind.CIRCULAR_RESOLUTION
}
VOTE_MODES = {mode.value: mode.label for mode in VoteMode if mode != VoteMode.CIRCULATION}
VOTES = {
    "votes_yes": "Ja",
    "votes_no": "Nein",
    "votes_abstain": "Enthaltung",
    "votes_biased": "befangen",
}
DECISION_FIELDS = [
    "reference",
    "kind",
    "text",
    *VOTES,
    "vote_mode",
    "result",
    "responsible_organization_id",
    "due_date",
]
# What Lesend sees of a non-public agenda item besides its number.
NOT_PUBLIC = "nichtöffentlich"
MEETING_FIELDS = ["title", "kind", "start", "start_time", "end", "location", "public"]
AGENDA_FIELDS = ["number", "title", "description", "public", "minutes_note"]


# --- shared pieces ------------------------------------------------------------------------


def _save_button(
    form: str, label: str, command: forms.Command, *, success: str | Callable[[Any], str]
) -> None:
    """Submit for widgets outside st.form: they rerun as the user types (live proposals)."""
    forms.remaining_errors(form)
    st.button(
        label,
        key=f"action.{form}",
        type="primary",
        on_click=forms.run,
        args=(form, command, success, None, True),
    )


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return cast(list[dict[str, Any]], frame.to_dict("records"))


def _meeting_fields(form: str, meeting: Meeting | None = None) -> None:
    forms.choice(
        form,
        "kind",
        "Sitzungsart",
        MeetingKind.labels(),
        meeting.kind.value if meeting else MeetingKind.IN_PERSON.value,
        required=True,
    )
    day, start, end = st.columns(3)
    with day:
        forms.day(form, "start", "Datum", meeting.start.date() if meeting else None, required=True)
    with start:
        forms.clock(
            form, "start_time", "Beginn (Uhrzeit)", meeting.start.time() if meeting else None
        )
    with end:
        forms.clock(
            form, "end", "Ende (Uhrzeit)", meeting.end.time() if meeting and meeting.end else None
        )
    forms.text(form, "title", "Titel", meeting.title if meeting else None)
    forms.text(form, "location", "Ort", meeting.location if meeting else None)
    forms.flag(form, "public", "öffentlich", meeting.public if meeting else False)


def _meeting_data(form: str) -> dict[str, Any]:
    values = forms.values(form, MEETING_FIELDS)
    return {
        "title": values["title"],
        "kind": values["kind"],
        "location": values["location"],
        "public": bool(values["public"]),
        **meetings.schedule(values["start"], values["start_time"], values["end"]),
    }


def _open_meeting(meeting: Meeting) -> None:
    st.query_params["id"] = str(meeting.id)


# --- the list ---------------------------------------------------------------------------


def list_view() -> None:
    """Meetings per committee, with the form for a new one."""
    st.title("Sitzungen")
    show_flash()
    with session_scope() as session:
        # Id and name only: the list's counts per committee are not needed for a picker.
        names = committee_choices(session)
    if not names:
        st.info(
            "Noch keine Gremien. Legen Sie zuerst ein Gremium mit seinen Mitgliedern an; "
            "danach planen Sie hier seine Sitzungen.",
            icon=":material/info:",
        )
        link("committees", "Zu den Gremien")
        return

    left, middle, right = st.columns([3, 2, 2])
    committee_id = left.selectbox(
        "Gremium",
        [None, *names],
        format_func=lambda option: "alle" if option is None else names[option],
        key="meetings.committee",
    )
    state = middle.selectbox(
        "Status",
        [None, *meetings.STATE_FILTERS],
        format_func=lambda option: "alle" if option is None else meetings.STATE_FILTERS[option],
        key="meetings.state",
    )
    order = right.radio(
        "Reihenfolge", list(ORDERS), format_func=ORDERS.get, horizontal=True, key="meetings.order"
    )
    archived = st.checkbox("archivierte Sitzungen zeigen", key="meetings.archived")

    writable = forms.writable_committees(names)
    if writable:
        with st.expander("Neue Sitzung anlegen", icon=":material/add:"):
            _new_meeting_form(writable, committee_id)
    else:
        # A refusal (the assignment was withdrawn meanwhile) outlives the form it came from.
        forms.remaining_errors("meeting_new")
        st.caption(forms.read_only_reason("meeting"))

    def fetch(limit: int, offset: int) -> Page:
        with session_scope() as session:
            return meetings.search_meetings(
                session,
                committee_id=committee_id,
                state=state,
                upcoming_first=order == "upcoming",
                include_archived=archived,
                limit=limit,
                offset=offset,
            )

    page = paged(fetch, key="meetings.list")
    filtered = committee_id is not None or state is not None
    chosen = pick_table(
        page.rows,
        ["start", "committee", "number", "state", "title", "kind", "location"],
        key="meetings.table",
        opens="die Sitzung",
        labels=LIST_LABELS,
        empty="Keine Sitzungen für diese Auswahl."
        if filtered
        else "Noch keine Sitzungen." + (" Legen Sie oben die erste an." if writable else ""),
    )
    if chosen is not None:
        st.query_params["id"] = str(chosen)
        st.rerun()


def _new_meeting_form(names: dict[int, str], committee_id: int | None) -> None:
    form = "meeting_new"
    with st.form(form):
        forms.choice(form, "committee_id", "Gremium", names, committee_id, required=True)
        _meeting_fields(form)
        st.caption("Die Sitzungsnummer vergibt das System fortlaufend je Gremium.")

        def create(session: Session, actor: Actor) -> Meeting:
            data = {"committee_id": forms.values(form, ["committee_id"])["committee_id"]}
            return meetings.create_meeting(
                session=session, actor=actor, data={**data, **_meeting_data(form)}
            )

        forms.submit(
            form,
            "Sitzung anlegen",
            create,
            success=lambda meeting: f"Sitzung Nr. {meeting.number} angelegt.",
            after=_open_meeting,
        )


# --- one meeting ------------------------------------------------------------------------


def meeting_view(meeting_id: int) -> None:
    """A meeting's page: header, then the secretary's work in tabs."""
    back_to_list("Alle Sitzungen")
    with session_scope() as session:
        meeting = session.get(Meeting, meeting_id)
        if meeting is None:
            st.title("Sitzungen")
            st.error(f"Eine Sitzung mit der Nummer {meeting_id} gibt es nicht.")
            return
        committee = get_row(session, Committee, meeting.committee_id)
        may_change = forms.editable("meeting", committee_id=meeting.committee_id, quiet=True)
        editable = may_change and not meeting.archived and meeting.state != MeetingState.CLOSED
        _header(meeting, committee, editable)
        if not may_change:
            st.caption(forms.read_only_reason("meeting", committee_id=meeting.committee_id))
        if meeting.kind == MeetingKind.CIRCULATION:
            circulation, status = layout.tabs(
                ["Umlaufbeschlüsse", "Status"], key=f"meeting_tabs_{meeting_id}"
            )
            with circulation:
                _circulation_tab(session, meeting, committee, editable)
        else:
            agenda, attendance, votes, status = layout.tabs(
                ["Tagesordnung", "Anwesenheit", "Beschlüsse", "Status"],
                key=f"meeting_tabs_{meeting_id}",
            )
            with agenda:
                _agenda_tab(session, meeting, editable, may_change)
            with attendance:
                _attendance_tab(session, meeting, editable)
            with votes:
                _decisions_tab(session, meeting, committee, editable)
        with status:
            _status_tab(session, meeting, may_change)


def _hours(meeting: Meeting) -> str:
    # A meeting entered without times starts at 00:00: that is "no time given", not midnight.
    if meeting.start.time() == time(0, 0) and meeting.end is None:
        return "—"
    hours = meeting.start.strftime("%H:%M")
    if meeting.end is not None:
        hours += f"–{meeting.end.strftime('%H:%M')}"
    return f"{hours} Uhr"


def _header(meeting: Meeting, committee: Committee, editable: bool) -> None:
    st.title(f"Sitzung Nr. {meeting.number}")
    show_flash()
    link("committees", f"Gremium: {plain(committee.name)}", committee.id)
    if meeting.title:
        st.subheader(plain(meeting.title))
    facts = {
        "Datum": format_date(meeting.start.date()),
        "Zeit": _hours(meeting),
        "Ort": plain(meeting.location) or "—",
        "Art": meeting.kind.label,
        "Status": meetings.meeting_state_label(meeting),
        "öffentlich": "ja" if meeting.public else "nein",
    }
    for column, (label, value) in zip(st.columns(len(facts)), facts.items(), strict=True):
        column.markdown(f"**{label}**  \n{value}")
    if meeting.archived:
        st.warning(
            "Diese Sitzung ist archiviert. Stellen Sie sie unter „Status“ wieder her, "
            "um sie zu bearbeiten.",
            icon=":material/inventory_2:",
        )
    elif meeting.cancelled:
        st.warning("Diese Sitzung ist abgesagt.", icon=":material/event_busy:")
    if meeting.state == MeetingState.CLOSED:
        st.info(CLOSED_NOTE, icon=":material/lock:")
    if not meeting.archived:
        with st.expander(
            "Herunterladen: Protokoll, Niederschrift, Kalender", icon=":material/download:"
        ):
            non_public = sees_non_public()
            meeting_downloads(key(meeting), include_non_public=non_public)
            calendar_downloads(meeting_id=key(meeting), include_non_public=non_public)
    if editable:
        form = f"meeting_edit_{key(meeting)}_{meeting.version}"
        with st.expander("Sitzungsdaten bearbeiten", icon=":material/edit:"), st.form(form):
            _meeting_fields(form, meeting)
            meeting_id, version = key(meeting), meeting.version
            forms.submit(
                form,
                "Speichern",
                lambda s, a: meetings.update_meeting(
                    session=s,
                    actor=a,
                    row_id=meeting_id,
                    data=_meeting_data(form),
                    expected_version=version,
                ),
                success="Sitzungsdaten gespeichert.",
            )


# --- Tagesordnung -----------------------------------------------------------------------


def _masked(items: pd.DataFrame) -> pd.DataFrame:
    """Lesend sees of a non-public item only its number and that it is not public."""
    if sees_non_public() or items.empty:
        return items
    hidden = ~items["public"].astype(bool)
    items = items.copy()
    items.loc[hidden, "title"] = NOT_PUBLIC
    items.loc[hidden, ["description", "minutes_note", "outcome"]] = None
    return items


def _agenda_tab(session: Session, meeting: Meeting, editable: bool, may_change: bool) -> None:
    meeting_id = key(meeting)
    items = meetings.agenda(session, meeting_id)
    records = _records(items)
    if not editable:
        shown = _masked(items)
        show_table(
            shown.assign(public=shown["public"].map(_part)),
            ["number", "title", "public", "outcome"],
            labels={"number": "TOP", "public": "Sitzungsteil", "outcome": "Ergebnis"},
            empty="Diese Sitzung hat keine Tagesordnung.",
        )
        if may_change and not meeting.archived:
            _archived_agenda(session, meeting_id)
        return
    if items.empty:
        st.info(
            "Noch keine Tagesordnungspunkte. Legen Sie unten den ersten TOP an.",
            icon=":material/info:",
        )
    for position, item in enumerate(records):
        _agenda_item_controls(item, first=position == 0, last=position == len(records) - 1)
    if len(records) > 1:
        forms.action_button(
            f"agenda_renumber_{meeting_id}",
            "TOPs neu nummerieren",
            lambda s, a: meetings.renumber_agenda(session=s, actor=a, meeting_id=meeting_id),
            success="Die TOPs sind jetzt in ihrer Reihenfolge 1, 2, 3 … nummeriert.",
            icon=":material/format_list_numbered:",
        )

    st.subheader("Neuer Tagesordnungspunkt")
    form = f"agenda_new_{meeting_id}"
    with st.form(form):
        _agenda_fields(form, {"number": str(len(records) + 1)})
        forms.submit(
            form,
            "TOP anlegen",
            lambda s, a: meetings.append_agenda_item(
                session=s,
                actor=a,
                data={"meeting_id": meeting_id, **_agenda_data(form)},
            ),
            success=lambda item: f"TOP {item.number} angelegt.",
        )

    _archived_agenda(session, meeting_id)


def _archived_agenda(session: Session, meeting_id: int) -> None:
    archived = meetings.agenda(session, meeting_id, archived=True)
    if archived.empty:
        return
    with st.expander(f"Archivierte TOPs ({len(archived)})", icon=":material/inventory_2:"):
        for item in _records(archived):
            st.markdown(f"**TOP {plain(item['number'])}** {plain(item['title'])}")
            restore, delete = st.columns(2)
            with restore:
                forms.action_button(
                    f"agenda_restore_{item['id']}_{item['version']}",
                    "Wiederherstellen",
                    _agenda_command(meetings.restore_agenda_item, item),
                    success=f"TOP {item['number']} wiederhergestellt.",
                    icon=":material/unarchive:",
                )
            with delete:
                forms.delete_button(
                    f"agenda_delete_{item['id']}",
                    f"TOP {plain(item['number'])}",
                    _delete_command(meetings.AGENDA_ITEMS, item["id"]),
                    success=f"TOP {item['number']} endgültig gelöscht.",
                )


def _delete_command(commands: Any, row_id: int) -> forms.Command:
    return lambda s, a: commands.delete(session=s, actor=a, row_id=row_id)


def _part(public: bool) -> str:
    return "öffentlich" if public else "nicht öffentlich"


def _agenda_item_controls(item: dict[str, Any], *, first: bool, last: bool) -> None:
    item_id, version = item["id"], item["version"]
    with st.container(border=True):
        label, up, down, archive = st.columns([6, 2, 2, 2])
        label.markdown(
            f"**TOP {plain(item['number'])}** {plain(item['title'])}  \n"
            f":gray[{_part(item['public'])} · Ergebnis: {plain(item['outcome'])}]"
        )
        for column, direction, text, icon, hidden in (
            (up, -1, "nach oben", ":material/arrow_upward:", first),
            (down, 1, "nach unten", ":material/arrow_downward:", last),
        ):
            if hidden:
                continue
            with column:
                forms.action_button(
                    f"agenda_move_{item_id}_{version}_{direction}",
                    text,
                    _move_command(item_id, direction, version),
                    success=f"TOP {item['number']} verschoben.",
                    icon=icon,
                )
        with archive:
            forms.action_button(
                f"agenda_archive_{item_id}_{version}",
                "Archivieren",
                _agenda_command(meetings.archive_agenda_item, item),
                success=f"TOP {item['number']} archiviert.",
                icon=":material/archive:",
            )
        form = f"agenda_edit_{item_id}_{version}"
        with st.expander("Bearbeiten", icon=":material/edit:"), st.form(form):
            _agenda_fields(form, item)
            forms.submit(
                form,
                "Speichern",
                lambda s, a: meetings.update_agenda_item(
                    session=s,
                    actor=a,
                    row_id=item_id,
                    data=_agenda_data(form),
                    expected_version=version,
                ),
                success=lambda saved: f"TOP {saved.number} gespeichert.",
            )


def _move_command(item_id: int, direction: int, version: int) -> forms.Command:
    return lambda s, a: meetings.move_agenda_item(
        session=s, actor=a, row_id=item_id, direction=direction, expected_version=version
    )


def _agenda_command(command: Callable[..., Any], item: dict[str, Any]) -> forms.Command:
    return lambda s, a: command(
        session=s, actor=a, row_id=item["id"], expected_version=item["version"]
    )


def _agenda_fields(form: str, item: dict[str, Any]) -> None:
    number, title = st.columns([1, 4])
    with number:
        forms.text(
            form, "number", "TOP", item.get("number"), required=True, help="z. B. 3 oder 3.1"
        )
    with title:
        forms.text(form, "title", "Titel", item.get("title"), required=True)
    forms.text(form, "description", "Beschreibung", item.get("description"), area=True)
    forms.flag(form, "public", "öffentlich", bool(item.get("public")))
    forms.text(
        form,
        "minutes_note",
        "Protokollnotiz",
        item.get("minutes_note"),
        area=True,
        help="Das Ergebnis eines TOPs ohne Abstimmung, z. B. „Bericht erstattet“.",
    )


def _agenda_data(form: str) -> dict[str, Any]:
    values = forms.values(form, AGENDA_FIELDS)
    return {**values, "public": bool(values["public"])}


# --- Anwesenheit ------------------------------------------------------------------------


def _attendance_tab(session: Session, meeting: Meeting, editable: bool) -> None:
    meeting_id = key(meeting)
    quorum = meetings.quorum(session, meeting_id)
    show = st.success if quorum.reached else st.error
    show(quorum.statement(), icon=":material/groups:")
    st.caption(
        f"Regel des Gremiums: {quorum.rule.label}. Gezählt wird der gespeicherte Stand: "
        "stimmberechtigte Mitglieder, die anwesend oder vertreten sind."
    )
    day = format_date(meeting.start.date())
    sheet = meetings.attendance_sheet(session, meeting_id)
    members = set(sheet["person_id"])
    search = ""
    if editable:
        search = st.text_input(
            "Person suchen (für Vertretung oder Gast)",
            key=f"attendance_search_{meeting_id}",
            help="Name oder Teil davon; die Treffer erscheinen in den Auswahllisten.",
        )

    st.subheader(f"Mitglieder am {day}")
    if sheet.empty:
        st.info(
            f"Am {day} hat das Gremium keine Mitglieder. Erfassen Sie die Mitgliedschaften "
            "auf der Seite des Gremiums; sie erscheinen dann hier.",
            icon=":material/info:",
        )
    elif editable:
        _attendance_sheet(session, meeting, sheet, search)
    else:
        show_table(
            sheet,
            ["name", "role", "on_behalf_of", "status_label", "substitute"],
            labels={
                "role": "Rolle",
                "on_behalf_of": "entsandt von",
                "status_label": "Anwesenheit",
                "substitute": "vertreten durch",
            },
            empty="",
        )

    st.subheader("Gäste")
    guests = meetings.guests(session, meeting_id)
    if guests.empty:
        st.caption("Keine Gäste erfasst." + (" Fügen Sie unten einen hinzu." if editable else ""))
    for guest in _records(guests):
        name, remove = st.columns([6, 2])
        name.markdown(f"{plain(guest['name'])} · {guest['status']}")
        if editable:
            with remove:
                forms.action_button(
                    f"guest_archive_{guest['id']}_{guest['version']}",
                    "Entfernen",
                    _attendance_command(meetings.archive_attendance, guest),
                    success=f"{guest['name']} steht nicht mehr auf der Liste.",
                    icon=":material/person_remove:",
                )
    if not editable:
        return
    removed = meetings.guests(session, meeting_id, archived=True)
    form = f"guest_new_{meeting_id}"
    candidates = meetings.person_options(
        session,
        meeting_id,
        search=search,
        include=[st.session_state.get(forms.key(form, "person_id"))],
        exclude=members | set(guests["person_id"]) | set(removed["person_id"]),
    )
    with st.form(form):
        forms.choice(
            form,
            "person_id",
            "Gast",
            candidates,
            required=True,
            help="Nicht in der Liste? Suchen Sie oben nach dem Namen. Neue Personen legen Sie "
            "auf der Seite „Personen“ an.",
        )
        forms.submit(
            form,
            "Gast hinzufügen",
            lambda s, a: meetings.record_attendance(
                session=s,
                actor=a,
                data={
                    "meeting_id": meeting_id,
                    "person_id": forms.values(form, ["person_id"])["person_id"],
                    "status": AttendanceStatus.PRESENT.value,
                },
            ),
            success="Gast hinzugefügt.",
        )
    if not removed.empty:
        with st.expander(f"Entfernte Gäste ({len(removed)})", icon=":material/inventory_2:"):
            for guest in _records(removed):
                name, restore = st.columns([6, 2])
                name.markdown(plain(guest["name"]))
                with restore:
                    forms.action_button(
                        f"guest_restore_{guest['id']}_{guest['version']}",
                        "Wiederherstellen",
                        _attendance_command(meetings.restore_attendance, guest),
                        success=f"{guest['name']} steht wieder auf der Liste.",
                        icon=":material/unarchive:",
                    )
                    forms.delete_button(
                        f"guest_delete_{guest['id']}",
                        f"Der Eintrag für {plain(guest['name'])}",
                        _delete_command(meetings.ATTENDANCES, guest["id"]),
                        success=f"{guest['name']} endgültig von der Liste gelöscht.",
                    )


def _attendance_command(command: Callable[..., Any], row: dict[str, Any]) -> forms.Command:
    return lambda s, a: command(
        session=s, actor=a, row_id=row["id"], expected_version=row["version"]
    )


def _attendance_sheet(session: Session, meeting: Meeting, sheet: pd.DataFrame, search: str) -> None:
    meeting_id = key(meeting)
    form = f"attendance_{meeting_id}"
    rows = _records(sheet)
    picked = [
        st.session_state.get(forms.key(form, f"substitute_id.{row['person_id']}")) for row in rows
    ]
    persons = meetings.person_options(session, meeting_id, search=search, include=picked)
    for row in rows:
        person_id = row["person_id"]
        # Name and role get the room; the substitute column fills only for „vertreten“.
        who, status, substitute = st.columns([5, 2, 3])
        details = [plain(row["role"])]
        if row["on_behalf_of"]:
            details.append(plain(row["on_behalf_of"]))
        details.append("stimmberechtigt" if row["voting_right"] else "ohne Stimmrecht")
        who.markdown(f"**{plain(row['name'])}**  \n{' · '.join(details)}")
        with status:
            forms.choice(
                form,
                f"status.{person_id}",
                "Status",
                AttendanceStatus.labels(),
                row["status"],
                required=True,
            )
        if (
            st.session_state.get(forms.key(form, f"status.{person_id}"))
            == AttendanceStatus.REPRESENTED
        ):
            with substitute:
                forms.choice(
                    form,
                    f"substitute_id.{person_id}",
                    "vertreten durch",
                    {pid: name for pid, name in persons.items() if pid != person_id},
                    row["substitute_id"],
                    required=True,
                )

    def save(session: Session, actor: Actor) -> Any:
        entries = []
        for row in rows:
            person_id = row["person_id"]
            status = st.session_state.get(forms.key(form, f"status.{person_id}"))
            if status is None:
                continue  # not recorded yet
            entry: dict[str, Any] = {
                "person_id": person_id,
                "status": status,
                "substitute_id": None,
            }
            if status == AttendanceStatus.REPRESENTED:
                entry["substitute_id"] = st.session_state.get(
                    forms.key(form, f"substitute_id.{person_id}")
                )
            if row["version"] is not None:
                entry["expected_version"] = row["version"]
            entries.append(entry)
        return meetings.save_attendance(
            session=session, actor=actor, meeting_id=meeting_id, entries=entries
        )

    _save_button(form, "Anwesenheit speichern", save, success="Anwesenheit gespeichert.")


# --- Beschlüsse -------------------------------------------------------------------------


def _decisions_tab(
    session: Session, meeting: Meeting, committee: Committee, editable: bool
) -> None:
    quorum = meetings.quorum(session, key(meeting))
    st.caption(
        f"Mehrheitsregel: {committee.majority_rule.label}. Stimmberechtigt anwesend oder "
        f"vertreten: {quorum.present}; mehr Stimmen (Ja, Nein, Enthaltung und befangen "
        "zusammen) kann ein Beschluss nicht haben."
    )
    items = meetings.agenda(session, key(meeting))
    if items.empty:
        st.info(
            "Noch keine Tagesordnung. Beschlüsse werden je TOP erfasst: legen Sie zuerst im "
            "Reiter „Tagesordnung“ die TOPs an.",
            icon=":material/info:",
        )
        return
    search = _organization_search(meeting, editable)
    taken = meetings.meeting_decisions(session, key(meeting))
    by_item = {row["agenda_item_id"]: row for row in _records(taken)}
    first_open = next(
        (item["id"] for item in _records(items) if item["outcome"] == meetings.NO_OUTCOME), None
    )
    hide_non_public = not sees_non_public()
    for item in _records(items):
        with st.container(border=True):
            if hide_non_public and not item["public"]:
                st.markdown(f"**TOP {plain(item['number'])}** · {NOT_PUBLIC}")
                continue
            st.markdown(f"**TOP {plain(item['number'])}** {plain(item['title'])}")
            decision = by_item.get(item["id"])
            if decision is not None:
                _show_decision(decision)
                if editable:
                    form = f"decision_edit_{decision['id']}_{decision['version']}"
                    with st.expander("Beschluss bearbeiten", icon=":material/edit:"):
                        _decision_form(session, form, meeting, item["id"], decision, search)
                continue
            if item["minutes_note"]:
                st.caption(f"Protokollnotiz: {plain(item['minutes_note'])}")
            if editable:
                with st.expander(
                    f"Beschluss zu TOP {plain(str(item['number']))} erfassen",
                    expanded=item["id"] == first_open,
                    icon=":material/gavel:",
                ):
                    _decision_form(
                        session, f"decision_new_{item['id']}", meeting, item["id"], None, search
                    )
            elif not item["minutes_note"]:
                st.caption("Kein Beschluss.")


def _circulation_tab(
    session: Session, meeting: Meeting, committee: Committee, editable: bool
) -> None:
    quorum = meetings.quorum(session, key(meeting))
    st.info(
        "Umlaufverfahren: Die stimmberechtigten Mitglieder beschließen schriftlich, ohne "
        "Sitzung. Deshalb gibt es keine Tagesordnung und keine Anwesenheitsliste; abstimmen "
        f"können alle {quorum.present} stimmberechtigten Mitglieder. "
        f"Mehrheitsregel: {committee.majority_rule.label}.",
        icon=":material/forward_to_inbox:",
    )
    search = _organization_search(meeting, editable)
    if not meeting.public and not sees_non_public():
        # Umlauf decisions have no agenda item: the meeting's own flag decides, as in the minutes.
        st.caption(f"Die Umlaufbeschlüsse dieses Verfahrens sind {NOT_PUBLIC}.")
        return
    taken = meetings.meeting_decisions(session, key(meeting))
    if taken.empty:
        st.caption(
            "Noch kein Umlaufbeschluss erfasst." + (" Erfassen Sie ihn unten." if editable else "")
        )
    for decision in _records(taken):
        with st.container(border=True):
            _show_decision(decision)
            if editable:
                form = f"decision_edit_{decision['id']}_{decision['version']}"
                with st.expander("Beschluss bearbeiten", icon=":material/edit:"):
                    _decision_form(session, form, meeting, None, decision, search)
    if editable:
        st.subheader("Umlaufbeschluss erfassen")
        _decision_form(session, f"decision_new_m{key(meeting)}", meeting, None, None, search)


def _organization_search(meeting: Meeting, editable: bool) -> str:
    if not editable:
        return ""
    return st.text_input(
        "Organisation suchen (für „verantwortliche Organisation“)",
        key=f"decision_org_search_{key(meeting)}",
        help="Zur Auswahl stehen die Organisationen des Gremiums und die Treffer dieser Suche.",
    )


def _show_decision(decision: dict[str, Any]) -> None:
    result = decision["result_label"] or "kein Ergebnis angegeben"
    st.markdown(
        f"**Beschluss {plain(decision['reference'])}** · {decision['kind_label']} · "
        f"Ergebnis: **{result}**"
    )
    st.markdown(plain(decision["text"]))
    votes = [
        f"{label} {decision[field]}"
        for field, label in VOTES.items()
        if decision[field] is not None
    ]
    if votes:
        st.caption(f"Abstimmung ({decision['vote_mode_label']}): " + ", ".join(votes))
    follow_up = []
    if decision["responsible"]:
        follow_up.append(f"verantwortlich: {plain(decision['responsible'])}")
    if decision["due_date"] is not None:
        follow_up.append(f"Frist: {format_date(decision['due_date'])}")
    if follow_up:
        st.caption(" · ".join(follow_up))
    if decision["conflict"]:
        st.warning(decision["conflict"], icon=":material/warning:")


def _decision_form(
    session: Session,
    form: str,
    meeting: Meeting,
    item_id: int | None,
    current: dict[str, Any] | None,
    search: str,
) -> None:
    """New or changed decision; widgets live outside st.form so the proposal follows the votes."""
    circulation = meeting.kind == MeetingKind.CIRCULATION
    stored = current or {}
    forms.text(form, "reference", "Beschluss-Nr.", stored.get("reference"), required=True)
    if circulation:
        st.caption("Art: Umlaufbeschluss · Abstimmungsart: Umlauf")
    else:
        forms.choice(
            form,
            "kind",
            "Art",
            DECISION_KINDS,
            stored.get("kind", DecisionKind.RESOLUTION.value),
            required=True,
        )
    forms.text(form, "text", "Beschlusstext", stored.get("text"), required=True, area=True)
    for column, (field, label) in zip(st.columns(len(VOTES)), VOTES.items(), strict=True):
        with column:
            forms.number(form, field, label, stored.get(field), error_below=False)
    for field in VOTES:
        forms.field_error(form, field)
    if not circulation:
        forms.choice(
            form,
            "vote_mode",
            "Abstimmungsart",
            VOTE_MODES,
            stored.get("vote_mode", VoteMode.OPEN.value),
            required=True,
        )

    state = st.session_state
    proposal = meetings.proposed_result(
        session,
        key(meeting),
        kind=DecisionKind.CIRCULAR_RESOLUTION
        if circulation
        else state.get(forms.key(form, "kind")),
        yes=state.get(forms.key(form, "votes_yes")),
        no=state.get(forms.key(form, "votes_no")),
        abstain=state.get(forms.key(form, "votes_abstain")),
    )
    st.caption(
        "Vorschlag nach Mehrheitsregel: "
        + (proposal.label if proposal else "– (noch keine Ja- oder Nein-Stimmen eingetragen)")
    )
    _follow_proposal(form, proposal)
    forms.choice(
        form,
        "result",
        "Ergebnis",
        DecisionResult.labels(),
        stored.get("result") or (proposal.value if proposal else None),
    )
    organizations = meetings.responsible_options(
        session,
        key(meeting),
        search=search,
        include=[
            stored.get("responsible_organization_id"),
            state.get(forms.key(form, "responsible_organization_id")),
        ],
    )
    forms.choice(
        form,
        "responsible_organization_id",
        "verantwortliche Organisation",
        organizations,
        stored.get("responsible_organization_id"),
    )
    forms.day(form, "due_date", "Frist", stored.get("due_date"))

    meeting_id = key(meeting)

    def save(session: Session, actor: Actor) -> Any:
        data = {
            "meeting_id": meeting_id,
            "agenda_item_id": item_id,
            **forms.values(form, DECISION_FIELDS),
        }
        if circulation:
            data["kind"] = DecisionKind.CIRCULAR_RESOLUTION.value
            data["vote_mode"] = VoteMode.CIRCULATION.value
        if current is None:
            return decisions.record_decision(session=session, actor=actor, data=data)
        return decisions.update_decision(
            session=session,
            actor=actor,
            row_id=current["id"],
            data=data,
            expected_version=current["version"],
        )

    _save_button(
        form,
        "Beschluss speichern",
        save,
        success=lambda decision: f"Beschluss {decision.reference} gespeichert.",
    )


def _follow_proposal(form: str, proposal: DecisionResult | None) -> None:
    """Preselect the proposed result until the user picks another one."""
    result_key, proposal_key = forms.key(form, "result"), forms.key(form, "_proposal")
    value = proposal.value if proposal else None
    state = st.session_state
    if (
        result_key in state
        and proposal_key in state
        and state[result_key] in (None, state[proposal_key])
    ):
        state[result_key] = value
    state[proposal_key] = value


# --- Status -----------------------------------------------------------------------------


def _state_command(meeting_id: int, target: MeetingState, version: int) -> forms.Command:
    return lambda s, a: meetings.change_meeting_state(
        session=s, actor=a, row_id=meeting_id, state=target, expected_version=version
    )


def _status_tab(session: Session, meeting: Meeting, may_change: bool) -> None:
    st.markdown(f"Aktueller Status: **{meetings.meeting_state_label(meeting)}**")
    st.caption("Ablauf: geplant → eingeladen → durchgeführt → abgeschlossen; oder abgesagt.")
    if not may_change:
        return
    meeting_id, version = key(meeting), meeting.version
    name = f"meeting_{meeting_id}_{version}"
    if meeting.archived:
        forms.action_button(
            f"{name}_restore",
            "Sitzung wiederherstellen",
            lambda s, a: meetings.restore_meeting(
                session=s, actor=a, row_id=meeting_id, expected_version=version
            ),
            success="Sitzung wiederhergestellt.",
            icon=":material/unarchive:",
        )
        forms.delete_button(
            f"meeting_delete_{meeting_id}",
            f"Die Sitzung Nr. {meeting.number}",
            _delete_command(meetings.MEETINGS, meeting_id),
            success=f"Sitzung Nr. {meeting.number} endgültig gelöscht.",
            after=forms.back_to_list_after_delete,
        )
        return
    missing = meetings.items_without_outcome(session, meeting_id)
    if missing and meeting.state != MeetingState.CLOSED:
        st.caption(
            f"Noch ohne Ergebnis: TOP {plain(', '.join(missing))}. Vor dem Abschluss braucht jeder TOP "
            "einen Beschluss oder eine Protokollnotiz."
        )
    for step, target in enumerate(meetings.allowed_transitions(meeting)):
        reopening = meeting.state == MeetingState.CLOSED
        forms.action_button(
            f"{name}_{target.value}",
            REOPEN if reopening else STATE_ACTIONS[target],
            _state_command(meeting_id, target, version),
            success="Abschluss aufgehoben." if reopening else f"Status: {target.label}.",
            button_type="primary" if step == 0 else "secondary",
        )
    if meetings.can_be_cancelled(meeting):
        forms.action_button(
            f"{name}_cancel",
            "Sitzung absagen",
            lambda s, a: meetings.cancel_meeting(
                session=s, actor=a, row_id=meeting_id, expected_version=version
            ),
            success="Sitzung abgesagt.",
            icon=":material/event_busy:",
        )
    if meeting.cancelled:
        forms.action_button(
            f"{name}_uncancel",
            "Absage zurücknehmen",
            lambda s, a: meetings.update_meeting(
                session=s,
                actor=a,
                row_id=meeting_id,
                data={"cancelled": False},
                expected_version=version,
            ),
            success="Absage zurückgenommen.",
        )
    st.divider()
    forms.action_button(
        f"{name}_archive",
        "Sitzung archivieren",
        lambda s, a: meetings.archive_meeting(
            session=s, actor=a, row_id=meeting_id, expected_version=version
        ),
        success="Sitzung archiviert; sie lässt sich jederzeit wiederherstellen.",
        icon=":material/archive:",
    )


record_id = selected_id()
if record_id is None:
    list_view()
else:
    meeting_view(record_id)
