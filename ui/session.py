"""Per-browser-session state shared by all pages: who is signed in, and messages across reruns."""

from datetime import datetime
from typing import Any, TypeGuard

import streamlit as st

from models.base import utcnow
from models.enums import Role
from services import accounts, permissions
from services.actor import Actor
from services.errors import DomainError
from ui.db import session_scope
from ui.format import plain

_FLASH = "_flash_messages"
# {"account_id": int, "signed_in_at": datetime, "last_seen": datetime}, set by the sign-in.
AUTH = "auth"
# Why the last browser session ended (expired, deactivated); the sign-in page says so once.
_SIGNED_OUT_NOTICE = "_signed_out_notice"
# The single sign-on identity this browser session could not be mapped to an account.
_SSO_REFUSAL = "_sso_refusal"
# The actor the sign-in gate loaded at the start of this run (see `_shown_actor`).
_RUN_ACTOR = "_run_actor"

SESSION_EXPIRED = "Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an."
ACCOUNT_INACTIVE = (
    "Ihr Konto ist nicht mehr aktiv. Wenden Sie sich bei Fragen an einen Administrator."
)

# Whoever is not signed in may change nothing (page scripts run on their own, e.g. in tests).
ANONYMOUS = Actor(username="anonym", display_name="nicht angemeldet", role=Role.READER)


def current_actor() -> Actor:
    """The signed-in user on whose behalf commands run (reloaded, so role changes apply)."""
    auth = st.session_state.get(AUTH)
    if not isinstance(auth, dict) or "account_id" not in auth:
        return ANONYMOUS
    with session_scope() as session:
        actor = accounts.current_actor(session, int(auth["account_id"]))
    return actor or ANONYMOUS


def _shown_actor() -> Actor:
    """The actor for what a page shows: the one the gate loaded for this very run.

    Pages ask many times per run which controls to show; loading the account once is
    enough. Commands (form callbacks run before the next run's gate) use `current_actor`.
    """
    actor = st.session_state.get(_RUN_ACTOR)
    return actor if isinstance(actor, Actor) else current_actor()


def can_change(
    entity: str, *, committee_id: int | None = None, agreement_id: int | None = None
) -> bool:
    """Whether to show edit controls for `entity` records of that committee or agreement."""
    actor = _shown_actor()
    if not permissions.may_write_at_all(actor):
        return False
    with session_scope() as session:
        return permissions.may_change(
            session, actor, entity, committee_id=committee_id, agreement_id=agreement_id
        )


def sees_non_public() -> bool:
    """Whether the signed-in user may see non-public agenda items and meetings."""
    return permissions.sees_non_public(_shown_actor())


def is_admin() -> bool:
    """Whether the signed-in user is an administrator."""
    return permissions.is_admin(_shown_actor())


def start_session(account_id: int, signed_in_at: datetime) -> None:
    """Mark this browser session as signed in to `account_id` (after a checked sign-in)."""
    st.session_state.pop(_SIGNED_OUT_NOTICE, None)
    st.session_state[AUTH] = {
        "account_id": account_id,
        "signed_in_at": signed_in_at,
        "last_seen": utcnow(),
    }


def signed_in_actor() -> Actor | None:
    """The signed-in user, or None; ends expired sessions and those of deactivated accounts."""
    auth = st.session_state.get(AUTH)
    if not _valid(auth):
        if auth is not None:
            _end_session(notice=None)
        return _single_sign_on()
    now = utcnow()
    if accounts.session_expired(
        signed_in_at=auth["signed_in_at"], last_seen=auth["last_seen"], now=now
    ):
        _end_session(notice=SESSION_EXPIRED)
        return None
    with session_scope() as session:
        actor = accounts.current_actor(session, int(auth["account_id"]))
    if actor is None:
        _end_session(notice=ACCOUNT_INACTIVE)
        return None
    auth["last_seen"] = now
    st.session_state[_RUN_ACTOR] = actor
    return actor


def _valid(auth: Any) -> TypeGuard[dict[str, Any]]:
    return (
        isinstance(auth, dict)
        and isinstance(auth.get("account_id"), int)
        and isinstance(auth.get("signed_in_at"), datetime)
        and isinstance(auth.get("last_seen"), datetime)
    )


def sign_out() -> None:
    """End the browser session: note it in the trail and forget everything it held."""
    actor = current_actor()
    if actor.account_id is not None:
        with session_scope() as session:
            accounts.record_sign_out(session=session, actor=actor)
    _end_session(notice=None)


def _end_session(*, notice: str | None) -> None:
    # Everything goes, not only AUTH: the next person at this browser must not find the
    # previous one's searches, filters or half-filled forms.
    for state_key in list(st.session_state.keys()):
        del st.session_state[state_key]
    if notice:
        st.session_state[_SIGNED_OUT_NOTICE] = notice
    if sso_signed_in():
        # Otherwise the identity provider's cookie would sign the browser straight back in.
        st.logout()


def signed_out_notice() -> str | None:
    """Why the previous session ended (shown once on the sign-in page), if it did not by choice."""
    notice = st.session_state.pop(_SIGNED_OUT_NOTICE, None)
    return notice if isinstance(notice, str) else None


def sso_configured() -> bool:
    """Whether single sign-on (OpenID Connect, Streamlit's [auth] secrets) is set up."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        # No secrets.toml at all: password sign-in only.
        return False


def sso_signed_in() -> bool:
    """Whether the browser carries a signed-in single sign-on identity."""
    return sso_configured() and bool(st.user.get("is_logged_in"))


def sso_refusal() -> str | None:
    """Why the browser's single sign-on identity was not let in, if it was refused."""
    refusal = st.session_state.get(_SSO_REFUSAL)
    return refusal if isinstance(refusal, str) else None


def _single_sign_on() -> Actor | None:
    if not sso_signed_in() or sso_refusal():
        return None
    email = st.user.get("email")
    try:
        with session_scope() as session:
            actor = accounts.single_sign_on(
                session=session, email=email if isinstance(email, str) else None
            )
    except DomainError as exc:
        # Not logged out at once: st.logout() starts a new browser session, which would
        # lose this message. The sign-in page shows it with a button to end the identity.
        st.session_state[_SSO_REFUSAL] = exc.message
        return None
    if actor.account_id is None:
        return None
    start_session(actor.account_id, utcnow())
    return actor


def end_single_sign_on() -> None:
    """Drop a refused single sign-on identity, so another can be used."""
    st.session_state.pop(_SSO_REFUSAL, None)
    st.logout()


def flash(message: str) -> None:
    """Show `message` once, on the next run of whatever page is open."""
    st.session_state.setdefault(_FLASH, []).append(message)


def show_flash() -> None:
    """Render and forget the pending success messages."""
    for message in st.session_state.pop(_FLASH, []):
        st.success(plain(message), icon=":material/check_circle:")
