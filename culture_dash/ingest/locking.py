"""One writer at a time: uploads, undos and boundary imports take the database's write lock before they compare
a file with the stored rows, and hold it until they commit or roll back.

Without it two uploads of the same month (two staff members, or a staff member and a cron import) could both
compare against the same stored rows and then both write: the second would record as "replaced" values that
were no longer there, and undoing it would bring back the wrong numbers. With it the second upload waits and
compares against what the first wrote. Readers never wait: the dashboard reads through WAL on SQLite and MVCC on
PostgreSQL.
"""

import sqlalchemy as sa
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

# pg_advisory_xact_lock key: any constant the application owns ("CDWR" as an integer).
WRITE_LOCK_KEY = 0x43445752
WAIT_SECONDS = 60

BUSY_MESSAGE = "数据库正忙：另一份文件正在写入，等待 {seconds} 秒后仍未结束。本次没有写入任何数据，请稍后重新提交。"


class DatabaseBusy(Exception):
    """The write lock was not free within WAIT_SECONDS; nothing was written."""


def lock_for_writing(session: Session) -> None:
    """Take the write lock for the session's current transaction (a no-op when it already holds it)."""
    conn = session.connection()
    try:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text(f"SET LOCAL lock_timeout = '{WAIT_SECONDS}s'"))
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})
        elif conn.dialect.name == "sqlite":
            dbapi = conn.connection.dbapi_connection
            # pysqlite opens a transaction only at the first INSERT/UPDATE/DELETE, so the comparison's SELECTs
            # would read outside it. BEGIN IMMEDIATE takes the write lock now (waiting up to busy_timeout).
            if not dbapi.in_transaction:
                dbapi.execute(f"PRAGMA busy_timeout={WAIT_SECONDS * 1000}")
                conn.exec_driver_sql("BEGIN IMMEDIATE")
    except OperationalError as exc:
        session.rollback()
        raise DatabaseBusy(BUSY_MESSAGE.format(seconds=WAIT_SECONDS)) from exc
