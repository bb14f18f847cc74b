import datetime as dt

import pandas as pd

from culture_dash.periods import Period
from culture_dash.queries.core import EVENT_COLUMNS, METRIC_COLUMNS
from culture_dash.transforms import overview as transforms

SEP, OCT = dt.date(2026, 9, 1), dt.date(2026, 10, 1)


def monthly(rows: list[dict]) -> pd.DataFrame:
    columns = ["month", "reports", *METRIC_COLUMNS, *EVENT_COLUMNS]
    return pd.DataFrame(rows, columns=columns).astype(dict.fromkeys(columns[2:], float))


def test_metric_kpis_sum_the_period_compare_with_a_year_earlier_and_keep_the_trend():
    current = monthly([{"month": OCT, "visits": 120, "reading_events": 2, "performance_events": 1}])
    previous = monthly([{"month": dt.date(2025, 10, 1), "visits": 100, "reading_events": 3}])
    trend = monthly([{"month": SEP, "visits": 90, "reading_events": 1}, {"month": OCT, "visits": 120}])
    kpis = transforms.metric_kpis(current, previous, trend).set_index("metric")
    assert kpis.loc["visits", ["value", "previous", "unit"]].tolist() == [120.0, 100.0, "人次"]
    assert round(kpis.at["visits", "yoy"], 4) == 0.2
    assert kpis.at["visits", "trend"] == [90.0, 120.0]
    assert kpis.loc["activities", ["value", "previous", "yoy"]].tolist() == [3.0, 3.0, 0.0]
    # Loans never reported: None (shown as —), not 0, and no change to speak of.
    assert kpis.loc["loans", ["value", "previous", "yoy"]].tolist() == [None, None, None]
    assert kpis.at["activities", "trend"] == [1.0]


def test_activity_completion_pro_rates_the_year_plan():
    current = monthly([{"month": SEP, "reading_events": 5, "education_events": 1}, {"month": OCT, "reading_events": 4}])
    plan = pd.DataFrame({"category": ["读书看报", "文化鉴赏及展览", "公众教育", "文艺演出"], "planned": [60, 0, 12, 6]})
    frame = transforms.activity_completion(current, plan, months=2).set_index("category")
    assert frame.loc["读书看报", ["held", "planned_year", "planned", "rate"]].tolist() == [9.0, 60.0, 10.0, 0.9]
    assert frame.at["文化鉴赏及展览", "rate"] is None
    assert frame.loc["合计", ["held", "planned_year", "planned"]].tolist() == [10.0, 78.0, 13.0]
    assert round(frame.at["合计", "rate"], 4) == round(10 / 13, 4)


def test_period_options_newest_first_and_cut_at_the_latest_month():
    months = [dt.date(2025, 11, 1), dt.date(2025, 12, 1), SEP, OCT]
    assert [p.label() for p in transforms.period_options(months, "month")] == [
        "2026年10月", "2026年9月", "2025年12月", "2025年11月"]  # fmt: skip
    quarters = transforms.period_options(months, "quarter")
    assert [transforms.period_title(p) for p in quarters] == [
        "2026年第四季度（截至10月）",
        "2026年第三季度",
        "2025年第四季度",
    ]
    assert transforms.period_options(months, "year") == [Period.ytd(OCT), Period.year(2025)]
    assert transforms.period_options(months, "ytd")[0] == Period.ytd(OCT)


def test_township_ranking_per_10000_residents_skips_townships_without_population_or_reports():
    townships = pd.DataFrame(
        {
            "code": ["1", "2", "3", "4"],
            "name": ["甲", "乙", "丙", "丁"],
            "population": [20000, 10000, None, 5000],
            "visits": [3000, 2000, 900, None],
        }
    )
    ranking = transforms.township_ranking(townships)
    assert ranking[["name", "per_10k"]].to_dict("records") == [
        {"name": "乙", "per_10k": 2000.0},
        {"name": "甲", "per_10k": 1500.0},
    ]
