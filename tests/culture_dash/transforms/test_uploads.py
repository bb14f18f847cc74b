import datetime as dt

import pandas as pd

from culture_dash.transforms import uploads


def test_upload_times_are_shown_in_beijing_time_whether_stored_naive_or_aware():
    stored = pd.Series([dt.datetime(2026, 11, 25, 16, 30), dt.datetime(2026, 11, 26, 1, 5, tzinfo=dt.UTC)])
    assert uploads.local_time(stored).tolist() == ["2026-11-26 00:30", "2026-11-26 09:05"]


def test_change_table_adds_a_total_and_names_months_the_chinese_way():
    records = [
        {"key": "2026-09", "inserted": 0, "replaced": 2, "unchanged": 5},
        {"key": "2026-10", "inserted": 7, "replaced": 0, "unchanged": 0},
    ]
    assert uploads.change_table(records, months=True).to_dict("records") == [
        {"key": "合计", "inserted": 7, "replaced": 2, "unchanged": 5},
        {"key": "2026年9月", "inserted": 0, "replaced": 2, "unchanged": 5},
        {"key": "2026年10月", "inserted": 7, "replaced": 0, "unchanged": 0},
    ]
    assert uploads.change_table([]).empty


def test_batch_rows_take_the_upload_headers():
    rows = pd.DataFrame(
        {
            "month": [dt.date(2026, 10, 1)],
            "venue_code": ["WHG"],
            "venue_name": ["青溪区文化馆"],
            "visits": [10],
            "loans": [None],
        }
    )
    assert uploads.batch_rows_table(rows, "monthly").to_dict("records") == [
        {"月份": "2026-10", "场馆编码": "WHG", "场馆名称": "青溪区文化馆", "到馆人次": 10, "借还册次": ""}
    ]


def test_township_rates_and_the_missing_list():
    counts = pd.DataFrame(
        {"township_code": ["1", "2"], "township": ["甲", "乙"], "expected": [3, 0], "reported": [2, 0]}
    )
    rates = uploads.township_rates(counts)
    assert rates["missing"].tolist() == [1, 0]
    assert rates["rate_percent"].fillna(-1).tolist() == [66.7, -1]  # no venue due: no rate
    status = pd.DataFrame(
        {
            "township_code": ["1", "1"],
            "township": ["甲", "甲"],
            "venue_code": ["A", "B"],
            "venue_name": ["甲站", "乙站"],
            "venue_type": ["综合文化站", "图书馆"],
            "reported": [True, False],
        }
    )
    assert uploads.missing_venues(status).to_dict("records") == [
        {"township": "甲", "venue_code": "B", "venue_name": "乙站", "venue_type": "图书馆"}
    ]
