"""资金 reads and transforms against sums worked out by hand from a handful of subsidy records."""

import datetime as dt

import pytest

from culture_dash.queries import funds as q
from culture_dash.transforms import funds as transforms
from tests.factories import load, seed_registry

COLUMNS = ("year", "source", "programme", "venue_code", "allocated", "disbursed", "spent", "doc_no")
RECORDS = [
    # 青溪街道: WHG, TSG, ZHAN-1; 白鹤镇: ZHAN-2, FG-2
    (2026, "中央", "免费开放", "WHG", "40", "40", "30", "财教〔2026〕1号"),
    (2026, "区级", "免费开放", "TSG", "20", "10", "2", ""),  # 2 < 0.5 × 0.5 × 20 = 5: behind
    (2026, "省级", "设备购置", "ZHAN-2", "10.5", "12", "6", ""),  # disbursed > allocated
    (2026, "区级", "总分馆建设", "FG-2", "8.1234", "4", "4.5", ""),  # spent > disbursed
    (2026, "区级", "其他", "ZHAN-1", "5", "", "", ""),  # nothing reported: behind
    (2025, "中央", "免费开放", "WHG", "40", "40", "40", ""),
    (2025, "市级", "示范点建设", "ZHAN-2", "6", "6", "2", ""),  # 2 < 0.5 × 6 = 3: behind in a past year
]


@pytest.fixture
def funds_db(session):
    seed_registry(session)
    load(session, "subsidies", [dict(zip(COLUMNS, map(str, r), strict=True)) for r in RECORDS])
    return session


def test_years_newest_first(funds_db):
    assert q.get_subsidy_years(session=funds_db) == [2026, 2025]


@pytest.mark.parametrize(
    ("by", "rows"),
    [
        (
            "source",
            [["中央", 1, 40.0, 40.0, 30.0], ["省级", 1, 10.5, 12.0, 6.0], ["区级", 3, 33.1234, 14.0, 6.5]],
        ),
        (
            "programme",
            [
                ["免费开放", 2, 60.0, 50.0, 32.0],
                ["总分馆建设", 1, 8.1234, 4.0, 4.5],
                ["设备购置", 1, 10.5, 12.0, 6.0],
                ["其他", 1, 5.0, 0.0, 0.0],
            ],
        ),
        ("township", [["青溪街道", 3, 65.0, 50.0, 32.0], ["白鹤镇", 2, 18.6234, 16.0, 10.5]]),
    ],
)
def test_sums_per_group(funds_db, by, rows):
    # Sources and programmes in their official order; townships by code (the query's own order).
    frame = transforms.in_order(q.get_funds_by(session=funds_db, year=2026, by=by), by)
    assert frame.values.tolist() == rows


def test_sources_and_programmes_in_their_official_order(funds_db):
    by_source = transforms.in_order(q.get_funds_by(session=funds_db, year=2026, by="source"), "source")
    assert list(by_source["source"]) == ["中央", "省级", "区级"]
    by_programme = transforms.in_order(q.get_funds_by(session=funds_db, year=2026, by="programme"), "programme")
    assert list(by_programme["programme"]) == ["免费开放", "总分馆建设", "设备购置", "其他"]


def test_totals_and_rates(funds_db):
    totals = transforms.totals(q.get_funds_by(session=funds_db, year=2026, by="source"))
    assert totals == {
        "allocated": 83.6234,
        "disbursed": 66.0,
        "spent": 42.5,
        "execution": 42.5 / 83.6234,
        "disbursement": 66.0 / 83.6234,
    }


def test_by_year(funds_db):
    frame = q.get_funds_by_year(session=funds_db)
    assert frame.values.tolist() == [[2025, 46.0, 46.0, 42.0], [2026, 83.6234, 66.0, 42.5]]


def test_anomalies_flag_each_rule(funds_db):
    frame = q.get_subsidy_anomalies(session=funds_db, year=2026, min_execution=0.25)
    flags = frame[["venue_code", "programme", "over_allocated", "over_disbursed", "behind"]].values.tolist()
    assert flags == [
        ["TSG", "免费开放", False, False, True],
        ["ZHAN-1", "其他", False, False, True],
        ["FG-2", "总分馆建设", False, True, False],
        ["ZHAN-2", "设备购置", True, False, False],
    ]
    past = q.get_subsidy_anomalies(session=funds_db, year=2025, min_execution=0.5)
    assert past[["venue_code", "behind"]].values.tolist() == [["ZHAN-2", True]]


@pytest.mark.parametrize(
    ("year", "today", "share"),
    [
        (2025, dt.date(2026, 11, 26), 1.0),
        (2027, dt.date(2026, 11, 26), 0.0),
        (2026, dt.date(2026, 1, 1), 1 / 365),
        (2026, dt.date(2026, 7, 2), 183 / 365),
        (2028, dt.date(2028, 12, 31), 1.0),
    ],
)
def test_elapsed_share_of_the_year(year, today, share):
    assert transforms.elapsed_share(year, today) == pytest.approx(share)
    assert transforms.min_execution(year, today) == pytest.approx(share / 2)


def test_long_amounts_for_the_chart(funds_db):
    frame = transforms.in_order(q.get_funds_by(session=funds_db, year=2026, by="source"), "source")
    labels = {"allocated": "下达", "disbursed": "已拨付", "spent": "已支出"}
    long = transforms.long_amounts(frame, "source", labels)
    assert long.values.tolist()[:4] == [
        ["中央", "下达", 40.0],
        ["省级", "下达", 10.5],
        ["区级", "下达", 33.1234],
        ["中央", "已拨付", 40.0],
    ]


def test_anomaly_rows_name_the_issues_and_leave_missing_amounts_empty(funds_db):
    frame = q.get_subsidy_anomalies(session=funds_db, year=2026, min_execution=0.25)
    labels = {"over_allocated": "拨付超下达", "over_disbursed": "支出超拨付", "behind": "执行滞后"}
    shown = transforms.anomaly_rows(frame, labels)
    assert shown[["venue_code", "issues", "allocated_text", "disbursed_text", "spent_text"]].values.tolist() == [
        ["TSG", "执行滞后", "20.00", "10.00", "2.00"],
        ["ZHAN-1", "执行滞后", "5.00", "", ""],
        ["FG-2", "支出超拨付", "8.12", "4.00", "4.50"],
        ["ZHAN-2", "拨付超下达", "10.50", "12.00", "6.00"],
    ]
