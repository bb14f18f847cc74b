"""Cached reads of 汇报模式: the deck of a period and its PPTX/PDF files, keyed by the data versions they read."""

import streamlit as st

from culture_dash import deck
from culture_dash.periods import Period
from dashboard import data
from dashboard.data_overview import BRIEFING

# The deck reads what the briefing reads (monthly reports, plans, subsidies, tasks, the registry).
KINDS = BRIEFING


@st.cache_data(**data.CACHE)
def slides(versions: tuple[int, ...], period: Period) -> list[deck.Slide]:
    with data.session() as s:
        return deck.build_slides(s, period=period)


@st.cache_data(ttl=3600, max_entries=16, show_spinner=False)
def deck_file(versions: tuple[int, ...], period: Period, fmt: str) -> bytes:
    """The exported deck (a few hundred KB): built when a download button is tapped, then kept."""
    return deck.export(slides(versions, period), fmt)
