"""示范点与免费开放: every demonstration site's stage, required rooms, funds and the service it delivered per 万元.

Tapping a site's row opens its venue profile.
"""

import pandas as pd
import streamlit as st

from culture_dash import formatting
from culture_dash.ingest.kinds import DEMO_SITE_STAGES, KINDS
from culture_dash.queries.sites import FUND_COLUMNS, SERVICE_COLUMNS
from culture_dash.transforms import sites as transforms
from dashboard import data, data_sites
from dashboard.auth_ui import require_page
from dashboard.charts import sites as charts
from dashboard.i18n import t

LEVELS = KINDS["demo_sites"].column("level").choices  # 国家级 / 省级 / 市级 / 区级, as the upload contract has them

require_page("sites")
st.title(t("sites.title"), anchor=False)

all_sites = data_sites.sites(data.version(*data_sites.SITE_KINDS))
if all_sites.empty:
    st.info(t("sites.none"))
    st.stop()
years = data_sites.years(data.version(*data_sites.YEAR_KINDS))

# ---- filters ------------------------------------------------------------------------------------------------
with st.container(horizontal=True, vertical_alignment="bottom", key="sites_filters"):
    batch_years = st.multiselect(
        t("sites.batch_year"),
        sorted(all_sites["batch_year"].unique().tolist()),
        format_func=lambda y: t("sites.batch_format", year=y),
        placeholder=t("sites.all"),
        key="sites_batch_years",
        width=210,
    )
    levels = st.multiselect(t("sites.level"), LEVELS, placeholder=t("sites.all"), key="sites_levels", width=210)
    stages = st.multiselect(
        t("sites.stage"), DEMO_SITE_STAGES, placeholder=t("sites.all"), key="sites_stages", width=210
    )
    year = st.selectbox(
        t("sites.year"),
        years[::-1] or [None],
        format_func=lambda y: t("sites.year_format", year=y) if y else t("sites.no_year"),
        key="sites_year",
        help=t("sites.year_help"),
        width=140,
    )

shown_sites = transforms.filter_sites(all_sites, batch_years=batch_years, levels=levels, stages=stages)
room_names = {room: t(f"sites.{room}") for room in transforms.ROOMS}
if year is None:  # sites on record but no funds or reports for any of them yet
    funds, service, months = pd.DataFrame(columns=FUND_COLUMNS), pd.DataFrame(columns=SERVICE_COLUMNS), []
else:
    funds = data_sites.funds(data.version(*data_sites.FUND_KINDS), year)
    service = data_sites.service(data.version(*data_sites.SERVICE_KINDS), year)
    months = data_sites.months(data.version(*data_sites.SERVICE_KINDS), year)
table = transforms.site_table(shown_sites, funds, service, room_names=room_names)
summary = transforms.totals(table)
months_text = (
    t("sites.months_window", first=formatting.month_label(months[0]), last=formatting.month_label(months[-1]))
    if months
    else t("sites.months_none")
)
year_text = t("sites.year_format", year=year) if year else t("sites.no_year")

if shown_sites.empty:
    st.info(t("sites.none_match"))
    st.stop()

# ---- headline figures -----------------------------------------------------------------------------------------
with st.container(horizontal=True, key="kpis_sites"):
    st.metric(t("sites.kpi_sites"), t("sites.kpi_sites_value", count=summary["sites"]), border=True)
    st.metric(
        t("sites.kpi_missing"),
        t("sites.kpi_sites_value", count=summary["missing_rooms"]),
        help=t("sites.rooms_help"),
        border=True,
    )
    st.metric(
        t("sites.kpi_spent", year=year_text),
        formatting.money(summary["spent"]),
        help=t(
            "sites.kpi_spent_help",
            allocated=formatting.money(summary["allocated"]),
            disbursed=formatting.money(summary["disbursed"]),
            site_spent=formatting.money(summary["site_spent"]),
        ),
        border=True,
    )
    st.metric(
        t("sites.kpi_visits_per_wan", year=year_text),
        t("sites.per_wan_visits", value=formatting.big_number(summary["visits_per_wan"], digits=1))
        if summary["visits_per_wan"] is not None
        else "—",
        help=t("sites.per_wan_help", months=months_text, paying=summary["paying_sites"]),
        border=True,
    )

# ---- stage pipeline -------------------------------------------------------------------------------------------
st.subheader(t("sites.pipeline_title"), anchor=False)
pipeline = transforms.stage_pipeline(shown_sites, DEMO_SITE_STAGES)
labels = {
    "stage": t("sites.chart_stage"),
    "sites": t("sites.chart_sites"),
    "batch": t("sites.chart_batch"),
    "batch_format": t("sites.batch_format"),
}
st.altair_chart(charts.stage_pipeline_chart(pipeline, labels=labels), width="stretch", key="sites_pipeline")


# ---- sites and rooms ------------------------------------------------------------------------------------------
NAME_WIDTH = 200


def site_list(frame, key: str, columns: dict) -> None:
    """A table of sites, every row shown (no inner scrolling); tapping a row opens the venue's profile."""
    event = st.dataframe(
        frame,
        column_order=list(columns),
        column_config=columns,
        hide_index=True,
        row_height=44,
        height=44 * (len(frame) + 1) + 3,
        key=key,
        on_select="rerun",
        selection_mode="single-row",
        width="stretch",
    )
    rows = event["selection"]["rows"]
    if rows:
        st.session_state["venue_code"] = frame.iloc[rows[0]]["code"]
        st.switch_page("app_pages/venue.py")


def name_column():
    return st.column_config.TextColumn(t("sites.col_name"), pinned=True, width=NAME_WIDTH)


st.subheader(t("sites.list_title", count=len(table)), anchor=False)
st.caption(t("sites.list_caption"))  # the stage's date is on the venue profile: the tablet has no room for it
# The unchecked boxes say which rooms are missing; the flag only has to catch the eye.
rooms = table.assign(flag=table["rooms_complete"].map({True: "✓", False: t("sites.flag_missing")}))
site_list(
    rooms,
    "sites_rooms",
    {
        "name": name_column(),
        "township": t("sites.col_township"),
        "batch_year": st.column_config.NumberColumn(t("sites.col_batch_year"), format="%d"),
        "level": t("sites.col_level"),
        "stage": t("sites.col_stage"),
        **{room: st.column_config.CheckboxColumn(room_names[room]) for room in transforms.ROOMS},
        "flag": st.column_config.TextColumn(t("sites.col_flag"), help=t("sites.rooms_help")),
    },
)

# ---- funds and service per 万元 -------------------------------------------------------------------------------
money = {
    key: st.column_config.NumberColumn(t(f"sites.col_{key}"), format="%.2f")
    for key in ("allocated", "disbursed", "spent", "site_allocated", "site_disbursed", "site_spent")
}
st.subheader(t("sites.funds_title", year=year_text), anchor=False)
st.caption(t("sites.funds_caption"))
site_list(table, "sites_funds", {"name": name_column(), **money})

st.subheader(t("sites.service_title", year=year_text), anchor=False)
st.caption(t("sites.service_caption", months=months_text))
service_table = table.assign(
    visits_per_wan_text=transforms.per_wan_text(table["visits_per_wan"], "{:,.1f}"),
    activities_per_wan_text=transforms.per_wan_text(table["activities_per_wan"], "{:,.2f}"),
)
site_list(
    service_table,
    "sites_service",
    {
        "name": name_column(),
        "spent": st.column_config.NumberColumn(t("sites.col_spent_wan"), format="%.2f"),
        "visits": st.column_config.NumberColumn(t("sites.col_visits"), format="localized"),
        "activities": st.column_config.NumberColumn(t("sites.col_activities"), format="localized"),
        "visits_per_wan_text": st.column_config.TextColumn(t("sites.col_visits_per_wan"), alignment="right"),
        "activities_per_wan_text": st.column_config.TextColumn(t("sites.col_activities_per_wan"), alignment="right"),
    },
)
st.caption(t("sites.per_wan_note"))
