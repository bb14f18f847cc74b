"""Cached reads for the trends page and the venue profile (thin wrappers; the first argument is the data version)."""

import datetime as dt

import streamlit as st

from culture_dash.queries import trends as trend_queries
from culture_dash.queries import venues as venue_queries
from dashboard import data

# The upload kinds each read depends on (data.version(*kinds) → the cache key's first argument).
SERIES_KINDS = ("monthly", "venues", "townships")
REGISTRY_KINDS = ("venues", "townships", "villages")


@st.cache_data(**data.CACHE)
def months(versions: tuple[int, ...]) -> list[dt.date]:
    with data.session() as s:
        return trend_queries.get_months(session=s)


@st.cache_data(**data.CACHE)
def metric_series(
    versions: tuple[int, ...],
    metric: str,
    start: dt.date,
    end: dt.date,
    split: str,
    venue_types: tuple[str, ...] = (),
    township_codes: tuple[str, ...] = (),
    venue_code: str | None = None,
):
    with data.session() as s:
        return trend_queries.get_metric_series(
            session=s,
            metric=metric,
            start=start,
            end=end,
            split=split,
            venue_types=venue_types,
            township_codes=township_codes,
            venue_code=venue_code,
        )


@st.cache_data(**data.CACHE)
def top_ranking(
    versions: tuple[int, ...],
    metric: str,
    start: dt.date,
    end: dt.date,
    level: str,
    venue_types: tuple[str, ...],
    by: str,
    count: int,
    bottom: bool,
):
    with data.session() as s:
        return trend_queries.get_top_ranking(
            session=s,
            metric=metric,
            start=start,
            end=end,
            level=level,
            venue_types=venue_types,
            by=by,
            count=count,
            bottom=bottom,
        )


@st.cache_data(**data.CACHE)
def townships(versions: tuple[int, ...]):
    with data.session() as s:
        return trend_queries.get_townships(session=s)


@st.cache_data(**data.CACHE)
def venue_options(versions: tuple[int, ...]):
    with data.session() as s:
        return venue_queries.get_venue_options(session=s)


@st.cache_data(**data.CACHE)
def venue(versions: tuple[int, ...], code: str):
    with data.session() as s:
        return venue_queries.get_venue(session=s, code=code)


@st.cache_data(**data.CACHE)
def venue_children(versions: tuple[int, ...], code: str):
    with data.session() as s:
        return venue_queries.get_venue_children(session=s, code=code)


@st.cache_data(**data.CACHE)
def venue_months(versions: tuple[int, ...], code: str):
    with data.session() as s:
        return venue_queries.get_venue_months(session=s, code=code)


@st.cache_data(**data.CACHE)
def venue_subsidies(versions: tuple[int, ...], code: str):
    with data.session() as s:
        return venue_queries.get_venue_subsidies(session=s, code=code)


@st.cache_data(**data.CACHE)
def venue_subsidy_years(versions: tuple[int, ...], code: str):
    with data.session() as s:
        return venue_queries.get_venue_subsidy_years(session=s, code=code)


@st.cache_data(**data.CACHE)
def venue_inspections(versions: tuple[int, ...], code: str):
    with data.session() as s:
        return venue_queries.get_venue_inspections(session=s, code=code)


@st.cache_data(**data.CACHE)
def venue_demo_site(versions: tuple[int, ...], code: str):
    with data.session() as s:
        return venue_queries.get_venue_demo_site(session=s, code=code)


@st.cache_data(**data.CACHE)
def venue_plans(versions: tuple[int, ...], code: str):
    with data.session() as s:
        return venue_queries.get_venue_plans(session=s, code=code)
