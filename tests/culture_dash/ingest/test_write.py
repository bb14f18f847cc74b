import datetime as dt

import pandas as pd
import pytest
import sqlalchemy as sa

from culture_dash.ingest.write import upsert_rows
from models import MonthlyReport, Venue
from tests.factories import seed_registry

KEY = ("month", "venue_id")
NOTE = 'tab\there, "quotes", comma\nnew line \\ backslash 备注'


def test_new_rows_are_stored_exactly(session):
    # replace=False is COPY on PostgreSQL: NULLs, text that needs escaping, dates and whole floats in integer columns.
    seed_registry(session)
    venue_id = session.execute(sa.select(Venue.id).where(Venue.code == "WHG")).scalar()
    frame = pd.DataFrame(
        {
            "month": [dt.date(2026, 1, 1), dt.date(2026, 2, 1)],
            "venue_id": [venue_id, venue_id],
            "visits": [12.0, float("nan")],
            "note": [NOTE, None],
        }
    )
    table = MonthlyReport.__table__
    conn = session.connection()
    upsert_rows(conn, table, frame, KEY, replace=False)
    stored = conn.execute(
        sa.select(table.c.month, table.c.venue_id, table.c.visits, table.c.note).order_by(table.c.month)
    ).all()
    assert [tuple(r) for r in stored] == [
        (dt.date(2026, 1, 1), venue_id, 12, NOTE),
        (dt.date(2026, 2, 1), venue_id, None, None),
    ]


def test_rows_said_to_be_new_never_overwrite_a_stored_row(session):
    seed_registry(session)
    venue_id = session.execute(sa.select(Venue.id).where(Venue.code == "WHG")).scalar()
    frame = pd.DataFrame({"month": [dt.date(2026, 1, 1)], "venue_id": [venue_id], "visits": [1]})
    table = MonthlyReport.__table__
    conn = session.connection()
    upsert_rows(conn, table, frame, KEY, replace=False)
    with pytest.raises(sa.exc.IntegrityError):
        upsert_rows(conn, table, frame.assign(visits=2), KEY, replace=False)
