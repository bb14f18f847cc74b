"""Cached reads for the map page; each takes the data versions it depends on as its first argument."""

import streamlit as st

from culture_dash.queries import geo as queries
from dashboard import data

# Every upload kind the map's numbers come from.
KINDS = ("townships", "villages", "venues", "monthly", "subsidies", "demo_sites", "boundaries")


def versions() -> tuple[int, ...]:
    return data.version(*KINDS)


@st.cache_data(**data.CACHE)
def report_months(versions: tuple[int, ...]):
    with data.session() as s:
        return queries.get_report_months(session=s)


@st.cache_data(**data.CACHE)
def township_outlines(versions: tuple[int, ...]):
    with data.session() as s:
        return queries.get_township_outlines(session=s)


@st.cache_data(**data.CACHE)
def township_aggregates(versions: tuple[int, ...], months: tuple, years: tuple):
    with data.session() as s:
        return queries.get_township_aggregates(session=s, months=list(months), years=list(years))


@st.cache_data(**data.CACHE)
def venue_aggregates(versions: tuple[int, ...], months: tuple, years: tuple):
    with data.session() as s:
        return queries.get_venue_aggregates(session=s, months=list(months), years=list(years))


@st.cache_data(**data.CACHE)
def monthly_series(versions: tuple[int, ...], months: tuple, township_code: str | None):
    with data.session() as s:
        return queries.get_monthly_series(session=s, months=list(months), township_code=township_code)


@st.cache_data(**data.CACHE)
def yearly_funds(versions: tuple[int, ...], township_code: str | None):
    with data.session() as s:
        return queries.get_yearly_funds(session=s, township_code=township_code)


@st.cache_data(**data.CACHE)
def coverage(versions: tuple[int, ...]):
    with data.session() as s:
        return queries.get_coverage(session=s)


@st.cache_data(**data.CACHE)
def village_coverage(versions: tuple[int, ...], township_code: str):
    with data.session() as s:
        return queries.get_village_coverage(session=s, township_code=township_code)
