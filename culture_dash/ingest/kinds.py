"""The upload kinds of docs/data-contract.md, declared once: headers, aliases, cell rules and natural keys."""

import re
from dataclasses import dataclass, field

from sqlmodel import SQLModel

from models import (
    ActivityPlan,
    ArtSchoolTerm,
    Circulation,
    DemoSite,
    Inspection,
    MonthlyReport,
    Subsidy,
    Task,
    Township,
    Venue,
    Village,
)

VENUE_TYPES = (
    "文化馆",
    "文化馆分馆",
    "图书馆",
    "图书馆直属分馆",
    "街镇图书分馆",
    "村社区图书室",
    "24小时自助图书馆",
    "流动服务点",
    "综合文化站",
    "综合文化活动中心",
    "村社区文化活动室",
)
EVENT_CATEGORIES = ("读书看报", "文化鉴赏及展览", "公众教育", "文艺演出")
TASK_STATUSES = ("未启动", "序时推进", "滞后", "已完成")
SUBSIDY_SOURCES = ("中央", "省级", "市级", "区级")
SUBSIDY_PROGRAMMES = ("免费开放", "示范点建设", "总分馆建设", "设备购置", "其他")
DEMO_SITE_STAGES = ("申报", "建设中", "已验收", "已授牌")
MONTHLY_METRICS = (
    "visits",
    "loans",
    "new_cardholders",
    "reading_events",
    "exhibition_events",
    "education_events",
    "performance_events",
    "participants",
    "online_visits",
    "media_reports",
)


@dataclass(frozen=True)
class Column:
    field: str  # the English alias, and the model attribute unless `target` says otherwise
    header: str  # the Chinese header
    type: str  # int, number, money, year, text, code, choice, bool, date, month, term, venue, township, ...
    required: bool = False
    choices: tuple[str, ...] = ()
    aliases: dict[str, str] = field(default_factory=dict)  # extra accepted spellings → stored value
    pattern: str | None = None
    rule: str = ""  # the Chinese reason when `pattern` fails
    max_length: int | None = None
    minimum: float | None = 0
    maximum: float | None = None
    target: str | None = None  # the model attribute, when it is not `field`

    @property
    def attr(self) -> str:
        if self.target:
            return self.target
        if self.type == "venue":
            return self.field.removesuffix("_code") + "_id"
        if self.type in ("township", "village"):
            return self.type + "_id"
        return self.field

    def choice_map(self) -> dict[str, str]:
        accepted = {c.lower(): c for c in self.choices}
        accepted.update({k.lower(): v for k, v in self.aliases.items()})
        return accepted


@dataclass(frozen=True)
class Kind:
    name: str
    label: str  # Chinese name of the kind
    model: type[SQLModel]
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # model attributes of the natural key

    def column(self, field_name: str) -> Column:
        return next(c for c in self.columns if c.field == field_name)

    @property
    def required(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.required)


def _int(field_name: str, header: str, **kw) -> Column:
    return Column(field_name, header, "int", **kw)


def _venue(field_name: str = "venue_code", header: str = "场馆编码") -> Column:
    return Column(field_name, header, "venue", required=True)


YEAR = {"minimum": 2000, "maximum": 2100}

KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind(
            "townships",
            "行政区划",
            Township,
            (
                Column("code", "区划代码", "code", True, pattern=r"\d{9}|\d{12}", rule="应为 9 位或 12 位数字"),
                Column("name", "名称", "text", True, max_length=64),
                Column("kind", "类型", "choice", choices=("街道", "镇", "乡")),
                _int("population", "常住人口"),
            ),
            ("code",),
        ),
        Kind(
            "villages",
            "村（社区）",
            Village,
            (
                Column("code", "区划代码", "code", True, pattern=r"\d{12}", rule="应为 12 位数字"),
                Column("name", "名称", "text", True, max_length=64),
                Column("kind", "类型", "choice", choices=("村", "社区")),
                Column("township", "所属街镇", "township", True),
                _int("population", "常住人口"),
            ),
            ("code",),
        ),
        Kind(
            "venues",
            "场馆名录",
            Venue,
            (
                Column(
                    "venue_code",
                    "场馆编码",
                    "code",
                    True,
                    target="code",
                    pattern=r"[A-Za-z0-9_-]{2,32}",
                    rule="应为 2–32 位字母、数字、- 或 _",
                ),
                Column("name", "场馆名称", "text", True, max_length=128),
                Column("type", "场馆类型", "choice", True, choices=VENUE_TYPES),
                Column("parent_code", "上级场馆编码", "text", max_length=32, target="parent_id"),
                Column("township", "所属街镇", "township", True),
                Column("village", "所属村社区", "text", max_length=64, target="village_id"),
                Column("lon", "经度", "number", minimum=None),
                Column("lat", "纬度", "number", minimum=None),
                Column(
                    "crs",
                    "坐标系",
                    "choice",
                    choices=("WGS84", "GCJ02", "BD09"),
                    aliases={"wgs-84": "WGS84", "gcj-02": "GCJ02", "bd-09": "BD09", "火星坐标": "GCJ02"},
                    target="source_crs",
                ),
                Column("area_m2", "建筑面积", "number"),
                Column("weekly_hours", "周开放时长", "number", maximum=168),
                Column("free_open", "免费开放", "bool"),
                Column("opened_on", "开放日期", "date"),
            ),
            ("code",),
        ),
        Kind(
            "monthly",
            "月度报表",
            MonthlyReport,
            (
                Column("month", "月份", "month", True),
                _venue(),
                _int("visits", "到馆人次"),
                _int("loans", "借还册次"),
                _int("new_cardholders", "新增持证"),
                _int("reading_events", "读书看报活动"),
                _int("exhibition_events", "文化鉴赏及展览"),
                _int("education_events", "公众教育"),
                _int("performance_events", "文艺演出"),
                _int("participants", "活动参与人次"),
                _int("online_visits", "线上服务人次"),
                _int("media_reports", "媒体报道"),
                Column("note", "备注", "text", max_length=500),
            ),
            ("month", "venue_id"),
        ),
        Kind(
            "subsidies",
            "资金",
            Subsidy,
            (
                _int("year", "年度", required=True, **YEAR),
                Column("source", "资金来源", "choice", True, choices=SUBSIDY_SOURCES),
                Column("programme", "资金项目", "choice", True, choices=SUBSIDY_PROGRAMMES),
                _venue(),
                Column("allocated", "下达金额", "money", True),
                Column("disbursed", "已拨付", "money"),
                Column("spent", "已支出", "money"),
                Column("doc_no", "文号", "text", max_length=64),
            ),
            ("year", "source", "programme", "venue_id"),
        ),
        Kind(
            "demo_sites",
            "示范点",
            DemoSite,
            (
                _venue(),
                _int("batch_year", "批次年度", required=True, **YEAR),
                Column("level", "级别", "choice", choices=("国家级", "省级", "市级", "区级")),
                Column("stage", "阶段", "choice", choices=DEMO_SITE_STAGES),
                Column("has_library_room", "图书室", "bool"),
                Column("has_e_reading_room", "电子阅览室", "bool"),
                Column("has_multi_room", "多功能室", "bool"),
                Column("stage_date", "阶段日期", "date"),
            ),
            ("venue_id",),
        ),
        Kind(
            "tasks",
            "重点任务台账",
            Task,
            (
                Column("task_code", "任务编号", "text", True, max_length=32),
                _int("year", "年度", required=True, **YEAR),
                Column("section", "板块", "text", True, max_length=64),
                Column("title", "任务名称", "text", True, max_length=256),
                Column("lead_unit", "责任单位", "text", True, max_length=128),
                Column("co_units", "配合单位", "text", max_length=256),
                Column("target", "目标值", "number"),
                Column("unit", "单位", "text", max_length=16),
                Column("actual", "完成值", "number"),
                Column("deadline", "截止日期", "date"),
                Column("status", "状态", "choice", choices=TASK_STATUSES),
                Column("progress_note", "进展情况", "text", max_length=2000),
                Column("as_of", "更新日期", "date"),
            ),
            ("year", "task_code"),
        ),
        Kind(
            "activity_plans",
            "活动计划",
            ActivityPlan,
            (
                _int("year", "年度", required=True, **YEAR),
                _venue(),
                Column("category", "活动类别", "choice", True, choices=EVENT_CATEGORIES),
                _int("planned", "计划场次"),
            ),
            ("year", "venue_id", "category"),
        ),
        Kind(
            "inspections",
            "效能督查",
            Inspection,
            (
                Column("date", "督查日期", "date", True),
                _venue(),
                Column("method", "督查方式", "choice", choices=("自查", "督查", "暗访", "专项治理")),
                Column(
                    "issue",
                    "问题类别",
                    "choice",
                    True,
                    choices=(
                        "设施闲置",
                        "挪作他用",
                        "不开门",
                        "无人员",
                        "无经费",
                        "活动少",
                        "宣传不到位",
                        "无问题",
                    ),
                ),
                Column("status", "整改状态", "choice", choices=("未启动整改", "正在整改", "已完成整改")),
                Column("due", "整改期限", "date"),
                Column("note", "说明", "text", max_length=2000),
            ),
            ("date", "venue_id", "issue"),
        ),
        Kind(
            "circulation",
            "图书流转",
            Circulation,
            (
                Column("date", "流转日期", "date", True),
                _int("round_no", "轮次", minimum=1),
                _venue("from_venue", "调出场馆编码"),
                _venue("to_venue", "调入场馆编码"),
                _int("volumes", "册数", required=True, minimum=1),
            ),
            ("date", "from_venue_id", "to_venue_id"),
        ),
        Kind(
            "art_school",
            "市民文化艺术学校",
            ArtSchoolTerm,
            (
                Column("term", "学期", "term", True),
                _venue(),
                Column("subject", "科目", "text", True, max_length=32),
                _int("classes", "班级数"),
                _int("places", "招生名额"),
                _int("applicants", "报名人数"),
                _int("enrolled", "在校学员"),
            ),
            ("term", "venue_id", "subject"),
        ),
    )
}

# Import order: references first (the demo loader and multi-file uploads follow it).
KIND_ORDER = tuple(KINDS)


def normalise_header(header: str) -> str:
    return re.sub(r"[\s\u3000\ufeff]+", "", header).lower()


def header_lookup(kind: Kind) -> dict[str, Column]:
    lookup = {}
    for column in kind.columns:
        lookup[normalise_header(column.header)] = column
        lookup[normalise_header(column.field)] = column
    return lookup


def detect_kind(headers: list[str]) -> tuple[Kind | None, list[Kind]]:
    """The kind whose headers the file has: all required ones, and the most of the rest.

    Returns (kind, candidates): kind is None when no kind or more than one fits equally well.
    """
    names = {normalise_header(h) for h in headers if h.strip()}
    scored = []
    for kind in KINDS.values():
        lookup = header_lookup(kind)
        matched = {lookup[n].field for n in names if n in lookup}
        if all(c.field in matched for c in kind.required):
            scored.append((len(matched), kind))
    if not scored:
        return None, []
    scored.sort(key=lambda pair: -pair[0])
    best = [k for score, k in scored if score == scored[0][0]]
    return (best[0] if len(best) == 1 else None), best
