"""The trends page against the demo database: every chart's data and every ranking row recomputed with plain SQL."""

import json
import re

import pandas as pd
import pyarrow as pa
import pytest
import sqlalchemy as sa

from culture_dash.ingest.kinds import VENUE_TYPES

ACTIVITIES = (
    "coalesce(reading_events,0) + coalesce(exhibition_events,0) + coalesce(education_events,0)"
    " + coalesce(performance_events,0)"
)


def charts(at) -> dict[str, pd.DataFrame]:
    """Chart title → the rows the chart ships (decoded from its Arrow dataset)."""
    out = {}
    for element in at.get("vega_lite_chart"):
        spec = json.loads(element.proto.spec)
        (dataset,) = element.proto.datasets
        out[spec["title"]] = pa.ipc.open_stream(dataset.data.data).read_all().to_pandas()
    return out


def chart(at, starts_with: str) -> pd.DataFrame:
    (frame,) = [frame for title, frame in charts(at).items() if title.startswith(starts_with)]
    return frame


def sql(session, text: str, **params) -> list[tuple]:
    return [tuple(r) for r in session.execute(sa.text(text), params).all()]


def month_key(value) -> str:
    return pd.Timestamp(value).strftime("%Y-%m")


@pytest.fixture
def trends(app_as):
    at = app_as("leader", "trends")
    assert not at.exception
    return at


def test_default_is_district_visits_over_the_last_36_months(trends, demo_session):
    expected = sql(
        demo_session,
        "select strftime('%Y-%m', month), sum(visits), count(visits) from monthly_report group by month order by month",
    )
    frame = chart(trends, "到馆人次月度走势（2023年11月—2026年10月）")
    assert [
        (month_key(m), v, r) for m, v, r in frame[["month", "value", "reporting"]].itertuples(index=False)
    ] == expected
    assert len(frame) == 36
    assert set(frame["series"]) == {"全区"}
    assert (
        trends.caption[0].value
        == "统计期：2026年1—10月\u3000范围：全区\u3000图表显示 2023年11月—2026年10月 的逐月数据。"
    )


def test_overlay_rolling_and_heatmap_equal_the_monthly_totals(trends, demo_session):
    totals = dict(sql(demo_session, "select strftime('%Y-%m', month), sum(visits) from monthly_report group by month"))
    overlay = chart(trends, "到馆人次同比对照：2026年与2025年")
    assert {(f"{y}-{m:02d}", v) for y, m, v in overlay[["year", "month_no", "value"]].itertuples(index=False)} == {
        (k, v) for k, v in totals.items() if k[:4] in ("2025", "2026")
    }
    assert len(overlay) == 22  # 2025: 12 months, 2026: January to October

    months = sorted(totals)
    rolling = chart(trends, "到馆人次滚动12个月合计（2024年10月—2026年10月）")
    expected = [(months[i], sum(totals[k] for k in months[i - 11 : i + 1])) for i in range(11, len(months))]
    assert [(month_key(m), v) for m, v in rolling[["month", "value"]].itertuples(index=False)] == expected

    heatmap = chart(trends, "到馆人次季节性：月份×年度（2023年11月—2026年10月）")
    assert {(f"{y}-{m:02d}", v) for y, m, v in heatmap[["year", "month_no", "value"]].itertuples(index=False)} == set(
        totals.items()
    )
    assert heatmap.set_index(["year", "month_no"]).loc[(2026, 7), "label"] == f"{totals['2026-07'] / 1e4:.1f}万"


def test_activities_by_venue_type_equal_sql_per_type(trends, demo_session):
    trends.selectbox(key="trends_metric").set_value("activities")
    trends.selectbox(key="trends_split").set_value("type").run()
    expected = sql(
        demo_session,
        f"select v.type, strftime('%Y-%m', m.month), sum({ACTIVITIES}) from monthly_report m"
        " join venue v on v.id = m.venue_id group by v.type, m.month",
    )
    frame = chart(trends, "活动场次月度走势")
    assert sorted(
        (s, month_key(m), v) for s, m, v in frame[["series", "month", "value"]].itertuples(index=False)
    ) == sorted(expected)
    assert list(dict.fromkeys(frame["series"])) == [t for t in VENUE_TYPES if t in set(frame["series"])]
    assert frame["series"].nunique() <= 11


def test_townships_filter_narrows_every_chart_to_the_chosen_townships(trends, demo_session):
    trends.selectbox(key="trends_split").set_value("township").run()
    trends.multiselect(key="trends_townships").set_value(["510199007", "510199014"]).run()
    frame = chart(trends, "到馆人次月度走势")
    assert sorted(set(frame["series"])) == sorted(["白鹤镇", "云峰乡"])
    expected = dict(
        sql(
            demo_session,
            "select strftime('%Y-%m', m.month), sum(m.visits) from monthly_report m join venue v on v.id = m.venue_id"
            " join township t on t.id = v.township_id where t.code in ('510199007', '510199014') group by m.month",
        )
    )
    heatmap = chart(trends, "到馆人次季节性")
    assert {f"{y}-{m:02d}": v for y, m, v in heatmap[["year", "month_no", "value"]].itertuples(index=False)} == expected
    assert "范围：街镇：白鹤镇、云峰乡" in trends.caption[0].value


def test_more_townships_than_a_chart_can_tell_apart_fold_into_one_line_that_keeps_the_total(
    app_as, demo_session, monkeypatch
):
    from dashboard.charts import trends as trend_charts

    monkeypatch.setattr(trend_charts, "MAX_SERIES", 6)  # the demo has 16 townships; a province has 1,212
    at = app_as("leader", "trends")
    at.selectbox(key="trends_split").set_value("township").run()
    by_township = sql(
        demo_session,
        "select t.name, strftime('%Y-%m', m.month), sum(m.visits) from monthly_report m"
        " join venue v on v.id = m.venue_id join township t on t.id = v.township_id"
        " group by t.name, m.month",
    )
    sizes = pd.DataFrame(by_township, columns=["township", "month", "value"]).groupby("township")["value"].sum()
    largest = list(sizes.sort_values(ascending=False).index[:5])
    frame = chart(at, "到馆人次月度走势")
    assert list(dict.fromkeys(frame["series"])) == [*largest, "其他11个街镇合计"]
    rest = {}
    for township, month, value in by_township:
        if township not in largest:
            rest[month] = rest.get(month, 0) + value
    other = frame[frame["series"] == "其他11个街镇合计"]
    assert {month_key(m): v for m, v in other[["month", "value"]].itertuples(index=False)} == rest
    assert any("其余 11 个街镇合并为一条线" in caption.value for caption in at.caption)


def test_single_venue_series_is_that_venue_and_at_most_36_points(trends, demo_session):
    trends.selectbox(key="trends_split").set_value("venue").run()
    trends.selectbox(key="trends_venue").set_value("QX-TSG-J07").run()
    expected = sql(
        demo_session,
        "select strftime('%Y-%m', m.month), m.visits from monthly_report m join venue v on v.id = m.venue_id"
        " where v.code = 'QX-TSG-J07' and m.visits is not null order by m.month",
    )
    frame = chart(trends, "到馆人次月度走势")
    assert [(month_key(m), v) for m, v in frame[["month", "value"]].itertuples(index=False)] == expected
    assert len(frame) <= 36
    assert set(frame["series"]) == {"青溪区图书馆白鹤分馆"}


def test_a_month_period_moves_the_window_and_titles(trends):
    trends.segmented_control(key="trends_period_kind").set_value("month").run()
    selector = trends.selectbox(key="trends_period_month")  # the period list is keyed per kind
    selector.set_value(next(o for o in selector.options if o == "2025年6月")).run()
    assert trends.subheader[0].value == "排名：到馆人次，2025年6月"
    frame = chart(trends, "到馆人次月度走势（2023年11月—2025年6月）")
    assert month_key(frame["month"].max()) == "2025-06"
    assert "到馆人次同比对照：2025年与2024年" in charts(trends)


def ranking(at) -> pd.DataFrame:
    """The ranking table as shown (display strings), Markdown escapes removed."""
    return at.table[0].value.map(lambda v: re.sub(r"\\(.)", r"\1", v) if isinstance(v, str) else v)


def test_township_ranking_per_10k_residents_equals_hand_computation(trends, demo_session):
    trends.segmented_control(key="trends_rank_level").set_value("township").run()
    trends.segmented_control(key="trends_rank_sort_township").set_value("per_10k").run()
    totals = sql(
        demo_session,
        "select t.name, sum(m.visits), t.population from monthly_report m join venue v on v.id = m.venue_id"
        " join township t on t.id = v.township_id where m.month between '2026-01-01' and '2026-10-01'"
        " group by t.id",
    )
    expected = sorted(((value / population * 10_000, name, value, population) for name, value, population in totals))
    expected = expected[::-1][:10]
    table = ranking(trends)
    assert table[["名次", "名称", "到馆人次（人次）", "常住人口（人）", "每万人（人次/万人）"]].values.tolist() == [
        [str(i), name, f"{value:,.0f}", f"{population:,.0f}", f"{per_10k:,.1f}"]
        for i, (per_10k, name, value, population) in enumerate(expected, start=1)
    ]


def test_venue_ranking_per_cardholder_equals_hand_computation(trends, demo_session):
    trends.segmented_control(key="trends_rank_sort_venue").set_value("per_cardholder").run()
    trends.segmented_control(key="trends_rank_direction").set_value("bottom").run()
    venues = {
        code: (name, kind, township, value)
        for code, name, kind, township, value in sql(
            demo_session,
            "select v.code, v.name, v.type, t.name, sum(m.visits) from monthly_report m"
            " join venue v on v.id = m.venue_id join township t on t.id = v.township_id"
            " where m.month between '2026-01-01' and '2026-10-01' group by v.code",
        )
    }
    # 持证读者数: every 新增持证 on record up to the period end, for venues that ever reported one.
    cards = sql(
        demo_session,
        "select v.code, sum(m.new_cardholders) from monthly_report m join venue v on v.id = m.venue_id"
        " where m.month <= '2026-10-01' group by v.code having count(m.new_cardholders) > 0",
    )
    ratios = sorted((venues[code][3] / held, code, held) for code, held in cards if held and code in venues)
    table = ranking(trends)
    assert table[
        ["名次", "场馆（类型 · 街镇）", "到馆人次（人次）", "持证读者数（人）", "人均到馆次数（次/人）"]
    ].values.tolist() == [
        [
            str(len(ratios) - i),
            f"{venues[code][0]}（{venues[code][1]} · {venues[code][2]}）",
            f"{venues[code][3]:,.0f}",
            f"{held:,.0f}",
            f"{ratio:.2f}",
        ]
        for i, (ratio, code, held) in enumerate(ratios[:10])
    ]


def test_ranking_count_and_type_filter(trends, demo_session):
    trends.selectbox(key="trends_rank_count").set_value(5)
    trends.multiselect(key="trends_rank_types").set_value(["综合文化站"]).run()
    expected = sql(
        demo_session,
        "select v.name, v.type, t.name, sum(m.visits) from monthly_report m join venue v on v.id = m.venue_id"
        " join township t on t.id = v.township_id"
        " where v.type = '综合文化站' and m.month between '2026-01-01' and '2026-10-01'"
        " group by v.code order by 4 desc limit 5",
    )
    table = ranking(trends)
    assert table[["场馆（类型 · 街镇）", "到馆人次（人次）"]].values.tolist() == [
        [f"{name}（{kind} · {township}）", f"{value:,.0f}"] for name, kind, township, value in expected
    ]


def test_choosing_a_ranked_venue_opens_its_profile(trends, demo_session):
    ((code, name),) = sql(
        demo_session,
        "select v.code, v.name from monthly_report m join venue v on v.id = m.venue_id"
        " where m.month between '2026-01-01' and '2026-10-01' group by v.code order by sum(m.visits) desc limit 1",
    )
    picker = trends.selectbox(key="trends_open_venue")
    assert picker.options[0] == f"第 1 名\u3000{name}"
    picker.set_value(code).run()
    assert trends.session_state["venue_code"] == code
    assert trends.title[0].value == "场馆档案"
    assert trends.header[0].value == name


def test_english_catalog_renders_the_page(trends):
    trends.session_state["language"] = "en"
    trends.run()
    assert trends.title[0].value == "Trends"
    assert any(title.startswith("Visits by month") for title in charts(trends))
