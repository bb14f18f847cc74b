"""Tests for culture_dash.geo: coordinate conversion and boundary files."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pytest
import shapely
from shapely.geometry import MultiPolygon, Point, Polygon, box

from culture_dash.geo import (
    BoundaryError,
    BoundaryFeature,
    bd09_to_gcj02,
    bd09_to_wgs84,
    convert_features_crs,
    convert_geometry_crs,
    dump_feature_collection,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    in_china_extent,
    in_china_extent_arrays,
    locate_points,
    match_townships,
    parse_boundary_file,
    point_in_township,
    rewind_for_vega,
    simplify_for_browser,
    to_feature_collection,
    to_wgs84,
    to_wgs84_arrays,
    wgs84_to_bd09,
    wgs84_to_gcj02,
    wgs84_to_gcj02_arrays,
)

CHENGDU = Path(__file__).resolve().parents[3] / "shared/geo/chengdu_510100_datav.json"
CHINESE = re.compile(r"[\u4e00-\u9fff]")

# (lon, lat) spread over China: Beijing, Shanghai, Chengdu, Urumqi, Harbin, Lhasa, Sanya, Kashgar, Mohe.
CHINA_POINTS = [
    (116.42079, 39.90105),
    (121.47370, 31.23040),
    (104.06650, 30.57230),
    (87.61680, 43.82560),
    (126.53500, 45.80380),
    (91.11720, 29.64690),
    (109.51190, 18.25280),
    (75.98980, 39.47040),
    (122.53600, 52.97200),
]

# Beijing railway station, RECIPES.md check point, as (lon, lat).
STATION = {"WGS84": (116.42079, 39.90105), "GCJ02": (116.42703, 39.90245), "BD09": (116.43351, 39.90851)}


def haversine_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    r = 6_371_008.8
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def fc(*features: dict) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}, ensure_ascii=False).encode()


def feature(coords: list, props: dict | None = None, kind: str = "Polygon") -> dict:
    return {"type": "Feature", "properties": props or {}, "geometry": {"type": kind, "coordinates": coords}}


def square(x0: float, y0: float, size: float = 0.01) -> list:
    # Counter-clockwise, as RFC 7946 wants.
    return [[[x0, y0], [x0 + size, y0], [x0 + size, y0 + size], [x0, y0 + size], [x0, y0]]]


def bf(code: str | None, name: str | None, geom: Polygon | None = None) -> BoundaryFeature:
    return BoundaryFeature(code=code, name=name, geometry=geom or box(104, 30, 104.01, 30.01), properties={})


def outer_rings_cw(geom: Polygon | MultiPolygon) -> bool:
    polys = geom.geoms if isinstance(geom, MultiPolygon) else [geom]
    return all(not p.exterior.is_ccw and all(r.is_ccw for r in p.interiors) for p in polys)


@pytest.fixture(scope="module")
def chengdu() -> list[BoundaryFeature]:
    if not CHENGDU.exists():
        pytest.skip(f"reference boundary file not present: {CHENGDU}")
    return parse_boundary_file(CHENGDU.read_bytes())


# --- coordinates -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("func", "source", "target"),
    [
        (wgs84_to_gcj02, "WGS84", "GCJ02"),
        (wgs84_to_bd09, "WGS84", "BD09"),
        (gcj02_to_bd09, "GCJ02", "BD09"),
        (gcj02_to_wgs84, "GCJ02", "WGS84"),
        (bd09_to_gcj02, "BD09", "GCJ02"),
        (bd09_to_wgs84, "BD09", "WGS84"),
    ],
)
def test_reference_point(func, source: str, target: str) -> None:
    lon, lat = func(*STATION[source])
    assert lon == pytest.approx(STATION[target][0], abs=1e-4)
    assert lat == pytest.approx(STATION[target][1], abs=1e-4)


@pytest.mark.parametrize("crs", ["WGS84", "wgs-84", "GCJ02", "gcj-02", "Gcj02", "BD09", "bd-09", " BD_09 "])
def test_to_wgs84_accepts_spellings(crs: str) -> None:
    key = re.sub(r"[\s_\-]", "", crs).upper()
    lon, lat = to_wgs84(*STATION[key], crs)
    assert haversine_m(lon, lat, *STATION["WGS84"]) < 5  # the reference values have 5 decimals


@pytest.mark.parametrize(("lon", "lat"), CHINA_POINTS)
def test_round_trips_within_a_metre(lon: float, lat: float) -> None:
    assert haversine_m(*gcj02_to_wgs84(*wgs84_to_gcj02(lon, lat)), lon, lat) < 1.0
    assert haversine_m(*bd09_to_wgs84(*wgs84_to_bd09(lon, lat)), lon, lat) < 1.0
    assert haversine_m(*bd09_to_gcj02(*gcj02_to_bd09(lon, lat)), lon, lat) < 1.0
    # The obfuscation really moves the point (by a few hundred metres).
    assert 50 < haversine_m(*wgs84_to_gcj02(lon, lat), lon, lat) < 1000


@pytest.mark.parametrize(("lon", "lat"), [(2.3522, 48.8566), (-74.006, 40.7128), (151.2093, -33.8688)])
def test_outside_china_gcj02_is_wgs84(lon: float, lat: float) -> None:
    assert wgs84_to_gcj02(lon, lat) == (lon, lat)
    assert gcj02_to_wgs84(lon, lat) == (lon, lat)
    assert to_wgs84(lon, lat, "GCJ02") == (lon, lat)


@pytest.mark.parametrize("crs", ["EPSG:3857", "CGCS2000", "", "wgs", None])
def test_bad_crs_raises(crs) -> None:
    with pytest.raises(ValueError):
        to_wgs84(116.4, 39.9, crs)
    with pytest.raises(ValueError):
        to_wgs84_arrays(np.array([116.4]), np.array([39.9]), np.array([crs], dtype=object))


def test_to_wgs84_arrays_matches_scalar() -> None:
    lons = np.array([p[0] for p in CHINA_POINTS] * 3)
    lats = np.array([p[1] for p in CHINA_POINTS] * 3)
    crs = np.array(["WGS84"] * len(CHINA_POINTS) + ["gcj-02"] * len(CHINA_POINTS) + ["BD09"] * len(CHINA_POINTS))
    out_lon, out_lat = to_wgs84_arrays(lons, lats, crs)
    expected = [to_wgs84(x, y, c) for x, y, c in zip(lons, lats, crs, strict=True)]
    np.testing.assert_allclose(np.column_stack([out_lon, out_lat]), np.array(expected), atol=1e-9)
    # Inputs are not modified in place.
    assert lons[0] == CHINA_POINTS[0][0]


def test_to_wgs84_arrays_single_label_and_missing_values() -> None:
    lon, lat = to_wgs84_arrays(np.array([116.42703, np.nan]), np.array([39.90245, np.nan]), "GCJ02")
    assert haversine_m(lon[0], lat[0], *STATION["WGS84"]) < 5
    assert np.isnan(lon[1]) and np.isnan(lat[1])


def test_to_wgs84_arrays_round_trips_30000_venues() -> None:
    rng = np.random.default_rng(0)
    lon, lat = rng.uniform(100, 120, 30_000), rng.uniform(22, 45, 30_000)
    back_lon, back_lat = to_wgs84_arrays(*wgs84_to_gcj02_arrays(lon, lat), "GCJ02")
    assert np.max(np.abs(back_lon - lon)) < 1e-7 and np.max(np.abs(back_lat - lat)) < 1e-7


@pytest.mark.parametrize(
    ("lon", "lat", "inside"),
    [
        (104.07, 30.67, True),
        (116.4, 39.9, True),
        (30.67, 104.07, False),
        (2.35, 48.86, False),
        (np.nan, 30, False),
    ],
)
def test_in_china_extent(lon: float, lat: float, inside: bool) -> None:
    assert in_china_extent(lon, lat) is inside


def test_in_china_extent_arrays() -> None:
    result = in_china_extent_arrays(np.array([104.07, 12958000.0, 73.0]), np.array([30.67, 4825000.0, 30.0]))
    assert result.tolist() == [True, False, False]


# --- parsing -----------------------------------------------------------------------------------------------


def test_chengdu_parses(chengdu: list[BoundaryFeature]) -> None:
    assert len(chengdu) == 20
    assert {f.geometry.geom_type for f in chengdu} == {"MultiPolygon"}
    assert all(f.code is not None and re.fullmatch(r"5101\d\d", f.code) for f in chengdu)
    assert (chengdu[0].code, chengdu[0].name) == ("510104", "锦江区")
    assert all(f.name and CHINESE.search(f.name) for f in chengdu)
    assert all(f.geometry.is_valid and not f.geometry.is_empty for f in chengdu)
    # Four districts have self-touching rings in the published file: repaired with a warning each.
    assert [f.name for f in chengdu if f.warnings] == ["郫都区", "蒲江县", "彭州市", "简阳市"]


def test_chengdu_repair_keeps_area() -> None:
    if not CHENGDU.exists():
        pytest.skip(f"reference boundary file not present: {CHENGDU}")
    raw = json.loads(CHENGDU.read_bytes())
    parsed = parse_boundary_file(CHENGDU.read_bytes())
    for item, feat in zip(raw["features"], parsed, strict=True):
        assert feat.geometry.area == pytest.approx(shapely.geometry.shape(item["geometry"]).area, rel=1e-9)


def test_rewind_ccw_square_gives_cw() -> None:
    ccw = Polygon(square(0, 0, 1)[0], [[(0.2, 0.2), (0.2, 0.4), (0.4, 0.4), (0.4, 0.2)]])
    assert ccw.exterior.is_ccw and not ccw.interiors[0].is_ccw
    rewound = rewind_for_vega(ccw)
    assert not rewound.exterior.is_ccw
    assert rewound.interiors[0].is_ccw
    assert shapely.area(shapely.polygons(rewound.exterior)) == pytest.approx(1.0)
    assert rewound.equals(ccw)
    multi = rewind_for_vega(MultiPolygon([ccw, Polygon(square(5, 5, 1)[0])]))
    assert outer_rings_cw(multi)


def test_rewind_is_idempotent_on_chengdu(chengdu: list[BoundaryFeature]) -> None:
    for feat in chengdu:
        once = rewind_for_vega(feat.geometry)
        assert outer_rings_cw(once)
        assert rewind_for_vega(once).equals_exact(once, 0.0)
        if not feat.warnings:  # untouched by repair: already clockwise as published
            assert once.equals_exact(feat.geometry, 0.0)


def test_chengdu_simplified_to_100_kb(chengdu: list[BoundaryFeature]) -> None:
    simplified, tolerance = simplify_for_browser(chengdu, max_bytes=100_000)
    assert tolerance > 0
    assert len(simplified) == 20
    assert all(f.geometry.is_valid and not f.geometry.is_empty for f in simplified)
    assert [f.code for f in simplified] == [f.code for f in chengdu]
    data = dump_feature_collection(to_feature_collection((f.code, f) for f in simplified))
    assert len(data) <= 100_000


def test_small_file_is_not_simplified(chengdu: list[BoundaryFeature]) -> None:
    simplified, tolerance = simplify_for_browser(chengdu, max_bytes=1_000_000)
    assert tolerance == 0.0
    assert simplified == chengdu


def _wiggly_square(x0: float, y0: float, size: float, n_per_side: int) -> list:
    t = np.linspace(0, 1, n_per_side, endpoint=False)
    wiggle = 0.0003 * np.sin(t * 200) * np.sin(np.pi * t)  # tapered: no crossings at the corners
    sides = [
        np.column_stack([x0 + t * size, y0 + wiggle]),
        np.column_stack([x0 + size + wiggle, y0 + t * size]),
        np.column_stack([x0 + size - t * size, y0 + size + wiggle]),
        np.column_stack([x0 + wiggle, y0 + size - t * size]),
    ]
    ring = np.round(np.vstack([*sides, sides[0][:1]]), 6)
    return [ring.tolist()]


def test_synthetic_5_mb_file_is_simplified_under_limit() -> None:
    features = [
        feature(_wiggly_square(104 + 0.1 * (i % 5), 30 + 0.1 * (i // 5), 0.09, 3000), {"code": f"5101990{i:02d}"})
        for i in range(20)
    ]
    data = fc(*features)
    assert 4_500_000 < len(data) < 6_000_000
    parsed = parse_boundary_file(data)
    assert [f.warnings for f in parsed] == [[]] * 20
    simplified, tolerance = simplify_for_browser(parsed)
    assert tolerance > 0
    assert len(simplified) == 20
    assert all(f.geometry.is_valid and not f.geometry.is_empty for f in simplified)
    assert len(dump_feature_collection(to_feature_collection((f.code, f) for f in simplified))) <= 300_000


@pytest.mark.parametrize(
    ("props", "code", "name"),
    [
        ({"adcode": 510104, "name": "锦江区"}, "510104", "锦江区"),
        ({"code": "510199001", "名称": "青溪街道"}, "510199001", "青溪街道"),
        ({"区划代码": "510199001000", "NAME": "青溪街道"}, "510199001000", "青溪街道"),
        ({"XZQDM": "510199002", "XZQMC": "柳城镇"}, "510199002", "柳城镇"),
        ({"xzqdm": 510199003.0, "xzqmc": " 万春镇 "}, "510199003", "万春镇"),
        ({"gb": "156510104"}, "156510104", None),
        ({"other": 1}, None, None),
    ],
)
def test_code_and_name_properties(props: dict, code: str | None, name: str | None) -> None:
    (parsed,) = parse_boundary_file(fc(feature(square(104, 30), props)))
    assert (parsed.code, parsed.name, parsed.properties) == (code, name, props)


@pytest.mark.parametrize(
    "document",
    [
        feature(square(104, 30), {"name": "甲"}),
        {"type": "Polygon", "coordinates": square(104, 30)},
        {"type": "MultiPolygon", "coordinates": [square(104, 30)]},
    ],
)
def test_single_feature_or_geometry_is_wrapped(document: dict) -> None:
    parsed = parse_boundary_file(json.dumps(document, ensure_ascii=False).encode())
    assert len(parsed) == 1
    assert parsed[0].geometry.equals(Polygon(square(104, 30)[0]))


def test_z_coordinates_bom_and_crs_member_are_accepted() -> None:
    coords = [[[x, y, 512.0] for x, y in square(104, 30)[0]]]
    doc = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
        "features": [feature(coords, {"XZQDM": "510199001", "XZQMC": "青溪街道"})],
    }
    (parsed,) = parse_boundary_file(b"\xef\xbb\xbf" + json.dumps(doc, ensure_ascii=False).encode())
    assert not parsed.geometry.has_z
    assert parsed.geometry.equals(Polygon(square(104, 30)[0]))
    assert parsed.warnings == []


def _projected() -> bytes:
    # The same square in EPSG:3857 metres.
    ring = [[x * 111319.49, y * 111319.49 * 1.16] for x, y in square(104, 30)[0]]
    return fc(feature([ring], {"name": "青溪街道"}))


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (b"not json at all", "JSON"),
        (b"{'type': 'FeatureCollection'}", "JSON"),
        ("名称".encode("gbk"), "UTF-8"),
        (fc(), "没有任何区域"),
        (json.dumps({"type": "FeatureCollection", "features": {}}).encode(), "features"),
        (json.dumps([1, 2]).encode(), "FeatureCollection"),
        (json.dumps({"type": "Point", "coordinates": [104, 30]}).encode(), "FeatureCollection"),
        (fc(feature([[104, 30], [104.1, 30.1]], {"name": "河道"}, "LineString")), "第 1 个区域（河道）"),
        (fc(feature(square(104, 30)), feature([104, 30], {"name": "点"}, "Point")), "第 2 个区域（点）"),
        (fc(feature([], {"name": "空"})), "坐标为空"),
        (fc(feature([[]], {"name": "空环"})), "坐标为空"),
        (fc({"type": "Feature", "properties": {"name": "无图形"}, "geometry": None}), "没有几何图形"),
        (fc(feature([[[104, 30], [104.1, "x"], [104, 30.1], [104, 30]]])), "坐标"),
        (_projected(), "经纬度"),
        (fc(feature([[[y, x] for x, y in square(104, 30)[0]]])), "颠倒"),
        (fc(feature([[[104, 30], [104.1, 30], [104.2, 30], [104, 30]]], {"name": "线"})), "无法"),
        (fc(feature([[[104, 30], [104.1, 30], [104, 30]]], {"name": "两点"})), "点数不足"),
    ],
)
def test_broken_inputs_raise_chinese_boundary_error(data: bytes, needle: str) -> None:
    with pytest.raises(BoundaryError) as excinfo:
        parse_boundary_file(data)
    message = str(excinfo.value)
    assert CHINESE.search(message)
    assert needle in message


def test_projected_file_names_declared_crs() -> None:
    doc = json.loads(_projected())
    doc["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}}
    with pytest.raises(BoundaryError, match="EPSG::3857"):
        parse_boundary_file(json.dumps(doc).encode())


def test_file_over_50_mb_is_refused() -> None:
    with pytest.raises(BoundaryError, match="50 MB"):
        parse_boundary_file(b" " * (50 * 1024 * 1024 + 1))


def test_bow_tie_is_repaired_with_warning() -> None:
    bow_tie = [[[104, 30], [104.1, 30.1], [104.1, 30], [104, 30.1], [104, 30]]]
    (parsed,) = parse_boundary_file(fc(feature(bow_tie, {"name": "蝴蝶镇"})))
    assert parsed.geometry.is_valid
    assert parsed.geometry.geom_type == "MultiPolygon"
    assert len(parsed.geometry.geoms) == 2
    assert parsed.geometry.area == pytest.approx(0.005)
    assert parsed.warnings == [
        "第 1 个区域（蝴蝶镇）的边界存在问题（自相交，位置 104.050000, 30.050000），已自动修复，请在地图上核对。"
    ]


def test_outside_china_gets_a_warning() -> None:
    (parsed,) = parse_boundary_file(fc(feature(square(2.3, 48.8), {"name": "巴黎"})))
    assert len(parsed.warnings) == 1 and "不在中国境内" in parsed.warnings[0]


# --- matching ----------------------------------------------------------------------------------------------

TOWNSHIPS = [
    ("510199001", "青溪街道"),
    ("510199002", "柳城镇"),
    ("510199003", "万春镇"),
    ("510199004", "金马街道"),
    ("510199005", "德源镇"),
    ("510199006", "永宁镇"),
]


def test_match_by_every_method_with_unmatched_listed() -> None:
    by_code = bf("510199002", "别名")
    by_long_code = bf("510199001000", None)
    by_name = bf(None, "万春镇")
    by_normalized = bf("999", "金马街道办事处")
    by_full_width = bf(None, "德源　镇 ")
    stray = bf("510199099", "不存在乡")
    result = match_townships([by_code, by_long_code, by_name, by_normalized, by_full_width, stray], TOWNSHIPS)
    assert result.matched == [
        ("510199001", by_long_code),
        ("510199002", by_code),
        ("510199003", by_name),
        ("510199004", by_normalized),
        ("510199005", by_full_width),
    ]
    assert result.methods == {
        "510199001": "code",
        "510199002": "code",
        "510199003": "name",
        "510199004": "normalized_name",
        "510199005": "normalized_name",
    }
    assert result.unmatched_features == [stray]
    assert result.unmatched_townships == [("510199006", "永宁镇")]
    assert result.duplicates == []


@pytest.mark.parametrize(
    ("file_code", "db_code"),
    [("510199001000", "510199001"), ("510199001", "510199001000"), ("510199001", "510199001")],
)
def test_match_9_vs_12_digit_codes(file_code: str, db_code: str) -> None:
    feat = bf(file_code, None)
    result = match_townships([feat], [(db_code, "青溪街道")])
    assert (result.matched, result.unmatched_features, result.unmatched_townships) == (
        [(db_code, feat)],
        [],
        [],
    )


def test_12_digit_village_code_does_not_match_township() -> None:
    feat = bf("510199001001", None)
    result = match_townships([feat], [("510199001", "青溪街道")])
    assert (result.matched, result.unmatched_features) == ([], [feat])


@pytest.mark.parametrize(
    ("file_name", "db_name"),
    [
        ("青溪街道办事处", "青溪街道"),
        ("青溪街道", "青溪街道办事处"),
        ("柳城镇人民政府", "柳城镇"),
        ("青 溪 街 道", "青溪街道"),
        ("ＡＢ街道", "AB街道"),
        ("青溪", "青溪街道"),
    ],
)
def test_match_normalized_names(file_name: str, db_name: str) -> None:
    feat = bf(None, file_name)
    result = match_townships([feat], [("510199001", db_name), ("510199002", "其他镇")])
    assert result.matched == [("510199001", feat)]
    assert result.methods == {"510199001": "normalized_name"}


def test_ambiguous_core_name_is_not_matched() -> None:
    feat = bf(None, "青溪")
    result = match_townships([feat], [("510199001", "青溪镇"), ("510199002", "青溪乡")])
    assert result.matched == []
    assert result.unmatched_features == [feat]


def test_duplicates_are_reported_and_code_wins() -> None:
    by_name = bf(None, "青溪街道")
    by_code = bf("510199001", "青溪街道（北片）")
    result = match_townships([by_name, by_code], TOWNSHIPS[:1])
    assert result.matched == [("510199001", by_code)]
    assert result.duplicates == [("510199001", by_name)]
    assert result.unmatched_features == []


# --- output, points, CRS -----------------------------------------------------------------------------------


def test_to_feature_collection() -> None:
    ccw = Polygon([(104.123456789, 30.0), (104.2, 30.0), (104.2, 30.1), (104.123456789, 30.1)])
    feat = bf("510199001000", "青溪街道办事处", ccw)
    result = to_feature_collection([("510199001", feat)], names={"510199001": "青溪街道"})
    assert result == {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"code": "510199001", "name": "青溪街道"},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [
                        [
                            [104.12346, 30.0],
                            [104.12346, 30.1],
                            [104.2, 30.1],
                            [104.2, 30.0],
                            [104.12346, 30.0],
                        ]
                    ],
                },
            }
        ],
    }
    assert to_feature_collection([("x", feat)])["features"][0]["properties"] == {
        "code": "x",
        "name": "青溪街道办事处",
    }


@pytest.mark.parametrize(
    ("lon", "lat", "inside"), [(104.005, 30.005, True), (104.02, 30.005, False), (104.0, 30.005, True)]
)
def test_point_in_township(lon: float, lat: float, inside: bool) -> None:
    assert point_in_township(lon, lat, box(104, 30, 104.01, 30.01)) is inside


def test_locate_points() -> None:
    geometries = {"A": box(104, 30, 104.01, 30.01), "B": box(104.01, 30, 104.02, 30.01)}
    lons = np.array([104.005, 104.015, 104.03, np.nan, 104.01])
    lats = np.array([30.005, 30.005, 30.005, 30.005, 30.005])
    assert locate_points(lons, lats, geometries) == ["A", "B", None, None, "A"]
    assert locate_points(lons, lats, {}) == [None] * 5


def test_locate_points_in_chengdu(chengdu: list[BoundaryFeature]) -> None:
    geometries = {f.code: f.geometry for f in chengdu}
    # Tianfu Square (GCJ-02, as the DataV file) lies in 青羊区 (510105); Paris lies nowhere.
    assert locate_points([104.0657, 2.35], [30.6574, 48.86], geometries) == ["510105", None]


def test_convert_geometry_crs_gcj_to_wgs() -> None:
    gcj = Polygon([wgs84_to_gcj02(x, y) for x, y in [(104, 30), (104.1, 30), (104.1, 30.1), (104, 30.1)]])
    wgs = convert_geometry_crs(gcj, "GCJ-02")
    expected = Polygon([(104, 30), (104.1, 30), (104.1, 30.1), (104, 30.1)])
    assert wgs.equals_exact(expected, 1e-7)
    assert convert_geometry_crs(gcj, "WGS84") is gcj
    with pytest.raises(ValueError):
        convert_geometry_crs(gcj, "EPSG:3857")


def test_convert_chengdu_from_gcj02(chengdu: list[BoundaryFeature]) -> None:
    converted = convert_features_crs(chengdu, "GCJ02")
    for before, after in zip(chengdu, converted, strict=True):
        assert after.geometry.geom_type == "MultiPolygon" and after.geometry.is_valid
        a, b = before.geometry.centroid, after.geometry.centroid
        assert 100 < haversine_m(a.x, a.y, b.x, b.y) < 1000
        assert after.geometry.area == pytest.approx(before.geometry.area, rel=1e-2)
    assert Point(104.0657, 30.6574).within(chengdu[1].geometry)
