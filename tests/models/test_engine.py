"""The engine's per-connection settings, on each backend under test."""

import pytest
import sqlalchemy as sa

from models import make_engine
from tests.conftest import PG_URL


def test_sqlite_file_runs_in_wal_mode_with_foreign_keys_on(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'settings.sqlite3'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


@pytest.mark.skipif(not PG_URL, reason="TEST_DATABASE_URL is not set")
def test_postgresql_connections_run_without_jit_and_keep_their_own_options():
    engine = make_engine(PG_URL, connect_args={"options": "-c application_name=culture-dash-test"})
    with engine.connect() as conn:
        assert conn.execute(sa.text("SHOW jit")).scalar() == "off"
        assert conn.execute(sa.text("SHOW application_name")).scalar() == "culture-dash-test"
    engine.dispose()
