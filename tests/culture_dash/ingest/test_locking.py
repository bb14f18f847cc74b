"""Two writers at once: the second upload waits for the first and compares against what the first wrote, so its
record of the rows it replaced (and hence its undo) is right. Run on an SQLite file (the in-memory test database
has one connection) and on PostgreSQL when TEST_DATABASE_URL is set."""

import datetime as dt
import threading
import time

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from culture_dash.ingest import locking
from culture_dash.ingest.locking import lock_for_writing
from culture_dash.ingest.pipeline import import_file
from culture_dash.ingest.write import UndoRefused, undo_batch
from models import MonthlyReport
from tests.conftest import BACKENDS, tables_on
from tests.factories import csv_bytes, seed_registry

TODAY = dt.date(2026, 11, 15)


@pytest.fixture(params=BACKENDS)
def shared_engine(request, tmp_path):
    """An engine whose sessions have connections of their own, as two server threads or processes would."""
    with tables_on(request.param, f"sqlite:///{tmp_path / 'two-writers.sqlite3'}") as engine:
        yield engine


def monthly(visits: int) -> bytes:
    return csv_bytes("monthly", [{"month": "2026-10", "venue_code": "WHG", "visits": str(visits)}])


def visits(engine) -> int:
    with Session(engine) as session:
        return session.execute(sa.select(MonthlyReport.visits)).scalar_one()


def test_a_second_upload_waits_and_compares_against_what_the_first_wrote(shared_engine):
    with Session(shared_engine) as session:
        seed_registry(session)
        import_file(session, monthly(100), "first.csv", today=TODAY)

    second = {}

    def upload_second() -> None:
        with Session(shared_engine) as other:
            second["report"] = import_file(other, monthly(300), "second.csv", today=TODAY)

    with Session(shared_engine) as first:
        lock_for_writing(first)  # the first upload has started writing
        thread = threading.Thread(target=upload_second)
        thread.start()
        time.sleep(1.0)
        assert thread.is_alive(), "the second upload must wait while the first holds the lock"
        one = import_file(first, monthly(200), "one.csv", today=TODAY)  # commits, and so lets the second go
    thread.join(timeout=60)
    two = second["report"]

    assert (one.replaced, two.replaced) == (1, 1)
    assert two.batch_id > one.batch_id
    assert visits(shared_engine) == 300
    with Session(shared_engine) as session:
        undo_batch(session, two.batch_id, username="tester")
    assert visits(shared_engine) == 200  # the value the second upload really replaced


def test_an_upload_that_cannot_get_the_lock_writes_nothing_and_says_so_in_chinese(shared_engine, monkeypatch):
    monkeypatch.setattr(locking, "WAIT_SECONDS", 1)
    with Session(shared_engine) as session:
        seed_registry(session)
        import_file(session, monthly(100), "first.csv", today=TODAY)
    with Session(shared_engine) as holder:
        lock_for_writing(holder)
        with Session(shared_engine) as other:
            report = import_file(other, monthly(300), "late.csv", today=TODAY)
            with pytest.raises(UndoRefused, match="数据库正忙"):
                undo_batch(other, 1, username="tester")
        holder.rollback()
    assert not report.accepted and report.batch_id is None
    assert report.summary().startswith("「late.csv」未导入：数据库正忙")
    assert visits(shared_engine) == 100
