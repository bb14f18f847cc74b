"""DataFrame → DataFrame reshaping for the pages and the briefing; no database, no Streamlit."""

import datetime as dt

import pandas as pd

from culture_dash.formatting import change
from culture_dash.queries import EVENT_COLUMNS

HEADLINE = (("visits", "人次"), ("loans", "册次"), ("new_cardholders", "人"), ("activities", "场"))


def headline_kpis(totals: pd.DataFrame, *, month: dt.date, previous: dt.date) -> pd.DataFrame:
    """The four headline KPIs of `month` with year-on-year change against `previous`."""
    frame = totals.set_index("month") if not totals.empty else totals
    frame = frame.assign(activities=frame[list(EVENT_COLUMNS)].sum(axis=1)) if not frame.empty else frame

    def value(at: dt.date, metric: str) -> float | None:
        if frame.empty or at not in frame.index:
            return None
        return float(frame.at[at, metric])

    rows = []
    for metric, unit in HEADLINE:
        current = value(month, metric)
        rows.append({"metric": metric, "unit": unit, "value": current, "yoy": change(current, value(previous, metric))})
    return pd.DataFrame(rows)
