"""A staff member on an iPad uploads November's file through the real file input, commits it, and the overview's
visits card shows exactly the uploaded total (November becomes the latest month with data)."""

import io
import re
from pathlib import Path

import sqlalchemy as sa
from openpyxl import load_workbook
from sqlmodel import Session

from culture_dash import formatting
from models import make_engine
from tests.browser.conftest import login, settle
from tests.factories import csv_bytes

NO_OVERFLOW = """() => ({
  scrollWidth: document.documentElement.scrollWidth,
  innerWidth: innerWidth,
  cut: [...document.querySelectorAll('[data-testid="stMetricValue"] *, [data-testid="stMarkdownContainer"] p')]
    .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent),
})"""


def november_rows(url: str, count: int) -> list[dict]:
    """`count` venues with their October visits as November's (so the check raises no warning)."""
    engine = make_engine(url)
    with Session(engine) as session:
        rows = session.execute(
            sa.text(
                "SELECT v.code, m.visits FROM monthly_report m JOIN venue v ON v.id = m.venue_id"
                " WHERE m.month = '2026-10-01' AND m.visits > 0 ORDER BY v.code LIMIT :count"
            ),
            {"count": count},
        ).all()
    engine.dispose()
    return [{"month": "2026-11", "venue_code": code, "visits": str(visits)} for code, visits in rows]


def workbook(download):
    return load_workbook(io.BytesIO(Path(download.path()).read_bytes()))


def visits_card(page):
    label = page.locator('[data-testid="stMetricLabel"]').filter(has_text=re.compile(r"^\s*到馆人次\s*$"))
    return page.locator('[data-testid="stMetric"]').filter(has=label).locator('[data-testid="stMetricValue"]')


def test_an_upload_through_the_file_input_moves_the_overview_by_exactly_its_total(fresh_server, tablet, tmp_path):
    base, url = fresh_server
    rows = november_rows(url, 5)
    uploaded = sum(int(r["visits"]) for r in rows)
    login(tablet, base, "staff")
    card = visits_card(tablet)
    card.wait_for()
    october = card.inner_text()

    tablet.get_by_role("link", name="数据上传").click()
    tablet.get_by_role("heading", name="数据上传").wait_for()
    tablet.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        files=[{"name": "十一月报表.csv", "mimeType": "text/csv", "buffer": csv_bytes("monthly", rows, encoding="gbk")}]
    )
    tablet.get_by_text("检查通过").wait_for(timeout=30_000)
    tablet.get_by_text("编码：GBK/GB18030").wait_for()
    layout = tablet.evaluate(NO_OVERFLOW)
    assert layout["scrollWidth"] <= layout["innerWidth"]
    assert layout["cut"] == []
    tablet.screenshot(path=str(tmp_path / "upload-checked.png"))
    tablet.get_by_role("button", name="导入这 5 行").click()
    tablet.get_by_text("已导入为第").wait_for(timeout=30_000)
    tablet.screenshot(path=str(tmp_path / "upload-committed.png"))

    tablet.get_by_role("link", name="总览").click()
    tablet.get_by_role("heading", name="总览").wait_for()
    expected = formatting.big_number(uploaded, "人次")
    card.filter(has_text=expected).wait_for(timeout=30_000)
    assert card.inner_text() == expected != october

    engine = make_engine(url)
    with Session(engine) as session:
        stored = session.execute(sa.text("SELECT SUM(visits) FROM monthly_report WHERE month = '2026-11-01'")).scalar()
    engine.dispose()
    assert stored == uploaded


def test_the_three_upload_pages_fit_an_ipad_in_landscape(demo_server, tablet, tmp_path):
    login(tablet, demo_server, "staff")
    ready = {
        "报送情况": '[data-testid="stMetricValue"]',
        "上传记录": '[data-testid="stDataFrame"]',
        "数据上传": '[data-testid="stFileUploaderDropzoneInput"]',
    }
    for name, selector in ready.items():
        tablet.get_by_role("link", name=name).click()
        tablet.get_by_role("heading", name=name).wait_for()
        tablet.locator(selector).first.wait_for(state="attached")
        settle(tablet)
        tablet.wait_for_timeout(300)
        layout = tablet.evaluate(NO_OVERFLOW)
        assert layout["scrollWidth"] <= layout["innerWidth"], name
        assert layout["cut"] == [], name
        tablet.screenshot(path=str(tmp_path / f"{name}.png"))


def test_templates_the_report_and_the_missing_list_download(demo_server, tablet, demo_master_url):
    """Downloads generated on click: a township user's monthly template lists exactly their venues, the validation
    report marks the bad cell red, and the missing list is a CSV Excel opens."""
    login(tablet, demo_server, "township")
    tablet.get_by_role("link", name="数据上传").click()
    tablet.get_by_role("heading", name="数据上传").wait_for()
    tablet.get_by_text("下载空白模板").click()
    with tablet.expect_download() as template:
        tablet.locator(".stDownloadButton").filter(has_text="XLSX 模板").first.click()
    assert template.value.suggested_filename == "月度报表模板.xlsx"
    sheet = workbook(template.value)["月度报表"]
    filled = [row for row in sheet.iter_rows(min_row=2, values_only=True) if any(row)]
    codes = [row[1] for row in filled]
    engine = make_engine(demo_master_url)
    with Session(engine) as session:
        own = (
            session.execute(
                sa.text(
                    "SELECT v.code FROM venue v JOIN township t ON t.id = v.township_id"
                    " WHERE t.code = (SELECT MIN(code) FROM township)"
                    " AND (v.opened_on IS NULL OR v.opened_on <= '2026-11-30')"
                    " ORDER BY v.code"
                )
            )
            .scalars()
            .all()
        )
    engine.dispose()
    assert codes == own
    assert {row[0] for row in filled} == {"2026-11"}

    bad = [{"month": "2026-10", "venue_code": own[0], "visits": "-3"}]
    tablet.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        files=[{"name": "错.csv", "mimeType": "text/csv", "buffer": csv_bytes("monthly", bad)}]
    )
    with tablet.expect_download() as report:
        tablet.get_by_role("button", name=re.compile("下载校验报告")).click()
    marked = workbook(report.value)["原文件（已标注）"]
    assert (marked["C2"].value, marked["C2"].fill.fgColor.rgb[-6:]) == ("-3", "FFC7CE")

    tablet.get_by_role("link", name="报送情况").click()
    tablet.get_by_role("heading", name="报送情况").wait_for()
    with tablet.expect_download() as missing:
        tablet.get_by_role("button", name=re.compile("导出未报送名单（CSV）")).click()
    lines = Path(missing.value.path()).read_bytes().decode("utf-8-sig").splitlines()
    assert lines[0] == "街镇,场馆编码,场馆名称,场馆类型"
    assert len(lines) > 1
