"""总览: a period's KPIs with year-on-year change, what needs attention, and the briefing paragraph."""

import datetime as dt
from pathlib import Path

import streamlit as st

from culture_dash import formatting
from culture_dash.ingest.kinds import DEMO_SITE_STAGES, VENUE_TYPES
from culture_dash.permissions import may_view
from culture_dash.queries.overview import SYSTEMS, Scope, month_end
from culture_dash.transforms import overview as transforms
from dashboard import data_overview as data
from dashboard import widgets
from dashboard.auth_ui import require_page
from dashboard.charts import overview as charts
from dashboard.i18n import t

PAGES_DIR = Path(__file__).parent
WHOLE_COUNTS = ("activities", "media_reports")  # written out whole, not in 万

user = require_page("overview")
st.title(t("overview.title"), anchor=False)
versions = data.Versions()

months = data.report_months(versions("monthly"))
if not months:
    st.info(t("common.no_data"))
    st.stop()


def page_open(page_id: str) -> bool:
    """A page exists and this role may open it (a link to anything else would fail)."""
    return (PAGES_DIR / f"{page_id}.py").exists() and may_view(user.role, page_id)


# ---- period and scope -------------------------------------------------------------------------------------
townships = data.townships(versions("townships"))
township_names = formatting.township_labels(townships["code"], townships["name"])
with st.container(horizontal=True, vertical_alignment="bottom", key="overview_controls"):
    period = widgets.period_picker(
        months, key="overview", kind_label=t("overview.period_kind"), period_label=t("overview.period"), width=230
    )
    township = st.selectbox(
        t("overview.township"),
        [None, *township_names],
        format_func=lambda code: township_names[code] if code else t("overview.all_district"),
        key="overview_township",
        width=170,
    )
    system = st.selectbox(
        t("overview.system"),
        [None, *SYSTEMS],
        format_func=lambda s: t(f"overview.system_{s or 'all'}"),
        help=t("overview.system_help"),
        key="overview_system",
        width=170,
    )
    venue_type = st.selectbox(
        t("overview.venue_type"),
        [None, *(SYSTEMS[system] if system else VENUE_TYPES)],
        format_func=lambda v: v or t("overview.type_all"),
        key=f"overview_type_{system}",
        width=200,
    )

scope = Scope(township=township, system=system, venue_type=venue_type)
title = transforms.period_title(period)
scope_text = " · ".join(
    [
        township_names[township] if township else t("overview.all_district"),
        t(f"overview.system_{system or 'all'}"),
        venue_type or t("overview.type_all"),
    ]
)
latest_note = t("overview.latest_note") if period.kind == "month" and period.end == months[-1] else ""
st.caption(t("overview.scope_caption", period=title, scope=scope_text) + latest_note)

# ---- KPI cards ----------------------------------------------------------------------------------------------
year, last_day, month_count = period.start.year, month_end(period.end), len(period.months())
previous = period.previous_year()
trend_start, trend_end = transforms.trend_window(period.end)
monthly_versions = versions(*data.MONTHLY)
current = data.monthly_totals(monthly_versions, scope, period.start, period.end)
kpis = transforms.metric_kpis(
    current,
    data.monthly_totals(monthly_versions, scope, previous.start, previous.end),
    data.monthly_totals(monthly_versions, scope, trend_start, trend_end),
)
plan = data.activity_plan(versions("activity_plans", *data.REGISTRY), scope, year)
completion = transforms.activity_completion(current, plan, months=month_count).set_index("category")
funds = data.funds(versions("subsidies", *data.REGISTRY), scope, year)
tasks = data.tasks(versions("tasks"), year, last_day)
stages = transforms.sites_by_stage(data.sites_by_stage(versions("demo_sites", *data.REGISTRY), scope), DEMO_SITE_STAGES)
end_label = formatting.month_label(period.end)


def shown(metric: str, value: float | None, unit: str) -> str:
    return formatting.count(value, unit) if metric in WHOLE_COUNTS else formatting.big_number(value, unit)


def note(text: str) -> dict:
    """A grey line under a card's value (no arrow): used for the parts of a rate."""
    return {"delta": text, "delta_arrow": "off", "delta_color": "off"}


def monthly_card(kpi) -> dict:
    if kpi.yoy is None:
        change = note(t("overview.yoy_none"))
    else:
        change = {"delta": formatting.percent(kpi.yoy, signed=True), "delta_description": t("overview.yoy")}
    return {
        "label": t(f"overview.{kpi.metric}"),
        "value": shown(kpi.metric, kpi.value, kpi.unit),
        "help": t("overview.kpi_help", period=title, previous=transforms.period_title(previous), end=end_label),
        "chart_data": kpi.trend or None,
        **change,
    }


def activity_rate_card() -> dict:
    total = completion.loc["合计"]
    held, planned = formatting.count(total["held"], "场"), formatting.count(total["planned"], "场")
    return {
        "label": t("overview.activity_rate"),
        "value": formatting.percent(total["rate"]),
        "help": t(
            "overview.activity_rate_help",
            period=title,
            held=held,
            planned=planned,
            year=year,
            planned_year=formatting.count(total["planned_year"], "场"),
            months=month_count,
        ),
        **note(t("overview.activity_rate_delta", held=held, planned=planned)),
    }


def funds_card() -> dict:
    allocated = formatting.money(funds["allocated"])
    return {
        "label": t("overview.funds_rate"),
        "value": formatting.percent(transforms.execution_rate(funds)),
        "help": t(
            "overview.funds_help",
            year=year,
            spent=formatting.money(funds["spent"]),
            allocated=allocated,
            disbursed=formatting.money(funds["disbursed"]),
        ),
        **note(
            t("overview.funds_delta", spent=f"{funds['spent']:,.2f}", allocated=allocated)
            if funds["allocated"]
            else t("overview.funds_none", year=year)
        ),
    }


def task_card() -> dict:
    return {
        "label": t("overview.task_rate"),
        "value": formatting.percent(transforms.task_completion(tasks)),
        "help": t(
            "overview.task_help",
            year=year,
            end=end_label,
            due=tasks["due"],
            done=tasks["due_done"],
            total=tasks["total"],
            all_done=tasks["done"],
            behind=tasks["behind"],
        ),
        **note(
            t("overview.task_delta", done=tasks["due_done"], due=tasks["due"])
            if tasks["due"]
            else t("overview.task_none", end=end_label)
        ),
    }


def sites_card() -> dict:
    stage_counts = {f"stage_{i}": n for i, n in enumerate(stages["sites"], start=1)}
    return {
        "label": t("overview.demo_sites"),
        "value": t("overview.sites_value", total=int(stages["sites"].sum())),
        "help": t("overview.sites_help"),
        **note(t("overview.sites_delta", **stage_counts)),
    }


monthly = {kpi.metric: monthly_card(kpi) for kpi in kpis.itertuples()}
cards = [
    monthly["visits"],
    monthly["loans"],
    monthly["new_cardholders"],
    monthly["activities"],
    activity_rate_card(),
    monthly["participants"],
    monthly["online_visits"],
    monthly["media_reports"],
    funds_card(),
    task_card(),
    sites_card(),
]
# A grid of equal cards (tablet.py's CSS on this container's key): 3 a row on a landscape iPad, 2 in portrait.
with st.container(horizontal=True, key="overview_kpis"):
    for card in cards[:-1]:
        st.metric(**card, border=True)
    with st.container(key="overview_sites_card"):  # two grid columns wide: the stages fit on one line
        st.metric(**cards[-1], border=True)

# ---- activities by category ---------------------------------------------------------------------------------
st.subheader(t("overview.activity_section"), anchor=False)
st.caption(t("overview.activity_caption", period=title, year=year, months=month_count))
labels = {key: t(f"overview.chart_{key}") for key in ("category", "held", "planned", "rate", "axis")}
st.altair_chart(charts.activity_completion_chart(completion.reset_index(), labels=labels), width="stretch")


# ---- needs attention ----------------------------------------------------------------------------------------
def open_venue(code: str) -> None:
    st.session_state["venue_code"] = code
    st.switch_page("app_pages/venue.py")


def venue_table(frame, key: str, columns: dict) -> None:
    """A table of venues; tapping a row opens the venue's profile when that page is there."""
    if not page_open("venue"):
        st.dataframe(frame, column_order=list(columns), column_config=columns, hide_index=True, row_height=44)
        return
    st.caption(t("overview_alerts.pick_venue"))
    event = st.dataframe(
        frame,
        column_order=list(columns),
        column_config=columns,
        hide_index=True,
        row_height=44,
        key=key,
        on_select="rerun",
        selection_mode="single-row",
    )
    rows = event["selection"]["rows"]
    if rows:
        open_venue(frame.iloc[rows[0]]["venue_code"])


def text_column(key: str):
    return st.column_config.TextColumn(t(f"overview_alerts.{key}"))


def month_column(key: str):
    return st.column_config.DateColumn(t(f"overview_alerts.{key}"), format="YYYY-MM")


def date_column(key: str):
    return st.column_config.DateColumn(t(f"overview_alerts.{key}"), format="YYYY-MM-DD")


VENUE_COLUMNS = {k: text_column(k) for k in ("venue_name", "township", "venue_type", "venue_code")}

today = dt.date.today()
scoped = versions(*data.MONTHLY)
missing = data.missing_reports(scoped, scope, period.start, period.end)
inactive = data.inactive_venues(scoped, scope, period.end)
overdue_tasks = data.task_alerts(versions("tasks"), year, today)
subsidies = data.subsidy_alerts(versions("subsidies", *data.REGISTRY), scope, year)
findings = data.overdue_findings(versions("inspections", *data.REGISTRY), scope, today)

st.subheader(t("overview_alerts.title"), anchor=False)
if all(frame.empty for frame in (missing, inactive, overdue_tasks, subsidies, findings)):
    st.success(t("overview_alerts.none"))

if not missing.empty:
    with st.expander(t("overview_alerts.missing", count=len(missing), period=title), icon=":material/report:"):
        if page_open("completeness"):
            st.page_link(
                "app_pages/completeness.py", label=t("overview_alerts.open_completeness"), icon=":material/fact_check:"
            )
        columns = {
            "venue_name": text_column("venue_name"),
            "township": text_column("township"),
            "missing_months": st.column_config.NumberColumn(t("overview_alerts.missing_months")),
            "last_month": month_column("last_month"),
        } | VENUE_COLUMNS
        venue_table(missing, "overview_alert_missing", columns)

if not inactive.empty:
    label = t("overview_alerts.inactive", count=len(inactive), month=end_label)
    with st.expander(label, icon=":material/event_busy:"):
        columns = {"venue_name": text_column("venue_name"), "last_active": month_column("last_active")} | VENUE_COLUMNS
        venue_table(inactive, "overview_alert_inactive", columns)

if not overdue_tasks.empty:
    with st.expander(t("overview_alerts.tasks", count=len(overdue_tasks)), icon=":material/schedule:"):
        if page_open("plan"):
            st.page_link("app_pages/plan.py", label=t("overview_alerts.open_plan"), icon=":material/checklist:")
        columns = {
            "task_code": text_column("task_code"),
            "title": text_column("task_title"),
            "lead_unit": text_column("lead_unit"),
            "deadline": date_column("deadline"),
            "status": text_column("status"),
            "overdue": st.column_config.CheckboxColumn(t("overview_alerts.overdue")),
            "actual": st.column_config.NumberColumn(t("overview_alerts.actual")),
            "target": st.column_config.NumberColumn(t("overview_alerts.target")),
            "unit": text_column("unit"),
        }
        st.dataframe(overdue_tasks, column_order=list(columns), column_config=columns, hide_index=True, row_height=44)

if not subsidies.empty:
    with st.expander(t("overview_alerts.subsidies", count=len(subsidies), year=year), icon=":material/payments:"):
        if page_open("funds"):
            st.page_link("app_pages/funds.py", label=t("overview_alerts.open_funds"), icon=":material/payments:")
        money = {
            k: st.column_config.NumberColumn(t(f"overview_alerts.{k}"), format="%.4f")
            for k in ("allocated", "disbursed", "spent")
        }
        flags = {
            k: st.column_config.CheckboxColumn(t(f"overview_alerts.{k}"))
            for k in ("spent_over_disbursed", "disbursed_over_allocated")
        }
        columns = (
            {k: text_column(k) for k in ("venue_name", "source", "programme")}
            | money
            | flags
            | {"venue_code": text_column("venue_code")}
        )
        venue_table(subsidies, "overview_alert_subsidies", columns)

if not findings.empty:
    with st.expander(t("overview_alerts.findings", count=len(findings)), icon=":material/gpp_maybe:"):
        columns = (
            {k: text_column(k) for k in ("venue_name", "issue", "status")}
            | {"due": date_column("due"), "township": text_column("township"), "date": date_column("date")}
            | {"venue_code": text_column("venue_code")}
        )
        venue_table(findings, "overview_alert_findings", columns)

# ---- briefing -----------------------------------------------------------------------------------------------
st.subheader(t("overview_briefing.title"), anchor=False)
briefing = data.briefing(versions(*data.BRIEFING), period, scope)
period_arg = {
    "month": f"{period.end:%Y-%m}",
    "quarter": f"{year}-Q{(period.start.month + 2) // 3}",
    "ytd": f"{year}-ytd-{period.end.month}",
    "year": f"{year}",
}[period.kind]
st.caption(t("overview_briefing.caption", period_arg=period_arg))
with st.container(key="overview_briefing"):
    st.code(briefing, language=None, wrap_lines=True)
st.download_button(
    t("overview_briefing.download"),
    briefing.encode("utf-8"),
    file_name=f"工作简报_{period_arg}.txt",
    mime="text/plain",
    icon=":material/download:",
    on_click="ignore",
)
