"""报送情况 against a copy of the demo database: the counts, the rates and the missing venues equal plain SQL."""

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from culture_dash import formatting
from culture_dash.ingest.pipeline import import_file
from culture_dash.permissions import Actor
from tests.factories import csv_bytes

EXPECTED = "(v.opened_on IS NULL OR v.opened_on <= :month_end)"
REPORTED = "EXISTS (SELECT 1 FROM monthly_report m WHERE m.venue_id = v.id AND m.month = :month)"


def per_township(session, month: str, month_end: str) -> list[list]:
    return [
        list(r)
        for r in session.execute(
            sa.text(
                f"SELECT t.name, COUNT(*), SUM({REPORTED}) FROM venue v JOIN township t ON t.id = v.township_id"
                f" WHERE {EXPECTED} GROUP BY t.code, t.name ORDER BY t.code"
            ),
            {"month": f"{month}-01", "month_end": month_end},
        ).all()
    ]


def missing(session, month: str, month_end: str, township: str | None = None) -> list[list]:
    where = " AND t.code = :township" if township else ""
    return [
        list(r)
        for r in session.execute(
            sa.text(
                "SELECT t.name, v.code, v.name, v.type FROM venue v JOIN township t ON t.id = v.township_id"
                f" WHERE {EXPECTED} AND NOT {REPORTED}{where} ORDER BY t.code, v.code"
            ),
            {"month": f"{month}-01", "month_end": month_end, "township": township},
        ).all()
    ]


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def venue_tables(at) -> list:
    return [d.value for d in at.dataframe if "场馆编码" in d.value.columns]


@pytest.fixture
def leader_page(app_as):
    return app_as("leader", "completeness")


def test_the_latest_month_is_shown_with_counts_and_rates_per_township(leader_page, demo_session):
    assert leader_page.selectbox(key="completeness_month").value.isoformat() == "2026-10-01"
    towns = per_township(demo_session, "2026-10", "2026-10-31")
    expected, reported = sum(r[1] for r in towns), sum(r[2] for r in towns)
    assert metrics(leader_page) == {
        "应报送场馆": f"{expected}个",
        "已报送": f"{reported}个",
        "未报送": f"{expected - reported}个",
        "报送率": formatting.percent(reported / expected),
    }
    table = leader_page.dataframe[0].value
    assert list(table.columns) == ["街镇", "应报（个）", "已报（个）", "未报（个）", "报送率"]
    assert table.values.tolist() == [
        [name, due, done, due - done, round(done / due * 100, 1)] for name, due, done in towns
    ]


def test_the_missing_venues_are_grouped_by_township(leader_page, demo_session):
    rows = missing(demo_session, "2026-10", "2026-10-31")
    towns = {name: (due, done) for name, due, done in per_township(demo_session, "2026-10", "2026-10-31")}
    names = list(dict.fromkeys(r[0] for r in rows))
    assert [e.label for e in leader_page.expander] == [
        f"{name}　已报 {towns[name][1]}/{towns[name][0]}（{formatting.percent(towns[name][1] / towns[name][0])}）"
        for name in names
    ]
    shown = [table.values.tolist() for table in venue_tables(leader_page)]
    assert shown == [
        [[code, venue, kind, "未报送"] for town, code, venue, kind in rows if town == name] for name in names
    ]
    assert sum(len(t) for t in shown) == len(rows) > 0


def test_beyond_a_readable_number_of_sections_the_venues_are_one_table_with_their_township(
    app_as, demo_session, monkeypatch
):
    from dashboard import tablet

    monkeypatch.setattr(tablet, "MAX_SECTIONS", 3)  # the demo has 16 townships; a province has 1,212
    page = app_as("leader", "completeness")
    rows = missing(demo_session, "2026-10", "2026-10-31")
    assert len({r[0] for r in rows}) > 3
    assert page.expander.len == 0
    [table] = venue_tables(page)
    assert list(table.columns) == ["街镇", "场馆编码", "场馆名称", "场馆类型", "状态"]
    assert table.values.tolist() == [[*r, "未报送"] for r in rows]
    assert any("名单合为一张表" in c.value for c in page.caption)


def test_a_township_and_all_venues_narrow_the_page(leader_page, demo_session):
    code, name = demo_session.execute(sa.text("SELECT code, name FROM township ORDER BY code LIMIT 1")).one()
    leader_page.selectbox(key="completeness_township").set_value(code).run()
    leader_page.segmented_control(key="completeness_show").set_value("all").run()
    due, done = next((d, r) for n, d, r in per_township(demo_session, "2026-10", "2026-10-31") if n == name)
    assert metrics(leader_page)["应报送场馆"] == f"{due}个"
    assert metrics(leader_page)["已报送"] == f"{done}个"
    [table] = venue_tables(leader_page)
    assert len(table) == due
    assert (table["状态"] == "未报送").sum() == due - done
    assert leader_page.subheader[1].value == f"{name}：2026年10月场馆报送明细"


def test_the_reported_venues_are_listed_and_the_export_still_holds_the_missing_ones(leader_page, demo_session):
    leader_page.segmented_control(key="completeness_show").set_value("reported").run()
    due = sum(d for _, d, _ in per_township(demo_session, "2026-10", "2026-10-31"))
    rows = [r for table in venue_tables(leader_page) for r in table.values.tolist()]
    assert {r[3] for r in rows} == {"已报送"}
    assert len(rows) == due - len(missing(demo_session, "2026-10", "2026-10-31"))
    buttons = [b for b in leader_page.get("download_button") if b.proto.id and "completeness_export" in b.proto.id]
    assert len(buttons) == 2 and not any(b.proto.disabled for b in buttons)


def test_a_township_user_starts_on_their_own_township_and_can_pick_another_month(app_as, demo_session):
    at = app_as("township", "completeness")
    code, name = demo_session.execute(sa.text("SELECT code, name FROM township ORDER BY code LIMIT 1")).one()
    assert at.selectbox(key="completeness_township").value == code
    rows = missing(demo_session, "2026-10", "2026-10-31", code)
    assert [r for t in venue_tables(at) for r in t.values.tolist()] == [[c, v, k, "未报送"] for _, c, v, k in rows]
    assert len(rows) > 0
    at.selectbox(key="completeness_month").set_value(dt.date(2026, 9, 1)).run()
    assert missing(demo_session, "2026-09", "2026-09-30", code) == []
    assert venue_tables(at) == []
    assert [s.value for s in at.success] == [f"{name}2026年9月的场馆全部已报送。"]


def test_an_upload_shows_at_the_next_run_without_clearing_caches(leader_page, demo_session):
    code = missing(demo_session, "2026-10", "2026-10-31")[0][1]
    before = metrics(leader_page)["已报送"]
    report = import_file(
        demo_session,
        csv_bytes("monthly", [{"month": "2026-10", "venue_code": code, "visits": "1"}]),
        "补报.csv",
        actor=Actor("staff", "staff"),
    )
    assert report.batch_id
    leader_page.run()
    assert metrics(leader_page)["已报送"] == f"{int(before.removesuffix('个')) + 1}个"
    assert code not in [r for t in venue_tables(leader_page) for r in t["场馆编码"]]


@pytest.mark.parametrize("how", ["session_state", "query_param"])
def test_another_page_can_link_to_a_month(app_as, how):
    at = app_as("staff")
    if how == "session_state":
        at.session_state["completeness_month"] = dt.date(2026, 8, 1)
    else:
        at.query_params["month"] = "2026-08"
    at.switch_page("app_pages/completeness.py").run()
    assert at.selectbox(key="completeness_month").value == dt.date(2026, 8, 1)
    assert at.subheader[0].value == "各街镇报送率（2026年8月）"


@pytest.mark.parametrize(
    ("page", "title"),
    [("completeness", "Reporting completeness"), ("history", "Upload history"), ("upload", "Upload data")],
)
def test_the_upload_pages_speak_english_from_the_catalog(app_as, page, title):
    at = app_as("staff", page)
    at.session_state["language"] = "en"
    at.run()
    assert at.title[0].value == title
    texts = (
        [m.label for m in at.metric]
        + [e.label for e in at.expander]
        + [c.value for c in at.caption]
        + [s.value for s in at.subheader]
        + [i.value for i in at.info]
        + [b.label for b in at.button]
        + [s.label for s in at.selectbox]
        + [label for d in at.dataframe for label in d.value.columns]
    )
    missing_keys = re.compile(r"\b(upload|history|completeness)\.[a-z_]+")
    assert [text for text in texts if missing_keys.search(text)] == []
