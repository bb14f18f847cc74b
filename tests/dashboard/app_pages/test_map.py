"""The map page against the demo database: the choropleth's numbers, the click filter and the coverage view, each
recomputed with plain SQL."""

import datetime as dt
import json

import pandas as pd
import pyarrow as pa
import pytest
import sqlalchemy as sa

from culture_dash import formatting

ACTIVITIES = (
    "coalesce(reading_events,0) + coalesce(exhibition_events,0) + coalesce(education_events,0)"
    " + coalesce(performance_events,0)"
)
CHART = "map_chart_0"


def sql(session, text: str, **params) -> list[tuple]:
    return [tuple(r) for r in session.execute(sa.text(text), params).all()]


def map_spec(at) -> dict:
    return json.loads(at.get("vega_lite_chart")[0].proto.spec)


def townships_on_map(at) -> dict[str, dict]:
    """code → the fields of its feature, as the choropleth ships them (inline GeoJSON)."""
    (layer,) = [layer for layer in map_spec(at)["layer"] if layer["mark"]["type"] == "geoshape"]
    return {f["code"]: f for f in layer["data"]["values"]}


def chart_rows(element) -> pd.DataFrame:
    (dataset,) = element.proto.datasets
    return pa.ipc.open_stream(dataset.data.data).read_all().to_pandas()


def latest_month(session) -> dt.date:
    value = session.execute(sa.text("select max(month) from monthly_report")).scalar()
    return dt.date.fromisoformat(str(value)[:10])


def ytd(session) -> tuple[str, str]:
    month = latest_month(session)
    return dt.date(month.year, 1, 1).isoformat(), month.isoformat()


@pytest.fixture
def map_page(app_as):
    at = app_as("leader", "map")
    assert not at.exception
    return at


def test_default_choropleth_is_visits_per_10000_residents_year_to_date(map_page, demo_session):
    start, end = ytd(demo_session)
    expected = sql(
        demo_session,
        "select t.code, t.name, t.population, sum(m.visits) from township t"
        " join venue v on v.township_id = t.id join monthly_report m on m.venue_id = v.id"
        " where m.month between :start and :end group by t.code, t.name, t.population order by t.code",
        start=start,
        end=end,
    )
    shown = townships_on_map(map_page)
    assert sorted(shown) == [code for code, *_ in expected]  # every township of the demo has an outline
    for code, name, population, visits in expected:
        feature = shown[code]
        assert feature["name"] == name
        assert feature["value"] == pytest.approx(visits / population * 10_000)
        assert feature["total_text"] == formatting.big_number(visits, "人次")
        assert feature["period"] == f"{end[:4]}年1—{int(end[5:7])}月"
    # Legend: the metric, its unit and the period.
    color = map_spec(map_page)["layer"][0]["encoding"]["color"]
    assert color["legend"]["title"] == ["到馆人次（人次/万人）", f"{end[:4]}年1—{int(end[5:7])}月"]
    # The district KPIs are the same sums.
    metric = next(m for m in map_page.metric if m.label == "到馆人次")
    assert metric.value == formatting.big_number(round(sum(v for *_, v in expected), 1), "人次")


def test_absolute_activities_for_one_month(map_page, demo_session):
    map_page.selectbox(key="map_metric").select("activities").run()
    map_page.toggle(key="map_per_10k").set_value(False).run()
    map_page.segmented_control(key="map_period_kind").set_value("month").run()
    month = latest_month(demo_session).isoformat()
    expected = dict(
        sql(
            demo_session,
            f"select t.code, sum({ACTIVITIES}) from township t join venue v on v.township_id = t.id"
            " join monthly_report m on m.venue_id = v.id where m.month = :month group by t.code",
            month=month,
        )
    )
    assert {code: f["value"] for code, f in townships_on_map(map_page).items()} == pytest.approx(expected)
    assert map_spec(map_page)["layer"][0]["encoding"]["color"]["legend"]["title"][0] == "举办活动（场）"


def test_reporting_rate_is_reports_received_over_reports_owed(map_page, demo_session):
    map_page.selectbox(key="map_metric").select("reporting_rate").run()
    start, end = ytd(demo_session)
    received = dict(
        sql(
            demo_session,
            "select t.code, count(m.id) from township t join venue v on v.township_id = t.id"
            " join monthly_report m on m.venue_id = v.id where m.month between :start and :end group by t.code",
            start=start,
            end=end,
        )
    )
    months = list(pd.date_range(start, end, freq="MS").date)
    opened = sql(demo_session, "select t.code, v.opened_on from venue v join township t on t.id = v.township_id")
    owed: dict[str, int] = {}
    for code, opened_on in opened:
        day = None if opened_on is None else dt.date.fromisoformat(str(opened_on)[:10])
        owed[code] = owed.get(code, 0) + sum(
            1 for m in months if day is None or day < (m + pd.offsets.MonthBegin(1)).date()
        )
    shown = townships_on_map(map_page)
    assert {c: f["value"] for c, f in shown.items()} == pytest.approx({c: received[c] / owed[c] for c in owed})


def test_clicking_a_township_filters_the_page_to_it(map_page, demo_session):
    start, end = ytd(demo_session)
    code, name = sql(demo_session, "select code, name from township order by code desc limit 1")[0]
    map_page.session_state[CHART] = {"selection": {"township": [{"code": code}], "venue": [{}]}}
    map_page.run()
    assert not map_page.exception
    assert map_page.subheader[0].value.startswith(f"{name}（")
    # Its KPIs.
    visits = sql(
        demo_session,
        "select sum(m.visits) from monthly_report m join venue v on v.id = m.venue_id join township t"
        " on t.id = v.township_id where t.code = :code and m.month between :start and :end",
        code=code,
        start=start,
        end=end,
    )[0][0]
    assert next(m for m in map_page.metric if m.label == "到馆人次").value == formatting.big_number(visits, "人次")
    # Its venues with their numbers.
    venues = sql(
        demo_session,
        "select v.code, (select sum(m.visits) from monthly_report m where m.venue_id = v.id"
        " and m.month between :start and :end) from venue v join township t on t.id = v.township_id"
        " where t.code = :code",
        code=code,
        start=start,
        end=end,
    )
    (table,) = map_page.dataframe
    shown = table.value
    assert sorted(shown["code"]) == sorted(c for c, _ in venues)
    assert dict(zip(shown["code"], shown["visits"].fillna(0), strict=True)) == {c: float(v or 0) for c, v in venues}
    # Its trend: the township's monthly visits.
    (trend,) = list(map_page.get("vega_lite_chart")[1:])
    rows = chart_rows(trend)
    monthly = dict(
        sql(
            demo_session,
            "select strftime('%Y-%m', m.month), sum(m.visits) from monthly_report m join venue v on v.id = m.venue_id"
            " join township t on t.id = v.township_id where t.code = :code group by m.month",
            code=code,
        )
    )
    assert len(rows) == 12
    assert {pd.Timestamp(m).strftime("%Y-%m"): v for m, v in zip(rows["month"], rows["value"], strict=True)} == {
        pd.Timestamp(m).strftime("%Y-%m"): monthly[pd.Timestamp(m).strftime("%Y-%m")] for m in rows["month"]
    }
    # One tap clears it.
    map_page.button(key="map_clear").click().run()
    assert map_page.subheader[0].value.startswith("全区")
    assert "map_clear" not in [b.key for b in map_page.button]


def test_a_code_that_is_not_a_township_does_not_filter(map_page):
    # In a layered chart a venue click fills the township selection with the venue's code too.
    map_page.session_state[CHART] = {"selection": {"township": [{"code": "QX-WHG-001"}]}}
    map_page.run()
    assert map_page.subheader[0].value.startswith("全区")


def test_clicking_a_venue_opens_its_profile(map_page, demo_session):
    code = sql(demo_session, "select code from venue where lon is not null order by code limit 1")[0][0]
    map_page.session_state[CHART] = {"selection": {"township": [{"code": code}], "venue": [{"code": code}]}}
    map_page.run()
    assert map_page.session_state["venue_code"] == code
    assert all(title.value != "地图" for title in map_page.title)


def test_coverage_view_shades_by_villages_with_a_room(map_page, demo_session):
    map_page.segmented_control(key="map_view").set_value("coverage").run()
    assert not map_page.exception
    expected = sql(
        demo_session,
        "select t.code, count(distinct g.id),"
        " count(distinct case when v.type in ('村社区文化活动室', '村社区图书室') then g.id end),"
        " (select count(*) from venue b where b.township_id = t.id and b.type = '街镇图书分馆')"
        " from township t join village g on g.township_id = t.id left join venue v on v.village_id = g.id"
        " group by t.id, t.code order by t.code",
    )
    shown = townships_on_map(map_page)
    assert {c: f["value"] for c, f in shown.items()} == pytest.approx({c: cov / n for c, n, cov, _ in expected})
    assert {c: f["branches_text"] for c, f in shown.items()} == {c: f"{b} 个" for c, *_, b in expected}
    (table,) = map_page.dataframe
    assert dict(zip(table.value["code"], table.value["covered"], strict=True)) == {c: cov for c, _, cov, _ in expected}
    # Townships without a library branch get a marker.
    markers = [e for e in map_spec(map_page)["layer"] if e["mark"].get("stroke") == "#B7312C"]
    without = [c for c, *_, b in expected if b == 0]
    assert len(markers) == (1 if without else 0)


def test_admin_sees_venues_outside_their_township(app_as, demo_session):
    code, township, other = sql(
        demo_session,
        "select v.code, t.name, (select t2.code from township t2 where t2.id != t.id order by t2.code limit 1)"
        " from venue v join township t on t.id = v.township_id where v.lon is not null order by v.code limit 1",
    )[0]
    # Put it in the middle of another township's outline.
    from shapely.geometry import shape

    boundary = sql(demo_session, "select boundary from township where code = :c", c=other)[0][0]
    inside = shape(json.loads(boundary)).representative_point()
    demo_session.execute(
        sa.text("update venue set lon = :x, lat = :y where code = :c"), {"x": inside.x, "y": inside.y, "c": code}
    )
    demo_session.commit()
    at = app_as("admin", "map")
    (expander,) = [e for e in at.expander if e.label.startswith("坐标不在所属街镇边界内的场馆")]
    assert expander.label == "坐标不在所属街镇边界内的场馆（1 个）"
    (table,) = [d for d in at.dataframe if "found_in" in d.value.columns]
    assert table.value[["code", "township_name"]].values.tolist() == [[code, township]]
    leader = app_as("leader", "map")
    assert not [e for e in leader.expander if e.label.startswith("坐标不在")]


def test_the_english_catalog_labels_the_map(app_as):
    at = app_as("leader")
    at.session_state["language"] = "en"
    at.switch_page("app_pages/map.py").run()
    assert not at.exception
    assert at.title[0].value == "Map"
    legend = map_spec(at)["layer"][0]["encoding"]["color"]["legend"]["title"]
    assert legend[0] == "Visits (visits per 10k residents)"


def layer_rows(at, layer: dict) -> pd.DataFrame:
    element = at.get("vega_lite_chart")[0]
    (dataset,) = [d for d in element.proto.datasets if d.name == layer["data"]["name"]]
    return pa.ipc.open_stream(dataset.data.data).read_all().to_pandas()


def test_venue_points_and_sites_are_the_located_venues_with_their_numbers(map_page, demo_session):
    start, end = ytd(demo_session)
    located = dict(
        sql(
            demo_session,
            "select v.code, (select sum(m.visits) from monthly_report m where m.venue_id = v.id"
            " and m.month between :start and :end) from venue v where v.lon is not null",
            start=start,
            end=end,
        )
    )
    spec = map_spec(map_page)
    layers = spec["layer"]
    # Altair hoists the click selections to the top with the names of the layers they belong to.
    (views,) = [param["views"] for param in spec["params"] if param["name"] == "venue"]
    (venue_layer,) = [layer for layer in layers if layer.get("name") in views]
    rows = layer_rows(map_page, venue_layer)
    # The chart ships only what it draws and shows: the point size and the value as the tooltip writes it.
    assert dict(zip(rows["code"], rows["size"], strict=True)) == {c: float(v or 0) for c, v in located.items()}
    shown = dict(zip(rows["code"], rows["value_text"], strict=True))
    assert shown == {c: formatting.big_number(v, "人次") if v is not None else "—" for c, v in located.items()}
    (site_layer,) = [layer for layer in layers if layer["mark"].get("shape", "").startswith("M0,-1")]
    sites = sql(
        demo_session,
        "select v.code, s.stage from demo_site s join venue v on v.id = s.venue_id where v.lon is not null",
    )
    site_rows = layer_rows(map_page, site_layer)
    assert sorted(zip(site_rows["code"], site_rows["stage_label"], strict=True)) == sorted(sites)
