"""计划进度 against the demo database: cards, ledger rows, the activities chart and a task's history equal SQL."""

import datetime as dt
import io
import json

import pyarrow as pa
import pytest
import sqlalchemy as sa

from culture_dash import formatting

EVENTS = ("reading_events", "exhibition_events", "education_events", "performance_events")
CATEGORIES = ["读书看报", "文化鉴赏及展览", "公众教育", "文艺演出"]


def rows(session, text: str, **params) -> list:
    return session.execute(sa.text(text), params).all()


def chart_frame(chart, index: int = 0):
    return pa.ipc.open_stream(io.BytesIO(chart.proto.datasets[index].data.data)).read_all().to_pandas()


@pytest.fixture
def plan(app_as):
    at = app_as("leader", "plan")
    assert not at.exception
    return at


@pytest.fixture
def year(demo_session) -> int:
    return rows(demo_session, "SELECT MAX(year) FROM task")[0][0]


def cards(at) -> dict[str, tuple[str, str]]:
    return {m.label: (m.value, m.delta) for m in at.metric}


def test_status_cards_and_completion_rate_equal_sql(plan, demo_session, year):
    today = dt.date.today()
    counts = dict(rows(demo_session, "SELECT status, COUNT(*) FROM task WHERE year = :y GROUP BY status", y=year))
    total = sum(counts.values())
    ((overdue,),) = rows(
        demo_session,
        "SELECT COUNT(*) FROM task WHERE year = :y AND deadline < :today AND status != '已完成'",
        y=year,
        today=today,
    )
    shown = cards(plan)
    for status in ("已完成", "序时推进", "滞后", "未启动"):
        assert shown[status][0] == f"{counts.get(status, 0)}项"
    assert shown["逾期"][0] == f"{overdue}项"
    assert shown["完成率"] == (
        formatting.percent(counts["已完成"] / total),
        f"已完成 {counts['已完成']} / {total} 项",
    )
    assert plan.selectbox(key="plan_year").value == year


def test_ledger_lists_overdue_then_behind_then_the_rest_with_real_progress(plan, demo_session, year):
    today = dt.date.today()
    ledger = plan.dataframe[0].value
    expected = rows(
        demo_session,
        "SELECT task_code, actual * 100.0 / target, deadline < :today AND status != '已完成', status"
        " FROM task WHERE year = :y",
        y=year,
        today=today,
    )
    assert sorted(ledger["task_code"]) == sorted(r[0] for r in expected)
    rank = {code: 0 if overdue else 1 if status == "滞后" else 2 for code, _, overdue, status in expected}
    ranks = [rank[code] for code in ledger["task_code"]]
    assert ranks == sorted(ranks) and ranks[0] == 0
    progress = {code: value for code, value, _, _ in expected}
    assert all(ledger["progress"][i] == pytest.approx(progress[c]) for i, c in enumerate(ledger["task_code"]))
    # A task done beyond its target keeps its real share (the bar itself stops at 100 %).
    assert ledger["progress"].max() == pytest.approx(max(progress.values())) and ledger["progress"].max() > 100


def test_filters_narrow_the_ledger_and_the_cards(plan, demo_session, year):
    plan.multiselect(key="plan_statuses").set_value(["滞后"]).run()
    behind = rows(demo_session, "SELECT task_code FROM task WHERE year = :y AND status = '滞后'", y=year)
    assert sorted(plan.dataframe[0].value["task_code"]) == sorted(r[0] for r in behind)
    assert cards(plan)["滞后"][0] == f"{len(behind)}项" and cards(plan)["已完成"][0] == "0项"

    unit = rows(demo_session, "SELECT lead_unit FROM task WHERE year = :y AND status = '滞后' LIMIT 1", y=year)[0][0]
    plan.multiselect(key=f"plan_lead_units_{year}").set_value([unit]).run()
    both = rows(
        demo_session,
        "SELECT task_code FROM task WHERE year = :y AND status = '滞后' AND lead_unit = :u",
        y=year,
        u=unit,
    )
    assert sorted(plan.dataframe[0].value["task_code"]) == sorted(r[0] for r in both)


def test_activities_planned_and_held_equal_sql(plan, demo_session, year):
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 1)
    planned = dict(
        rows(demo_session, "SELECT category, SUM(planned) FROM activity_plan WHERE year = :y GROUP BY category", y=year)
    )
    held = rows(
        demo_session,
        f"SELECT {', '.join(f'SUM({c})' for c in EVENTS)}, MAX(month) FROM monthly_report"
        " WHERE month BETWEEN :s AND :e",
        s=start,
        e=end,
    )[0]
    shown = cards(plan)
    assert shown["全年计划"][0] == formatting.count(sum(planned.values()), "场")
    assert shown["已举办"][0] == formatting.count(sum(held[:4]), "场")
    latest = dt.date.fromisoformat(held[4])
    assert any(
        f"月报已报至 {formatting.month_label(latest)}，全年已过 {latest.month} 个月" in c.value for c in plan.caption
    )
    chart = plan.get("vega_lite_chart")[0]
    frame = chart_frame(chart)
    assert list(frame["category"]) == CATEGORIES
    assert list(frame["planned"]) == [planned.get(c, 0) for c in CATEGORIES]
    assert list(frame["held"]) == list(held[:4])
    assert list(frame["expected"]) == [round(planned.get(c, 0) * latest.month / 12, 1) for c in CATEGORIES]
    assert json.loads(chart.proto.spec)["layer"][2]["mark"]["type"] == "tick"


def test_history_of_a_chosen_task_equals_its_progress_points(plan, demo_session, year):
    code = "RW-08"
    plan.selectbox(key="plan_task").set_value(code).run()
    points = rows(
        demo_session,
        "SELECT as_of, actual, status, progress_note FROM task_progress WHERE year = :y AND task_code = :c"
        " ORDER BY as_of",
        y=year,
        c=code,
    )
    ((target,),) = rows(demo_session, "SELECT target FROM task WHERE year = :y AND task_code = :c", y=year, c=code)
    chart = plan.get("vega_lite_chart")[1]
    line = chart_frame(chart, 0)
    assert list(line["as_of"]) == [p[0] for p in points if p[1] is not None]
    assert list(line["actual"]) == [p[1] for p in points if p[1] is not None]
    assert list(chart_frame(chart, 1)["target"]) == [target]
    notes = plan.table[0].value
    assert notes["进展情况"].tolist() == [p[3] or "" for p in reversed(points)]
    assert notes["更新日期"].tolist() == [p[0] for p in reversed(points)]


def test_tapping_a_ledger_row_shows_that_tasks_history(plan):
    second = plan.dataframe[0].value["task_code"].iloc[1]
    plan.session_state[f"plan_ledger_{plan.selectbox(key='plan_year').value}"] = {
        "selection": {"rows": [1], "columns": []}
    }
    plan.run()
    assert plan.selectbox(key="plan_task").value == second
    # The row stays selected; choosing another task in the box still wins.
    other = plan.dataframe[0].value["task_code"].iloc[2]
    plan.selectbox(key="plan_task").set_value(other).run()
    assert plan.selectbox(key="plan_task").value == other


def test_english_catalog(app_as):
    at = app_as("leader")
    at.session_state["language"] = "en"
    at.run()
    at.switch_page("app_pages/plan.py").run()
    assert [m.label for m in at.metric][:6] == ["Done", "On track", "Behind", "Not started", "Overdue", "Completion"]
    texts = [m.label for m in at.metric] + [c.value for c in at.caption] + [s.value for s in at.subheader]
    assert not [text for text in texts if text.startswith("plan.")]  # an untranslated key shows as itself
