"""Shared fixtures: a fresh database per test (SQLite in memory; PostgreSQL when TEST_DATABASE_URL is set)."""

import contextlib
import os
import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, SQLModel

import models.tables  # noqa: F401
from models import make_engine

PG_URL = os.environ.get("TEST_DATABASE_URL")

BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


def _pg_engine():
    """A private schema per test on the shared PostgreSQL database, dropped afterwards."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(PG_URL, connect_args={"options": f"-csearch_path={schema}"})
    return engine, admin, schema


@contextlib.contextmanager
def tables_on(backend: str, sqlite_url: str = "sqlite://"):
    """An engine with every table created: on SQLite at `sqlite_url` (default: one shared in-memory
    connection), or on PostgreSQL in a private schema that is dropped afterwards."""
    if backend == "sqlite":
        in_memory = sqlite_url == "sqlite://"
        options = {"connect_args": {"check_same_thread": False}, "poolclass": StaticPool} if in_memory else {}
        engine = make_engine(sqlite_url, **options)
        SQLModel.metadata.create_all(engine)
        yield engine
        engine.dispose()
        return
    engine, admin, schema = _pg_engine()
    SQLModel.metadata.create_all(engine)
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def engine(request):
    with tables_on(request.param) as engine:
        yield engine


@pytest.fixture
def session(engine):
    with Session(engine) as session:
        yield session


@pytest.fixture(scope="session")
def demo_master_url(tmp_path_factory):
    """The demo district loaded once through the import pipeline (read-only: copy it to write)."""
    from tests.demo_db import build_demo_database

    return build_demo_database(tmp_path_factory.mktemp("demo") / "demo.sqlite3")


@pytest.fixture
def demo_url(demo_master_url, tmp_path, monkeypatch):
    """A private copy of the demo database, selected through DATABASE_URL as the app does."""
    from tests.demo_db import copy_database

    url = copy_database(demo_master_url, tmp_path / "demo.sqlite3")
    monkeypatch.setenv("DATABASE_URL", url)
    return url


@pytest.fixture
def demo_session(demo_url):
    engine = make_engine(demo_url)
    with Session(engine) as session:
        yield session
    engine.dispose()
