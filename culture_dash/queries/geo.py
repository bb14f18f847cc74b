"""Reads for the map: per-township and per-venue aggregates of a period, outlines, network coverage."""

import datetime as dt
from collections.abc import Sequence

import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session

from culture_dash.periods import add_months
from models import DemoSite, MonthlyReport, Subsidy, Township, UploadBatch, Venue, Village

EVENT_COLUMNS = ("reading_events", "exhibition_events", "education_events", "performance_events")
# SPEC "network coverage": a village/community is covered when it has one of these rooms.
VILLAGE_ROOM_TYPES = ("村社区文化活动室", "村社区图书室")
LIBRARY_BRANCH_TYPE = "街镇图书分馆"

AGGREGATE_COLUMNS = ["visits", "loans", "activities", "participants", "reports", "expected", "funds"]


def get_report_months(*, session: Session) -> list[dt.date]:
    """Months with at least one monthly report, oldest first."""
    stmt = sa.select(MonthlyReport.month).distinct().order_by(MonthlyReport.month)
    return list(session.execute(stmt).scalars())


def get_township_outlines(*, session: Session) -> pd.DataFrame:
    """Townships with a stored outline: code, name, boundary (GeoJSON geometry text, WGS-84, rewound)."""
    stmt = (
        sa.select(Township.code, Township.name, Township.boundary)
        .where(Township.boundary.is_not(None))
        .order_by(Township.code)
    )
    return pd.DataFrame(session.execute(stmt).all(), columns=["code", "name", "boundary"])


def _months_open(months: Sequence[dt.date]) -> sa.ColumnElement:
    """How many of `months` the venue was open in (opened on or before the month's end; unknown = open)."""
    terms = [
        sa.case((sa.or_(Venue.opened_on.is_(None), Venue.opened_on < add_months(m, 1)), 1), else_=0) for m in months
    ]
    return sum(terms[1:], terms[0]) if terms else sa.literal(0)


def _activities() -> sa.ColumnElement:
    return sum(
        (sa.func.coalesce(getattr(MonthlyReport, c), 0) for c in EVENT_COLUMNS[1:]),
        sa.func.coalesce(getattr(MonthlyReport, EVENT_COLUMNS[0]), 0),
    )


def _period_subqueries(months: Sequence[dt.date], years: Sequence[int], key: sa.ColumnElement):
    """Monthly sums, expected report counts and funds allocated, grouped by `key` (a Venue column)."""
    monthly = (
        sa.select(
            key.label("key"),
            sa.func.sum(MonthlyReport.visits).label("visits"),
            sa.func.sum(MonthlyReport.loans).label("loans"),
            sa.func.sum(_activities()).label("activities"),
            sa.func.sum(MonthlyReport.participants).label("participants"),
            sa.func.count(MonthlyReport.id).label("reports"),
        )
        .join(Venue, Venue.id == MonthlyReport.venue_id)
        .where(MonthlyReport.month.in_(list(months)))
        .group_by(key)
        .subquery("monthly")
    )
    expected = sa.select(key.label("key"), sa.func.sum(_months_open(months)).label("expected")).group_by(key)
    expected = expected.subquery("expected")
    funds = (
        sa.select(key.label("key"), sa.func.sum(Subsidy.allocated).label("funds"))
        .join(Venue, Venue.id == Subsidy.venue_id)
        .where(Subsidy.year.in_(list(years)))
        .group_by(key)
        .subquery("funds")
    )
    return monthly, expected, funds


def _aggregate_columns(monthly, expected, funds) -> list:
    return [
        monthly.c.visits,
        monthly.c.loans,
        monthly.c.activities,
        monthly.c.participants,
        sa.func.coalesce(monthly.c.reports, 0).label("reports"),
        sa.func.coalesce(expected.c.expected, 0).label("expected"),
        funds.c.funds,
    ]


def _frame(session: Session, stmt, columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(session.execute(stmt).all(), columns=columns)
    for column in ("visits", "loans", "activities", "participants", "funds", "lon", "lat", "population"):
        if column in frame:
            frame[column] = frame[column].astype("Float64")
    for column in ("reports", "expected", "venues"):
        if column in frame:
            frame[column] = frame[column].astype("Int64")
    return frame


def get_township_aggregates(*, session: Session, months: Sequence[dt.date], years: Sequence[int]) -> pd.DataFrame:
    """One row per township: code, name, kind, population, venues and the period's sums.

    visits / loans / activities / participants: sums over `months` (None when nothing was reported);
    reports: monthly rows received; expected: venue-months the open venues owed; funds: 万元 allocated in `years`.
    """
    monthly, expected, funds = _period_subqueries(months, years, Venue.township_id)
    venues = (
        sa.select(Venue.township_id.label("key"), sa.func.count().label("venues"))
        .group_by(Venue.township_id)
        .subquery("venues")
    )
    stmt = (
        sa.select(
            Township.code,
            Township.name,
            Township.kind,
            Township.population,
            sa.func.coalesce(venues.c.venues, 0),
            *_aggregate_columns(monthly, expected, funds),
        )
        .outerjoin(venues, venues.c.key == Township.id)
        .outerjoin(monthly, monthly.c.key == Township.id)
        .outerjoin(expected, expected.c.key == Township.id)
        .outerjoin(funds, funds.c.key == Township.id)
        .order_by(Township.code)
    )
    return _frame(session, stmt, ["code", "name", "kind", "population", "venues", *AGGREGATE_COLUMNS])


def get_venue_aggregates(
    *, session: Session, months: Sequence[dt.date], years: Sequence[int], township_code: str | None = None
) -> pd.DataFrame:
    """One row per venue (of one township, or all): identity, WGS-84 point, demonstration site, period sums."""
    monthly, expected, funds = _period_subqueries(months, years, Venue.id)
    stmt = (
        sa.select(
            Venue.code,
            Venue.name,
            Venue.type,
            Township.code,
            Township.name,
            Village.name,
            Venue.lon,
            Venue.lat,
            Venue.source_crs,
            DemoSite.stage,
            DemoSite.level,
            *_aggregate_columns(monthly, expected, funds),
        )
        .join(Township, Township.id == Venue.township_id)
        .outerjoin(Village, Village.id == Venue.village_id)
        .outerjoin(DemoSite, DemoSite.venue_id == Venue.id)
        .outerjoin(monthly, monthly.c.key == Venue.id)
        .outerjoin(expected, expected.c.key == Venue.id)
        .outerjoin(funds, funds.c.key == Venue.id)
        .order_by(Venue.code)
    )
    if township_code is not None:
        stmt = stmt.where(Township.code == township_code)
    columns = ["code", "name", "type", "township_code", "township_name", "village_name", "lon", "lat", "source_crs"]
    return _frame(session, stmt, [*columns, "site_stage", "site_level", *AGGREGATE_COLUMNS])


def get_monthly_series(
    *, session: Session, months: Sequence[dt.date], township_code: str | None = None
) -> pd.DataFrame:
    """Per month of `months` (of one township, or the district): the monthly sums and reports received/owed."""
    months = sorted(months)
    sums = (
        sa.select(
            MonthlyReport.month,
            sa.func.sum(MonthlyReport.visits),
            sa.func.sum(MonthlyReport.loans),
            sa.func.sum(_activities()),
            sa.func.sum(MonthlyReport.participants),
            sa.func.count(MonthlyReport.id),
        )
        .join(Venue, Venue.id == MonthlyReport.venue_id)
        .join(Township, Township.id == Venue.township_id)
        .where(MonthlyReport.month.in_(months))
        .group_by(MonthlyReport.month)
    )
    owed = (
        sa.select(*[sa.func.sum(_months_open([m])) for m in months])
        .select_from(Venue)
        .join(Township, Township.id == Venue.township_id)
    )
    if township_code is not None:
        sums = sums.where(Township.code == township_code)
        owed = owed.where(Township.code == township_code)
    frame = _frame(session, sums, ["month", "visits", "loans", "activities", "participants", "reports"])
    expected = session.execute(owed).one() if months else ()
    series = pd.DataFrame({"month": months, "expected": [int(v or 0) for v in expected]})
    series = series.merge(frame, on="month", how="left")
    series["reports"] = series["reports"].fillna(0).astype("Int64")
    series["expected"] = series["expected"].astype("Int64")
    return series[["month", "visits", "loans", "activities", "participants", "reports", "expected"]]


def get_yearly_funds(*, session: Session, township_code: str | None = None) -> pd.DataFrame:
    """Per year (of one township, or the district): 万元 allocated, disbursed and spent."""
    stmt = (
        sa.select(
            Subsidy.year,
            sa.func.sum(Subsidy.allocated),
            sa.func.sum(Subsidy.disbursed),
            sa.func.sum(Subsidy.spent),
        )
        .join(Venue, Venue.id == Subsidy.venue_id)
        .join(Township, Township.id == Venue.township_id)
        .group_by(Subsidy.year)
        .order_by(Subsidy.year)
    )
    if township_code is not None:
        stmt = stmt.where(Township.code == township_code)
    frame = pd.DataFrame(session.execute(stmt).all(), columns=["year", "allocated", "disbursed", "spent"])
    return frame.astype({"year": "Int64", "allocated": "Float64", "disbursed": "Float64", "spent": "Float64"})


def get_coverage(*, session: Session) -> pd.DataFrame:
    """Per township: villages/communities, how many have a cultural room or library room, library branches."""
    covered = (
        sa.select(Village.township_id.label("key"), sa.func.count(sa.distinct(Village.id)).label("covered"))
        .join(Venue, Venue.village_id == Village.id)
        .where(Venue.type.in_(VILLAGE_ROOM_TYPES))
        .group_by(Village.township_id)
        .subquery("covered")
    )
    villages = (
        sa.select(Village.township_id.label("key"), sa.func.count().label("villages"))
        .group_by(Village.township_id)
        .subquery("villages")
    )
    branches = (
        sa.select(Venue.township_id.label("key"), sa.func.count().label("branches"))
        .where(Venue.type == LIBRARY_BRANCH_TYPE)
        .group_by(Venue.township_id)
        .subquery("branches")
    )
    stmt = (
        sa.select(
            Township.code,
            Township.name,
            sa.func.coalesce(villages.c.villages, 0),
            sa.func.coalesce(covered.c.covered, 0),
            sa.func.coalesce(branches.c.branches, 0),
        )
        .outerjoin(villages, villages.c.key == Township.id)
        .outerjoin(covered, covered.c.key == Township.id)
        .outerjoin(branches, branches.c.key == Township.id)
        .order_by(Township.code)
    )
    frame = pd.DataFrame(session.execute(stmt).all(), columns=["code", "name", "villages", "covered", "branches"])
    return frame.astype({"villages": "Int64", "covered": "Int64", "branches": "Int64"})


def get_village_coverage(*, session: Session, township_code: str) -> pd.DataFrame:
    """The villages/communities of one township with the number of cultural rooms and library rooms of each."""
    rooms = {
        kind: sa.func.sum(sa.case((Venue.type == kind, 1), else_=0)).label(label)
        for kind, label in zip(VILLAGE_ROOM_TYPES, ("culture_rooms", "library_rooms"), strict=True)
    }
    stmt = (
        sa.select(Village.code, Village.name, Village.kind, Village.population, *rooms.values())
        .join(Township, Township.id == Village.township_id)
        .outerjoin(Venue, sa.and_(Venue.village_id == Village.id, Venue.type.in_(VILLAGE_ROOM_TYPES)))
        .where(Township.code == township_code)
        .group_by(Village.id, Village.code, Village.name, Village.kind, Village.population)
        .order_by(Village.code)
    )
    columns = ["code", "name", "kind", "population", "culture_rooms", "library_rooms"]
    frame = pd.DataFrame(session.execute(stmt).all(), columns=columns)
    frame[["culture_rooms", "library_rooms"]] = frame[["culture_rooms", "library_rooms"]].fillna(0)
    return frame.astype({"population": "Int64", "culture_rooms": "Int64", "library_rooms": "Int64"})


def get_boundary_status(*, session: Session) -> dict:
    """How many townships have an outline, and the newest boundary upload still in effect (or None)."""
    with_outline, townships = session.execute(
        sa.select(sa.func.count(Township.boundary), sa.func.count()).select_from(Township)
    ).one()
    batch = session.execute(
        sa.select(UploadBatch)
        .where(UploadBatch.kind == "boundaries", UploadBatch.status == "committed")
        .order_by(UploadBatch.id.desc())
        .limit(1)
    ).scalar()
    latest = None
    if batch is not None:
        latest = {
            "id": batch.id,
            "created_at": batch.created_at,
            "username": batch.username,
            "file_name": batch.file_name,
        }
    return {"with_outline": with_outline, "townships": townships, "latest": latest}
