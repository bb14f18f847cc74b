"""DataFrame → DataFrame for the upload, history and completeness pages; no database, no Streamlit."""

import datetime as dt

import pandas as pd

from culture_dash.ingest.kinds import KINDS

LOCAL_TIMEZONE = "Asia/Shanghai"  # batches are stored in UTC; staff read Beijing time
CHANGE_COLUMNS = ["key", "inserted", "replaced", "unchanged"]


def local_time(times: pd.Series) -> pd.Series:
    """UTC timestamps (naive ones are taken as UTC) → 'YYYY-MM-DD HH:MM' in Beijing time."""
    if times.empty:
        return times.astype(str)
    stamps = pd.to_datetime(times, utc=True, format="mixed")
    return stamps.dt.tz_convert(LOCAL_TIMEZONE).dt.strftime("%Y-%m-%d %H:%M")


def batch_table(batches: pd.DataFrame) -> pd.DataFrame:
    """The history list: Beijing time, file, kind, the SHA-256's first 8 hex digits, counts and status."""
    return pd.DataFrame(
        {
            "id": batches["id"],
            "time": local_time(batches["created_at"]),
            "username": batches["username"],
            "file_name": batches["file_name"],
            "kind": batches["kind"],
            "sha256": batches["sha256"].str[:8],
            "inserted": batches["rows_inserted"],
            "replaced": batches["rows_replaced"],
            "unchanged": batches["rows_unchanged"],
            "warnings": batches["warnings"],
            "status": batches["status"],
        }
    )


def change_table(records: list[dict], *, months: bool = False) -> pd.DataFrame:
    """A report's by_month / by_township counts as a table, the total row first; months shown as 2026年10月."""
    frame = pd.DataFrame(records, columns=CHANGE_COLUMNS)
    if frame.empty:
        return frame
    if months:
        frame["key"] = frame["key"].map(lambda text: f"{int(text[:4])}年{int(text[5:7])}月")
    counts = frame[CHANGE_COLUMNS[1:]].astype(int)
    total = pd.DataFrame([{"key": "合计", **counts.sum().to_dict()}])
    return pd.concat([total, frame.assign(**counts)], ignore_index=True)  # the total first: long lists scroll


def _cell_text(value) -> object:
    if isinstance(value, bool):
        return "是" if value else "否"
    return value


def batch_rows_table(rows: pd.DataFrame, kind: str) -> pd.DataFrame:
    """A batch's stored rows under the upload headers (月份, 场馆编码, 场馆名称, …), months as 2026-10, NULL empty."""
    spec = KINDS[kind]
    frame = rows.copy()
    for column in spec.columns:
        if column.field in frame and column.type == "month":
            frame[column.field] = frame[column.field].map(
                lambda m: m.strftime("%Y-%m") if isinstance(m, dt.date) else m
            )
        elif column.field in frame and column.type == "bool":
            frame[column.field] = frame[column.field].map(_cell_text)
    headers = {c.field: c.header for c in spec.columns}
    headers["venue_name"] = "场馆名称"
    # An empty cell means "not reported", as in the uploaded file (a grid would print None).
    frame = frame.astype(object).where(frame.notna(), "")
    return frame.rename(columns=headers)


def township_rates(counts: pd.DataFrame) -> pd.DataFrame:
    """Per township: expected, reported, missing and the reporting rate (0–1, and in percent), in the given order."""
    frame = counts.copy()
    frame["missing"] = frame["expected"] - frame["reported"]
    frame["rate"] = (frame["reported"] / frame["expected"]).where(frame["expected"] > 0)
    frame["rate_percent"] = (frame["rate"] * 100).round(1)
    return frame[["township_code", "township", "expected", "reported", "missing", "rate", "rate_percent"]]


def missing_venues(status: pd.DataFrame) -> pd.DataFrame:
    """The venues that have not reported: township, code, name, type."""
    missing = status[~status["reported"]]
    return missing[["township", "venue_code", "venue_name", "venue_type"]].reset_index(drop=True)
