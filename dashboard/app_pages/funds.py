"""资金: a year's subsidies allocated / disbursed / spent by source, programme and township, all years, anomalies."""

import datetime as dt
from pathlib import Path

import streamlit as st

from culture_dash import formatting
from culture_dash.permissions import may_view
from culture_dash.transforms import funds as transforms
from dashboard import data, data_funds
from dashboard.auth_ui import require_page
from dashboard.charts import funds as charts
from dashboard.i18n import t

PAGES_DIR = Path(__file__).parent
AMOUNTS = transforms.AMOUNTS

user = require_page("funds")
st.title(t("funds.title"), anchor=False)
st.caption(t("funds.intro"))

versions = data.version(*data_funds.SUBSIDIES)
years = data_funds.years(versions)
if not years:
    st.info(t("funds.no_data"))
    st.stop()

today = dt.date.today()
year = st.selectbox(
    t("funds.year"), years, format_func=lambda y: t("funds.year_option", year=y), key="funds_year", width=140
)
by_source = transforms.in_order(data_funds.funds_by(versions, year, "source"), "source")
totals = transforms.totals(by_source)
st.caption(t("funds.records", year=year, count=int(by_source["records"].sum())))


# ── KPI cards ──────────────────────────────────────────────────────────────────────────────────────────────────
def money(value: float) -> str:
    return f"{value:,.2f}"


def note(text: str) -> dict:
    return {"delta": text, "delta_arrow": "off", "delta_color": "off"}


allocated = money(totals["allocated"])
cards = [
    {
        "label": t(f"funds.{key}"),
        "value": t("funds.amount_value", amount=money(totals[key])),
        "help": t("funds.kpi_help", year=year),
    }
    for key in AMOUNTS
] + [
    {
        "label": t("funds.execution"),
        "value": formatting.percent(totals["execution"]),
        "help": t("funds.execution_help", year=year),
        **note(t("funds.execution_note", spent=money(totals["spent"]), allocated=allocated)),
    },
    {
        "label": t("funds.disbursement"),
        "value": formatting.percent(totals["disbursement"]),
        "help": t("funds.disbursement_help", year=year),
        **note(t("funds.disbursement_note", disbursed=money(totals["disbursed"]), allocated=allocated)),
    },
]
with st.container(horizontal=True, key="kpis_funds"):  # a grid of equal cards (tablet.py)
    for card in cards:
        st.metric(**card, border=True)

# ── Breakdowns ─────────────────────────────────────────────────────────────────────────────────────────────────
measure_labels = {key: t(f"funds.{key}") for key in AMOUNTS}
TABLE_COLUMNS = {
    "records": st.column_config.NumberColumn(t("funds.col_records"), format="%d"),
    **{key: st.column_config.NumberColumn(t(f"funds.col_{key}"), format="%.2f") for key in AMOUNTS},
    "execution": st.column_config.NumberColumn(t("funds.col_execution"), format="%.1f"),
    "disbursement": st.column_config.NumberColumn(t("funds.col_disbursement"), format="%.1f"),
}


def breakdown(frame, key: str, caption: str, *, step: int = 14) -> None:
    """A grouped bar chart of the three amounts per group, and the figures with rates under it."""
    st.caption(caption)
    labels = {
        "key": t(f"funds.key_{key}"),
        "measure": t("funds.chart_measure"),
        "amount": t("funds.chart_amount"),
        "axis": t("funds.chart_axis"),
    }
    frame = frame.astype({key: str})
    long = transforms.long_amounts(frame, key, measure_labels)
    chart = charts.amounts_chart(long, key=key, order=list(frame[key]), labels=labels, step=step)
    st.altair_chart(chart, width="stretch")
    columns = {key: st.column_config.TextColumn(t(f"funds.key_{key}"))} | TABLE_COLUMNS
    shown = transforms.with_rates(frame)
    st.dataframe(shown, column_order=[c for c in columns if c in shown], column_config=columns, hide_index=True)


# Tabs keep the anomalies a short scroll away; every tab is rendered, so each chart is always on the page.
st.subheader(t("funds.breakdown_title"), anchor=False)
source_tab, programme_tab, township_tab, year_tab = st.tabs(
    [t("funds.tab_source"), t("funds.tab_programme"), t("funds.tab_township"), t("funds.tab_year")]
)
with source_tab:
    breakdown(by_source, "source", t("funds.by_source", year=year))
with programme_tab:
    by_programme = transforms.in_order(data_funds.funds_by(versions, year, "programme"), "programme")
    breakdown(by_programme, "programme", t("funds.by_programme", year=year))
with township_tab:
    breakdown(data_funds.funds_by(versions, year, "township"), "township", t("funds.by_township", year=year), step=9)
with year_tab:
    breakdown(data_funds.funds_by_year(versions), "year", t("funds.by_year"))

# ── Anomalies ──────────────────────────────────────────────────────────────────────────────────────────────────
elapsed = transforms.elapsed_share(year, today)
threshold = transforms.min_execution(year, today)
anomaly_text = {"year": year, "elapsed": formatting.percent(elapsed), "threshold": formatting.percent(threshold)}
st.subheader(t("funds.anomalies_title", year=year), anchor=False, help=t("funds.anomalies_help", **anomaly_text))
anomalies = data_funds.anomalies(versions, year, threshold)
if anomalies.empty:
    st.success(t("funds.anomalies_none", year=year))
    st.stop()

st.caption(t("funds.anomalies_caption", **anomaly_text))
anomalies = transforms.anomaly_rows(anomalies, {key: t(f"funds.col_{key}") for key in transforms.FLAGS})
columns = {
    "venue_name": st.column_config.TextColumn(t("funds.col_venue_name"), width=210, pinned=True),
    "issues": st.column_config.TextColumn(t("funds.col_issues"), width=170),
    **{f"{key}_text": st.column_config.TextColumn(t(f"funds.col_{key}"), alignment="right") for key in AMOUNTS},
    "source": st.column_config.TextColumn(t("funds.col_source")),
    "programme": st.column_config.TextColumn(t("funds.col_programme")),
    "township": st.column_config.TextColumn(t("funds.col_township")),
    "doc_no": st.column_config.TextColumn(t("funds.col_doc_no")),
    "venue_code": st.column_config.TextColumn(t("funds.col_venue_code")),
}
venue_page = (PAGES_DIR / "venue.py").exists() and may_view(user.role, "venue")
table = {"column_order": list(columns), "column_config": columns, "hide_index": True, "row_height": 40}
if not venue_page:
    st.dataframe(anomalies, **table)
    st.stop()
event = st.dataframe(anomalies, **table, key=f"funds_anomalies_{year}", on_select="rerun", selection_mode="single-row")
rows = event["selection"]["rows"]
if rows:
    st.session_state["venue_code"] = anomalies.iloc[rows[0]]["venue_code"]
    st.switch_page("app_pages/venue.py")
