"""Backups: a consistent copy of a SQLite database, or the pg_dump command for PostgreSQL."""

import datetime as dt
import os
import shlex
import sqlite3
import tempfile
from pathlib import Path

from sqlalchemy.engine import URL, Engine


def sqlite_backup(engine: Engine) -> bytes:
    """The whole SQLite database as the bytes of a standalone file.

    sqlite3's online backup copies a consistent snapshot page by page while the app keeps reading and writing
    (a plain file copy of a WAL database can miss committed pages still in the -wal file).
    """
    if engine.dialect.name != "sqlite":
        raise ValueError(f"sqlite_backup needs a SQLite engine, not {engine.dialect.name}")
    handle, name = tempfile.mkstemp(suffix=".sqlite3")
    os.close(handle)
    path = Path(name)
    try:
        raw = engine.raw_connection()
        try:
            target = sqlite3.connect(path)
            try:
                raw.driver_connection.backup(target)
                # A standalone file: no -wal/-shm companions needed to open it.
                target.execute("PRAGMA journal_mode=DELETE")
            finally:
                target.close()
        finally:
            raw.close()
        return path.read_bytes()
    finally:
        path.unlink(missing_ok=True)


def backup_file_name(now: dt.datetime | None = None, *, suffix: str = ".sqlite3") -> str:
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M")
    return f"culture-dash-backup-{stamp}{suffix}"


def pg_dump_command(url: URL, now: dt.datetime | None = None) -> str:
    """The pg_dump command that backs up this PostgreSQL database (custom format, restorable with pg_restore).

    The password is never part of it: pg_dump asks for it, or reads PGPASSWORD / ~/.pgpass.
    """
    parts = ["pg_dump", "--format=custom"]
    if url.host:
        parts.append(f"--host={url.host}")
    if url.port:
        parts.append(f"--port={url.port}")
    if url.username:
        parts.append(f"--username={url.username}")
    parts += [f"--file={backup_file_name(now, suffix='.dump')}", url.database or ""]
    return shlex.join(parts)
