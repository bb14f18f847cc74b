"""AppTest helpers: run the real app as a signed-in role against a copy of the demo database."""

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from culture_dash.auth import actor_for, get_user
from dashboard.auth_ui import SignedIn
from models import make_engine

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")


@pytest.fixture(autouse=True)
def clear_streamlit_caches():
    """st.cache_data / st.cache_resource are process-global: start and end every test empty."""
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


def signed_in(username: str, url: str) -> SignedIn:
    from sqlmodel import Session

    engine = make_engine(url)
    with Session(engine) as session:
        user = get_user(session, username=username)
        result = SignedIn(user.username, user.display_name, user.role, actor_for(user))
    engine.dispose()
    return result


@pytest.fixture
def app_as(demo_url):
    """app_as("leader") → an AppTest of the whole app, signed in as that demo account, already run once."""

    def start(username: str, page: str | None = None, timeout: float = 30) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=timeout)
        at.session_state["user"] = signed_in(username, demo_url)
        at.run()
        if page is not None:
            at.switch_page(f"app_pages/{page}.py").run()
        return at

    return start
