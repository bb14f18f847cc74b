"""Reads for the CLI and the dashboard: plain functions taking a session, aggregating in SQL."""

import datetime as dt

import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session

from models import DATA_TABLES, MonthlyReport, Township, UploadBatch, Venue

METRIC_COLUMNS = ("visits", "loans", "new_cardholders", "participants", "online_visits", "media_reports")
EVENT_COLUMNS = ("reading_events", "exhibition_events", "education_events", "performance_events")


def count_rows(*, session: Session) -> dict[str, int]:
    counts = {}
    for model in DATA_TABLES:
        table = model.__table__
        counts[table.name] = session.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
    return counts


def get_status(*, session: Session) -> dict:
    """Row counts per entity, months covered, venue types, last upload."""
    months = session.execute(
        sa.select(
            sa.func.min(MonthlyReport.month),
            sa.func.max(MonthlyReport.month),
            sa.func.count(sa.distinct(MonthlyReport.month)),
        )
    ).one()
    venue_types = dict(session.execute(sa.select(Venue.type, sa.func.count()).group_by(Venue.type)).all())
    last = session.execute(sa.select(UploadBatch).order_by(UploadBatch.id.desc()).limit(1)).scalar()
    return {
        "rows": count_rows(session=session),
        "months": {
            "first": months[0].strftime("%Y-%m") if months[0] else None,
            "last": months[1].strftime("%Y-%m") if months[1] else None,
            "count": months[2],
        },
        "venue_types": venue_types,
        "uploads": session.execute(sa.select(sa.func.count()).select_from(UploadBatch)).scalar_one(),
        "last_upload": None
        if last is None
        else {
            "id": last.id,
            "created_at": last.created_at.isoformat(timespec="seconds"),
            "username": last.username,
            "file_name": last.file_name,
            "kind": last.kind,
            "status": last.status,
        },
    }


def get_latest_month(*, session: Session) -> dt.date | None:
    return session.execute(sa.select(sa.func.max(MonthlyReport.month))).scalar()


def get_monthly_totals(*, session: Session, months: list[dt.date]) -> pd.DataFrame:
    """Sum of each metric per month over all venues (NULL = not reported, counted as nothing)."""
    columns = [sa.func.sum(getattr(MonthlyReport, c)).label(c) for c in METRIC_COLUMNS + EVENT_COLUMNS]
    stmt = (
        sa.select(MonthlyReport.month, sa.func.count().label("reports"), *columns)
        .where(MonthlyReport.month.in_(months))
        .group_by(MonthlyReport.month)
        .order_by(MonthlyReport.month)
    )
    frame = pd.DataFrame(session.execute(stmt).mappings().all())
    if frame.empty:
        return pd.DataFrame(columns=["month", "reports", *METRIC_COLUMNS, *EVENT_COLUMNS])
    return frame.fillna(0)


def count_townships(*, session: Session) -> int:
    return session.execute(sa.select(sa.func.count()).select_from(Township)).scalar_one()


DEMO_LOADER = "示例数据"


def is_demo_database(*, session: Session) -> bool:
    """True when the demo district was loaded (every screen then says 示例数据)."""
    stmt = sa.select(UploadBatch.id).where(UploadBatch.username == DEMO_LOADER).limit(1)
    return session.execute(stmt).first() is not None
