import json

import pandas as pd
import pytest

from dashboard.charts import map as charts

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[103.9, 30.9], [103.9, 31.0], [104.0, 31.0], [104.0, 30.9], [103.9, 30.9]]],
}
FEATURES = [
    {
        "type": "Feature",
        "geometry": SQUARE,
        "properties": {},
        "code": "A",
        "name": "甲街道",
        "value": 1.0,
        "value_class": "1–2",
    },
    {
        "type": "Feature",
        "geometry": SQUARE,
        "properties": {},
        "code": "B",
        "name": "乙镇",
        "value": None,
        "value_class": None,
    },
]
POINTS = pd.DataFrame(
    {"code": ["V1"], "name": ["站"], "lon": [103.95], "lat": [30.95], "group_label": ["文化馆体系"], "size": [10.0]}
)
SITES = POINTS.assign(stage_label=["建设中"])


def township():
    return charts.township_layer(
        FEATURES, classes=["1–2"], color_title=["到馆人次（人次/万人）", "2026年1—10月"], tooltip=[("name", "街镇")]
    )


def test_township_layer_draws_inline_outlines_with_a_click_selection():
    spec = township().to_dict()
    assert spec["mark"]["type"] == "geoshape"
    assert spec["data"] == {"values": FEATURES}
    assert spec["params"][0]["name"] == charts.TOWNSHIP_PARAM
    assert spec["params"][0]["select"]["fields"] == ["code"]
    color = spec["encoding"]["color"]
    assert color["condition"] == {"test": "datum.value == null", "value": charts.NO_DATA_FILL}
    assert (color["field"], color["type"]) == ("value_class", "ordinal")
    assert color["scale"]["domain"] == ["1–2"]
    # The legend says what, in which unit, over which period.
    assert color["legend"]["title"] == ["到馆人次（人次/万人）", "2026年1—10月"]
    assert spec["encoding"]["tooltip"] == [{"field": "name", "title": "街镇", "type": "nominal"}]


def test_the_map_makes_no_request_and_fits_a_mercator_projection():
    layers = [
        township(),
        *charts.label_layers(pd.DataFrame({"code": ["A"], "name": ["甲街道"], "lon": [103.95], "lat": [30.95]})),
        charts.venue_layer(
            POINTS, group_title="场馆类别", groups=["文化馆体系"], sized=True, tooltip=[("name", "场馆")]
        ),
        charts.site_layer(SITES, stage_title="示范点阶段", stages=["申报", "建设中"], tooltip=[("name", "场馆")]),
        charts.marker_layer(POINTS, tooltip=[("name", "街镇")]),
    ]
    spec = charts.network_map(layers, height=480).to_dict()
    text = json.dumps(spec, ensure_ascii=False)
    assert '"url"' not in text and "http" not in text.replace("http://json-schema.org", "").replace(
        "https://vega.github.io/schema", ""
    )
    assert spec["projection"] == {"type": "mercator"}
    assert (spec["height"], spec["width"]) == (480, "container")
    assert [p["name"] for p in spec["params"]] == [charts.TOWNSHIP_PARAM, charts.VENUE_PARAM]
    assert "Noto Sans CJK SC" in spec["config"]["font"]


@pytest.mark.parametrize(("sized", "size"), [(True, "size"), (False, None)])
def test_venue_points_are_sized_by_the_metric_or_not(sized, size):
    spec = charts.venue_layer(POINTS, group_title="场馆类别", groups=["文化馆体系"], sized=sized, tooltip=[]).to_dict()
    assert spec["encoding"]["size"].get("field") == size
    assert spec["encoding"]["color"]["scale"]["domain"] == ["文化馆体系"]
    assert spec["encoding"]["shape"]["field"] == "group_label"


def test_a_group_keeps_its_colour_and_shape_when_others_are_hidden():
    groups = ["图书馆体系", "文化馆体系", "村（社区）文化室"]
    spec = charts.venue_layer(POINTS, group_title="场馆类别", groups=groups, sized=True, tooltip=[]).to_dict()
    assert spec["encoding"]["color"]["scale"] == {"domain": ["文化馆体系"], "range": [charts.GROUP_COLORS[1]]}
    assert spec["encoding"]["shape"]["scale"] == {"domain": ["文化馆体系"], "range": [charts.GROUP_SHAPES[1]]}


@pytest.mark.parametrize(
    ("event", "param", "expected"),
    [
        ({"selection": {"township": [{"code": "A"}], "venue": [{}]}}, "township", "A"),
        ({"selection": {"township": [{"code": "A"}], "venue": [{"code": "A"}]}}, "venue", None),  # not a venue
        ({"selection": {"township": [{"code": "V1"}], "venue": [{"code": "V1"}]}}, "venue", "V1"),
        ({"selection": {"township": [{"code": "V1"}]}}, "township", None),  # a venue click fills it too
        ({"selection": {}}, "township", None),
        (None, "township", None),
    ],
)
def test_picked_reads_only_codes_of_its_kind(event, param, expected):
    assert charts.picked(event, param, {"A", "B"} if param == "township" else {"V1"}) == expected


def test_trend_and_funds_charts():
    series = pd.DataFrame({"month": pd.to_datetime(["2026-09-01", "2026-10-01"]), "value": [1.0, 2.0]})
    trend = charts.trend_chart(series, title="到馆人次", y_title="到馆人次（人次）").to_dict()
    assert trend["encoding"]["y"]["title"] == "到馆人次（人次）"
    funds = pd.DataFrame({"year": [2026], "allocated": [3.0], "disbursed": [2.0], "spent": [1.0]})
    spec = charts.funds_chart(funds, y_title="万元", labels={"allocated": "下达", "spent": "已支出"}).to_dict()
    values = next(iter(spec["datasets"].values()))
    assert values == [
        {"year": "2026", "measure": "下达", "value": 3.0},
        {"year": "2026", "measure": "已支出", "value": 1.0},
    ]
