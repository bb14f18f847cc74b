import datetime as dt

import pytest

from culture_dash.periods import Period, month_end


@pytest.mark.parametrize(
    ("text", "first", "last", "label"),
    [
        ("2026-10", dt.date(2026, 10, 1), dt.date(2026, 10, 1), "2026年10月"),
        ("2026-Q3", dt.date(2026, 7, 1), dt.date(2026, 9, 1), "2026年第三季度"),
        ("2026-ytd-10", dt.date(2026, 1, 1), dt.date(2026, 10, 1), "2026年1—10月"),
        ("2026", dt.date(2026, 1, 1), dt.date(2026, 12, 1), "2026年"),
    ],
)
def test_parse(text, first, last, label):
    period = Period.parse(text)
    assert (period.start, period.end, period.label()) == (first, last, label)


def test_months_and_previous_year():
    period = Period.parse("2026-Q4")
    assert period.months() == [dt.date(2026, 10, 1), dt.date(2026, 11, 1), dt.date(2026, 12, 1)]
    assert period.previous_year().months() == [dt.date(2025, 10, 1), dt.date(2025, 11, 1), dt.date(2025, 12, 1)]


def test_a_year_in_progress_is_clipped_to_year_to_date():
    assert Period.parse("2026").clipped(dt.date(2026, 10, 1)) == Period.parse("2026-ytd-10")


def test_bad_period_text_is_refused_in_chinese():
    with pytest.raises(ValueError, match="无法识别的统计期"):
        Period.parse("上个月")


@pytest.mark.parametrize(
    ("month", "last_day"),
    [
        (dt.date(2026, 2, 1), dt.date(2026, 2, 28)),
        (dt.date(2024, 2, 10), dt.date(2024, 2, 29)),
        (dt.date(2026, 12, 1), dt.date(2026, 12, 31)),
    ],
)
def test_month_end(month, last_day):
    assert month_end(month) == last_day


def test_selector_options_newest_first_and_cut_at_the_latest_month():
    from culture_dash import periods

    months = [dt.date(2025, 11, 1), dt.date(2025, 12, 1), dt.date(2026, 1, 1), dt.date(2026, 2, 1)]
    assert periods.options(months, "quarter") == [
        Period("quarter", dt.date(2026, 1, 1), dt.date(2026, 2, 1)),
        Period.quarter(2025, 4),
    ]
    assert periods.options(months, "year") == [Period.ytd(dt.date(2026, 2, 1)), Period.year(2025)]
    assert [periods.title(p) for p in periods.options(months, "quarter")] == [
        "2026年第一季度（截至2月）",
        "2025年第四季度",
    ]
