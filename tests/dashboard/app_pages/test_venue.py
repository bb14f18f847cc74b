"""The venue profile against the demo database, reached the way other pages reach it."""

import json
import re

import pandas as pd
import pyarrow as pa
import pytest
import sqlalchemy as sa

from culture_dash import formatting

LIBRARY_BRANCH = "QX-TSG-J07"  # 青溪区图书馆白鹤分馆: a parent, 村社区图书室 children, months, funds, plans


def sql(session, text: str, **params) -> list[tuple]:
    return [tuple(r) for r in session.execute(sa.text(text), params).all()]


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def facts(at) -> dict[str, str]:
    table = at.table[0].value
    return {unescape(k): unescape(v) for k, v in zip(table.iloc[:, 0], table.iloc[:, 1], strict=True)}


@pytest.fixture
def open_venue(app_as):
    def start(code: str):
        at = app_as("leader")
        at.session_state["venue_code"] = code
        at.switch_page("app_pages/venue.py").run()
        assert not at.exception
        return at

    return start


def test_facts_equal_the_registry(open_venue, demo_session):
    at = open_venue(LIBRARY_BRANCH)
    ((name, kind, township, lon, lat, area, hours, opened, parent, parent_code),) = sql(
        demo_session,
        "select v.name, v.type, t.name, v.lon, v.lat, v.area_m2, v.weekly_hours, v.opened_on, p.name, p.code"
        " from venue v join township t on t.id = v.township_id left join venue p on p.id = v.parent_id"
        " where v.code = :code",
        code=LIBRARY_BRANCH,
    )
    assert at.header[0].value == name
    assert facts(at) == {
        "场馆编码": LIBRARY_BRANCH,
        "场馆类型": kind,
        "所属街镇": township,
        "所属村社区": "—",
        "坐标（WGS-84）": f"东经 {lon:.6f}°，北纬 {lat:.6f}°",
        "建筑面积": f"{area:,.0f} 平方米",
        "周开放时长": f"{hours:g} 小时",
        "免费开放": "是",
        "开放日期": opened,
        "上级场馆": f"{parent}（{parent_code}）",
    }
    assert at.query_params["venue"] == LIBRARY_BRANCH


def table_with(at, column: str) -> pd.DataFrame:
    """The first st.table that has `column`, Markdown escapes removed."""
    frame = next(t.value for t in at.table if column in t.value.columns)
    return frame.map(lambda v: unescape(v) if isinstance(v, str) else v)


def test_children_are_listed_and_open_on_choice(open_venue, demo_session):
    at = open_venue(LIBRARY_BRANCH)
    children = sql(
        demo_session,
        "select c.name, c.type, t.name, c.code from venue c join venue p on p.id = c.parent_id"
        " join township t on t.id = c.township_id where p.code = :code order by c.code",
        code=LIBRARY_BRANCH,
    )
    assert [tuple(r) for r in table_with(at, "编码").values.tolist()] == children
    at.selectbox(key=f"venue_children_{LIBRARY_BRANCH}").set_value(children[1][3]).run()
    assert at.header[0].value == children[1][0]
    assert at.session_state["venue_code"] == children[1][3]
    assert at.query_params["venue"] == children[1][3]


def test_the_parent_button_opens_the_parent(open_venue):
    at = open_venue(LIBRARY_BRANCH)
    at.button(key="venue_open_parent").click().run()
    assert at.header[0].value == "青溪区图书馆"
    assert at.query_params["venue"] == "QX-TSG-001"


def test_months_chart_and_recent_table_equal_the_reports(open_venue, demo_session):
    at = open_venue(LIBRARY_BRANCH)
    reports = sql(
        demo_session,
        "select strftime('%Y-%m', m.month), m.visits, m.loans, m.reading_events + m.exhibition_events"
        " + m.education_events + m.performance_events from monthly_report m join venue v on v.id = m.venue_id"
        " where v.code = :code order by m.month",
        code=LIBRARY_BRANCH,
    )
    (element,) = at.get("vega_lite_chart")
    spec = json.loads(element.proto.spec)
    data = pa.ipc.open_stream(element.proto.datasets[0].data.data).read_all().to_pandas()
    assert spec["title"] == "到馆人次逐月（2023年11月—2026年10月）"
    assert [(pd.Timestamp(m).strftime("%Y-%m"), v) for m, v in data[["month", "value"]].itertuples(index=False)] == [
        (m, v) for m, v, _, _ in reports
    ][-36:]
    recent = table_with(at, "2026年10月")
    newest = reports[::-1][:6]
    assert list(recent.columns) == [f"{int(m[:4])}年{int(m[5:])}月" for m, *_ in newest]
    assert recent.loc["到馆人次（人次）"].tolist() == [f"{v:,}" for _, v, _, _ in newest]
    assert recent.loc["借还册次（册次）"].tolist() == [f"{v:,}" for _, _, v, _ in newest]
    assert recent.loc["活动场次（场）"].tolist() == [f"{v:,}" for *_, v in newest]
    assert f"已报送 {len(reports)} 个月" in " ".join(c.value for c in at.caption)


def test_months_chart_follows_the_chosen_metric(open_venue, demo_session):
    at = open_venue(LIBRARY_BRANCH)
    at.selectbox(key="venue_months_metric").set_value("participants").run()
    expected = sql(
        demo_session,
        "select m.participants from monthly_report m join venue v on v.id = m.venue_id where v.code = :code"
        " order by m.month",
        code=LIBRARY_BRANCH,
    )
    (element,) = at.get("vega_lite_chart")
    data = pa.ipc.open_stream(element.proto.datasets[0].data.data).read_all().to_pandas()
    assert data["value"].tolist() == [v for (v,) in expected]
    assert json.loads(element.proto.spec)["encoding"]["y"]["title"] == "活动参与人次（人次）"


def test_funds_per_year_and_rows_equal_sql(open_venue, demo_session):
    code = "QX-TSG-001"
    at = open_venue(code)
    years = sql(
        demo_session,
        "select s.year, sum(s.allocated), sum(coalesce(s.disbursed, 0)), sum(coalesce(s.spent, 0)) from subsidy s"
        " join venue v on v.id = s.venue_id where v.code = :code group by s.year order by s.year desc",
        code=code,
    )
    lines = [m.value for m in at.markdown if "下达" in m.value]
    assert lines == [
        f"{y}年：下达 {formatting.money(a)}，已拨付 {formatting.money(d)}，已支出 {formatting.money(s)}，"
        f"执行率 {formatting.percent(s / a)}"
        for y, a, d, s in years
    ]
    rows = sql(
        demo_session,
        "select s.year, s.source, s.programme, s.allocated, s.disbursed, s.spent from subsidy s"
        " join venue v on v.id = s.venue_id where v.code = :code",
        code=code,
    )
    table = table_with(at, "资金来源")
    shown = table[["年度", "资金来源", "资金项目", "下达（万元）", "已拨付（万元）", "已支出（万元）"]].values.tolist()
    assert sorted(map(tuple, shown)) == sorted(
        (y, src, prog, f"{a:,.2f}", f"{d:,.2f}", f"{s:,.2f}") for y, src, prog, a, d, s in rows
    )
    flagged = {(y, src, prog) for y, src, prog, a, d, s in rows if d > a or s > d}
    assert {
        (y, src, prog) for y, src, prog, flag in table[["年度", "资金来源", "资金项目", "提示"]].values if flag
    } == flagged


def test_inspections_and_plans_equal_sql(open_venue, demo_session):
    ((code, inspections),) = sql(
        demo_session,
        "select v.code, count(*) from inspection i join venue v on v.id = i.venue_id group by v.code"
        " order by count(*) desc, v.code limit 1",
    )
    at = open_venue(code)
    rows = sql(
        demo_session,
        "select i.date, i.issue, i.status from inspection i join venue v on v.id = i.venue_id where v.code = :code"
        " order by i.date desc, i.issue",
        code=code,
    )
    assert len(rows) == inspections
    assert [tuple(r) for r in table_with(at, "问题类别")[["督查日期", "问题类别", "整改状态"]].values] == [
        (date, issue, status or "—") for date, issue, status in rows
    ]
    planned = sql(
        demo_session,
        "select a.year, a.category, a.planned, (select sum(case a.category when '读书看报' then m.reading_events"
        " when '文化鉴赏及展览' then m.exhibition_events when '公众教育' then m.education_events"
        " else m.performance_events end) from monthly_report m where m.venue_id = a.venue_id"
        " and strftime('%Y', m.month) = cast(a.year as text))"
        " from activity_plan a join venue v on v.id = a.venue_id where v.code = :code",
        code=code,
    )
    table = table_with(at, "活动类别")
    shown = {
        (int(y), c): (p, done) for y, c, p, done in table[["年度", "活动类别", "计划场次（场）", "已举办（场）"]].values
    }
    assert {(y, c): (f"{p:,}", f"{done:,}") for y, c, p, done in planned} == {
        key: shown[key] for key in ((y, c) for y, c, _, _ in planned)
    }


def test_a_link_with_venue_in_the_url_opens_it(app_as):
    at = app_as("leader")
    at.query_params["venue"] = "QX-WHG-001"
    at.switch_page("app_pages/venue.py").run()
    assert at.header[0].value == "青溪区文化馆"


def test_without_a_venue_the_picker_asks_and_opens_the_choice(app_as):
    at = app_as("leader", "venue")
    assert [i.value for i in at.info] == ["请选择一个场馆，查看其档案。"]
    at.selectbox(key="venue_picker").set_value("QX-TSG-001").run()
    assert at.header[0].value == "青溪区图书馆"
    assert at.session_state["venue_code"] == "QX-TSG-001"


def test_with_more_venues_than_one_list_holds_a_township_comes_first(app_as, demo_session, monkeypatch):
    from dashboard import widgets

    monkeypatch.setattr(widgets, "PICKER_LIMIT", 10)  # the demo has 241 venues; a province has 30,011
    at = app_as("leader", "venue")
    towns = sql(demo_session, "select code, name from township order by code")
    picker = at.selectbox(key="venue_picker_township")
    assert picker.options == [f"{name}（{code}）" for code, name in towns]  # a province repeats township names
    assert at.selectbox(key="venue_picker").options == []  # nothing offered before a township is chosen
    town_code = towns[0][0]
    picker.set_value(town_code).run()
    in_town = sql(
        demo_session,
        "select v.name, v.code from venue v join township t on t.id = v.township_id where t.code = :code"
        " order by v.code",
        code=town_code,
    )
    assert at.selectbox(key="venue_picker").options == [f"{name}（{code}）" for name, code in in_town]
    name, code = in_town[0]
    at.selectbox(key="venue_picker").set_value(code).run()
    assert at.header[0].value == name


def test_a_venue_opened_from_elsewhere_sets_the_township_of_a_two_step_picker(app_as, demo_session, monkeypatch):
    from dashboard import widgets

    monkeypatch.setattr(widgets, "PICKER_LIMIT", 10)
    at = app_as("leader")
    at.query_params["venue"] = "QX-WHG-001"
    at.switch_page("app_pages/venue.py").run()
    (town_code,) = sql(
        demo_session,
        "select t.code from venue v join township t on t.id = v.township_id where v.code = 'QX-WHG-001'",
    )[0]
    assert at.selectbox(key="venue_picker_township").value == town_code
    assert at.selectbox(key="venue_picker").value == "QX-WHG-001"
    assert at.header[0].value == "青溪区文化馆"
    assert not at.exception and at.warning.len == 0


def test_an_unknown_code_warns_and_shows_the_picker(open_venue):
    at = open_venue("NO-SUCH")
    assert [w.value for w in at.warning] == ["没有编码为「NO-SUCH」的场馆。"]
    assert [i.value for i in at.info] == ["请选择一个场馆，查看其档案。"]


def test_demo_site_stage_and_rooms(open_venue, demo_session):
    ((code, batch, level, stage, stage_date),) = sql(
        demo_session,
        "select v.code, d.batch_year, d.level, d.stage, d.stage_date from demo_site d join venue v on v.id = d.venue_id"
        " order by v.code limit 1",
    )
    at = open_venue(code)
    shown = [unescape(m.value) for m in at.markdown]
    assert f"{batch}年批次 · {level} · 当前阶段：{stage}（{stage_date}）" in shown
