"""Controls shared by several pages."""

import datetime as dt
from collections.abc import Callable

import pandas as pd
import streamlit as st

from culture_dash import periods
from culture_dash.periods import Period
from dashboard.i18n import t


def period_picker(months: list[dt.date], *, key: str, kind_label: str, period_label: str, width: int) -> Period:
    """Month / quarter / year-to-date / year, then one period of that kind (newest first, the latest month with
    data by default). Widget keys are `{key}_kind` and `{key}_period_{kind}`; call it inside the page's row."""
    kind = st.segmented_control(
        kind_label,
        periods.KINDS,
        format_func=lambda k: t(f"overview.kind_{k}"),
        default="month",
        required=True,
        key=f"{key}_kind",
    )
    return st.selectbox(
        period_label,
        periods.options(months, kind),
        format_func=periods.title,
        key=f"{key}_period_{kind}",
        width=width,
    )


PICKER_LIMIT = 2_000  # venues one list offers; beyond (a city, a province) a township is chosen first


def venue_picker(
    venues: pd.DataFrame,
    *,
    label: str,
    placeholder: str,
    key: str,
    on_change: Callable[[], None] | None = None,
) -> str | None:
    """A venue chosen by name or code from `venues` (code, name, township, township_code). A district's few
    hundred venues are one searchable list; beyond PICKER_LIMIT a township is chosen first, so a tablet is not
    sent 30,000 names on every rerun. The choice lives in `st.session_state[key]` (a page may set it before the
    call: the township follows) and the township's code in `{key}_township` (a province repeats township names,
    so they are listed as "name（code）")."""
    chosen = st.session_state.get(key)
    if len(venues) > PICKER_LIMIT:
        town_key, synced_key = f"{key}_township", f"{key}_synced"
        township_of = dict(zip(venues["code"], venues["township_code"], strict=True))
        if chosen is not None and chosen != st.session_state.get(synced_key) and chosen in township_of:
            st.session_state[town_key] = township_of[chosen]  # set from outside (a link, another page)
        st.session_state[synced_key] = chosen
        town_names = dict(zip(venues["township_code"], venues["township"], strict=False))
        town = st.selectbox(
            t("widgets.venue_township"),
            sorted(town_names),
            index=None,
            format_func=lambda code: f"{town_names[code]}（{code}）",
            placeholder=t("widgets.venue_township_placeholder", count=f"{len(venues):,}"),
            key=town_key,
        )
        venues = venues[venues["township_code"] == town]
        if chosen is not None and chosen not in set(venues["code"]):
            st.session_state[key] = st.session_state[synced_key] = None  # the township changed under it
    names = dict(zip(venues["code"], venues["name"], strict=True))
    return st.selectbox(
        label,
        list(names),
        index=None,
        format_func=lambda code: f"{names[code]}（{code}）",
        placeholder=placeholder,
        key=key,
        on_change=on_change,
    )
