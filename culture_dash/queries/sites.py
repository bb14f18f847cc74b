"""Reads for 示范点与免费开放: demonstration sites with their venue, their funds and the service they delivered."""

import datetime as dt

import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session

from culture_dash.queries.trends import metric_expression
from models import DemoSite, MonthlyReport, Subsidy, Township, Venue

SITE_PROGRAMME = "示范点建设"
SITE_COLUMNS = [
    "code",
    "name",
    "type",
    "township_code",
    "township",
    "batch_year",
    "level",
    "stage",
    "stage_date",
    "has_library_room",
    "has_e_reading_room",
    "has_multi_room",
]
FUND_COLUMNS = [
    "code",
    "allocated",
    "disbursed",
    "spent",
    "site_allocated",
    "site_disbursed",
    "site_spent",
]
SERVICE_COLUMNS = ["code", "months", "visits", "activities"]


def _frame(session: Session, stmt: sa.Select, columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(session.execute(stmt).mappings().all(), columns=columns)


def get_sites(*, session: Session) -> pd.DataFrame:
    """Every demonstration site with its venue and township, by batch year then venue code."""
    stmt = (
        sa.select(
            Venue.code,
            Venue.name,
            Venue.type,
            Township.code.label("township_code"),
            Township.name.label("township"),
            DemoSite.batch_year,
            DemoSite.level,
            DemoSite.stage,
            DemoSite.stage_date,
            DemoSite.has_library_room,
            DemoSite.has_e_reading_room,
            DemoSite.has_multi_room,
        )
        .join(Venue, Venue.id == DemoSite.venue_id)
        .join(Township, Township.id == Venue.township_id)
        .order_by(DemoSite.batch_year, Venue.code)
    )
    frame = _frame(session, stmt, SITE_COLUMNS)
    return frame.astype({"batch_year": int})


def get_site_years(*, session: Session) -> list[int]:
    """The years with subsidies or monthly reports for any demonstration site, oldest first."""
    site_venues = sa.select(DemoSite.venue_id)
    funded = sa.select(Subsidy.year).where(Subsidy.venue_id.in_(site_venues))
    reported = sa.select(sa.extract("year", MonthlyReport.month)).where(MonthlyReport.venue_id.in_(site_venues))
    years = {int(y) for (y,) in session.execute(funded.union(reported)).all()}
    return sorted(years)


def _summed(column: sa.ColumnElement, only_site: bool = False) -> sa.ColumnElement:
    value = sa.case((Subsidy.programme == SITE_PROGRAMME, column), else_=None) if only_site else column
    return sa.func.coalesce(sa.func.sum(value), 0)


def get_site_funds(*, session: Session, year: int) -> pd.DataFrame:
    """Per demonstration site, the year's subsidies in 万元 over all programmes and for 示范点建设 alone.

    An empty 已拨付/已支出 counts as nothing; a site with no subsidy row that year is absent.
    """
    stmt = (
        sa.select(
            Venue.code,
            _summed(Subsidy.allocated).label("allocated"),
            _summed(Subsidy.disbursed).label("disbursed"),
            _summed(Subsidy.spent).label("spent"),
            _summed(Subsidy.allocated, True).label("site_allocated"),
            _summed(Subsidy.disbursed, True).label("site_disbursed"),
            _summed(Subsidy.spent, True).label("site_spent"),
        )
        .join(Venue, Venue.id == Subsidy.venue_id)
        .join(DemoSite, DemoSite.venue_id == Venue.id)
        .where(Subsidy.year == year)
        .group_by(Venue.code)
        .order_by(Venue.code)
    )
    frame = _frame(session, stmt, FUND_COLUMNS)
    return frame.astype(dict.fromkeys(FUND_COLUMNS[1:], float))


def get_site_service(*, session: Session, year: int) -> pd.DataFrame:
    """Per demonstration site, the year's reported months, visits and activities (NULL = not reported)."""
    stmt = (
        sa.select(
            Venue.code,
            sa.func.count(MonthlyReport.id).label("months"),
            sa.func.sum(MonthlyReport.visits).label("visits"),
            sa.func.sum(metric_expression("activities")).label("activities"),
        )
        .join(Venue, Venue.id == MonthlyReport.venue_id)
        .join(DemoSite, DemoSite.venue_id == Venue.id)
        .where(MonthlyReport.month.between(dt.date(year, 1, 1), dt.date(year, 12, 1)))
        .group_by(Venue.code)
        .order_by(Venue.code)
    )
    frame = _frame(session, stmt, SERVICE_COLUMNS)
    return frame.astype({"months": int, "visits": "Float64", "activities": "Float64"})


def get_site_months(*, session: Session, year: int) -> list[dt.date]:
    """The months of `year` any demonstration site reported, oldest first (to label the service figures)."""
    stmt = (
        sa.select(MonthlyReport.month)
        .where(MonthlyReport.venue_id.in_(sa.select(DemoSite.venue_id)))
        .where(MonthlyReport.month.between(dt.date(year, 1, 1), dt.date(year, 12, 1)))
        .distinct()
        .order_by(MonthlyReport.month)
    )
    return list(session.execute(stmt).scalars())
