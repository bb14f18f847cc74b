"""The deck: its numbers are the overview queries' (checked against SQL too), and the exports open and show them.

The deck is built and rendered once per module (vl-convert takes about a second for the four charts).
"""

import datetime as dt
import io
import re
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from PIL import Image
from pptx import Presentation
from pptx.util import Inches
from sqlmodel import Session

from culture_dash import deck
from culture_dash.deck import Kpi
from culture_dash.formatting import big_number, count, money, percent
from culture_dash.periods import Period
from culture_dash.queries import get_latest_month
from culture_dash.queries import overview as queries
from culture_dash.queries.overview import Scope, month_end
from models import make_engine

KEYS = ["kpis", "visits", "activities", "townships", "funds", "tasks"]


@pytest.fixture(scope="module")
def built(demo_master_url):
    """The demo's deck for its latest month, the overview's figures for the same period, and both exports."""
    engine = make_engine(demo_master_url)  # read only
    with Session(engine) as session:
        latest = get_latest_month(session=session)
        period = Period.month(latest)
        slides = deck.build_slides(session, period=period)
        previous = period.previous_year()
        overview = SimpleNamespace(
            current=queries.get_monthly_totals(session=session, scope=Scope(), start=period.start, end=period.end),
            previous=queries.get_monthly_totals(session=session, scope=Scope(), start=previous.start, end=previous.end),
            funds=queries.get_funds(session=session, scope=Scope(), year=latest.year),
            tasks=queries.count_tasks(session=session, year=latest.year, due_by=month_end(latest)),
            plan=queries.get_activity_plan(session=session, scope=Scope(), year=latest.year),
            townships=queries.get_township_visits(session=session, scope=Scope(), start=latest, end=latest),
        )
        sql = {
            "visits": session.execute(
                sa.text("SELECT sum(visits) FROM monthly_report WHERE month = :m"), {"m": latest.isoformat()}
            ).scalar_one(),
            "statuses": dict(
                session.execute(
                    sa.text("SELECT status, count(*) FROM task WHERE year = :y GROUP BY status"), {"y": latest.year}
                ).all()
            ),
        }
    engine.dispose()
    pngs = deck.chart_pngs(slides)
    return SimpleNamespace(
        period=period,
        slides={s.key: s for s in slides},
        order=slides,
        overview=overview,
        sql=sql,
        pngs=pngs,
        pptx=deck.deck_pptx(slides, pngs=pngs),
        pdf=deck.deck_pdf(slides, pngs=pngs),
    )


def test_six_slides_in_order_each_saying_period_and_demo(built):
    assert [s.key for s in built.order] == KEYS
    assert {s.subtitle for s in built.order} == {f"{built.period.label()} · 全区 · 示例数据"}
    assert all(s.chart is not None or s.kpis for s in built.order)
    assert all(s.takeaway.endswith("。") for s in built.order)


def test_kpis_are_the_overview_figures(built):
    current, previous = built.overview.current, built.overview.previous
    visits, visits_before = float(current["visits"].sum()), float(previous["visits"].sum())
    assert visits == built.sql["visits"]
    activities = float(current[list(queries.CATEGORY_COLUMNS.values())].sum().sum())
    planned = built.overview.plan["planned"].sum() / 12
    funds, tasks = built.overview.funds, built.overview.tasks
    kpis = built.slides["kpis"].kpis
    assert kpis[0] == Kpi(
        "到馆人次", big_number(visits, "人次"), f"同比 {percent(visits / visits_before - 1, signed=True)}"
    )
    assert kpis[1].value == big_number(float(current["loans"].sum()), "册次")
    assert kpis[2].value == big_number(float(current["new_cardholders"].sum()), "人")
    assert kpis[3].value == count(activities, "场")
    assert kpis[5] == Kpi(
        "活动计划完成率", percent(activities / planned), f"{count(activities)} / {count(planned, '场')}"
    )
    assert kpis[6] == Kpi("资金执行率", percent(funds["spent"] / funds["allocated"]), f"已支出 {money(funds['spent'])}")
    assert kpis[7] == Kpi(
        "到期任务完成率", percent(tasks["due_done"] / tasks["due"]), f"{tasks['due_done']} / {tasks['due']} 项"
    )
    assert big_number(visits, "人次") in built.slides["kpis"].takeaway


def _chart_data(chart) -> list[dict]:
    spec = chart.to_dict()
    return next(iter(spec["datasets"].values()))


def test_activity_chart_draws_held_per_category(built):
    current = built.overview.current
    rows = _chart_data(built.slides["activities"].chart)
    expected = {c: float(current[col].sum()) for c, col in queries.CATEGORY_COLUMNS.items()}
    assert {r["category"]: r["held"] for r in rows} == expected


def test_township_ranking_is_visits_per_10000_residents(built):
    townships = built.overview.townships
    expected = {
        name: round(float(visits) / population * 10_000, 1)
        for name, population, visits in zip(
            townships["name"], townships["population"], townships["visits"], strict=True
        )
    }
    rows = _chart_data(built.slides["townships"].chart)
    assert {r["name"]: r["per_10k"] for r in rows} == expected
    assert [r["per_10k"] for r in rows] == sorted(expected.values(), reverse=True)


def test_funds_slide_totals_are_the_overview_funds(built):
    funds = built.overview.funds
    assert built.slides["funds"].takeaway == (
        f"{built.period.start.year}年下达{money(funds['allocated'])}，已拨付{money(funds['disbursed'])}，"
        f"已支出{money(funds['spent'])}，执行率{percent(funds['spent'] / funds['allocated'])}。"
    )


def test_task_slide_counts_statuses_as_sql(built):
    statuses = built.sql["statuses"]
    values = {k.label: k.value for k in built.slides["tasks"].kpis}
    assert values["重点任务"] == f"{sum(statuses.values())}项"
    for status in ("已完成", "序时推进", "滞后", "未启动"):
        assert values[status] == f"{statuses.get(status, 0)}项"


def test_pptx_is_16_9_with_one_slide_per_slide_and_the_chinese_titles(built):
    prs = Presentation(io.BytesIO(built.pptx))
    assert (prs.slide_width, prs.slide_height) == (Inches(13.333), Inches(7.5))
    assert len(prs.slides) == len(built.order)
    for slide, expected in zip(prs.slides, built.order, strict=True):
        text = "\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
        assert expected.title in text
        assert expected.takeaway in text
        pictures = [shape for shape in slide.shapes if shape.shape_type == 13]
        assert len(pictures) == (1 if expected.chart is not None else 0)
    kpi_text = "\n".join(s.text_frame.text for s in prs.slides[0].shapes if s.has_text_frame)
    assert all(k.value in kpi_text for k in built.slides["kpis"].kpis)


def test_pdf_has_one_page_per_slide(built):
    assert built.pdf.startswith(b"%PDF")
    pages = re.findall(rb"/Type\s*/Page\b(?!s)", built.pdf)
    assert len(pages) == len(built.order)


def test_rendered_charts_are_not_blank(built):
    for png in (p for p in built.pngs if p is not None):
        image = Image.open(io.BytesIO(png)).convert("RGB")
        assert image.width >= 2000  # drawn at scale 2
        colours = image.getcolors(maxcolors=1_000_000)
        assert len(colours) > 30  # anti-aliased text, lines and bars, not a flat fill
        white = {c: n for n, c in colours}.get((255, 255, 255), 0)
        assert white < 0.98 * image.width * image.height


def test_an_empty_database_gives_a_deck_without_demo_note(session):
    slides = deck.build_slides(session, period=Period.month(dt.date(2026, 10, 1)))
    assert [s.key for s in slides] == KEYS
    assert slides[0].subtitle == "2026年10月 · 全区"
    assert slides[0].takeaway == "2026年10月全区暂无到馆数据。"
    assert slides[4].takeaway == "2026年暂无资金数据。"


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        (Period.month(dt.date(2026, 10, 1)), "2026-10"),
        (Period.quarter(2026, 3), "2026-Q3"),
        (Period.ytd(dt.date(2026, 10, 1)), "2026-ytd-10"),
        (Period.year(2025), "2025"),
    ],
)
def test_period_arg_parses_back(period, expected):
    assert deck.period_arg(period) == expected
    assert Period.parse(expected) == period


def test_export_refuses_unknown_format():
    with pytest.raises(ValueError):
        deck.export([], "docx")
