"""The dashboard's edge: the engine (cache_resource) and thin cached wrappers around culture_dash.queries.

Every cached read takes the data versions it depends on (the newest upload batch id per kind), so an upload
or an undo makes exactly the affected entries stale and nothing else.
"""

import sqlalchemy as sa
import streamlit as st
from sqlmodel import Session

from culture_dash import queries
from models import UploadBatch, make_engine

CACHE = {"ttl": 3600, "max_entries": 256, "show_spinner": False}


@st.cache_resource
def engine():
    return make_engine()


def session() -> Session:
    return Session(engine())


def data_versions() -> dict[str, int]:
    """kind → the newest batch id that wrote it (one cheap GROUP BY per rerun, never cached)."""
    with session() as s:
        rows = s.execute(sa.select(UploadBatch.kind, sa.func.max(UploadBatch.id)).group_by(UploadBatch.kind)).all()
    return dict(rows)


def version(*kinds: str) -> tuple[int, ...]:
    versions = data_versions()
    return tuple(versions.get(kind, 0) for kind in kinds)


@st.cache_data(**CACHE)
def latest_month(versions: tuple[int, ...]):
    with session() as s:
        return queries.get_latest_month(session=s)


@st.cache_data(**CACHE)
def monthly_totals(versions: tuple[int, ...], months: tuple):
    with session() as s:
        return queries.get_monthly_totals(session=s, months=list(months))


@st.cache_data(**CACHE)
def is_demo(versions: tuple[int, ...]) -> bool:
    with session() as s:
        return queries.is_demo_database(session=s)
