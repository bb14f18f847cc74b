import io
import zipfile

import pandas as pd
import pytest
from openpyxl import load_workbook

from culture_dash.ingest.export import (
    ERROR_FILL,
    ISSUES_TITLE,
    SHEET_TITLE,
    SUMMARY_TITLE,
    WARNING_FILL,
    csv_safe,
    report_xlsx,
    table_csv,
    table_xlsx,
)
from culture_dash.ingest.pipeline import import_file
from tests.factories import TODAY, csv_bytes, headers, seed_registry

BAD_ROWS = [
    {"month": "2026-10", "venue_code": "WHG", "visits": "100"},
    {"month": "2026-10", "venue_code": "TSG", "visits": "-3"},
    {"month": "2026-13", "venue_code": "NOPE", "visits": "5", "note": '=HYPERLINK("http://x")'},
]


def bad_file() -> bytes:
    """Three errors on rows 3 and 4, and an unknown column (a warning on the header)."""
    text = csv_bytes("monthly", BAD_ROWS).decode()
    lines = text.split("\r\n")
    lines = [lines[0] + ",填报人"] + [line + ",张三" for line in lines[1:] if line]
    return ("\r\n".join(lines) + "\r\n").encode("gb18030")


def fill_of(cell) -> str | None:
    colour = cell.fill.fgColor.rgb if cell.fill and cell.fill.fill_type == "solid" else None
    return colour[-6:] if colour else None


@pytest.fixture
def report(session):
    seed_registry(session)
    return import_file(session, bad_file(), "10月.csv", today=TODAY, dry_run=True)


def test_the_uploaded_sheet_comes_back_with_error_cells_red_and_warning_cells_yellow(report):
    workbook = load_workbook(io.BytesIO(report_xlsx(report)))
    assert workbook.sheetnames == [SHEET_TITLE, ISSUES_TITLE, SUMMARY_TITLE]
    sheet = workbook[SHEET_TITLE]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == [*headers("monthly"), "填报人"]
    assert values[2][:3] == ["2026-10", "TSG", "-3"]
    assert values[3][12] == '=HYPERLINK("http://x")'
    flagged = {
        (cell.row, sheet.cell(row=1, column=cell.column).value): fill_of(cell)
        for row in sheet.iter_rows()
        for cell in row
        if fill_of(cell)
    }
    red, yellow = ERROR_FILL.fgColor.rgb[-6:], WARNING_FILL.fgColor.rgb[-6:]
    assert flagged == {
        (1, "填报人"): yellow,
        (3, "到馆人次"): red,
        (4, "月份"): red,
        (4, "场馆编码"): red,
    }
    assert sheet["C3"].comment.text == "错误：不能为负数"


def test_the_issue_sheet_lists_every_issue_with_row_column_value_and_reason(report):
    sheet = load_workbook(io.BytesIO(report_xlsx(report)))[ISSUES_TITLE]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["级别", "行号", "列", "值", "原因", "完整说明"]
    assert [r[:5] for r in rows[1:]] == [
        ["错误", 3, "到馆人次", "-3", "不能为负数"],
        ["错误", 4, "月份", "2026-13", "不是有效的月份（应为 2026-10、2026/10 或 2026年10月）"],
        ["错误", 4, "场馆编码", "NOPE", "场馆编码不存在（请先在「场馆名录」中登记该场馆）"],
        ["警告", None, "填报人", None, "未知的列，已忽略"],
    ]
    assert [r[5] for r in rows[1:]] == report.issue_lines()
    assert report.error_count == 3
    assert report.warning_count == 1


def test_nothing_in_the_report_is_a_formula(report):
    archive = zipfile.ZipFile(io.BytesIO(report_xlsx(report)))
    sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert sheets
    assert all(b"<f>" not in archive.read(name) for name in sheets)


def test_the_highlighted_sheet_can_be_uploaded_again_and_gives_the_same_report(session, report):
    again = import_file(session, report_xlsx(report), "10月-报告.xlsx", today=TODAY, dry_run=True)
    assert again.issues.to_dict("records") == report.issues.to_dict("records")


def test_blank_rows_keep_the_row_numbers_of_the_report(session):
    seed_registry(session)
    lines = csv_bytes("monthly", BAD_ROWS[:2]).decode().split("\r\n")
    data = "\r\n".join([lines[0], lines[1], "", ",,", lines[2]]).encode()
    report = import_file(session, data, "gap.csv", today=TODAY, dry_run=True)
    assert report.issue_lines() == ['第 5 行「到馆人次」值 "-3"：不能为负数']
    sheet = load_workbook(io.BytesIO(report_xlsx(report)))[SHEET_TITLE]
    assert sheet["C5"].value == "-3"
    assert fill_of(sheet["C5"]) == ERROR_FILL.fgColor.rgb[-6:]


def test_a_file_that_cannot_be_read_gets_a_report_with_the_reason(session):
    report = import_file(session, b"", "empty.csv", today=TODAY, dry_run=True)
    workbook = load_workbook(io.BytesIO(report_xlsx(report)))
    assert workbook.sheetnames == [ISSUES_TITLE, SUMMARY_TITLE]
    assert [c.value for c in workbook[ISSUES_TITLE][2]][:5] == ["错误", None, None, None, "文件是空的，没有任何内容。"]


@pytest.mark.parametrize(
    ("value", "safe"),
    [("=1+1", "'=1+1"), ("+86", "'+86"), ("-3", "'-3"), ("@SUM(A1)", "'@SUM(A1)"), ("青溪", "青溪"), (None, "")],
)
def test_csv_cells_never_start_a_formula(value, safe):
    assert csv_safe(value) == safe


def test_table_exports_write_text_and_numbers_only():
    frame = pd.DataFrame({"场馆名称": ["=cmd|'/c calc'!A1", "青溪站"], "到馆人次": [3, 4]})
    assert table_csv(frame).decode("utf-8-sig").splitlines() == [
        "场馆名称,到馆人次",
        "'=cmd|'/c calc'!A1,3",
        "青溪站,4",
    ]
    data = table_xlsx(frame, "未报送")
    rows = [[c.value for c in row] for row in load_workbook(io.BytesIO(data))["未报送"].iter_rows()]
    assert rows == [["场馆名称", "到馆人次"], ["=cmd|'/c calc'!A1", 3], ["青溪站", 4]]
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")
