"""Cached reads for 示范点与免费开放 (thin wrappers; the first argument is the data version)."""

import streamlit as st

from culture_dash.queries import sites as site_queries
from dashboard import data

# The upload kinds each read depends on (data.version(*kinds) → the cache key's first argument).
SITE_KINDS = ("demo_sites", "venues", "townships")
FUND_KINDS = ("demo_sites", "subsidies", "venues")
SERVICE_KINDS = ("demo_sites", "monthly", "venues")
YEAR_KINDS = ("demo_sites", "subsidies", "monthly")


@st.cache_data(**data.CACHE)
def sites(versions: tuple[int, ...]):
    with data.session() as s:
        return site_queries.get_sites(session=s)


@st.cache_data(**data.CACHE)
def years(versions: tuple[int, ...]) -> list[int]:
    with data.session() as s:
        return site_queries.get_site_years(session=s)


@st.cache_data(**data.CACHE)
def funds(versions: tuple[int, ...], year: int):
    with data.session() as s:
        return site_queries.get_site_funds(session=s, year=year)


@st.cache_data(**data.CACHE)
def service(versions: tuple[int, ...], year: int):
    with data.session() as s:
        return site_queries.get_site_service(session=s, year=year)


@st.cache_data(**data.CACHE)
def months(versions: tuple[int, ...], year: int):
    with data.session() as s:
        return site_queries.get_site_months(session=s, year=year)
