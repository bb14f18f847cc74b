"""Settings, engine and session factory. Nothing else: reads and writes live in culture_dash.queries."""

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session


def _default_database_url() -> str:
    return f"sqlite:///{Path.cwd() / 'data' / 'culture-dash.sqlite3'}"


@dataclass(frozen=True)
class Settings:
    """Everything the app reads from the environment."""

    database_url: str = field(default_factory=lambda: os.environ.get("DATABASE_URL") or _default_database_url())
    # Signs the login cookie (see secret_key()).
    secret_key: str = field(default_factory=lambda: os.environ.get("CULTURE_DASH_SECRET", ""))


def get_settings() -> Settings:
    return Settings()


def secret_key(settings: Settings | None = None) -> str:
    """CULTURE_DASH_SECRET, or a random key kept in data/secret_key (0600) for a single-machine install.

    Several servers behind one address must share CULTURE_DASH_SECRET, or a login made on one is not
    recognised by the others.
    """
    settings = settings or get_settings()
    if settings.secret_key:
        return settings.secret_key
    path = Path.cwd() / "data" / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_hex(32))
    return path.read_text().strip()


def _sqlite_on_connect(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # WAL lets the dashboard read while an upload writes.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_engine(url: str | None = None, **kwargs) -> Engine:
    """An engine for `url` (default: DATABASE_URL or the SQLite file under data/)."""
    url = url or get_settings().database_url
    sa_url = sa.engine.make_url(url)
    if sa_url.get_backend_name() == "sqlite":
        database = sa_url.database
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_on_connect)
        return engine
    if sa_url.drivername == "postgresql":
        # psycopg 3 is the supported driver; a bare postgresql:// URL would pick psycopg2.
        sa_url = sa_url.set(drivername="postgresql+psycopg")
    # No JIT: the planner over-estimates the overview's alert queries and compiles them for 0.6-0.7 s each, when
    # they run in 60-80 ms (bench/RESULTS.md, province scale). The dashboard's queries never run long enough
    # for JIT to pay back.
    connect_args = dict(kwargs.pop("connect_args", {}))
    connect_args["options"] = " ".join(filter(None, [connect_args.get("options"), "-c jit=off"]))
    return sa.create_engine(sa_url, pool_pre_ping=True, connect_args=connect_args, **kwargs)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    with Session(engine) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
