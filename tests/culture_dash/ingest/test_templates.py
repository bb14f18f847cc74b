import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from culture_dash.ingest.pipeline import import_file
from culture_dash.ingest.templates import VENUE_LIST_SHEET, csv_template, monthly_rows, report_month, xlsx_template
from tests.factories import TODAY, headers, seed_registry


@pytest.mark.parametrize(
    ("latest", "today", "month"),
    [
        (dt.date(2026, 10, 1), dt.date(2026, 11, 26), dt.date(2026, 11, 1)),
        (dt.date(2026, 11, 1), dt.date(2026, 11, 26), dt.date(2026, 11, 1)),
        (dt.date(2025, 12, 1), dt.date(2026, 3, 2), dt.date(2026, 1, 1)),
        (None, dt.date(2026, 11, 26), dt.date(2026, 11, 1)),
    ],
)
def test_the_template_month_follows_the_latest_month_but_never_passes_today(latest, today, month):
    assert report_month(latest, today) == month


def test_a_prefilled_csv_template_is_a_file_the_importer_reads_back(session):
    seed_registry(session)
    data = csv_template("monthly", monthly_rows(["WHG", "TSG"], dt.date(2026, 11, 1)))
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == ",".join(headers("monthly"))
    assert lines[1:] == ["2026-11,WHG" + "," * 11, "2026-11,TSG" + "," * 11]
    report = import_file(session, data, "t.csv", today=TODAY, dry_run=True)
    assert (report.kind, report.rows, report.accepted, report.inserted) == ("monthly", 2, True, 2)


def test_a_prefilled_xlsx_template_lists_the_venues_and_offers_their_codes(session):
    seed_registry(session)
    venues = [
        {"venue_code": "WHG", "name": "青溪区文化馆", "type": "文化馆", "township": "青溪街道"},
        {"venue_code": "TSG", "name": "青溪区图书馆", "type": "图书馆", "township": "青溪街道"},
    ]
    data = xlsx_template("monthly", monthly_rows(["WHG", "TSG"], dt.date(2026, 11, 1)), venues=venues)
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["月度报表", VENUE_LIST_SHEET, "示例与说明"]
    sheet = workbook["月度报表"]
    assert [[c.value for c in row][:3] for row in sheet.iter_rows(max_row=3)] == [
        headers("monthly")[:3],
        ["2026-11", "WHG", None],
        ["2026-11", "TSG", None],
    ]
    assert [[c.value for c in row] for row in workbook[VENUE_LIST_SHEET].iter_rows()] == [
        ["场馆编码", "场馆名称", "场馆类型", "所属街镇"],
        ["WHG", "青溪区文化馆", "文化馆", "青溪街道"],
        ["TSG", "青溪区图书馆", "图书馆", "青溪街道"],
    ]
    lists = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert lists["B2:B5000"] == f"'{VENUE_LIST_SHEET}'!$A$2:$A$3"
    report = import_file(session, data, "t.xlsx", today=TODAY, dry_run=True)
    assert (report.kind, report.rows, report.accepted) == ("monthly", 2, True)


def test_registry_text_in_an_xlsx_template_can_never_be_a_formula():
    import io

    from openpyxl import load_workbook

    venues = [{"venue_code": "WHG", "name": '=HYPERLINK("http://x","点我")', "type": "文化馆", "township": "@SUM(1)"}]
    data = xlsx_template("monthly", monthly_rows(["WHG"], dt.date(2026, 11, 1)), venues=venues)
    sheet = load_workbook(io.BytesIO(data))["场馆清单"]
    assert [(c.value, c.data_type) for c in sheet[2]] == [
        ("WHG", "s"),
        ('=HYPERLINK("http://x","点我")', "s"),
        ("文化馆", "s"),
        ("@SUM(1)", "s"),
    ]
