import datetime as dt
import sqlite3

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from culture_dash import backup
from culture_dash.queries import count_rows
from models import make_engine


def test_sqlite_backup_opens_with_the_same_row_counts(demo_session, tmp_path):
    engine = demo_session.get_bind()
    expected = count_rows(session=demo_session)
    users = demo_session.execute(sa.text("select count(*) from app_user")).scalar_one()

    content = backup.sqlite_backup(engine)

    assert content.startswith(b"SQLite format 3\x00")
    copy = tmp_path / "copy.sqlite3"
    copy.write_bytes(content)
    with sqlite3.connect(copy) as connection:
        assert connection.execute("pragma integrity_check").fetchone() == ("ok",)
        assert connection.execute("pragma journal_mode").fetchone() == ("delete",)
        counts = {table: connection.execute(f"select count(*) from {table}").fetchone()[0] for table in expected}
        assert counts == expected
        assert connection.execute("select count(*) from app_user").fetchone()[0] == users
    assert not list(tmp_path.glob("copy.sqlite3-wal"))


def test_sqlite_backup_includes_a_write_just_committed(demo_url, tmp_path):
    engine = make_engine(demo_url)
    with engine.begin() as connection:
        connection.execute(sa.text("update township set population = 4242 where id = 1"))
    copy = tmp_path / "copy.sqlite3"
    copy.write_bytes(backup.sqlite_backup(engine))
    engine.dispose()
    with sqlite3.connect(copy) as connection:
        assert connection.execute("select population from township where id = 1").fetchone() == (4242,)


def test_sqlite_backup_refuses_other_databases():
    engine = sa.create_engine("postgresql+psycopg://u@h/db")
    with pytest.raises(ValueError, match="SQLite"):
        backup.sqlite_backup(engine)


def test_pg_dump_command_never_contains_the_password():
    url = make_url("postgresql+psycopg://culture:s3cret-pw@db.internal:5433/culture_dash")
    command = backup.pg_dump_command(url, now=dt.datetime(2026, 11, 26, 14, 5))
    assert command == (
        "pg_dump --format=custom --host=db.internal --port=5433 --username=culture"
        " --file=culture-dash-backup-20261126-1405.dump culture_dash"
    )
    assert "s3cret" not in command
