"""场馆档案: one venue's facts, branch links, months, funds, inspections, demonstration-site stage and plans.

Other pages open a venue with `st.session_state["venue_code"] = code; st.switch_page("app_pages/venue.py")`;
`?venue=CODE` in the URL opens one too (and wins: a link names exactly what it shows). The page keeps both in step,
so the address bar always names the venue on screen.
"""

import pandas as pd
import streamlit as st

from culture_dash import formatting
from culture_dash.formatting import plain
from culture_dash.queries.trends import METRICS
from culture_dash.transforms import trends as transforms
from dashboard import data, data_trends, widgets
from dashboard.auth_ui import require_page
from dashboard.charts import styled
from dashboard.charts import trends as charts
from dashboard.i18n import t

# Numbers right-aligned and never broken (st.table sets text-align inline, hence !important).
RIGHT = {"text-align": "right !important", "white-space": "nowrap"}

require_page("venue")
st.title(t("venue.title"))

registry = data.version(*data_trends.REGISTRY_KINDS)
options = data_trends.venue_options(registry)
names = dict(zip(options["code"], options["name"], strict=True))


def open_venue(code: str | None) -> None:
    st.session_state["venue_code"] = code
    if code is None:
        st.query_params.pop("venue", None)
    else:
        st.query_params["venue"] = code


requested = st.query_params.get("venue") or st.session_state.get("venue_code")
if requested is not None and requested not in names:
    st.warning(t("venue.not_found", code=requested))
    requested = None
open_venue(requested)
st.session_state["venue_picker"] = requested
widgets.venue_picker(
    options,
    label=t("venue.picker"),
    placeholder=t("venue.picker_placeholder"),
    key="venue_picker",
    on_change=lambda: open_venue(st.session_state["venue_picker"]),
)
code = requested
if code is None:
    st.info(t("venue.pick_prompt"))
    st.stop()

venue = data_trends.venue(registry, code)
st.header(plain(venue["name"]), anchor=False)
st.caption(plain(f"{venue['type']} · {venue['township']} · {venue['code']}"))

tab_facts, tab_months, tab_funds, tab_inspections, tab_plans = st.tabs(
    [t("venue.facts"), t("venue.months"), t("venue.funds"), t("venue.inspections"), t("venue.plans")]
)

# ── Facts, branch links, demonstration site ────────────────────────────────────────────────────────────────────
with tab_facts:
    unknown = t("venue.unknown")

    def yes_no(value) -> str:
        return unknown if value is None else t("venue.yes") if value else t("venue.no")

    facts = [
        (t("venue.code"), venue["code"]),
        (t("venue.type"), venue["type"]),
        (t("venue.township"), venue["township"]),
        (t("venue.village"), venue["village"] or unknown),
        (
            t("venue.coordinates"),
            t("venue.coordinates_value", lon=venue["lon"], lat=venue["lat"]) if venue["lon"] is not None else unknown,
        ),
        (t("venue.area"), t("venue.area_value", value=venue["area_m2"]) if venue["area_m2"] is not None else unknown),
        (
            t("venue.weekly_hours"),
            t("venue.weekly_hours_value", value=venue["weekly_hours"])
            if venue["weekly_hours"] is not None
            else unknown,
        ),
        (t("venue.free_open"), yes_no(venue["free_open"])),
        (t("venue.opened_on"), venue["opened_on"].isoformat() if venue["opened_on"] else unknown),
        (t("venue.parent"), f"{venue['parent_name']}（{venue['parent_code']}）" if venue["parent_code"] else unknown),
    ]
    facts = pd.DataFrame(facts, columns=["fact", "detail"])
    st.table(transforms.as_table(facts, texts=("fact", "detail")), hide_index=True, hide_header=True)
    if venue["parent_code"]:
        st.button(
            plain(t("venue.open_parent", name=venue["parent_name"])),
            icon=":material/arrow_upward:",
            on_click=open_venue,
            args=(venue["parent_code"],),
            key="venue_open_parent",
        )
    children = data_trends.venue_children(registry, code)
    if children.empty:
        st.caption(t("venue.no_children"))
    else:
        st.subheader(t("venue.children", count=len(children)), anchor=False)
        shown = transforms.as_table(children, texts=("name", "type", "township", "code"))
        titles = {
            "name": t("trends.col_name"),
            "type": t("trends.col_type"),
            "township": t("trends.col_township"),
            "code": t("trends.col_code"),
        }
        st.table(shown[list(titles)].rename(columns=titles), hide_index=True)
        child_names = dict(zip(children["code"], children["name"], strict=True))
        child = st.selectbox(
            t("venue.open_child"),
            list(child_names),
            index=None,
            format_func=lambda c: f"{child_names[c]}（{c}）",
            placeholder=t("venue.children_hint"),
            key=f"venue_children_{code}",
        )
        if child is not None:
            open_venue(child)
            st.rerun()
    site = data_trends.venue_demo_site(data.version("demo_sites", "venues"), code)
    st.subheader(t("venue.demo_site"), anchor=False)
    if site is None:
        st.caption(t("venue.not_demo_site"))
    else:
        st.write(
            plain(
                t(
                    "venue.demo_site_value",
                    batch_year=site["batch_year"],
                    level=site["level"] or unknown,
                    stage=site["stage"] or unknown,
                    stage_date=site["stage_date"].isoformat() if site["stage_date"] else unknown,
                )
            )
        )
        st.caption(
            t(
                "venue.demo_site_rooms",
                library=yes_no(site["has_library_room"]),
                e_reading=yes_no(site["has_e_reading_room"]),
                multi=yes_no(site["has_multi_room"]),
            )
        )

# ── Months ─────────────────────────────────────────────────────────────────────────────────────────────────────
with tab_months:
    months = data_trends.venue_months(data.version("monthly", "venues"), code)
    reported = [m for m in METRICS if months[m].notna().any()]
    if not reported:
        st.info(t("venue.no_months"))
    else:
        st.caption(
            t(
                "venue.months_reported",
                count=len(months),
                first=formatting.month_label(months["month"].iloc[0]),
                last=formatting.month_label(months["month"].iloc[-1]),
            )
        )
        metric = st.selectbox(
            t("venue.months_metric"),
            reported,
            format_func=lambda m: t(f"trends.metric_{m}"),
            key="venue_months_metric",
            width=260,
        )
        series = transforms.venue_series(months, metric)
        window = t(
            "trends.window",
            start=formatting.month_label(series["month"].iloc[0]),
            end=formatting.month_label(series["month"].iloc[-1]),
        )
        metric_name, unit = t(f"trends.metric_{metric}"), t(f"trends.unit_{metric}")
        chart = charts.monthly_lines(
            series,
            title=t("venue.months_title", metric=metric_name, window=window),
            month_title=t("trends.axis_month"),
            value_title=t("trends.axis_value", metric=metric_name, unit=unit),
            series_title=t("venue.title"),
            height=280,
        )
        st.altair_chart(styled(chart), width="stretch", key="venue_months_chart")
        recent = transforms.recent_months(
            months,
            reported,
            labels={
                m: t("trends.axis_value", metric=t(f"trends.metric_{m}"), unit=t(f"trends.unit_{m}")) for m in reported
            },
            month_format=formatting.month_label,
            note_label=t("venue.col_note"),
        )
        st.subheader(t("venue.recent_months", count=len(recent.columns)), anchor=False)
        numbers = recent.index != t("venue.col_note")
        style = recent.style.set_properties(subset=pd.IndexSlice[numbers, :], **RIGHT)
        st.table(style)

# ── Funds ──────────────────────────────────────────────────────────────────────────────────────────────────────
with tab_funds:
    funds_version = data.version("subsidies", "venues")
    years = data_trends.venue_subsidy_years(funds_version, code)
    if years.empty:
        st.info(t("venue.funds_none"))
    else:
        for row in years.itertuples():
            st.write(
                t(
                    "venue.funds_year",
                    year=row.year,
                    allocated=formatting.money(row.allocated),
                    disbursed=formatting.money(row.disbursed),
                    spent=formatting.money(row.spent),
                    rate=formatting.percent(row.spent / row.allocated if row.allocated else None),
                )
            )
        subsidies = transforms.flag_subsidies(
            data_trends.venue_subsidies(funds_version, code),
            disbursed_flag=t("venue.flag_disbursed"),
            spent_flag=t("venue.flag_spent"),
        )
        money = dict.fromkeys(("allocated", "disbursed", "spent"), "{:,.2f}")
        shown = transforms.as_table(subsidies, numbers=money, texts=("source", "programme", "doc_no"))
        titles = {
            "year": t("venue.col_year"),
            "source": t("venue.col_source"),
            "programme": t("venue.col_programme"),
            "allocated": t("venue.col_allocated"),
            "disbursed": t("venue.col_disbursed"),
            "spent": t("venue.col_spent"),
            "doc_no": t("venue.col_doc_no"),
            "flag": t("venue.col_flag"),
        }
        if not subsidies["flag"].any():
            del titles["flag"]
        style = (
            shown[list(titles)]
            .rename(columns=titles)
            .style.set_properties(subset=[titles[c] for c in money], **RIGHT)
            .set_properties(subset=[titles["source"], titles["programme"]], **{"min-width": "3em"})
        )
        st.table(style, hide_index=True)

# ── Inspections ────────────────────────────────────────────────────────────────────────────────────────────────
with tab_inspections:
    inspections = data_trends.venue_inspections(data.version("inspections", "venues"), code)
    if inspections.empty:
        st.info(t("venue.inspections_none"))
    else:
        titles = {
            "date": t("venue.col_date"),
            "method": t("venue.col_method"),
            "issue": t("venue.col_issue"),
            "status": t("venue.col_status"),
            "due": t("venue.col_due"),
            "note": t("venue.col_note"),
        }
        shown = transforms.as_table(inspections, texts=tuple(titles))
        st.table(shown[list(titles)].rename(columns=titles), hide_index=True)

# ── Activity plans vs completed ────────────────────────────────────────────────────────────────────────────────
with tab_plans:
    plans = data_trends.venue_plans(data.version("activity_plans", "monthly", "venues"), code)
    if plans.empty:
        st.info(t("venue.plans_none"))
    else:
        counts = {"planned": "{:,.0f}", "completed": "{:,.0f}", "rate": "{:.1%}"}
        shown = transforms.as_table(transforms.plan_completion(plans), numbers=counts, texts=("category",))
        titles = {
            "year": t("venue.col_year"),
            "category": t("venue.col_category"),
            "planned": t("venue.col_planned"),
            "completed": t("venue.col_completed"),
            "rate": t("venue.col_rate"),
        }
        right = [titles[c] for c in counts]
        st.table(
            shown[list(titles)].rename(columns=titles).style.set_properties(subset=right, **RIGHT), hide_index=True
        )
        st.caption(t("venue.plans_help"))
