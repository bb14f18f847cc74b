"""Static CSS for touch screens and projectors. Written here by hand; no data is ever put into it."""

import streamlit as st

TABLE_ROWS = 16  # rows a table shows before it scrolls inside itself (the demo district has 16 townships)
MAX_SECTIONS = 20  # a list grouped by township gets one table with a township column beyond this many townships


def table_height(rows: int, *, max_rows: int = TABLE_ROWS) -> int:
    """Pixels for an st.dataframe of `rows` rows and its header: no empty space below a short table, and a long
    one scrolls inside itself after `max_rows` instead of stretching the page (35 px rows, 1 px borders)."""
    return 3 + 37 * (min(rows, max_rows) + 1)


TOUCH_CSS = """
<style>
/* Less empty margin around the page: an iPad beside the open sidebar has ~880 px for content. */
[data-testid="stMainBlockContainer"] { padding-left: 1.5rem; padding-right: 1.5rem; padding-top: 3.5rem; }

/* Tap targets of at least 44 px (Apple HIG, WCAG 2.5.5). Select boxes: baseweb before Streamlit 1.6x, react-aria
   (.react-aria-ComboBox, its options in a listbox) since. */
.stButton button, .stDownloadButton button, .stFormSubmitButton button,
[data-testid="stPageLink"] a, [data-testid="stSidebarNav"] a,
[data-testid="stExpander"] summary, [data-baseweb="select"] > div,
button[data-variant="segmented_control"], [data-testid="stTab"],
.react-aria-ComboBox > [role="group"], [role="listbox"] [role="option"] {
  min-height: 44px;
}
/* The (?) help icons stay small to the eye but get a 44 px hit area. */
[data-testid="stTooltipHoverTarget"] button { min-width: 44px; min-height: 44px; margin: -13px; }

/* KPI cards (any container keyed overview_kpis or kpis_*): a grid of equal cards, three a row beside the
   sidebar on a landscape iPad, two in portrait, so "663.16万元" never breaks between number and unit. */
.st-key-overview_kpis, [class*="st-key-kpis_"] {
  display: grid !important;
  grid-template-columns: repeat(auto-fill, minmax(210px, 1fr));
  align-items: stretch;
}
.st-key-overview_kpis > div, [class*="st-key-kpis_"] > div { width: auto !important; min-width: 0; }
/* Cards with short values ("241个", "92.1%"): four a row in landscape. */
[class*="st-key-kpis_short_"] { grid-template-columns: repeat(auto-fill, minmax(160px, 1fr)); }
.st-key-overview_kpis [data-testid="stMetric"], [class*="st-key-kpis_"] [data-testid="stMetric"] { height: 100%; }
.st-key-overview_kpis > div:has(> .st-key-overview_sites_card) { grid-column: span 2; }
.st-key-overview_sites_card, .st-key-overview_sites_card > div { height: 100%; }
[data-testid="stMetricLabel"] p { font-size: 1rem; }
/* Wrap rather than cut a long label or note with "…". */
[data-testid="stMetric"] .stMarkdownEllipsis, [data-testid="stMetric"] .stMarkdownEllipsis p,
[data-testid="stMetricDelta"] { white-space: normal; overflow: visible; text-overflow: clip; }

/* The briefing reads as prose, not code. */
.st-key-overview_briefing code { font-family: inherit; font-size: 1rem; line-height: 1.8; }
</style>
"""


def apply() -> None:
    st.html(TOUCH_CSS)
