"""The overview on an iPad Pro 11 in both orientations, sidebar open: nothing wider than the screen, no KPI cut
short with "…", tap targets of 44 px, and the cards' numbers equal the database's."""

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from culture_dash import formatting
from models import make_engine
from tests.browser.conftest import login, new_tablet_page

EVENTS = (
    "COALESCE(reading_events,0)+COALESCE(exhibition_events,0)+COALESCE(education_events,0)"
    "+COALESCE(performance_events,0)"
)

LAYOUT = """() => {
  const cut = (e) => e.scrollWidth > e.clientWidth + 1;
  const metricText = [...document.querySelectorAll(
    '[data-testid="stMetricValue"], [data-testid="stMetricValue"] *, [data-testid="stMetricLabel"] p,'
    + ' [data-testid="stMetricDelta"], [data-testid="stMetricDelta"] *')];
  const targets = [...document.querySelectorAll(
    'button[data-variant="segmented_control"], [data-baseweb="select"] > div, [data-testid="stExpander"] summary,'
    + ' .react-aria-ComboBox > [role="group"],'
    + ' [data-testid="stSidebarNav"] a, .stDownloadButton button')];
  const sidebar = document.querySelector('[data-testid="stSidebar"]');
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: innerWidth,
    sidebarWidth: sidebar ? sidebar.getBoundingClientRect().width : 0,
    cut: metricText.filter(cut).map(e => e.textContent),
    kpisRight: Math.max(...[...document.querySelectorAll('[data-testid="stMetric"]')]
      .map(e => e.getBoundingClientRect().right)),
    small: targets.filter(e => e.getBoundingClientRect().height < 44).map(e => e.textContent),
    targets: targets.length,
    selects: document.querySelectorAll('[data-baseweb="select"], .react-aria-ComboBox').length,
  };
}"""


def latest_figures(url: str) -> dict[str, str]:
    engine = make_engine(url)
    with Session(engine) as session:
        month = session.execute(sa.text("SELECT MAX(month) FROM monthly_report")).scalar()

        def total(column: str):
            stmt = sa.text(f"SELECT SUM({column}) FROM monthly_report WHERE month = :m")
            return session.execute(stmt, {"m": month}).scalar()

        figures = {
            "到馆人次": formatting.big_number(total("visits"), "人次"),
            "借还册次": formatting.big_number(total("loans"), "册次"),
            "新增持证": formatting.big_number(total("new_cardholders"), "人"),
            "举办活动": formatting.count(total(EVENTS), "场"),
            "活动参与": formatting.big_number(total("participants"), "人次"),
            "线上服务": formatting.big_number(total("online_visits"), "人次"),
            "媒体报道": formatting.count(total("media_reports"), "次"),
        }
    engine.dispose()
    return figures


@pytest.mark.parametrize("device", ["iPad Pro 11 landscape", "iPad Pro 11"])
def test_overview_fits_an_ipad_and_shows_the_database_numbers(
    device, demo_server, demo_master_url, playwright_instance, browser, tmp_path
):
    page = new_tablet_page(playwright_instance, browser, device)
    try:
        login(page, demo_server, "leader")
        page.locator('[data-testid="stMetricValue"]').first.wait_for()
        page.get_by_text("工作简报").wait_for()
        page.wait_for_timeout(500)  # let the grid settle after the fonts load
        layout = page.evaluate(LAYOUT)
        page.screenshot(path=str(tmp_path / f"overview-{device}.png"))

        assert layout["sidebarWidth"] > 200, "the sidebar is open, as a director would have it"
        assert layout["scrollWidth"] <= layout["innerWidth"]
        assert layout["kpisRight"] <= layout["innerWidth"]
        assert layout["cut"] == []
        assert layout["targets"] >= 8 and layout["small"] == []
        assert layout["selects"] >= 4, "the select boxes are among the measured tap targets"  # period, filters

        labels = page.locator('[data-testid="stMetricLabel"]').all_inner_texts()
        values = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
        shown = dict(zip([label.strip() for label in labels], values, strict=True))
        expected = latest_figures(demo_master_url)
        assert {label: shown[label] for label in expected} == expected
    finally:
        page.context.close()
