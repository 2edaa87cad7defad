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

from services.actor import Actor
from services.errors import DomainError
from ui.db import session_scope
from ui.session import current_actor, flash

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
        st.error(message, icon=":material/error:")


def remaining_errors(form: str) -> None:
    """Show messages whose field has no widget in the form (or none at all)."""
    shown = st.session_state.get(_SHOWN, set())
    for field, message in errors(form).items():
        if (form, field) not in shown:
            st.error(message, icon=":material/error:")


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
        st.error(message, icon=":material/error:")


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
) -> None:
    """A whole-number field that may stay empty."""
    _initial(form, field, value)
    st.number_input(label, min_value=min_value, step=1, key=key(form, field), help=help)
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
