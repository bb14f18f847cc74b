import datetime as dt

import pandas as pd
import pytest

from culture_dash.queries import sites as queries
from culture_dash.transforms import sites as transforms
from tests.factories import load, seed_registry

ROOM_NAMES = {"has_library_room": "图书室", "has_e_reading_room": "电子阅览室", "has_multi_room": "多功能室"}


def rows(frame):
    return [[None if pd.isna(v) else v for v in r] for r in frame.itertuples(index=False)]


@pytest.fixture
def district(session):
    seed_registry(session)
    sites = [
        {"venue_code": "ZHAN-1", "batch_year": "2024", "level": "省级", "stage": "已验收", "has_library_room": "是",
         "has_e_reading_room": "是", "has_multi_room": "是", "stage_date": "2025-04-16"},
        {"venue_code": "ZHAN-2", "batch_year": "2026", "level": "区级", "stage": "申报", "has_library_room": "是",
         "has_e_reading_room": "否", "stage_date": "2026-05-07"},
    ]  # fmt: skip
    load(session, "demo_sites", sites)
    subsidies = [
        {"year": "2026", "source": "中央", "programme": "免费开放", "venue_code": "ZHAN-1", "allocated": "5",
         "disbursed": "5", "spent": "4.5"},
        {"year": "2026", "source": "区级", "programme": "示范点建设", "venue_code": "ZHAN-1", "allocated": "10",
         "disbursed": "8", "spent": "3.5"},
        {"year": "2025", "source": "区级", "programme": "示范点建设", "venue_code": "ZHAN-1", "allocated": "99"},
        {"year": "2026", "source": "区级", "programme": "示范点建设", "venue_code": "ZHAN-2", "allocated": "6"},
        {"year": "2026", "source": "区级", "programme": "免费开放", "venue_code": "WHG", "allocated": "50",
         "spent": "50"},
    ]  # fmt: skip
    load(session, "subsidies", subsidies)
    monthly = [
        {
            "month": "2026-01",
            "venue_code": "ZHAN-1",
            "visits": "1000",
            "reading_events": "3",
            "performance_events": "1",
        },
        {"month": "2026-02", "venue_code": "ZHAN-1", "visits": "600", "education_events": "2"},
        {"month": "2025-12", "venue_code": "ZHAN-1", "visits": "99999", "reading_events": "99"},
        {"month": "2026-02", "venue_code": "ZHAN-2", "visits": "300"},
        {"month": "2026-03", "venue_code": "WHG", "visits": "5000"},
    ]  # fmt: skip
    load(session, "monthly", monthly)
    return session


def test_sites_name_their_venue_township_stage_and_rooms(district):
    assert rows(queries.get_sites(session=district)) == [
        ["ZHAN-1", "青溪街道综合文化站", "综合文化站", "510199001", "青溪街道", 2024, "省级", "已验收",
         dt.date(2025, 4, 16), True, True, True],
        ["ZHAN-2", "白鹤镇综合文化站", "综合文化站", "510199002", "白鹤镇", 2026, "区级", "申报",
         dt.date(2026, 5, 7), True, False, None],
    ]  # fmt: skip


def test_funds_sum_all_programmes_and_site_construction_of_the_year_for_sites_only(district):
    assert rows(queries.get_site_funds(session=district, year=2026)) == [
        ["ZHAN-1", 15.0, 13.0, 8.0, 10.0, 8.0, 3.5],
        ["ZHAN-2", 6.0, 0.0, 0.0, 6.0, 0.0, 0.0],
    ]


def test_service_counts_the_years_months_visits_and_activities(district):
    assert rows(queries.get_site_service(session=district, year=2026)) == [
        ["ZHAN-1", 2, 1600, 6],
        ["ZHAN-2", 1, 300, None],
    ]
    assert queries.get_site_months(session=district, year=2026) == [dt.date(2026, 1, 1), dt.date(2026, 2, 1)]


def test_years_cover_funds_and_reports_of_sites(district):
    assert queries.get_site_years(session=district) == [2025, 2026]


def test_site_table_flags_missing_rooms_and_has_no_per_wan_figure_without_spending(district):
    table = transforms.site_table(
        queries.get_sites(session=district),
        queries.get_site_funds(session=district, year=2026),
        queries.get_site_service(session=district, year=2026),
        room_names=ROOM_NAMES,
    )
    assert list(table["missing_rooms"]) == ["", "电子阅览室、多功能室"]
    assert list(table["rooms_complete"]) == [True, False]
    assert table["visits_per_wan"].iloc[0] == 1600 / 8.0
    assert table["activities_per_wan"].iloc[0] == 6 / 8.0
    assert pd.isna(table["visits_per_wan"].iloc[1])  # nothing spent: no figure
    assert transforms.per_wan_text(table["visits_per_wan"], "{:,.1f}") == ["200.0", "—"]
    summary = transforms.totals(table)
    assert (summary["sites"], summary["missing_rooms"], summary["spent"], summary["paying_sites"]) == (2, 1, 8.0, 1)
    assert summary["visits_per_wan"] == 1600 / 8.0  # the site that spent nothing does not inflate it


def test_a_year_with_nothing_spent_has_no_total_per_wan(district):
    table = transforms.site_table(
        queries.get_sites(session=district),
        queries.get_site_funds(session=district, year=2030),
        queries.get_site_service(session=district, year=2030),
        room_names=ROOM_NAMES,
    )
    assert list(table["spent"]) == [0.0, 0.0]
    assert transforms.totals(table)["visits_per_wan"] is None


def test_stage_pipeline_counts_every_stage_of_every_batch(district):
    sites = queries.get_sites(session=district)
    pipeline = transforms.stage_pipeline(sites, ("申报", "建设中", "已验收", "已授牌"))
    assert rows(pipeline) == [
        [2024, "申报", 0, 0], [2024, "建设中", 1, 0], [2024, "已验收", 2, 1], [2024, "已授牌", 3, 0],
        [2026, "申报", 0, 1], [2026, "建设中", 1, 0], [2026, "已验收", 2, 0], [2026, "已授牌", 3, 0],
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("filters", "codes"),
    [
        ({}, ["ZHAN-1", "ZHAN-2"]),
        ({"batch_years": [2026]}, ["ZHAN-2"]),
        ({"levels": ["省级"]}, ["ZHAN-1"]),
        ({"stages": ["申报", "已验收"]}, ["ZHAN-1", "ZHAN-2"]),
        ({"batch_years": [2024], "stages": ["申报"]}, []),
    ],
)
def test_filters(district, filters, codes):
    assert list(transforms.filter_sites(queries.get_sites(session=district), **filters)["code"]) == codes
