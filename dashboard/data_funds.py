"""Cached reads of 资金: thin wrappers around culture_dash.queries.funds, keyed first by the data versions."""

import streamlit as st

from culture_dash.queries import funds as queries
from dashboard import data

SUBSIDIES = ("subsidies", "venues", "townships")


@st.cache_data(**data.CACHE)
def years(versions: tuple[int, ...]) -> list[int]:
    with data.session() as s:
        return queries.get_subsidy_years(session=s)


@st.cache_data(**data.CACHE)
def funds_by(versions: tuple[int, ...], year: int, by: str):
    with data.session() as s:
        return queries.get_funds_by(session=s, year=year, by=by)


@st.cache_data(**data.CACHE)
def funds_by_year(versions: tuple[int, ...]):
    with data.session() as s:
        return queries.get_funds_by_year(session=s)


@st.cache_data(**data.CACHE)
def anomalies(versions: tuple[int, ...], year: int, min_execution: float):
    with data.session() as s:
        return queries.get_subsidy_anomalies(session=s, year=year, min_execution=min_execution)
