"""数据上传 against a copy of the demo database: what the page shows equals what the pipeline and the database say."""

import datetime as dt
import re

import pandas as pd
import pytest
import sqlalchemy as sa

from culture_dash import formatting
from culture_dash.ingest.kinds import KIND_ORDER
from models import MonthlyReport, UploadBatch
from tests.factories import csv_bytes, snapshot, xlsx_bytes

NOVEMBER = "2026-11"


def october_rows(session, count: int) -> list[dict]:
    """`count` venues that reported for 2026-10, with their October visits (so November's values raise no warning)."""
    rows = session.execute(
        sa.text(
            "SELECT v.code, m.visits FROM monthly_report m JOIN venue v ON v.id = m.venue_id"
            " WHERE m.month = '2026-10-01' AND m.visits > 0 ORDER BY v.code LIMIT :count"
        ),
        {"count": count},
    ).all()
    return [{"month": NOVEMBER, "venue_code": code, "visits": str(visits)} for code, visits in rows]


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def frame_with(at, column: str) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if column in d.value.columns)


def button(at, label_start: str):
    return next(b for b in at.button if b.label.startswith(label_start))


def upload(at, name: str, content: bytes, mime: str = "text/csv"):
    at.file_uploader[0].upload(name, content, mime).run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def staff_upload(app_as):
    return app_as("staff", "upload")


def test_a_gbk_file_shows_its_kind_encoding_row_count_and_preview_and_writes_nothing(staff_upload, demo_session):
    rows = october_rows(demo_session, 3)
    before = snapshot(demo_session)
    upload(staff_upload, "十一月报表.csv", csv_bytes("monthly", rows, encoding="gbk"))
    assert [m.value for m in staff_upload.markdown if m.value.startswith("文件类型")] == [
        "文件类型：**月度报表**　　编码：**GBK/GB18030**"
    ]
    assert metrics(staff_upload) == {"数据行": "3", "错误": "0", "警告": "0"}
    preview = frame_with(staff_upload, "行号")
    assert preview[["行号", "月份", "场馆编码", "到馆人次"]].values.tolist() == [
        [2 + i, NOVEMBER, row["venue_code"], row["visits"]] for i, row in enumerate(rows)
    ]
    assert [s.value for s in staff_upload.success] == [
        "「十一月报表.csv」（月度报表，3 行）检查通过。若导入将新增 3 行，替换 0 行，未变 0 行。（试运行，未写入）"
    ]
    assert button(staff_upload, "导入这 3 行").disabled is False
    demo_session.expire_all()
    assert snapshot(demo_session) == before


def test_three_errors_are_listed_with_their_rows_then_the_fixed_file_commits(staff_upload, demo_session):
    """The issue's 'done when': an Excel (GBK) file with three errors, fixed, uploaded again and committed."""
    good = october_rows(demo_session, 4)
    bad = [
        good[0],
        {**good[1], "visits": "-3"},
        {**good[2], "venue_code": "QX-NOPE"},
        {**good[3], "month": "2099-01"},
    ]
    before = snapshot(demo_session)
    upload(staff_upload, "十一月.csv", csv_bytes("monthly", bad, encoding="gbk"))
    assert [e.value for e in staff_upload.error] == [
        "「十一月.csv」（月度报表）有 3 处错误，未写入任何数据。请修改后重新上传。"
    ]
    issues = frame_with(staff_upload, "原因")
    assert issues.astype(object).values.tolist() == [
        ["错误", 3, "到馆人次", "-3", "不能为负数"],
        ["错误", 4, "场馆编码", "QX-NOPE", "场馆编码不存在（请先在「场馆名录」中登记该场馆）"],
        ["错误", 5, "月份", "2099-01", "月份不能晚于本月"],
    ]
    commit = button(staff_upload, "导入这 4 行")
    assert commit.disabled is True
    demo_session.expire_all()
    assert snapshot(demo_session) == before

    staff_upload.file_uploader[0].clear()
    upload(staff_upload, "十一月-改.csv", csv_bytes("monthly", good, encoding="gbk"))
    assert staff_upload.error == []
    button(staff_upload, "导入这 4 行").click().run()
    assert not staff_upload.exception
    batch = demo_session.execute(sa.select(sa.func.max(UploadBatch.id))).scalar()
    assert [s.value for s in staff_upload.success] == [
        f"「十一月-改.csv」（月度报表）已导入为第 {batch} 批次：新增 4 行，替换 0 行，未变 0 行。"
    ]
    assert metrics(staff_upload) == {"新增": "4", "替换": "0", "未变": "0"}
    assert frame_with(staff_upload, "月份").values.tolist() == [["合计", 4, 0, 0], ["2026年11月", 4, 0, 0]]
    towns = demo_session.execute(
        sa.text(
            "SELECT t.name, COUNT(*) FROM monthly_report m JOIN venue v ON v.id = m.venue_id"
            " JOIN township t ON t.id = v.township_id WHERE m.batch_id = :batch GROUP BY t.name ORDER BY t.name"
        ),
        {"batch": batch},
    ).all()
    by_township = frame_with(staff_upload, "街镇")
    assert by_township.values.tolist()[0] == ["合计", 4, 0, 0]
    assert sorted(by_township.values.tolist()[1:]) == sorted([name, count, 0, 0] for name, count in towns)
    stored = demo_session.execute(
        sa.select(sa.func.sum(MonthlyReport.visits)).where(MonthlyReport.month == dt.date(2026, 11, 1))
    ).scalar()
    assert stored == sum(int(r["visits"]) for r in good)


def test_warnings_need_one_explicit_confirmation(staff_upload, demo_session):
    rows = october_rows(demo_session, 2)
    rows[1]["visits"] = str(int(rows[1]["visits"]) * 50)
    upload(staff_upload, "偏大.csv", csv_bytes("monthly", rows))
    assert metrics(staff_upload)["警告"] == "1"
    assert button(staff_upload, "导入这 2 行").disabled is True
    confirm = next(c for c in staff_upload.checkbox if c.label.startswith("我已核对"))
    assert confirm.label == "我已核对以上 1 条警告，数据无误，仍然导入"
    confirm.check().run()
    assert button(staff_upload, "导入这 2 行").disabled is False
    button(staff_upload, "导入这 2 行").click().run()
    assert metrics(staff_upload) == {"新增": "2", "替换": "0", "未变": "0"}
    demo_session.expire_all()
    batch = demo_session.execute(sa.select(UploadBatch).order_by(UploadBatch.id.desc()).limit(1)).scalar()
    assert (batch.file_name, batch.rows_inserted, batch.warnings, batch.username) == ("偏大.csv", 2, 1, "staff")


def test_the_identical_file_again_says_no_change_and_writes_nothing(staff_upload, demo_session):
    content = csv_bytes("monthly", october_rows(demo_session, 2))
    upload(staff_upload, "a.csv", content)
    button(staff_upload, "导入这 2 行").click().run()
    demo_session.expire_all()
    before = snapshot(demo_session)
    upload(staff_upload, "a-again.csv", content)
    batch = before["upload_batch"][-1][0]
    assert [i.value for i in staff_upload.info] == [
        f"文件内容与数据库中的数据完全一致，导入不会做任何修改。（与第 {batch} 批次上传的文件相同）"
    ]
    assert [b.label for b in staff_upload.button if b.label.startswith("导入")] == []
    demo_session.expire_all()
    assert snapshot(demo_session) == before


def encrypted_xlsx() -> bytes:
    """What Excel writes for a password-protected workbook: an OLE2 container holding EncryptionInfo."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64 + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 64


HEADER = "月份,场馆编码,到馆人次\r\n"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", b"", "文件是空的，没有任何内容。"),
        ("header.csv", HEADER.encode(), "文件只有表头，没有数据行。"),
        ("unknown.csv", "姓名,电话\r\n张三,123\r\n".encode(), "无法识别文件类型"),
        ("locked.xlsx", encrypted_xlsx(), "Excel 文件设置了打开密码，无法读取。"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200, "不支持旧版 .xls 格式"),
        ("broken.xlsx", b"PK\x03\x04" + b"\x00" * 100, "无法读取 Excel 文件：文件已损坏"),
        (
            "mixed.csv",
            (HEADER + "2026-10,QX-WHG-001,1,备注\r\n").encode("utf-8") + "2026-10,QX-TSG-001,2,备注\r\n".encode("gbk"),
            "文件中混有不同的编码",
        ),
        ("nul.csv", (HEADER + "2026-10,QX-WHG-001,1\x00\r\n").encode(), "文件中含有空字节（NUL）"),
    ],
    ids=["empty", "header-only", "unknown-kind", "password", "old-xls", "corrupt-xlsx", "mixed-encodings", "nul-byte"],
)
def test_an_unreadable_file_gets_the_pipelines_chinese_message_and_writes_nothing(
    staff_upload, demo_session, name, content, message
):
    before = snapshot(demo_session)
    upload(staff_upload, name, content)
    errors = [e.value for e in staff_upload.error]
    assert len(errors) == 1
    assert errors[0].startswith(f"「{name}」未导入：")
    assert message in errors[0]
    assert [b.label for b in staff_upload.button if b.label.startswith("导入")] == []
    demo_session.expire_all()
    assert snapshot(demo_session) == before


def overview_visits(at) -> str:
    return next(m for m in at.metric if m.label == "到馆人次").value


def month_visits(session, month: dt.date) -> int:
    return session.execute(sa.select(sa.func.sum(MonthlyReport.visits)).where(MonthlyReport.month == month)).scalar()


def test_a_commit_makes_november_the_overviews_latest_month_on_the_next_run(app_as, demo_session):
    at = app_as("staff")  # the overview, its cached reads warm with October as the latest month
    assert overview_visits(at) == formatting.big_number(month_visits(demo_session, dt.date(2026, 10, 1)), "人次")
    rows = october_rows(demo_session, 3)
    at.switch_page("app_pages/upload.py").run()
    upload(at, "十一月.csv", csv_bytes("monthly", rows, encoding="gbk"))
    button(at, "导入这 3 行").click().run()
    at.switch_page("app_pages/overview.py").run()
    uploaded = sum(int(r["visits"]) for r in rows)
    assert overview_visits(at) == formatting.big_number(uploaded, "人次")


def test_a_directors_open_overview_shows_the_new_total_at_its_next_interaction(app_as, demo_session):
    """Item 6: cached reads take the data versions, so a commit makes exactly the overview's monthly entries stale
    (no cache clearing anywhere): the director's open page, on October, shows October's new total on its next run."""
    october = dt.date(2026, 10, 1)
    director = app_as("leader")
    before = month_visits(demo_session, october)
    assert overview_visits(director) == formatting.big_number(before, "人次")
    late = demo_session.execute(
        sa.text(
            "SELECT v.code, m.visits FROM venue v JOIN monthly_report m ON m.venue_id = v.id"
            " WHERE m.month = '2026-09-01' AND m.visits > 0 AND NOT EXISTS (SELECT 1 FROM monthly_report o"
            " WHERE o.venue_id = v.id AND o.month = '2026-10-01') ORDER BY v.code"
        )
    ).all()
    rows = [{"month": "2026-10", "venue_code": code, "visits": str(visits)} for code, visits in late]
    staff = app_as("staff", "upload")
    upload(staff, "十月补报.csv", csv_bytes("monthly", rows, encoding="gbk"))
    button(staff, f"导入这 {len(rows)} 行").click().run()
    assert staff.success[0].value.startswith("「十月补报.csv」（月度报表）已导入为第")
    uploaded = sum(visits for _, visits in late)
    assert month_visits(demo_session, october) == before + uploaded
    director.run()
    assert overview_visits(director) == formatting.big_number(before + uploaded, "人次")
    assert formatting.big_number(before + uploaded, "人次") != formatting.big_number(before, "人次")


def test_a_township_user_may_upload_only_their_own_venues(app_as, demo_session):
    at = app_as("township", "upload")
    own, other = demo_session.execute(
        sa.text(
            "SELECT MIN(v.code) FILTER (WHERE t.code = '510199001'), MIN(v.code) FILTER (WHERE t.code <> '510199001')"
            " FROM venue v JOIN township t ON t.id = v.township_id"
        )
    ).one()
    rows = [{"month": "2026-10", "venue_code": own}, {"month": "2026-10", "venue_code": other}]
    upload(at, "本镇.csv", csv_bytes("monthly", rows))
    assert frame_with(at, "原因").astype(object).values.tolist() == [
        ["错误", 3, "场馆编码", other, "不在您的报送范围内（只能上传本街镇或本场馆的数据）"]
    ]
    venues = demo_session.execute(
        sa.text(
            "SELECT COUNT(*) FROM venue v JOIN township t ON t.id = v.township_id WHERE t.code = '510199001'"
            " AND (v.opened_on IS NULL OR v.opened_on <= '2026-11-30')"
        )
    ).scalar()
    assert [c.value for c in at.caption if "模板已预填" in c.value] == [
        f"每类数据一个模板：CSV（UTF-8 带 BOM，Excel 直接打开不乱码）和 XLSX（含列说明与下拉选项）。"
        f"月度报表模板已预填您负责的 {venues} 个场馆和月份 2026年11月。"
    ]


def test_files_are_checked_registry_first_and_a_commit_rechecks_the_rest(app_as, demo_session):
    at = app_as("admin", "upload")
    venue = {"venue_code": "QX-NEW-01", "name": "新建文化驿站", "type": "流动服务点", "township": "510199001"}
    monthly = [{"month": "2026-10", "venue_code": "QX-NEW-01", "visits": "12"}]
    at.file_uploader[0].set_value(
        [
            ("monthly.csv", csv_bytes("monthly", monthly), "text/csv"),
            ("venues.xlsx", xlsx_bytes(list(venue_headers()), [list(venue.values())]), "application/octet-stream"),
        ]
    ).run()
    assert [h.value for h in at.subheader][:2] == ["venues.xlsx", "monthly.csv"]
    assert [e.value for e in at.error] == ["「monthly.csv」（月度报表）有 1 处错误，未写入任何数据。请修改后重新上传。"]
    button(at, "导入这 1 行").click().run()  # the venue file (the monthly file's button is disabled)
    assert at.error == []
    commits = [b for b in at.button if b.label.startswith("导入")]
    assert [(b.label, b.disabled) for b in commits] == [("导入这 1 行", False)]
    commits[0].click().run()
    demo_session.expire_all()
    assert (
        demo_session.execute(
            sa.text(
                "SELECT m.visits FROM monthly_report m JOIN venue v ON v.id = m.venue_id WHERE v.code = 'QX-NEW-01'"
            )
        ).scalar()
        == 12
    )


def venue_headers():
    return {"venue_code": "场馆编码", "name": "场馆名称", "type": "场馆类型", "township": "所属街镇"}.values()


LOCAL_TAIL = ["activity_plans", "inspections", "circulation", "art_school"]


@pytest.mark.parametrize(
    ("username", "kinds"),
    [
        (
            "staff",
            [
                "monthly",
                "subsidies",
                "demo_sites",
                "tasks",
                "activity_plans",
                "inspections",
                "circulation",
                "art_school",
            ],
        ),
        ("township", ["monthly", *LOCAL_TAIL]),
        ("admin", list(KIND_ORDER)),
    ],
)
def test_each_kind_the_role_may_upload_has_a_csv_and_an_xlsx_template(app_as, username, kinds):
    at = app_as(username, "upload")
    buttons = [re.search(r"template_(\w+)_(csv|xlsx)$", b.proto.id) for b in at.get("download_button")]
    assert [(b[1], b[2], label.proto.label) for b, label in zip(buttons, at.get("download_button"), strict=True)] == [
        (kind, file_format, f"{file_format.upper()} 模板") for kind in kinds for file_format in ("csv", "xlsx")
    ]
