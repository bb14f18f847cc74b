"""Deterministic demo data: the fictional district 青溪区 (code 510199), and a province-scale benchmark set.

    python -m seed_data.generate [--out DIR] [--scale demo|province]

Every CSV follows docs/data-contract.md (its Chinese headers in contract order, UTF-8 without BOM, ``\\n`` line
endings) so the demo is loaded through the same import path as staff uploads. Each part of the data draws from
its own random stream derived from one fixed seed, so a run always writes the same bytes.
"""

import argparse
import csv
import json
import math
import random
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Point, Polygon
from shapely.geometry.polygon import orient
from shapely.ops import nearest_points

SEED = 20261126
DEMO_DIR = Path(__file__).resolve().parent / "demo"

DISTRICT_CODE = "510199"
DISTRICT_NAME = "青溪区"

HEADERS: dict[str, list[str]] = {
    "townships": ["区划代码", "名称", "类型", "常住人口"],
    "villages": ["区划代码", "名称", "类型", "所属街镇", "常住人口"],
    "venues": [
        "场馆编码",
        "场馆名称",
        "场馆类型",
        "上级场馆编码",
        "所属街镇",
        "所属村社区",
        "经度",
        "纬度",
        "坐标系",
        "建筑面积",
        "周开放时长",
        "免费开放",
        "开放日期",
    ],
    "monthly": [
        "月份",
        "场馆编码",
        "到馆人次",
        "借还册次",
        "新增持证",
        "读书看报活动",
        "文化鉴赏及展览",
        "公众教育",
        "文艺演出",
        "活动参与人次",
        "线上服务人次",
        "媒体报道",
        "备注",
    ],
    "subsidies": ["年度", "资金来源", "资金项目", "场馆编码", "下达金额", "已拨付", "已支出", "文号"],
    "demo_sites": ["场馆编码", "批次年度", "级别", "阶段", "图书室", "电子阅览室", "多功能室", "阶段日期"],
    "tasks": [
        "任务编号",
        "年度",
        "板块",
        "任务名称",
        "责任单位",
        "配合单位",
        "目标值",
        "单位",
        "完成值",
        "截止日期",
        "状态",
        "进展情况",
        "更新日期",
    ],
    "activity_plans": ["年度", "场馆编码", "活动类别", "计划场次"],
    "inspections": ["督查日期", "场馆编码", "督查方式", "问题类别", "整改状态", "整改期限", "说明"],
    "circulation": ["流转日期", "轮次", "调出场馆编码", "调入场馆编码", "册数"],
    "art_school": ["学期", "场馆编码", "科目", "班级数", "招生名额", "报名人数", "在校学员"],
}

# 36 reported months, 2023-11 … 2026-10; the dashboard's "today" is late November 2026.
MONTHS: list[date] = [date(2023 + (10 + i) // 12, (10 + i) % 12 + 1, 1) for i in range(36)]
LAST_MONTH = MONTHS[-1]
TODAY = date(2026, 11, 26)
# Month of the Spring Festival (春节) holiday: 2023-01-22, 2024-02-10, 2025-01-29, 2026-02-17.
SPRING_FESTIVAL_MONTH = {2023: 1, 2024: 2, 2025: 1, 2026: 2, 2027: 2}

LIBRARY_TYPES = frozenset(
    {"图书馆", "图书馆直属分馆", "街镇图书分馆", "村社区图书室", "24小时自助图书馆", "流动服务点"}
)
EVENT_FIELDS = ("reading", "exhibition", "education", "performance")
EVENT_CATEGORIES = {
    "reading": "读书看报",
    "exhibition": "文化鉴赏及展览",
    "education": "公众教育",
    "performance": "文艺演出",
}

# Monthly means at mid-2025 level per venue type:
# visits, loans, new cardholders, reading, exhibition, education, performance events, online visits, media.
# None = the venue type does not report that metric (written as an empty cell).
TYPE_PROFILES: dict[str, tuple] = {
    "图书馆": (42000, 56000, 900, 14, 3, 8, 0.6, 36000, 5),
    "图书馆直属分馆": (7200, 8800, 140, 5, 1, 3, 0.2, 2600, 1),
    "街镇图书分馆": (2100, 2300, 32, 3, 0.4, 1.2, 0.1, 260, 0.3),
    "村社区图书室": (260, 170, 3, 1.0, 0.1, 0.3, 0, None, 0.03),
    "24小时自助图书馆": (2500, 3100, 22, 0.8, 0, 0, 0, None, 0.05),
    "流动服务点": (460, 620, 6, 0.8, 0, 0.2, 0, None, 0.02),
    "文化馆": (18500, None, None, 1, 4, 16, 6, 22000, 6),
    "文化馆分馆": (2900, None, None, 0.5, 1, 5, 2, 1400, 0.8),
    "综合文化站": (2300, None, None, 1.2, 1, 3, 2.2, 380, 0.5),
    "综合文化活动中心": (3100, None, None, 1.5, 1, 4, 2, 300, 0.3),
    "村社区文化活动室": (380, None, None, 0.6, 0.2, 1.0, 1.0, None, 0.04),
}
# Average participants per event of each category.
PARTICIPANTS_PER_EVENT = {"reading": 35, "exhibition": 120, "education": 30, "performance": 260}


# ---------------------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------------------


def _rng(part: str) -> random.Random:
    """An independent, reproducible stream per part, so editing one part leaves the others unchanged."""
    return random.Random(f"{SEED}:{part}")


def _money(value: float) -> str:
    """万元 with at most 4 decimals and no trailing zeros."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _number(value: float | int) -> str:
    if isinstance(value, int):
        return str(value)
    return _money(value)


def _yes_no(flag: bool) -> str:
    return "是" if flag else "否"


def _month_text(month: date) -> str:
    return f"{month.year}-{month.month:02d}"


def _poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 40:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _random_date(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


def _write_csv(path: Path, kind: str, rows: Iterable[Sequence[object]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADERS[kind])
        for row in rows:
            if len(row) != len(HEADERS[kind]):
                raise ValueError(f"{kind}: row has {len(row)} cells, header has {len(HEADERS[kind])}")
            writer.writerow("" if cell is None else cell for cell in row)
            count += 1
    return count


# ---------------------------------------------------------------------------------------------------------
# Coordinates
# ---------------------------------------------------------------------------------------------------------

LON0, LAT0 = 104.05, 30.95
KM_PER_DEG_LAT = 111.2
KM_PER_DEG_LON = 111.32 * math.cos(math.radians(LAT0))
_GCJ_A = 6378245.0
_GCJ_EE = 0.00669342162296594323
_X_PI = math.pi * 3000.0 / 180.0


def _to_lonlat(x_km: float, y_km: float) -> tuple[float, float]:
    return LON0 + x_km / KM_PER_DEG_LON, LAT0 + y_km / KM_PER_DEG_LAT


def _gcj_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _gcj_lon(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    """The standard forward GCJ-02 obfuscation (Amap, Tencent)."""
    dlat = _gcj_lat(lon - 105.0, lat - 35.0)
    dlon = _gcj_lon(lon - 105.0, lat - 35.0)
    radlat = lat / 180.0 * math.pi
    magic = 1.0 - _GCJ_EE * math.sin(radlat) ** 2
    sqrtmagic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_GCJ_A * (1.0 - _GCJ_EE)) / (magic * sqrtmagic) * math.pi)
    dlon = (dlon * 180.0) / (_GCJ_A / sqrtmagic * math.cos(radlat) * math.pi)
    return lon + dlon, lat + dlat


def wgs84_to_bd09(lon: float, lat: float) -> tuple[float, float]:
    """WGS-84 → GCJ-02 → BD-09 (Baidu)."""
    x, y = wgs84_to_gcj02(lon, lat)
    z = math.sqrt(x * x + y * y) + 0.00002 * math.sin(y * _X_PI)
    theta = math.atan2(y, x) + 0.000003 * math.cos(x * _X_PI)
    return z * math.cos(theta) + 0.0065, z * math.sin(theta) + 0.006


# ---------------------------------------------------------------------------------------------------------
# Demo district: geography
# ---------------------------------------------------------------------------------------------------------

TOWNSHIP_NAMES = {
    "街道": ["青溪街道", "锦城街道", "玉泉街道", "文昌街道", "望江街道"],
    "镇": ["柳林镇", "白鹤镇", "石桥镇", "清泉镇", "金马镇", "桂湖镇", "龙潭镇", "双河镇"],
    "乡": ["云峰乡", "松林乡", "竹溪乡"],
}
COMMUNITY_FIRST = "文锦玉华和康福春翠清明新金阳安梧芙桂兰嘉瑞泰盛雅"
COMMUNITY_SECOND = "苑华庭城园府林湖泉坊里景悦"
VILLAGE_FIRST = "红金石青白黄龙凤双三五新永长太兴桃柳杨梨荷沙东西南北云天高马李王张陈刘福和平安"
VILLAGE_SECOND = "桥星湾堰林河山坪坝岗庙塘店园家田溪峰冲垭"


@dataclass
class Township:
    index: int
    code: str
    name: str
    kind: str
    polygon: Polygon  # WGS-84 lon/lat
    seat: tuple[float, float]
    population: int = 0

    @property
    def short_name(self) -> str:
        return self.name.removesuffix(self.kind)


@dataclass
class Village:
    code: str
    name: str
    kind: str
    township: Township
    population: int
    point: tuple[float, float]


@dataclass
class Venue:
    code: str
    name: str
    type: str
    parent: str | None
    township: Township
    village: Village | None
    point: tuple[float, float] | None  # WGS-84
    area_m2: float | None
    weekly_hours: float
    free_open: bool
    opened_on: date
    crs: str = ""  # what the file says: "" (default WGS84), WGS84, GCJ02 or BD09


def _outline_mask(x: np.ndarray, y: np.ndarray, harmonics: list[tuple[int, float, float]]) -> np.ndarray:
    """Inside a wobbly ellipse of about 40 km × 30 km."""
    u, v = x / 20.0, y / 15.0
    theta = np.arctan2(v, u)
    radius = np.ones_like(theta)
    for k, amplitude, phase in harmonics:
        radius += amplitude * np.sin(k * theta + phase)
    return np.hypot(u, v) <= radius


def _township_seeds(rng: random.Random, inside) -> tuple[list[tuple[float, float]], list[str]]:
    """16 seed points (km): a compact urban cluster of 5 streets, 8 towns around it, 3 outlying 乡."""
    city = (-4.0, 2.0)
    for _attempt in range(200):
        seeds: list[tuple[float, float]] = []
        while len(seeds) < 5:
            angle, dist = rng.uniform(0, 2 * math.pi), rng.uniform(0, 5.0) if seeds else 0.0
            p = (city[0] + dist * math.cos(angle), city[1] + dist * math.sin(angle))
            if all(math.dist(p, q) >= 3.6 for q in seeds):
                seeds.append(p)
        tries = 0
        while len(seeds) < 16 and tries < 5000:
            tries += 1
            p = (rng.uniform(-19, 19), rng.uniform(-14, 14))
            if not inside(p[0] * 1.15, p[1] * 1.15):
                continue
            if math.dist(p, city) < 8.5 or any(math.dist(p, q) < 7.6 for q in seeds[5:]):
                continue
            seeds.append(p)
        if len(seeds) == 16:
            break
    else:  # pragma: no cover - the fixed seed succeeds
        raise RuntimeError("could not place township seeds")
    outer = seeds[5:]
    # The three seeds farthest east of the city are the rural 乡; towns are numbered clockwise from north.
    rural = sorted(outer, key=lambda p: -(p[0] - city[0]) - 0.3 * abs(p[1] - city[1]))[:3]
    towns = [p for p in outer if p not in rural]
    towns.sort(key=lambda p: (math.atan2(p[0] - city[0], p[1] - city[1])) % (2 * math.pi))
    rural.sort(key=lambda p: -p[1])
    streets = sorted(seeds[:5], key=lambda p: math.dist(p, city))
    return streets + towns + rural, ["街道"] * 5 + ["镇"] * 8 + ["乡"] * 3


def _build_geography(rng: random.Random) -> list[Township]:
    harmonics = [
        (k, amplitude, rng.uniform(0, 2 * math.pi))
        for k, amplitude in ((2, 0.07), (3, 0.06), (4, 0.04), (6, 0.03), (9, 0.02))
    ]

    def inside(x: float, y: float) -> bool:
        return bool(_outline_mask(np.array([x]), np.array([y]), harmonics)[0])

    seeds, kinds = _township_seeds(rng, inside)

    # A jittered grid of fine Voronoi cells; the district is the cells whose point lies in the outline and a
    # township is the union of the cells nearest (after a smooth warp) to its seed, so borders wiggle but
    # neighbours share every edge exactly.
    spacing = 0.8
    grid = [
        (x + rng.uniform(-0.3, 0.3) * spacing, y + rng.uniform(-0.3, 0.3) * spacing)
        for y in np.arange(-20.0, 20.0 + 1e-9, spacing)
        for x in np.arange(-26.0, 26.0 + 1e-9, spacing)
    ]
    points = np.array(grid)
    cells_all = shapely.get_parts(
        shapely.voronoi_polygons(shapely.multipoints(points), extend_to=shapely.box(-40, -34, 40, 34), ordered=True)
    )
    inside_mask = _outline_mask(points[:, 0], points[:, 1], harmonics)
    cells = cells_all[inside_mask]
    pts = points[inside_mask]

    phases = [rng.uniform(0, 2 * math.pi) for _ in range(4)]
    wx = pts[:, 0] + 0.9 * np.sin(pts[:, 1] / 2.6 + phases[0]) + 0.45 * np.sin(pts[:, 1] / 1.4 + phases[1])
    wy = pts[:, 1] + 0.9 * np.sin(pts[:, 0] / 2.6 + phases[2]) + 0.45 * np.sin(pts[:, 0] / 1.4 + phases[3])
    seed_arr = np.array(seeds)
    dist = np.hypot(wx[:, None] - seed_arr[None, :, 0], wy[:, None] - seed_arr[None, :, 1])
    assign = dist.argmin(axis=1)
    _merge_fragments(cells, assign, len(seeds))

    def km_to_deg(coords: np.ndarray) -> np.ndarray:
        return np.column_stack([LON0 + coords[:, 0] / KM_PER_DEG_LON, LAT0 + coords[:, 1] / KM_PER_DEG_LAT])

    names = {kind: iter(names) for kind, names in TOWNSHIP_NAMES.items()}
    townships = []
    for i, (seed, kind) in enumerate(zip(seeds, kinds, strict=True)):
        # Union first, round after: neighbours round the very same shared vertices, so no slivers appear.
        shape = shapely.transform(shapely.union_all(cells[assign == i]), lambda c: np.round(km_to_deg(c), 5))
        shape = shapely.remove_repeated_points(shape)
        if not shape.is_valid:
            raise RuntimeError(f"township {i} became invalid when rounded")
        if shape.geom_type != "Polygon" or len(shape.interiors):
            raise RuntimeError(f"township {i} is not a simple polygon: {shape.geom_type}")
        polygon = orient(shape, sign=1.0)
        seat = _to_lonlat(*seed)
        inner = polygon.buffer(-0.006)
        if not inner.contains(Point(seat)):
            seat = _nearest_inside(inner, seat)
        code = f"{DISTRICT_CODE}{i + 1:03d}"
        townships.append(Township(i, code, next(names[kind]), kind, polygon, seat))
    return townships


def _merge_fragments(cells: np.ndarray, assign: np.ndarray, n: int) -> None:
    """Give cells cut off from their township's main body to the neighbour they touch most."""
    tree = shapely.STRtree(cells)
    for _round in range(20):
        changed = False
        for t in range(n):
            idx = np.flatnonzero(assign == t)
            parts = shapely.get_parts(shapely.union_all(cells[idx]))
            if len(parts) <= 1:
                continue
            main = max(parts, key=lambda g: g.area)
            for j in idx:
                if main.contains(cells[j].representative_point()):
                    continue
                neighbours = tree.query(cells[j], predicate="touches")
                votes = Counter(int(assign[k]) for k in neighbours if assign[k] != t)
                if votes:
                    assign[j] = min(votes, key=lambda k: (-votes[k], k))
                    changed = True
        if not changed:
            return


def _nearest_inside(polygon, point: tuple[float, float]) -> tuple[float, float]:
    nearest = nearest_points(polygon.buffer(-0.002), Point(point))[0]
    return (nearest.x, nearest.y)


def _sample_point(
    rng: random.Random,
    polygon,
    near: tuple[float, float] | None = None,
    radius_km: float = 1.0,
    avoid: Sequence[tuple[float, float]] = (),
    min_km: float = 0.0,
) -> tuple[float, float]:
    """A random point inside `polygon` (lon/lat), optionally within `radius_km` of `near`."""
    minx, miny, maxx, maxy = polygon.bounds
    for attempt in range(4000):
        spacing = min_km * (1.0 - attempt / 4000)
        if near is None:
            lon, lat = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        else:
            angle, dist = rng.uniform(0, 2 * math.pi), radius_km * math.sqrt(rng.random())
            lon = near[0] + dist * math.cos(angle) / KM_PER_DEG_LON
            lat = near[1] + dist * math.sin(angle) / KM_PER_DEG_LAT
        if not shapely.contains_xy(polygon, lon, lat):
            continue
        if spacing and any(_km(p, (lon, lat)) < spacing for p in avoid):
            continue
        return (lon, lat)
    point = polygon.representative_point()
    return (point.x, point.y)


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    return math.hypot((a[0] - b[0]) * KM_PER_DEG_LON, (a[1] - b[1]) * KM_PER_DEG_LAT)


def _boundaries_geojson(townships: list[Township]) -> str:
    features = []
    for township in townships:
        rings = [township.polygon.exterior, *township.polygon.interiors]
        coordinates = [[[round(x, 5), round(y, 5)] for x, y in ring.coords] for ring in rings]
        features.append(
            {
                "type": "Feature",
                "properties": {"code": township.code, "name": township.name},
                "geometry": {"type": "Polygon", "coordinates": coordinates},
            }
        )
    lines = ",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features)
    return '{"type":"FeatureCollection","features":[\n' + lines + "\n]}\n"


# ---------------------------------------------------------------------------------------------------------
# Demo district: registry
# ---------------------------------------------------------------------------------------------------------


def _name_pool(rng: random.Random, first: str, second: str) -> list[str]:
    pool = [a + b for a in first for b in second if a != b]
    rng.shuffle(pool)
    return pool


def _build_villages(rng: random.Random, townships: list[Township]) -> list[Village]:
    communities = iter(_name_pool(rng, COMMUNITY_FIRST, COMMUNITY_SECOND))
    rural = iter(_name_pool(rng, VILLAGE_FIRST, VILLAGE_SECOND))
    villages: list[Village] = []
    for township in townships:
        inner = township.polygon.buffer(-0.004)
        if township.kind == "街道":
            kinds = ["社区"] * rng.randint(9, 11) + ["村"] * rng.randint(0, 1)
        elif township.kind == "镇":
            kinds = ["社区"] * rng.randint(1, 2) + ["村"] * rng.randint(10, 13)
        else:
            kinds = ["社区"] * rng.randint(0, 1) + ["村"] * rng.randint(6, 8)
        area_km2 = township.polygon.area * KM_PER_DEG_LON * KM_PER_DEG_LAT
        spacing = 0.55 * math.sqrt(area_km2 / len(kinds))
        placed: list[tuple[float, float]] = []
        for number, kind in enumerate(kinds, start=1):
            if kind == "社区":
                name = next(communities) + "社区"
                population = rng.randint(3000, 12000) if township.kind == "街道" else rng.randint(2500, 7000)
                near = None if township.kind == "街道" else township.seat
                point = _sample_point(rng, inner, near, 1.8, placed, spacing * 0.6)
            else:
                name = next(rural) + "村"
                population = rng.randint(1500, 3600) if township.kind == "乡" else rng.randint(1200, 4800)
                point = _sample_point(rng, inner, None, 0, placed, spacing)
            placed.append(point)
            code = f"{township.code}{number:03d}"
            villages.append(Village(code, name, kind, township, population, point))
        township.population = sum(v.population for v in villages if v.township is township)
        township.population += rng.randint(200, 2500)  # residents registered at township level
    return villages


def _opened(rng: random.Random, first_year: int, last_year: int) -> date:
    return _random_date(rng, date(first_year, 1, 1), date(last_year, 12, 28))


def _near(rng: random.Random, township: Township, point: tuple[float, float], km: float) -> tuple[float, float]:
    return _sample_point(rng, township.polygon.buffer(-0.003), point, km)


def _build_venues(rng: random.Random, townships: list[Township], villages: list[Village]) -> list[Venue]:
    by_name = {t.name: t for t in townships}
    seat_town = townships[0]
    venues: list[Venue] = []

    def add(**kwargs) -> Venue:
        venue = Venue(**kwargs)
        venues.append(venue)
        return venue

    centre = add(
        code="QX-WHG-001",
        name=f"{DISTRICT_NAME}文化馆",
        type="文化馆",
        parent=None,
        township=seat_town,
        village=None,
        point=_near(rng, seat_town, seat_town.seat, 0.8),
        area_m2=6850,
        weekly_hours=56,
        free_open=True,
        opened_on=date(1985, 6, 18),
    )
    library = add(
        code="QX-TSG-001",
        name=f"{DISTRICT_NAME}图书馆",
        type="图书馆",
        parent=None,
        township=seat_town,
        village=None,
        point=_near(rng, seat_town, seat_town.seat, 0.8),
        area_m2=10200,
        weekly_hours=70,
        free_open=True,
        opened_on=date(1988, 9, 28),
    )
    for number, town_name in enumerate(["望江街道", "柳林镇", "石桥镇"], start=1):
        township = by_name[town_name]
        add(
            code=f"QX-WHG-F{number:02d}",
            name=f"{DISTRICT_NAME}文化馆{township.short_name}分馆",
            type="文化馆分馆",
            parent=centre.code,
            township=township,
            village=None,
            point=_near(rng, township, township.seat, 1.2),
            area_m2=rng.randrange(900, 2200, 10),
            weekly_hours=56,
            free_open=True,
            opened_on=_opened(rng, 2017, 2021),
        )
    for number, (label, town_name) in enumerate(
        [("少儿", "青溪街道"), ("锦城", "锦城街道"), ("玉泉", "玉泉街道")], start=1
    ):
        township = by_name[town_name]
        add(
            code=f"QX-TSG-F{number:02d}",
            name=f"{DISTRICT_NAME}图书馆{label}分馆",
            type="图书馆直属分馆",
            parent=library.code,
            township=township,
            village=None,
            point=_near(rng, township, township.seat, 1.5),
            area_m2=rng.randrange(600, 1600, 10),
            weekly_hours=63 if label == "少儿" else 56,
            free_open=True,
            opened_on=_opened(rng, 2015, 2020),
        )
    without_branch = {"云峰乡", "竹溪乡"}
    branches: dict[str, Venue] = {}
    stations: dict[str, Venue] = {}
    for township in townships:
        stations[township.code] = add(
            code=f"QX-WHZ-{township.index + 1:02d}",
            name=f"{township.name}综合文化站",
            type="综合文化站",
            parent=centre.code,
            township=township,
            village=None,
            point=_near(rng, township, township.seat, 0.6),
            area_m2=rng.randrange(300, 1500, 10),
            weekly_hours=rng.choice([42, 48, 56, 56, 56]),
            free_open=True,
            opened_on=_opened(rng, 1992, 2012),
        )
        if township.name in without_branch:
            continue
        branches[township.code] = add(
            code=f"QX-TSG-J{township.index + 1:02d}",
            name=f"{DISTRICT_NAME}图书馆{township.short_name}分馆",
            type="街镇图书分馆",
            parent=library.code,
            township=township,
            village=None,
            point=_near(rng, township, township.seat, 0.6),
            area_m2=rng.randrange(200, 650, 10),
            weekly_hours=rng.choice([42, 48, 56, 56]),
            free_open=True,
            opened_on=_opened(rng, 2012, 2019),
        )

    # 综合文化活动中心 in communities of the urban streets (and the largest town community).
    centre_villages: list[Village] = []
    for town_name in ["青溪街道", "锦城街道", "玉泉街道", "文昌街道", "望江街道", "清泉镇"]:
        candidates = [v for v in villages if v.township.name == town_name and v.kind == "社区"]
        centre_villages.append(max(candidates, key=lambda v: v.population))
    for number, village in enumerate(centre_villages, start=1):
        add(
            code=f"QX-WHZX-{number:02d}",
            name=f"{village.name}综合文化活动中心",
            type="综合文化活动中心",
            parent=stations[village.township.code].code,
            township=village.township,
            village=village,
            point=_near(rng, village.township, village.point, 0.15),
            area_m2=rng.randrange(500, 2000, 10),
            weekly_hours=56,
            free_open=True,
            opened_on=_opened(rng, 2016, 2020),
        )

    # Village rooms: cover the streets, most of the towns, fewer of the outlying 乡 (and 双河镇 lags behind).
    room_rate = {"街道": 0.9, "镇": 0.66, "乡": 0.5}
    centre_codes = {v.code for v in centre_villages}
    for village in villages:
        if village.code in centre_codes:
            continue
        township = village.township
        rate = 0.42 if township.name == "双河镇" else room_rate[township.kind]
        has_activity_room = rng.random() < rate
        has_library_room = rng.random() < (0.4 if has_activity_room else 0.12)
        suffix = f"{township.index + 1:02d}{village.code[-3:]}"
        if has_library_room:
            branch = branches.get(township.code)
            add(
                code=f"QX-TSS-{suffix}",
                name=f"{village.name}农家书屋" if village.kind == "村" else f"{village.name}图书室",
                type="村社区图书室",
                parent=branch.code if branch else library.code,
                township=township,
                village=village,
                point=_near(rng, township, village.point, 0.15),
                area_m2=rng.randrange(40, 160, 5),
                weekly_hours=rng.choice([30, 35, 40, 42, 42]),
                free_open=True,
                opened_on=_opened(rng, 2008, 2022),
            )
        if has_activity_room:
            add(
                code=f"QX-HDS-{suffix}",
                name=f"{village.name}文化活动室",
                type="村社区文化活动室",
                parent=stations[township.code].code,
                township=township,
                village=village,
                point=_near(rng, township, village.point, 0.15),
                area_m2=rng.randrange(80, 320, 5),
                weekly_hours=rng.choice([35, 40, 42, 42, 48]),
                free_open=rng.random() > 0.02,
                opened_on=_opened(rng, 2008, 2022),
            )

    self_service = [
        ("青溪公园", "青溪街道"),
        ("区政务中心", "青溪街道"),
        ("锦城湖", "锦城街道"),
        ("玉泉地铁站", "玉泉街道"),
        ("文昌阁", "文昌街道"),
        ("望江广场", "望江街道"),
        ("柳林古镇", "柳林镇"),
        ("金马河", "金马镇"),
    ]
    for number, (place, town_name) in enumerate(self_service, start=1):
        township = by_name[town_name]
        add(
            code=f"QX-ZZ-{number:02d}",
            name=f"{DISTRICT_NAME}24小时城市书房（{place}店）",
            type="24小时自助图书馆",
            parent=library.code,
            township=township,
            village=None,
            point=_near(rng, township, township.seat, 2.0),
            area_m2=rng.randrange(30, 90, 5),
            weekly_hours=168,
            free_open=True,
            opened_on=_opened(rng, 2018, 2023) if number <= 6 else _opened(rng, 2024, 2025),
        )
    mobile = [
        ("石桥工业园", "石桥镇"),
        ("龙潭镇敬老院", "龙潭镇"),
        ("云峰茶山", "云峰乡"),
        ("双河驻地营区", "双河镇"),
        ("松林乡中心校", "松林乡"),
    ]
    for number, (place, town_name) in enumerate(mobile, start=1):
        township = by_name[town_name]
        add(
            code=f"QX-LD-{number:02d}",
            name=f"流动图书服务点（{place}）",
            type="流动服务点",
            parent=library.code,
            township=township,
            village=None,
            point=None if number == 4 else _near(rng, township, township.seat, 3.0),
            area_m2=None if number in (1, 4) else rng.randrange(20, 60, 5),
            weekly_hours=rng.choice([8, 12, 16]),
            free_open=True,
            opened_on=_opened(rng, 2019, 2023),
        )

    # A few venues opened during the reported period, so their series start late.
    late = [v for v in venues if v.type in ("村社区文化活动室", "村社区图书室")]
    for venue in rng.sample(late, 5):
        venue.opened_on = _opened(rng, 2024, 2025)

    # Coordinates as staff would paste them: most WGS-84, some read off Amap (GCJ-02) or Baidu (BD-09).
    located = [v for v in venues if v.point is not None and v.type not in ("文化馆", "图书馆")]
    picked = rng.sample(located, 20 + 30)
    for venue in picked[:15]:
        venue.crs = "GCJ02"
    for venue in picked[15:20]:
        venue.crs = "BD09"
    for venue in picked[20:]:
        venue.crs = "WGS84"
    return venues


def _venue_row(venue: Venue) -> list[object]:
    lon = lat = None
    if venue.point is not None:
        x, y = venue.point
        if venue.crs == "GCJ02":
            x, y = wgs84_to_gcj02(x, y)
        elif venue.crs == "BD09":
            x, y = wgs84_to_bd09(x, y)
        lon, lat = f"{x:.6f}", f"{y:.6f}"
    return [
        venue.code,
        venue.name,
        venue.type,
        venue.parent,
        venue.township.code,
        venue.village.code if venue.village else None,
        lon,
        lat,
        venue.crs,
        None if venue.area_m2 is None else _number(venue.area_m2),
        _number(venue.weekly_hours),
        _yes_no(venue.free_open),
        venue.opened_on.isoformat(),
    ]


# ---------------------------------------------------------------------------------------------------------
# Demo district: monthly reports
# ---------------------------------------------------------------------------------------------------------


def _season(metric: str, month: date) -> float:
    m, sf = month.month, SPRING_FESTIVAL_MONTH[month.year]
    next_month = date(month.year + (m == 12), m % 12 + 1, 1)
    is_sf = m == sf
    before_sf = next_month.month == SPRING_FESTIVAL_MONTH[next_month.year]
    if metric == "library":
        f = {1: 1.0, 2: 0.98, 3: 0.97, 4: 1.02, 5: 1.0, 6: 0.95, 7: 1.32, 8: 1.38, 9: 0.92, 10: 1.06}.get(m, 0.95)
        return f * (0.7 if is_sf else 1.0)
    if metric == "culture":
        f = {7: 1.15, 8: 1.18, 10: 1.1, 12: 0.95}.get(m, 1.0)
        return f * (1.3 if is_sf else 1.0)
    if metric == "reading":
        f = {4: 1.6, 7: 1.35, 8: 1.35}.get(m, 1.0)
        return f * (0.55 if is_sf else 1.0)
    if metric == "exhibition":
        return {7: 1.15, 8: 1.15, 10: 1.2}.get(m, 1.0) * (1.35 if is_sf else 1.0)
    if metric == "education":
        return {7: 1.8, 8: 1.7, 9: 1.1}.get(m, 1.0) * (0.55 if is_sf else 1.0)
    if metric == "performance":
        f = {10: 1.35, 6: 0.9, 7: 0.85, 8: 0.85}.get(m, 1.0)
        return f * (2.6 if is_sf else 1.4 if before_sf else 1.0)
    if metric == "online":
        return {7: 1.1, 8: 1.1}.get(m, 1.0) * (1.15 if is_sf else 1.0)
    raise ValueError(metric)


@dataclass
class MonthlyResult:
    rows: list[list[object]]
    events: dict[tuple[str, int, str], int]  # (venue_code, year, event field) → events held
    totals: dict[tuple[str, date], int]  # (metric, month) → district total
    silent: list[str]  # venues with no activity in the last three months


def _build_monthly(rng: random.Random, venues: list[Venue]) -> MonthlyResult:
    # Who is special: venues quiet for the last three months, venues missing the latest report, a closure.
    stations = [v for v in venues if v.type == "综合文化站" and v.township.kind != "街道"]
    rooms = [v for v in venues if v.type == "村社区文化活动室" and v.opened_on < date(2023, 1, 1)]
    silent = rng.sample(stations, 2) + rng.sample(rooms, 3)
    silent_codes = {v.code for v in silent}
    open_last = [v for v in venues if v.opened_on < LAST_MONTH]
    candidates = [
        v
        for v in open_last
        if v.code not in silent_codes
        and v.type in ("村社区文化活动室", "村社区图书室", "综合文化站", "24小时自助图书馆", "流动服务点")
    ]
    missing_last = {v.code for v in rng.sample(candidates, round(0.08 * len(open_last)))}
    branches = [v for v in venues if v.type == "街镇图书分馆"]
    closed_branch = rng.choice(branches).code
    closure = {date(2025, 5, 1): "馆舍提升改造，本月闭馆", date(2025, 6, 1): "改造完成，7月1日恢复开放"}

    notes: dict[tuple[str, date], str] = {}
    for year in (2024, 2025, 2026):
        notes[("QX-TSG-001", date(year, 4, 1))] = "含4·23世界读书日系列活动"
        sf = date(year, SPRING_FESTIVAL_MONTH[year], 1)
        notes[("QX-WHG-001", sf)] = "含春节文化惠民系列演出"
    notes[("QX-TSG-001", date(2026, 7, 1))] = "暑期少儿阅读季启动，延长开放时间"
    notes[("QX-WHG-001", date(2025, 3, 1))] = "线上服务人次含“云上文化馆”直播观看"
    notes[("QX-TSG-F01", date(2024, 8, 1))] = "含少儿暑期托管阅读服务"
    notes[(branches[0].code, date(2024, 9, 1))] = "本月含流动图书车服务数据"
    notes[(silent[0].code, LAST_MONTH)] = "文化站专职人员借调，活动暂停"
    notes[(silent[2].code, date(2026, 9, 1))] = "活动室用作临时防汛物资仓库"

    rows: list[list[object]] = []
    events: dict[tuple[str, int, str], int] = defaultdict(int)
    totals: dict[tuple[str, date], int] = defaultdict(int)
    for venue in venues:
        profile = TYPE_PROFILES[venue.type]
        visits0, loans0, cards0, *event_means, online0, media0 = profile
        size = math.exp(rng.gauss(0, 0.3))
        if venue.type in ("村社区图书室", "村社区文化活动室"):
            size *= (venue.village.population / 2500) ** 0.4
        elif venue.type in ("综合文化站", "街镇图书分馆"):
            size *= (venue.township.population / 45000) ** 0.35
        growth = rng.uniform(0.04, 0.09)
        activity = size**0.5
        for index, month in enumerate(MONTHS):
            if venue.opened_on >= month:
                continue
            key = (venue.code, month)
            if month == LAST_MONTH and venue.code in missing_last:
                continue
            if month < LAST_MONTH and venue.type in ("村社区图书室", "村社区文化活动室") and rng.random() < 0.004:
                continue  # an occasional month never reported
            trend = (1 + growth) ** ((index - 20) / 12)
            first_months = 0.6 if (month.year, month.month) <= _plus_months(venue.opened_on, 2) else 1.0
            level = size * trend * first_months
            noise = math.exp(rng.gauss(0, 0.07))
            season = _season("library" if venue.type in LIBRARY_TYPES else "culture", month)
            visits = round(visits0 * level * season * noise)
            loans = None if loans0 is None else round(loans0 * level * season * noise * rng.uniform(0.93, 1.07))
            cards = None if cards0 is None else _poisson(rng, cards0 * level * season)
            held = {
                name: _poisson(rng, mean * activity * trend * _season(name, month))
                for name, mean in zip(EVENT_FIELDS, event_means, strict=True)
            }
            online = None if online0 is None else round(online0 * level * _season("online", month) * noise)
            media = _poisson(rng, media0 * activity * (1.5 if sum(held.values()) > 8 else 1.0))
            note = notes.get(key)
            if venue.code in silent_codes and month >= date(2026, 8, 1):
                held = dict.fromkeys(EVENT_FIELDS, 0)
                visits, media = round(visits * 0.3), 0
            if venue.code == closed_branch and month in closure:
                visits, loans, cards, online, media = 0, 0, 0, round((online or 0) * 0.5), 0
                held = dict.fromkeys(EVENT_FIELDS, 0)
                note = closure[month]
            scale = 1.5 if venue.type in ("文化馆", "图书馆") else 0.5 if venue.village else 1.0
            participants = sum(
                round(count * PARTICIPANTS_PER_EVENT[name] * scale * rng.uniform(0.7, 1.3))
                for name, count in held.items()
            )
            rows.append(
                [
                    _month_text(month),
                    venue.code,
                    visits,
                    loans,
                    cards,
                    held["reading"],
                    held["exhibition"],
                    held["education"],
                    held["performance"],
                    participants,
                    online,
                    media,
                    note,
                ]
            )
            for name, count in held.items():
                events[(venue.code, month.year, name)] += count
            if venue.type in LIBRARY_TYPES:
                totals[("library_visits", month)] += visits
                totals[("cardholders", month)] += cards or 0
            totals[("participants", month)] += participants
    rows.sort(key=lambda row: (row[0], row[1]))
    return MonthlyResult(rows, dict(events), dict(totals), [v.code for v in silent])


def _plus_months(day: date, months: int) -> tuple[int, int]:
    total = day.year * 12 + day.month - 1 + months
    return total // 12, total % 12 + 1


# ---------------------------------------------------------------------------------------------------------
# Demo district: plans, sites, funds, inspections, circulation, art school
# ---------------------------------------------------------------------------------------------------------


def _build_activity_plans(
    rng: random.Random, venues: list[Venue], events: dict[tuple[str, int, str], int], silent: list[str]
) -> list[list[object]]:
    rows = []
    for venue in venues:
        for name, category in EVENT_CATEGORIES.items():
            held_2025 = events.get((venue.code, 2025, name), 0)
            held_2026 = events.get((venue.code, 2026, name), 0)  # January–October
            if held_2025 == 0 and held_2026 == 0:
                continue
            if held_2025:
                rows.append([2025, venue.code, category, max(1, round(held_2025 / rng.uniform(0.9, 1.15)))])
            if venue.code in silent or held_2026 == 0:
                planned_2026 = max(1, round(held_2025 * rng.uniform(1.0, 1.1)))
            else:
                planned_2026 = max(1, round(held_2026 / rng.uniform(0.72, 1.08)))
            rows.append([2026, venue.code, category, planned_2026])
    rows.sort(key=lambda row: (row[0], row[1], list(EVENT_CATEGORIES.values()).index(row[2])))
    return rows


@dataclass
class DemoSite:
    venue: Venue
    batch_year: int
    level: str
    stage: str
    stage_date: date
    rooms: tuple[bool, bool, bool]


def _build_demo_sites(rng: random.Random, venues: list[Venue], silent: list[str]) -> list[DemoSite]:
    eligible = [v for v in venues if v.code not in silent and v.opened_on < date(2021, 1, 1)]
    stations = rng.sample([v for v in eligible if v.type == "综合文化站"], 6)
    centres = rng.sample([v for v in eligible if v.type == "综合文化活动中心"], 3)
    rooms = rng.sample([v for v in eligible if v.type == "村社区文化活动室"], 6)
    batches = {
        2022: (
            [stations[0], stations[1], centres[0], rooms[0], rooms[1]],
            ["国家级", "省级", "省级", "市级", "市级"],
            ["已授牌", "已授牌", "已授牌", "已验收", "已授牌"],
        ),
        2024: (
            [stations[2], stations[3], centres[1], rooms[2], rooms[3]],
            ["省级", "市级", "市级", "区级", "区级"],
            ["已授牌", "已验收", "已验收", "建设中", "建设中"],
        ),
        2026: (
            [stations[4], stations[5], centres[2], rooms[4], rooms[5]],
            ["省级", "市级", "市级", "区级", "区级"],
            ["建设中", "建设中", "申报", "申报", "申报"],
        ),
    }
    stage_windows = {
        "申报": (0, 0.3),
        "建设中": (0.3, 0.8),
        "已验收": (1.0, 1.6),
        "已授牌": (1.2, 1.9),
    }
    sites = []
    for year, (members, levels, stages) in batches.items():
        for venue, level, stage in zip(members, levels, stages, strict=True):
            low, high = stage_windows[stage]
            start = date(year, 3, 1)
            stage_date = start + timedelta(days=round(365 * rng.uniform(low, high)))
            stage_date = min(stage_date, date(2026, 11, 10))
            planning = year == 2026 and stage == "申报"
            rooms_open = (
                True,
                rng.random() > (0.5 if planning else 0.1),
                rng.random() > (0.4 if planning else 0.05),
            )
            sites.append(DemoSite(venue, year, level, stage, stage_date, rooms_open))
    return sites


def _demo_site_rows(sites: list[DemoSite]) -> list[list[object]]:
    return [
        [
            s.venue.code,
            s.batch_year,
            s.level,
            s.stage,
            *(_yes_no(flag) for flag in s.rooms),
            s.stage_date.isoformat(),
        ]
        for s in sites
    ]


@dataclass
class Subsidy:
    year: int
    source: str
    programme: str
    venue: str
    allocated: float
    disbursed: float | None = None
    spent: float | None = None
    doc_no: str | None = None


def _build_subsidies(rng: random.Random, venues: list[Venue], sites: list[DemoSite]) -> list[Subsidy]:
    by_type: dict[str, list[Venue]] = defaultdict(list)
    for venue in venues:
        by_type[venue.type].append(venue)
    doc_prefix = {"中央": "财教", "省级": "川财教", "市级": "市财教", "区级": "青文旅"}
    doc_numbers: dict[tuple[int, str, str], str] = {}

    def doc(year: int, source: str, programme: str) -> str:
        key = (year, source, programme)
        if key not in doc_numbers:
            number = rng.randint(8, 160) if source != "区级" else rng.randint(3, 60)
            doc_numbers[key] = f"{doc_prefix[source]}〔{year - (source == '中央')}〕{number}号"
        return doc_numbers[key]

    items: list[Subsidy] = []

    def grant(year: int, source: str, programme: str, venue: Venue, amount: float) -> None:
        items.append(
            Subsidy(year, source, programme, venue.code, round(amount, 4), doc_no=doc(year, source, programme))
        )

    district_heads = by_type["文化馆"] + by_type["图书馆"]
    for year in (2024, 2025, 2026):
        growth = 1 + 0.03 * (year - 2024)
        for venue in district_heads:
            grant(year, "中央", "免费开放", venue, 40 * growth)
            grant(year, "省级", "免费开放", venue, 10)
            grant(year, "市级", "免费开放", venue, 8)
            grant(year, "区级", "免费开放", venue, 20 * growth)
        for venue in by_type["综合文化站"]:
            grant(year, "中央", "免费开放", venue, 5)
            grant(year, "省级", "免费开放", venue, 2)
            grant(year, "区级", "免费开放", venue, 3 + rng.choice([0, 0.5, 1.0]))
        # Branch network (总分馆) building: the two heads every year, a rotating set of branches.
        for venue in district_heads:
            grant(year, "省级", "总分馆建设", venue, rng.choice([30, 35, 40, 50]))
            grant(year, "区级", "总分馆建设", venue, rng.uniform(15, 30))
        branch_pool = by_type["街镇图书分馆"] + by_type["文化馆分馆"] + by_type["图书馆直属分馆"]
        for venue in rng.sample(branch_pool, 6):
            grant(year, "市级", "总分馆建设", venue, rng.uniform(3, 12))
        equipment_pool = by_type["24小时自助图书馆"] + by_type["街镇图书分馆"] + by_type["综合文化活动中心"]
        equipment_pool = [v for v in equipment_pool if v.opened_on.year < year]
        for venue in rng.sample(equipment_pool, 6):
            grant(year, "区级", "设备购置", venue, rng.uniform(2, 25))
        for venue in rng.sample(equipment_pool, 2):
            grant(year, "市级", "设备购置", venue, rng.uniform(5, 20))
        grant(year, "区级", "其他", by_type["文化馆"][0], rng.uniform(8, 15))  # citizen art school
        grant(year, "区级", "其他", by_type["图书馆"][0], rng.uniform(5, 10))  # reading promotion
        # Demonstration sites: money in the batch year and the year after, for sites past 申报.
        for site in sites:
            if site.stage == "申报" or year not in (site.batch_year, site.batch_year + 1):
                continue
            if site.batch_year == 2022:
                continue
            first = year == site.batch_year
            level_amount = {"国家级": 50, "省级": 30, "市级": 20, "区级": 10}[site.level]
            if site.level in ("国家级", "省级"):
                grant(year, "省级", "示范点建设", site.venue, level_amount * (0.6 if first else 0.4))
            if site.level != "区级":
                grant(year, "市级", "示范点建设", site.venue, level_amount * (0.3 if first else 0.2))
            grant(year, "区级", "示范点建设", site.venue, rng.uniform(5, 12))

    for item in items:
        if item.programme == "其他" and rng.random() < 0.5:
            item.doc_no = None
        if item.year == 2024:
            item.disbursed = item.allocated
            item.spent = item.allocated * rng.choice([1.0, 1.0, 1.0, rng.uniform(0.93, 0.999)])
        elif item.year == 2025:
            item.disbursed = item.allocated * rng.choice([1.0, 1.0, 1.0, 1.0, rng.uniform(0.85, 0.98)])
            item.spent = item.disbursed * rng.choice([1.0, 1.0, rng.uniform(0.8, 0.99)])
        elif item.programme == "免费开放":  # fully disbursed by September, partly spent
            item.disbursed = item.allocated
            item.spent = item.allocated * rng.uniform(0.55, 0.85)
        elif rng.random() < 0.2:  # not yet disbursed
            item.disbursed = None
        else:
            item.disbursed = item.allocated * rng.choice([0.5, 0.6, 0.8, 1.0])
            item.spent = item.disbursed * rng.uniform(0.2, 0.7)

    # A few anomalies the subsidies page and the overview alert must catch.
    def pick(year: int, programme: str) -> Subsidy:
        return rng.choice([s for s in items if s.year == year and s.programme == programme and s.disbursed])

    over_disbursed = pick(2024, "设备购置")
    over_disbursed.disbursed = over_disbursed.allocated + 2.5
    over_disbursed.spent = over_disbursed.disbursed
    over_disbursed_2 = pick(2025, "总分馆建设")
    over_disbursed_2.disbursed = over_disbursed_2.allocated * 1.2
    for year, programme in ((2025, "免费开放"), (2025, "设备购置"), (2026, "示范点建设")):
        item = pick(year, programme)
        item.spent = (item.disbursed or 0) * rng.uniform(1.04, 1.15)
    for item in items:
        item.allocated = round(item.allocated, 4)
        item.disbursed = None if item.disbursed is None else round(item.disbursed, 4)
        item.spent = None if item.spent is None else round(item.spent, 4)
    return items


def _subsidy_rows(items: list[Subsidy]) -> list[list[object]]:
    sources = ["中央", "省级", "市级", "区级"]
    programmes = ["免费开放", "示范点建设", "总分馆建设", "设备购置", "其他"]
    ordered = sorted(items, key=lambda s: (s.year, sources.index(s.source), programmes.index(s.programme), s.venue))
    return [
        [
            s.year,
            s.source,
            s.programme,
            s.venue,
            _money(s.allocated),
            None if s.disbursed is None else _money(s.disbursed),
            None if s.spent is None else _money(s.spent),
            s.doc_no,
        ]
        for s in ordered
    ]


ISSUE_NOTES = {
    "设施闲置": ["电子阅览室设备长期未开机使用", "多功能活动室长期闲置，未开展活动"],
    "挪作他用": ["文化活动室被临时用作会议室", "图书室部分区域堆放杂物"],
    "不开门": ["暗访时未按公示时间开放，大门紧锁", "开放时间内无人值守，群众无法进入"],
    "无人员": ["未配备专（兼）职文化管理员", "管理员长期借调，日常开放无人负责"],
    "无经费": ["年度运行经费未落实到位", "免费开放补助资金未及时拨付到点位"],
    "活动少": ["近三个月未开展文化活动", "全年活动场次不足计划的一半"],
    "宣传不到位": ["开放时间及服务项目未上墙公示", "活动信息未通过公众号等渠道发布"],
    "无问题": ["免费开放制度落实到位，台账规范", "按公示时间开放，设施运行良好"],
}


def _build_inspections(rng: random.Random, venues: list[Venue], silent: list[str]) -> list[list[object]]:
    pool = [
        v
        for v in venues
        if v.type
        in ("综合文化站", "综合文化活动中心", "村社区文化活动室", "村社区图书室", "街镇图书分馆", "24小时自助图书馆")
        and v.opened_on < date(2024, 10, 1)
    ]
    methods = ["自查"] * 6 + ["督查"] * 6 + ["暗访"] * 4 + ["专项治理"] * 2
    issues = ["设施闲置", "挪作他用", "不开门", "无人员", "无经费", "活动少", "宣传不到位"]
    rows: dict[tuple[str, str, str], list[object]] = {}

    def add(day: date, venue: Venue, method: str, issue: str, status: str | None, due: date | None, note: str):
        key = (day.isoformat(), venue.code, issue)
        rows[key] = [day.isoformat(), venue.code, method, issue, status, due and due.isoformat(), note]

    while len(rows) < 54:
        day = _random_date(rng, date(2025, 1, 6), date(2026, 11, 13))
        if day.weekday() >= 5:
            continue
        venue = rng.choice(pool)
        method = rng.choice(methods)
        if method == "暗访":
            issue = rng.choice(["不开门", "不开门", "无人员", "无问题", "挪作他用"])
        else:
            issue = "无问题" if rng.random() < 0.5 else rng.choice(issues)
        note = rng.choice(ISSUE_NOTES[issue])
        if issue == "无问题":
            add(day, venue, method, issue, None, None, note)
            continue
        due = day + timedelta(days=rng.choice([30, 45, 60, 90]))
        if due < date(2026, 8, 1):
            status = "已完成整改" if rng.random() < 0.9 else "正在整改"
        elif due < TODAY:
            status = rng.choice(["已完成整改", "已完成整改", "正在整改", "未启动整改"])
        else:
            status = rng.choice(["正在整改", "正在整改", "未启动整改"])
        add(day, venue, method, issue, status, due, note)

    # Every category of finding occurs at least once.
    found = {row[3] for row in rows.values()}
    for issue in issues:
        if issue not in found:
            day = date(2025, 11, 18) + timedelta(days=7 * issues.index(issue))
            add(day, rng.choice(pool), "督查", issue, "已完成整改", day + timedelta(days=30), ISSUE_NOTES[issue][0])

    # Findings that are overdue on purpose, and the quiet venues caught by the November check.
    by_code = {v.code: v for v in venues}
    overdue = [
        (date(2026, 6, 16), "督查", "无人员", "正在整改", date(2026, 8, 31)),
        (date(2026, 7, 9), "暗访", "不开门", "未启动整改", date(2026, 8, 15)),
        (date(2026, 8, 20), "专项治理", "挪作他用", "正在整改", date(2026, 10, 31)),
        (date(2026, 9, 3), "督查", "设施闲置", "未启动整改", date(2026, 10, 15)),
    ]
    for day, method, issue, status, due in overdue:
        venue = rng.choice(pool)
        add(day, venue, method, issue, status, due, rng.choice(ISSUE_NOTES[issue]))
    for number, code in enumerate(silent):
        day = date(2026, 11, 10 + number)
        status = "未启动整改" if number % 2 else "正在整改"
        add(day, by_code[code], "督查", "活动少", status, date(2026, 12, 31), "近三个月未开展文化活动")
    return sorted(rows.values(), key=lambda row: (row[0], row[1], row[3]))


def _build_circulation(rng: random.Random, venues: list[Venue]) -> list[list[object]]:
    library = next(v for v in venues if v.type == "图书馆")
    branches = [v for v in venues if v.type in ("街镇图书分馆", "图书馆直属分馆")]
    rooms = [v for v in venues if v.type == "村社区图书室"]
    rows = []
    rotation = 0
    for year, months in ((2024, (3, 6, 9, 12)), (2025, (3, 6, 9, 12)), (2026, (3, 6, 9))):
        for round_no, month in enumerate(months, start=1):
            day = date(year, month, 3)
            targets = [branches[(rotation + k) % len(branches)] for k in range(5)]
            rotation += 5
            for venue in targets:
                day += timedelta(days=rng.choice([1, 2, 2, 3]))
                rows.append([day, round_no, library.code, venue.code, rng.randrange(600, 2001, 10)])
            for room in rng.sample([r for r in rooms if r.opened_on < day], 1):
                rows.append([day, round_no, library.code, room.code, rng.randrange(100, 401, 10)])
            back = targets[0]
            rows.append([day + timedelta(days=1), round_no, back.code, library.code, rng.randrange(300, 1201, 10)])
            if round_no % 2 == 0:
                branch = rng.choice([b for b in targets if b.type == "街镇图书分馆"] or targets)
                own_rooms = [r for r in rooms if r.parent == branch.code and r.opened_on < day]
                for room in own_rooms[:2]:
                    rows.append([day + timedelta(days=3), round_no, branch.code, room.code, rng.randrange(80, 301, 5)])
    rows.sort(key=lambda row: (row[0], row[2], row[3]))
    return [[d.isoformat(), r, a, b, n] for d, r, a, b, n in rows]


def _build_art_school(rng: random.Random, venues: list[Venue]) -> list[list[object]]:
    centre = [v for v in venues if v.type == "文化馆"]
    branches = [v for v in venues if v.type == "文化馆分馆"]
    points = rng.sample([v for v in venues if v.type == "综合文化站" and v.township.kind == "街道"], 2)
    subjects = ["声乐", "舞蹈", "器乐", "戏曲", "书画", "健身"]
    offer = {centre[0].code: subjects}
    for venue in branches:
        offer[venue.code] = sorted(rng.sample(subjects, 4), key=subjects.index)
    for venue in points:
        offer[venue.code] = sorted(rng.sample(["声乐", "舞蹈", "书画", "健身"], 2), key=subjects.index)
    rows = []
    for year in (2024, 2025, 2026):
        for season in ("春", "暑期", "秋"):
            term = f"{year}{season}"
            for venue in centre + branches + points:
                for subject in offer[venue.code]:
                    if season == "暑期" and subject in ("戏曲", "健身"):
                        continue
                    if season == "暑期" and venue in points:
                        continue
                    big = venue.type == "文化馆"
                    classes = rng.randint(3, 8) if big else rng.randint(1, 3)
                    if season == "暑期":
                        classes = max(1, classes - 1)
                    places = classes * rng.choice([20, 25, 30])
                    applicants = round(places * rng.uniform(0.75, 1.7) * (1 + 0.05 * (year - 2024)))
                    enrolled = round(min(applicants, places) * rng.uniform(0.88, 1.0))
                    rows.append([term, venue.code, subject, classes, places, applicants, enrolled])
    # Two classes took in more students than the places on offer.
    for row in rng.sample([r for r in rows if r[5] > r[4] * 1.1], 2):
        row[6] = min(row[5], row[4] + rng.randint(3, 8))
    return rows


# ---------------------------------------------------------------------------------------------------------
# Demo district: the 2026 task ledger in four snapshots
# ---------------------------------------------------------------------------------------------------------

SNAPSHOTS = [date(2026, 3, 20), date(2026, 6, 20), date(2026, 9, 20), date(2026, 11, 20)]


@dataclass
class TaskSpec:
    section: str
    title: str
    lead: str
    co: str
    target: float
    unit: str
    deadline: str  # MM-DD in 2026
    actuals: tuple[float, ...]
    done: str  # what has been achieved, with {a} for the actual value
    plans: tuple[str, ...]  # next steps at the first three snapshots (one entry = the same each time)
    final: str  # the next step at the last snapshot, if not complete
    states: tuple[str | None, ...] = (None, None, None, None)  # explicit 状态 per snapshot
    notes: tuple[str | None, ...] = (None, None, None, None)  # a whole note per snapshot, overriding
    lag: str = ""  # why it is behind
    zero: str = "正在制定工作方案，尚未启动实施"


def _task_specs(data: dict[str, object]) -> list[TaskSpec]:
    s1, s2, s3, s4, s5, s6, s7, s8 = (
        "公共文化服务体系建设",
        "全民阅读推广",
        "群众文化活动",
        "文艺创作与非遗保护",
        "文旅融合发展",
        "全民健身",
        "文化市场监管",
        "资金与项目管理",
    )
    return [
        TaskSpec(
            s1, "新建24小时城市书房", "区图书馆", "锦城街道、玉泉街道", 2, "个", "12-31", (0, 0, 1, 1),
            "建成并开放24小时城市书房{a}个（玉泉地铁站店）",
            ("第二个城市书房正在进行内部装修",), "锦城湖店已完成装修验收，计划12月中旬开放",
            states=("序时推进", "序时推进", None, "序时推进"),
            zero="已完成选址和设计方案，正在开展装修招标",
        ),
        TaskSpec(
            s1, "推进村（社区）综合性文化服务中心提档升级", "公共服务科", "各镇（街道）", 20, "个", "11-30",
            (2, 6, 11, 15), "完成{a}个村（社区）综合性文化服务中心提档升级",
            ("其余点位正在进行方案设计", "其余点位正在施工", "其余点位正在施工"),
            "剩余5个点位正加快施工，力争12月底前完成",
            states=(None, None, "滞后", "滞后"), lag="受部分点位选址调整影响，进度滞后于序时",
        ),
        TaskSpec(
            s1, "创建省级基层综合性文化服务中心示范点", "公共服务科", "金马镇", 1, "个", "12-15", (0, 0, 0, 0),
            "", ("",), "",
            states=("未启动", "序时推进", "序时推进", "序时推进"),
            notes=(
                "正在组织示范点申报材料",
                "已完成申报材料报送，正在按标准开展功能室改造",
                "功能室改造已完成80%，正在完善服务台账",
                "已通过市级初评，等待省级评估验收",
            ),
        ),
        TaskSpec(
            s1, "总分馆制通借通还覆盖率", "区图书馆", "各镇（街道）", 100, "%", "12-31", (85, 90, 94, 96),
            "全区总分馆通借通还覆盖率达到{a}%",
            ("正在推进村级服务点纳入统一借阅平台",), "剩余偏远村点位计划12月完成系统接入",
        ),
        TaskSpec(
            s1, "乡镇（街道）综合文化站免费开放率", "公共服务科", "各镇（街道）", 100, "%", "06-30",
            (100, 100, 100, 100), "全区16个综合文化站全部实现免费开放，免费开放率{a}%",
            ("",), "", states=("已完成", None, None, "已完成"),
        ),
        TaskSpec(
            s1, "开展公共文化设施效能督查", "公共服务科", "区文化市场综合执法大队", 4, "次", "12-31",
            (1, 2, 3, 3), "开展效能督查{a}次，督促整改问题点位",
            ("第二季度督查正在筹备", "第三季度督查正在筹备", "第四季度督查正在筹备"),
            "第四季度督查计划于12月上旬开展",
        ),
        TaskSpec(
            s1, "建设公共文化服务数字化平台", "区图书馆", "区文化馆、区大数据中心", 1, "个", "10-31",
            (0, 0, 0, 0), "", ("",), "",
            states=("序时推进", "序时推进", "序时推进", "滞后"),
            notes=(
                "已完成平台需求调研，正在编制建设方案",
                "建设方案已通过专家评审，正在编制招标文件",
                "因招标流程延期，平台开发正在进行，预计10月底完成",
                "平台尚未上线，已超过计划完成时限，预计12月底完成部署",
            ),
        ),
        TaskSpec(
            s1, "基层文化管理员业务培训", "公共服务科", "区文化馆、区图书馆", 300, "人次", "09-30",
            (0, 120, 315, 315), "培训基层文化管理员{a}人次",
            ("第二期培训计划于7月举办",), "", zero="已制定年度培训计划，首期培训定于5月举办",
        ),
        TaskSpec(
            s2, "开展全民阅读活动", "区图书馆", "各镇（街道）", 600, "场", "12-31", (140, 300, 465, 552),
            "开展全民阅读活动{a}场",
            ("正在筹备4·23世界读书日系列活动", "正在筹备暑期少儿阅读季", "正在筹备“书香青溪”阅读月系列活动"),
            "12月将集中开展冬季阅读推广活动",
        ),
        TaskSpec(
            s2, "公共图书馆总分馆到馆人次", "区图书馆", "各镇（街道）", data["visits_target"], "人次", "12-31",
            data["visits"], "实现全区公共图书馆总分馆到馆{a}人次",
            ("正在推进分馆延时开放", "暑期阅读季将带动到馆人次增长", "正在推进城市书房延时服务"),
            "预计全年可完成目标任务",
        ),
        TaskSpec(
            s2, "新增持证读者", "区图书馆", "各镇（街道）", data["cards_target"], "人", "12-31",
            data["cards"], "新增持证读者{a}人",
            ("正在开展“免证借阅”进社区活动", "正在推进电子读者证办理", "正在组织新生入学办证活动"),
            "正在推进与社保卡一卡通办证",
        ),
        TaskSpec(
            s2, "推进图书资源流转", "区图书馆", "各街镇图书分馆", data["circulation_target"], "册", "12-31",
            data["circulation"], "完成图书流转{a}册",
            ("第二轮流转正在配书", "第三轮流转正在配书", "第四轮流转正在配书"),
            "第四轮流转计划于12月完成",
        ),
        TaskSpec(
            s2, "打造“书香青溪”阅读推广品牌活动", "区图书馆", "区融媒体中心", 12, "场", "12-31",
            (3, 6, 9, 11), "举办“书香青溪”品牌阅读活动{a}场",
            ("",), "12月将举办年度阅读推广人颁奖活动",
        ),
        TaskSpec(
            s2, "少儿暑期阅读季参与人次", "区图书馆", "区教育局", 20000, "人次", "08-31", (0, 0, 23600, 23600),
            "组织少儿暑期阅读季活动，参与{a}人次", ("",), "",
            states=("未启动", "序时推进", None, "已完成"),
            notes=("计划于7月启动暑期阅读季", "活动方案已印发，定于7月初启动", None, None),
        ),
        TaskSpec(
            s2, "农家书屋出版物补充更新", "区图书馆", "各镇（乡）", 10000, "册", "10-31", (0, 0, 4200, 6800),
            "完成农家书屋出版物补充更新{a}册",
            ("",), "剩余出版物正在分批配送",
            states=(None, "序时推进", None, None),
            notes=("已完成书目征集，正在开展采购", "采购合同正在签订", None, None),
            lag="受图书采购合同签订延迟影响，配送进度滞后",
        ),
        TaskSpec(
            s3, "开展“我们的节日”主题文化活动", "区文化馆", "各镇（街道）", 80, "场", "12-31", (24, 38, 58, 72),
            "开展“我们的节日”主题文化活动{a}场",
            (
                "已完成春节、元宵系列活动，正在筹备清明、端午活动",
                "正在筹备七夕、中秋主题活动",
                "正在筹备国庆、重阳主题活动",
            ),
            "重阳节系列活动已完成，正在筹备元旦迎新活动",
        ),
        TaskSpec(
            s3, "文艺演出进基层（送戏下乡）", "区文化馆", "各镇（街道）", 200, "场", "12-31", (38, 92, 148, 176),
            "开展送戏下乡演出{a}场",
            ("正在筹备“欢乐田园”巡演", "正在组织文艺院团进村巡演", "正在筹备国庆专场演出"),
            "剩余场次已排定，将于12月完成",
        ),
        TaskSpec(
            s3, "群众文化活动参与人次", "区文化馆", "各镇（街道）", data["participants_target"], "人次", "12-31",
            data["participants"], "组织群众文化活动，参与群众{a}人次",
            ("正在筹备春季群众文化活动", "暑期活动将带动参与人次增长", "正在筹备国庆系列活动"),
            "预计全年可完成目标任务",
        ),
        TaskSpec(
            s3, "举办春节“村晚”展演", "区文化馆", "各镇（乡）", 16, "场", "02-28", (16, 16, 16, 16),
            "举办春节“村晚”展演{a}场，覆盖全部镇（乡、街道）", ("",), "",
            states=("已完成", None, "已完成", None),
        ),
        TaskSpec(
            s3, "举办全区广场舞展演", "区文化馆", "区总工会", 1, "场", "06-30", (0, 1, 1, 1),
            "于5月举办全区广场舞展演{a}场，32支队伍参演", ("",), "",
            zero="已印发展演方案，各镇（街道）正在组织选拔",
        ),
        TaskSpec(
            s3, "市民文化艺术学校开班", "区文化馆", "各文化馆分馆", data["classes_target"], "个", "12-31",
            data["classes"], "开设市民文化艺术学校班级{a}个",
            ("春季学期已开课", "暑期班正在招生", "秋季学期正在招生"),
            "正在筹备冬季公益培训班",
        ),
        TaskSpec(
            s3, "开展文化志愿服务", "区文化馆", "区志愿服务联合会", 5000, "人次", "12-31",
            (900, 2300, 3600, 4300), "开展文化志愿服务{a}人次",
            ("",), "正在组织志愿者参与冬季文化惠民活动",
        ),
        TaskSpec(
            s4, "创排原创文艺精品节目", "区文化馆", "区文联", 5, "个", "12-31", (0, 1, 3, 4),
            "完成原创文艺节目创排{a}个",
            ("", "另有2个节目正在排练", "第4个节目正在排练"), "第5个节目正在打磨，计划12月首演",
            states=("未启动", None, None, None), zero="已征集创作选题12个，正在组织专家论证",
        ),
        TaskSpec(
            s4, "申报省级非物质文化遗产代表性项目", "区文化馆（区非遗保护中心）", "相关镇（乡）", 2, "个",
            "09-30", (0, 0, 1, 1), "完成{a}个项目省级非遗申报材料报送",
            ("",), "另一个项目申报材料需补充影像资料，正在修改完善",
            states=(None, "序时推进", "滞后", "滞后"),
            notes=("正在开展项目资源调查", "正在编制申报文本和拍摄申报片", None, None),
            lag="受申报片拍摄进度影响，未按期完成",
        ),
        TaskSpec(
            s4, "非遗进校园活动", "区文化馆（区非遗保护中心）", "区教育局", 40, "场", "12-31", (9, 21, 24, 37),
            "开展非遗进校园活动{a}场",
            ("正在对接秋季学期课程安排",), "剩余场次将在12月完成",
        ),
        TaskSpec(
            s4, "第四次全国文物普查复查", "文化遗产科", "各镇（街道）", 100, "%", "12-31", (30, 55, 80, 91),
            "完成文物普查复查{a}%",
            ("正在开展田野调查",), "正在进行数据审核和成果汇总",
        ),
        TaskSpec(
            s4, "非遗传承人研修培训", "区文化馆（区非遗保护中心）", "", 150, "人次", "12-20", (0, 0, 0, 0),
            "", ("",), "", states=("未启动", "未启动", "未启动", "未启动"),
            zero="培训方案已拟定，计划于12月集中开展",
        ),
        TaskSpec(
            s5, "接待游客人次", "产业发展科", "各镇（街道）", 8500000, "人次", "12-31",
            (2140000, 4080000, 6620000, 7850000), "接待游客{a}人次",
            ("正在筹备“五一”假日旅游推介", "正在推出暑期亲子游线路", "正在筹备国庆黄金周活动"),
            "正在推出冬季温泉、民俗游线路",
        ),
        TaskSpec(
            s5, "实现旅游综合收入", "产业发展科", "各镇（街道）", 650000, "万元", "12-31",
            (152300.5, 301200.8, 498650.25, 589400.6), "实现旅游综合收入{a}万元",
            ("",), "预计全年可完成目标任务",
        ),
        TaskSpec(
            s5, "创建国家3A级旅游景区", "产业发展科", "龙潭镇", 1, "个", "12-31", (0, 0, 0, 0),
            "", ("",), "", states=("序时推进", "序时推进", "序时推进", "序时推进"),
            notes=(
                "已完成创建方案编制",
                "游客中心、旅游厕所等设施正在建设",
                "已完成自评，正在提交市级初评申请",
                "已通过市级初评，等待省级景区评定委员会评定",
            ),
        ),
        TaskSpec(
            s5, "举办文旅节会活动", "产业发展科", "区文化馆、相关镇", 6, "场", "11-30", (1, 3, 4, 6),
            "举办文旅节会活动{a}场",
            ("正在筹备桃花节、茶文化节", "正在筹备龙潭湖音乐季", "正在筹备金秋美食节"), "",
        ),
        TaskSpec(
            s5, "文旅项目招商签约", "产业发展科", "区投资促进局", 3, "个", "10-31", (0, 1, 1, 1),
            "签约文旅项目{a}个", ("",), "另外2个项目仍在洽谈中",
            states=(None, None, "序时推进", "滞后"), lag="受投资方决策周期影响，未按期完成签约",
        ),
        TaskSpec(
            s6, "新建更新全民健身路径", "体育科", "各镇（街道）", 30, "个", "11-30", (0, 8, 17, 22),
            "新建更新全民健身路径{a}个",
            ("", "其余点位正在安装", "其余点位正在安装"), "剩余8个点位正在安装调试",
            states=(None, None, None, "滞后"), lag="受器材供货延迟影响，进度滞后",
            zero="正在开展器材采购招标",
        ),
        TaskSpec(
            s6, "举办全民健身赛事活动", "体育科", "区体育总会", 50, "场", "12-31", (10, 24, 39, 46),
            "举办全民健身赛事活动{a}场",
            ("正在筹备全民健身日系列活动", "正在筹备全民健身日系列活动", "正在筹备秋季全民健身运动会"),
            "正在筹备元旦迎新长跑",
        ),
        TaskSpec(
            s6, "开展国民体质监测", "体育科", "区卫生健康局", 1500, "人次", "10-31", (0, 620, 1290, 1560),
            "完成国民体质监测{a}人次", ("正在进入社区开展监测",), "",
            zero="监测方案已制定，计划于4月启动",
        ),
        TaskSpec(
            s6, "社会体育指导员培训", "体育科", "区体育总会", 200, "人次", "12-31", (0, 0, 0, 0),
            "", ("",), "", states=(None, None, "未启动", "未启动"),
            zero="已完成报名摸底，培训计划于12月举办",
        ),
        TaskSpec(
            s7, "文化市场执法检查", "区文化市场综合执法大队", "", 600, "次", "12-31", (150, 298, 462, 548),
            "开展文化市场执法检查{a}次",
            ("正在开展春季校园周边文化市场整治", "正在开展暑期文化市场专项检查", "正在开展国庆节前安全检查"),
            "正在开展岁末年初文化市场安全检查",
        ),
        TaskSpec(
            s7, "网吧、歌舞娱乐场所安全生产专项整治", "区文化市场综合执法大队", "区应急管理局、区消防救援大队",
            100, "%", "09-30", (35, 70, 100, 100), "专项整治场所覆盖率达到{a}%",
            ("正在开展拉网式排查",), "",
        ),
        TaskSpec(
            s8, "公共文化服务专项资金执行率", "计划财务科", "各镇（街道）", 90, "%", "12-31",
            data["execution"], "全区公共文化服务专项资金执行率达到{a}%",
            ("正在督促各单位加快支出进度",), "正在督促各单位加快支出进度，确保年底前完成",
        ),
        TaskSpec(
            s8, "免费开放补助资金拨付", "计划财务科", "各镇（街道）", data["free_open_target"], "万元", "09-30",
            data["free_open"], "拨付免费开放补助资金{a}万元",
            ("正在按进度拨付第二批资金", "正在拨付剩余资金"), "",
        ),
        TaskSpec(
            s5, "举办文化惠民消费季活动", "产业发展科", "区商务局", 1, "场", "12-31", (0, 0, 0, 0),
            "", ("",), "", states=(None, "未启动", "未启动", "未启动"),
            zero="活动方案正在征求意见，计划于12月举办",
        ),
    ]  # fmt: skip


def _implied_state(actual: float, target: float, deadline: date, as_of: date) -> str:
    if target > 0 and actual >= target:
        return "已完成"
    if as_of > deadline:
        return "滞后"
    elapsed = (as_of - date(2026, 1, 1)).days / max(1, (deadline - date(2026, 1, 1)).days)
    if actual == 0:
        return "未启动" if elapsed < 0.3 else "滞后"
    return "滞后" if actual / target < 0.6 * elapsed else "序时推进"


def _display(value: float, unit: str) -> str:
    """A number as a work report writes it: 150.7万 rather than 1506630."""
    if unit != "万元" and value >= 100_000:
        return f"{value / 10_000:.1f}".removesuffix(".0") + "万"
    return _money(value) if unit == "万元" else f"{value:g}"


def _task_note(spec: TaskSpec, i: int, actual: float, as_of: date, state: str) -> str:
    if spec.notes[i]:
        return spec.notes[i] + "。"
    if actual == 0:
        return spec.zero + "。"
    head = f"截至{as_of.month}月{as_of.day}日，"
    done = spec.done.format(a=_display(actual, spec.unit))
    if actual >= spec.target:
        return f"{head}{'' if spec.unit == '%' else '已'}{done}，全面完成年度目标任务。"
    tail = spec.final if i == 3 else spec.plans[min(i, len(spec.plans) - 1)]
    lag = spec.lag + "。" if state == "滞后" and spec.lag else ""
    if spec.unit == "%":
        body = f"{head}{done}（目标{_display(spec.target, spec.unit)}%）。"
    else:
        body = f"{head}已{done}，完成年度目标的{actual / spec.target * 100:.0f}%。"
    return body + lag + (tail + "。" if tail else "")


def _build_tasks(rng: random.Random, data: dict[str, object]) -> list[list[list[object]]]:
    """One list of rows per snapshot."""
    specs = _task_specs(data)
    snapshots: list[list[list[object]]] = [[] for _ in SNAPSHOTS]
    for number, spec in enumerate(specs, start=1):
        deadline = date(2026, int(spec.deadline[:2]), int(spec.deadline[3:]))
        for i, as_of in enumerate(SNAPSHOTS):
            actual = spec.actuals[i]
            forced = spec.states[i]
            state = forced or _implied_state(actual, spec.target, deadline, as_of)
            written = forced if forced else (state if rng.random() < 0.5 else None)
            snapshots[i].append(
                [
                    f"RW-{number:02d}",
                    2026,
                    spec.section,
                    spec.title,
                    spec.lead,
                    spec.co or None,
                    _number(spec.target),
                    spec.unit,
                    _number(actual),
                    deadline.isoformat(),
                    written,
                    _task_note(spec, i, actual, as_of, state),
                    as_of.isoformat(),
                ]
            )
    return snapshots


def _task_data(
    monthly: MonthlyResult, subsidies: list[Subsidy], circulation: list[list[object]], art: list[list[object]]
) -> dict[str, object]:
    """Task targets and progress taken from the other demo files, so the ledger agrees with them."""
    cutoffs = [date(2026, as_of.month - 1, 1) for as_of in SNAPSHOTS]

    def ytd(metric: str, cutoff: date) -> int:
        return sum(v for (m, month), v in monthly.totals.items() if m == metric and date(2026, 1, 1) <= month <= cutoff)

    def year_total(metric: str, year: int) -> int:
        return sum(v for (m, month), v in monthly.totals.items() if m == metric and month.year == year)

    data: dict[str, object] = {}
    for key, metric, rounding in (
        ("visits", "library_visits", -4),
        ("cards", "cardholders", -2),
        ("participants", "participants", -3),
    ):
        data[key] = tuple(ytd(metric, cutoff) for cutoff in cutoffs)
        data[f"{key}_target"] = int(round(year_total(metric, 2025) * 1.06, rounding))

    library = "QX-TSG-001"
    out_2025 = sum(row[4] for row in circulation if row[2] == library and row[0].startswith("2025"))
    data["circulation_target"] = int(round(out_2025 * 1.1, -3))
    data["circulation"] = tuple(
        sum(row[4] for row in circulation if row[2] == library and "2026-01-01" <= row[0] <= as_of.isoformat())
        for as_of in SNAPSHOTS
    )

    def classes(terms: Iterable[str]) -> int:
        wanted = set(terms)
        return sum(row[3] for row in art if row[0] in wanted)

    data["classes_target"] = round(classes(["2025春", "2025暑期", "2025秋"]) * 1.05)
    data["classes"] = (
        classes(["2026春"]),
        classes(["2026春"]),
        classes(["2026春", "2026暑期"]),
        classes(["2026春", "2026暑期", "2026秋"]),
    )

    this_year = [s for s in subsidies if s.year == 2026]
    allocated = sum(s.allocated for s in this_year)
    spent = sum(s.spent or 0 for s in this_year)
    final = round(spent / allocated * 100, 1)
    data["execution"] = tuple(round(final * f, 1) for f in (0.22, 0.48, 0.76)) + (final,)
    free_open = round(sum(s.allocated for s in this_year if s.programme == "免费开放"), 4)
    data["free_open_target"] = free_open
    data["free_open"] = tuple(round(free_open * f, 4) for f in (0.42, 0.81)) + (free_open, free_open)
    return data


# ---------------------------------------------------------------------------------------------------------
# Demo district: putting it together
# ---------------------------------------------------------------------------------------------------------


def _generate_demo(out_dir: Path) -> dict[str, int]:
    townships = _build_geography(_rng("geography"))
    villages = _build_villages(_rng("villages"), townships)
    venues = _build_venues(_rng("venues"), townships, villages)
    monthly = _build_monthly(_rng("monthly"), venues)
    plans = _build_activity_plans(_rng("plans"), venues, monthly.events, monthly.silent)
    sites = _build_demo_sites(_rng("sites"), venues, monthly.silent)
    subsidies = _build_subsidies(_rng("subsidies"), venues, sites)
    inspections = _build_inspections(_rng("inspections"), venues, monthly.silent)
    circulation = _build_circulation(_rng("circulation"), venues)
    art = _build_art_school(_rng("art"), venues)
    tasks = _build_tasks(_rng("tasks"), _task_data(monthly, subsidies, circulation, art))

    counts: dict[str, int] = {}
    counts["townships.csv"] = _write_csv(
        out_dir / "townships.csv", "townships", ([t.code, t.name, t.kind, t.population] for t in townships)
    )
    counts["villages.csv"] = _write_csv(
        out_dir / "villages.csv",
        "villages",
        ([v.code, v.name, v.kind, v.township.code, v.population] for v in villages),
    )
    counts["venues.csv"] = _write_csv(out_dir / "venues.csv", "venues", (_venue_row(v) for v in venues))
    counts["monthly.csv"] = _write_csv(out_dir / "monthly.csv", "monthly", monthly.rows)
    counts["subsidies.csv"] = _write_csv(out_dir / "subsidies.csv", "subsidies", _subsidy_rows(subsidies))
    counts["demo_sites.csv"] = _write_csv(out_dir / "demo_sites.csv", "demo_sites", _demo_site_rows(sites))
    counts["activity_plans.csv"] = _write_csv(out_dir / "activity_plans.csv", "activity_plans", plans)
    counts["inspections.csv"] = _write_csv(out_dir / "inspections.csv", "inspections", inspections)
    counts["circulation.csv"] = _write_csv(out_dir / "circulation.csv", "circulation", circulation)
    counts["art_school.csv"] = _write_csv(out_dir / "art_school.csv", "art_school", art)
    for as_of, rows in zip(SNAPSHOTS, tasks, strict=True):
        name = f"tasks_{as_of.year}-{as_of.month:02d}.csv"
        counts[name] = _write_csv(out_dir / name, "tasks", rows)
    (out_dir / "boundaries.geojson").write_text(_boundaries_geojson(townships), encoding="utf-8")
    counts["boundaries.geojson"] = len(townships)
    return counts


# ---------------------------------------------------------------------------------------------------------
# Province scale (benchmarks): registry and monthly reports only, vectorised
# ---------------------------------------------------------------------------------------------------------

# type: (area range m², weekly hours, first/last opening year)
PROVINCE_TYPES: dict[str, tuple[tuple[int, int], float, tuple[int, int]]] = {
    "文化馆": ((3000, 9000), 56, (1980, 2000)),
    "图书馆": ((4000, 15000), 63, (1980, 2005)),
    "文化馆分馆": ((600, 2500), 56, (2016, 2024)),
    "图书馆直属分馆": ((400, 1800), 56, (2014, 2024)),
    "24小时自助图书馆": ((30, 120), 168, (2017, 2025)),
    "流动服务点": ((0, 60), 12, (2015, 2024)),
    "综合文化站": ((300, 1600), 56, (1990, 2015)),
    "街镇图书分馆": ((150, 700), 48, (2010, 2022)),
    "综合文化活动中心": ((400, 2200), 56, (2014, 2023)),
    "村社区文化活动室": ((60, 350), 40, (2006, 2025)),
    "村社区图书室": ((30, 180), 40, (2006, 2025)),
}


def _generate_province(out_dir: Path) -> dict[str, int]:
    rng = np.random.default_rng(SEED)
    counties = [f"51{city:02d}{county:02d}" for city in range(1, 22) for county in range(1, 10)]
    county_lon = rng.uniform(98.5, 107.5, len(counties))
    county_lat = rng.uniform(26.5, 33.5, len(counties))

    # Townships
    per_county = rng.integers(4, 10, len(counties))
    t_county = np.repeat(np.arange(len(counties)), per_county)
    t_local = np.concatenate([np.arange(1, n + 1) for n in per_county])
    t_code = [f"{counties[c]}{k:03d}" for c, k in zip(t_county, t_local, strict=True)]
    n_town = len(t_code)
    t_kind = rng.choice(np.array(["街道", "镇", "乡"]), n_town, p=[0.25, 0.55, 0.2])
    pool = [a + b for a in VILLAGE_FIRST + COMMUNITY_FIRST for b in VILLAGE_SECOND + COMMUNITY_SECOND if a != b]
    pool = list(dict.fromkeys(pool))
    order = rng.permutation(len(pool))
    t_name = [pool[i] + kind for i, kind in zip(order[:n_town], t_kind, strict=True)]
    t_lon = county_lon[t_county] + rng.normal(0, 0.12, n_town)
    t_lat = county_lat[t_county] + rng.normal(0, 0.12, n_town)

    # Villages
    v_per = rng.integers(6, 17, n_town)
    v_town = np.repeat(np.arange(n_town), v_per)
    v_local = np.concatenate([np.arange(1, n + 1) for n in v_per])
    n_village = len(v_town)
    urban = t_kind[v_town] == "街道"
    v_kind = np.where(rng.random(n_village) < np.where(urban, 0.9, 0.12), "社区", "村")
    v_code = [f"{t_code[t]}{k:03d}" for t, k in zip(v_town, v_local, strict=True)]
    community_pool = [a + b for a in COMMUNITY_FIRST for b in COMMUNITY_SECOND if a != b]
    village_pool = [a + b for a in VILLAGE_FIRST for b in VILLAGE_SECOND if a != b]
    offset = rng.integers(0, 10_000, n_town)[v_town]
    v_name = [
        (community_pool[(o + 7 * k) % len(community_pool)] + "社区")
        if kind == "社区"
        else (village_pool[(o + 7 * k) % len(village_pool)] + "村")
        for o, k, kind in zip(offset, v_local, v_kind, strict=True)
    ]
    v_pop = np.where(v_kind == "社区", rng.integers(2000, 12001, n_village), rng.integers(800, 5001, n_village))
    t_pop = np.bincount(v_town, weights=v_pop, minlength=n_town).astype(int) + rng.integers(200, 3000, n_town)
    v_lon = t_lon[v_town] + rng.normal(0, 0.03, n_village)
    v_lat = t_lat[v_town] + rng.normal(0, 0.03, n_village)

    # Venues: county heads and branches, one station (and mostly a library branch) per township,
    # street activity centres, and rooms in most villages.
    county_name = [
        pool[i] + ("区" if k % 9 < 3 else "县") for k, i in enumerate(order[n_town : n_town + len(counties)])
    ]
    code: list[str] = []
    venue_names: list[str] = []
    vtype: list[str] = []
    parent: list[str | None] = []
    town: list[int] = []
    village: list[int] = []

    def add(venue_code: str, venue_name: str, venue_type: str, parent_code: str | None, t: int, v: int = -1):
        code.append(venue_code)
        venue_names.append(venue_name)
        vtype.append(venue_type)
        parent.append(parent_code)
        town.append(t)
        village.append(v)

    first_town = np.concatenate([[0], np.cumsum(per_county)[:-1]])
    extra = rng.integers(1, 4, (len(counties), 4)) * np.array([1, 1, 2, 1])
    for c, county in enumerate(counties):
        seat, label = int(first_town[c]), county_name[c]
        centre, library = f"{county}-WHG", f"{county}-TSG"
        add(centre, f"{label}文化馆", "文化馆", None, seat)
        add(library, f"{label}图书馆", "图书馆", None, seat)
        for k in range(1, extra[c, 0] + 1):
            add(f"{county}-WF{k:02d}", f"{label}文化馆第{k}分馆", "文化馆分馆", centre, seat)
        for k in range(1, extra[c, 1] + 2):
            add(f"{county}-TF{k:02d}", f"{label}图书馆第{k}分馆", "图书馆直属分馆", library, seat)
        for k in range(1, extra[c, 2] + 1):
            add(f"{county}-ZZ{k:02d}", f"{label}24小时城市书房{k}号", "24小时自助图书馆", library, seat)
        for k in range(1, extra[c, 3] + 1):
            add(f"{county}-LD{k:02d}", f"{label}流动图书服务点{k}号", "流动服务点", library, seat)
    has_branch = rng.random(n_town) < 0.9
    centres = np.where(t_kind == "街道", rng.integers(0, 4, n_town), 0)
    for t in range(n_town):
        county = counties[t_county[t]]
        add(f"{t_code[t]}-WHZ", f"{t_name[t]}综合文化站", "综合文化站", f"{county}-WHG", t)
        if has_branch[t]:
            branch_name = f"{county_name[t_county[t]]}图书馆{t_name[t]}分馆"
            add(f"{t_code[t]}-TSG", branch_name, "街镇图书分馆", f"{county}-TSG", t)
        for k in range(1, centres[t] + 1):
            add(f"{t_code[t]}-ZX{k}", f"{t_name[t]}第{k}综合文化活动中心", "综合文化活动中心", f"{t_code[t]}-WHZ", t)
    has_activity = rng.random(n_village) < 0.95
    has_library = rng.random(n_village) < 0.9
    for v in range(n_village):
        t = int(v_town[v])
        if has_activity[v]:
            add(f"{v_code[v]}-HDS", f"{v_name[v]}文化活动室", "村社区文化活动室", f"{t_code[t]}-WHZ", t, v)
        if has_library[v]:
            room_parent = f"{t_code[t]}-TSG" if has_branch[t] else f"{counties[t_county[t]]}-TSG"
            room_name = f"{v_name[v]}农家书屋" if v_kind[v] == "村" else f"{v_name[v]}图书室"
            add(f"{v_code[v]}-TSS", room_name, "村社区图书室", room_parent, t, v)

    n_venue = len(code)
    town_idx = np.array(town)
    village_idx = np.array(village)
    types = np.array(vtype)
    in_village = village_idx >= 0
    base_lon = np.where(in_village, v_lon[np.maximum(village_idx, 0)], t_lon[town_idx])
    base_lat = np.where(in_village, v_lat[np.maximum(village_idx, 0)], t_lat[town_idx])
    lon = base_lon + rng.normal(0, 0.004, n_venue)
    lat = base_lat + rng.normal(0, 0.004, n_venue)
    area = np.zeros(n_venue)
    hours = np.zeros(n_venue)
    opened = np.zeros(n_venue, dtype="datetime64[D]")
    for type_name, ((low, high), weekly, (first, last)) in PROVINCE_TYPES.items():
        mask = types == type_name
        k = int(mask.sum())
        area[mask] = np.round(rng.uniform(low, high, k), -1)
        hours[mask] = weekly
        start, end = np.datetime64(f"{first}-01-01"), np.datetime64(f"{last}-12-28")
        opened[mask] = start + rng.integers(0, (end - start).astype(int) + 1, k).astype("timedelta64[D]")
    free_open = np.where(rng.random(n_venue) < 0.98, "是", "否")

    townships = pd.DataFrame(
        {"区划代码": t_code, "名称": t_name, "类型": t_kind, "常住人口": t_pop}, columns=HEADERS["townships"]
    )
    villages = pd.DataFrame(
        {"区划代码": v_code, "名称": v_name, "类型": v_kind, "所属街镇": [t_code[t] for t in v_town], "常住人口": v_pop}
    )
    venues = pd.DataFrame(
        {
            "场馆编码": code,
            "场馆名称": venue_names,
            "场馆类型": types,
            "上级场馆编码": parent,
            "所属街镇": [t_code[t] for t in town],
            "所属村社区": [v_code[v] if v >= 0 else None for v in village],
            "经度": np.char.mod("%.6f", lon),
            "纬度": np.char.mod("%.6f", lat),
            "坐标系": "",
            "建筑面积": area.astype(int),
            "周开放时长": hours.astype(int),
            "免费开放": free_open,
            "开放日期": opened.astype(str),
        }
    )

    # Monthly reports: every venue open before the month, minus 2 % never reported.
    month_starts = np.array([np.datetime64(m.isoformat()) for m in MONTHS])
    open_mask = opened[:, None] < month_starts[None, :]
    open_mask &= rng.random(open_mask.shape) > 0.02
    venue_i, month_i = np.nonzero(open_mask.T)[::-1]  # month-major order
    n_rows = len(venue_i)
    profile = np.array([[np.nan if x is None else x for x in TYPE_PROFILES[t]] for t in PROVINCE_TYPES])
    type_index = {t: i for i, t in enumerate(PROVINCE_TYPES)}
    t_idx = np.array([type_index[t] for t in vtype])[venue_i]
    library_type = np.array([t in LIBRARY_TYPES for t in PROVINCE_TYPES])[t_idx]
    size = np.exp(rng.normal(0, 0.35, n_venue))[venue_i]
    growth = rng.uniform(0.04, 0.11, n_venue)[venue_i]
    trend = (1 + growth) ** ((month_i - 20) / 12)
    season = {
        metric: np.array([_season(metric, m) for m in MONTHS])[month_i]
        for metric in ("library", "culture", *EVENT_FIELDS, "online")
    }
    visit_season = np.where(library_type, season["library"], season["culture"])
    level = size * trend * visit_season * np.exp(rng.normal(0, 0.08, n_rows))
    p = profile[t_idx]

    def counts_of(column: int, factor: np.ndarray) -> pd.arrays.IntegerArray:
        mean = np.nan_to_num(p[:, column]) * factor
        values = np.rint(mean).astype(np.int64) if mean.max() > 50 else rng.poisson(mean)
        return pd.arrays.IntegerArray(values.astype(np.int64), np.isnan(p[:, column]))

    activity = np.sqrt(size) * trend
    held = {name: rng.poisson(p[:, 3 + k] * activity * season[name]) for k, name in enumerate(EVENT_FIELDS)}
    participants = sum(held[name] * PARTICIPANTS_PER_EVENT[name] for name in EVENT_FIELDS)
    participants = np.rint(participants * rng.uniform(0.7, 1.3, n_rows)).astype(np.int64)
    month_text = np.array([_month_text(m) for m in MONTHS])
    monthly = pd.DataFrame(
        {
            "月份": month_text[month_i],
            "场馆编码": np.array(code)[venue_i],
            "到馆人次": counts_of(0, level),
            "借还册次": pd.arrays.IntegerArray(
                np.rint(np.nan_to_num(p[:, 1]) * level * rng.uniform(0.93, 1.07, n_rows)).astype(np.int64),
                np.isnan(p[:, 1]),
            ),
            "新增持证": pd.arrays.IntegerArray(rng.poisson(np.nan_to_num(p[:, 2]) * level), np.isnan(p[:, 2])),
            "读书看报活动": held["reading"],
            "文化鉴赏及展览": held["exhibition"],
            "公众教育": held["education"],
            "文艺演出": held["performance"],
            "活动参与人次": participants,
            "线上服务人次": pd.arrays.IntegerArray(
                np.rint(np.nan_to_num(p[:, 7]) * size * trend * season["online"]).astype(np.int64), np.isnan(p[:, 7])
            ),
            "媒体报道": rng.poisson(p[:, 8] * activity),
            "备注": "",
        }
    )

    counts = {}
    for name, frame in (
        ("townships.csv", townships),
        ("villages.csv", villages),
        ("venues.csv", venues),
        ("monthly.csv", monthly),
    ):
        frame.to_csv(out_dir / name, index=False, encoding="utf-8", lineterminator="\n")
        counts[name] = len(frame)
    return counts


# ---------------------------------------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------------------------------------


def generate(out_dir: Path, scale: str = "demo") -> dict[str, int]:
    """Write the data set of `scale` ("demo" or "province") into `out_dir`; returns rows written per file."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if scale == "demo":
        return _generate_demo(out_dir)
    if scale == "province":
        return _generate_province(out_dir)
    raise ValueError(f"unknown scale {scale!r}: expected 'demo' or 'province'")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m seed_data.generate", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["demo", "province"], default="demo")
    parser.add_argument("--out", type=Path, help=f"output folder (default for the demo: {DEMO_DIR})")
    args = parser.parse_args(argv)
    if args.out is None:
        if args.scale != "demo":
            parser.error("--out is required for --scale province (it would overwrite the committed demo)")
        args.out = DEMO_DIR
    started = time.perf_counter()
    counts = generate(args.out, args.scale)
    for name, rows in counts.items():
        print(f"{name:24} {rows:>9,}")
    print(f"{args.scale} data written to {args.out} in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
