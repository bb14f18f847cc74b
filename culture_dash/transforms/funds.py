"""Pure reshaping for 资金: totals and rates, groups in their canonical order, long form for grouped bars."""

import datetime as dt

import pandas as pd

from culture_dash.ingest.kinds import SUBSIDY_PROGRAMMES, SUBSIDY_SOURCES

AMOUNTS = ("allocated", "disbursed", "spent")
ORDERS = {"source": SUBSIDY_SOURCES, "programme": SUBSIDY_PROGRAMMES}
# A record is flagged as behind when it has spent less than half of what the calendar would have it spend.
BEHIND_SHARE = 0.5


def totals(by_group: pd.DataFrame) -> dict[str, float | None]:
    """Allocated, disbursed, spent (万元), the execution rate (spent ÷ allocated) and the disbursement rate
    (disbursed ÷ allocated); rates are None when nothing was allocated."""
    sums = {c: round(float(by_group[c].sum()), 4) for c in AMOUNTS}
    allocated = sums["allocated"]
    return {
        **sums,
        "execution": sums["spent"] / allocated if allocated else None,
        "disbursement": sums["disbursed"] / allocated if allocated else None,
    }


def with_rates(frame: pd.DataFrame) -> pd.DataFrame:
    """Adds execution and disbursement rates in % (NaN where nothing was allocated)."""
    result = frame.copy()
    allocated = result["allocated"].where(result["allocated"] > 0)
    result["execution"] = result["spent"] / allocated * 100
    result["disbursement"] = result["disbursed"] / allocated * 100
    return result


def in_order(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """Sources and programmes in their official order (others after them); townships as they came."""
    order = ORDERS.get(by)
    if order is None:
        return frame.reset_index(drop=True)
    rank = {value: i for i, value in enumerate(order)}
    ranked = frame.assign(_rank=[rank.get(v, len(order)) for v in frame[by]])
    return ranked.sort_values(["_rank", by], kind="stable").drop(columns="_rank").reset_index(drop=True)


def long_amounts(frame: pd.DataFrame, key: str, labels: dict[str, str]) -> pd.DataFrame:
    """One row per group and amount: key, measure (its label), amount — what a grouped bar chart draws."""
    long = frame.melt(id_vars=[key], value_vars=list(AMOUNTS), var_name="measure", value_name="amount")
    long["measure"] = long["measure"].map(labels)
    long["amount"] = long["amount"].fillna(0).round(4)
    return long


def elapsed_share(year: int, today: dt.date) -> float:
    """The share of `year` gone by `today`: 1 for a past year, 0 for a future one."""
    if year < today.year:
        return 1.0
    if year > today.year:
        return 0.0
    start = dt.date(year, 1, 1)
    return ((today - start).days + 1) / (dt.date(year + 1, 1, 1) - start).days


def min_execution(year: int, today: dt.date) -> float:
    """The execution rate below which a record counts as far behind the calendar."""
    return BEHIND_SHARE * elapsed_share(year, today)


FLAGS = ("over_allocated", "over_disbursed", "behind")


def anomaly_rows(anomalies: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """Adds `issues` (the labels of the record's flags, joined by 、) and `<amount>_text` columns written with two
    decimals, empty where nothing was reported (a table would otherwise print None)."""
    frame = anomalies.copy()
    flags = frame[list(FLAGS)].to_numpy(dtype=bool)
    frame["issues"] = ["、".join(labels[f] for f, on in zip(FLAGS, row, strict=True) if on) for row in flags]
    for column in AMOUNTS:
        frame[f"{column}_text"] = ["" if pd.isna(v) else f"{v:,.2f}" for v in frame[column]]
    return frame
