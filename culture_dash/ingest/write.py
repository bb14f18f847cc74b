"""The one write path: compare with what is stored, upsert what changed in bulk, remember what was replaced."""

import datetime as dt
import json
from dataclasses import dataclass

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlmodel import Session

from culture_dash.ingest.kinds import KINDS
from culture_dash.ingest.locking import DatabaseBusy, lock_for_writing
from culture_dash.permissions import Actor, may_upload
from models import DATA_TABLES, BatchReplacedRow, UploadBatch

CHUNK = 5000
_IN_CHUNK = 500
_NULL = "\x00"


@dataclass
class Diff:
    new: pd.Series  # bool mask over the frame
    changed: pd.Series
    row_ids: pd.Series  # the stored row's id where one exists
    old_rows: pd.DataFrame  # stored versions of the changed rows (all columns)

    @property
    def unchanged(self) -> int:
        return int((~self.new & ~self.changed).sum())


def _is_numeric(column: sa.Column) -> bool:
    return isinstance(column.type, sa.Integer | sa.Float | sa.Numeric) and not isinstance(column.type, sa.Boolean)


def _canon(series: pd.Series, column: sa.Column) -> pd.Series:
    """A comparable form, equal for equal values whatever pandas or the driver made of them: floats rounded to
    6 decimals for numbers, text (with a NULL marker) for the rest, converted once per distinct value."""
    if _is_numeric(column):
        return pd.to_numeric(series, errors="coerce").astype("float64").round(6)
    codes, uniques = pd.factorize(series)
    texts = np.array([str(value) for value in uniques] + [_NULL], dtype=object)
    return pd.Series(texts[codes], index=series.index)  # code -1 (missing) picks the NULL marker


def _differs(left: pd.Series, right: pd.Series) -> pd.Series:
    same = (left == right) | (left.isna() & right.isna())
    return ~same


def result_frame(result: sa.CursorResult) -> pd.DataFrame:
    """A query result as a frame, built column-wise: pandas probing 1M Row objects as mappings costs seconds."""
    names = list(result.keys())
    rows = result.all()
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(names)
    return pd.DataFrame({name: list(values) for name, values in zip(names, columns, strict=True)}, columns=names)


def fetch_existing(conn: Connection, table: sa.Table, column: str, values: list) -> pd.DataFrame:
    """Stored rows whose `column` takes one of `values` (a superset of the rows a frame's keys match)."""
    parts = []
    for start in range(0, len(values), _IN_CHUNK):
        stmt = sa.select(table).where(table.c[column].in_(values[start : start + _IN_CHUNK]))
        parts.append(result_frame(conn.execute(stmt)))
    if not parts:
        return pd.DataFrame(columns=[c.name for c in table.columns])
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]


def diff_rows(conn: Connection, table: sa.Table, frame: pd.DataFrame, key: tuple[str, ...]) -> Diff:
    """Which rows of `frame` are new, which change a stored row, and the stored versions of those.

    Works through the file in slices of the first key column (months, years…) of about DIFF_ROWS rows, so
    comparing a 1M-row file with 1M stored rows never holds both in memory at once.
    """
    codes, distinct = pd.factorize(frame[key[0]])
    sizes = np.bincount(codes[codes >= 0], minlength=len(distinct))
    new = pd.Series(True, index=frame.index)
    changed = pd.Series(False, index=frame.index)
    row_ids = pd.Series(pd.NA, index=frame.index, dtype="Int64")
    old_parts = []
    for group in _slices(sizes):
        part = frame[np.isin(codes, group)]
        values = [v.item() if hasattr(v, "item") else v for v in distinct[group]]
        existing = fetch_existing(conn, table, key[0], values)
        if existing.empty:
            continue
        part_new, part_changed, part_ids, part_old = _diff_part(table, part, existing, key)
        new[part.index] = part_new
        changed[part.index] = part_changed
        row_ids[part.index] = part_ids
        old_parts.append(part_old)
    old_rows = pd.concat(old_parts) if old_parts else pd.DataFrame(columns=[c.name for c in table.columns])
    return Diff(new, changed, row_ids, old_rows)


DIFF_ROWS = 100_000


def _slices(sizes: np.ndarray) -> list[np.ndarray]:
    """Groups of distinct first-key values holding about DIFF_ROWS file rows each (at most _IN_CHUNK values)."""
    groups, current, total = [], [], 0
    for index, size in enumerate(sizes.tolist()):
        if current and (total + size > DIFF_ROWS or len(current) >= _IN_CHUNK):
            groups.append(np.array(current))
            current, total = [], 0
        current.append(index)
        total += size
    if current:
        groups.append(np.array(current))
    return groups


def _diff_part(table: sa.Table, frame: pd.DataFrame, existing: pd.DataFrame, key: tuple[str, ...]):
    key_text = [f"_k{i}" for i in range(len(key))]
    left = pd.DataFrame({name: _canon(frame[k], table.c[k]) for name, k in zip(key_text, key, strict=True)})
    right = pd.DataFrame({name: _canon(existing[k], table.c[k]) for name, k in zip(key_text, key, strict=True)}).assign(
        _pos=range(len(existing))
    )
    matched = left.merge(right, on=key_text, how="left")["_pos"]
    matched.index = frame.index
    new = matched.isna()
    stored = existing.iloc[matched[~new].astype(int)].set_index(frame.index[~new])
    differs = pd.Series(False, index=stored.index)
    for name in frame.columns:
        if name in key or name not in table.c:
            continue
        column = table.c[name]
        differs |= _differs(_canon(frame.loc[~new, name], column), _canon(stored[name], column))
    changed = pd.Series(False, index=frame.index)
    changed[differs[differs].index] = True
    row_ids = pd.Series(pd.NA, index=frame.index, dtype="Int64")
    row_ids[~new] = stored["id"].astype("Int64")
    return new, changed, row_ids, stored[differs]


def records(frame: pd.DataFrame) -> list[dict]:
    """Plain Python values (no numpy scalars, None for missing) for the DB-API driver."""
    names = list(frame.columns)
    columns = [_python_values(frame[name]) for name in names]
    return [dict(zip(names, values, strict=True)) for values in zip(*columns, strict=True)]


def _python_values(series: pd.Series, *, dates_as_text: bool = False) -> list:
    if pd.api.types.is_integer_dtype(series.dtype) and not isinstance(series.dtype, pd.Int64Dtype):
        series = series.astype("Int64")  # numpy int64 scalars are not ints to the sqlite3 driver
    if dates_as_text and series.dtype == object:
        # SQLAlchemy stores SQLite dates as ISO text; do the same without a per-row type processor.
        codes, uniques = pd.factorize(series)
        texts = [value.isoformat() if isinstance(value, dt.date) else value for value in uniques]
        return [None if code < 0 else texts[code] for code in codes.tolist()]
    return series.to_numpy(dtype=object, na_value=None).tolist()


def upsert_rows(
    conn: Connection, table: sa.Table, frame: pd.DataFrame, key: tuple[str, ...], *, replace: bool = True
) -> None:
    """INSERT … ON CONFLICT (natural key) DO UPDATE, in chunks; `replace=False` for rows known to be new
    (a plain INSERT on SQLite, COPY on PostgreSQL: a concurrent writer of the same key makes it fail instead of
    overwrite)."""
    if frame.empty:
        return
    names = [name for name in frame.columns if name != "id"]
    if not replace and conn.dialect.name == "postgresql":
        _copy_rows(conn, table, frame[names])
        return
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    insert = dialect.insert(table)
    update = {name: insert.excluded[name] for name in names if name not in key}
    stmt = insert.on_conflict_do_update(index_elements=[table.c[k] for k in key], set_=update)
    if not replace and conn.dialect.name == "sqlite":
        stmt = insert
    if conn.dialect.name != "sqlite":
        rows = records(frame[names])
        for start in range(0, len(rows), CHUNK):
            conn.execute(stmt, rows[start : start + CHUNK])
        return
    # SQLite: one compiled statement and plain tuples straight to the driver's executemany — SQLAlchemy's
    # per-row parameter processing cost more than the insert itself on a 1M-row file.
    compiled = stmt.compile(dialect=conn.dialect, column_keys=names)
    order = list(compiled.positiontup)
    date_columns = {n for n in names if isinstance(table.c[n].type, sa.Date)}
    sql = str(compiled)
    # Python tuples of a whole 1M-row file would take ~0.5 GB: build them a chunk at a time.
    for start in range(0, len(frame), CHUNK * 10):
        chunk = frame.iloc[start : start + CHUNK * 10]
        values = [_python_values(chunk[n], dates_as_text=n in date_columns) for n in order]
        conn.exec_driver_sql(sql, list(zip(*values, strict=True)))


def _copy_rows(conn: Connection, table: sa.Table, frame: pd.DataFrame) -> None:
    """PostgreSQL: new rows through COPY … FROM STDIN in the connection's transaction. psycopg's executemany sends
    one INSERT per row: 1M monthly rows took 35 s of a 40 s import that way."""
    quote = conn.dialect.identifier_preparer.quote
    columns = ", ".join(quote(name) for name in frame.columns)
    for name in frame.columns:
        column = table.c[name]
        # COPY parses text by the column's type: "12.0" is not an integer (an INSERT would have cast the float).
        if isinstance(column.type, sa.Integer) and pd.api.types.is_float_dtype(frame[name].dtype):
            frame = frame.assign(**{name: frame[name].round().astype("Int64")})
    sql = f"COPY {quote(table.name)} ({columns}) FROM STDIN"
    error = conn.dialect.loaded_dbapi.Error
    try:
        with conn.connection.driver_connection.cursor() as cursor, cursor.copy(sql) as copy:
            for start in range(0, len(frame), CHUNK * 10):  # Python values a chunk at a time, as on SQLite
                chunk = frame.iloc[start : start + CHUNK * 10]
                for row in zip(*(_python_values(chunk[name]) for name in frame.columns), strict=True):
                    copy.write_row(row)
    except error as exc:  # the same exception (IntegrityError…) SQLAlchemy raises for an INSERT
        raise sa.exc.DBAPIError.instance(sql, None, exc, error) from exc


def _json_value(value):
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return value.item() if hasattr(value, "item") else value


def save_replaced(conn: Connection, batch_id: int, table: sa.Table, old_rows: pd.DataFrame) -> None:
    if old_rows.empty:
        return
    payload = [
        {
            "batch_id": batch_id,
            "table_name": table.name,
            "row_id": int(row["id"]),
            "old_batch_id": _json_value(row.get("batch_id")),
            "old_values": json.dumps({k: _json_value(v) for k, v in row.items()}, ensure_ascii=False),
        }
        for row in old_rows.to_dict("records")
    ]
    for start in range(0, len(payload), CHUNK):
        conn.execute(sa.insert(BatchReplacedRow.__table__), payload[start : start + CHUNK])


class UndoRefused(Exception):
    """The batch cannot be undone; the message says why, in Chinese."""


def _restore_value(column: sa.Column, value):
    if value is None:
        return None
    if isinstance(column.type, sa.DateTime):
        return dt.datetime.fromisoformat(value)
    if isinstance(column.type, sa.Date):
        return dt.date.fromisoformat(value)
    return value


# Batches written outside the upload kinds (culture_dash.boundaries), by their Chinese name.
OTHER_BATCH_KINDS = {"boundaries": "街镇边界"}


def undo_refusal(actor: Actor, batch: UploadBatch) -> str | None:
    """Why `actor` may not undo `batch`, or None: an admin undoes any batch; other roles only kinds they upload,
    and a local user only their own batches."""
    if actor.role != "admin" and not may_upload(actor.role, batch.kind):
        label = KINDS[batch.kind].label if batch.kind in KINDS else OTHER_BATCH_KINDS.get(batch.kind, batch.kind)
        return f"您的角色不能撤销「{label}」的上传。"
    if actor.role == "local_staff" and batch.username != actor.username:
        return f"只能撤销您本人上传的批次（第 {batch.id} 批次由 {batch.username} 上传）。"
    return None


def undo_batch(
    session: Session,
    batch_id: int,
    *,
    username: str,
    now: dt.datetime | None = None,
    actor: Actor | None = None,
) -> UploadBatch:
    """Delete the rows a batch inserted and restore the rows it replaced, exactly; recorded as a batch.

    With `actor` (the web page), the actor's permission to undo that batch is checked first.
    """
    try:
        lock_for_writing(session)  # no upload may change these rows between the check below and the restore
    except DatabaseBusy as exc:
        raise UndoRefused(str(exc)) from exc
    batch = session.get(UploadBatch, batch_id)
    if batch is None:
        raise UndoRefused(f"没有第 {batch_id} 批次。")
    if actor is not None and (reason := undo_refusal(actor, batch)):
        raise UndoRefused(reason)
    if batch.status != "committed":
        label = "已撤销" if batch.status == "undone" else "是一次撤销操作"
        raise UndoRefused(f"第 {batch_id} 批次{label}，不能再撤销。")
    replaced = BatchReplacedRow.__table__
    batches = UploadBatch.__table__
    later = (
        session.execute(
            sa.select(replaced.c.batch_id)
            .distinct()
            .join(batches, batches.c.id == replaced.c.batch_id)
            .where(replaced.c.old_batch_id == batch_id, batches.c.status == "committed")
            .order_by(replaced.c.batch_id)
        )
        .scalars()
        .all()
    )
    if later:
        names = "、".join(f"第 {b} 批次" for b in later)
        raise UndoRefused(f"不能撤销第 {batch_id} 批次：{names}之后又修改了它写入的数据。请先撤销{names}。")
    conn = session.connection()
    try:
        for model in reversed(DATA_TABLES):
            table = model.__table__
            mine = sa.select(replaced.c.row_id).where(
                replaced.c.batch_id == batch_id, replaced.c.table_name == table.name
            )
            conn.execute(sa.delete(table).where(table.c.batch_id == batch_id, table.c.id.not_in(mine)))
            olds = conn.execute(
                sa.select(replaced.c.old_values).where(
                    replaced.c.batch_id == batch_id, replaced.c.table_name == table.name
                )
            ).scalars()
            restore = []
            for text in olds:
                values = json.loads(text)
                restore.append({f"_{k}": _restore_value(table.c[k], v) for k, v in values.items()})
            if restore:
                names = [c.name for c in table.columns if c.name != "id"]
                stmt = (
                    sa.update(table)
                    .where(table.c.id == sa.bindparam("_id"))
                    .values({n: sa.bindparam(f"_{n}") for n in names})
                )
                for start in range(0, len(restore), CHUNK):
                    conn.execute(stmt, restore[start : start + CHUNK])
        session.flush()
    except sa.exc.IntegrityError:
        session.rollback()
        raise UndoRefused(
            f"不能撤销第 {batch_id} 批次：它新增的数据（如场馆、街镇）已被其他数据引用。请先撤销或删除引用它们的数据。"
        ) from None
    batch.status = "undone"
    undo = UploadBatch(
        created_at=now or dt.datetime.now(dt.UTC),
        username=username,
        file_name=batch.file_name,
        sha256=batch.sha256,
        kind=batch.kind,
        rows_inserted=0,
        rows_replaced=batch.rows_replaced,
        rows_unchanged=0,
        warnings=0,
        report=json.dumps(
            {"undo_of": batch_id, "deleted": batch.rows_inserted, "restored": batch.rows_replaced},
            ensure_ascii=False,
        ),
        status="undo",
        undo_of=batch_id,
    )
    session.add(batch)
    session.add(undo)
    session.commit()
    session.refresh(undo)
    return undo
