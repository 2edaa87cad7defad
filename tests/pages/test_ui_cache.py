"""ui.cache: a cached query is computed once per data version and recomputed after a write."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.pages.apptest import signed_in


def _app() -> None:
    import streamlit as st

    from services.organizations import organization_choices
    from ui.cache import cached

    calls = st.session_state.setdefault("calls", [])

    def counted(session, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return organization_choices(session, **kwargs)

    counted.__qualname__ = "counted_choices"
    choices = cached(counted)
    st.text(f"{len(choices(search='Leipzig'))} {len(choices(search='Leipzig'))} {len(calls)}")


def test_cached_until_the_next_write(demo_url: str, tmp_path: Path) -> None:
    import streamlit as st
    from sqlmodel import Session

    from models.db import make_engine
    from services.actor import SYSTEM_ACTOR
    from services.organizations import create_organization

    st.cache_data.clear()
    at = signed_in(AppTest.from_function(_app, default_timeout=30)).run()
    assert not at.exception
    first, second, calls = at.text[0].value.split()
    assert first == second
    assert calls == "1"
    at.run()
    assert at.text[0].value.split()[2] == "1"  # still cached on the next rerun
    with Session(make_engine(demo_url)) as session:
        create_organization(
            session=session,
            actor=SYSTEM_ACTOR,
            data={"name": "Leipzig-Test GmbH", "kind": "company"},
        )
    at.run()
    first, _, calls = at.text[0].value.split()
    assert calls == "2"
    assert int(first) == int(second) + 1
