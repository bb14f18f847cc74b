"""Reads: plain functions taking a keyword-only `session`, aggregating in SQL; one module per area."""

from culture_dash.queries.core import (
    DEMO_LOADER,
    EVENT_COLUMNS,
    METRIC_COLUMNS,
    count_rows,
    count_townships,
    get_latest_month,
    get_monthly_totals,
    get_status,
    is_demo_database,
)

__all__ = [
    "DEMO_LOADER",
    "EVENT_COLUMNS",
    "METRIC_COLUMNS",
    "count_rows",
    "count_townships",
    "get_latest_month",
    "get_monthly_totals",
    "get_status",
    "is_demo_database",
]
