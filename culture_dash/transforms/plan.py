"""Pure reshaping for 计划进度: the ordered ledger with its progress, status counts, activities against plan."""

import datetime as dt

import pandas as pd

from culture_dash.ingest.kinds import TASK_STATUSES

DONE = "已完成"
BEHIND = "滞后"


def ledger(tasks: pd.DataFrame, *, today: dt.date) -> pd.DataFrame:
    """The ledger with progress (actual ÷ target in %, uncapped; None without a positive target) and overdue
    (deadline before `today` and not done); overdue first, then 滞后, then the rest, each by deadline and code."""
    frame = tasks.copy()
    target = frame["target"].where(frame["target"] > 0)
    frame["progress"] = frame["actual"].fillna(0) / target * 100
    deadline = pd.to_datetime(frame["deadline"])
    frame["overdue"] = (deadline < pd.Timestamp(today)) & (frame["status"] != DONE)
    frame["rank"] = [
        0 if overdue else 1 if status == BEHIND else 2
        for overdue, status in zip(frame["overdue"], frame["status"], strict=True)
    ]
    frame["deadline_order"] = deadline
    frame = frame.sort_values(["rank", "deadline_order", "task_code"], na_position="last", kind="stable")
    return frame.drop(columns=["rank", "deadline_order"]).reset_index(drop=True)


def status_counts(ledger_frame: pd.DataFrame) -> dict[str, float | int | None]:
    """Tasks per status (every status present), overdue, total and the completion rate (已完成 ÷ all tasks)."""
    counts = {status: int((ledger_frame["status"] == status).sum()) for status in TASK_STATUSES}
    total = len(ledger_frame)
    return {
        **counts,
        "overdue": int(ledger_frame["overdue"].sum()),
        "total": total,
        "completion": counts[DONE] / total if total else None,
    }


def filtered(ledger_frame: pd.DataFrame, *, sections=(), lead_units=(), statuses=()) -> pd.DataFrame:
    """The rows matching every non-empty filter (an empty filter keeps everything)."""
    keep = pd.Series(True, index=ledger_frame.index)
    for column, chosen in (("section", sections), ("lead_unit", lead_units), ("status", statuses)):
        if chosen:
            keep &= ledger_frame[column].isin(list(chosen))
    return ledger_frame[keep].reset_index(drop=True)


def months_elapsed(latest: dt.date | None) -> int:
    """Months of the year covered by reports (0 before the first one)."""
    return latest.month if latest else 0


def activity_progress(activities: pd.DataFrame, *, months: int) -> pd.DataFrame:
    """Activities per category with a 合计 row: planned (whole year), held, rate (held ÷ planned, None without a
    plan) and expected (the plan's share for `months` of 12 months)."""
    total = pd.DataFrame(
        [{"category": "合计", "planned": activities["planned"].sum(), "held": activities["held"].sum()}]
    )
    frame = pd.concat([activities, total], ignore_index=True)
    frame["expected"] = frame["planned"] * months / 12
    frame["rate"] = pd.Series(
        [
            held / planned if planned > 0 else None
            for held, planned in zip(frame["held"], frame["planned"], strict=True)
        ],
        dtype=object,
    )
    return frame


def history_points(history: pd.DataFrame) -> pd.DataFrame:
    """The progress points that carry a value, as_of as a date string (what the chart draws)."""
    frame = history[history["actual"].notna()][["as_of", "actual", "status"]].copy()
    frame["as_of"] = [d.isoformat() for d in frame["as_of"]]
    return frame.reset_index(drop=True)


def history_notes(history: pd.DataFrame) -> pd.DataFrame:
    """The progress points newest first as text (date, value without trailing zeros, status, note) for a table."""
    frame = history.iloc[::-1].reset_index(drop=True)
    return pd.DataFrame(
        {
            "as_of": [d.isoformat() for d in frame["as_of"]],
            "actual": ["" if pd.isna(v) else f"{v:g}" for v in frame["actual"]],
            "status": frame["status"].fillna(""),
            "progress_note": frame["progress_note"].fillna(""),
        }
    )
