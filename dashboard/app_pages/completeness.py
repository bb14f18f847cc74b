"""报送情况: for a month, which venues have sent their monthly report and which have not, per township.

Other pages link here for a month with `st.session_state["completeness_month"] = date` or `?month=2026-10`.
"""

import datetime as dt

import streamlit as st

from culture_dash.formatting import month_label, percent, township_labels
from culture_dash.ingest.export import table_csv, table_xlsx
from culture_dash.transforms import uploads as transforms
from dashboard import data, data_upload, tablet
from dashboard.auth_ui import require_page
from dashboard.i18n import t

user = require_page("completeness")
st.title(t("completeness.title"))
st.caption(t("completeness.intro"))

versions = data.version(*data_upload.MONTHLY)
today = dt.date.today()
months = data_upload.month_choices(versions, today)

# The default is the latest month that has reports (the one being chased), or the month another page asked for.
asked = st.query_params.get("month")
if asked and "completeness_month" not in st.session_state:
    try:
        wanted = dt.date(int(asked[:4]), int(asked[5:7]), 1)
    except ValueError:
        wanted = None
    if wanted in months:
        st.session_state["completeness_month"] = wanted
latest = data.latest_month(data.version("monthly", "venues"))
if st.session_state.get("completeness_month") not in months:
    st.session_state["completeness_month"] = latest if latest in months else months[0]

# One row that wraps: three fixed columns cut the 显示 buttons off in portrait beside the sidebar.
controls = st.container(horizontal=True, vertical_alignment="bottom", gap="medium")
month = controls.selectbox(
    t("completeness.month"), months, format_func=month_label, key="completeness_month", width=200
)
period = month_label(month)

rates = transforms.township_rates(data_upload.township_counts(versions, month))
if rates.empty:
    st.info(t("completeness.no_venues"))
    st.stop()
townships = township_labels(rates["township_code"], rates["township"])
if st.session_state.get("completeness_township") not in ("", *townships):
    own = sorted(user.actor.township_codes & set(townships)) if user.role == "local_staff" else []
    st.session_state["completeness_township"] = own[0] if own else ""
township = controls.selectbox(
    t("completeness.township_filter"),
    ["", *townships],
    format_func=lambda code: townships.get(code) or t("completeness.all_townships"),
    key="completeness_township",
    width=200,
)
show = controls.segmented_control(
    t("completeness.show"),
    ["missing", "reported", "all"],
    default="missing",
    required=True,
    format_func=lambda s: t(f"completeness.show_{s}"),
    key="completeness_show",
)

# ── The month at a glance ──────────────────────────────────────────────────────────────────────────────────────
scope = rates if not township else rates[rates["township_code"] == township]
expected, reported = int(scope["expected"].sum()), int(scope["reported"].sum())
with st.container(horizontal=True, key="kpis_short_completeness"):  # a grid of equal cards (tablet.py)
    st.metric(t("completeness.expected"), t("completeness.count", count=f"{expected:,}"), border=True)
    st.metric(t("completeness.reported"), t("completeness.count", count=f"{reported:,}"), border=True)
    st.metric(t("completeness.missing"), t("completeness.count", count=f"{expected - reported:,}"), border=True)
    st.metric(
        t("completeness.rate"),
        percent(reported / expected if expected else None),
        help=t("completeness.rate_help", month=period),
        border=True,
    )

st.subheader(t("completeness.by_township", month=period), anchor=False)
st.dataframe(
    rates.drop(columns=["township_code", "rate"]).rename(
        columns={
            "township": t("completeness.col_township"),
            "expected": t("completeness.col_expected"),
            "reported": t("completeness.col_reported"),
            "missing": t("completeness.col_missing"),
            "rate_percent": t("completeness.col_rate"),
        }
    ),
    hide_index=True,
    width="stretch",
    height=tablet.table_height(len(rates)),  # a province's 1,212 townships scroll inside the table
    column_config={
        t("completeness.col_rate"): st.column_config.ProgressColumn(
            t("completeness.col_rate"), min_value=0.0, max_value=100.0, format="%.1f%%"
        )
    },
)

# ── Venue by venue, grouped by township ────────────────────────────────────────────────────────────────────────
# Only the venues shown (and the missing ones, for the export) come from the database, not all 30,000 of a province.
shown = data_upload.reporting_status(versions, month, township, None if show == "all" else show == "reported")
missing = transforms.missing_venues(
    data_upload.reporting_status(versions, month, township, False) if show == "reported" else shown
)
scope_name = t("completeness.all_townships") if not township else townships[township]
st.subheader(t("completeness.list_title", township=scope_name, month=period), anchor=False)

export = missing.rename(
    columns={
        "township": t("completeness.col_township"),
        "venue_code": t("completeness.col_code"),
        "venue_name": t("completeness.col_name"),
        "venue_type": t("completeness.col_type"),
    }
)
exports = st.container(horizontal=True)
for ext, make, mime in (
    (
        "xlsx",
        lambda: table_xlsx(export, t("completeness.export_sheet")),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("csv", lambda: table_csv(export), "text/csv"),
):
    exports.download_button(
        t(f"completeness.export_{ext}"),
        data=make,
        file_name=t("completeness.export_file", month=period, township=scope_name, ext=ext),
        mime=mime,
        on_click="ignore",
        icon=":material/download:",
        disabled=missing.empty,
        key=f"completeness_export_{ext}",
    )


def status_table(venues, *, with_township: bool = False) -> None:
    columns = {
        **({"township": t("completeness.col_township")} if with_township else {}),
        "venue_code": t("completeness.col_code"),
        "venue_name": t("completeness.col_name"),
        "venue_type": t("completeness.col_type"),
        "reported": t("completeness.col_status"),
    }
    status = venues["reported"].map(
        lambda done: t("completeness.status_reported") if done else t("completeness.status_missing")
    )
    st.dataframe(
        venues.assign(reported=status)[list(columns)].rename(columns=columns),
        hide_index=True,
        width="stretch",
        height=tablet.table_height(len(venues)),
    )


groups = shown["township_code"].nunique()
if groups > tablet.MAX_SECTIONS:
    # One section per township stops helping (and costs a second a rerun) when there are hundreds of them.
    st.caption(t("completeness.one_table", count=f"{groups:,}"))
    status_table(shown.sort_values(["township_code", "venue_code"]), with_township=True)
else:
    for code, venues in shown.groupby("township_code", sort=True):
        counts = rates[rates["township_code"] == code].iloc[0]
        label = t(
            "completeness.group",
            township=counts["township"],
            reported=int(counts["reported"]),
            expected=int(counts["expected"]),
            rate=percent(counts["rate"]),
        )
        with st.expander(label, expanded=bool(township) or show == "missing"):
            status_table(venues)
if shown.empty and show == "missing":
    st.success(t("completeness.none_missing", township=scope_name, month=period))
