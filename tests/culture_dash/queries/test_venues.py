import datetime as dt

import pandas as pd
import pytest

from culture_dash.queries import venues as queries
from tests.factories import load, seed_registry


def rows(frame):
    """The frame's rows as lists, a missing value as None."""
    return [[None if pd.isna(v) else v for v in r] for r in frame.itertuples(index=False)]


@pytest.fixture
def district(session):
    seed_registry(session)
    load(
        session,
        "venues",
        [
            {
                "venue_code": "FG-2",
                "name": "白鹤镇图书分馆",
                "type": "街镇图书分馆",
                "parent_code": "TSG",
                "township": "白鹤镇",
                "village": "新民村",
                "lon": "104.1",
                "lat": "31.05",
                "area_m2": "420",
                "weekly_hours": "42",
                "free_open": "是",
                "opened_on": "2015-03-09",
            }
        ],
    )
    load(
        session,
        "monthly",
        [
            {
                "month": "2025-11",
                "venue_code": "FG-2",
                "visits": "200",
                "reading_events": "2",
                "performance_events": "1",
            },
            {"month": "2025-12", "venue_code": "FG-2", "visits": "220", "reading_events": "1", "note": "闭馆维修一周"},
            {"month": "2026-01", "venue_code": "FG-2", "visits": "250", "reading_events": "3", "education_events": "2"},
            {"month": "2026-02", "venue_code": "FG-2", "visits": "", "loans": "90"},
            {"month": "2026-01", "venue_code": "TSG", "visits": "9999", "reading_events": "9"},
        ],
    )
    load(
        session,
        "subsidies",
        [
            {
                "year": "2025",
                "source": "区级",
                "programme": "免费开放",
                "venue_code": "FG-2",
                "allocated": "5",
                "disbursed": "5",
                "spent": "4.5",
            },
            {
                "year": "2026",
                "source": "区级",
                "programme": "其他",
                "venue_code": "FG-2",
                "allocated": "2",
                "disbursed": "3",
                "spent": "1.2345",
            },
            {
                "year": "2026",
                "source": "中央",
                "programme": "免费开放",
                "venue_code": "FG-2",
                "allocated": "10",
                "disbursed": "",
                "spent": "",
            },
            {
                "year": "2026",
                "source": "中央",
                "programme": "免费开放",
                "venue_code": "TSG",
                "allocated": "40",
                "disbursed": "40",
                "spent": "40",
            },
        ],
    )
    load(
        session,
        "activity_plans",
        [
            {"year": "2026", "venue_code": "FG-2", "category": "读书看报", "planned": "6"},
            {"year": "2026", "venue_code": "FG-2", "category": "文艺演出", "planned": "0"},
        ],
    )
    load(
        session,
        "inspections",
        [
            {
                "date": "2026-03-02",
                "venue_code": "FG-2",
                "method": "暗访",
                "issue": "不开门",
                "status": "正在整改",
                "due": "2026-04-01",
                "note": "周末未开放",
            },
            {"date": "2025-06-10", "venue_code": "FG-2", "method": "自查", "issue": "无问题"},
        ],
    )
    load(
        session,
        "demo_sites",
        [
            {
                "venue_code": "FG-2",
                "batch_year": "2024",
                "level": "市级",
                "stage": "建设中",
                "has_library_room": "是",
                "has_e_reading_room": "否",
                "stage_date": "2025-05-01",
            }
        ],
    )
    return session


def test_venue_facts_name_township_village_and_parent(district):
    assert queries.get_venue(session=district, code="FG-2") == {
        "code": "FG-2",
        "name": "白鹤镇图书分馆",
        "type": "街镇图书分馆",
        "township_code": "510199002",
        "township": "白鹤镇",
        "village": "新民村",
        "lon": 104.1,
        "lat": 31.05,
        "area_m2": 420.0,
        "weekly_hours": 42.0,
        "free_open": True,
        "opened_on": dt.date(2015, 3, 9),
        "parent_code": "TSG",
        "parent_name": "青溪区图书馆",
    }


def test_unknown_venue_is_none(district):
    assert queries.get_venue(session=district, code="NOPE") is None


def test_children_are_the_venues_that_name_it_as_parent(district):
    assert rows(queries.get_venue_children(session=district, code="WHG")) == [
        ["ZHAN-1", "青溪街道综合文化站", "综合文化站", "青溪街道"],
        ["ZHAN-2", "白鹤镇综合文化站", "综合文化站", "白鹤镇"],
    ]
    assert queries.get_venue_children(session=district, code="FG-2").empty


def test_venue_options_list_every_venue_in_code_order(district):
    assert queries.get_venue_options(session=district)["code"].tolist() == ["FG-2", "TSG", "WHG", "ZHAN-1", "ZHAN-2"]


def test_months_are_the_venue_own_reports_with_activities_added(district):
    frame = queries.get_venue_months(session=district, code="FG-2")
    assert frame["month"].tolist() == [
        dt.date(2025, 11, 1),
        dt.date(2025, 12, 1),
        dt.date(2026, 1, 1),
        dt.date(2026, 2, 1),
    ]
    assert [None if pd.isna(v) else v for v in frame["visits"]] == [200, 220, 250, None]
    assert [None if pd.isna(v) else v for v in frame["activities"]] == [3, 1, 5, None]
    assert frame["note"].tolist()[1] == "闭馆维修一周"


def test_subsidies_newest_year_first_in_the_contract_order_of_sources(district):
    assert rows(queries.get_venue_subsidies(session=district, code="FG-2")) == [
        [2026, "中央", "免费开放", 10.0, None, None, None],
        [2026, "区级", "其他", 2.0, 3.0, 1.2345, None],
        [2025, "区级", "免费开放", 5.0, 5.0, 4.5, None],
    ]


def test_subsidy_years_add_up_in_sql(district):
    assert rows(queries.get_venue_subsidy_years(session=district, code="FG-2")) == [
        [2026, 12.0, 3.0, 1.2345],
        [2025, 5.0, 5.0, 4.5],
    ]


def test_inspections_newest_first(district):
    assert rows(queries.get_venue_inspections(session=district, code="FG-2")) == [
        [dt.date(2026, 3, 2), "暗访", "不开门", "正在整改", dt.date(2026, 4, 1), "周末未开放"],
        [dt.date(2025, 6, 10), "自查", "无问题", None, None, None],
    ]


def test_demo_site_stage(district):
    assert queries.get_venue_demo_site(session=district, code="FG-2") == {
        "batch_year": 2024,
        "level": "市级",
        "stage": "建设中",
        "stage_date": dt.date(2025, 5, 1),
        "has_library_room": True,
        "has_e_reading_room": False,
        "has_multi_room": None,
    }
    assert queries.get_venue_demo_site(session=district, code="TSG") is None


def test_plans_against_activities_held_per_year_and_category(district):
    assert rows(queries.get_venue_plans(session=district, code="FG-2")) == [
        [2026, "读书看报", 6, 3],
        [2026, "文化鉴赏及展览", None, None],
        [2026, "公众教育", None, 2],
        [2026, "文艺演出", 0, None],
        [2025, "读书看报", None, 3],
        [2025, "文化鉴赏及展览", None, None],
        [2025, "公众教育", None, None],
        [2025, "文艺演出", None, 1],
    ]
