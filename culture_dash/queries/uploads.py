"""Reads for the upload pages: the batch history, one batch's rows, and the venues a user reports for."""

import datetime as dt
import json

import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session

from culture_dash.ingest.kinds import KINDS
from models import BatchReplacedRow, MonthlyReport, Township, UploadBatch, Venue, Village

BATCH_COLUMNS = [
    "id",
    "created_at",
    "username",
    "file_name",
    "kind",
    "sha256",
    "rows_inserted",
    "rows_replaced",
    "rows_unchanged",
    "warnings",
    "status",
    "undo_of",
    "undone_by",
]


def get_batches(
    *, session: Session, limit: int = 1000, kind: str | None = None, username: str | None = None
) -> pd.DataFrame:
    """The newest upload batches first (of one kind / one user when given), each with the id of the batch that
    undid it (if any)."""
    undo = sa.orm.aliased(UploadBatch)
    undone_by = (
        sa.select(sa.func.max(undo.id)).where(undo.undo_of == UploadBatch.id).scalar_subquery().label("undone_by")
    )
    stmt = (
        sa.select(*[getattr(UploadBatch, c) for c in BATCH_COLUMNS[:-1]], undone_by)
        .order_by(UploadBatch.id.desc())
        .limit(limit)
    )
    if kind is not None:
        stmt = stmt.where(UploadBatch.kind == kind)
    if username is not None:
        stmt = stmt.where(UploadBatch.username == username)
    # object dtype keeps the optional ids as ints and None (not floats and NaN)
    frame = pd.DataFrame(session.execute(stmt).all(), columns=BATCH_COLUMNS, dtype=object)
    counts = ["id", "rows_inserted", "rows_replaced", "rows_unchanged", "warnings"]
    return frame.astype(dict.fromkeys(counts, "int64"))


def count_batches(*, session: Session) -> int:
    return session.execute(sa.select(sa.func.count()).select_from(UploadBatch)).scalar_one()


def get_batch_filters(*, session: Session) -> tuple[list[str], list[str]]:
    """The kinds and the usernames that occur in the upload history (for the history page's filters)."""
    kinds = session.execute(sa.select(UploadBatch.kind).distinct().order_by(UploadBatch.kind)).scalars().all()
    users = session.execute(sa.select(UploadBatch.username).distinct().order_by(UploadBatch.username)).scalars()
    return list(kinds), list(users)


def get_batch(*, session: Session, batch_id: int) -> dict | None:
    """One batch as a dict, its stored report (warnings, per-month and per-township counts) parsed."""
    batch = session.get(UploadBatch, batch_id)
    if batch is None:
        return None
    record = batch.model_dump()
    record["report"] = json.loads(batch.report) if batch.report else {}
    return record


def get_later_changes(*, session: Session, batch_id: int) -> pd.DataFrame:
    """Later batches that replaced rows this batch wrote: batch id, its status and how many rows."""
    replaced = BatchReplacedRow.__table__
    stmt = (
        sa.select(replaced.c.batch_id, UploadBatch.status, sa.func.count().label("rows"))
        .join(UploadBatch, UploadBatch.id == replaced.c.batch_id)
        .where(replaced.c.old_batch_id == batch_id)
        .group_by(replaced.c.batch_id, UploadBatch.status)
        .order_by(replaced.c.batch_id)
    )
    return pd.DataFrame(session.execute(stmt).all(), columns=["batch_id", "status", "rows"])


def _batch_row_select(kind: str):
    """SELECT of a kind's table with references shown as codes/names, columns named by the upload fields."""
    spec = KINDS[kind]
    table = spec.model.__table__
    source = table
    columns = []
    for column in spec.columns:
        attr = column.attr
        if attr not in table.c:
            continue
        if column.type == "venue" or attr == "parent_id":
            venue = Venue.__table__.alias(f"v_{column.field}")
            source = source.outerjoin(venue, venue.c.id == table.c[attr])
            columns.append(venue.c.code.label(column.field))
            if column.field == "venue_code":
                columns.append(venue.c.name.label("venue_name"))
        elif attr == "township_id":
            township = Township.__table__.alias("t_ref")
            source = source.outerjoin(township, township.c.id == table.c[attr])
            columns.append(township.c.name.label(column.field))
        elif attr == "village_id":
            village = Village.__table__.alias("vl_ref")
            source = source.outerjoin(village, village.c.id == table.c[attr])
            columns.append(village.c.name.label(column.field))
        else:
            columns.append(table.c[attr].label(column.field))
    return table, source, columns


def get_batch_rows(*, session: Session, batch_id: int, kind: str, limit: int = 1000) -> tuple[pd.DataFrame, int]:
    """The rows of `kind`'s table that this batch wrote and no later batch has changed since (first `limit`),
    and how many there are. Columns are the upload fields (venue_code, …) plus venue_name."""
    table, source, columns = _batch_row_select(kind)
    where = table.c.batch_id == batch_id
    total = session.execute(sa.select(sa.func.count()).select_from(table).where(where)).scalar_one()
    stmt = sa.select(*columns).select_from(source).where(where).order_by(table.c.id).limit(limit)
    result = session.execute(stmt)
    return pd.DataFrame(result.all(), columns=list(result.keys())), total


def get_scope_venues(
    *,
    session: Session,
    township_codes: frozenset[str] | None = None,
    venue_codes: frozenset[str] | None = None,
    open_by: dt.date | None = None,
) -> pd.DataFrame:
    """Venues (code, name, type, township) in a scope, by township code then venue code; None = every venue.
    With `open_by`, only venues open by that day (an unknown opening date counts as open)."""
    stmt = (
        sa.select(Venue.code.label("venue_code"), Venue.name, Venue.type, Township.name.label("township"))
        .join(Township, Township.id == Venue.township_id)
        .order_by(Township.code, Venue.code)
    )
    if open_by is not None:
        stmt = stmt.where(sa.or_(Venue.opened_on.is_(None), Venue.opened_on <= open_by))
    if township_codes is not None or venue_codes is not None:
        stmt = stmt.where(
            sa.or_(Township.code.in_(sorted(township_codes or ())), Venue.code.in_(sorted(venue_codes or ())))
        )
    return pd.DataFrame(session.execute(stmt).all(), columns=["venue_code", "name", "type", "township"])


def get_latest_report_month(*, session: Session) -> dt.date | None:
    return session.execute(sa.select(sa.func.max(MonthlyReport.month))).scalar()
