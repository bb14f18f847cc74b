import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from culture_dash import formatting
from models import MonthlyReport
from tests.dashboard.conftest import APP


def test_login_page_refuses_a_wrong_password_and_admits_the_right_one(demo_url):
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.text_input[0].input("leader")
    at.text_input[1].input("wrong")
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["用户名或密码不正确。"]
    at.text_input[1].input("leader-demo")
    at.button[0].click().run()
    assert at.session_state["user"].role == "leader"
    assert at.title[0].value == "总览"


def test_the_login_page_says_in_chinese_when_an_account_is_locked(demo_url):
    from culture_dash import auth

    at = AppTest.from_file(APP, default_timeout=30).run()
    for _ in range(auth.MAX_FAILURES):
        at.text_input[0].input("leader")
        at.text_input[1].input("wrong")
        at.button[0].click().run()
    tries, minutes = auth.MAX_FAILURES, auth.LOCK_MINUTES
    assert [e.value for e in at.error] == [
        f"该账号连续 {tries} 次密码错误，已暂时锁定，请 {minutes} 分钟后再试，或请管理员重置密码。"
    ]
    at.text_input[1].input("leader-demo")
    at.button[0].click().run()
    assert "user" not in at.session_state and "已暂时锁定" in at.error[0].value


def test_leader_navigation_has_no_upload_page(app_as):
    at = app_as("leader")
    try:
        at.switch_page("app_pages/upload.py")
    except ValueError:
        pass
    else:
        at.run()
        assert [e.value for e in at.error] == ["您的角色无权查看此页面。"]


def test_overview_kpis_equal_the_database(app_as, demo_session):
    at = app_as("leader")
    month = demo_session.execute(sa.select(sa.func.max(MonthlyReport.month))).scalar()
    visits = demo_session.execute(
        sa.select(sa.func.sum(MonthlyReport.visits)).where(MonthlyReport.month == month)
    ).scalar()
    assert at.caption[0].value.startswith(f"统计期：{formatting.month_label(month)}　范围：全区")
    metric = next(m for m in at.metric if m.label == "到馆人次")
    assert metric.value == formatting.big_number(visits, "人次")
