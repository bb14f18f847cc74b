"""Reads for 资金: subsidies of a year by source, programme and township, all years, and the records to check."""

import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session

from models import Subsidy, Township, Venue

AMOUNTS = ("allocated", "disbursed", "spent")
GROUPS = {"source": Subsidy.source, "programme": Subsidy.programme, "township": Township.name}


def _sums():
    return [sa.func.coalesce(sa.func.sum(getattr(Subsidy, c)), 0).label(c) for c in AMOUNTS]


def _frame(rows, columns) -> pd.DataFrame:
    frame = pd.DataFrame([dict(r) for r in rows], columns=list(columns))
    # Sums of 4-decimal amounts: round away the binary noise SQLite's float sum leaves.
    for column in AMOUNTS:
        frame[column] = frame[column].astype("float64").round(4)
    return frame


def get_subsidy_years(*, session: Session) -> list[int]:
    """Every year with a subsidy record, newest first."""
    return list(session.execute(sa.select(Subsidy.year).distinct().order_by(Subsidy.year.desc())).scalars())


def get_funds_by(*, session: Session, year: int, by: str) -> pd.DataFrame:
    """Allocated, disbursed and spent (万元) of `year` and the number of records per source, programme or township."""
    key = GROUPS[by]
    order = Township.code if by == "township" else key  # townships in code order, as everywhere else
    stmt = (
        sa.select(key.label(by), sa.func.count().label("records"), *_sums())
        .join(Venue, Venue.id == Subsidy.venue_id)
        .join(Township, Township.id == Venue.township_id)
        .where(Subsidy.year == year)
        .group_by(order, key)
        .order_by(order)
    )
    return _frame(session.execute(stmt).mappings(), [by, "records", *AMOUNTS])


def get_funds_by_year(*, session: Session) -> pd.DataFrame:
    """Allocated, disbursed and spent (万元) per year, oldest first."""
    stmt = sa.select(Subsidy.year, *_sums()).group_by(Subsidy.year).order_by(Subsidy.year)
    return _frame(session.execute(stmt).mappings(), ["year", *AMOUNTS])


def get_subsidy_anomalies(*, session: Session, year: int, min_execution: float) -> pd.DataFrame:
    """Records of `year` with disbursed > allocated, spent > disbursed, or spent < `min_execution` × allocated.

    A missing disbursed or spent amount counts as 0. Flags are the columns over_allocated, over_disbursed, behind.
    """
    disbursed = sa.func.coalesce(Subsidy.disbursed, 0)
    spent = sa.func.coalesce(Subsidy.spent, 0)
    over_allocated = disbursed > Subsidy.allocated
    over_disbursed = spent > disbursed
    behind = sa.and_(Subsidy.allocated > 0, spent < Subsidy.allocated * min_execution)
    columns = [
        "venue_code",
        "venue_name",
        "township",
        "source",
        "programme",
        "doc_no",
        *AMOUNTS,
        "over_allocated",
        "over_disbursed",
        "behind",
    ]
    stmt = (
        sa.select(
            Venue.code.label("venue_code"),
            Venue.name.label("venue_name"),
            Township.name.label("township"),
            Subsidy.source,
            Subsidy.programme,
            Subsidy.doc_no,
            Subsidy.allocated,
            Subsidy.disbursed,
            Subsidy.spent,
            over_allocated.label("over_allocated"),
            over_disbursed.label("over_disbursed"),
            behind.label("behind"),
        )
        .join(Venue, Venue.id == Subsidy.venue_id)
        .join(Township, Township.id == Venue.township_id)
        .where(Subsidy.year == year, sa.or_(over_allocated, over_disbursed, behind))
        .order_by(Township.code, Venue.code, Subsidy.source, Subsidy.programme)
    )
    frame = _frame(session.execute(stmt).mappings(), columns)
    return frame.astype({"over_allocated": bool, "over_disbursed": bool, "behind": bool})
