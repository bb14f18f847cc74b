"""Empty, correctly headed upload files: CSV (UTF-8 with BOM, so Excel opens it) and XLSX with notes."""

import csv
import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from culture_dash.ingest.kinds import KINDS, Column

EXAMPLES: dict[str, dict[str, str]] = {
    "townships": {"code": "510199001", "name": "青溪街道", "kind": "街道", "population": "56000"},
    "villages": {
        "code": "510199001001",
        "name": "桂花社区",
        "kind": "社区",
        "township": "青溪街道",
        "population": "5200",
    },
    "venues": {
        "venue_code": "QX-WHZ-01",
        "name": "青溪街道综合文化站",
        "type": "综合文化站",
        "parent_code": "QX-WHG",
        "township": "青溪街道",
        "village": "",
        "lon": "104.05",
        "lat": "30.95",
        "crs": "WGS84",
        "area_m2": "800",
        "weekly_hours": "56",
        "free_open": "是",
        "opened_on": "2015-06-01",
    },
    "monthly": {
        "month": "2026-10",
        "venue_code": "QX-WHZ-01",
        "visits": "12345",
        "loans": "",
        "new_cardholders": "",
        "reading_events": "4",
        "exhibition_events": "1",
        "education_events": "3",
        "performance_events": "2",
        "participants": "860",
        "online_visits": "1500",
        "media_reports": "1",
        "note": "",
    },
    "subsidies": {
        "year": "2026",
        "source": "区级",
        "programme": "免费开放",
        "venue_code": "QX-WHZ-01",
        "allocated": "20",
        "disbursed": "20",
        "spent": "12.5",
        "doc_no": "青文旅〔2026〕12号",
    },
    "demo_sites": {
        "venue_code": "QX-WHZ-01",
        "batch_year": "2026",
        "level": "市级",
        "stage": "建设中",
        "has_library_room": "是",
        "has_e_reading_room": "否",
        "has_multi_room": "是",
        "stage_date": "2026-05-10",
    },
    "tasks": {
        "task_code": "2026-01",
        "year": "2026",
        "section": "公共文化服务体系建设",
        "title": "开展群众文化活动",
        "lead_unit": "区文化馆",
        "co_units": "各街镇",
        "target": "200",
        "unit": "场",
        "actual": "150",
        "deadline": "2026-12-31",
        "status": "",
        "progress_note": "已开展 150 场",
        "as_of": "2026-10-20",
    },
    "activity_plans": {"year": "2026", "venue_code": "QX-WHZ-01", "category": "文艺演出", "planned": "24"},
    "inspections": {
        "date": "2026-09-15",
        "venue_code": "QX-WHZ-01",
        "method": "暗访",
        "issue": "不开门",
        "status": "正在整改",
        "due": "2026-10-31",
        "note": "周末未按公示时间开放",
    },
    "circulation": {
        "date": "2026-09-01",
        "round_no": "3",
        "from_venue": "QX-TSG",
        "to_venue": "QX-WHZ-01",
        "volumes": "500",
    },
    "art_school": {
        "term": "2026秋",
        "venue_code": "QX-WHG",
        "subject": "声乐",
        "classes": "4",
        "places": "120",
        "applicants": "180",
        "enrolled": "118",
    },
}

TYPE_NOTES = {
    "int": "整数，≥ 0",
    "number": "数字",
    "money": "万元，最多 4 位小数",
    "date": "日期，如 2026-10-05",
    "month": "月份，如 2026-10",
    "bool": "是 / 否",
    "venue": "已登记的场馆编码",
    "township": "街镇名称或区划代码",
    "term": "如 2026春、2026秋、2026暑期",
}


def column_note(column: Column) -> str:
    if column.choices:
        note = "可选：" + " / ".join(column.choices)
    elif column.rule:
        note = column.rule
    else:
        note = TYPE_NOTES.get(column.type, "文字")
    return ("必填。" if column.required else "") + note


def report_month(latest: dt.date | None, today: dt.date) -> dt.date:
    """The month staff report next: the one after the latest with data, never after the current month."""
    current = today.replace(day=1)
    if latest is None:
        return current
    following = dt.date(latest.year + latest.month // 12, latest.month % 12 + 1, 1)
    return min(following, current)


def monthly_rows(venue_codes: list[str], month: dt.date) -> list[dict[str, str]]:
    """Pre-filled rows of the monthly template: one per venue, the month and code filled, the numbers empty."""
    return [{"month": month.strftime("%Y-%m"), "venue_code": code} for code in venue_codes]


VENUE_LIST_SHEET = "场馆清单"
VENUE_LIST_HEADERS = (("venue_code", "场馆编码"), ("name", "场馆名称"), ("type", "场馆类型"), ("township", "所属街镇"))


def _text_cell(sheet, row: int, column: int, value) -> None:
    """Registry text (a venue name may start with "=") is stored as a string cell, never as a formula."""
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"


def csv_template(kind: str, rows: list[dict[str, str]] | None = None) -> bytes:
    """Header (and `rows`, e.g. pre-filled venue codes) as UTF-8 with BOM."""
    spec = KINDS[kind]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.header for c in spec.columns])
    for row in rows or []:
        writer.writerow([row.get(c.field, "") for c in spec.columns])
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_template(
    kind: str, rows: list[dict[str, str]] | None = None, venues: list[dict[str, str]] | None = None
) -> bytes:
    """Sheet 1: headers with notes and dropdowns; sheet 2: an example row and the rule of every column.

    With `venues` (code, name, type, township), a third sheet lists them and venue-code cells get a dropdown of
    those codes, so staff see which code is which venue.
    """
    spec = KINDS[kind]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = spec.label[:31]
    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FFF2CC")
    for index, column in enumerate(spec.columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = bold
        cell.comment = Comment(column_note(column), "culture-dash")
        if column.required:
            cell.fill = required_fill
        letter = cell.column_letter
        sheet.column_dimensions[letter].width = max(12, len(column.header) * 2 + 4)
        if column.type in ("code", "venue", "township", "text", "month", "date", "term"):
            for row in range(2, 2 + max(len(rows or []), 1000)):
                sheet.cell(row=row, column=index).number_format = "@"  # keep leading zeros and months as text
        options = column.choices or (("是", "否") if column.type == "bool" else ())
        if options:
            validation = DataValidation(type="list", formula1='"' + ",".join(options) + '"', allow_blank=True)
            validation.error = "请从下拉列表中选择"
            validation.prompt = column_note(column)
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}5000")
    if venues:
        venue_sheet = workbook.create_sheet(VENUE_LIST_SHEET)
        venue_sheet.append([header for _, header in VENUE_LIST_HEADERS])
        for row_index, venue in enumerate(venues, start=2):
            for column_index, (name, _) in enumerate(VENUE_LIST_HEADERS, start=1):
                _text_cell(venue_sheet, row_index, column_index, venue.get(name, ""))
        for cell in venue_sheet[1]:
            cell.font = bold
        for letter, width in zip("ABCD", (18, 36, 20, 16), strict=True):
            venue_sheet.column_dimensions[letter].width = width
        for index, column in enumerate(spec.columns, start=1):
            if column.type != "venue":
                continue
            letter = sheet.cell(row=1, column=index).column_letter
            codes = DataValidation(
                type="list", formula1=f"'{VENUE_LIST_SHEET}'!$A$2:$A${len(venues) + 1}", allow_blank=True
            )
            codes.error = f"请填写「{VENUE_LIST_SHEET}」中的场馆编码"
            codes.prompt = column_note(column)
            sheet.add_data_validation(codes)
            codes.add(f"{letter}2:{letter}5000")
    for row_index, row in enumerate(rows or [], start=2):
        for index, column in enumerate(spec.columns, start=1):
            _text_cell(sheet, row_index, index, row.get(column.field) or None)
    sheet.freeze_panes = "A2"
    example = workbook.create_sheet("示例与说明")
    example.append(["列名", "英文列名", "规则", "示例"])
    for column in spec.columns:
        example.append([column.header, column.field, column_note(column), EXAMPLES[kind].get(column.field, "")])
    for cell in example[1]:
        cell.font = bold
    for letter, width in zip("ABCD", (16, 18, 50, 24), strict=True):
        example.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
