"""计划进度 reads and transforms against figures worked out by hand from a small ledger and two months of reports."""

import datetime as dt

import pytest

from culture_dash.queries import plan as q
from culture_dash.transforms import plan as transforms
from tests.factories import TODAY, load, seed_registry


def task(code: str, year: int, deadline: str, status: str, target: str, actual: str, as_of: str, **extra) -> dict:
    return {
        "task_code": code,
        "year": str(year),
        "section": extra.get("section", "公共文化服务体系建设"),
        "title": f"任务{code}",
        "lead_unit": extra.get("lead_unit", "公共服务科"),
        "target": target,
        "unit": "个",
        "actual": actual,
        "deadline": deadline,
        "status": status,
        "progress_note": f"{code} 截至{as_of}",
        "as_of": as_of,
    }


@pytest.fixture
def ledger_db(session):
    seed_registry(session)
    load(
        session,
        "tasks",
        [
            task("A", 2026, "2026-12-31", "序时推进", "10", "2", "2026-06-20"),
            task("B", 2026, "2026-09-30", "序时推进", "4", "1", "2026-06-20", lead_unit="区图书馆"),
            task("C", 2026, "2026-10-31", "已完成", "5", "6", "2026-06-20", section="全民阅读推广"),
            task("D", 2026, "2026-12-15", "未启动", "3", "0", "2026-06-20"),
            task("OLD", 2025, "2025-12-31", "已完成", "1", "1", "2025-12-20"),
        ],
    )
    load(
        session,
        "tasks",
        [
            task("A", 2026, "2026-12-31", "滞后", "10", "5", "2026-11-20"),
            task("B", 2026, "2026-09-30", "序时推进", "4", "3", "2026-11-20", lead_unit="区图书馆"),
        ],
    )
    return session


def test_years_with_tasks_newest_first(ledger_db):
    assert q.get_task_years(session=ledger_db) == [2026, 2025]


def test_the_ledger_holds_each_task_as_last_uploaded(ledger_db):
    frame = q.get_tasks(session=ledger_db, year=2026)
    rows = frame[["task_code", "status", "target", "actual", "deadline", "as_of"]].values.tolist()
    assert rows == [
        ["A", "滞后", 10.0, 5.0, dt.date(2026, 12, 31), dt.date(2026, 11, 20)],
        ["B", "序时推进", 4.0, 3.0, dt.date(2026, 9, 30), dt.date(2026, 11, 20)],
        ["C", "已完成", 5.0, 6.0, dt.date(2026, 10, 31), dt.date(2026, 6, 20)],
        ["D", "未启动", 3.0, 0.0, dt.date(2026, 12, 15), dt.date(2026, 6, 20)],
    ]


def test_history_has_one_point_per_update_oldest_first(ledger_db):
    history = q.get_task_history(session=ledger_db, year=2026, task_code="A")
    assert history.values.tolist() == [
        [dt.date(2026, 6, 20), 2.0, "序时推进", "A 截至2026-06-20"],
        [dt.date(2026, 11, 20), 5.0, "滞后", "A 截至2026-11-20"],
    ]
    assert q.get_task_history(session=ledger_db, year=2026, task_code="NOPE").empty


def test_ledger_puts_overdue_then_behind_first_with_the_real_progress(ledger_db):
    frame = transforms.ledger(q.get_tasks(session=ledger_db, year=2026), today=TODAY)
    # B is past its 2026-09-30 deadline and not done; A is 滞后; C (done, late) and D follow by deadline.
    assert frame[["task_code", "overdue", "progress"]].values.tolist() == [
        ["B", True, 75.0],
        ["A", False, 50.0],
        ["C", False, 120.0],
        ["D", False, 0.0],
    ]


def test_status_counts_and_completion_rate(ledger_db):
    frame = transforms.ledger(q.get_tasks(session=ledger_db, year=2026), today=TODAY)
    assert transforms.status_counts(frame) == {
        "未启动": 1,
        "序时推进": 1,
        "滞后": 1,
        "已完成": 1,
        "overdue": 1,
        "total": 4,
        "completion": 0.25,
    }


@pytest.mark.parametrize(
    ("filters", "codes"),
    [
        ({}, ["B", "A", "C", "D"]),
        ({"sections": ["全民阅读推广"]}, ["C"]),
        ({"lead_units": ["公共服务科"], "statuses": ["滞后", "未启动"]}, ["A", "D"]),
    ],
)
def test_filters_combine(ledger_db, filters, codes):
    frame = transforms.ledger(q.get_tasks(session=ledger_db, year=2026), today=TODAY)
    assert list(transforms.filtered(frame, **filters)["task_code"]) == codes


def test_a_task_without_target_has_no_progress():
    import pandas as pd

    tasks = pd.DataFrame(
        [{"task_code": "X", "target": None, "actual": 3.0, "deadline": None, "status": "序时推进"}]
    ).astype({"target": "float64"})
    frame = transforms.ledger(tasks, today=TODAY)
    assert frame["progress"].isna().all() and not frame["overdue"].any()


def report(month: str, venue: str, reading: int, exhibition: int, education: int, performance: int) -> dict:
    return {
        "month": month,
        "venue_code": venue,
        "reading_events": str(reading),
        "exhibition_events": str(exhibition),
        "education_events": str(education),
        "performance_events": str(performance),
    }


@pytest.fixture
def activity_db(session):
    seed_registry(session)
    load(
        session,
        "monthly",
        [
            report("2025-12", "WHG", 100, 100, 100, 100),  # last year: not counted
            report("2026-01", "WHG", 2, 1, 0, 3),
            report("2026-01", "ZHAN-1", 1, 0, 4, 0),
            report("2026-02", "ZHAN-2", 3, 2, 1, 1),
        ],
    )
    load(
        session,
        "activity_plans",
        [
            {"year": "2026", "venue_code": "WHG", "category": "读书看报", "planned": "24"},
            {"year": "2026", "venue_code": "ZHAN-1", "category": "读书看报", "planned": "12"},
            {"year": "2026", "venue_code": "ZHAN-1", "category": "公众教育", "planned": "12"},
            {"year": "2025", "venue_code": "WHG", "category": "文艺演出", "planned": "99"},
        ],
    )
    return session


def test_activities_planned_and_held_in_the_year(activity_db):
    frame = q.get_activities(session=activity_db, year=2026)
    assert frame.values.tolist() == [
        ["读书看报", 36, 6],
        ["文化鉴赏及展览", 0, 3],
        ["公众教育", 12, 5],
        ["文艺演出", 0, 4],
    ]
    assert q.get_latest_report_month(session=activity_db, year=2026) == dt.date(2026, 2, 1)
    assert q.get_latest_report_month(session=activity_db, year=2024) is None


def test_activity_progress_adds_a_total_and_the_share_due(activity_db):
    frame = q.get_activities(session=activity_db, year=2026)
    progress = transforms.activity_progress(frame, months=transforms.months_elapsed(dt.date(2026, 2, 1)))
    assert progress.values.tolist() == [
        ["读书看报", 36, 6, 6.0, 6 / 36],
        ["文化鉴赏及展览", 0, 3, 0.0, None],
        ["公众教育", 12, 5, 2.0, 5 / 12],
        ["文艺演出", 0, 4, 0.0, None],
        ["合计", 48, 18, 8.0, 18 / 48],
    ]


def test_history_notes_newest_first_as_text(ledger_db):
    notes = transforms.history_notes(q.get_task_history(session=ledger_db, year=2026, task_code="A"))
    assert notes.values.tolist() == [
        ["2026-11-20", "5", "滞后", "A 截至2026-11-20"],
        ["2026-06-20", "2", "序时推进", "A 截至2026-06-20"],
    ]
