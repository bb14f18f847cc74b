"""DataFrame → DataFrame reshaping for the overview and the briefing; no database, no Streamlit.

Inputs are the aggregates of culture_dash.queries.overview (a few rows per month, per category or per
township); nothing here sees a raw monthly report.
"""

import datetime as dt

import pandas as pd

from culture_dash import periods
from culture_dash.formatting import change
from culture_dash.ingest.kinds import EVENT_CATEGORIES
from culture_dash.periods import add_months
from culture_dash.queries.core import EVENT_COLUMNS

# The KPIs read from monthly reports, with their units, in the order the cards show them.
MONTHLY_KPIS = (
    ("visits", "人次"),
    ("loans", "册次"),
    ("new_cardholders", "人"),
    ("activities", "场"),
    ("participants", "人次"),
    ("online_visits", "人次"),
    ("media_reports", "次"),
)
TREND_MONTHS = 12


def with_activities(monthly: pd.DataFrame) -> pd.DataFrame:
    """Adds `activities`: the four event categories summed (missing when all four are missing)."""
    return monthly.assign(activities=monthly[list(EVENT_COLUMNS)].sum(axis=1, min_count=1))


def _total(monthly: pd.DataFrame, metric: str) -> float | None:
    if monthly.empty:
        return None
    value = monthly[metric].sum(min_count=1)
    return None if pd.isna(value) else float(value)


def trend_window(end: dt.date, months: int = TREND_MONTHS) -> tuple[dt.date, dt.date]:
    """The first and last month of the `months` months ending at `end`."""
    return add_months(end, 1 - months), end


def metric_kpis(current: pd.DataFrame, previous: pd.DataFrame, trend: pd.DataFrame) -> pd.DataFrame:
    """One row per monthly KPI: period total, the same months a year earlier, relative change, monthly trend.

    `current`, `previous` and `trend` are monthly totals (get_monthly_totals) of the period, of the period a
    year earlier, and of the trend window; `trend` becomes a list of the months' values (months without any
    value left out).
    """
    current, previous, trend = with_activities(current), with_activities(previous), with_activities(trend)
    rows = []
    for metric, unit in MONTHLY_KPIS:
        value, before = _total(current, metric), _total(previous, metric)
        series = trend[metric].dropna() if not trend.empty else pd.Series(dtype=float)
        rows.append(
            {
                "metric": metric,
                "unit": unit,
                "value": value,
                "previous": before,
                "yoy": change(value, before),
                "trend": [float(v) for v in series],
            }
        )
    frame = pd.DataFrame(rows)
    numbers = ["value", "previous", "yoy"]
    # None, not NaN, for "not reported": formatting and phrases test for None.
    frame[numbers] = frame[numbers].astype(object).where(frame[numbers].notna(), None)
    return frame


def activity_completion(current: pd.DataFrame, plan: pd.DataFrame, *, months: int) -> pd.DataFrame:
    """Activities held per category against the year's plan pro-rated to `months` of 12, with a 合计 row.

    Columns: category, held, planned_year, planned (pro-rated), rate (held ÷ pro-rated plan, None without a plan).
    """
    held = {c: _total(current, col) or 0.0 for c, col in zip(EVENT_CATEGORIES, EVENT_COLUMNS, strict=True)}
    planned_year = dict(zip(plan["category"], plan["planned"], strict=True))
    rows = [{"category": c, "held": held[c], "planned_year": float(planned_year.get(c, 0))} for c in EVENT_CATEGORIES]
    frame = pd.DataFrame(rows)
    total = pd.DataFrame(
        [{"category": "合计", "held": frame["held"].sum(), "planned_year": frame["planned_year"].sum()}]
    )
    frame = pd.concat([frame, total], ignore_index=True)
    frame["planned"] = frame["planned_year"] * months / 12
    pairs = zip(frame["held"], frame["planned"], strict=True)
    frame["rate"] = pd.Series([held / planned if planned > 0 else None for held, planned in pairs], dtype=object)
    return frame


def execution_rate(funds: dict) -> float | None:
    """Spent ÷ allocated (None when nothing was allocated)."""
    return funds["spent"] / funds["allocated"] if funds["allocated"] else None


def task_completion(tasks: dict) -> float | None:
    """Tasks done ÷ tasks due (None when none is due yet)."""
    return tasks["due_done"] / tasks["due"] if tasks["due"] else None


def township_ranking(townships: pd.DataFrame) -> pd.DataFrame:
    """Townships with a known population and reported visits, best first by visits per 10,000 residents.

    Ties go by township code. A township with no venue in scope, or none that reported, is not ranked.
    """
    frame = townships[(townships["population"].fillna(0) > 0) & townships["visits"].notna()].copy()
    frame["per_10k"] = frame["visits"].astype(float) / frame["population"].astype(float) * 10_000
    return frame.sort_values(["per_10k", "code"], ascending=[False, True]).reset_index(drop=True)


def sites_by_stage(counts: dict[str, int], stages: tuple[str, ...]) -> pd.DataFrame:
    """Demonstration sites per stage, every stage present, in the stages' order."""
    return pd.DataFrame({"stage": list(stages), "sites": [counts.get(s, 0) for s in stages]})


# The selector's choices and titles live with the periods, shared by every page.
period_options = periods.options
period_title = periods.title
