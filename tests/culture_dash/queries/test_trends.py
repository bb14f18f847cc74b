import datetime as dt

import pandas as pd
import pytest

from culture_dash.queries import trends as queries
from tests.factories import load, seed_registry

JAN25, FEB25, JAN26, FEB26 = dt.date(2025, 1, 1), dt.date(2025, 2, 1), dt.date(2026, 1, 1), dt.date(2026, 2, 1)


def month(month, venue, visits, loans="", cards="", events=("", "", "", "")):
    reading, exhibition, education, performance = events
    return {
        "month": month,
        "venue_code": venue,
        "visits": visits,
        "loans": loans,
        "new_cardholders": cards,
        "reading_events": reading,
        "exhibition_events": exhibition,
        "education_events": education,
        "performance_events": performance,
    }


# 青溪街道 (56,000 residents): WHG 文化馆, TSG 图书馆, ZHAN-1 综合文化站;
# 白鹤镇 (32,000): ZHAN-2 综合文化站, FG-2 街镇图书分馆.
# FG-2 misses 2025-02, WHG starts in 2025-02, ZHAN-2 reports no events in 2025-01, ZHAN-1 misses 2026-02.
MONTHLY = [
    month("2025-01", "TSG", 1000, 800, 50, (2, 1, 0, 1)),
    month("2025-01", "FG-2", 200, 150, 10, (1, 0, 0, 0)),
    month("2025-01", "ZHAN-1", 300, events=(0, 1, 2, 3)),
    month("2025-01", "ZHAN-2", 100),
    month("2025-02", "TSG", 1100, 820, 40, (1, 1, 1, 1)),
    month("2025-02", "ZHAN-1", 350, events=(1, 0, 0, 0)),
    month("2025-02", "ZHAN-2", 120, events=(0, 0, 0, 2)),
    month("2025-02", "WHG", 500, events=(1, 1, 1, 1)),
    month("2026-01", "TSG", 1200, 900, 30, (0, 0, 0, 0)),
    month("2026-01", "FG-2", 250, 100, 5, (2, 0, 0, 0)),
    month("2026-01", "ZHAN-1", 400, events=(0, 0, 5, 0)),
    month("2026-01", "WHG", 600, events=(0, 3, 0, 0)),
    month("2026-02", "TSG", 1300, 950, 20, (1, 0, 0, 0)),
    month("2026-02", "FG-2", 260, 90, 0, (0, 0, 0, 0)),
    month("2026-02", "ZHAN-2", 90, events=(0, 0, 0, 1)),
    month("2026-02", "WHG", 700, events=(0, 0, 0, 0)),
]


@pytest.fixture
def district(session):
    seed_registry(session)
    load(session, "monthly", MONTHLY)
    return session


def rows(frame):
    """The frame's rows as lists, a missing value as None."""
    return [[None if pd.isna(v) else v for v in r] for r in frame.itertuples(index=False)]


def test_months_lists_every_month_with_a_report(district):
    assert queries.get_months(session=district) == [JAN25, FEB25, JAN26, FEB26]


def test_district_total_sums_every_venue_and_counts_reporters(district):
    frame = queries.get_metric_series(session=district, metric="visits", start=JAN25, end=FEB26)
    assert rows(frame) == [
        [JAN25, "", 1600.0, 4],
        [FEB25, "", 2070.0, 4],
        [JAN26, "", 2450.0, 4],
        [FEB26, "", 2350.0, 4],
    ]


def test_series_stays_inside_the_window(district):
    frame = queries.get_metric_series(session=district, metric="visits", start=FEB25, end=JAN26)
    assert frame["month"].tolist() == [FEB25, JAN26]


def test_activities_add_the_four_categories_and_skip_venues_that_reported_none(district):
    frame = queries.get_metric_series(session=district, metric="activities", start=JAN25, end=FEB25)
    # 2025-01: TSG 4 + FG-2 1 + ZHAN-1 6; ZHAN-2 left every event cell empty, so it is not a reporter.
    assert rows(frame) == [[JAN25, "", 11.0, 3], [FEB25, "", 4 + 1 + 2 + 4, 4]]


def test_split_by_type_follows_the_registry_order_of_types(district):
    frame = queries.get_metric_series(session=district, metric="visits", start=JAN26, end=FEB26, split="type")
    assert rows(frame) == [
        [JAN26, "文化馆", 600.0, 1],
        [FEB26, "文化馆", 700.0, 1],
        [JAN26, "图书馆", 1200.0, 1],
        [FEB26, "图书馆", 1300.0, 1],
        [JAN26, "街镇图书分馆", 250.0, 1],
        [FEB26, "街镇图书分馆", 260.0, 1],
        [JAN26, "综合文化站", 400.0, 1],
        [FEB26, "综合文化站", 90.0, 1],
    ]


def test_split_by_township_names_each_township(district):
    frame = queries.get_metric_series(session=district, metric="visits", start=JAN26, end=FEB26, split="township")
    assert rows(frame) == [
        [JAN26, "青溪街道", 2200.0, 3],
        [FEB26, "青溪街道", 2000.0, 2],
        [JAN26, "白鹤镇", 250.0, 1],
        [FEB26, "白鹤镇", 350.0, 2],
    ]


def test_townships_of_the_same_name_stay_apart_and_carry_their_code(district):
    # A city-wide registry: another district's 白鹤镇, with a venue that reported.
    load(district, "townships", [{"code": "510299002", "name": "白鹤镇", "kind": "镇", "population": "9000"}])
    load(
        district,
        "venues",
        [{"venue_code": "ZHAN-9", "name": "另一白鹤镇文化站", "type": "综合文化站", "township": "510299002"}],
    )
    load(district, "monthly", [month("2026-01", "ZHAN-9", 70)])
    frame = queries.get_metric_series(session=district, metric="visits", start=JAN26, end=JAN26, split="township")
    assert rows(frame) == [
        [JAN26, "青溪街道", 2200.0, 3],
        [JAN26, "白鹤镇（510199002）", 250.0, 1],
        [JAN26, "白鹤镇（510299002）", 70.0, 1],
    ]
    ranking = queries.get_ranking(session=district, metric="visits", start=JAN26, end=JAN26, level="township")
    assert sorted(ranking["name"]) == sorted(["青溪街道", "白鹤镇（510199002）", "白鹤镇（510299002）"])


def test_a_metric_only_libraries_report_leaves_out_months_and_groups_without_it(district):
    frame = queries.get_metric_series(session=district, metric="loans", start=JAN25, end=FEB25, split="township")
    assert rows(frame) == [[JAN25, "青溪街道", 800.0, 1], [FEB25, "青溪街道", 820.0, 1], [JAN25, "白鹤镇", 150.0, 1]]


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        ({"venue_types": ["综合文化站"]}, [400.0, 90.0]),
        ({"township_codes": ["510199002"]}, [250.0, 350.0]),
        ({"venue_types": ["图书馆", "街镇图书分馆"], "township_codes": ["510199002"]}, [250.0, 260.0]),
        ({"venue_code": "WHG"}, [600.0, 700.0]),
    ],
)
def test_scope_filters_narrow_the_total(district, scope, expected):
    frame = queries.get_metric_series(session=district, metric="visits", start=JAN26, end=FEB26, **scope)
    assert frame["value"].tolist() == expected


def test_single_venue_series_is_named_after_the_venue(district):
    frame = queries.get_metric_series(
        session=district, metric="visits", start=JAN25, end=FEB26, split="venue", venue_code="FG-2"
    )
    assert rows(frame) == [
        [JAN25, "白鹤镇图书分馆", 200.0, 1],
        [JAN26, "白鹤镇图书分馆", 250.0, 1],
        [FEB26, "白鹤镇图书分馆", 260.0, 1],
    ]


def test_venue_ranking_sums_the_period_and_counts_cardholders_up_to_its_end(district):
    frame = queries.get_ranking(session=district, metric="visits", start=JAN26, end=FEB26)
    assert rows(frame) == [
        # code, name, type, township, value, months, cardholders (50+10+40+30+5+20+0 by venue), card_value, population
        ["FG-2", "白鹤镇图书分馆", "街镇图书分馆", "白鹤镇", 510.0, 2, 15.0, 510.0, 32000.0],
        ["TSG", "青溪区图书馆", "图书馆", "青溪街道", 2500.0, 2, 140.0, 2500.0, 56000.0],
        ["WHG", "青溪区文化馆", "文化馆", "青溪街道", 1300.0, 2, None, None, 56000.0],
        ["ZHAN-1", "青溪街道综合文化站", "综合文化站", "青溪街道", 400.0, 1, None, None, 56000.0],
        ["ZHAN-2", "白鹤镇综合文化站", "综合文化站", "白鹤镇", 90.0, 1, None, None, 32000.0],
    ]


def test_cardholders_count_only_months_up_to_the_period_end(district):
    frame = queries.get_ranking(session=district, metric="visits", start=JAN25, end=JAN25)
    assert frame[["code", "value", "cardholders"]].values.tolist()[1] == ["TSG", 1000.0, 50.0]
    assert "WHG" not in frame["code"].tolist()  # no report by then: nothing to rank


def test_township_ranking_adds_up_venues_and_counts_card_issuing_venues_apart(district):
    frame = queries.get_ranking(session=district, metric="visits", start=JAN26, end=FEB26, level="township")
    assert rows(frame) == [
        ["510199001", "青溪街道", None, "青溪街道", 4200.0, 5, 140.0, 2500.0, 56000.0],
        ["510199002", "白鹤镇", None, "白鹤镇", 600.0, 3, 15.0, 510.0, 32000.0],
    ]


def test_ranking_scope_by_venue_type(district):
    frame = queries.get_ranking(
        session=district, metric="visits", start=JAN26, end=FEB26, level="township", venue_types=["综合文化站"]
    )
    assert [r[:2] + r[6:8] for r in rows(frame)] == [
        ["510199001", "青溪街道", None, None],
        ["510199002", "白鹤镇", None, None],
    ]
    assert frame["value"].tolist() == [400.0, 90.0]


def test_unknown_metric_is_refused(district):
    with pytest.raises(ValueError, match="unknown metric"):
        queries.get_metric_series(session=district, metric="visits; drop table venue", start=JAN25, end=FEB26)


@pytest.mark.parametrize("level", ["venue", "township"])
@pytest.mark.parametrize("by", ["value", "per_10k", "per_cardholder"])
@pytest.mark.parametrize("count", [1, 2, 10])
@pytest.mark.parametrize("bottom", [False, True])
def test_top_ranking_in_sql_equals_the_top_of_the_whole_field(district, level, by, count, bottom):
    from culture_dash.transforms.trends import top_bottom, with_ratios

    field = queries.get_ranking(session=district, metric="visits", start=JAN26, end=FEB26, level=level)
    top = queries.get_top_ranking(
        session=district, metric="visits", start=JAN26, end=FEB26, level=level, by=by, count=count, bottom=bottom
    )
    expected = top_bottom(field, by=by, count=count, bottom=bottom)
    assert list(top.table.columns) == list(expected.columns)
    assert rows(top.table) == rows(expected)
    assert top.ranked == int(with_ratios(field)[by].notna().sum())
    assert top.with_value == (5 if level == "venue" else 2)


def test_top_ranking_by_type_and_with_nothing_ranked(district):
    top = queries.get_top_ranking(
        session=district, metric="visits", start=JAN26, end=FEB26, venue_types=["综合文化站"], by="per_cardholder"
    )
    assert (top.table.empty, top.ranked, top.with_value) == (True, 0, 2)  # stations report visits, issue no cards
    top = queries.get_top_ranking(session=district, metric="loans", start=JAN26, end=FEB26, venue_types=["文化馆"])
    assert (top.table.empty, top.ranked, top.with_value) == (True, 0, 0)
