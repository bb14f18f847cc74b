"""Cached reads of 计划进度: thin wrappers around culture_dash.queries.plan, keyed first by the data versions."""

import streamlit as st

from culture_dash.queries import plan as queries
from dashboard import data

TASKS = ("tasks",)
ACTIVITIES = ("activity_plans", "monthly", "venues")


@st.cache_data(**data.CACHE)
def task_years(versions: tuple[int, ...]) -> list[int]:
    with data.session() as s:
        return queries.get_task_years(session=s)


@st.cache_data(**data.CACHE)
def tasks(versions: tuple[int, ...], year: int):
    with data.session() as s:
        return queries.get_tasks(session=s, year=year)


@st.cache_data(**data.CACHE)
def task_history(versions: tuple[int, ...], year: int, task_code: str):
    with data.session() as s:
        return queries.get_task_history(session=s, year=year, task_code=task_code)


@st.cache_data(**data.CACHE)
def activities(versions: tuple[int, ...], year: int):
    with data.session() as s:
        return queries.get_activities(session=s, year=year)


@st.cache_data(**data.CACHE)
def latest_report_month(versions: tuple[int, ...], year: int):
    with data.session() as s:
        return queries.get_latest_report_month(session=s, year=year)
