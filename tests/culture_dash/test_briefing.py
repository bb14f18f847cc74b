"""The briefing paragraph: whole-text checks on a hand-computed fixture, and every number of the demo district's
paragraph recomputed with independent SQL."""

import datetime as dt
import re
from collections import Counter

import pytest
import sqlalchemy as sa

from culture_dash import cli
from culture_dash.briefing import briefing_text, period_phrase, yoy_phrase
from culture_dash.formatting import big_number, count, money, percent
from culture_dash.periods import Period
from culture_dash.queries.overview import Scope
from tests.culture_dash.overview_fixture import seed_overview

BAIHE = "510199002"


@pytest.fixture
def district(session):
    seed_overview(session)
    return session


def numbers(text: str) -> Counter:
    return Counter(re.findall(r"\d[\d,]*(?:\.\d+)?", text))


def test_the_district_paragraph_of_a_month(district):
    # Figures from the fixture's docstring: 2026-10 against 2025-10; plan 156 a year → 13 for one month.
    assert briefing_text(district, Period.parse("2026-10")) == (
        "2026年10月，全区公共文化场馆接待到馆5,400人次，同比增长14.9%；图书借还3,200册次，同比增长23.1%；"
        "新增持证读者50人，同比下降16.7%。"
        "全区现有公共文化场馆5个，其中文化馆1个、图书馆1个、街镇图书分馆1个、综合文化站2个。"
        "全区共举办各类活动16场，同比增长60.0%，年度计划156场，按1/12折算为13场，完成123.1%，"
        "其中读书看报7场（完成100.0%）、文化鉴赏及展览2场（完成100.0%）、公众教育1场（完成100.0%）、"
        "文艺演出6场（完成200.0%）；参与群众880人次，同比增长18.9%，线上服务1,100人次，获媒体报道3次。"
        "2026年全区公共文化服务专项资金下达70.00万元，已拨付62.00万元，已支出50.00万元，执行率71.4%。"
        "2026年重点任务共5项，截至10月底到期3项，其中已完成1项，到期任务完成率33.3%；全年已完成2项，滞后1项。"
    )


def test_a_scoped_paragraph_leaves_out_the_district_ledger(district):
    text = briefing_text(district, Period.parse("2026-10"), Scope(township=BAIHE, system="library"))
    assert text == (
        "2026年10月，白鹤镇公共图书馆总分馆体系接待到馆800人次，同比增长33.3%；图书借还700册次，同比增长16.7%；"
        "新增持证读者10人，与去年同期持平。"
        "白鹤镇公共图书馆总分馆体系现有场馆1个。"
        "白鹤镇共举办各类活动2场，同比增长100.0%，年度计划24场，按1/12折算为2场，完成100.0%，"
        "其中读书看报2场（完成100.0%）、文化鉴赏及展览0场、公众教育0场、文艺演出0场；"
        "参与群众80人次，同比增长33.3%，线上服务0人次，获媒体报道0次。"
    )


def test_year_to_date_pro_rates_the_plan_and_compares_with_the_same_months(district):
    text = briefing_text(district, Period.ytd(dt.date(2026, 10, 1)))
    # 2026-01…10 (September 5,300 + October 5,400 visits) against 2025-01…10 (only October: 4,700).
    assert text.startswith("截至2026年10月，全区公共文化场馆接待到馆1.1万人次，同比增长127.7%；")
    # Activities: September 9 + October 16 = 25 against 156 × 10/12 = 130 planned.
    assert "全区共举办各类活动25场，同比增长150.0%，年度计划156场，按10/12折算为130场，完成19.2%" in text


def test_a_period_without_reports_says_so(district):
    assert briefing_text(district, Period.parse("2024-05")) == (
        "2024年5月，全区公共文化场馆暂无月度报表数据。"
        "全区现有公共文化场馆5个，其中文化馆1个、图书馆1个、街镇图书分馆1个、综合文化站2个。"
    )


@pytest.mark.parametrize(
    ("period", "phrase"),
    [
        (Period.parse("2026-10"), "2026年10月"),
        (Period.parse("2026-Q3"), "2026年第三季度"),
        (Period.parse("2026-Q4").clipped(dt.date(2026, 10, 1)), "2026年第四季度（截至10月）"),
        (Period.parse("2026-ytd-10"), "截至2026年10月"),
        (Period.parse("2026").clipped(dt.date(2026, 10, 1)), "截至2026年10月"),
        (Period.parse("2025"), "2025年"),
    ],
)
def test_period_phrase(period, phrase):
    assert period_phrase(period) == phrase


@pytest.mark.parametrize(
    ("current", "previous", "phrase"),
    [
        (1081, 1000, "同比增长8.1%"),
        (968, 1000, "同比下降3.2%"),
        (10004, 10000, "与去年同期持平"),
        (5, None, ""),
        (5, 0, ""),
        (None, 5, ""),
    ],
)
def test_yoy_phrase(current, previous, phrase):
    assert yoy_phrase(current, previous) == phrase


def test_cli_prints_the_same_paragraph(demo_session, capsys):
    assert cli.main(["brief", "--period", "2026-Q3", "--township", "白鹤镇"]) == 0
    printed = capsys.readouterr().out.strip()
    code = demo_session.execute(sa.text("SELECT code FROM township WHERE name = '白鹤镇'")).scalar()
    assert printed == briefing_text(demo_session, Period.parse("2026-Q3"), Scope(township=code))


def test_cli_defaults_to_the_latest_month_and_refuses_a_bad_period(demo_session, capsys):
    assert cli.main(["brief"]) == 0
    assert capsys.readouterr().out.startswith("2026年10月，全区公共文化场馆")
    assert cli.main(["brief", "--period", "10/2026"]) == cli.EXIT_USAGE
    assert cli.main(["brief", "--township", "无此镇"]) == cli.EXIT_USAGE


def _scalar(session, sql: str, **params):
    return session.execute(sa.text(sql), params).scalar()


def test_every_number_of_the_demo_paragraph_equals_the_database(demo_session):
    """The Done-when of issue 4: each number recomputed here with plain SQL, none left unexplained."""
    s = demo_session
    month = dt.date.fromisoformat(_scalar(s, "SELECT MAX(month) FROM monthly_report"))
    before = month.replace(year=month.year - 1)
    last_day = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    text = briefing_text(s, Period.month(month))

    def total(column: str, at: dt.date):
        return _scalar(s, f"SELECT SUM({column}) FROM monthly_report WHERE month = :m", m=at)

    events = "COALESCE(reading_events,0)+COALESCE(exhibition_events,0)+COALESCE(education_events,0)" \
        "+COALESCE(performance_events,0)"  # fmt: skip
    expected = [f"{month.year}年{month.month}月，全区公共文化场馆"]
    for column, words, unit in (
        ("visits", "接待到馆", "人次"),
        ("loans", "图书借还", "册次"),
        ("new_cardholders", "新增持证读者", "人"),
    ):
        now, then = total(column, month), total(column, before)
        expected.append(f"{words}{big_number(now, unit)}，{yoy_phrase(now, then)}")

    network = s.execute(
        sa.text("SELECT type, COUNT(*) FROM venue WHERE opened_on IS NULL OR opened_on <= :d GROUP BY type"),
        {"d": last_day},
    ).all()
    assert network, "the demo has venues"
    expected.append(f"全区现有公共文化场馆{sum(n for _, n in network)}个，其中")
    expected += [f"{venue_type}{n}个" for venue_type, n in network]

    held, held_before = total(events, month), total(events, before)
    plan = dict(
        s.execute(
            sa.text("SELECT category, SUM(planned) FROM activity_plan WHERE year = :y GROUP BY category"),
            {"y": month.year},
        ).all()
    )  # noqa: E501
    planned_year = sum(plan.values())
    expected.append(f"全区共举办各类活动{count(held, '场')}，{yoy_phrase(held, held_before)}")
    expected.append(
        f"年度计划{count(planned_year, '场')}，按1/12折算为{count(planned_year / 12, '场')}，"
        f"完成{percent(held / (planned_year / 12))}"
    )
    for category, column in (
        ("读书看报", "reading_events"),
        ("文化鉴赏及展览", "exhibition_events"),
        ("公众教育", "education_events"),
        ("文艺演出", "performance_events"),
    ):  # noqa: E501
        n = total(column, month)
        expected.append(f"{category}{count(n, '场')}（完成{percent(n / (plan[category] / 12))}）")
    participants = total("participants", month)
    expected.append(
        f"参与群众{big_number(participants, '人次')}，{yoy_phrase(participants, total('participants', before))}"
    )
    expected.append(f"线上服务{big_number(total('online_visits', month), '人次')}")
    expected.append(f"获媒体报道{count(total('media_reports', month), '次')}")

    allocated, disbursed, spent = s.execute(
        sa.text("SELECT SUM(allocated), SUM(disbursed), SUM(spent) FROM subsidy WHERE year = :y"), {"y": month.year}
    ).one()
    expected.append(
        f"{month.year}年全区公共文化服务专项资金下达{money(allocated)}，已拨付{money(disbursed)}，"
        f"已支出{money(spent)}，执行率{percent(spent / allocated)}"
    )

    tasks = s.execute(
        sa.text(
            "SELECT COUNT(*), SUM(status = '已完成'), SUM(status = '滞后'), SUM(deadline <= :d),"
            " SUM(deadline <= :d AND status = '已完成') FROM task WHERE year = :y"
        ),
        {"d": last_day, "y": month.year},
    ).one()
    all_tasks, done, behind, due, due_done = tasks
    expected.append(
        f"{month.year}年重点任务共{all_tasks}项，截至{month.month}月底到期{due}项，其中已完成{due_done}项，"
        f"到期任务完成率{percent(due_done / due)}；全年已完成{done}项，滞后{behind}项"
    )

    townships = s.execute(
        sa.text(
            "SELECT t.name, t.code, 10000.0 * SUM(m.visits) / t.population AS per_10k FROM monthly_report m"
            " JOIN venue v ON v.id = m.venue_id JOIN township t ON t.id = v.township_id"
            " WHERE m.month = :m AND t.population > 0 GROUP BY t.id ORDER BY per_10k DESC, t.code"
        ),
        {"m": month},
    ).all()
    best, weakest = townships[:2], townships[-1:-3:-1]
    expected.append(
        "按每万常住人口到馆人次计，"
        + "、".join(f"{name}（{v:,.1f}人次）" for name, _, v in best)
        + "位居前列，"
        + "、".join(f"{name}（{v:,.1f}人次）" for name, _, v in weakest)
        + "相对靠后"
    )

    missing = [phrase for phrase in expected if phrase not in text]
    assert missing == [], text
    assert numbers(text) == numbers("".join(expected)), text
