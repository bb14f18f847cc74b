import datetime as dt
import math

import pandas as pd
import pytest

from culture_dash.formatting import plain
from culture_dash.periods import Period
from culture_dash.transforms import trends


def d(year, month):
    return dt.date(year, month, 1)


def series(values: dict, name="全区"):
    return pd.DataFrame({"month": list(values), "series": name, "value": [float(v) for v in values.values()]})


def rows(frame):
    return [[None if isinstance(v, float) and math.isnan(v) else v for v in r] for r in frame.itertuples(index=False)]


@pytest.mark.parametrize(
    ("end", "expected_start"),
    [
        (d(2026, 10), d(2023, 11)),  # 36 months of data: all of it
        (d(2025, 6), d(2023, 11)),  # never before the first month with data
    ],
)
def test_series_window_is_at_most_36_months(end, expected_start):
    months = [d(2023, 11), d(2024, 1), d(2026, 10)]
    assert trends.series_window(months, end) == (expected_start, end)


def test_series_window_of_a_long_history_keeps_the_last_36_months():
    assert trends.series_window([d(2015, 1)], d(2026, 10)) == (d(2023, 11), d(2026, 10))


def test_label_total_names_only_the_unnamed_series():
    frame = pd.DataFrame({"month": [d(2026, 1), d(2026, 1)], "series": ["", "白鹤镇"], "value": [1.0, 2.0]})
    assert trends.label_total(frame, "全区")["series"].tolist() == ["全区", "白鹤镇"]


def test_rolling_sum_needs_a_full_window_of_reported_months():
    values = {d(2025, m): m for m in range(1, 13)} | {d(2026, 1): 100, d(2026, 3): 5}
    out = trends.rolling_sum(series(values), start=d(2025, 1), end=d(2026, 3), window=12)
    # Dec 2025: 1+…+12 = 78; Jan 2026: 78 - 1 + 100 = 177; Feb and Mar 2026 miss February: not drawn.
    assert rows(out) == [[d(2025, 12), "全区", 78.0], [d(2026, 1), "全区", 177.0]]


def test_rolling_sum_is_per_series():
    frame = pd.concat(
        [series({d(2026, 1): 1, d(2026, 2): 2, d(2026, 3): 3}, "甲"), series({d(2026, 2): 10, d(2026, 3): 20}, "乙")]
    )
    out = trends.rolling_sum(frame, start=d(2026, 1), end=d(2026, 3), window=2)
    assert rows(out) == [
        [d(2026, 2), "甲", 3.0],
        [d(2026, 3), "甲", 5.0],
        [d(2026, 3), "乙", 30.0],
    ]


def township_series() -> pd.DataFrame:
    # 甲 is the largest over the window, 丙 second, then 乙 and 丁 (丁 has no report in February).
    frame = pd.concat(
        [
            series({d(2026, 1): 50, d(2026, 2): 60}, "甲"),
            series({d(2026, 1): 5, d(2026, 2): 6}, "乙"),
            series({d(2026, 1): 30, d(2026, 2): 10}, "丙"),
            series({d(2026, 1): 1}, "丁"),
        ],
        ignore_index=True,
    )
    return frame.assign(reporting=[3, 3, 1, 1, 2, 2, 1])


def test_fold_small_series_keeps_the_largest_and_adds_up_the_rest_month_by_month():
    frame = township_series()
    out, folded = trends.fold_small_series(frame, keep=2, other_label=lambda n: f"其他{n}个")
    assert folded == 2
    assert list(out.columns) == list(frame.columns)
    assert rows(out) == [
        [d(2026, 1), "甲", 50.0, 3],
        [d(2026, 2), "甲", 60.0, 3],
        [d(2026, 1), "丙", 30.0, 2],
        [d(2026, 2), "丙", 10.0, 2],
        [d(2026, 1), "其他2个", 6.0, 2],
        [d(2026, 2), "其他2个", 6.0, 1],
    ]
    # Nothing is lost: every month's total is the same before and after.
    assert out.groupby("month")["value"].sum().equals(frame.groupby("month")["value"].sum())


def test_fold_small_series_leaves_few_series_alone_and_never_folds_a_single_one():
    frame = township_series()
    same, folded = trends.fold_small_series(frame, keep=3, other_label=lambda n: f"其他{n}个")
    assert folded == 0 and same is frame  # four series, keep three: "其他1个" would only hide 丁's name


def test_rolling_sum_of_nothing_is_empty():
    assert trends.rolling_sum(series({}), start=d(2026, 1), end=d(2026, 3)).empty


def test_year_overlay_keeps_this_year_and_last_by_month_of_year():
    values = {d(2024, 12): 7, d(2025, 1): 10, d(2025, 2): 20, d(2026, 1): 11}
    out = trends.year_overlay(series(values), year=2026, year_format="{year}年")
    assert rows(out) == [[2025, "2025年", 1, 10.0], [2025, "2025年", 2, 20.0], [2026, "2026年", 1, 11.0]]


def test_seasonality_writes_each_cell_the_chinese_way():
    out = trends.seasonality(series({d(2025, 12): 123456, d(2026, 1): 8000}), year_format="{year}年")
    assert rows(out) == [[2025, 12, 123456.0, "2025年", "12.3万"], [2026, 1, 8000.0, "2026年", "8,000"]]


def field():
    """Three venues of one township (population 20,000) and one of an unpopulated township."""
    return pd.DataFrame(
        {
            "code": ["A", "B", "C", "D"],
            "name": ["甲", "乙", "丙", "丁"],
            "type": ["图书馆", "综合文化站", "图书馆", "图书馆"],
            "township": ["东镇", "东镇", "东镇", "西乡"],
            "value": [500.0, 800.0, 500.0, float("nan")],
            "reported_months": [3, 3, 2, 0],
            "cardholders": [50.0, float("nan"), 0.0, 10.0],
            "card_value": [500.0, float("nan"), 500.0, float("nan")],
            "population": [20000.0, 20000.0, 20000.0, float("nan")],
        }
    )


def test_ratios_per_10k_residents_and_per_cardholder():
    out = trends.with_ratios(field())
    assert rows(out[["code", "per_10k", "per_cardholder"]]) == [
        ["A", 250.0, 10.0],
        ["B", 400.0, None],  # issues no cards
        ["C", 250.0, None],  # no cardholders yet: no ratio rather than infinity
        ["D", None, None],
    ]


def test_top_ranks_the_whole_field_ties_share_a_rank_and_unreported_rows_are_left_out():
    out = trends.top_bottom(field(), by="value", count=10)
    assert out[["rank", "code"]].values.tolist() == [[1, "B"], [2, "A"], [2, "C"]]


def test_bottom_comes_weakest_first_with_their_rank_in_the_field():
    out = trends.top_bottom(field(), by="value", count=2, bottom=True)
    assert out[["rank", "code"]].values.tolist() == [[2, "C"], [2, "A"]]


def test_ranking_by_a_ratio_ranks_only_rows_that_have_it():
    out = trends.top_bottom(field(), by="per_cardholder", count=5)
    assert out[["rank", "code", "per_cardholder"]].values.tolist() == [[1, "A", 10.0]]


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("month", [Period.month(d(2026, 2)), Period.month(d(2026, 1)), Period.month(d(2025, 12))]),
        ("ytd", [Period.ytd(d(2026, 2)), Period.ytd(d(2026, 1)), Period.ytd(d(2025, 12))]),
        ("quarter", [Period("quarter", d(2026, 1), d(2026, 2)), Period.quarter(2025, 4)]),
        ("year", [Period("ytd", d(2026, 1), d(2026, 2)), Period.year(2025)]),
    ],
)
def test_period_options_newest_first_cut_at_the_latest_month(kind, expected):
    assert trends.period_options(kind, [d(2025, 12), d(2026, 1), d(2026, 2)]) == expected


def test_partial_quarter_is_recognised():
    assert trends.is_partial_quarter(Period("quarter", d(2026, 10), d(2026, 10)))
    assert not trends.is_partial_quarter(Period.quarter(2026, 3))


def test_venue_series_keeps_reported_months_only():
    months = pd.DataFrame({"month": [d(2026, 1), d(2026, 2), d(2026, 3)], "visits": pd.array([5, None, 7], "Float64")})
    assert rows(trends.venue_series(months, "visits")) == [[d(2026, 1), "visits", 5.0], [d(2026, 3), "visits", 7.0]]


def test_recent_months_sideways_newest_first_with_notes():
    months = pd.DataFrame(
        {
            "month": [d(2026, m) for m in (1, 2, 3)],
            "visits": pd.array([1000, None, 3000], "Float64"),
            "loans": 0,
            "note": [None, "闭馆*维修*", None],
        }
    )
    out = trends.recent_months(
        months,
        ["visits"],
        labels={"visits": "到馆人次（人次）"},
        month_format=lambda m: f"{m.month}月",
        note_label="备注",
        count=2,
    )
    assert list(out.columns) == ["3月", "2月"]
    assert out.to_dict(orient="index") == {
        "到馆人次（人次）": {"3月": "3,000", "2月": "—"},
        "备注": {"3月": "—", "2月": r"闭馆\*维修\*"},
    }


def test_recent_months_without_notes_has_no_note_row():
    months = pd.DataFrame({"month": [d(2026, 1)], "visits": [5.0], "note": [None]})
    out = trends.recent_months(months, ["visits"], labels={"visits": "到馆"}, month_format=str, note_label="备注")
    assert list(out.index) == ["到馆"]


def test_flag_subsidies_names_each_anomaly():
    frame = pd.DataFrame({"allocated": [10.0, 10.0, 10.0], "disbursed": [12.0, 5.0, None], "spent": [13.0, 4.0, 1.0]})
    assert trends.flag_subsidies(frame, disbursed_flag="拨付超下达", spent_flag="支出超拨付")["flag"].tolist() == [
        "拨付超下达；支出超拨付",
        "",
        "支出超拨付",
    ]


def test_plan_completion_rate_only_where_something_was_planned():
    plans = pd.DataFrame({"planned": pd.array([4, 0, None], "Float64"), "completed": pd.array([3, 2, 1], "Float64")})
    assert rows(trends.plan_completion(plans)[["rate"]]) == [[0.75], [None], [None]]


def test_venue_labels_name_type_and_township():
    table = pd.DataFrame(
        {"name": ["玉泉分馆", "玉泉分馆"], "type": ["图书馆直属分馆", "街镇图书分馆"], "township": ["玉泉街道"] * 2}
    )
    assert trends.venue_labels(table, label_format="{name}（{type} · {township}）")["label"].tolist() == [
        "玉泉分馆（图书馆直属分馆 · 玉泉街道）",
        "玉泉分馆（街镇图书分馆 · 玉泉街道）",
    ]


def test_markdown_in_registry_text_is_shown_as_written():
    assert plain("**[点我](http://x)** 1. <b>") == r"\*\*\[点我\](http://x)\*\* 1. \<b\>"


def test_as_table_formats_numbers_marks_missing_and_skips_absent_columns():
    frame = pd.DataFrame({"value": [1234567.0, float("nan")], "name": ["甲_乙", None], "rank": [1, 2]})
    out = trends.as_table(frame, numbers={"value": "{:,.0f}", "per_10k": "{:.1f}"}, texts=("name", "label"))
    assert out.values.tolist() == [["1,234,567", r"甲\_乙", 1], ["—", "—", 2]]
