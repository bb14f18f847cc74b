"""地图: townships shaded by a metric or by network coverage, venues on top; works with no internet at all.

Tap a township to filter the page to it (its KPIs, trend and venues); tap a venue to open its profile.
"""

from pathlib import Path

import streamlit as st

from culture_dash import formatting
from culture_dash.formatting import plain
from culture_dash.ingest.kinds import DEMO_SITE_STAGES
from culture_dash.periods import add_months
from culture_dash.transforms import geo as transforms
from dashboard import data_map
from dashboard.auth_ui import require_page
from dashboard.charts import map as charts
from dashboard.i18n import t

user = require_page("map")
st.title(t("map.title"))

versions = data_map.versions()
outlines = data_map.township_outlines(versions)
months = data_map.report_months(versions)
if outlines.empty:
    st.info(t("map.no_boundaries"))
    st.stop()
if not months:
    st.info(t("map.no_months"))
    st.stop()

# --- what to show ------------------------------------------------------------------------------------------
groups = list(transforms.VENUE_GROUPS)
# Rows that wrap, not fixed columns: in portrait beside the sidebar fixed columns cut the controls off.
top = st.container(horizontal=True, vertical_alignment="center", gap="medium")
view = top.segmented_control(
    t("map.view"),
    ["metrics", "coverage"],
    format_func=lambda v: t(f"map.view_{v}"),
    default="metrics",
    required=True,
    key="map_view",
    label_visibility="collapsed",
)
coverage_view = view == "coverage"
extra_layers = ["labels", "gaps"] if coverage_view else ["sites", "labels"]
per_10k_slot = top.empty()  # filled once the metric is known
with top.popover(t("map.layers"), icon=":material/layers:"):
    shown = st.pills(
        t("map.layers"),
        groups + extra_layers,
        selection_mode="multi",
        default=["library", "village_room", *extra_layers] if coverage_view else groups + extra_layers,
        format_func=lambda g: t(f"map.group_{g}") if g in transforms.VENUE_GROUPS else t(f"map.layer_{g}"),
        key=f"map_layers_{view}",
        label_visibility="collapsed",
    )
controls = st.container(horizontal=True, vertical_alignment="bottom", gap="medium")
metric = controls.selectbox(
    t("map.metric"),
    list(transforms.METRICS),
    format_func=lambda m: t(f"map.metric_{m}"),
    key="map_metric",
    disabled=coverage_view,
    width=200,
)
period_kind = controls.segmented_control(
    t("map.period_kind"),
    transforms.PERIOD_KINDS,
    format_func=lambda k: t(f"map.kind_{k}"),
    default="ytd",
    required=True,
    key="map_period_kind",
)
month = controls.selectbox(t("map.month"), months[::-1], format_func=formatting.month_label, key="map_month", width=200)
per_capita = transforms.METRICS[metric].per_capita
per_10k = per_capita and per_10k_slot.toggle(
    t("map.per_10k"),
    value=True,
    key="map_per_10k",
    help=t("map.per_10k_help") if per_capita else t("map.per_10k_not_applicable"),
    disabled=coverage_view or not per_capita,
)
period = transforms.period_ending(period_kind, month, months[-1])
period_label = period.label()
period_months = tuple(period.months())
years = tuple(sorted({m.year for m in period_months}))

# --- data ----------------------------------------------------------------------------------------------------
aggregates = data_map.township_aggregates(versions, period_months, years)
venues = data_map.venue_aggregates(versions, period_months, years)
coverage = transforms.coverage_rates(data_map.coverage(versions))
label = t(f"map.metric_{metric}")
unit = t(f"map.unit_{metric}")
shown_unit = t("map.unit_per_10k", unit=unit) if per_10k else unit
percent = metric == "reporting_rate"
kinds = aggregates.set_index("code")["kind"]

if coverage_view:
    townships = coverage[["code", "name"]].assign(kind=coverage["code"].map(kinds), value=coverage["rate"])
    townships["covered_text"] = [
        t("map.covered_text", covered=c, villages=v)
        for c, v in zip(coverage["covered"], coverage["villages"], strict=True)
    ]
    townships["rate_text"] = transforms.value_text(coverage["rate"], "reporting_rate", "%")
    townships["branches_text"] = [t("map.branches_text", count=c) for c in coverage["branches"]]
    tooltip = [
        ("name", t("map.tooltip_township")),
        ("kind", t("map.tooltip_kind")),
        ("covered_text", t("map.tooltip_coverage")),
        ("rate_text", t("map.tooltip_rate")),
        ("branches_text", t("map.tooltip_branches")),
    ]
    legend_title = t("map.legend_coverage")
else:
    townships = transforms.township_values(aggregates, metric, per_10k=per_10k)
    townships["value_text"] = transforms.value_text(townships["value"], metric, shown_unit)
    totals = transforms.township_values(aggregates, metric, per_10k=False)["value"]
    townships["total_text"] = transforms.value_text(totals, metric, unit)
    townships["population_text"] = [
        t("map.population_text", value=formatting.big_number(p)) for p in aggregates["population"].astype(float)
    ]
    townships["period"] = period_label
    tooltip = [
        ("name", t("map.tooltip_township")),
        ("kind", t("map.tooltip_kind")),
        ("period", t("map.tooltip_period")),
        ("value_text", t("map.tooltip_value_per_10k", metric=label) if per_10k else label),
    ]
    if per_10k:
        tooltip += [
            ("total_text", t("map.tooltip_total", metric=label)),
            ("population_text", t("map.tooltip_population")),
        ]
    legend_title = [t("map.legend_metric", metric=label, unit=shown_unit), period_label]
townships["value_class"], classes = transforms.quantile_classes(
    townships["value"], "reporting_rate" if coverage_view else metric
)
features = transforms.choropleth_features(outlines, townships.drop(columns=["population"], errors="ignore"))
layers = [charts.township_layer(features, classes=classes, color_title=legend_title, tooltip=tooltip)]
centres = transforms.township_centres(outlines).merge(townships[["code", "name"]], on="code")

points = transforms.venue_points(venues, metric)
points = points[points["group"].isin(shown)].copy()
points["group_label"] = points["group"].map(lambda g: t(f"map.group_{g}"))
points["value_text"] = transforms.value_text(points["value"], metric, unit)
point_tooltip = [
    ("name", t("map.tooltip_venue")),
    ("type", t("map.tooltip_type")),
    ("township_name", t("map.tooltip_township")),
]
if not coverage_view:
    points["period"] = period_label
    point_tooltip += [("period", t("map.tooltip_period")), ("value_text", label)]
selection_mode = [charts.TOWNSHIP_PARAM]
if not points.empty:
    layers.append(
        charts.venue_layer(
            points,
            group_title=t("map.group_title"),
            groups=[t(f"map.group_{g}") for g in groups],
            sized=not coverage_view,
            tooltip=point_tooltip,
        )
    )
    selection_mode.append(charts.VENUE_PARAM)
sites = transforms.venue_points(venues[venues["site_stage"].notna()], metric)
if "sites" in shown and not sites.empty:
    sites["stage_label"] = sites["site_stage"]
    sites["period"] = period_label
    sites["value_text"] = transforms.value_text(sites["value"], metric, unit)
    sites["stage_text"] = [
        t("map.stage_text", stage=s, level=v) for s, v in zip(sites["site_stage"], sites["site_level"], strict=True)
    ]
    site_tooltip = [("name", t("map.tooltip_venue")), ("stage_text", t("map.tooltip_stage")), *point_tooltip[1:]]
    layers.append(
        charts.site_layer(sites, stage_title=t("map.stage_title"), stages=DEMO_SITE_STAGES, tooltip=site_tooltip)
    )
if coverage_view and "gaps" in shown:
    gaps = centres[centres["code"].isin(coverage.loc[~coverage["has_branch"], "code"])].assign(gap=t("map.gap_text"))
    layers.append(
        charts.marker_layer(gaps, tooltip=[("name", t("map.tooltip_township")), ("gap", t("map.tooltip_gap"))])
    )


if "labels" in shown:
    layers.extend(charts.label_layers(centres))


# --- the map -----------------------------------------------------------------------------------------------
def clear_selection() -> None:
    # A new key is a new, unselected chart: the one reliable way to drop a Vega selection from Python.
    st.session_state["map_chart_generation"] = st.session_state.get("map_chart_generation", 0) + 1


chart_key = f"map_chart_{st.session_state.get('map_chart_generation', 0)}"
event = st.altair_chart(
    charts.network_map(layers, height=transforms.map_height(outlines)),
    theme=None,
    key=chart_key,
    on_select="rerun",
    selection_mode=selection_mode,
    width="stretch",
)
if coverage_view:
    st.caption(t("map.caption_coverage"))
else:
    st.caption(t("map.caption_metrics", metric=label, unit=shown_unit, period=period_label))
unplaced = int((venues["lon"].isna() | venues["lat"].isna()).sum())
if unplaced:
    st.caption(t("map.no_location", count=unplaced))

venue_code = charts.picked(event, charts.VENUE_PARAM, set(venues["code"]))
if venue_code is not None:
    st.session_state["venue_code"] = venue_code
    if (Path(__file__).parent / "venue.py").exists():
        st.switch_page("app_pages/venue.py")
    st.warning(t("map.venue_page_missing", code=venue_code))
township_code = charts.picked(event, charts.TOWNSHIP_PARAM, set(aggregates["code"]))


# --- the selected township, or the district ------------------------------------------------------------------
def kpi_cards(rows) -> None:
    totals = transforms.district_kpis(rows)
    cards = st.container(horizontal=True, key="kpis_map")  # a grid of equal cards (tablet.py)
    for key in transforms.METRICS:
        value = totals[key]
        key_unit = t(f"map.unit_{key}")
        per = transforms.per_10k(value, totals["population"]) if transforms.METRICS[key].per_capita else None
        help_text = t("map.kpi_help", period=period_label)
        if per is not None:
            per_text = transforms.format_value(per, key, t("map.unit_per_10k", unit=key_unit))
            help_text += "；" + t("map.kpi_per_10k", value=per_text)
        cards.metric(t(f"map.metric_{key}"), transforms.format_value(value, key, key_unit), help=help_text, border=True)


if township_code is not None:
    row = aggregates[aggregates["code"] == township_code]
    name = row["name"].iloc[0]
    st.subheader(t("map.selected", name=plain(name), kind=row["kind"].iloc[0] or "", period=period_label))
    st.button(t("map.clear", name=plain(name)), on_click=clear_selection, icon=":material/close:", key="map_clear")
    kpi_cards(row)
else:
    name = None
    st.subheader(t("map.district", period=period_label))
    kpi_cards(aggregates)

numbers = {
    "visits": st.column_config.NumberColumn(t("map.col_visits"), format="localized"),
    "loans": st.column_config.NumberColumn(t("map.col_loans"), format="localized"),
    "activities": st.column_config.NumberColumn(t("map.col_activities"), format="localized"),
    "participants": st.column_config.NumberColumn(t("map.col_participants"), format="localized"),
    "reporting_rate": st.column_config.NumberColumn(t("map.col_reporting_rate"), format="%.1f"),
    "funds": st.column_config.NumberColumn(t("map.col_funds"), format="%.2f"),
}
if coverage_view:
    table = coverage.assign(rate=(coverage["rate"] * 100).round(1))
    if township_code is not None:
        villages = data_map.village_coverage(versions, township_code)
        villages = villages.assign(covered=(villages["culture_rooms"] + villages["library_rooms"]) > 0)
        st.markdown(f"**{t('map.villages_title', name=plain(name))}**")
        st.dataframe(
            villages.sort_values(["covered", "code"]),
            hide_index=True,
            column_order=["name", "kind", "population", "culture_rooms", "library_rooms", "covered"],
            column_config={
                "name": t("map.col_village"),
                "kind": t("map.col_kind"),
                "population": st.column_config.NumberColumn(t("map.col_population"), format="localized"),
                "culture_rooms": t("map.col_culture_rooms"),
                "library_rooms": t("map.col_library_rooms"),
                "covered": st.column_config.CheckboxColumn(t("map.col_covered_flag")),
            },
        )
    else:
        st.markdown(f"**{t('map.coverage_title')}**")
        st.dataframe(
            table.sort_values(["rate", "code"], na_position="last"),
            hide_index=True,
            column_order=["name", "villages", "covered", "rate", "branches"],
            column_config={
                "name": t("map.col_township"),
                "villages": t("map.col_villages"),
                "covered": t("map.col_covered"),
                "rate": st.column_config.NumberColumn(t("map.col_rate"), format="%.1f"),
                "branches": t("map.col_branches"),
            },
        )
elif township_code is not None:
    if metric == "funds":
        funds = data_map.yearly_funds(versions, township_code)
        st.markdown(f"**{t('map.funds_title', name=plain(name))}**")
        measures = {k: t(f"map.funds_{k}") for k in ("allocated", "disbursed", "spent")}
        st.altair_chart(charts.funds_chart(funds, y_title=t("map.unit_funds"), labels=measures), width="stretch")
    else:
        window = tuple(m for m in months if add_months(period.end, -11) <= m <= period.end)
        series = transforms.monthly_metric(data_map.monthly_series(versions, window, township_code), metric)
        st.markdown(f"**{t('map.trend_title', name=plain(name), metric=label)}**")
        st.altair_chart(
            charts.trend_chart(series, title=label, y_title=f"{label}（{unit}）", percent=percent), width="stretch"
        )
        st.caption(t("map.trend_caption", count=len(window), end=formatting.month_label(period.end)))
    mine = transforms.venue_table(venues[venues["township_code"] == township_code])
    st.markdown(f"**{t('map.venues_title', name=plain(name), count=len(mine))}** · {period_label}")
    st.dataframe(
        mine,
        hide_index=True,
        column_order=["name", "type", "village_name", *numbers, "site_stage"],
        column_config={
            "name": st.column_config.TextColumn(t("map.col_venue"), pinned=True),
            "type": t("map.col_type"),
            "village_name": t("map.col_village"),
            "site_stage": t("map.col_site"),
            **numbers,
        },
    )
else:
    ranked = transforms.ranking(aggregates, metric, per_10k=per_10k)
    if percent:
        ranked[["value", "total"]] = (ranked[["value", "total"]] * 100).round(1)
    st.markdown(f"**{t('map.ranking_title', metric=label, unit=shown_unit, period=period_label)}**")
    value_format = "%.1f" if percent or per_10k else ("%.2f" if metric == "funds" else "localized")
    st.dataframe(
        ranked,
        hide_index=True,
        column_order=["rank", "name", "kind", "value", "total", "population"]
        if per_10k
        else ["rank", "name", "kind", "value"],
        column_config={
            "rank": t("map.col_rank"),
            "name": t("map.col_township"),
            "kind": t("map.col_kind"),
            "value": st.column_config.NumberColumn(
                t("map.col_value", metric=label, unit=shown_unit), format=value_format
            ),
            "total": st.column_config.NumberColumn(t("map.col_total", metric=label, unit=unit), format="localized"),
            "population": st.column_config.NumberColumn(t("map.col_population"), format="localized"),
        },
    )

# --- for the administrator: points to fix ---------------------------------------------------------------------
if user.role == "admin":
    misplaced = transforms.misplaced_venues(venues, outlines)
    with st.expander(t("map.misplaced_title", count=len(misplaced)), expanded=not misplaced.empty):
        if misplaced.empty:
            st.write(t("map.misplaced_none"))
        else:
            st.caption(t("map.misplaced_help"))
            st.dataframe(
                misplaced.assign(found_in=misplaced["found_in"].fillna(t("map.found_nowhere"))),
                hide_index=True,
                column_config={
                    "code": t("map.col_code"),
                    "name": t("map.col_venue"),
                    "type": t("map.col_type"),
                    "township_name": t("map.col_township"),
                    "lon": st.column_config.NumberColumn(t("map.col_lon"), format="%.6f"),
                    "lat": st.column_config.NumberColumn(t("map.col_lat"), format="%.6f"),
                    "source_crs": t("map.col_source_crs"),
                    "found_in": t("map.col_found_in"),
                },
            )
