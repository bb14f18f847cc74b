import sqlalchemy as sa
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
    values = tablet.locator('[data-testid="stMetricValue"]')
    values.first.wait_for()
    texts = values.all_inner_texts()
    assert texts[0] == formatting.big_number(totals[0], "人次")
    assert texts[1] == formatting.big_number(totals[1], "册次")
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
