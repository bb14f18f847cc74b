"""Reads for 计划进度: the year's task ledger, each task's progress history, and activities planned vs held."""

import datetime as dt

import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session

from culture_dash.ingest.kinds import EVENT_CATEGORIES
from culture_dash.queries.core import EVENT_COLUMNS
from models import ActivityPlan, MonthlyReport, Task, TaskProgress

TASK_COLUMNS = (
    "task_code",
    "section",
    "title",
    "lead_unit",
    "co_units",
    "target",
    "unit",
    "actual",
    "deadline",
    "status",
    "progress_note",
    "as_of",
)


def _frame(rows, columns) -> pd.DataFrame:
    return pd.DataFrame([dict(r) for r in rows], columns=list(columns))


def get_task_years(*, session: Session) -> list[int]:
    """Every year with at least one task, newest first."""
    stmt = sa.select(Task.year).distinct().order_by(Task.year.desc())
    return list(session.execute(stmt).scalars())


def get_tasks(*, session: Session, year: int) -> pd.DataFrame:
    """The ledger of `year` as it stands (latest upload of each task), ordered by task code."""
    stmt = sa.select(*[getattr(Task, c) for c in TASK_COLUMNS]).where(Task.year == year).order_by(Task.task_code)
    frame = _frame(session.execute(stmt).mappings(), TASK_COLUMNS)
    return frame.astype({"target": "float64", "actual": "float64"})


def get_task_history(*, session: Session, year: int, task_code: str) -> pd.DataFrame:
    """The progress points of one task, oldest first: as_of, actual, status, progress_note."""
    columns = ("as_of", "actual", "status", "progress_note")
    stmt = (
        sa.select(*[getattr(TaskProgress, c) for c in columns])
        .where(TaskProgress.year == year, TaskProgress.task_code == task_code)
        .order_by(TaskProgress.as_of)
    )
    return _frame(session.execute(stmt).mappings(), columns).astype({"actual": "float64"})


def get_latest_report_month(*, session: Session, year: int) -> dt.date | None:
    """The latest month of `year` with any monthly report (None before the first report of the year)."""
    stmt = sa.select(sa.func.max(MonthlyReport.month)).where(
        MonthlyReport.month.between(dt.date(year, 1, 1), dt.date(year, 12, 1))
    )
    latest = session.execute(stmt).scalar()
    return dt.date.fromisoformat(latest) if isinstance(latest, str) else latest


def get_activities(*, session: Session, year: int) -> pd.DataFrame:
    """Per category: activities planned for `year` (all venues) and held in the year's reported months.

    Columns category, planned, held; every category present, 0 where nothing is planned or reported.
    """
    plan_stmt = (
        sa.select(ActivityPlan.category, sa.func.sum(ActivityPlan.planned))
        .where(ActivityPlan.year == year)
        .group_by(ActivityPlan.category)
    )
    planned = dict(session.execute(plan_stmt).all())
    held_stmt = sa.select(*[sa.func.sum(getattr(MonthlyReport, c)) for c in EVENT_COLUMNS]).where(
        MonthlyReport.month.between(dt.date(year, 1, 1), dt.date(year, 12, 1))
    )
    held = session.execute(held_stmt).one()
    return pd.DataFrame(
        {
            "category": list(EVENT_CATEGORIES),
            "planned": [int(planned.get(c) or 0) for c in EVENT_CATEGORIES],
            "held": [int(h or 0) for h in held],
        }
    )
