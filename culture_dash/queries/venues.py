"""Reads for the venue profile (场馆档案): one venue's facts, branch links, months, funds, inspections, plans."""

import datetime as dt

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session

from culture_dash.ingest.kinds import EVENT_CATEGORIES, SUBSIDY_PROGRAMMES, SUBSIDY_SOURCES
from culture_dash.queries.core import EVENT_COLUMNS, METRIC_COLUMNS
from culture_dash.queries.trends import metric_expression
from models import ActivityPlan, DemoSite, Inspection, MonthlyReport, Subsidy, Township, Venue, Village

# 活动类别 of a plan ↔ the monthly report column that counts it (same order).
CATEGORY_COLUMNS = dict(zip(EVENT_CATEGORIES, EVENT_COLUMNS, strict=True))


def _frame(session: Session, stmt: sa.Select, columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(session.execute(stmt).mappings().all(), columns=columns)


def get_venue_options(*, session: Session) -> pd.DataFrame:
    """code, name, type, township (name) and township_code of every venue, in code order (for pickers)."""
    stmt = (
        sa.select(
            Venue.code, Venue.name, Venue.type, Township.name.label("township"), Township.code.label("township_code")
        )
        .join(Township, Township.id == Venue.township_id)
        .order_by(Venue.code)
    )
    return _frame(session, stmt, ["code", "name", "type", "township", "township_code"])


def get_venue(*, session: Session, code: str) -> dict | None:
    """The registry facts of one venue, with its township, village and parent named; None when unknown."""
    parent = aliased(Venue)
    stmt = (
        sa.select(
            Venue.code,
            Venue.name,
            Venue.type,
            Township.code.label("township_code"),
            Township.name.label("township"),
            Village.name.label("village"),
            Venue.lon,
            Venue.lat,
            Venue.area_m2,
            Venue.weekly_hours,
            Venue.free_open,
            Venue.opened_on,
            parent.code.label("parent_code"),
            parent.name.label("parent_name"),
        )
        .join(Township, Township.id == Venue.township_id)
        .outerjoin(Village, Village.id == Venue.village_id)
        .outerjoin(parent, parent.id == Venue.parent_id)
        .where(Venue.code == code)
    )
    row = session.execute(stmt).mappings().first()
    return dict(row) if row is not None else None


def get_venue_children(*, session: Session, code: str) -> pd.DataFrame:
    """The venues whose parent is `code` (its branches / service points): code, name, type, township."""
    parent = aliased(Venue)
    stmt = (
        sa.select(Venue.code, Venue.name, Venue.type, Township.name.label("township"))
        .join(parent, parent.id == Venue.parent_id)
        .join(Township, Township.id == Venue.township_id)
        .where(parent.code == code)
        .order_by(Venue.code)
    )
    return _frame(session, stmt, ["code", "name", "type", "township"])


VENUE_MONTH_COLUMNS = ["month", *METRIC_COLUMNS[:3], "activities", *EVENT_COLUMNS, *METRIC_COLUMNS[3:], "note"]


def get_venue_months(
    *, session: Session, code: str, start: dt.date | None = None, end: dt.date | None = None
) -> pd.DataFrame:
    """The venue's monthly reports (one row per month it reported, oldest first), with `activities` added."""
    stmt = (
        sa.select(
            MonthlyReport.month,
            *[getattr(MonthlyReport, c) for c in METRIC_COLUMNS[:3]],
            metric_expression("activities").label("activities"),
            *[getattr(MonthlyReport, c) for c in EVENT_COLUMNS],
            *[getattr(MonthlyReport, c) for c in METRIC_COLUMNS[3:]],
            MonthlyReport.note,
        )
        .join(Venue, Venue.id == MonthlyReport.venue_id)
        .where(Venue.code == code)
        .order_by(MonthlyReport.month)
    )
    if start is not None:
        stmt = stmt.where(MonthlyReport.month >= start)
    if end is not None:
        stmt = stmt.where(MonthlyReport.month <= end)
    frame = _frame(session, stmt, VENUE_MONTH_COLUMNS)
    numbers = [c for c in VENUE_MONTH_COLUMNS if c not in ("month", "note")]
    frame[numbers] = frame[numbers].astype("Float64")
    return frame


def _order(column: sa.ColumnElement, values: tuple[str, ...]) -> sa.ColumnElement:
    return sa.case({value: i for i, value in enumerate(values)}, value=column, else_=len(values))


SUBSIDY_COLUMNS = ["year", "source", "programme", "allocated", "disbursed", "spent", "doc_no"]


def get_venue_subsidies(*, session: Session, code: str) -> pd.DataFrame:
    """The venue's subsidies (万元), newest year first, sources and programmes in the contract's order."""
    stmt = (
        sa.select(
            Subsidy.year,
            Subsidy.source,
            Subsidy.programme,
            Subsidy.allocated,
            Subsidy.disbursed,
            Subsidy.spent,
            Subsidy.doc_no,
        )
        .join(Venue, Venue.id == Subsidy.venue_id)
        .where(Venue.code == code)
        .order_by(
            Subsidy.year.desc(),
            _order(Subsidy.source, SUBSIDY_SOURCES),
            _order(Subsidy.programme, SUBSIDY_PROGRAMMES),
        )
    )
    return _frame(session, stmt, SUBSIDY_COLUMNS)


def get_venue_subsidy_years(*, session: Session, code: str) -> pd.DataFrame:
    """Per year: allocated, disbursed, spent (万元, NULL counted as nothing), newest first."""
    stmt = (
        sa.select(
            Subsidy.year,
            sa.func.sum(Subsidy.allocated).label("allocated"),
            sa.func.coalesce(sa.func.sum(Subsidy.disbursed), 0).label("disbursed"),
            sa.func.coalesce(sa.func.sum(Subsidy.spent), 0).label("spent"),
        )
        .join(Venue, Venue.id == Subsidy.venue_id)
        .where(Venue.code == code)
        .group_by(Subsidy.year)
        .order_by(Subsidy.year.desc())
    )
    frame = _frame(session, stmt, ["year", "allocated", "disbursed", "spent"])
    return frame.astype({"allocated": float, "disbursed": float, "spent": float})


def get_venue_inspections(*, session: Session, code: str) -> pd.DataFrame:
    """The venue's inspections, newest first: date, method, issue, status, due, note."""
    stmt = (
        sa.select(
            Inspection.date, Inspection.method, Inspection.issue, Inspection.status, Inspection.due, Inspection.note
        )
        .join(Venue, Venue.id == Inspection.venue_id)
        .where(Venue.code == code)
        .order_by(Inspection.date.desc(), Inspection.issue)
    )
    return _frame(session, stmt, ["date", "method", "issue", "status", "due", "note"])


def get_venue_demo_site(*, session: Session, code: str) -> dict | None:
    """The venue's demonstration-site record (batch, level, stage, rooms), None when it is not one."""
    stmt = (
        sa.select(
            DemoSite.batch_year,
            DemoSite.level,
            DemoSite.stage,
            DemoSite.stage_date,
            DemoSite.has_library_room,
            DemoSite.has_e_reading_room,
            DemoSite.has_multi_room,
        )
        .join(Venue, Venue.id == DemoSite.venue_id)
        .where(Venue.code == code)
    )
    row = session.execute(stmt).mappings().first()
    return dict(row) if row is not None else None


def get_venue_plans(*, session: Session, code: str) -> pd.DataFrame:
    """Activities planned vs held per year and category: year, category, planned, completed (NULL = none on
    record). Years with either a plan or a report are listed, newest first, categories in the contract's order."""
    year = sa.extract("year", MonthlyReport.month)
    held = _frame(
        session,
        sa.select(year.label("year"), *[sa.func.sum(getattr(MonthlyReport, c)).label(c) for c in EVENT_COLUMNS])
        .join(Venue, Venue.id == MonthlyReport.venue_id)
        .where(Venue.code == code)
        .group_by(year),
        ["year", *EVENT_COLUMNS],
    )
    planned = _frame(
        session,
        sa.select(ActivityPlan.year, ActivityPlan.category, ActivityPlan.planned)
        .join(Venue, Venue.id == ActivityPlan.venue_id)
        .where(Venue.code == code),
        ["year", "category", "planned"],
    )
    held = held.melt(id_vars="year", var_name="column", value_name="completed")
    held["category"] = held["column"].map({c: k for k, c in CATEGORY_COLUMNS.items()})
    held["year"] = held["year"].astype(int)
    planned["year"] = planned["year"].astype(int)
    frame = planned.merge(held[["year", "category", "completed"]], on=["year", "category"], how="outer")
    frame["order"] = frame["category"].map({k: i for i, k in enumerate(EVENT_CATEGORIES)})
    frame = frame.sort_values(["year", "order"], ascending=[False, True]).drop(columns="order")
    return frame.astype({"planned": "Float64", "completed": "Float64"}).reset_index(drop=True)
