"""Township boundary files → the township table, for the offline map.

parse → validate → convert to WGS-84 → match to the township registry → rewind → simplify → store, in one
transaction recorded as an upload batch of kind "boundaries" (so the history lists it and undo restores the
previous outlines). A file that cannot be used writes nothing and says why in Chinese.
"""

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field

import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session

from culture_dash import geo
from culture_dash.ingest.locking import DatabaseBusy, lock_for_writing
from culture_dash.ingest.write import save_replaced
from culture_dash.permissions import OPERATOR, Actor
from models import Township, UploadBatch

KIND = "boundaries"
KIND_LABEL = "街镇边界"
CRS_CHOICES = ("WGS84", "GCJ02", "BD09")
# What the whole district's outlines may weigh when they reach a tablet (the issue: not 5 MB).
MAX_MAP_BYTES = 300_000


@dataclass
class BoundaryReport:
    """What a boundary import says back (the same interface as ImportReport where the callers need it)."""

    file_name: str
    sha256: str
    crs: str
    dry_run: bool = False
    file_error: str | None = None
    features: int = 0
    matched: list[dict] = field(default_factory=list)  # code, name, feature (the name in the file), method
    unmatched_features: list[str] = field(default_factory=list)
    unmatched_townships: list[dict] = field(default_factory=list)  # code, name, kept (an older outline stays)
    duplicates: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    input_bytes: int = 0
    stored_bytes: int = 0
    tolerance: float = 0.0  # simplification tolerance, degrees
    added: int = 0  # townships that had no outline
    updated: int = 0  # townships whose outline changed
    unchanged: int = 0
    batch_id: int | None = None

    @property
    def accepted(self) -> bool:
        return self.file_error is None

    @property
    def no_change(self) -> bool:
        return self.accepted and self.added == 0 and self.updated == 0

    def summary(self) -> str:
        name = f"「{self.file_name}」"
        if self.file_error:
            return f"{name}（{KIND_LABEL}）未导入：{self.file_error}"
        counts = (
            f"匹配 {len(self.matched)} 个街镇：新增边界 {self.added} 个，"
            f"更新 {self.updated} 个，未变 {self.unchanged} 个"
        )
        if self.dry_run:
            return f"{name}（{KIND_LABEL}）检查通过，{counts}。（试运行，未写入）"
        if self.no_change:
            return f"{name}（{KIND_LABEL}）与数据库中的边界完全一致，未做任何修改。"
        return f"{name}（{KIND_LABEL}）已导入为第 {self.batch_id} 批次，{counts}。"

    def text(self) -> str:
        lines = [self.summary()]
        if self.file_error:
            return "\n".join(lines)
        lines.append(
            f"坐标系：{self.crs}；文件中的区域：{self.features} 个；文件大小 {self.input_bytes / 1024:.0f} KB，"
            f"存储 {self.stored_bytes / 1024:.0f} KB"
            + (f"（已简化，容差约 {self.tolerance * 111_000:.0f} 米）" if self.tolerance else "")
        )
        if self.unmatched_townships:
            names = "、".join(f"{t['name']}（{t['code']}）" for t in self.unmatched_townships)
            lines.append(f"文件中没有以下街镇（保留原有边界或暂无边界）：{names}")
        if self.unmatched_features:
            lines.append(f"文件中以下区域对不上本区任何街镇，已忽略：{'、'.join(self.unmatched_features)}")
        if self.duplicates:
            lines.append(f"以下区域与已匹配的街镇重复，已忽略：{'、'.join(self.duplicates)}")
        if self.warnings:
            lines.append(f"警告（{len(self.warnings)}）：")
            lines.extend(f"  {w}" for w in self.warnings)
        return "\n".join(lines)


def _feature_label(feature: geo.BoundaryFeature) -> str:
    if feature.name and feature.code:
        return f"{feature.name}（{feature.code}）"
    return feature.name or feature.code or "（无名称）"


def import_boundaries(
    session: Session,
    data: bytes,
    file_name: str,
    *,
    crs: str = "WGS84",
    actor: Actor = OPERATOR,
    dry_run: bool = False,
    max_bytes: int = MAX_MAP_BYTES,
    now: dt.datetime | None = None,
) -> BoundaryReport:
    """Validate a GeoJSON boundary file and, unless it is unusable or `dry_run`, store it (commits the session)."""
    report = BoundaryReport(file_name=file_name, sha256=hashlib.sha256(data).hexdigest(), crs=crs, dry_run=dry_run)
    report.input_bytes = len(data)
    if actor.role != "admin":
        report.file_error = "只有管理员可以上传边界文件。"
        return report
    try:
        report.crs = crs = geo.normalize_crs(crs)
    except ValueError:
        report.file_error = f"未知的坐标系「{crs}」，可选：{' / '.join(CRS_CHOICES)}。"
        return report
    if not dry_run:
        try:
            lock_for_writing(session)  # the outlines compared below are the ones this import replaces
        except DatabaseBusy as exc:
            report.file_error = str(exc)
            return report
    townships = pd.DataFrame(
        session.execute(sa.select(Township.id, Township.code, Township.name, Township.boundary)).all(),
        columns=["id", "code", "name", "boundary"],
    )
    if townships.empty:
        report.file_error = "数据库中还没有街镇。请先导入「行政区划」，再上传边界文件。"
        return report
    try:
        features = geo.parse_boundary_file(data)
        report.features = len(features)
        report.warnings = [w for f in features for w in f.warnings]
        features = geo.convert_features_crs(features, crs)
        match = geo.match_townships(features, list(zip(townships["code"], townships["name"], strict=True)))
        if not match.matched:
            labels = "、".join(_feature_label(f) for f in features[:5])
            raise geo.BoundaryError(
                f"文件中的 {len(features)} 个区域（如 {labels}）都对不上本区的街镇。"
                "区域的属性中需要有街镇名称（name）或区划代码（code），与「行政区划」中的一致。"
            )
        codes = [code for code, _ in match.matched]
        simplified, report.tolerance = geo.simplify_for_browser([f for _, f in match.matched], max_bytes=max_bytes)
    except geo.BoundaryError as exc:
        report.file_error = str(exc)
        return report

    names = dict(zip(townships["code"], townships["name"], strict=True))
    collection = geo.to_feature_collection(zip(codes, simplified, strict=True), names)
    stored = {code: _dump(f["geometry"]) for code, f in zip(codes, collection["features"], strict=True)}
    report.stored_bytes = sum(len(text.encode("utf-8")) for text in stored.values())
    report.matched = [
        {"code": code, "name": names[code], "feature": _feature_label(feature), "method": match.methods[code]}
        for code, feature in match.matched
    ]
    report.unmatched_features = [_feature_label(f) for f in match.unmatched_features]
    report.duplicates = [f"{_feature_label(f)} → {names[code]}" for code, f in match.duplicates]
    has_outline = townships.set_index("code")["boundary"].notna()
    report.unmatched_townships = [
        {"code": code, "name": name, "kept": bool(has_outline[code])} for code, name in match.unmatched_townships
    ]

    current = townships.set_index("code")["boundary"]
    changed = [code for code in codes if current[code] != stored[code]]
    report.added = sum(1 for code in changed if pd.isna(current[code]))
    report.updated = len(changed) - report.added
    report.unchanged = len(codes) - len(changed)
    if dry_run or not changed:
        session.rollback()
        return report
    try:
        _write(session, report, townships[townships["code"].isin(changed)], stored, actor=actor, now=now)
    except Exception:
        session.rollback()
        raise
    return report


def _dump(geometry: dict) -> str:
    return json.dumps(geometry, ensure_ascii=False, separators=(",", ":"))


def _write(
    session: Session, report: BoundaryReport, rows: pd.DataFrame, stored: dict[str, str], *, actor: Actor, now
) -> None:
    conn = session.connection()
    table = Township.__table__
    batch = UploadBatch(
        created_at=now or dt.datetime.now(dt.UTC),
        username=actor.username,
        file_name=report.file_name[:256],
        sha256=report.sha256,
        kind=KIND,
        # Township rows are updated, never inserted: undo restores every one of them from its saved copy.
        rows_inserted=0,
        rows_replaced=len(rows),
        rows_unchanged=report.unchanged,
        warnings=len(report.warnings) + len(report.unmatched_features) + len(report.unmatched_townships),
        report=json.dumps(
            {
                "crs": report.crs,
                "matched": report.matched,
                "unmatched_features": report.unmatched_features,
                "unmatched_townships": report.unmatched_townships,
                "duplicates": report.duplicates,
                "warnings": report.warnings,
                "stored_bytes": report.stored_bytes,
                "tolerance": report.tolerance,
            },
            ensure_ascii=False,
        ),
    )
    session.add(batch)
    session.flush()
    report.batch_id = batch.id
    old_rows = pd.DataFrame(conn.execute(sa.select(table).where(table.c.id.in_(rows["id"].tolist()))).mappings().all())
    save_replaced(conn, batch.id, table, old_rows)
    update = (
        sa.update(table)
        .where(table.c.id == sa.bindparam("_id"))
        .values(boundary=sa.bindparam("_boundary"), batch_id=batch.id)
    )
    conn.execute(
        update,
        [{"_id": int(row.id), "_boundary": stored[row.code]} for row in rows.itertuples()],
    )
    session.commit()


def outside_township_warnings(session: Session, township_ids: pd.Series, lon: pd.Series, lat: pd.Series) -> pd.Series:
    """Per venue row: a Chinese warning when its WGS-84 point lies outside its township's stored outline."""
    from culture_dash.queries.geo import get_township_outlines
    from culture_dash.transforms.geo import outside_own_township

    outlines = get_township_outlines(session=session)
    if outlines.empty:
        return pd.Series([None] * len(lon), index=lon.index, dtype=object)
    townships = dict(session.execute(sa.select(Township.id, Township.code)).all())
    names = dict(session.execute(sa.select(Township.code, Township.name)).all())
    codes = township_ids.astype("Int64").map(townships, na_action="ignore")
    found = outside_own_township(outlines, codes, lon, lat)
    warnings = pd.Series([None] * len(lon), index=lon.index, dtype=object)
    for index, where in found.dropna().items():
        elsewhere = f"落在「{names[where]}」" if where else "不在本区任何街镇的边界内"
        warnings[index] = f"坐标不在所属街镇「{names[codes[index]]}」的边界内（{elsewhere}），请核对经纬度和坐标系"
    return warnings
