"""汇报模式: the period's deck one slide at a time in large type, advanced by tap or timer; PPTX and PDF export."""

import time

import streamlit as st

from culture_dash import deck
from culture_dash.formatting import plain
from dashboard import data_overview, data_present, widgets
from dashboard.auth_ui import require_page
from dashboard.i18n import t

INTERVALS = (10, 20, 30)  # seconds per slide when advancing by itself
# Static CSS (no data in it): projector-size type, KPI cards four a row, big tap targets for the slide buttons.
SLIDE_CSS = """
<style>
.st-key-present_slide h2 { font-size: 2.4rem; line-height: 1.25; }
.st-key-present_slide [data-testid="stCaptionContainer"] p { font-size: 1.15rem; }
.st-key-present_kpis { display: grid !important; grid-template-columns: repeat(auto-fill, minmax(240px, 1fr)); }
.st-key-present_kpis > div { width: auto !important; min-width: 0; }
.st-key-present_kpis [data-testid="stMetricValue"] { font-size: 2.3rem; }
.st-key-present_kpis [data-testid="stMetricLabel"] p { font-size: 1.2rem; }
.st-key-present_takeaway p { font-size: 1.5rem; font-weight: 700; color: #B7312C; }
.st-key-present_nav button { min-height: 56px; min-width: 120px; }
.st-key-present_nav button p { font-size: 1.2rem; }
.st-key-present_number p { font-size: 1.5rem; font-weight: 700; margin: 0; }
</style>
"""

require_page("present")
versions = data_overview.Versions()
months = data_overview.report_months(versions("monthly"))
if not months:
    st.title(t("present.title"), anchor=False)
    st.info(t("common.no_data"))
    st.stop()
st.html(SLIDE_CSS)


def restart_timer() -> None:
    st.session_state["present_shown_at"] = time.monotonic()


def step(delta: int, total: int) -> None:
    st.session_state["present_index"] = (st.session_state.get("present_index", 0) + delta) % total
    restart_timer()


# ---- period and timer ---------------------------------------------------------------------------------------
with st.container(horizontal=True, vertical_alignment="bottom", key="present_controls"):
    period = widgets.period_picker(
        months, key="present", kind_label=t("present.period_kind"), period_label=t("present.period"), width=190
    )
    autoplay = st.toggle(t("present.autoplay"), key="present_autoplay", on_change=restart_timer)
    interval = st.selectbox(
        t("present.interval"),
        INTERVALS,
        index=1,
        format_func=lambda s: t("present.interval_option", seconds=s),
        key="present_interval",
        on_change=restart_timer,
        width=110,
    )

deck_versions = versions(*data_present.KINDS)
slides = data_present.slides(deck_versions, period)


# ---- the slide ----------------------------------------------------------------------------------------------
@st.fragment(run_every=interval if autoplay else None)
def show_slide() -> None:
    """Reruns alone every `interval` seconds while auto-advancing (the rest of the page stays as it is)."""
    total = len(slides)
    now = time.monotonic()
    shown_at = st.session_state.setdefault("present_shown_at", now)
    if autoplay and now - shown_at >= interval - 1:  # a timer tick, not a rerun caused by a tap
        step(1, total)
    index = st.session_state.get("present_index", 0) % total
    slide = slides[index]
    with st.container(horizontal=True, vertical_alignment="center", key="present_nav"):
        st.button(
            t("present.previous"), icon=":material/chevron_left:", key="present_prev", on_click=step, args=(-1, total)
        )
        with st.container(key="present_number", width="content"):
            st.markdown(t("present.slide_number", number=index + 1, total=total))
        st.button(
            t("present.next"), icon=":material/chevron_right:", key="present_next", on_click=step, args=(1, total)
        )
    with st.container(key="present_slide"):
        st.header(plain(slide.title), anchor=False)
        st.caption(plain(slide.subtitle))
        if slide.chart is not None:
            st.altair_chart(deck.projector(slide.chart), width="stretch", key=f"present_chart_{slide.key}")
        elif slide.kpis:
            with st.container(horizontal=True, key="present_kpis"):
                for kpi in slide.kpis:
                    note = {"delta": kpi.note, "delta_arrow": "off", "delta_color": "off"} if kpi.note else {}
                    st.metric(kpi.label, kpi.value, border=True, **note)
        with st.container(key="present_takeaway"):
            st.markdown(plain(slide.takeaway))


show_slide()

# ---- export -------------------------------------------------------------------------------------------------
name = f"汇报_{deck.period_arg(period)}"
st.caption(t("present.download_caption", count=len(slides)))
with st.container(horizontal=True, key="present_downloads"):
    st.download_button(
        t("present.download_pptx"),
        data=lambda: data_present.deck_file(deck_versions, period, "pptx"),
        file_name=f"{name}.pptx",
        mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
        icon=":material/slideshow:",
        on_click="ignore",
        key="present_pptx",
    )
    st.download_button(
        t("present.download_pdf"),
        data=lambda: data_present.deck_file(deck_versions, period, "pdf"),
        file_name=f"{name}.pdf",
        mime="application/pdf",
        icon=":material/picture_as_pdf:",
        on_click="ignore",
        key="present_pdf",
    )
