import datetime as dt

import pandas as pd
import pytest

from culture_dash.ingest import cells


def parse(func, *texts, **kwargs):
    values, reasons = func(cells.clean(pd.Series(texts, dtype=object)), **kwargs)
    return [None if v is None or v is pd.NA or v != v else v for v in values], [
        r if isinstance(r, str) else None for r in reasons
    ]


def test_numbers_accept_full_width_digits_and_thousands_separators():
    values, reasons = parse(cells.parse_number, "１２，３４５", "12,345", " 7 ", "", integer=True)
    assert values[:3] == [12345, 12345, 7]
    assert values[3] is None
    assert reasons == [None, None, None, None]


@pytest.mark.parametrize(
    ("text", "reason"),
    [("-3", "不能为负数"), ("1.5", "应为整数"), ("abc", "不是有效的数字"), ("1,23", "不是有效的数字")],
)
def test_bad_integers_say_why(text, reason):
    assert parse(cells.parse_number, text, integer=True)[1] == [reason]


def test_money_allows_four_decimals_only():
    assert parse(cells.parse_number, "1.2345", "1.23456", minimum=0, decimals=4)[1] == [None, "最多 4 位小数"]


@pytest.mark.parametrize("text", ["2026-10", "2026/10", "2026.10", "2026年10月", "2026-10-01", "２０２６年１０月"])
def test_month_spellings(text):
    assert parse(cells.parse_month, text) == ([dt.date(2026, 10, 1)], [None])


@pytest.mark.parametrize("text", ["2026-13", "10/2026", "2026", "2026-02-30"])
def test_bad_months(text):
    values, reasons = parse(cells.parse_month, text)
    assert values == [None]
    assert reasons[0].startswith("不是有效的月份")


@pytest.mark.parametrize("text", ["2026-10-05", "2026/10/5", "2026.10.05", "2026年10月5日", "2026-10-05 00:00:00"])
def test_date_spellings(text):
    assert parse(cells.parse_date, text) == ([dt.date(2026, 10, 5)], [None])


def test_choices_and_booleans():
    assert parse(cells.parse_bool, "是", "否", "Y", "也许") == (
        [True, False, True, None],
        [None, None, None, "应为「是」或「否」"],
    )
