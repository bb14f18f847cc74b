"""Cached reads of the upload, history and completeness pages: thin wrappers around culture_dash.queries.

Each wrapper takes, first, the data versions of the kinds it reads, so a commit or an undo makes exactly the
entries that read that kind stale.
"""

import datetime as dt

import streamlit as st

from culture_dash.ingest import templates
from culture_dash.queries import completeness as completeness_queries
from culture_dash.queries import uploads as upload_queries
from dashboard import data

REGISTRY = ("townships", "venues")
MONTHLY = ("monthly", *REGISTRY)


def all_versions() -> tuple[tuple[str, int], ...]:
    """The newest batch id of every kind (history lists every batch, so any upload makes it stale)."""
    return tuple(sorted(data.data_versions().items()))


BATCHES_SHOWN = 1000  # the history list's length; older batches are found through its filters


@st.cache_data(**data.CACHE)
def batches(versions: tuple, limit: int = 1000, kind: str | None = None, username: str | None = None):
    with data.session() as s:
        return upload_queries.get_batches(session=s, limit=limit, kind=kind, username=username)


@st.cache_data(**data.CACHE)
def batch_filters(versions: tuple) -> tuple[list[str], list[str]]:
    with data.session() as s:
        return upload_queries.get_batch_filters(session=s)


@st.cache_data(**data.CACHE)
def batch(versions: tuple, batch_id: int) -> dict | None:
    with data.session() as s:
        return upload_queries.get_batch(session=s, batch_id=batch_id)


@st.cache_data(**data.CACHE)
def batch_rows(versions: tuple, batch_id: int, kind: str, limit: int = 1000):
    with data.session() as s:
        return upload_queries.get_batch_rows(session=s, batch_id=batch_id, kind=kind, limit=limit)


@st.cache_data(**data.CACHE)
def later_changes(versions: tuple, batch_id: int):
    with data.session() as s:
        return upload_queries.get_later_changes(session=s, batch_id=batch_id)


@st.cache_data(**data.CACHE)
def template_month(versions: tuple[int, ...], today: dt.date) -> dt.date:
    with data.session() as s:
        return templates.report_month(upload_queries.get_latest_report_month(session=s), today)


@st.cache_data(**data.CACHE)
def scope_venues(
    versions: tuple[int, ...],
    township_codes: frozenset[str] | None,
    venue_codes: frozenset[str] | None,
    open_by: dt.date | None = None,
):
    with data.session() as s:
        return upload_queries.get_scope_venues(
            session=s, township_codes=township_codes, venue_codes=venue_codes, open_by=open_by
        )


@st.cache_data(**data.CACHE)
def month_choices(versions: tuple[int, ...], today: dt.date) -> list[dt.date]:
    with data.session() as s:
        return completeness_queries.get_month_choices(session=s, today=today)


@st.cache_data(**data.CACHE)
def township_counts(versions: tuple[int, ...], month: dt.date):
    with data.session() as s:
        return completeness_queries.count_reporting_by_township(session=s, month=month)


@st.cache_data(**data.CACHE)
def reporting_status(versions: tuple[int, ...], month: dt.date, township: str = "", reported: bool | None = None):
    with data.session() as s:
        return completeness_queries.get_reporting_status(
            session=s, month=month, township_codes=(township,) if township else None, reported=reported
        )


def template_file(kind: str, file_format: str, venues, month: dt.date | None) -> bytes:
    """A template of `kind` (csv / xlsx); the monthly one pre-filled with `venues` for `month`."""
    rows = templates.monthly_rows(list(venues["venue_code"]), month) if kind == "monthly" and month else None
    if file_format == "csv":
        return templates.csv_template(kind, rows)
    listed = venues.to_dict("records") if kind == "monthly" else None
    return templates.xlsx_template(kind, rows, venues=listed)
