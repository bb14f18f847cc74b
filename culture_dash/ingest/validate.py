"""Rows → typed values and issues, with every rule of the contract. Reads the database, never writes it."""

import datetime as dt
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session

from culture_dash.ingest import cells
from culture_dash.ingest.kinds import MONTHLY_METRICS, Column, Kind, header_lookup, normalise_header
from culture_dash.ingest.reading import RawTable
from culture_dash.ingest.report import IssueLog
from culture_dash.ingest.write import result_frame
from culture_dash.permissions import Actor
from models import MonthlyReport, Township, Venue, Village

REQUIRED = "必填，不能为空"
_TERM = re.compile(r"^(?P<y>\d{4})\s*[-_]?\s*(?P<s>春|秋|暑期|暑假|spring|autumn|fall|summer)(?:季|学期)?$", re.I)
_SEASONS = {
    "春": "春",
    "spring": "春",
    "秋": "秋",
    "autumn": "秋",
    "fall": "秋",
    "暑期": "暑期",
    "暑假": "暑期",
}
_SEASONS["summer"] = "暑期"


@dataclass
class Parsed:
    kind: Kind
    values: pd.DataFrame  # one column per model attribute
    rows: pd.Series  # Excel row numbers, aligned with values
    headers: dict[str, str]  # field → header as written in the file
    issues: IssueLog
    raw: dict[str, pd.Series]  # field → cleaned text, for lookups and messages (a dict: no 100 MB frame copy)
    extra: dict[str, pd.DataFrame] = field(default_factory=dict)  # derived rows for other tables

    def flag(self, level: str, mask: pd.Series, field_name: str, messages, *, values: pd.Series | None = None):
        """Report `messages` where `mask` holds, under the column of `field_name` as the file writes it."""
        header = self.headers.get(field_name) or self.kind.column(field_name).header
        shown = self.raw.get(field_name) if values is None else values
        self.issues.add_many(level, mask, rows=self.rows, column=header, values=shown, messages=messages)


def map_columns(raw: RawTable, kind: Kind, issues: IssueLog) -> dict[str, int]:
    """field → position of its column in the file; unknown and duplicate headers are reported."""
    lookup = header_lookup(kind)
    positions: dict[str, int] = {}
    for position, header in enumerate(raw.headers):
        column = lookup.get(normalise_header(header))
        if column is None:
            if header:
                issues.add("warning", "未知的列，已忽略", column=header)
            continue
        if column.field in positions:
            first = raw.headers[positions[column.field]]
            issues.add("error", f"与「{first}」是同一列，表头重复", column=header)
            continue
        positions[column.field] = position
    for column in kind.required:
        if column.field not in positions:
            issues.add("error", f"缺少必填列「{column.header}」（或英文列名 {column.field}）", column=column.header)
    return positions


def parse_cells(raw: RawTable, kind: Kind, issues: IssueLog) -> Parsed:
    """Parse and check each cell on its own (types, ranges, choices, required)."""
    positions = map_columns(raw, kind, issues)
    rows = raw.row_numbers
    values, texts, headers = {}, {}, {}
    for column in kind.columns:
        if column.field not in positions:
            continue
        header = raw.headers[positions[column.field]]
        headers[column.field] = header
        original = raw.cells[positions[column.field]].astype(str)
        # Parse each distinct value once: a month or venue code repeats thousands of times in a big file.
        codes, uniques = pd.factorize(original)
        distinct = pd.Series(uniques, dtype=str)
        distinct_text = distinct.str.strip() if column.type == "text" else cells.clean(distinct)
        distinct_values, distinct_reasons = _parse_column(distinct_text, column)
        if column.required:
            distinct_reasons = distinct_reasons.mask(distinct_text == "", REQUIRED)
        text = _expand(distinct_text, codes, original.index)
        parsed = _expand(distinct_values, codes, original.index)
        if distinct_reasons.notna().any():  # most columns of a good file have no reason at all: skip the copy
            reasons = _expand(distinct_reasons, codes, original.index)
            issues.add_many("error", reasons.notna(), rows=rows, column=header, values=original, messages=reasons)
        values[column.attr] = parsed
        texts[column.field] = text
    return Parsed(kind, pd.DataFrame(values, index=raw.cells.index), rows, headers, issues, texts)


def _expand(distinct: pd.Series, codes, index: pd.Index) -> pd.Series:
    """The per-row Series from per-distinct-value results (texts as object arrays: no 1M-string copy)."""
    if distinct.dtype == object or pd.api.types.is_string_dtype(distinct.dtype):
        return pd.Series(distinct.to_numpy(dtype=object)[codes], index=index, dtype=object)
    expanded = distinct.take(codes)
    expanded.index = index
    return expanded


def _parse_column(text: pd.Series, column: Column) -> tuple[pd.Series, pd.Series]:
    match column.type:
        case "int":
            return cells.parse_number(text, integer=True, minimum=column.minimum, maximum=column.maximum)
        case "number":
            return cells.parse_number(text, minimum=column.minimum, maximum=column.maximum)
        case "money":
            return cells.parse_number(text, minimum=0, decimals=4)
        case "choice":
            return cells.parse_choice(text, column.choice_map(), " / ".join(column.choices))
        case "bool":
            return cells.parse_bool(text)
        case "date":
            return cells.parse_date(text)
        case "month":
            return cells.parse_month(text)
        case "term":
            return _parse_term(text)
        case "code" | "text":
            return cells.parse_text(text, max_length=column.max_length, pattern=column.pattern, rule=column.rule)
        case "venue" | "township":
            return cells.parse_text(text)
    raise ValueError(f"unknown column type {column.type}")


def _parse_term(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    parts = text.str.extract(_TERM)
    season = parts["s"].str.lower().map(_SEASONS)
    ok = parts["y"].notna() & season.notna()
    values = (parts["y"] + season).where(ok)
    reasons = pd.Series(None, index=text.index, dtype=object)
    reasons = reasons.mask((text != "") & ~ok, "不是有效的学期（应为 2026春、2026秋 或 2026暑期）")
    return values.astype(object).where(ok, None), reasons


class References:
    """Lookups of codes and names in the database, loaded once per import."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._venues: pd.DataFrame | None = None
        self._townships: pd.DataFrame | None = None

    @property
    def venues(self) -> pd.DataFrame:
        if self._venues is None:
            stmt = sa.select(Venue.id, Venue.code, Venue.township_id, Venue.parent_id, Venue.name)
            self._venues = pd.DataFrame(
                self.session.execute(stmt).all(), columns=["id", "code", "township_id", "parent_id", "name"]
            )
        return self._venues

    @property
    def townships(self) -> pd.DataFrame:
        if self._townships is None:
            stmt = sa.select(Township.id, Township.code, Township.name)
            self._townships = pd.DataFrame(self.session.execute(stmt).all(), columns=["id", "code", "name"])
        return self._townships

    def venue_ids(self, codes: pd.Series) -> pd.Series:
        lookup = pd.Series(self.venues["id"].to_numpy(), index=self.venues["code"].to_numpy())
        positions, distinct = pd.factorize(codes)
        ids = pd.Series(distinct, dtype=object).map(lookup).to_numpy()[positions]
        return pd.Series(ids, index=codes.index)

    def township_ids(self, text: pd.Series) -> tuple[pd.Series, pd.Series]:
        """A township named by code or by name → (ids, reasons)."""
        townships = self.townships
        by_code = pd.Series(townships["id"].to_numpy(), index=townships["code"].to_numpy())
        name_counts = townships["name"].value_counts()
        unique_names = townships[townships["name"].map(name_counts) == 1]
        by_name = pd.Series(unique_names["id"].to_numpy(), index=unique_names["name"].to_numpy())
        ids = text.map(by_code).fillna(text.map(by_name))
        reasons = pd.Series(None, index=text.index, dtype=object)
        ambiguous = text.isin(name_counts[name_counts > 1].index) & ids.isna()
        reasons = reasons.mask(ambiguous, "有多个同名街镇，请填写区划代码")
        reasons = reasons.mask((text != "") & ids.isna() & reasons.isna(), "街镇不存在（请先在「行政区划」中导入）")
        return ids.astype("Int64"), reasons


def resolve_venues(parsed: Parsed, refs: References, actor: Actor) -> None:
    """Venue codes → ids; unknown codes and venues outside a local user's scope are errors."""
    allowed = actor.allowed_venue_ids(refs.venues, refs.townships)
    for column in parsed.kind.columns:
        if column.type != "venue" or column.field not in parsed.raw:
            continue
        text = parsed.raw[column.field]
        ids = refs.venue_ids(text).astype("Int64")
        header = parsed.headers[column.field]
        missing = (text != "") & ids.isna()
        parsed.issues.add_many(
            "error",
            missing,
            rows=parsed.rows,
            column=header,
            values=text,
            messages="场馆编码不存在（请先在「场馆名录」中登记该场馆）",
        )
        if allowed is not None:
            outside = ids.notna() & ~ids.isin(allowed)
            parsed.issues.add_many(
                "error",
                outside,
                rows=parsed.rows,
                column=header,
                values=text,
                messages="不在您的报送范围内（只能上传本街镇或本场馆的数据）",
            )
        parsed.values[column.attr] = ids


def check_duplicate_keys(parsed: Parsed) -> None:
    """Two rows of one file with the same natural key: the later one is an error."""
    key = [k for k in parsed.kind.key if k in parsed.values]
    if len(key) != len(parsed.kind.key):
        return
    # Integer codes per key column: comparing 1M dates or strings directly is much slower.
    codes = pd.DataFrame({k: pd.factorize(parsed.values[k])[0] for k in key}, index=parsed.values.index)
    complete = (codes >= 0).all(axis=1)
    keyed = codes[complete]
    duplicated = keyed.duplicated(keep="first")
    if not duplicated.any():
        return
    first_row = keyed.assign(_row=parsed.rows[complete]).groupby(key, sort=False)["_row"].transform("first")
    mask = pd.Series(False, index=codes.index)
    mask[duplicated[duplicated].index] = True
    messages = pd.Series("", index=codes.index)
    names = "、".join(parsed.kind.column(f).header for f in _key_fields(parsed.kind))
    messages[mask] = "与第 " + first_row[duplicated].astype(str) + f" 行重复（{names}相同）"
    first_field = _key_fields(parsed.kind)[0]
    parsed.issues.add_many(
        "error",
        mask,
        rows=parsed.rows,
        column=parsed.headers.get(first_field),
        values=parsed.raw.get(first_field),
        messages=messages,
    )


def _key_fields(kind: Kind) -> list[str]:
    by_attr = {c.attr: c.field for c in kind.columns}
    return [by_attr[k] for k in kind.key if k in by_attr]


# --- kind-specific rules -------------------------------------------------------------------------------


def check_villages(parsed: Parsed, refs: References) -> None:
    if "township" not in parsed.raw:
        return
    ids, reasons = refs.township_ids(parsed.raw["township"])
    parsed.flag("error", reasons.notna(), "township", reasons)
    parsed.values["township_id"] = ids


def check_venues(parsed: Parsed, refs: References) -> None:
    from culture_dash import geo

    values, raw, rows, issues = parsed.values, parsed.raw, parsed.rows, parsed.issues
    if "township" in raw:
        ids, reasons = refs.township_ids(raw["township"])
        parsed.flag("error", reasons.notna(), "township", reasons)
        values["township_id"] = ids
    _resolve_villages(parsed, refs)
    _check_parents(parsed, refs)
    # Coordinates: both or neither, converted to WGS-84, inside China.
    if "lon" in values or "lat" in values:
        lon = values.get("lon", pd.Series(np.nan, index=values.index)).astype(float)
        lat = values.get("lat", pd.Series(np.nan, index=values.index)).astype(float)
        for field_name, mask in (("lat", lon.notna() & lat.isna()), ("lon", lat.notna() & lon.isna())):
            header = parsed.headers.get(field_name, parsed.kind.column(field_name).header)
            other = "经度" if field_name == "lat" else "纬度"
            issues.add_many(
                "error",
                mask,
                rows=rows,
                column=header,
                values=raw.get(field_name),
                messages=f"填写了{other}时必须同时填写本列",
            )
        both = lon.notna() & lat.notna()
        crs = values.get("source_crs", pd.Series(None, index=values.index)).fillna("WGS84")
        values["source_crs"] = crs.where(both, None)
        if both.any():
            in_china = pd.Series(geo.in_china_extent_arrays(lon.to_numpy(), lat.to_numpy()), index=values.index)
            outside = both & ~in_china
            parsed.flag(
                "error",
                outside,
                "lon",
                "坐标不在中国范围内（请检查经纬度是否填反或填错）",
                values=raw.get("lon") + "," + raw.get("lat"),
            )
            ok = both & in_china
            if ok.any():
                wgs_lon, wgs_lat = geo.to_wgs84_arrays(
                    lon[ok].to_numpy(), lat[ok].to_numpy(), crs[ok].to_numpy().astype(str)
                )
                lon[ok], lat[ok] = np.round(wgs_lon, 7), np.round(wgs_lat, 7)
            values["lon"], values["lat"] = lon.where(ok), lat.where(ok)
            if ok.any() and "township_id" in values:
                from culture_dash.boundaries import outside_township_warnings

                warnings = outside_township_warnings(refs.session, values["township_id"], values["lon"], values["lat"])
                parsed.flag("warning", warnings.notna(), "lon", warnings, values=raw.get("lon") + "," + raw.get("lat"))


def _resolve_villages(parsed: Parsed, refs: References) -> None:
    if "village" not in parsed.raw:
        return
    text = parsed.raw["village"]
    stmt = sa.select(Village.id, Village.code, Village.name, Village.township_id)
    villages = pd.DataFrame(refs.session.execute(stmt).all(), columns=["id", "code", "name", "township_id"])
    township_ids = parsed.values.get("township_id", pd.Series(pd.NA, index=text.index))
    by_code = villages.set_index("code")
    code_id = text.map(by_code["id"])
    code_township = text.map(by_code["township_id"])
    by_name = villages.drop_duplicates(["township_id", "name"], keep=False).set_index(["township_id", "name"])["id"]
    name_keys = pd.MultiIndex.from_arrays([township_ids.astype("float").fillna(-1).astype(int), text])
    name_id = pd.Series(by_name.reindex(name_keys).to_numpy(), index=text.index)
    ids = code_id.astype(float).fillna(name_id.astype(float))
    reasons = pd.Series(None, index=text.index, dtype=object)
    wrong_township = code_id.notna() & township_ids.notna() & (code_township != township_ids.astype(float))
    reasons = reasons.mask(wrong_township, "该村（社区）不属于本行填写的街镇")
    reasons = reasons.mask((text != "") & ids.isna(), "在所属街镇中找不到该村（社区）")
    parsed.flag("error", reasons.notna(), "village", reasons, values=text)
    parsed.values["village_id"] = ids.where(reasons.isna()).astype("Int64")


# A parent that is itself new in this file gets its id only after the insert; the writer fills it in.
NEW_PARENT = -1


def _check_parents(parsed: Parsed, refs: References) -> None:
    if "parent_code" not in parsed.raw or "code" not in parsed.values:
        return
    codes = parsed.values["code"]
    parent = parsed.raw["parent_code"]
    header = parsed.headers["parent_code"]
    in_file = parent.isin(set(codes.dropna()))
    db_ids = refs.venue_ids(parent)
    known = (parent == "") | in_file | db_ids.notna()
    parsed.issues.add_many(
        "error",
        ~known,
        rows=parsed.rows,
        column=header,
        values=parent,
        messages="上级场馆编码不存在（文件和数据库中都没有）",
    )
    parsed.issues.add_many(
        "error",
        (parent != "") & (parent == codes),
        rows=parsed.rows,
        column=header,
        values=parent,
        messages="上级场馆不能是场馆自己",
    )
    # Cycles: the file's links override the database's for the venues the file names.
    links = dict(
        zip(
            refs.venues["code"],
            refs.venues["parent_id"].map(dict(zip(refs.venues["id"], refs.venues["code"], strict=False))),
            strict=True,
        )
    )
    links.update({c: (p or None) for c, p in zip(codes, parent, strict=True) if c})
    in_cycle = set()
    for start in links:
        seen, node = [], start
        while node is not None and node not in seen and node not in in_cycle:
            seen.append(node)
            node = links.get(node)
            if isinstance(node, float):
                node = None
        if node is not None and node in seen:
            in_cycle.update(seen[seen.index(node) :])
    cyclic = codes.isin(in_cycle) & (parent != codes)
    parsed.issues.add_many(
        "error",
        cyclic,
        rows=parsed.rows,
        column=header,
        values=parent,
        messages="上级场馆关系形成循环（A 的上级是 B，B 的上级又是 A）",
    )
    ids = db_ids.astype("Int64")
    ids[in_file & db_ids.isna()] = NEW_PARENT
    ids[parent == ""] = pd.NA
    parsed.values["parent_id"] = ids


def _after(dates: pd.Series, bound: dt.date) -> pd.Series:
    """True where a parsed date is later than `bound`; False where it is missing (reported by its own rule).
    A bool Series even when every date is missing (map(na_action="ignore") then gave float NaN, which pandas
    will refuse to fill with False)."""
    return dates.map(lambda d: not pd.isna(d) and d > bound).astype(bool)


def check_monthly(parsed: Parsed, refs: References, today: dt.date) -> None:
    values = parsed.values
    if "month" in values:
        current = dt.date(today.year, today.month, 1)
        parsed.flag("error", _after(values["month"], current), "month", "月份不能晚于本月")
    _median_warnings(parsed, refs)


def _median_warnings(parsed: Parsed, refs: References) -> None:
    """A value over 5× or under 1/5 of the venue's median (last 12 months before the file's) is a warning."""
    values = parsed.values
    metrics = [m for m in MONTHLY_METRICS if m in values]
    if not metrics or "venue_id" not in values or "month" not in values:
        return
    months = values["month"].dropna()
    venue_ids = values["venue_id"].dropna().unique()
    if months.empty or len(venue_ids) == 0:
        return
    start = min(months)
    start = dt.date(start.year - 1, start.month, 1)
    columns = [MonthlyReport.venue_id, MonthlyReport.month, *[getattr(MonthlyReport, m) for m in metrics]]
    stmt = sa.select(*columns).where(
        MonthlyReport.month >= start, MonthlyReport.month < max(months), MonthlyReport.month.not_in(set(months))
    )
    history = result_frame(refs.session.connection().execute(stmt))
    if history.empty:
        return
    history = history[history["venue_id"].isin(venue_ids)]
    counts = history.groupby("venue_id")[metrics].count()
    medians = history.groupby("venue_id")[metrics].median().where(counts >= 3)
    for metric in metrics:
        median = values["venue_id"].map(medians[metric]).astype(float)
        value = values[metric].astype(float)
        usable = median.notna() & (median > 0) & value.notna()
        high = usable & (value > 5 * median)
        low = usable & (value < median / 5)
        header = parsed.headers[metric]
        median_text = median.round(1).map("{:g}".format, na_action="ignore").astype(str)
        ratio = (value / median).round(1).map("{:g}".format, na_action="ignore").astype(str)
        parsed.issues.add_many(
            "warning",
            high,
            rows=parsed.rows,
            column=header,
            values=parsed.raw[metric],
            messages="是该场馆近期中位数（" + median_text + "）的 " + ratio + " 倍，请核实",
        )
        parsed.issues.add_many(
            "warning",
            low,
            rows=parsed.rows,
            column=header,
            values=parsed.raw[metric],
            messages="不到该场馆近期中位数（" + median_text + "）的 1/5，请核实",
        )


def check_subsidies(parsed: Parsed) -> None:
    values = parsed.values
    pairs = (("disbursed", "allocated", "已拨付大于下达金额"), ("spent", "disbursed", "已支出大于已拨付"))
    for big, small, message in pairs:
        if big in values and small in values:
            mask = (values[big].astype(float) > values[small].astype(float) + 1e-9).fillna(False)
            parsed.issues.add_many(
                "warning",
                mask,
                rows=parsed.rows,
                column=parsed.headers[big],
                values=parsed.raw[big],
                messages=message,
            )


def check_circulation(parsed: Parsed) -> None:
    values = parsed.values
    if "from_venue_id" in values and "to_venue_id" in values:
        same = (values["from_venue_id"] == values["to_venue_id"]).fillna(False).astype(bool)
        parsed.flag("error", same, "to_venue", "调入场馆不能与调出场馆相同")


def check_art_school(parsed: Parsed) -> None:
    values = parsed.values
    if "term" in values:
        values["year"] = values["term"].str[:4].astype("Int64")
    if "enrolled" in values and "places" in values:
        mask = (values["enrolled"] > values["places"]).fillna(False).astype(bool)
        parsed.flag("warning", mask, "enrolled", "在校学员多于招生名额")


def derive_task_status(values: pd.DataFrame, today: dt.date) -> pd.Series:
    """Status when the file leaves it empty: done at target; behind when past deadline or behind the calendar.

    "On schedule" (序时推进) means actual ÷ target is at least 90 % of the time elapsed from 1 January to the
    deadline, measured at the row's 更新日期 (or today).
    """
    target = values.get("target", pd.Series(np.nan, index=values.index)).astype(float)
    actual = values.get("actual", pd.Series(np.nan, index=values.index)).astype(float)
    deadline = pd.to_datetime(values.get("deadline", pd.Series(None, index=values.index)))
    as_of = pd.to_datetime(values.get("as_of", pd.Series(None, index=values.index))).fillna(pd.Timestamp(today))
    start = pd.to_datetime(values["year"].astype(str) + "-01-01", errors="coerce")
    span = (deadline - start).dt.days.clip(lower=1)
    elapsed = ((as_of - start).dt.days / span).clip(0, 1)
    ratio = actual / target.where(target > 0)
    status = pd.Series("序时推进", index=values.index, dtype=object)
    status[(ratio >= elapsed * 0.9) & ratio.notna()] = "序时推进"
    status[(ratio < elapsed * 0.9) & ratio.notna()] = "滞后"
    status[deadline.notna() & (as_of > deadline)] = "滞后"
    status[actual.fillna(0) == 0] = "未启动"
    status[deadline.notna() & (as_of > deadline) & (actual.fillna(0) == 0)] = "滞后"
    status[ratio >= 1] = "已完成"
    return status


def check_tasks(parsed: Parsed, today: dt.date) -> None:
    values = parsed.values
    if "status" not in values:
        values["status"] = None
    derived = derive_task_status(values, today)
    values["status"] = values["status"].where(values["status"].notna(), derived)
    if "as_of" in values:
        future = _after(values["as_of"], today)
        parsed.flag("error", future, "as_of", "更新日期不能晚于今天")
        has_point = values["as_of"].notna()
        cols = ["year", "task_code", "as_of", "actual", "status", "progress_note"]
        progress = values.loc[has_point, [c for c in cols if c in values]].copy()
        parsed.extra["task_progress"] = progress
