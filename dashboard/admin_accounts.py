"""The admin page's account and backup sections.

Accounts: list (never a password hash), create, reset a password, deactivate / reactivate. Every rule lives in
culture_dash.auth (password length, never locking out the last administrator); this shows forms and messages.
A password is never written to the page, the log or a message.
"""

import datetime as dt
import json
import re

import pandas as pd
import streamlit as st

from culture_dash import auth, backup
from culture_dash.formatting import plain
from culture_dash.permissions import ROLES
from culture_dash.queries import trends as trend_queries
from culture_dash.transforms.uploads import local_time
from dashboard import data
from dashboard.i18n import t

USERNAME = re.compile(r"^[A-Za-z0-9_.\-\u4e00-\u9fff]{2,64}$")


def _townships() -> dict[str, str]:
    with data.session() as s:
        frame = trend_queries.get_townships(session=s)
    return dict(zip(frame["code"], frame["name"], strict=True))


def account_rows(users, townships: dict[str, str], now: dt.datetime | None = None) -> pd.DataFrame:
    """The accounts as shown: username, display name, role label, scope, active, and until when (Beijing time)
    a login lock-out lasts (never a password hash)."""
    now = now or dt.datetime.now(dt.UTC)
    rows = []
    for user in users:
        codes = json.loads(user.township_codes or "[]")
        venues = json.loads(user.venue_codes or "[]")
        scope = [townships.get(code, code) for code in codes] + venues
        rows.append(
            {
                "username": user.username,
                "display_name": user.display_name or user.username,
                "role": t(f"roles.{user.role}"),
                "scope": "、".join(scope) if scope else t("accounts.scope_all"),
                "active": bool(user.active),
                "locked": auth.lock_end(user, now),
            }
        )
    frame = pd.DataFrame(rows, columns=["username", "display_name", "role", "scope", "active", "locked"])
    locked = frame["locked"].notna()
    frame["locked"] = frame["locked"].astype(object).where(locked, "")
    frame.loc[locked, "locked"] = local_time(frame.loc[locked, "locked"])
    return frame


def _flash(kind: str, text: str) -> None:
    """A message that survives the rerun after a write."""
    st.session_state["accounts_flash"] = (kind, text)


def _create_form(townships: dict[str, str], *, by: str) -> None:
    with st.form("accounts_create", clear_on_submit=False, enter_to_submit=False):
        st.markdown(f"**{t('accounts.create_title')}**")
        left, right = st.columns(2)
        username = left.text_input(
            t("accounts.username"), key="accounts_new_username", help=t("accounts.username_help")
        )
        display_name = right.text_input(t("accounts.display_name"), key="accounts_new_display_name")
        role = left.selectbox(
            t("accounts.role"), ROLES, format_func=lambda r: t(f"roles.{r}"), index=1, key="accounts_new_role"
        )
        scope = right.multiselect(
            t("accounts.scope"),
            list(townships),
            format_func=townships.get,
            key="accounts_new_townships",
            help=t("accounts.scope_help"),
            placeholder=t("accounts.scope_placeholder"),
        )
        password = left.text_input(t("accounts.password"), type="password", key="accounts_new_password")
        confirmation = right.text_input(t("accounts.confirm"), type="password", key="accounts_new_confirm")
        submitted = st.form_submit_button(t("accounts.create"), type="primary")
    if not submitted:
        return
    username = username.strip()
    problem = None
    if not USERNAME.match(username):
        problem = t("accounts.bad_username")
    elif (pw := auth.password_problem(password, confirmation)) is not None:
        problem = t(f"accounts.password_{pw}", length=auth.MIN_PASSWORD_LENGTH)
    elif role == "local_staff" and not scope:
        problem = t("accounts.scope_needed")
    else:
        with data.session() as s:
            if auth.get_user(s, username=username) is not None:
                problem = t("accounts.exists", username=plain(username))
            else:
                auth.upsert_user(
                    s,
                    username=username,
                    role=role,
                    password=password,
                    display_name=display_name.strip() or username,
                    township_codes=list(scope) if role == "local_staff" else [],
                    venue_codes=[],
                    by=by,
                )
    if problem is not None:
        st.error(problem)
        return
    _flash("success", t("accounts.created", username=plain(username), role=t(f"roles.{role}")))
    for key in ("accounts_new_username", "accounts_new_display_name", "accounts_new_password", "accounts_new_confirm"):
        st.session_state.pop(key, None)
    st.rerun()


def _password_form(usernames: list[str], *, by: str) -> None:
    with st.form("accounts_reset", enter_to_submit=False):
        st.markdown(f"**{t('accounts.reset_title')}**")
        target = st.selectbox(t("accounts.account"), usernames, key="accounts_reset_user")
        left, right = st.columns(2)
        password = left.text_input(t("accounts.new_password"), type="password", key="accounts_reset_password")
        confirmation = right.text_input(t("accounts.confirm"), type="password", key="accounts_reset_confirm")
        submitted = st.form_submit_button(t("accounts.reset"))
    if not submitted:
        return
    problem = auth.password_problem(password, confirmation)
    if problem is not None:
        st.error(t(f"accounts.password_{problem}", length=auth.MIN_PASSWORD_LENGTH))
        return
    with data.session() as s:
        auth.set_password(s, username=target, password=password, by=by)
    _flash("success", t("accounts.password_reset", username=plain(target)))
    for key in ("accounts_reset_password", "accounts_reset_confirm"):
        st.session_state.pop(key, None)
    st.rerun()


def _active_form(user, accounts: pd.DataFrame) -> None:
    st.markdown(f"**{t('accounts.active_title')}**")
    states = dict(zip(accounts["username"], accounts["active"], strict=True))
    with st.container(horizontal=True, vertical_alignment="bottom"):
        target = st.selectbox(
            t("accounts.account"),
            list(states),
            format_func=lambda u: f"{u}（{t('accounts.active_yes') if states[u] else t('accounts.active_no')}）",
            key="accounts_active_user",
            width=320,
        )
        active = states[target]
        clicked = st.button(
            t("accounts.deactivate") if active else t("accounts.reactivate"),
            key="accounts_toggle",
            icon=":material/person_off:" if active else ":material/person_check:",
        )
    if not clicked:
        return
    with data.session() as s:
        admins = auth.count_active_admins(s)
        target_role = auth.get_user(s, username=target).role
        if active and target == user.username:
            st.error(t("accounts.refuse_self"))
            return
        if active and target_role == "admin" and admins <= 1:
            st.error(t("accounts.refuse_last_admin"))
            return
        try:
            auth.set_active(s, username=target, active=not active, by=user.username)
        except auth.AccountRefused:
            st.error(t("accounts.refused"))
            return
    _flash("success", t("accounts.deactivated" if active else "accounts.reactivated", username=plain(target)))
    st.rerun()


def render(user) -> None:
    """The accounts section; `user` is the signed-in admin (auth_ui.SignedIn)."""
    st.subheader(t("accounts.title"), anchor=False)
    flash = st.session_state.pop("accounts_flash", None)
    if flash is not None:
        getattr(st, flash[0])(flash[1])
    townships = _townships()
    with data.session() as s:
        accounts = account_rows(auth.list_users(s), townships)
    st.dataframe(
        accounts,
        hide_index=True,
        width="stretch",
        key="accounts_list",
        column_config={
            "username": st.column_config.TextColumn(t("accounts.username"), pinned=True),
            "display_name": t("accounts.display_name"),
            "role": t("accounts.role"),
            "scope": st.column_config.TextColumn(t("accounts.scope"), width="large"),
            "active": st.column_config.CheckboxColumn(t("accounts.active")),
            "locked": st.column_config.TextColumn(t("accounts.locked"), help=t("accounts.locked_help")),
        },
    )
    st.caption(t("accounts.list_caption", count=len(accounts), active=int(accounts["active"].sum())))
    _create_form(townships, by=user.username)
    _password_form(list(accounts["username"]), by=user.username)
    _active_form(user, accounts)
    _events()


EVENTS_SHOWN = 200


def event_rows(events) -> pd.DataFrame:
    """Account events as shown: Beijing time, who, whose account, what, details."""
    rows = [
        {
            "time": event.created_at,
            "actor": event.actor,
            "username": event.username,
            "action": t(f"accounts.event_{event.action}"),
            "detail": event.detail or "",
        }
        for event in events
    ]
    frame = pd.DataFrame(rows, columns=["time", "actor", "username", "action", "detail"])
    return frame.assign(time=local_time(frame["time"]))


def _events() -> None:
    st.markdown(f"**{t('accounts.events_title')}**")
    with data.session() as s:
        events = event_rows(auth.list_events(s, limit=EVENTS_SHOWN))
    if events.empty:
        st.caption(t("accounts.events_none"))
        return
    st.dataframe(
        events,
        hide_index=True,
        width="stretch",
        key="accounts_events",
        column_config={key: t(f"accounts.events_{key}") for key in events.columns},
    )
    st.caption(t("accounts.events_caption", count=EVENTS_SHOWN))


def render_backup(user) -> None:
    """The backup section: a download for SQLite, the pg_dump command for PostgreSQL."""
    st.subheader(t("backup.title"), anchor=False)
    engine = data.engine()
    if engine.dialect.name == "sqlite":
        st.caption(t("backup.sqlite_intro"))
        st.download_button(
            t("backup.download"),
            data=lambda: backup.sqlite_backup(data.engine()),  # made when tapped, not on every rerun
            file_name=backup.backup_file_name(),
            mime="application/vnd.sqlite3",
            icon=":material/download:",
            key="backup_download",
        )
        st.caption(t("backup.sqlite_restore"))
    elif engine.dialect.name == "postgresql":
        st.caption(t("backup.pg_intro"))
        st.code(backup.pg_dump_command(engine.url), language="bash")
        st.caption(t("backup.pg_restore"))
    else:
        st.info(t("backup.unsupported", dialect=engine.dialect.name))
