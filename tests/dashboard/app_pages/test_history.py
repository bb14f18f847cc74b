"""上传记录 against a copy of the demo database: the list, one batch, and undo, compared with the database."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from culture_dash.ingest.pipeline import import_file
from culture_dash.ingest.write import undo_batch
from culture_dash.permissions import Actor
from dashboard.i18n import catalog
from models import MonthlyReport, UploadBatch
from tests.factories import csv_bytes, snapshot

STAFF = Actor("staff", "staff")
ZH = catalog("zh-CN")


def commit(session, rows: list[dict], name: str, actor: Actor = STAFF) -> int:
    report = import_file(session, csv_bytes("monthly", rows), name, actor=actor)
    assert report.batch_id, report.text()
    return report.batch_id


def october(session, count: int) -> list[tuple[str, int]]:
    return session.execute(
        sa.text(
            "SELECT v.code, m.visits FROM monthly_report m JOIN venue v ON v.id = m.venue_id"
            " WHERE m.month = '2026-10-01' AND m.visits > 0 ORDER BY v.code LIMIT :count"
        ),
        {"count": count},
    ).all()


def beijing(stored) -> str:
    moment = stored if isinstance(stored, dt.datetime) else dt.datetime.fromisoformat(stored)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M")


def button(at, label: str):
    return next(b for b in at.button if b.label == label)


@pytest.fixture
def changed(demo_session):
    """Batch A: two October rows changed (visits + 1) and one November row inserted, by staff."""
    (code_1, visits_1), (code_2, visits_2) = october(demo_session, 2)
    rows = [
        {"month": "2026-10", "venue_code": code_1, "visits": str(visits_1 + 1)},
        {"month": "2026-10", "venue_code": code_2, "visits": str(visits_2 + 1)},
        {"month": "2026-11", "venue_code": code_1, "visits": str(visits_1)},
    ]
    before = {code_1: visits_1, code_2: visits_2}
    return commit(demo_session, rows, "十月更正.csv"), before


def visits(session, month: str) -> dict[str, int]:
    rows = session.execute(
        sa.text(
            "SELECT v.code, m.visits FROM monthly_report m JOIN venue v ON v.id = m.venue_id WHERE m.month = :month"
        ),
        {"month": f"{month}-01"},
    ).all()
    return dict(rows)


def test_the_list_shows_every_batch_newest_first_in_beijing_time(app_as, demo_session, changed):
    at = app_as("staff", "history")
    listed = at.dataframe[0].value
    assert list(listed.columns) == [
        "批次",
        "时间（北京时间）",
        "上传人",
        "文件名",
        "类型",
        "SHA-256",
        "新增/替换/未变",
        "状态",
    ]
    stored = demo_session.execute(
        sa.text(
            "SELECT id, created_at, username, file_name, kind, sha256, rows_inserted, rows_replaced, rows_unchanged"
            " FROM upload_batch ORDER BY id DESC"
        )
    ).all()
    assert listed.values.tolist() == [
        [id_, beijing(created), user, name, ZH[f"upload.kind_{kind}"], sha[:8], f"{ins}/{rep}/{same}", "已导入"]
        for id_, created, user, name, kind, sha, ins, rep, same in stored
    ]
    assert listed.iloc[0][["上传人", "文件名", "类型"]].tolist() == ["staff", "十月更正.csv", "月度报表"]


def test_the_list_narrows_to_one_kind_and_one_user_and_says_when_it_is_cut_short(
    app_as, demo_session, changed, monkeypatch
):
    from dashboard import data_upload

    at = app_as("staff", "history")
    at.selectbox(key="history_kind").set_value("venues").run()
    ids = [r[0] for r in demo_session.execute(sa.text("SELECT id FROM upload_batch WHERE kind = 'venues'")).all()]
    listed = at.dataframe[0].value
    assert sorted(listed["批次"]) == sorted(ids) and set(listed["类型"]) == {"场馆名录"}
    at.selectbox(key="history_kind").set_value(None).run()
    at.selectbox(key="history_user").set_value("staff").run()
    (staff_id,) = [r[0] for r in demo_session.execute(sa.text("SELECT id FROM upload_batch WHERE username = 'staff'"))]
    assert at.dataframe[0].value["批次"].tolist() == [staff_id] == [changed[0]]
    assert not any("只列出" in c.value for c in at.caption)

    monkeypatch.setattr(data_upload, "BATCHES_SHOWN", 3)
    at = app_as("staff", "history")
    newest = [r[0] for r in demo_session.execute(sa.text("SELECT id FROM upload_batch ORDER BY id DESC LIMIT 3"))]
    assert at.dataframe[0].value["批次"].tolist() == newest
    assert any("只列出符合条件的最近 3 个批次" in c.value for c in at.caption)


def test_opening_a_batch_shows_its_counts_hash_and_rows(app_as, demo_session, changed):
    batch_id, _ = changed
    at = app_as("staff", "history")
    assert at.selectbox(key="history_batch").value == batch_id
    batch = demo_session.get(UploadBatch, batch_id)
    assert at.subheader[0].value == f"第 {batch_id} 批次：十月更正.csv"
    assert {m.label: m.value for m in at.metric} == {"新增": "1", "替换": "2", "未变": "0", "警告": "0"}
    assert f"文件 SHA-256：{batch.sha256}" in [c.value for c in at.caption]
    rows = next(d.value for d in at.dataframe if "场馆编码" in d.value.columns)
    stored = demo_session.execute(
        sa.text(
            "SELECT substr(m.month, 1, 7), v.code, v.name, m.visits FROM monthly_report m"
            " JOIN venue v ON v.id = m.venue_id WHERE m.batch_id = :batch ORDER BY m.id"
        ),
        {"batch": batch_id},
    ).all()
    assert rows[["月份", "场馆编码", "场馆名称", "到馆人次"]].values.tolist() == [list(r) for r in stored]
    by_month = next(d.value for d in at.dataframe if "月份" in d.value.columns and "新增" in d.value.columns)
    assert by_month.values.tolist() == [["合计", 1, 2, 0], ["2026年10月", 0, 2, 0], ["2026年11月", 1, 0, 0]]


def test_undo_asks_first_then_restores_the_replaced_rows_and_is_recorded(app_as, demo_session, changed):
    batch_id, before = changed
    at = app_as("staff", "history")
    button(at, "撤销此批次").click().run()
    assert [w.value for w in at.warning] == [
        f"确定撤销第 {batch_id} 批次（十月更正.csv）吗？将删除它新增的 1 行，并把它替换的 2 行恢复为上传前的值。"
    ]
    demo_session.expire_all()
    assert demo_session.get(UploadBatch, batch_id).status == "committed"  # nothing happens before the confirmation
    button(at, "确认撤销").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == [f"已撤销第 {batch_id} 批次（记录为第 {batch_id + 1} 批次）。"]
    demo_session.expire_all()
    october_now = visits(demo_session, "2026-10")
    assert {code: october_now[code] for code in before} == before
    assert visits(demo_session, "2026-11") == {}
    undo = demo_session.get(UploadBatch, batch_id + 1)
    assert (undo.status, undo.undo_of, undo.username) == ("undo", batch_id, "staff")
    listed = at.dataframe[0].value
    assert listed.iloc[:2][["批次", "状态"]].values.tolist() == [
        [batch_id + 1, f"撤销第{batch_id}批"],
        [batch_id, "已撤销"],
    ]


def test_cancel_leaves_the_batch_alone(app_as, demo_session, changed):
    batch_id, _ = changed
    at = app_as("staff", "history")
    button(at, "撤销此批次").click().run()
    button(at, "取消").click().run()
    assert at.warning == []
    assert [b.label for b in at.button if b.label == "撤销此批次"] == ["撤销此批次"]
    demo_session.expire_all()
    assert demo_session.get(UploadBatch, batch_id).status == "committed"


def test_an_undo_that_would_overwrite_a_later_batch_refuses_and_names_it(app_as, demo_session, changed):
    first, _ = changed
    (code, visits_now), _ = october(demo_session, 2)
    later = commit(demo_session, [{"month": "2026-10", "venue_code": code, "visits": str(visits_now + 5)}], "再改.csv")
    before = snapshot(demo_session)
    at = app_as("staff", "history")
    at.selectbox(key="history_batch").set_value(first).run()
    assert f"其中部分数据之后被修改：第 {later} 批次改了 1 行。" in [c.value for c in at.caption]
    button(at, "撤销此批次").click().run()
    button(at, "确认撤销").click().run()
    assert [e.value for e in at.error] == [
        f"不能撤销第 {first} 批次：第 {later} 批次之后又修改了它写入的数据。请先撤销第 {later} 批次。"
    ]
    demo_session.expire_all()
    assert snapshot(demo_session) == before


def test_a_township_user_sees_why_they_cannot_undo_someone_elses_batch(app_as, demo_session, changed):
    batch_id, _ = changed
    at = app_as("township", "history")
    assert at.selectbox(key="history_batch").value == batch_id
    assert f"不能撤销：只能撤销您本人上传的批次（第 {batch_id} 批次由 staff 上传）。" in [c.value for c in at.caption]
    assert [b.label for b in at.button if b.label == "撤销此批次"] == []


def test_an_undone_batch_and_its_undo_say_what_happened(app_as, demo_session, changed):
    batch_id, _ = changed
    undo = undo_batch(demo_session, batch_id, username="staff")
    at = app_as("staff", "history")
    assert [i.value for i in at.info] == [f"这是对第 {batch_id} 批次的撤销：删除了它新增的 1 行，恢复了它替换的 2 行。"]
    at.selectbox(key="history_batch").set_value(batch_id).run()
    assert [i.value for i in at.info] == [f"此批次已被撤销（记录为第 {undo.id} 批次）。"]
    assert [b.label for b in at.button if b.label == "撤销此批次"] == []
    demo_session.expire_all()
    assert demo_session.execute(sa.select(sa.func.count()).where(MonthlyReport.batch_id == batch_id)).scalar() == 0
