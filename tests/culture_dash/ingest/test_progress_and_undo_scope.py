"""What the upload pages need from the pipeline: progress stages, the parsed sheet, and who may undo a batch."""

import pytest

from culture_dash.ingest.pipeline import import_file
from culture_dash.ingest.write import UndoRefused, undo_batch, undo_refusal
from culture_dash.permissions import Actor
from models import MonthlyReport, UploadBatch
from tests.factories import TODAY, csv_bytes, seed_registry, table_rows

ROWS = [{"month": "2026-10", "venue_code": "WHG", "visits": "100"}]


def test_a_commit_reports_every_stage_in_order(session):
    seed_registry(session)
    stages = []
    report = import_file(
        session, csv_bytes("monthly", ROWS), "m.csv", today=TODAY, progress=lambda s, f: stages.append((s, f))
    )
    assert report.batch_id is not None
    assert stages == [("read", 0.2), ("validate", 0.5), ("compare", 0.7), ("write", 0.8), ("done", 1.0)]


@pytest.mark.parametrize(
    ("rows", "dry_run", "expected"),
    [
        (ROWS, True, [("read", 0.2), ("validate", 0.5), ("compare", 0.7), ("done", 1.0)]),
        ([{**ROWS[0], "visits": "-1"}], False, [("read", 0.2), ("validate", 0.5), ("done", 1.0)]),
    ],
    ids=["dry-run", "rejected"],
)
def test_a_dry_run_or_a_rejected_file_never_reaches_the_write_stage(session, rows, dry_run, expected):
    seed_registry(session)
    stages = []
    record = lambda stage, fraction: stages.append((stage, fraction))  # noqa: E731
    import_file(session, csv_bytes("monthly", rows), "m.csv", today=TODAY, dry_run=dry_run, progress=record)
    assert stages == expected


def test_the_report_keeps_the_whole_parsed_sheet(session):
    seed_registry(session)
    rows = [{"month": "2026-10", "venue_code": code, "visits": str(n)} for n, code in enumerate(["WHG", "TSG"] * 40)]
    report = import_file(session, csv_bytes("monthly", rows), "m.csv", today=TODAY, dry_run=True)
    assert len(report.preview) == 50
    assert len(report.sheet.cells) == 80
    assert report.sheet.row_numbers.tolist() == list(range(2, 82))


LOCAL = Actor("zhan1", "local_staff", township_codes=frozenset({"510199001"}))
OTHER_LOCAL = Actor("zhan1b", "local_staff", township_codes=frozenset({"510199001"}))
STAFF = Actor("keshi", "staff")


@pytest.mark.parametrize(
    ("kind", "uploader", "actor", "reason"),
    [
        ("monthly", LOCAL, LOCAL, None),
        ("monthly", LOCAL, STAFF, None),
        ("monthly", LOCAL, OTHER_LOCAL, "只能撤销您本人上传的批次（第 1 批次由 zhan1 上传）。"),
        ("venues", STAFF, STAFF, "您的角色不能撤销「场馆名录」的上传。"),
        ("monthly", STAFF, Actor("boss", "leader"), "您的角色不能撤销「月度报表」的上传。"),
        ("boundaries", Actor("admin", "admin"), STAFF, "您的角色不能撤销「街镇边界」的上传。"),
        ("boundaries", Actor("admin", "admin"), Actor("admin2", "admin"), None),
    ],
)
def test_who_may_undo_a_batch(kind, uploader, actor, reason):
    batch = UploadBatch(id=1, kind=kind, username=uploader.username, file_name="f", sha256="0", created_at=TODAY)
    assert undo_refusal(actor, batch) == reason


def test_undo_by_a_user_who_may_not_refuses_and_changes_nothing(session):
    seed_registry(session)
    report = import_file(session, csv_bytes("monthly", ROWS), "m.csv", today=TODAY, actor=LOCAL)
    with pytest.raises(UndoRefused, match="只能撤销您本人上传的批次"):
        undo_batch(session, report.batch_id, username=OTHER_LOCAL.username, actor=OTHER_LOCAL)
    assert table_rows(session, MonthlyReport, ["visits", "batch_id"]) == [[100, report.batch_id]]
    assert session.get(UploadBatch, report.batch_id).status == "committed"
    undo = undo_batch(session, report.batch_id, username=LOCAL.username, actor=LOCAL)
    assert (undo.status, undo.undo_of, undo.username) == ("undo", report.batch_id, "zhan1")
    assert table_rows(session, MonthlyReport, ["visits"]) == []
