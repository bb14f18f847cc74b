import datetime as dt

import pytest

from culture_dash.queries import completeness
from tests.factories import load, seed_registry

OCTOBER = dt.date(2026, 10, 1)


@pytest.fixture
def reported(session):
    """Five venues in two townships plus one opened in November; WHG and ZHAN-2 reported for October."""
    seed_registry(session)
    load(
        session,
        "venues",
        [
            {
                "venue_code": "NEW-1",
                "name": "新馆",
                "type": "流动服务点",
                "township": "白鹤镇",
                "opened_on": "2026-11-05",
            }
        ],
    )
    load(
        session,
        "monthly",
        [
            {"month": "2026-10", "venue_code": "WHG", "visits": "10"},
            {"month": "2026-10", "venue_code": "ZHAN-2"},  # a row with no numbers still counts as reported
            {"month": "2026-09", "venue_code": "TSG", "visits": "5"},
            {"month": "2026-11", "venue_code": "NEW-1", "visits": "1"},
        ],
    )
    return session


def test_reporting_status_lists_every_venue_open_by_the_month_end(reported):
    status = completeness.get_reporting_status(session=reported, month=OCTOBER)
    assert status.to_dict("list") == {
        "township_code": ["510199001"] * 3 + ["510199002"] * 2,
        "township": ["青溪街道"] * 3 + ["白鹤镇"] * 2,
        "venue_code": ["TSG", "WHG", "ZHAN-1", "FG-2", "ZHAN-2"],
        "venue_name": ["青溪区图书馆", "青溪区文化馆", "青溪街道综合文化站", "白鹤镇图书分馆", "白鹤镇综合文化站"],
        "venue_type": ["图书馆", "文化馆", "综合文化站", "街镇图书分馆", "综合文化站"],
        "reported": [False, True, False, False, True],
    }


def test_counts_per_township_agree_with_the_status_list(reported):
    counts = completeness.count_reporting_by_township(session=reported, month=OCTOBER)
    assert counts.to_dict("records") == [
        {"township_code": "510199001", "township": "青溪街道", "expected": 3, "reported": 1},
        {"township_code": "510199002", "township": "白鹤镇", "expected": 2, "reported": 1},
    ]
    status = completeness.get_reporting_status(session=reported, month=OCTOBER)
    assert completeness.count_reporting(session=reported, month=OCTOBER) == (len(status), int(status["reported"].sum()))


def test_a_venue_opened_during_the_month_is_due_that_month(reported):
    november = dt.date(2026, 11, 1)
    assert completeness.count_reporting_by_township(session=reported, month=november).to_dict("records") == [
        {"township_code": "510199001", "township": "青溪街道", "expected": 3, "reported": 0},
        {"township_code": "510199002", "township": "白鹤镇", "expected": 3, "reported": 1},
    ]


def test_month_choices_run_from_the_newest_report_to_the_current_month(reported):
    choices = completeness.get_month_choices(session=reported, today=dt.date(2027, 1, 15))
    assert choices == [dt.date(2027, 1, 1), dt.date(2026, 12, 1), dt.date(2026, 11, 1), OCTOBER, dt.date(2026, 9, 1)]


def test_month_choices_of_an_empty_database_are_the_current_month(session):
    assert completeness.get_month_choices(session=session, today=dt.date(2026, 11, 26)) == [dt.date(2026, 11, 1)]


@pytest.mark.parametrize("flag", [True, False])
def test_reporting_status_can_list_only_the_venues_that_did_or_did_not_report(reported, flag):
    everything = completeness.get_reporting_status(session=reported, month=OCTOBER)
    chosen = completeness.get_reporting_status(session=reported, month=OCTOBER, reported=flag)
    expected = everything[everything["reported"] == flag].reset_index(drop=True)
    assert not expected.empty
    assert chosen.to_dict("records") == expected.to_dict("records")
