"""Login gate and the signed-in user. Passwords are checked against scrypt hashes (culture_dash.auth)."""

from dataclasses import dataclass

import streamlit as st

from culture_dash import auth
from culture_dash.permissions import Actor, may_view
from dashboard import data
from dashboard.i18n import t
from models.engine import secret_key


@dataclass(frozen=True)
class SignedIn:
    username: str
    display_name: str
    role: str
    actor: Actor


COOKIE = "culture_dash_session"


def sign_in(user) -> None:
    st.session_state["user"] = SignedIn(
        user.username, user.display_name or user.username, user.role, auth.actor_for(user)
    )


def current_user() -> SignedIn | None:
    """The signed-in user; after a browser refresh, restored from the signed session cookie."""
    if "user" not in st.session_state and not st.session_state.get("signed_out"):
        token = st.context.cookies.get(COOKIE)
        if token:
            with data.session() as s:
                user = auth.user_from_token(s, token, secret=secret_key())
            if user is not None:
                sign_in(user)
    return st.session_state.get("user")


def write_cookie() -> None:
    """Set (after login) or clear (after logout) the session cookie in the browser.

    The token is made of base64 and hex digits only, so it is safe to place in the script.
    """
    if "session_cookie" in st.session_state:
        token = st.session_state.pop("session_cookie")
        value = f"{COOKIE}={token}; path=/; max-age={auth.SESSION_SECONDS}; SameSite=Strict"
    elif st.session_state.pop("clear_cookie", False):
        value = f"{COOKIE}=; path=/; max-age=0; SameSite=Strict"
    else:
        return
    st.html(f"<script>document.cookie = {value!r};</script>", unsafe_allow_javascript=True)


def login_form() -> None:
    st.title(t("app.title"))
    with st.form("login"):
        st.subheader(t("login.title"))
        username = st.text_input(t("login.username"))
        password = st.text_input(t("login.password"), type="password")
        submitted = st.form_submit_button(t("login.submit"), type="primary")
    if submitted:
        try:
            with data.session() as s:
                user = auth.authenticate(s, username=username.strip(), password=password)
        except auth.LoginLocked as locked:
            st.error(t("login.locked", minutes=locked.minutes_left(), tries=auth.MAX_FAILURES))
            return
        if user is None:
            st.error(t("login.failed"))
        else:
            sign_in(user)
            st.session_state["session_cookie"] = auth.session_token(user, secret=secret_key())
            st.rerun()
    if data.is_demo(data.version("townships")):
        st.info(t("login.demo_accounts"))


def logout() -> None:
    st.session_state.pop("user", None)
    # st.context.cookies keeps the old cookie until the page reloads: do not sign back in from it.
    st.session_state["signed_out"] = True
    st.session_state["clear_cookie"] = True


def require_page(page: str) -> SignedIn:
    """Stop rendering unless the signed-in role may view `page` (a page reached by URL included)."""
    user = current_user()
    if user is None or not may_view(user.role, page):
        st.error(t("common.forbidden"))
        st.stop()
    return user
