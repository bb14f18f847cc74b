import sqlalchemy as sa
from playwright.sync_api import expect
from sqlmodel import Session

from culture_dash import formatting
from models import MonthlyReport, make_engine
from tests.browser.conftest import login


def test_overview_kpis_on_a_tablet_equal_the_database(demo_server, tablet, demo_master_url, tmp_path):
    login(tablet, demo_server, "leader")
    engine = make_engine(demo_master_url)
    with Session(engine) as session:
        month = session.execute(sa.select(sa.func.max(MonthlyReport.month))).scalar()
        totals = session.execute(
            sa.select(sa.func.sum(MonthlyReport.visits), sa.func.sum(MonthlyReport.loans)).where(
                MonthlyReport.month == month
            )
        ).one()
    engine.dispose()
    # Each card found by its label, not by its place on the page, and read with Playwright's retrying
    # assertion: the cards of a run still drawing are not the numbers the director ends up seeing.
    for label, value, unit in (("到馆人次", totals[0], "人次"), ("借还册次", totals[1], "册次")):
        card = tablet.locator('[data-testid="stMetric"]').filter(has_text=label)
        expect(card.locator('[data-testid="stMetricValue"]')).to_have_text(formatting.big_number(value, unit))
    tablet.screenshot(path=str(tmp_path / "overview.png"), full_page=True)


def test_login_survives_a_refresh_and_logout_ends_it(demo_server, tablet):
    login(tablet, demo_server, "staff")
    tablet.reload()
    tablet.get_by_role("heading", name="总览").wait_for(timeout=30_000)
    assert tablet.get_by_label("密码").count() == 0
    tablet.get_by_role("button", name="退出登录").click()
    tablet.get_by_label("密码").wait_for(timeout=30_000)
    tablet.reload()
    tablet.get_by_label("密码").wait_for(timeout=30_000)
    assert tablet.get_by_role("heading", name="总览").count() == 0


def test_tabs_and_buttons_are_touch_sized_and_nothing_overflows_on_trends(demo_server, tablet):
    login(tablet, demo_server, "leader")
    tablet.get_by_role("link", name="趋势").click()
    tabs = tablet.locator('[data-testid="stTab"]')
    tabs.first.wait_for(timeout=30_000)
    heights = [tabs.nth(i).bounding_box()["height"] for i in range(tabs.count())]
    assert len(heights) >= 4 and min(heights) >= 44, heights
    assert tablet.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
