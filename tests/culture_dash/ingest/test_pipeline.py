import datetime as dt

import pytest

from culture_dash.ingest.kinds import KINDS, detect_kind
from culture_dash.ingest.pipeline import import_file
from culture_dash.ingest.write import UndoRefused, undo_batch
from culture_dash.permissions import Actor
from models import (
    ActivityPlan,
    ArtSchoolTerm,
    Circulation,
    DemoSite,
    Inspection,
    MonthlyReport,
    Subsidy,
    Task,
    TaskProgress,
    Township,
    Venue,
    Village,
)
from tests.factories import TODAY, csv_bytes, load, seed_registry, snapshot, table_rows, xlsx_bytes


def run(session, kind, rows, **kwargs):
    return import_file(session, csv_bytes(kind, rows), f"{kind}.csv", today=TODAY, **kwargs)


def test_registry_rows_are_stored_with_references_resolved(session):
    seed_registry(session)
    assert table_rows(session, Township, ["code", "name", "kind", "population"]) == [
        ["510199001", "青溪街道", "街道", 56000],
        ["510199002", "白鹤镇", "镇", 32000],
    ]
    assert table_rows(session, Village, ["code", "township_id"]) == [
        ["510199001001", 1],
        ["510199002001", 2],
    ]
    assert table_rows(session, Venue, ["code", "parent_id", "township_id", "village_id"]) == [
        ["WHG", None, 1, None],
        ["TSG", None, 1, None],
        ["ZHAN-1", 1, 1, None],
        ["ZHAN-2", 1, 2, None],
        ["FG-2", 2, 2, 2],
    ]


def test_venue_coordinates_are_converted_to_wgs84(session):
    load(session, "townships", [{"code": "510199001", "name": "青溪街道"}])
    # Beijing railway station, RECIPES.md: WGS-84 (39.90105, 116.42079) = BD-09 (39.90851, 116.43351)
    run(
        session,
        "venues",
        [
            {
                "venue_code": "BJ",
                "name": "站",
                "type": "流动服务点",
                "township": "青溪街道",
                "lon": "116.43351",
                "lat": "39.90851",
                "crs": "BD09",
            }
        ],
    )
    venue = session.get(Venue, 1)
    assert (round(venue.lon, 4), round(venue.lat, 4), venue.source_crs) == (116.4208, 39.9011, "BD09")


def test_parent_defined_later_in_the_same_file_is_linked(session):
    load(session, "townships", [{"code": "510199001", "name": "青溪街道"}])
    report = run(
        session,
        "venues",
        [
            {
                "venue_code": "CHILD",
                "name": "子",
                "type": "文化馆分馆",
                "parent_code": "PARENT",
                "township": "青溪街道",
            },
            {"venue_code": "PARENT", "name": "父", "type": "文化馆", "township": "青溪街道"},
        ],
    )
    assert report.accepted
    assert table_rows(session, Venue, ["code", "parent_id"]) == [["CHILD", 2], ["PARENT", None]]
    # importing the same file again changes nothing
    assert run(
        session,
        "venues",
        [
            {
                "venue_code": "CHILD",
                "name": "子",
                "type": "文化馆分馆",
                "parent_code": "PARENT",
                "township": "青溪街道",
            },
            {"venue_code": "PARENT", "name": "父", "type": "文化馆", "township": "青溪街道"},
        ],
    ).no_change


GOOD_ROWS = {
    "monthly": (
        [{"month": "2026年10月", "venue_code": "WHG", "visits": "１２，３４５", "reading_events": "3", "note": "好"}],
        MonthlyReport,
        ["month", "venue_id", "visits", "loans", "reading_events", "note"],
        [[dt.date(2026, 10, 1), 1, 12345, None, 3, "好"]],
    ),
    "subsidies": (
        [
            {
                "year": "2026",
                "source": "中央",
                "programme": "免费开放",
                "venue_code": "ZHAN-1",
                "allocated": "12.3456",
                "disbursed": "10",
                "spent": "",
                "doc_no": "青文旅〔2026〕1号",
            }
        ],
        Subsidy,
        ["year", "source", "programme", "venue_id", "allocated", "disbursed", "spent", "doc_no"],
        [[2026, "中央", "免费开放", 3, 12.3456, 10.0, None, "青文旅〔2026〕1号"]],
    ),
    "demo_sites": (
        [
            {
                "venue_code": "ZHAN-2",
                "batch_year": "2024",
                "level": "市级",
                "stage": "已验收",
                "has_library_room": "是",
                "has_e_reading_room": "否",
                "stage_date": "2025/6/1",
            }
        ],
        DemoSite,
        ["venue_id", "batch_year", "stage", "has_library_room", "has_e_reading_room", "has_multi_room", "stage_date"],
        [[4, 2024, "已验收", True, False, None, dt.date(2025, 6, 1)]],
    ),
    "activity_plans": (
        [{"year": "2026", "venue_code": "WHG", "category": "文艺演出", "planned": "24"}],
        ActivityPlan,
        ["year", "venue_id", "category", "planned"],
        [[2026, 1, "文艺演出", 24]],
    ),
    "inspections": (
        [
            {
                "date": "2026-09-15",
                "venue_code": "ZHAN-2",
                "method": "暗访",
                "issue": "不开门",
                "status": "正在整改",
                "due": "2026-10-31",
                "note": "周末未开放",
            }
        ],
        Inspection,
        ["date", "venue_id", "method", "issue", "status", "due"],
        [[dt.date(2026, 9, 15), 4, "暗访", "不开门", "正在整改", dt.date(2026, 10, 31)]],
    ),
    "circulation": (
        [{"date": "2026-09-01", "round_no": "3", "from_venue": "TSG", "to_venue": "FG-2", "volumes": "500"}],
        Circulation,
        ["date", "round_no", "from_venue_id", "to_venue_id", "volumes"],
        [[dt.date(2026, 9, 1), 3, 2, 5, 500]],
    ),
    "art_school": (
        [
            {
                "term": "2026-autumn",
                "venue_code": "WHG",
                "subject": "声乐",
                "classes": "4",
                "places": "100",
                "applicants": "150",
                "enrolled": "98",
            }
        ],
        ArtSchoolTerm,
        ["term", "year", "venue_id", "subject", "enrolled"],
        [["2026秋", 2026, 1, "声乐", 98]],
    ),
    "tasks": (
        [
            {
                "task_code": "T1",
                "year": "2026",
                "section": "体系建设",
                "title": "办活动",
                "lead_unit": "文化馆",
                "target": "200",
                "unit": "场",
                "actual": "200",
                "deadline": "2026-12-31",
                "as_of": "2026-10-20",
            }
        ],
        Task,
        ["task_code", "year", "target", "actual", "status", "as_of"],
        [["T1", 2026, 200.0, 200.0, "已完成", dt.date(2026, 10, 20)]],
    ),
}


@pytest.mark.parametrize("kind", list(GOOD_ROWS))
def test_good_file_of_each_kind_is_stored(session, kind):
    seed_registry(session)
    rows, model, columns, expected = GOOD_ROWS[kind]
    report = run(session, kind, rows)
    assert report.accepted, report.text()
    assert (report.kind, report.inserted, report.replaced, report.unchanged) == (kind, 1, 0, 0)
    assert table_rows(session, model, columns) == expected


BAD_ROWS = {
    "townships": (
        [{"code": "51019900", "name": "甲", "kind": "区", "population": "-1"}, {"code": "510199003", "name": ""}],
        {
            (2, "区划代码", "应为 9 位或 12 位数字"),
            (2, "类型", "应为以下之一：街道 / 镇 / 乡"),
            (2, "常住人口", "不能为负数"),
            (3, "名称", "必填，不能为空"),
        },
    ),
    "villages": (
        [{"code": "510199001", "name": "甲村", "township": "不存在镇"}],
        {(2, "区划代码", "应为 12 位数字"), (2, "所属街镇", "街镇不存在（请先在「行政区划」中导入）")},
    ),
    "venues": (
        [
            {"venue_code": "A B", "name": "甲", "type": "博物馆", "township": "青溪街道", "lon": "200", "lat": "30"},
            {"venue_code": "LOOP1", "name": "乙", "type": "文化馆", "parent_code": "LOOP2", "township": "青溪街道"},
            {
                "venue_code": "LOOP2",
                "name": "丙",
                "type": "文化馆",
                "parent_code": "LOOP1",
                "township": "青溪街道",
                "village": "新民村",
                "weekly_hours": "170",
            },
        ],
        {
            (2, "场馆编码", "应为 2–32 位字母、数字、- 或 _"),
            (2, "场馆类型", "应为以下之一：" + " / ".join(KINDS["venues"].column("type").choices)),
            (2, "经度", "坐标不在中国范围内（请检查经纬度是否填反或填错）"),
            (3, "上级场馆编码", "上级场馆关系形成循环（A 的上级是 B，B 的上级又是 A）"),
            (4, "上级场馆编码", "上级场馆关系形成循环（A 的上级是 B，B 的上级又是 A）"),
            (4, "所属村社区", "在所属街镇中找不到该村（社区）"),
            (4, "周开放时长", "不能大于 168"),
        },
    ),
    "monthly": (
        [
            {"month": "2026-10", "venue_code": "WHG", "visits": "-3"},
            {"month": "2026-10", "venue_code": "WHG", "visits": "1"},
            {"month": "2027-01", "venue_code": "NOPE", "loans": "1.5"},
            {"month": "", "venue_code": "TSG", "note": "长" * 501},
        ],
        {
            (2, "到馆人次", "不能为负数"),
            (3, "月份", "与第 2 行重复（月份、场馆编码相同）"),
            (4, "月份", "月份不能晚于本月"),
            (4, "场馆编码", "场馆编码不存在（请先在「场馆名录」中登记该场馆）"),
            (4, "借还册次", "应为整数"),
            (5, "月份", "必填，不能为空"),
            (5, "备注", "不能超过 500 个字"),
        },
    ),
    "subsidies": (
        [{"year": "1999", "source": "国家", "programme": "免费开放", "venue_code": "WHG", "allocated": ""}],
        {
            (2, "年度", "不能小于 2000"),
            (2, "资金来源", "应为以下之一：中央 / 省级 / 市级 / 区级"),
            (2, "下达金额", "必填，不能为空"),
        },
    ),
    "demo_sites": (
        [{"venue_code": "WHG", "batch_year": "2024", "stage": "完成", "has_library_room": "有的"}],
        {(2, "阶段", "应为以下之一：申报 / 建设中 / 已验收 / 已授牌"), (2, "图书室", "应为「是」或「否」")},
    ),
    "tasks": (
        [
            {
                "task_code": "T1",
                "year": "2026",
                "section": "甲",
                "title": "乙",
                "lead_unit": "",
                "target": "x",
                "as_of": "2026-12-01",
            }
        ],
        {(2, "责任单位", "必填，不能为空"), (2, "目标值", "不是有效的数字"), (2, "更新日期", "更新日期不能晚于今天")},
    ),
    "activity_plans": (
        [{"year": "2026", "venue_code": "WHG", "category": "体育", "planned": "3"}],
        {(2, "活动类别", "应为以下之一：读书看报 / 文化鉴赏及展览 / 公众教育 / 文艺演出")},
    ),
    "inspections": (
        [{"date": "2026-02-30", "venue_code": "WHG", "issue": "不开门", "status": "已整改"}],
        {
            (2, "督查日期", "不是有效的日期（应为 2026-10-05 或 2026年10月5日）"),
            (2, "整改状态", "应为以下之一：未启动整改 / 正在整改 / 已完成整改"),
        },
    ),
    "circulation": (
        [{"date": "2026-09-01", "round_no": "0", "from_venue": "TSG", "to_venue": "TSG", "volumes": "0"}],
        {(2, "轮次", "不能小于 1"), (2, "调入场馆编码", "调入场馆不能与调出场馆相同"), (2, "册数", "不能小于 1")},
    ),
    "art_school": (
        [{"term": "2026冬", "venue_code": "WHG", "subject": "声乐"}],
        {(2, "学期", "不是有效的学期（应为 2026春、2026秋 或 2026暑期）")},
    ),
}


@pytest.mark.parametrize("kind", list(BAD_ROWS))
def test_bad_file_of_each_kind_lists_every_error_and_writes_nothing(session, kind):
    seed_registry(session)
    before = snapshot(session)
    rows, expected = BAD_ROWS[kind]
    report = run(session, kind, rows)
    errors = report.issues[report.issues["level"] == "error"]
    assert set(zip(errors["row"], errors["column"], errors["message"], strict=True)) == expected
    assert len(errors) == len(expected)
    assert not report.accepted and report.batch_id is None
    assert snapshot(session) == before


def test_error_text_names_row_header_value_and_reason(session):
    seed_registry(session)
    report = run(
        session,
        "monthly",
        [{"month": "2026-10", "venue_code": "WHG"}] * 0
        + [
            {"month": "2026-10", "venue_code": "WHG", "visits": "1"},
            {"month": "2026-09", "venue_code": "WHG", "visits": "2"},
            {"month": "2026-08", "venue_code": "WHG", "visits": "-3"},
        ],
    )
    assert report.issue_lines("error") == ['第 4 行「到馆人次」值 "-3"：不能为负数']


def test_headers_by_english_alias_in_any_order_and_case(session):
    seed_registry(session)
    data = b"  VISITS ,Venue_Code,month\r\n5,WHG,2026-10\r\n"
    report = import_file(session, data, "m.csv", today=TODAY)
    assert (report.kind, report.inserted) == ("monthly", 1)


def test_unknown_column_is_a_warning(session):
    seed_registry(session)
    data = "月份,场馆编码,到馆人次,负责人\r\n2026-10,WHG,5,张三\r\n".encode()
    report = import_file(session, data, "m.csv", today=TODAY)
    assert report.accepted
    assert report.issue_lines("warning") == ["「负责人」：未知的列，已忽略"]


def test_gbk_xlsx_and_csv_give_the_same_rows(session):
    seed_registry(session)
    header = ["月份", "场馆编码", "到馆人次", "备注"]
    xlsx = xlsx_bytes(header, [[dt.datetime(2026, 9, 1), "WHG", 7, "文化站"]])
    assert import_file(session, xlsx, "m.xlsx", today=TODAY).inserted == 1
    gbk = "月份,场馆编码,到馆人次,备注\r\n2026年9月,WHG,7,文化站\r\n".encode("gbk")
    assert import_file(session, gbk, "m.csv", today=TODAY).no_change


def test_reupload_replaces_and_identical_reupload_changes_nothing(session):
    seed_registry(session)
    rows = [
        {"month": "2026-10", "venue_code": "WHG", "visits": "10"},
        {"month": "2026-10", "venue_code": "TSG", "visits": "20"},
    ]
    first = run(session, "monthly", rows)
    again = run(session, "monthly", rows)
    assert (again.no_change, again.same_file_batch, again.batch_id) == (True, first.batch_id, None)
    changed = run(
        session,
        "monthly",
        [{**rows[0], "visits": "11"}, rows[1], {"month": "2026-09", "venue_code": "WHG", "visits": "9"}],
    )
    assert (changed.inserted, changed.replaced, changed.unchanged) == (1, 1, 1)
    assert table_rows(session, MonthlyReport, ["venue_id", "visits", "batch_id"]) == [
        [1, 11, changed.batch_id],
        [2, 20, first.batch_id],
        [1, 9, changed.batch_id],
    ]


def test_undo_restores_exactly_the_replaced_rows(session):
    seed_registry(session)
    run(session, "monthly", [{"month": "2026-10", "venue_code": "WHG", "visits": "10", "note": "原"}])
    before = snapshot(session)
    second = run(
        session,
        "monthly",
        [
            {"month": "2026-10", "venue_code": "WHG", "visits": "99"},
            {"month": "2026-09", "venue_code": "TSG", "visits": "5"},
        ],
    )
    undo = undo_batch(session, second.batch_id, username="tester")
    after = snapshot(session)
    for table in before:
        if table not in ("upload_batch", "batch_replaced_row"):
            assert after[table] == before[table], table
    assert (undo.status, undo.undo_of) == ("undo", second.batch_id)
    with pytest.raises(UndoRefused, match="已撤销"):
        undo_batch(session, second.batch_id, username="tester")


def test_undo_refuses_when_a_later_batch_changed_its_rows(session):
    seed_registry(session)
    first = run(session, "monthly", [{"month": "2026-10", "venue_code": "WHG", "visits": "10"}])
    second = run(session, "monthly", [{"month": "2026-10", "venue_code": "WHG", "visits": "12"}])
    with pytest.raises(UndoRefused, match=f"第 {second.batch_id} 批次"):
        undo_batch(session, first.batch_id, username="tester")
    undo_batch(session, second.batch_id, username="tester")
    undo_batch(session, first.batch_id, username="tester")
    assert table_rows(session, MonthlyReport, ["visits"]) == []


def test_task_uploads_build_progress_history_and_derive_status(session):
    base = {
        "task_code": "T1",
        "year": "2026",
        "section": "甲",
        "title": "乙",
        "lead_unit": "丙",
        "target": "100",
        "deadline": "2026-12-31",
    }
    run(session, "tasks", [{**base, "actual": "10", "as_of": "2026-06-20"}])
    run(session, "tasks", [{**base, "actual": "80", "as_of": "2026-10-20"}])
    assert table_rows(session, TaskProgress, ["as_of", "actual", "status"]) == [
        [dt.date(2026, 6, 20), 10.0, "滞后"],
        [dt.date(2026, 10, 20), 80.0, "序时推进"],
    ]
    assert table_rows(session, Task, ["actual", "status"]) == [[80.0, "序时推进"]]


def test_monthly_value_far_from_the_venue_median_is_a_warning(session):
    seed_registry(session)
    run(session, "monthly", [{"month": f"2026-0{m}", "venue_code": "WHG", "visits": "100"} for m in range(1, 7)])
    report = run(
        session,
        "monthly",
        [
            {"month": "2026-07", "venue_code": "WHG", "visits": "900"},
            {"month": "2026-08", "venue_code": "WHG", "visits": "10"},
        ],
    )
    assert report.accepted
    assert report.issue_lines("warning") == [
        '第 2 行「到馆人次」值 "900"：是该场馆近期中位数（100）的 9 倍，请核实',
        '第 3 行「到馆人次」值 "10"：不到该场馆近期中位数（100）的 1/5，请核实',
    ]


def test_subsidy_overspend_is_a_warning_not_an_error(session):
    seed_registry(session)
    report = run(
        session,
        "subsidies",
        [
            {
                "year": "2026",
                "source": "区级",
                "programme": "其他",
                "venue_code": "WHG",
                "allocated": "10",
                "disbursed": "12",
                "spent": "13",
            }
        ],
    )
    assert report.accepted
    assert report.issue_lines("warning") == [
        '第 2 行「已拨付」值 "12"：已拨付大于下达金额',
        '第 2 行「已支出」值 "13"：已支出大于已拨付',
    ]


def test_local_staff_may_only_write_their_own_township(session):
    seed_registry(session)
    actor = Actor("zhen", "local_staff", township_codes=frozenset({"510199002"}))
    before = snapshot(session)
    report = run(
        session,
        "monthly",
        [
            {"month": "2026-10", "venue_code": "ZHAN-2", "visits": "1"},
            {"month": "2026-10", "venue_code": "WHG", "visits": "1"},
        ],
        actor=actor,
    )
    assert report.issue_lines("error") == [
        '第 3 行「场馆编码」值 "WHG"：不在您的报送范围内（只能上传本街镇或本场馆的数据）'
    ]
    assert snapshot(session) == before
    refused = run(session, "venues", [], actor=actor)
    assert refused.file_error is not None or not refused.accepted


@pytest.mark.parametrize(
    ("headers", "kind"),
    [
        (["区划代码", "名称", "类型", "常住人口"], "townships"),
        (["区划代码", "名称", "所属街镇"], "villages"),
        (["月份", "场馆编码", "到馆人次"], "monthly"),
        (["year", "source", "programme", "venue_code", "allocated"], "subsidies"),
        (["流转日期", "调出场馆编码", "调入场馆编码", "册数"], "circulation"),
    ],
)
def test_kind_is_recognised_from_headers(headers, kind):
    assert detect_kind(headers)[0].name == kind


def test_unrecognised_headers_are_refused_with_the_headers_named(session):
    report = import_file(session, "姓名,电话\r\n张三,1\r\n".encode(), "x.csv", today=TODAY)
    assert report.file_error.startswith("无法识别文件类型")
    assert "姓名、电话" in report.file_error
