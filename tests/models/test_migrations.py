"""The Alembic chain builds exactly the models' schema, and upgrading keeps every row of a database in use."""

import json
import uuid

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import Session, SQLModel

import models.tables  # noqa: F401
from culture_dash.boundaries import import_boundaries
from culture_dash.ingest.pipeline import import_file
from models import DATA_TABLES, make_engine
from models.migrate import alembic_config, current_revision, head_revision, upgrade
from tests.conftest import BACKENDS, PG_URL
from tests.factories import TODAY, csv_bytes, seed_registry, snapshot

SQUARE = [[103.9, 30.9], [104.0, 30.9], [104.0, 31.0], [103.9, 31.0], [103.9, 30.9]]
BOUNDARY = json.dumps(
    {"type": "Feature", "properties": {"name": "青溪街道"}, "geometry": {"type": "Polygon", "coordinates": [SQUARE]}}
).encode()


@pytest.fixture(params=BACKENDS)
def empty_engine(request, tmp_path):
    """An engine on an empty database (no create_all): a SQLite file, or a private PostgreSQL schema."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'migrate.sqlite3'}")
        yield engine
        engine.dispose()
        return
    schema = f"m_{uuid.uuid4().hex[:12]}"
    admin = make_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(PG_URL, connect_args={"options": f"-csearch_path={schema}"})
    yield engine
    engine.dispose()
    with admin.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def schema_differences(engine) -> list:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, SQLModel.metadata)


def downgrade(engine, revision: str) -> None:
    config = alembic_config(engine)
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, revision)


def columns(engine, table: str) -> list[str]:
    return [c["name"] for c in sa.inspect(engine).get_columns(table)]


def test_upgrading_an_empty_database_gives_exactly_the_models_schema(empty_engine):
    assert schema_differences(empty_engine) != []  # the comparison looks at this (still empty) database
    upgrade(empty_engine)
    assert current_revision(empty_engine) == head_revision(empty_engine)
    assert schema_differences(empty_engine) == []


def load_registry_and_months(engine) -> None:
    rows = [{"month": "2026-09", "venue_code": "WHG", "visits": "1200"}, {"month": "2026-10", "venue_code": "TSG"}]
    with Session(engine) as session:
        seed_registry(session)
        assert import_file(session, csv_bytes("monthly", rows), "monthly.csv", today=TODAY).accepted


def test_a_0001_database_with_data_upgrades_without_losing_a_row_and_accepts_boundaries(empty_engine):
    # The current import path cannot write a 0001 schema (it selects the new column), so the data goes in
    # through import_file at head and the database is taken back to 0001: what a 0001 release left behind.
    upgrade(empty_engine)
    load_registry_and_months(empty_engine)
    with Session(empty_engine) as session:
        before = snapshot(session)
    downgrade(empty_engine, "0001")
    assert current_revision(empty_engine) == "0001"
    assert "boundary" not in columns(empty_engine, "township")

    upgrade(empty_engine)
    assert schema_differences(empty_engine) == []
    with Session(empty_engine) as session:
        after = snapshot(session)
        assert after == before
        assert [len(after[m.__tablename__]) for m in DATA_TABLES[:4]] == [2, 2, 5, 2]
        report = import_boundaries(session, BOUNDARY, "qingxi.geojson")
        assert (report.accepted, report.added) == (True, 1), report.text()
        boundary = session.execute(sa.text("SELECT boundary FROM township WHERE code = '510199001'")).scalar_one()
        assert json.loads(boundary)["type"] == "Polygon"
