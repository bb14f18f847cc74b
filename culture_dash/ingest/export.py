"""Spreadsheets for people: the validation report with the offending cells highlighted, and plain table exports.

Every cell is written as text (XLSX) or quote-prefixed (CSV) so nothing a user typed can become a formula.
"""

import csv
import io

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from culture_dash.ingest.report import LEVEL_LABEL, ImportReport, issue_text

ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
WARNING_FILL = PatternFill("solid", fgColor="FFEB9C")
HEADER_FONT = Font(bold=True)
ERROR_FONT = Font(color="9C0006")
SHEET_TITLE = "原文件（已标注）"
ISSUES_TITLE = "问题清单"
SUMMARY_TITLE = "概要"
ISSUE_HEADERS = ("级别", "行号", "列", "值", "原因", "完整说明")
MAX_COMMENTS = 5000  # Excel slows down with very many notes; the issue sheet always has every issue
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _text(value) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    text = str(value)
    return text if text != "" else None


def _cell(sheet, value, *, fill=None, font=None, comment: str | None = None) -> WriteOnlyCell:
    """A number stays a number; anything else becomes a text cell (inline string, never a formula)."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, int | float) and not isinstance(value, bool) and value == value:
        cell = WriteOnlyCell(sheet, value=value)
    else:
        cell = WriteOnlyCell(sheet, value=_text(value))
        if cell.value is not None:
            cell.data_type = "s"
    if fill is not None:
        cell.fill = fill
    if font is not None:
        cell.font = font
    if comment:
        cell.comment = Comment(comment[:2000], "culture-dash")
    return cell


def _flags(report: ImportReport, headers: list[str]) -> tuple[dict, dict, dict]:
    """(row, column index) → level, and the messages per flagged cell; row None = the header row.

    An issue naming a row but no column flags the whole row; one naming a column but no row flags its header.
    """
    position = {}
    for index, header in enumerate(headers):
        position.setdefault(header, index)
    cells: dict[tuple, str] = {}
    notes: dict[tuple, list[str]] = {}
    whole_rows: dict[int, str] = {}
    for issue in report.issues.to_dict("records"):
        row = None if pd.isna(issue["row"]) else int(issue["row"])
        column = position.get(issue["column"]) if issue["column"] else None
        level = issue["level"]
        if row is not None and column is None:
            if whole_rows.get(row) != "error":
                whole_rows[row] = level
            continue
        if column is None:
            continue
        key = (row, column)
        if cells.get(key) != "error":
            cells[key] = level
        notes.setdefault(key, []).append(f"{LEVEL_LABEL[level]}：{issue['message']}")
    return cells, notes, whole_rows


def _fill(level: str | None):
    return {"error": ERROR_FILL, "warning": WARNING_FILL}.get(level)


def _write_sheet(workbook: Workbook, report: ImportReport) -> None:
    """The uploaded sheet as read, each data row at its original row number, flagged cells filled and noted."""
    raw = report.sheet
    sheet = workbook.create_sheet(SHEET_TITLE)
    sheet.freeze_panes = "A2"
    for index, header in enumerate(raw.headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(10, min(40, len(header) * 2 + 4))
    cells, notes, whole_rows = _flags(report, raw.headers)
    comments_left = MAX_COMMENTS

    def note(key) -> str | None:
        nonlocal comments_left
        if key not in notes or comments_left <= 0:
            return None
        comments_left -= 1
        return "\n".join(notes[key])

    header_row = [
        _cell(sheet, h, fill=_fill(cells.get((None, i))), font=HEADER_FONT, comment=note((None, i)))
        for i, h in enumerate(raw.headers)
    ]
    sheet.append(header_row)
    written = 1
    for number, values in zip(raw.row_numbers.tolist(), raw.cells.itertuples(index=False), strict=True):
        while written < number - 1:  # blank rows of the original stay blank, so row numbers match the report
            sheet.append([])
            written += 1
        row_level = whole_rows.get(number)
        row = []
        for index, value in enumerate(values):
            level = cells.get((number, index)) or row_level
            row.append(_cell(sheet, value, fill=_fill(level), comment=note((number, index))))
        sheet.append(row)
        written = number


def _write_issues(workbook: Workbook, report: ImportReport) -> None:
    sheet = workbook.create_sheet(ISSUES_TITLE)
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEF", (8, 8, 16, 20, 50, 70), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.append([_cell(sheet, h, font=HEADER_FONT) for h in ISSUE_HEADERS])
    if report.file_error:
        sheet.append(
            [_cell(sheet, LEVEL_LABEL["error"], fill=ERROR_FILL), None, None, None, _cell(sheet, report.file_error)]
        )
    for issue in report.issues.to_dict("records"):
        fill = _fill(issue["level"])
        row = None if pd.isna(issue["row"]) else int(issue["row"])
        sheet.append(
            [
                _cell(sheet, LEVEL_LABEL[issue["level"]], fill=fill),
                _cell(sheet, row),
                _cell(sheet, issue["column"]),
                _cell(sheet, issue["value"]),
                _cell(sheet, issue["message"]),
                _cell(sheet, issue_text(issue)),
            ]
        )


def _write_summary(workbook: Workbook, report: ImportReport) -> None:
    sheet = workbook.create_sheet(SUMMARY_TITLE)
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 90
    rows = [
        ("结论", report.summary()),
        ("文件名", report.file_name),
        ("SHA-256", report.sha256),
        ("文件类型", report.kind_label or "未识别"),
        ("编码", report.encoding or ""),
        ("数据行", report.rows),
        ("错误", report.error_count),
        ("警告", report.warning_count),
        ("说明", "红色单元格是错误（必须修改），黄色单元格是警告（请核实）。鼠标停在单元格上可看原因。"),
    ]
    for label, value in rows:
        sheet.append([_cell(sheet, label, font=HEADER_FONT), _cell(sheet, value)])


def report_xlsx(report: ImportReport) -> bytes:
    """The validation report as .xlsx: the uploaded sheet with error cells red and warning cells yellow (first
    sheet, so it can be fixed and uploaded again as it is), every issue, and a summary."""
    workbook = Workbook(write_only=True)
    if report.sheet is not None:
        _write_sheet(workbook, report)
    _write_issues(workbook, report)
    _write_summary(workbook, report)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table_xlsx(frame: pd.DataFrame, sheet_title: str) -> bytes:
    """A table as .xlsx with every cell as text: an export that cannot carry formulas."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title[:31])
    sheet.freeze_panes = "A2"
    for index, name in enumerate(frame.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(10, min(40, len(str(name)) * 2 + 6))
    sheet.append([_cell(sheet, name, font=HEADER_FONT) for name in frame.columns])
    for values in frame.itertuples(index=False):
        sheet.append([_cell(sheet, value) for value in values])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_safe(value) -> str:
    """A CSV cell that a spreadsheet will not run: text starting with = + - @ gets a leading quote."""
    text = _text(value) or ""
    return "'" + text if text.startswith(_FORMULA_START) else text


def table_csv(frame: pd.DataFrame) -> bytes:
    """A table as CSV in UTF-8 with BOM (Excel on Chinese Windows opens it correctly), formula-safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_safe(name) for name in frame.columns])
    for values in frame.itertuples(index=False):
        writer.writerow([csv_safe(value) for value in values])
    return buffer.getvalue().encode("utf-8-sig")
