"""Login gate and the signed-in user. Passwords are checked against scrypt hashes (culture_dash.auth)."""

from dataclasses import dataclass

import streamlit as st

from culture_dash import auth
from culture_dash.permissions import Actor, may_view
from dashboard import data
from dashboard.i18n import t


@dataclass(frozen=True)
class SignedIn:
    username: str
    display_name: str
    role: str
    actor: Actor


def current_user() -> SignedIn | None:
    return st.session_state.get("user")


def login_form() -> None:
    st.title(t("app.title"))
    with st.form("login"):
        st.subheader(t("login.title"))
        username = st.text_input(t("login.username"))
        password = st.text_input(t("login.password"), type="password")
        submitted = st.form_submit_button(t("login.submit"), type="primary")
    if submitted:
        with data.session() as s:
            user = auth.authenticate(s, username=username.strip(), password=password)
        if user is None:
            st.error(t("login.failed"))
        else:
            st.session_state["user"] = SignedIn(
                user.username, user.display_name or user.username, user.role, auth.actor_for(user)
            )
            st.rerun()
    if data.is_demo(data.version("townships")):
        st.info(t("login.demo_accounts"))


def logout() -> None:
    st.session_state.pop("user", None)


def require_page(page: str) -> SignedIn:
    """Stop rendering unless the signed-in role may view `page` (a page reached by URL included)."""
    user = current_user()
    if user is None or not may_view(user.role, page):
        st.error(t("common.forbidden"))
        st.stop()
    return user
