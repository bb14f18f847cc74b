"""import_file: read → validate → write, in one transaction. The CLI, the demo loader and the web page call it."""

import datetime as dt
import hashlib
import json
from collections.abc import Callable

import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session

from culture_dash.ingest import validate
from culture_dash.ingest.kinds import KINDS, Kind, detect_kind
from culture_dash.ingest.locking import DatabaseBusy, lock_for_writing
from culture_dash.ingest.reading import FileRejected, RawTable, read_upload
from culture_dash.ingest.report import ImportReport, IssueLog
from culture_dash.ingest.write import diff_rows, save_replaced, upsert_rows
from culture_dash.permissions import OPERATOR, Actor, may_upload
from models import Township, UploadBatch, Venue
from models.tables import TaskProgress

PREVIEW_ROWS = 50

# progress(stage, fraction): stages "read", "validate", "compare", "write", "done"; fraction 0–1.
Progress = Callable[[str, float], None]


def _no_progress(stage: str, fraction: float) -> None:
    pass


def import_file(
    session: Session,
    data: bytes,
    file_name: str,
    *,
    kind: str | None = None,
    actor: Actor = OPERATOR,
    dry_run: bool = False,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Validate a file and, unless it has errors or `dry_run`, write it as one batch (commits the session)."""
    today = today or dt.date.today()
    progress = progress or _no_progress
    report = ImportReport(file_name=file_name, sha256=hashlib.sha256(data).hexdigest(), dry_run=dry_run)
    try:
        raw = read_upload(data, file_name)
    except FileRejected as exc:
        report.file_error = str(exc)
        return report
    report.encoding = raw.encoding
    report.rows = len(raw.cells)
    report.preview = _preview(raw)
    report.sheet = raw
    progress("read", 0.2)
    spec = _choose_kind(raw, kind, report)
    if spec is None:
        return report
    report.kind, report.kind_label = spec.name, spec.label
    if not may_upload(actor.role, spec.name):
        report.file_error = f"您的角色不能上传「{spec.label}」。"
        return report

    parsed = validate_rows(session, raw, spec, actor=actor, today=today)
    report.issues = parsed.issues.frame()
    progress("validate", 0.5)
    if not report.accepted:
        session.rollback()
        progress("done", 1.0)
        return report
    try:
        _write(session, parsed, report, actor=actor, now=now or dt.datetime.now(dt.UTC), on_progress=progress)
    except DatabaseBusy as exc:
        report.file_error = str(exc)
        return report
    except Exception:
        session.rollback()
        raise
    progress("done", 1.0)
    return report


def _preview(raw: RawTable) -> pd.DataFrame:
    head = raw.cells.head(PREVIEW_ROWS).copy()
    head.columns = [h or f"（第{i + 1}列）" for i, h in enumerate(raw.headers)]
    head.insert(0, "行号", raw.row_numbers.head(PREVIEW_ROWS).to_numpy())
    return head


def _choose_kind(raw: RawTable, kind: str | None, report: ImportReport) -> Kind | None:
    if kind is not None:
        if kind not in KINDS:
            report.file_error = f"未知的文件类型「{kind}」。可选：{'、'.join(KINDS)}"
            return None
        return KINDS[kind]
    spec, candidates = detect_kind(raw.headers)
    if spec is not None:
        return spec
    if candidates:
        names = "、".join(f"「{c.label}」" for c in candidates)
        report.file_error = f"无法确定文件类型：表头同时符合{names}。请指定文件类型。"
    else:
        report.file_error = (
            "无法识别文件类型：表头不符合任何一种上传格式（缺少必填列）。"
            f"文件的表头是：{'、'.join(h for h in raw.headers if h)}。请下载模板对照修改。"
        )
    return None


def validate_rows(session: Session, raw: RawTable, spec: Kind, *, actor: Actor, today: dt.date):
    """Every rule of the contract for one file; returns the parsed frame and its issues."""
    issues = IssueLog()
    parsed = validate.parse_cells(raw, spec, issues)
    refs = validate.References(session)
    validate.resolve_venues(parsed, refs, actor)
    match spec.name:
        case "villages":
            validate.check_villages(parsed, refs)
        case "venues":
            validate.check_venues(parsed, refs)
        case "monthly":
            validate.check_monthly(parsed, refs, today)
        case "subsidies":
            validate.check_subsidies(parsed)
        case "circulation":
            validate.check_circulation(parsed)
        case "art_school":
            validate.check_art_school(parsed)
        case "tasks":
            validate.check_tasks(parsed, today)
    validate.check_duplicate_keys(parsed)
    return parsed


def _write(
    session: Session, parsed: validate.Parsed, report: ImportReport, *, actor: Actor, now, on_progress: Progress
) -> None:
    if not report.dry_run:
        lock_for_writing(session)  # the comparison below must see what any other upload wrote before us
    conn = session.connection()
    spec = parsed.kind
    table = spec.model.__table__
    frame = parsed.values[[c for c in parsed.values.columns if c in table.c]]
    fix_parents = None
    if spec.name == "venues" and "parent_id" in frame:
        new_parent = frame["parent_id"] == validate.NEW_PARENT
        fix_parents = dict(
            zip(
                frame.loc[new_parent.fillna(False), "code"],
                parsed.raw["parent_code"][new_parent.fillna(False)],
                strict=True,
            )
        )
    diff = diff_rows(conn, table, frame, spec.key)
    writes = diff.new | diff.changed
    report.inserted, report.replaced, report.unchanged = (
        int(diff.new.sum()),
        int(diff.changed.sum()),
        diff.unchanged,
    )
    report.same_file_batch = session.execute(
        sa.select(sa.func.max(UploadBatch.id)).where(
            UploadBatch.sha256 == report.sha256, UploadBatch.status == "committed"
        )
    ).scalar()
    report.by_month, report.by_township = _breakdown(session, frame, diff)

    extra_plans = []
    if "task_progress" in parsed.extra:
        progress = parsed.extra["task_progress"]
        progress_table = TaskProgress.__table__
        extra_plans.append(
            (
                progress_table,
                progress,
                diff_rows(conn, progress_table, progress, ("year", "task_code", "as_of")),
            )
        )
    extra_writes = sum(int((d.new | d.changed).sum()) for _, _, d in extra_plans)
    on_progress("compare", 0.7)
    if report.dry_run or (not writes.any() and extra_writes == 0):
        session.rollback()
        return

    batch = UploadBatch(
        created_at=now,
        username=actor.username,
        file_name=report.file_name[:256],
        sha256=report.sha256,
        kind=spec.name,
        rows_inserted=report.inserted,
        rows_replaced=report.replaced,
        rows_unchanged=report.unchanged,
        warnings=report.warning_count,
        report=json.dumps(
            {
                "encoding": report.encoding,
                "rows": report.rows,
                "warnings": report.issue_lines("warning")[:1000],
                "by_month": report.by_month,
                "by_township": report.by_township,
            },
            ensure_ascii=False,
        ),
    )
    session.add(batch)
    session.flush()
    report.batch_id = batch.id

    for target, rows, plan in [(table, frame, diff), *extra_plans]:
        written = rows[plan.new | plan.changed].assign(batch_id=batch.id)
        if target is table and fix_parents:
            written["parent_id"] = written["parent_id"].mask(written["parent_id"] == validate.NEW_PARENT)
        key = spec.key if target is table else ("year", "task_code", "as_of")
        save_replaced(conn, batch.id, target, plan.old_rows)
        on_progress("write", 0.8)
        # Rows the diff found new are plain inserts (SQLite's ON CONFLICT costs ~70 % more on a big file);
        # a concurrent upload of the same keys then fails the unique constraint and the transaction rolls back.
        upsert_rows(conn, target, written[plan.new[written.index]], key, replace=False)
        upsert_rows(conn, target, written[plan.changed[written.index]], key)
    if fix_parents:
        ids = dict(conn.execute(sa.select(Venue.code, Venue.id).where(Venue.code.in_(set(fix_parents.values())))).all())
        conn.execute(
            sa.update(Venue.__table__)
            .where(Venue.__table__.c.code == sa.bindparam("_code"))
            .values(parent_id=sa.bindparam("_parent")),
            [{"_code": code, "_parent": ids[parent]} for code, parent in fix_parents.items()],
        )
    session.commit()


def _breakdown(session: Session, frame: pd.DataFrame, diff) -> tuple[list[dict], list[dict]]:
    """Rows inserted / replaced / unchanged per month and per township, for the report."""
    status = pd.Series("unchanged", index=frame.index)
    status[diff.new] = "inserted"
    status[diff.changed] = "replaced"

    def count(by: pd.Series) -> list[dict]:
        table = pd.crosstab(by, status).rename(index=str)
        for column in ("inserted", "replaced", "unchanged"):
            if column not in table:
                table[column] = 0
        table = table[["inserted", "replaced", "unchanged"]].reset_index()
        table.columns = ["key", "inserted", "replaced", "unchanged"]
        return [
            {k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()} for row in table.to_dict("records")
        ]

    by_month = []
    if "month" in frame:
        by_month = [{**row, "key": row["key"][:7]} for row in count(frame["month"])]
    by_township = []
    if "venue_id" in frame:
        venue_town = dict(
            session.execute(sa.select(Venue.id, Township.name).join(Township, Township.id == Venue.township_id)).all()
        )
        by_township = count(frame["venue_id"].map(pd.Series(venue_town, dtype=object)).fillna("（未知）"))
    elif "township_id" in frame:
        names = dict(session.execute(sa.select(Township.id, Township.name)).all())
        by_township = count(frame["township_id"].map(names).fillna("（未知）"))
    return by_month, by_township
