"""计划进度: the year's task ledger with progress bars, status counts, activities against plan, a task's history."""

import datetime as dt

import streamlit as st

from culture_dash import formatting
from culture_dash.formatting import plain
from culture_dash.ingest.kinds import TASK_STATUSES
from culture_dash.transforms import plan as transforms
from dashboard import data, data_plan
from dashboard.auth_ui import require_page
from dashboard.charts import plan as charts
from dashboard.i18n import t

FILTER_WIDTH = 200
STATUS_KEYS = dict(zip(TASK_STATUSES, ("kpi_not_started", "kpi_on_track", "kpi_behind", "kpi_done"), strict=True))

require_page("plan")
st.title(t("plan.title"), anchor=False)
st.caption(t("plan.intro"))

today = dt.date.today()
task_versions = data.version(*data_plan.TASKS)
years = data_plan.task_years(task_versions)
if not years:
    st.info(t("plan.no_tasks", year=today.year))
    st.stop()

# ── Which tasks ────────────────────────────────────────────────────────────────────────────────────────────────
with st.container(horizontal=True, vertical_alignment="bottom", key="plan_filters"):
    year = st.selectbox(
        t("plan.year"), years, format_func=lambda y: t("plan.year_option", year=y), key="plan_year", width=140
    )
    ledger = transforms.ledger(data_plan.tasks(task_versions, year), today=today)
    sections = st.multiselect(
        t("plan.section"),
        sorted(ledger["section"].dropna().unique()),
        placeholder=t("plan.all"),
        key=f"plan_sections_{year}",
        width=FILTER_WIDTH,
    )
    lead_units = st.multiselect(
        t("plan.lead_unit"),
        sorted(ledger["lead_unit"].dropna().unique()),
        placeholder=t("plan.all"),
        key=f"plan_lead_units_{year}",
        width=FILTER_WIDTH,
    )
    statuses = st.multiselect(
        t("plan.status"), list(TASK_STATUSES), placeholder=t("plan.all"), key="plan_statuses", width=FILTER_WIDTH
    )

shown = transforms.filtered(ledger, sections=sections, lead_units=lead_units, statuses=statuses)
st.caption(t("plan.filtered_caption", year=year, shown=len(shown), total=len(ledger), today=today.isoformat()))

# ── Status counts ──────────────────────────────────────────────────────────────────────────────────────────────
counts = transforms.status_counts(shown)


def share(count: int) -> str:
    return formatting.percent(count / counts["total"] if counts["total"] else None)


def note(text: str) -> dict:
    return {"delta": text, "delta_arrow": "off", "delta_color": "off"}


cards = [
    {
        "label": t(f"plan.{STATUS_KEYS[status]}"),
        "value": t("plan.count_value", count=counts[status]),
        **note(t("plan.share_note", share=share(counts[status]))),
    }
    for status in ("已完成", "序时推进", "滞后", "未启动")
]
cards.append(
    {
        "label": t("plan.kpi_overdue"),
        "value": t("plan.count_value", count=counts["overdue"]),
        "help": t("plan.overdue_help", today=today.isoformat()),
        **note(t("plan.share_note", share=share(counts["overdue"]))),
    }
)
cards.append(
    {
        "label": t("plan.kpi_completion"),
        "value": formatting.percent(counts["completion"]),
        "help": t("plan.completion_help", year=year),
        **note(t("plan.completion_note", done=counts["已完成"], total=counts["total"])),
    }
)
with st.container(horizontal=True, key="kpis_plan"):  # a grid of equal cards (tablet.py)
    for card in cards:
        st.metric(**card, border=True)

# ── The ledger ─────────────────────────────────────────────────────────────────────────────────────────────────
st.subheader(t("plan.ledger_title"), anchor=False)


def text(key: str, **kwargs):
    return st.column_config.TextColumn(t(f"plan.col_{key}"), **kwargs)


def number(key: str):
    return st.column_config.NumberColumn(t(f"plan.col_{key}"), format="%g")


LEDGER_COLUMNS = {
    "status": text("status"),
    "overdue": st.column_config.CheckboxColumn(t("plan.col_overdue")),
    "task_code": text("task_code"),
    "title": text("title", width=340),
    # The bar stops at 100 % while its label shows the real share (verified in Streamlit 1.67: 118 % draws full).
    "progress": st.column_config.ProgressColumn(
        t("plan.col_bar"), min_value=0, max_value=100, format="%.0f%%", help=t("plan.bar_help"), width=140
    ),
    "actual": number("actual"),
    "target": number("target"),
    "unit": text("unit"),
    "deadline": st.column_config.DateColumn(t("plan.col_deadline"), format="YYYY-MM-DD"),
    "lead_unit": text("lead_unit"),
    "section": text("section"),
    "progress_note": text("note", width="large"),
    "as_of": st.column_config.DateColumn(t("plan.col_as_of"), format="YYYY-MM-DD"),
    "co_units": text("co_units"),
}
if shown.empty:
    st.info(t("plan.no_match"))
else:
    st.caption(t("plan.ledger_pick"))
    event = st.dataframe(
        shown,
        column_order=list(LEDGER_COLUMNS),
        column_config=LEDGER_COLUMNS,
        hide_index=True,
        row_height=40,
        key=f"plan_ledger_{year}",
        on_select="rerun",
        selection_mode="single-row",
    )
    picked = event["selection"]["rows"]
    # A tapped row chooses the history's task once; the selection lingers, so the task box may change it again.
    tapped = shown.iloc[picked[0]]["task_code"] if picked else None
    if tapped != st.session_state.get("plan_tapped"):
        st.session_state["plan_tapped"] = tapped
        if tapped is not None:
            st.session_state["plan_task"] = tapped

# ── Activities planned vs held ─────────────────────────────────────────────────────────────────────────────────
activity_versions = data.version(*data_plan.ACTIVITIES)
latest = data_plan.latest_report_month(activity_versions, year)
months = transforms.months_elapsed(latest)
progress = transforms.activity_progress(data_plan.activities(activity_versions, year), months=months)
st.subheader(t("plan.activities_title", year=year), anchor=False)
if latest is None:
    st.caption(t("plan.activities_none", year=year))
else:
    st.caption(
        t(
            "plan.activities_caption",
            month=formatting.month_label(latest),
            months=months,
            share=formatting.percent(months / 12),
        )
    )
total = progress.set_index("category").loc["合计"]
with st.container(horizontal=True, key="kpis_plan_activities"):
    for label, value in (
        (t("plan.total_planned"), formatting.count(total["planned"], "场")),
        (t("plan.total_held"), formatting.count(total["held"], "场")),
        (t("plan.total_rate"), formatting.percent(total["rate"])),
    ):
        st.metric(label, value, border=True)
labels = {key: t(f"plan.chart_{key}") for key in ("category", "planned", "held", "expected", "rate", "axis")}
st.altair_chart(charts.activities_chart(progress, labels=labels), width="stretch")

# ── One task's history ─────────────────────────────────────────────────────────────────────────────────────────
st.subheader(t("plan.history_title"), anchor=False)
codes = list(ledger["task_code"])
titles = dict(zip(ledger["task_code"], ledger["title"], strict=True))
if st.session_state.get("plan_task") not in codes:
    st.session_state["plan_task"] = shown["task_code"].iloc[0] if not shown.empty else codes[0]
code = st.selectbox(t("plan.history_task"), codes, format_func=lambda c: f"{c} {titles[c]}", key="plan_task", width=520)
task = ledger.set_index("task_code").loc[code]
unit = task["unit"] or ""
target = None if task["target"] is None or task["target"] != task["target"] else float(task["target"])
st.caption(
    plain(
        t(
            "plan.history_caption",
            target=f"{target:g}" if target is not None else "—",
            unit=unit,
            deadline=task["deadline"].isoformat() if task["deadline"] else "—",
            status=task["status"] or "—",
        )
    )
)
history = data_plan.task_history(task_versions, year, code)
if history.empty:
    st.info(t("plan.history_empty"))
else:
    chart_labels = {
        "as_of": t("plan.history_as_of"),
        "as_of_axis": t("plan.history_as_of"),
        "actual": t("plan.history_actual"),
        "status": t("plan.history_status"),
        "target": t("plan.history_target"),
        "axis": t("plan.history_axis", unit=unit or t("plan.no_unit")),
    }
    points = transforms.history_points(history)
    st.altair_chart(charts.history_chart(points, target=target, labels=chart_labels), width="stretch")
    notes = transforms.history_notes(history).rename(
        columns={
            "as_of": t("plan.history_as_of"),
            "actual": t("plan.history_actual"),
            "status": t("plan.history_status"),
            "progress_note": t("plan.history_note"),
        }
    )
    st.table(notes, hide_index=True)
