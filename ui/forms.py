"""Forms that validate through the services and keep what the user typed.

Widgets are keyed `"<form>.<field>"`. A submit runs the command in a callback
(before the page reruns), so the page then shows the German message under the
field it names, with every input still in place; on success the form is reset.
"""

from collections.abc import Callable, Mapping
from datetime import date, time
from typing import Any

import streamlit as st
from sqlmodel import Session

from models.enums import Role
from services import permissions
from services.actor import Actor
from services.errors import DomainError
from ui.db import session_scope
from ui.format import plain
from ui.session import can_change, current_actor, flash, is_admin

_ERRORS = "_form_errors"
_SHOWN = "_form_errors_shown"

Command = Callable[[Session, Actor], Any]


def key(form: str, field: str) -> str:
    """The session-state key of a form field's widget."""
    return f"{form}.{field}"


def values(form: str, fields: list[str]) -> dict[str, Any]:
    """The current input of `fields`; empty texts become None (nothing entered)."""
    result: dict[str, Any] = {}
    for field in fields:
        value = st.session_state.get(key(form, field))
        if isinstance(value, str):
            value = value.strip() or None
        result[field] = value
    return result


def errors(form: str) -> dict[str | None, str]:
    """The messages of the last failed submit of `form`, by field."""
    return st.session_state.get(_ERRORS, {}).get(form, {})


def field_error(form: str, field: str) -> None:
    """Show the message for `field` right under its widget."""
    message = errors(form).get(field)
    st.session_state.setdefault(_SHOWN, set()).add((form, field))
    if message:
        st.error(plain(message), icon=":material/error:")


def remaining_errors(form: str) -> None:
    """Show messages whose field has no widget in the form (or none at all)."""
    shown = st.session_state.get(_SHOWN, set())
    for field, message in errors(form).items():
        if (form, field) not in shown:
            st.error(plain(message), icon=":material/error:")


def run(
    form: str,
    command: Command,
    success: str | Callable[[Any], str],
    after: Callable[[Any], None] | None = None,
    reset: bool = True,
) -> None:
    """Run a command for `form`: errors stay with the form, success clears it and says so."""
    st.session_state.setdefault(_ERRORS, {})
    try:
        with session_scope() as session:
            result = command(session, current_actor())
    except DomainError as exc:
        st.session_state[_ERRORS][form] = {error.field: error.message for error in exc.errors}
        return
    st.session_state[_ERRORS].pop(form, None)
    if reset:
        for state_key in [k for k in st.session_state if str(k).startswith(f"{form}.")]:
            del st.session_state[state_key]
    st.cache_data.clear()
    flash(success(result) if callable(success) else success)
    if after is not None:
        after(result)


def submit(
    form: str,
    label: str,
    command: Command,
    *,
    success: str | Callable[[Any], str],
    after: Callable[[Any], None] | None = None,
    reset: bool = True,
) -> None:
    """The form's submit button; shows leftover messages just above it."""
    remaining_errors(form)
    st.form_submit_button(
        label, type="primary", on_click=run, args=(form, command, success, after, reset)
    )


def action_button(
    name: str,
    label: str,
    command: Command,
    *,
    success: str | Callable[[Any], str],
    after: Callable[[Any], None] | None = None,
    icon: str | None = None,
    button_type: str = "secondary",
) -> None:
    """A button outside a form that runs one command (archive, restore, state change)."""
    st.button(
        label,
        key=f"action.{name}",
        icon=icon,
        type=button_type,  # type: ignore[arg-type]
        on_click=run,
        args=(name, command, success, after, False),
    )
    for message in errors(name).values():
        st.error(plain(message), icon=":material/error:")


def editable(
    entity: str,
    *,
    committee_id: int | None = None,
    agreement_id: int | None = None,
    quiet: bool = False,
) -> bool:
    """Whether the signed-in user may change these records; if not, a caption says why."""
    if can_change(entity, committee_id=committee_id, agreement_id=agreement_id):
        return True
    if not quiet:
        st.caption(read_only_reason(entity, committee_id=committee_id, agreement_id=agreement_id))
    return False


def writable_committees(options: Mapping[int, str]) -> dict[int, str]:
    """The committees among `options` whose records the signed-in user may change."""
    actor = current_actor()
    if permissions.is_admin(actor):
        return dict(options)
    if not permissions.may_write_at_all(actor):
        return {}
    with session_scope() as session:
        assigned, _ = permissions.assigned(session, actor)
    return {
        committee_id: name for committee_id, name in options.items() if committee_id in assigned
    }


def read_only_reason(
    entity: str, *, committee_id: int | None = None, agreement_id: int | None = None
) -> str:
    """Why the signed-in user sees `entity` records without edit controls."""
    actor = current_actor()
    if not permissions.may_write_at_all(actor):
        return f"Nur lesend: Mit der Rolle „{Role.READER.label}“ können Sie nichts ändern."
    if entity in permissions.ADMIN_ONLY:
        label = permissions.ADMIN_ONLY_LABELS[entity]
        return f"Nur lesend: {label} ändern nur Administratoren."
    if entity in permissions.COMMITTEE_SCOPED and committee_id is not None:
        return "Nur lesend: Dieses Gremium ist Ihrem Konto nicht zugeordnet."
    if entity in permissions.AGREEMENT_SCOPED and agreement_id is not None:
        return "Nur lesend: Diese Vereinbarung ist Ihrem Konto nicht zugeordnet."
    if entity in permissions.COMMITTEE_SCOPED:
        return "Nur lesend: Ihrem Konto ist kein Gremium zugeordnet."
    return "Nur lesend: Ihr Konto darf diese Daten nicht ändern."


def _ask(confirm_key: str) -> None:
    st.session_state[confirm_key] = True


def _cancel(confirm_key: str) -> None:
    st.session_state.pop(confirm_key, None)


def _confirmed(
    name: str,
    confirm_key: str,
    command: Command,
    success: str,
    after: Callable[[Any], None] | None,
) -> None:
    st.session_state.pop(confirm_key, None)
    run(name, command, success, after, False)


def delete_button(
    name: str,
    what: str,
    command: Command,
    *,
    success: str,
    after: Callable[[Any], None] | None = None,
) -> None:
    """„Endgültig löschen“ for administrators, asking once more before it runs."""
    if not is_admin():
        return
    confirm_key = f"confirm.{name}"
    if not st.session_state.get(confirm_key):
        st.button(
            "Endgültig löschen …",
            key=f"action.{name}.ask",
            icon=":material/delete_forever:",
            on_click=_ask,
            args=(confirm_key,),
        )
        for message in errors(name).values():
            st.error(plain(message), icon=":material/error:")
        return
    st.warning(
        f"{what} wirklich endgültig löschen? Das lässt sich nicht rückgängig machen; "
        "das Änderungsprotokoll behält den letzten Stand.",
        icon=":material/delete_forever:",
    )
    left, right = st.columns(2)
    left.button(
        "Ja, endgültig löschen",
        key=f"action.{name}.confirm",
        type="primary",
        on_click=_confirmed,
        args=(name, confirm_key, command, success, after),
    )
    right.button("Abbrechen", key=f"action.{name}.cancel", on_click=_cancel, args=(confirm_key,))


def back_to_list_after_delete(_result: Any) -> None:
    """After a record is deleted for good its address is gone: show the list again."""
    st.query_params.clear()


def _initial(form: str, field: str, value: Any) -> None:
    # Seed a widget once; afterwards its state (what the user typed) wins.
    if key(form, field) not in st.session_state:
        st.session_state[key(form, field)] = value


def text(
    form: str,
    field: str,
    label: str,
    value: str | None = None,
    *,
    required: bool = False,
    area: bool = False,
    max_chars: int | None = None,
    help: str | None = None,
) -> None:
    """A text field (or area) with its error underneath."""
    _initial(form, field, value or "")
    shown = f"{label} *" if required else label
    widget = st.text_area if area else st.text_input
    widget(shown, key=key(form, field), max_chars=max_chars, help=help)
    field_error(form, field)


def number(
    form: str,
    field: str,
    label: str,
    value: int | None = None,
    *,
    min_value: int = 0,
    help: str | None = None,
    error_below: bool = True,
) -> None:
    """A whole-number field that may stay empty.

    `error_below=False` leaves the message to the caller: a field in a narrow column shows
    it under the whole row (`field_error`), where a German sentence has room.
    """
    _initial(form, field, value)
    st.number_input(label, min_value=min_value, step=1, key=key(form, field), help=help)
    if error_below:
        field_error(form, field)


def day(
    form: str,
    field: str,
    label: str,
    value: date | None = None,
    *,
    required: bool = False,
    help: str | None = None,
) -> None:
    """A date field in German format (TT.MM.JJJJ) that may stay empty."""
    _initial(form, field, value)
    shown = f"{label} *" if required else label
    st.date_input(
        shown,
        key=key(form, field),
        format="DD.MM.YYYY",
        min_value=date(1990, 1, 1),
        max_value=date(2100, 12, 31),
        help=help,
    )
    field_error(form, field)


def clock(form: str, field: str, label: str, value: time | None = None) -> None:
    """A time-of-day field (HH:MM)."""
    _initial(form, field, value)
    st.time_input(label, key=key(form, field), step=900)
    field_error(form, field)


def choice(
    form: str,
    field: str,
    label: str,
    options: Mapping[Any, str],
    value: Any = None,
    *,
    required: bool = False,
    help: str | None = None,
) -> None:
    """A select box over `options` (value → German label); optional ones allow „—“."""
    keys = list(options) if required else [None, *options]
    widget_key = key(form, field)
    # A required choice starts empty („Bitte wählen …“) rather than silently pre-selected;
    # a value that left the options (archived, filtered away) is dropped, not shown stale.
    if widget_key not in st.session_state or st.session_state[widget_key] not in keys:
        initial = st.session_state.get(widget_key, value)
        st.session_state[widget_key] = initial if initial in keys else None
    shown = f"{label} *" if required else label
    st.selectbox(
        shown,
        keys,
        key=widget_key,
        format_func=lambda option: "—" if option is None else options[option],
        placeholder="Bitte wählen …",
        help=help,
    )
    field_error(form, field)


def flag(form: str, field: str, label: str, value: bool = False, help: str | None = None) -> None:
    """A checkbox."""
    _initial(form, field, value)
    st.checkbox(label, key=key(form, field), help=help)
    field_error(form, field)


def password(form: str, field: str, label: str, autocomplete: str = "new-password") -> None:
    """A masked password field (never seeded, never stripped) with its message underneath."""
    st.text_input(label, type="password", key=key(form, field), autocomplete=autocomplete)
    field_error(form, field)


def repeated_password(form: str) -> str:
    """The new password typed into `password` and `password_repeat`; they must agree."""
    typed = st.session_state.get(key(form, "password")) or ""
    if typed != (st.session_state.get(key(form, "password_repeat")) or ""):
        raise DomainError(
            "Passwort wiederholen: stimmt nicht mit dem Passwort überein.", "password_repeat"
        )
    return str(typed)


def row_command(command: Callable[..., Any], row_id: int) -> Command:
    """A form command that calls `command(session=, actor=, row_id=)` for one record."""
    return lambda session, actor: command(session=session, actor=actor, row_id=row_id)


def archived_list(
    name: str,
    title: str,
    rows: list[tuple[int, str]],
    *,
    noun: str,
    restore: Callable[..., Any],
    delete: Callable[..., Any],
) -> None:
    """Archived sub-records in an expander: restore each, or (administrators) delete it."""
    if not rows:
        return
    with st.expander(f"{title} ({len(rows)})", icon=":material/inventory_2:"):
        for row_id, label in rows:
            st.markdown(label)
            left, right = st.columns(2)
            with left:
                action_button(
                    f"{name}_restore_{row_id}",
                    "Wiederherstellen",
                    row_command(restore, row_id),
                    success=f"{noun} wiederhergestellt.",
                    icon=":material/unarchive:",
                )
            with right:
                delete_button(
                    f"{name}_delete_{row_id}",
                    f"Die {noun}",
                    row_command(delete, row_id),
                    success=f"{noun} endgültig gelöscht.",
                )
