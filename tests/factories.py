"""Plain helpers that build upload files and a small registry (no factory framework)."""

import csv
import datetime as dt
import io

import sqlalchemy as sa
from openpyxl import Workbook
from sqlmodel import Session

from culture_dash.ingest.kinds import KINDS
from culture_dash.ingest.pipeline import import_file
from models import DATA_TABLES, BatchReplacedRow, UploadBatch

TODAY = dt.date(2026, 11, 26)

TOWNSHIPS = [
    {"code": "510199001", "name": "青溪街道", "kind": "街道", "population": "56000"},
    {"code": "510199002", "name": "白鹤镇", "kind": "镇", "population": "32000"},
]
VILLAGES = [
    {"code": "510199001001", "name": "桂花社区", "kind": "社区", "township": "青溪街道", "population": "5200"},
    {"code": "510199002001", "name": "新民村", "kind": "村", "township": "510199002", "population": "2100"},
]
VENUES = [
    {"venue_code": "WHG", "name": "青溪区文化馆", "type": "文化馆", "township": "青溪街道"},
    {"venue_code": "TSG", "name": "青溪区图书馆", "type": "图书馆", "township": "青溪街道"},
    {
        "venue_code": "ZHAN-1",
        "name": "青溪街道综合文化站",
        "type": "综合文化站",
        "parent_code": "WHG",
        "township": "青溪街道",
    },
    {
        "venue_code": "ZHAN-2",
        "name": "白鹤镇综合文化站",
        "type": "综合文化站",
        "parent_code": "WHG",
        "township": "白鹤镇",
    },
    {
        "venue_code": "FG-2",
        "name": "白鹤镇图书分馆",
        "type": "街镇图书分馆",
        "parent_code": "TSG",
        "township": "白鹤镇",
        "village": "新民村",
    },
]


def headers(kind: str) -> list[str]:
    return [c.header for c in KINDS[kind].columns]


def csv_bytes(kind: str, rows: list[dict], *, encoding: str = "utf-8", header: list[str] | None = None) -> bytes:
    """A CSV of `kind` with Chinese headers; rows are keyed by the English alias."""
    spec = KINDS[kind]
    fields = [c.field for c in spec.columns]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header or [c.header for c in spec.columns])
    for row in rows:
        writer.writerow([row.get(f, "") for f in fields])
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(header: list[str], rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def load(session: Session, kind: str, rows: list[dict], **kwargs):
    report = import_file(session, csv_bytes(kind, rows), f"{kind}.csv", today=TODAY, **kwargs)
    assert report.accepted, report.text()
    return report


def seed_registry(session: Session) -> None:
    load(session, "townships", TOWNSHIPS)
    load(session, "villages", VILLAGES)
    load(session, "venues", VENUES)


def snapshot(session: Session) -> dict[str, list[tuple]]:
    """Every row of every data table (and the batch bookkeeping), to prove a rejected file wrote nothing."""
    tables = [m.__table__ for m in DATA_TABLES] + [UploadBatch.__table__, BatchReplacedRow.__table__]
    result = {}
    for table in tables:
        rows = session.execute(sa.select(table).order_by(table.c.id)).all()
        result[table.name] = [tuple(r) for r in rows]
    return result


def table_rows(session: Session, model, columns: list[str]) -> list[list]:
    """The stored values of `columns`, row by row in id order, exactly as the database returns them."""
    table = model.__table__
    rows = session.execute(sa.select(*[table.c[c] for c in columns]).order_by(table.c.id)).all()
    return [list(row) for row in rows]
