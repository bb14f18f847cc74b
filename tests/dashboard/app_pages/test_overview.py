"""The overview against the demo database: each card, the chart, the alerts and the briefing equal plain SQL."""

import datetime as dt
import io
import json

import pyarrow as pa
import pytest
import sqlalchemy as sa

from culture_dash import formatting
from culture_dash.briefing import briefing_text
from culture_dash.periods import Period
from culture_dash.queries.overview import Scope

EVENTS = (
    "COALESCE(reading_events,0)+COALESCE(exhibition_events,0)+COALESCE(education_events,0)"
    "+COALESCE(performance_events,0)"
)
LABELS = [
    "到馆人次",
    "借还册次",
    "新增持证",
    "举办活动",
    "活动计划完成率",
    "活动参与",
    "线上服务",
    "媒体报道",
    "资金执行率",
    "重点任务完成率",
    "示范点",
]


def one(session, text: str, **params):
    return session.execute(sa.text(text), params).one()


def total(session, column: str, start: dt.date, end: dt.date, township: str | None = None):
    where = " AND t.code = :township" if township else ""
    return one(
        session,
        f"SELECT SUM({column}) FROM monthly_report m JOIN venue v ON v.id = m.venue_id"
        f" JOIN township t ON t.id = v.township_id WHERE m.month BETWEEN :start AND :end{where}",
        start=start,
        end=end,
        township=township,
    )[0]


@pytest.fixture
def latest(demo_session) -> dt.date:
    return dt.date.fromisoformat(one(demo_session, "SELECT MAX(month) FROM monthly_report")[0])


@pytest.fixture
def overview(app_as):
    at = app_as("leader")
    assert not at.exception
    return at


def cards(at) -> dict:
    return {m.label: m for m in at.metric}


def test_the_cards_of_the_latest_month_equal_the_database(overview, demo_session, latest):
    before = latest.replace(year=latest.year - 1)
    assert [m.label for m in overview.metric] == LABELS
    assert overview.caption[0].value == (
        f"统计期：{formatting.month_label(latest)}　范围：全区 · 全部体系 · 全部类型（最新有数据的月份）"
    )
    shown = cards(overview)
    for label, column, unit, writer in (
        ("到馆人次", "visits", "人次", formatting.big_number),
        ("借还册次", "loans", "册次", formatting.big_number),
        ("新增持证", "new_cardholders", "人", formatting.big_number),
        ("举办活动", EVENTS, "场", formatting.count),
        ("活动参与", "participants", "人次", formatting.big_number),
        ("线上服务", "online_visits", "人次", formatting.big_number),
        ("媒体报道", "media_reports", "次", formatting.count),
    ):
        now, then = total(demo_session, column, latest, latest), total(demo_session, column, before, before)
        assert shown[label].value == writer(now, unit), label
        assert shown[label].delta == formatting.percent(now / then - 1, signed=True), label
        assert shown[label].proto.delta_description == "同比"


def test_sparklines_are_the_last_twelve_months(overview, demo_session, latest):
    start = dt.date(latest.year - 1, latest.month + 1, 1) if latest.month < 12 else dt.date(latest.year, 1, 1)
    rows = demo_session.execute(
        sa.text(
            "SELECT month, SUM(visits) FROM monthly_report WHERE month BETWEEN :s AND :e GROUP BY month ORDER BY month"
        ),
        {"s": start, "e": latest},
    ).all()
    assert len(rows) == 12
    assert list(cards(overview)["到馆人次"].proto.chart_data) == [float(v) for _, v in rows]


def test_rates_funds_tasks_and_sites_equal_the_database(overview, demo_session, latest):
    shown = cards(overview)
    held = total(demo_session, EVENTS, latest, latest)
    (planned_year,) = one(demo_session, "SELECT SUM(planned) FROM activity_plan WHERE year = :y", y=latest.year)
    planned = planned_year / 12  # one month of the year's plan
    assert shown["活动计划完成率"].value == formatting.percent(held / planned)
    parts = f"举办{formatting.count(held, '场')} / 计划{formatting.count(planned, '场')}"
    assert shown["活动计划完成率"].delta == parts

    allocated, spent = one(
        demo_session, "SELECT SUM(allocated), SUM(spent) FROM subsidy WHERE year = :y", y=latest.year
    )
    assert shown["资金执行率"].value == formatting.percent(spent / allocated)

    last_day = dt.date(latest.year, latest.month + 1, 1) - dt.timedelta(days=1)
    due, due_done = one(
        demo_session,
        "SELECT COUNT(*), SUM(status = '已完成') FROM task WHERE year = :y AND deadline <= :d",
        y=latest.year,
        d=last_day,
    )
    assert shown["重点任务完成率"].value == formatting.percent(due_done / due)
    assert shown["重点任务完成率"].delta == f"完成{due_done} / 到期{due}项"

    stages = dict(demo_session.execute(sa.text("SELECT stage, COUNT(*) FROM demo_site GROUP BY stage")).all())
    assert shown["示范点"].value == f"{sum(stages.values())}个"
    assert shown["示范点"].delta == (
        f"已授牌{stages['已授牌']} · 已验收{stages['已验收']} · 建设中{stages['建设中']} · 申报{stages['申报']}"
    )


def test_a_township_and_a_year_to_date_narrow_every_card(overview, demo_session, latest):
    code, name = one(demo_session, "SELECT code, name FROM township ORDER BY code DESC LIMIT 1")
    overview.selectbox(key="overview_township").set_value(code).run()
    overview.button_group(key="overview_kind").set_value("ytd").run()
    start = dt.date(latest.year, 1, 1)
    assert overview.caption[0].value.startswith(f"统计期：{latest.year}年1—{latest.month}月　范围：{name}")
    visits = total(demo_session, "visits", start, latest, code)
    a_year_earlier = (start.replace(year=latest.year - 1), latest.replace(year=latest.year - 1))
    before = total(demo_session, "visits", *a_year_earlier, code)
    assert cards(overview)["到馆人次"].value == formatting.big_number(visits, "人次")
    assert cards(overview)["到馆人次"].delta == formatting.percent(visits / before - 1, signed=True)


def test_the_library_system_counts_only_library_venues(overview, demo_session, latest):
    overview.selectbox(key="overview_system").set_value("library").run()
    (visits,) = one(
        demo_session,
        "SELECT SUM(visits) FROM monthly_report m JOIN venue v ON v.id = m.venue_id WHERE m.month = :m AND v.type IN"
        " ('图书馆','图书馆直属分馆','街镇图书分馆','村社区图书室','24小时自助图书馆','流动服务点')",
        m=latest,
    )
    assert cards(overview)["到馆人次"].value == formatting.big_number(visits, "人次")
    # The type filter offers only the system's types.
    assert overview.selectbox(key="overview_type_library").options == [
        "全部类型",
        "图书馆",
        "图书馆直属分馆",
        "街镇图书分馆",
        "村社区图书室",
        "24小时自助图书馆",
        "流动服务点",
    ]


def test_the_activity_chart_carries_held_and_planned_per_category(overview, demo_session, latest):
    chart = overview.get("vega_lite_chart")[0]
    table = pa.ipc.open_stream(io.BytesIO(chart.proto.datasets[0].data.data)).read_all().to_pandas()
    held = [
        total(demo_session, c, latest, latest)
        for c in ("reading_events", "exhibition_events", "education_events", "performance_events")
    ]
    assert list(table["category"]) == ["读书看报", "文化鉴赏及展览", "公众教育", "文艺演出"]
    assert list(table["held"]) == held
    assert json.loads(chart.proto.spec)["layer"][0]["mark"]["type"] == "bar"


def test_alerts_name_the_venues_and_tasks(overview, demo_session, latest):
    missing = [
        r[0]
        for r in demo_session.execute(
            sa.text(
                "SELECT v.code FROM venue v JOIN township t ON t.id = v.township_id WHERE NOT EXISTS"
                " (SELECT 1 FROM monthly_report m WHERE m.venue_id = v.id AND m.month = :m)"
                " AND (v.opened_on IS NULL OR v.opened_on <= :d) ORDER BY t.code, v.code"
            ),
            {"m": latest, "d": dt.date(latest.year, latest.month + 1, 1) - dt.timedelta(days=1)},
        )
    ]
    labels = [e.label for e in overview.expander]
    assert labels[0] == f"未报送：{len(missing)} 个场馆缺{formatting.month_label(latest)}月报"
    assert list(overview.dataframe[0].value["venue_code"]) == missing
    link = overview.page_link[0].proto
    assert (link.label, link.page) == ("查看报送情况", "completeness")
    (behind,) = one(
        demo_session,
        "SELECT COUNT(*) FROM task WHERE year = :y AND (status = '滞后' OR (deadline < :today AND status != '已完成'))",
        y=latest.year,
        today=dt.date.today(),
    )
    assert f"任务：{behind} 项重点任务逾期或滞后" in labels


def test_tapping_an_alert_row_opens_the_venue_profile(overview):
    first = overview.dataframe[0].value["venue_code"].iloc[0]
    overview.session_state["overview_alert_missing"] = {"selection": {"rows": [0], "columns": []}}
    overview.run()
    assert overview.session_state["venue_code"] == first
    assert overview.title[0].value == "场馆档案"
    overview.switch_page("app_pages/overview.py").run()  # and back: the old tap does not open it again
    assert overview.title[0].value == "总览"


def test_the_briefing_is_the_cli_paragraph(overview, demo_session, latest):
    assert overview.code[0].value == briefing_text(demo_session, Period.month(latest), Scope())


def test_every_string_comes_from_the_catalog_in_english_too(app_as):
    at = app_as("leader")
    at.session_state["language"] = "en"
    at.run()
    assert [m.label for m in at.metric][:3] == ["Visits", "Loans", "New cardholders"]
    texts = [m.label for m in at.metric] + [e.label for e in at.expander] + [c.value for c in at.caption]
    assert not [text for text in texts if "overview" in text]


def test_alert_links_point_only_at_pages_that_exist_and_the_role_may_open(app_as):
    from pathlib import Path

    from culture_dash.permissions import may_view

    pages = Path(__file__).resolve().parents[3] / "dashboard" / "app_pages"
    at = app_as("leader")
    assert not at.exception
    linked = [Path(link.proto.page).stem for link in at.page_link]
    assert "completeness" in linked
    assert all(may_view("leader", page) and (pages / f"{page}.py").exists() for page in linked), linked


@pytest.mark.parametrize(
    ("kind", "title", "start", "end"),
    [
        ("quarter", "2026年第三季度", dt.date(2026, 7, 1), dt.date(2026, 9, 1)),
        ("year", "2025年", dt.date(2025, 1, 1), dt.date(2025, 12, 1)),
    ],
)
def test_a_quarter_or_a_year_sums_its_months_and_pro_rates_the_plan(overview, demo_session, kind, title, start, end):
    overview.button_group(key="overview_kind").set_value(kind).run()
    box = overview.selectbox(key=f"overview_period_{kind}")
    box.select_index(box.options.index(title)).run()
    assert overview.caption[0].value.startswith(f"统计期：{title}　")
    visits = total(demo_session, "visits", start, end)
    assert cards(overview)["到馆人次"].value == formatting.big_number(visits, "人次")
    months = end.month - start.month + 1
    held = total(demo_session, EVENTS, start, end)
    (planned_year,) = one(demo_session, "SELECT SUM(planned) FROM activity_plan WHERE year = :y", y=start.year)
    assert cards(overview)["活动计划完成率"].value == formatting.percent(held / (planned_year * months / 12))
