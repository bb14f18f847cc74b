import datetime as dt
import json

import pandas as pd
import pytest

from culture_dash.periods import Period
from culture_dash.transforms import geo as transforms

LEFT = [[[103.9, 30.9], [103.9, 31.0], [104.0, 31.0], [104.0, 30.9], [103.9, 30.9]]]
RIGHT = [[[104.0, 30.9], [104.0, 31.0], [104.1, 31.0], [104.1, 30.9], [104.0, 30.9]]]
OUTLINES = pd.DataFrame(
    {
        "code": ["A", "B"],
        "name": ["甲街道", "乙镇"],
        "boundary": [json.dumps({"type": "Polygon", "coordinates": c}) for c in (LEFT, RIGHT)],
    }
)
AGGREGATES = pd.DataFrame(
    {
        "code": ["A", "B", "C"],
        "name": ["甲街道", "乙镇", "丙乡"],
        "kind": ["街道", "镇", "乡"],
        "population": pd.array([50_000, 20_000, None], dtype="Float64"),
        "visits": pd.array([100_000, 30_000, 500], dtype="Float64"),
        "reports": pd.array([9, 3, 0], dtype="Int64"),
        "expected": pd.array([10, 3, 0], dtype="Int64"),
    }
)


def test_township_values_absolute_and_per_10k():
    absolute = transforms.township_values(AGGREGATES, "visits", per_10k=False)
    assert absolute["value"].tolist() == [100_000.0, 30_000.0, 500.0]
    per = transforms.township_values(AGGREGATES, "visits", per_10k=True)
    assert per["value"].tolist()[:2] == [20_000.0, 15_000.0] and pd.isna(per["value"][2])  # no population
    rate = transforms.township_values(AGGREGATES, "reporting_rate", per_10k=True)  # a rate is never per capita
    assert rate["value"].tolist()[:2] == [0.9, 1.0] and pd.isna(rate["value"][2])


@pytest.mark.parametrize(
    ("value", "metric", "unit", "text"),
    [
        (123_456.0, "visits", "人次", "12.3万人次"),
        (15_000.04, "visits", "人次/万人", "1.5万人次/万人"),
        (812.0, "activities", "场", "812场"),
        (0.9753, "reporting_rate", "%", "97.5%"),
        (11.0, "funds", "万元", "11.00万元"),
        (None, "visits", "人次", "—"),
        (float("nan"), "funds", "万元", "—"),
    ],
)
def test_format_value(value, metric, unit, text):
    assert transforms.format_value(value, metric, unit) == text


def test_quantile_classes_split_low_to_high_and_keep_missing():
    values = pd.Series([1.0, 2.0, 3.0, 4.0, 5.0, None])
    labels, names = transforms.quantile_classes(values, "activities", classes=2)
    assert names == ["1–3", "3–5"]
    assert labels.tolist() == ["1–3", "1–3", "3–5", "3–5", "3–5", None]
    same, only = transforms.quantile_classes(pd.Series([7.0, 7.0]), "activities")
    assert (same.tolist(), only) == (["7", "7"], ["7"])
    assert transforms.quantile_classes(pd.Series([None, None], dtype=float), "visits")[1] == []


def test_choropleth_features_put_the_fields_beside_the_stored_geometry():
    values = pd.DataFrame({"code": ["A", "B"], "name": ["甲街道", "乙镇"], "value": [1.5, None]})
    features = transforms.choropleth_features(OUTLINES, values)
    assert [(f["code"], f["name"], f["value"]) for f in features] == [("A", "甲街道", 1.5), ("B", "乙镇", None)]
    assert features[0]["geometry"] == {"type": "Polygon", "coordinates": LEFT}
    assert all(f["type"] == "Feature" for f in features)


def test_venues_outside_their_own_township_name_where_they_are():
    venues = pd.DataFrame(
        {
            "code": ["in", "next door", "nowhere", "no point", "no outline"],
            "name": ["1", "2", "3", "4", "5"],
            "type": ["流动服务点"] * 5,
            "township_code": ["A", "A", "B", "A", "C"],
            "township_name": ["甲街道", "甲街道", "乙镇", "甲街道", "丙乡"],
            "lon": [103.95, 104.05, 105.0, None, 104.05],
            "lat": [30.95, 30.95, 30.95, None, 30.95],
            "source_crs": ["WGS84"] * 5,
        }
    )
    misplaced = transforms.misplaced_venues(venues, OUTLINES)
    assert misplaced[["code", "found_in"]].values.tolist() == [["next door", "乙镇"], ["nowhere", None]]


def test_a_point_just_outside_its_simplified_edge_still_counts_as_inside():
    codes = pd.Series(["A", "A"])
    found = transforms.outside_own_township(OUTLINES, codes, pd.Series([104.0003, 104.002]), pd.Series([30.95, 30.95]))
    assert found.tolist() == [None, "B"]


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("month", Period.month(dt.date(2026, 8, 1))),
        ("quarter", Period("quarter", dt.date(2026, 7, 1), dt.date(2026, 9, 1))),
        ("ytd", Period.ytd(dt.date(2026, 8, 1))),
        ("year", Period("ytd", dt.date(2026, 1, 1), dt.date(2026, 10, 1))),  # cut at the latest month
    ],
)
def test_period_ending(kind, expected):
    assert transforms.period_ending(kind, dt.date(2026, 8, 1), dt.date(2026, 10, 1)) == expected


def test_ranking_puts_the_weakest_first_and_missing_last():
    ranked = transforms.ranking(AGGREGATES, "visits", per_10k=True)
    assert ranked["code"].tolist() == ["B", "A", "C"]
    assert ranked["rank"].tolist() == [2, 1, pd.NA]
    assert ranked["total"].tolist() == [30_000.0, 100_000.0, 500.0]


def test_district_kpis_and_coverage_rates():
    kpis = transforms.district_kpis(AGGREGATES.assign(loans=None, activities=1.0, participants=2.0, funds=None))
    assert kpis == {
        "visits": 130_500.0,
        "loans": None,
        "activities": 3.0,
        "participants": 6.0,
        "funds": None,
        "reporting_rate": 12 / 13,
        "population": 70_000.0,
    }
    coverage = pd.DataFrame({"code": ["A", "B"], "villages": [4, 0], "covered": [3, 0], "branches": [1, 0]})
    rates = transforms.coverage_rates(coverage)
    assert rates["rate"].tolist()[0] == 0.75 and pd.isna(rates["rate"][1])
    assert rates["has_branch"].tolist() == [True, False]


def test_map_height_follows_the_district_shape():
    wide = transforms.map_height(OUTLINES)  # 0.2° wide, 0.1° tall: clamped to the minimum
    assert wide == 400
    tall = OUTLINES.assign(
        boundary=json.dumps({"type": "Polygon", "coordinates": [[[0, 30], [0.1, 30], [0.1, 30.3], [0, 30]]]})
    )
    assert transforms.map_height(tall) == 640


def test_venue_points_keep_located_venues_with_a_size_for_every_one():
    venues = pd.DataFrame(
        {
            "code": ["L", "C", "X"],
            "type": ["图书馆", "综合文化站", "流动服务点"],
            "lon": [104.0, 104.1, None],
            "lat": [30.9, 30.95, None],
            "funds": pd.array([2.5, None, 1.0], dtype="Float64"),
        }
    )
    points = transforms.venue_points(venues, "funds")
    assert points[["code", "group", "size"]].values.tolist() == [["L", "library", 2.5], ["C", "culture", 0.0]]
    assert pd.isna(points["value"][1])
