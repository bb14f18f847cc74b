"""Controls shared by several pages."""

import datetime as dt

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
