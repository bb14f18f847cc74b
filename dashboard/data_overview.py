"""Cached reads of the overview: thin wrappers around culture_dash.queries.overview and the briefing.

Each wrapper takes, first, the versions of the upload kinds it reads (`Versions()(*kinds)`), so an upload of one kind
makes exactly the entries that read it stale.
"""

import datetime as dt

import streamlit as st

from culture_dash import briefing as briefing_module
from culture_dash.periods import Period
from culture_dash.queries import overview as queries
from culture_dash.queries.overview import Scope
from dashboard import data

# The kinds each read depends on (a scope names townships and venue types, so scoped reads depend on both).
REGISTRY = ("townships", "venues")
MONTHLY = ("monthly", *REGISTRY)
BRIEFING = ("monthly", "activity_plans", "subsidies", "tasks", *REGISTRY)


class Versions:
    """The data versions read once per rerun (one GROUP BY), handed out per set of kinds."""

    def __init__(self) -> None:
        self.known = data.data_versions()

    def __call__(self, *kinds: str) -> tuple[int, ...]:
        return tuple(self.known.get(kind, 0) for kind in kinds)


@st.cache_data(**data.CACHE)
def report_months(versions: tuple[int, ...]) -> list[dt.date]:
    with data.session() as s:
        return queries.get_report_months(session=s)


@st.cache_data(**data.CACHE)
def townships(versions: tuple[int, ...]):
    with data.session() as s:
        return queries.get_townships(session=s)


@st.cache_data(**data.CACHE)
def monthly_totals(versions: tuple[int, ...], scope: Scope, start: dt.date, end: dt.date):
    with data.session() as s:
        return queries.get_monthly_totals(session=s, scope=scope, start=start, end=end)


@st.cache_data(**data.CACHE)
def activity_plan(versions: tuple[int, ...], scope: Scope, year: int):
    with data.session() as s:
        return queries.get_activity_plan(session=s, scope=scope, year=year)


@st.cache_data(**data.CACHE)
def funds(versions: tuple[int, ...], scope: Scope, year: int) -> dict:
    with data.session() as s:
        return queries.get_funds(session=s, scope=scope, year=year)


@st.cache_data(**data.CACHE)
def tasks(versions: tuple[int, ...], year: int, due_by: dt.date) -> dict:
    with data.session() as s:
        return queries.count_tasks(session=s, year=year, due_by=due_by)


@st.cache_data(**data.CACHE)
def sites_by_stage(versions: tuple[int, ...], scope: Scope) -> dict:
    with data.session() as s:
        return queries.count_demo_sites_by_stage(session=s, scope=scope)


@st.cache_data(**data.CACHE)
def missing_reports(versions: tuple[int, ...], scope: Scope, start: dt.date, end: dt.date):
    with data.session() as s:
        return queries.get_missing_reports(session=s, scope=scope, start=start, end=end)


@st.cache_data(**data.CACHE)
def inactive_venues(versions: tuple[int, ...], scope: Scope, end: dt.date):
    with data.session() as s:
        return queries.get_inactive_venues(session=s, scope=scope, end=end)


@st.cache_data(**data.CACHE)
def task_alerts(versions: tuple[int, ...], year: int, today: dt.date):
    with data.session() as s:
        return queries.get_task_alerts(session=s, year=year, today=today)


@st.cache_data(**data.CACHE)
def subsidy_alerts(versions: tuple[int, ...], scope: Scope, year: int):
    with data.session() as s:
        return queries.get_subsidy_alerts(session=s, scope=scope, year=year)


@st.cache_data(**data.CACHE)
def overdue_findings(versions: tuple[int, ...], scope: Scope, today: dt.date):
    with data.session() as s:
        return queries.get_overdue_findings(session=s, scope=scope, today=today)


@st.cache_data(**data.CACHE)
def briefing(versions: tuple[int, ...], period: Period, scope: Scope) -> str:
    """The same paragraph `culture-dash brief` prints."""
    with data.session() as s:
        return briefing_module.briefing_text(s, period, scope)
