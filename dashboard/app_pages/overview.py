"""总览: the latest month's KPIs with year-on-year change."""

import streamlit as st

from culture_dash import formatting
from culture_dash.transforms import overview as transforms
from dashboard import data
from dashboard.auth_ui import require_page
from dashboard.i18n import t

require_page("overview")
st.title(t("overview.title"))

versions = data.version("monthly", "venues")
month = data.latest_month(versions)
if month is None:
    st.info(t("common.no_data"))
    st.stop()

previous = month.replace(year=month.year - 1)
totals = data.monthly_totals(versions, (previous, month))
kpis = transforms.headline_kpis(totals, month=month, previous=previous)
period = formatting.month_label(month)
st.caption(t("overview.latest_month", period=period))

columns = st.columns(len(kpis))
for column, kpi in zip(columns, kpis.itertuples(), strict=True):
    column.metric(
        t(f"overview.{kpi.metric}"),
        formatting.big_number(kpi.value, kpi.unit),
        delta=formatting.percent(kpi.yoy, signed=True) if kpi.yoy is not None else None,
        help=t("overview.kpi_help", period=period),
        border=True,
    )
