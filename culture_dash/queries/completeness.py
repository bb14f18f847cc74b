"""Reporting completeness (报送情况): which venues sent their monthly report for a month, per township.

A venue is expected to report for a month when it was open by the month's last day (an unknown opening date
counts as open); it has reported when a monthly report row exists for that venue and month.
"""

import datetime as dt

import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session

from culture_dash.periods import add_months, month_end
from models import MonthlyReport, Township, Venue

STATUS_COLUMNS = ["township_code", "township", "venue_code", "venue_name", "venue_type", "reported"]
TOWNSHIP_COLUMNS = ["township_code", "township", "expected", "reported"]


def _expected(month: dt.date):
    return sa.or_(Venue.opened_on.is_(None), Venue.opened_on <= month_end(month))


def _report_exists(month: dt.date):
    return sa.select(MonthlyReport.id).where(MonthlyReport.venue_id == Venue.id, MonthlyReport.month == month).exists()


def get_month_choices(*, session: Session, today: dt.date) -> list[dt.date]:
    """Months one can check, newest first: every month with a report, and up to the current month after them."""
    months = set(session.execute(sa.select(MonthlyReport.month).distinct()).scalars())
    current = today.replace(day=1)
    month = max(months, default=current)
    months.add(month)
    while month < current:
        month = add_months(month, 1)
        months.add(month)
    return sorted(months, reverse=True)


def get_reporting_status(
    *,
    session: Session,
    month: dt.date,
    township_codes: tuple[str, ...] | None = None,
    reported: bool | None = None,
) -> pd.DataFrame:
    """Every venue expected to report for `month` (optionally only in some townships, only those that did or did
    not report) and whether it did, by township code then venue code."""
    stmt = (
        sa.select(
            Township.code.label("township_code"),
            Township.name.label("township"),
            Venue.code.label("venue_code"),
            Venue.name.label("venue_name"),
            Venue.type.label("venue_type"),
            _report_exists(month).label("reported"),
        )
        .join(Township, Township.id == Venue.township_id)
        .where(_expected(month))
        .order_by(Township.code, Venue.code)
    )
    if township_codes:
        stmt = stmt.where(Township.code.in_(township_codes))
    if reported is not None:  # the missing venues of a province are hundreds of its 30,000: filter them here
        stmt = stmt.where(_report_exists(month) if reported else ~_report_exists(month))
    frame = pd.DataFrame(session.execute(stmt).all(), columns=STATUS_COLUMNS)
    frame["reported"] = frame["reported"].astype(bool)
    return frame


def count_reporting_by_township(*, session: Session, month: dt.date) -> pd.DataFrame:
    """Per township (by code): venues expected to report for `month` and venues that did."""
    reported = (
        sa.select(MonthlyReport.venue_id).where(MonthlyReport.month == month).distinct().subquery("reported_venue")
    )
    stmt = (
        sa.select(
            Township.code.label("township_code"),
            Township.name.label("township"),
            sa.func.count(Venue.id).label("expected"),
            sa.func.count(reported.c.venue_id).label("reported"),
        )
        .join(Venue, sa.and_(Venue.township_id == Township.id, _expected(month)))
        .outerjoin(reported, reported.c.venue_id == Venue.id)
        .group_by(Township.code, Township.name)
        .order_by(Township.code)
    )
    return pd.DataFrame(session.execute(stmt).all(), columns=TOWNSHIP_COLUMNS)


def count_reporting(*, session: Session, month: dt.date) -> tuple[int, int]:
    """(venues expected to report for `month`, venues that did) over the whole district."""
    reported = sa.select(MonthlyReport.venue_id).where(MonthlyReport.month == month).distinct().subquery()
    stmt = (
        sa.select(sa.func.count(Venue.id), sa.func.count(reported.c.venue_id))
        .select_from(Venue)
        .outerjoin(reported, reported.c.venue_id == Venue.id)
        .where(_expected(month))
    )
    expected, done = session.execute(stmt).one()
    return int(expected), int(done)
