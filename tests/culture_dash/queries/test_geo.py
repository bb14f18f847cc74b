import datetime as dt
import json

import pandas as pd
import pytest

from culture_dash.boundaries import import_boundaries
from culture_dash.queries import geo as queries
from tests.factories import load, seed_registry

AUG, SEP, OCT = dt.date(2026, 8, 1), dt.date(2026, 9, 1), dt.date(2026, 10, 1)
MONTHS = [AUG, SEP, OCT]
SQUARE = [[103.9, 30.9], [104.0, 30.9], [104.0, 31.0], [103.9, 31.0], [103.9, 30.9]]


@pytest.fixture
def district(session):
    """tests.factories' two townships, plus a village room opened in September and three months of numbers."""
    seed_registry(session)
    room = {
        "venue_code": "HDS-1",
        "name": "桂花社区文化活动室",
        "type": "村社区文化活动室",
        "township": "青溪街道",
        "village": "桂花社区",
        "lon": "103.95",
        "lat": "30.95",
        "opened_on": "2026-09-15",
    }
    load(session, "venues", [room])
    rows = []
    for month in ("2026-08", "2026-09", "2026-10"):
        rows.append({"month": month, "venue_code": "TSG", "visits": "1000", "loans": "800", "reading_events": "2"})
        rows.append({"month": month, "venue_code": "ZHAN-2", "visits": "300", "performance_events": "1"})
    rows.append({"month": "2026-10", "venue_code": "HDS-1", "visits": "50", "participants": "40"})
    rows.append({"month": "2026-10", "venue_code": "ZHAN-1"})  # reported, every number empty
    load(session, "monthly", rows)
    load(
        session,
        "subsidies",
        [
            {"year": "2026", "source": "区级", "programme": "免费开放", "venue_code": "ZHAN-1", "allocated": "5"},
            {"year": "2026", "source": "市级", "programme": "总分馆建设", "venue_code": "FG-2", "allocated": "2.5"},
            {"year": "2025", "source": "区级", "programme": "免费开放", "venue_code": "ZHAN-2", "allocated": "9"},
        ],
    )
    load(session, "demo_sites", [{"venue_code": "ZHAN-2", "batch_year": "2025", "level": "省级", "stage": "建设中"}])
    return session


def test_report_months(district):
    assert queries.get_report_months(session=district) == MONTHS


def test_township_aggregates_sum_the_period_per_township(district):
    frame = queries.get_township_aggregates(session=district, months=MONTHS, years=[2026])
    rows = frame.astype(object).where(frame.notna(), None).to_dict("records")
    assert rows == [
        {
            "code": "510199001",
            "name": "青溪街道",
            "kind": "街道",
            "population": 56000.0,
            "venues": 4,
            "visits": 3050.0,
            "loans": 2400.0,
            "activities": 6.0,
            "participants": 40.0,
            "reports": 5,
            # WHG, TSG, ZHAN-1 owe three months each; the room opened on 15 September owes two.
            "expected": 11,
            "funds": 5.0,
        },
        {
            "code": "510199002",
            "name": "白鹤镇",
            "kind": "镇",
            "population": 32000.0,
            "venues": 2,
            "visits": 900.0,
            "loans": None,
            "activities": 3.0,
            "participants": None,
            "reports": 3,
            "expected": 6,
            "funds": 2.5,
        },
    ]


def test_one_month_and_another_year(district):
    frame = queries.get_township_aggregates(session=district, months=[AUG], years=[2025]).set_index("code")
    assert frame.loc["510199001", ["visits", "reports", "expected"]].tolist() == [1000.0, 1, 3]
    assert frame.loc["510199002", ["funds", "expected"]].tolist() == [9.0, 2]


def test_venue_aggregates_carry_identity_point_site_and_sums(district):
    frame = queries.get_venue_aggregates(session=district, months=MONTHS, years=[2026], township_code="510199002")
    assert frame[["code", "type", "township_name", "village_name", "site_stage", "site_level"]].astype(object).where(
        frame.notna(), None
    ).values.tolist() == [
        ["FG-2", "街镇图书分馆", "白鹤镇", "新民村", None, None],
        ["ZHAN-2", "综合文化站", "白鹤镇", None, "建设中", "省级"],
    ]
    assert frame["visits"].tolist()[1] == 900.0 and frame["reports"].tolist() == [0, 3]
    everything = queries.get_venue_aggregates(session=district, months=MONTHS, years=[2026]).set_index("code")
    assert everything.loc["HDS-1", ["lon", "lat", "source_crs", "expected", "reports"]].tolist() == [
        103.95,
        30.95,
        "WGS84",
        2,
        1,
    ]
    # Per venue the sums add up to the township's.
    assert everything["visits"].sum() == 3950.0


def test_monthly_series_of_one_township_and_of_the_district(district):
    series = queries.get_monthly_series(session=district, months=MONTHS, township_code="510199001")
    assert series[["month", "visits", "reports", "expected"]].values.tolist() == [
        [AUG, 1000.0, 1, 3],
        [SEP, 1000.0, 1, 4],
        [OCT, 1050.0, 3, 4],
    ]
    district_series = queries.get_monthly_series(session=district, months=[OCT])
    assert district_series[["visits", "activities", "reports", "expected"]].values.tolist() == [[1350.0, 3.0, 4, 6]]


def test_yearly_funds(district):
    frame = queries.get_yearly_funds(session=district, township_code="510199002")
    assert frame.astype(object).where(frame.notna(), None).values.tolist() == [
        [2025, 9.0, None, None],
        [2026, 2.5, None, None],
    ]


def test_coverage_counts_villages_with_a_room_and_library_branches(district):
    frame = queries.get_coverage(session=district)
    assert frame.values.tolist() == [["510199001", "青溪街道", 1, 1, 0], ["510199002", "白鹤镇", 1, 0, 1]]
    villages = queries.get_village_coverage(session=district, township_code="510199001")
    assert villages.values.tolist() == [["510199001001", "桂花社区", "社区", 5200, 1, 0]]


def test_outlines_and_boundary_status(district):
    assert queries.get_township_outlines(session=district).empty
    assert queries.get_boundary_status(session=district) == {"with_outline": 0, "townships": 2, "latest": None}
    feature = {
        "type": "Feature",
        "properties": {"name": "青溪街道"},
        "geometry": {"type": "Polygon", "coordinates": [SQUARE]},
    }
    report = import_boundaries(district, json.dumps(feature).encode(), "b.geojson")
    outlines = queries.get_township_outlines(session=district)
    assert outlines[["code", "name"]].values.tolist() == [["510199001", "青溪街道"]]
    assert json.loads(outlines["boundary"][0])["type"] == "Polygon"
    status = queries.get_boundary_status(session=district)
    assert (status["with_outline"], status["latest"]["id"], status["latest"]["file_name"]) == (
        1,
        report.batch_id,
        "b.geojson",
    )


def test_an_empty_database_gives_empty_frames(session):
    assert queries.get_report_months(session=session) == []
    assert queries.get_township_aggregates(session=session, months=MONTHS, years=[2026]).empty
    assert queries.get_coverage(session=session).empty
    series = queries.get_monthly_series(session=session, months=MONTHS)
    assert series["reports"].tolist() == [0, 0, 0] and series["visits"].isna().all()
    assert isinstance(series, pd.DataFrame)
