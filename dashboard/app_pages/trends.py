"""趋势: a metric's monthly series by split, this year over last year, 12-month rolling sums, seasonality, rankings."""

import streamlit as st

from culture_dash import formatting
from culture_dash.ingest.kinds import VENUE_TYPES
from culture_dash.queries.trends import METRICS, SPLITS
from culture_dash.transforms import trends as transforms
from dashboard import data, data_trends, widgets
from dashboard.auth_ui import require_page
from dashboard.charts import styled
from dashboard.charts import trends as charts
from dashboard.i18n import t

# Controls sit in wrapping rows: beside the sidebar an iPad in portrait leaves the page about 480 px.
CONTROL_WIDTH = 230
# Numbers right-aligned and never broken (st.table sets text-align inline, hence !important).
RIGHT = {"text-align": "right !important", "white-space": "nowrap"}

require_page("trends")
st.title(t("trends.title"))

versions = data.version(*data_trends.SERIES_KINDS)
months = data_trends.months(versions)
if not months:
    st.info(t("common.no_data"))
    st.stop()


def period_label(period) -> str:
    label = period.label()
    if transforms.is_partial_quarter(period):
        return t("trends.partial_quarter", label=label, month=period.end.month)
    return label


# ── What to show ──────────────────────────────────────────────────────────────────────────────────────────────
with st.container(horizontal=True, vertical_alignment="bottom", gap="medium"):
    metric = st.selectbox(
        t("trends.metric"),
        METRICS,
        format_func=lambda m: t(f"trends.metric_{m}"),
        key="trends_metric",
        width=CONTROL_WIDTH,
    )
    kind = st.segmented_control(
        t("trends.period_kind"),
        transforms.PERIOD_KINDS,
        default="ytd",
        required=True,
        format_func=lambda k: t(f"trends.kind_{k}"),
        key="trends_period_kind",
    )
    period = st.selectbox(
        t("trends.period_month"),
        transforms.period_options(kind, months),
        format_func=period_label,
        key=f"trends_period_{kind}",
        width=CONTROL_WIDTH,
    )
metric_name, unit = t(f"trends.metric_{metric}"), t(f"trends.unit_{metric}")

townships = data_trends.townships(versions)
township_names = formatting.township_labels(townships["code"], townships["name"])
venue_types: tuple[str, ...] = ()
township_codes: tuple[str, ...] = ()
venue_code = None
scope = t("trends.scope_district")
split = st.selectbox(
    t("trends.split"), SPLITS, format_func=lambda s: t(f"trends.split_{s}"), key="trends_split", width=CONTROL_WIDTH
)
# The filter gets a row of its own: a venue's name and code would be cut short beside the split selector.
with st.container():
    if split == "type":
        venue_types = tuple(
            st.multiselect(
                t("trends.types_filter"), VENUE_TYPES, placeholder=t("trends.all_placeholder"), key="trends_types"
            )
        )
        if venue_types:
            scope = t("trends.scope_types", names="、".join(venue_types))
    elif split == "township":
        township_codes = tuple(
            st.multiselect(
                t("trends.townships_filter"),
                list(township_names),
                format_func=township_names.get,
                placeholder=t("trends.all_placeholder"),
                key="trends_townships",
            )
        )
        if township_codes:
            scope = t("trends.scope_townships", names="、".join(township_names[c] for c in township_codes))
    elif split == "venue":
        venues = data_trends.venue_options(data.version(*data_trends.REGISTRY_KINDS))
        venue_code = widgets.venue_picker(
            venues, label=t("trends.venue_select"), placeholder=t("trends.venue_placeholder"), key="trends_venue"
        )
        if venue_code is not None:
            name = venues.loc[venues["code"] == venue_code, "name"].iloc[0]
            scope = t("trends.scope_venue", name=name, code=venue_code)
if split == "venue" and venue_code is None:
    st.info(t("trends.choose_venue"))
    st.stop()

start, end = transforms.series_window(months, period.end)
window = t("trends.window", start=formatting.month_label(start), end=formatting.month_label(end))
st.caption(t("trends.scope_caption", period=period_label(period), scope=scope, window=window))

# ── Monthly charts ─────────────────────────────────────────────────────────────────────────────────────────────
scope_filter = {"venue_types": venue_types, "township_codes": township_codes, "venue_code": venue_code}
series = data_trends.metric_series(versions, metric, start, end, split, **scope_filter)
series = transforms.label_total(series, t("trends.scope_district"))
# A province split by township would draw a line per township (1,212): the largest stay, the rest are added up.
folded = 0
if split == "township":
    series, folded = transforms.fold_small_series(
        series, keep=charts.MAX_SERIES - 1, other_label=lambda count: t("trends.other_townships", count=f"{count:,}")
    )
if series.empty:
    st.info(t("trends.no_series", metric=metric_name))
    st.stop()
if folded:
    st.caption(t("trends.folded_townships", keep=charts.MAX_SERIES - 1, count=f"{folded:,}"))
if split in ("total", "venue"):
    scope_total = series
else:
    scope_total = data_trends.metric_series(versions, metric, start, end, "total", **scope_filter)
    scope_total = transforms.label_total(scope_total, scope)

value_title = t("trends.axis_value", metric=metric_name, unit=unit)
month_title, year_title = t("trends.axis_month"), t("trends.axis_year")
series_title = t(f"trends.split_{split}")
tab_series, tab_overlay, tab_rolling, tab_heatmap = st.tabs(
    [t("trends.tab_series"), t("trends.tab_overlay"), t("trends.tab_rolling"), t("trends.tab_heatmap")]
)
with tab_series:
    chart = charts.monthly_lines(
        series,
        title=t("trends.series_title", metric=metric_name, window=window),
        month_title=month_title,
        value_title=value_title,
        series_title=series_title,
        reporting_title=t("trends.reporting"),
    )
    st.altair_chart(styled(chart), width="stretch", key="trends_series_chart")
with tab_overlay:
    year = period.end.year
    overlay = transforms.year_overlay(scope_total, year=year, year_format=t("trends.year_label"))
    chart = charts.year_overlay(
        overlay,
        title=t("trends.overlay_title", metric=metric_name, year=year, last=year - 1),
        month_title=month_title,
        value_title=value_title,
        year_title=year_title,
    )
    st.altair_chart(styled(chart), width="stretch", key="trends_overlay_chart")
with tab_rolling:
    rolling = transforms.rolling_sum(series, start=start, end=end)
    if rolling.empty:
        st.info(t("trends.no_rolling"))
    else:
        rolling_window = t(
            "trends.window", start=formatting.month_label(rolling["month"].min()), end=formatting.month_label(end)
        )
        chart = charts.monthly_lines(
            rolling,
            title=t("trends.rolling_title", metric=metric_name, window=rolling_window),
            month_title=month_title,
            value_title=value_title,
            series_title=series_title,
        )
        st.altair_chart(styled(chart), width="stretch", key="trends_rolling_chart")
    st.caption(t("trends.rolling_help"))
with tab_heatmap:
    grid = transforms.seasonality(scope_total, year_format=t("trends.year_label"))
    chart = charts.seasonality_heatmap(
        grid,
        title=t("trends.heatmap_title", metric=metric_name, window=window),
        month_title=month_title,
        year_title=year_title,
        value_title=value_title,
    )
    st.altair_chart(styled(chart), width="stretch", key="trends_heatmap_chart")

# ── Rankings ───────────────────────────────────────────────────────────────────────────────────────────────────
st.subheader(t("trends.ranking_header", metric=metric_name, period=period_label(period)))
with st.container(horizontal=True, vertical_alignment="bottom", gap="medium"):
    level = st.segmented_control(
        t("trends.level"),
        ("venue", "township"),
        default="venue",
        required=True,
        format_func=lambda v: t(f"trends.level_{v}"),
        key="trends_rank_level",
    )
    sort_by = st.segmented_control(
        t("trends.sort_by"),
        ("value", "per_10k", "per_cardholder") if level == "township" else ("value", "per_cardholder"),
        default="value",
        required=True,
        format_func=lambda k: t(f"trends.sort_{k}"),
        key=f"trends_rank_sort_{level}",
    )
with st.container(horizontal=True, vertical_alignment="bottom", gap="medium"):
    count = st.selectbox(t("trends.count"), (5, 10, 20, 50), index=1, key="trends_rank_count", width=120)
    direction = st.segmented_control(
        t("trends.direction"),
        ("top", "bottom"),
        default="top",
        required=True,
        format_func=lambda d: t(f"trends.direction_{d}", n=count),
        key="trends_rank_direction",
    )
    rank_types = st.multiselect(
        t("trends.ranking_types"), VENUE_TYPES, placeholder=t("trends.all_placeholder"), key="trends_rank_types"
    )

# Top N in SQL: the field is 30,000 venues at province scale.
top = data_trends.top_ranking(
    versions, metric, period.start, period.end, level, tuple(rank_types), sort_by, count, direction == "bottom"
)
table = top.table
cardholder_help = t(
    "trends.per_cardholder_help", first=formatting.month_label(months[0]), end=formatting.month_label(period.end)
)
if top.with_value == 0:
    st.info(t("trends.ranking_empty"))
elif table.empty:
    st.info(t("trends.no_ratio"))
else:
    per_cardholder_title = (
        t("trends.col_per_cardholder_visits") if metric == "visits" else t("trends.col_per_cardholder", unit=unit)
    )
    titles = {
        "rank": t("trends.col_rank"),
        "label": t("trends.col_venue"),
        "name": t("trends.col_name"),
        "value": value_title,
        "reported_months": t("trends.col_reported_venue"),
        "population": t("trends.col_population"),
        "per_10k": t("trends.col_per_10k", unit=unit),
        "cardholders": t("trends.col_cardholders"),
        "per_cardholder": per_cardholder_title,
    }
    if level == "venue":
        shown = transforms.venue_labels(table, label_format=t("trends.venue_label"))
        columns = ["rank", "label", "value", "reported_months", "cardholders", "per_cardholder"]
    else:
        shown = table
        columns = ["rank", "name", "value", "population", "per_10k", "cardholders", "per_cardholder"]
    shown = transforms.as_table(shown, numbers=transforms.RANKING_FORMATS, texts=("label", "name"))
    numeric = [titles[c] for c in columns if c in transforms.RANKING_FORMATS]
    style = shown[columns].rename(columns=titles).style.set_properties(subset=numeric, **RIGHT)
    if level == "township":
        style = style.set_properties(subset=[titles["name"]], **{"min-width": "5.5em"})  # 青溪街道 on one line
    st.table(style, hide_index=True)
    st.caption(t("trends.ranking_caption", ranked=top.ranked, level=t(f"trends.level_{level}")))
    if level == "township" and sort_by == "per_10k":
        st.caption(t("trends.per_10k_help"))
    st.caption(cardholder_help)
    if level == "venue":
        names = dict(zip(table["code"], table["name"], strict=True))
        ranks = dict(zip(table["code"], table["rank"], strict=True))
        chosen = st.selectbox(
            t("trends.open_venue"),
            list(names),
            index=None,
            format_func=lambda c: t("trends.open_venue_option", rank=ranks[c], name=names[c]),
            placeholder=t("trends.open_hint"),
            key="trends_open_venue",
        )
        if chosen is not None:
            st.session_state["venue_code"] = chosen
            st.switch_page("app_pages/venue.py")
