"""Coordinates and boundary files for the map: pure functions, no Streamlit, no database.

- Venue coordinates arrive in WGS-84, GCJ-02 (Amap, Tencent) or BD-09 (Baidu); the map works in WGS-84.
- Township boundaries arrive as GeoJSON (DataV GeoAtlas, QGIS exports); they are validated, repaired,
  simplified for the browser, matched to the township registry and rewound for Vega's ``geoshape``.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import shapely
import shapely.errors
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient
from shapely.validation import explain_validity

__all__ = [
    "MAX_BOUNDARY_BYTES",
    "BoundaryError",
    "BoundaryFeature",
    "BoundaryMatch",
    "bd09_to_gcj02",
    "bd09_to_gcj02_arrays",
    "bd09_to_wgs84",
    "bd09_to_wgs84_arrays",
    "convert_features_crs",
    "convert_geometry_crs",
    "dump_feature_collection",
    "gcj02_to_bd09",
    "gcj02_to_bd09_arrays",
    "gcj02_to_wgs84",
    "gcj02_to_wgs84_arrays",
    "in_china_extent",
    "in_china_extent_arrays",
    "locate_points",
    "match_townships",
    "normalize_crs",
    "parse_boundary_file",
    "point_in_township",
    "rewind_for_vega",
    "simplify_for_browser",
    "to_feature_collection",
    "to_wgs84",
    "to_wgs84_arrays",
    "wgs84_to_bd09",
    "wgs84_to_bd09_arrays",
    "wgs84_to_gcj02",
    "wgs84_to_gcj02_arrays",
]

# ---------------------------------------------------------------------------------------------------------
# Coordinate systems
# ---------------------------------------------------------------------------------------------------------

# Krasovsky 1940 ellipsoid parameters used by the GCJ-02 obfuscation.
_A = 6378245.0
_EE = 0.00669342162296594323
_X_PI = math.pi * 3000.0 / 180.0
_INVERSE_TOL = 1e-7  # degrees (~1 cm)
_INVERSE_MAX_ITER = 30

_CRS_ALIASES = {"WGS84": "WGS84", "GCJ02": "GCJ02", "BD09": "BD09"}

FloatArray = np.ndarray


def _as_float(values: Any) -> FloatArray:
    return np.array(values, dtype=float, copy=True)


def _out_of_china(lon: FloatArray, lat: FloatArray) -> FloatArray:
    # The conventional GCJ-02 rule (as in coordtransform/eviltransform): a coarse box, not the border.
    inside = (lon >= 72.004) & (lon <= 137.8347) & (lat >= 0.8293) & (lat <= 55.8271)
    return ~inside


def _transform_lat(x: FloatArray, y: FloatArray) -> FloatArray:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    ret += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    ret += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    ret += (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lon(x: FloatArray, y: FloatArray) -> FloatArray:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    ret += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    ret += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    ret += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    return ret


def wgs84_to_gcj02_arrays(lon: Any, lat: Any) -> tuple[FloatArray, FloatArray]:
    """Convert WGS-84 arrays to GCJ-02 (points outside China are returned unchanged)."""
    lon, lat = _as_float(lon), _as_float(lat)
    dlat = _transform_lat(lon - 105.0, lat - 35.0)
    dlon = _transform_lon(lon - 105.0, lat - 35.0)
    radlat = lat / 180.0 * np.pi
    magic = 1.0 - _EE * np.sin(radlat) ** 2
    sqrtmagic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrtmagic) * np.pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * np.cos(radlat) * np.pi)
    out = _out_of_china(lon, lat)
    return np.where(out, lon, lon + dlon), np.where(out, lat, lat + dlat)


def gcj02_to_wgs84_arrays(lon: Any, lat: Any) -> tuple[FloatArray, FloatArray]:
    """Convert GCJ-02 arrays to WGS-84 by iterating the forward transform to < 1e-7 degrees."""
    glon, glat = _as_float(lon), _as_float(lat)
    wlon, wlat = glon.copy(), glat.copy()
    for _ in range(_INVERSE_MAX_ITER):
        flon, flat = wgs84_to_gcj02_arrays(wlon, wlat)
        dlon, dlat = flon - glon, flat - glat
        wlon -= dlon
        wlat -= dlat
        # NaN compares False, so missing coordinates do not keep the loop going.
        if not np.any((np.abs(dlon) >= _INVERSE_TOL) | (np.abs(dlat) >= _INVERSE_TOL)):
            break
    return wlon, wlat


def gcj02_to_bd09_arrays(lon: Any, lat: Any) -> tuple[FloatArray, FloatArray]:
    """Convert GCJ-02 arrays to BD-09."""
    x, y = _as_float(lon), _as_float(lat)
    z = np.sqrt(x * x + y * y) + 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) + 0.000003 * np.cos(x * _X_PI)
    return z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006


def bd09_to_gcj02_arrays(lon: Any, lat: Any) -> tuple[FloatArray, FloatArray]:
    """Convert BD-09 arrays to GCJ-02 (the usual closed form, refined by iteration to < 1e-7 degrees)."""
    blon, blat = _as_float(lon), _as_float(lat)
    x, y = blon - 0.0065, blat - 0.006
    z = np.sqrt(x * x + y * y) - 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) - 0.000003 * np.cos(x * _X_PI)
    glon, glat = z * np.cos(theta), z * np.sin(theta)
    for _ in range(_INVERSE_MAX_ITER):
        flon, flat = gcj02_to_bd09_arrays(glon, glat)
        dlon, dlat = flon - blon, flat - blat
        glon -= dlon
        glat -= dlat
        if not np.any((np.abs(dlon) >= _INVERSE_TOL) | (np.abs(dlat) >= _INVERSE_TOL)):
            break
    return glon, glat


def bd09_to_wgs84_arrays(lon: Any, lat: Any) -> tuple[FloatArray, FloatArray]:
    """Convert BD-09 arrays to WGS-84."""
    return gcj02_to_wgs84_arrays(*bd09_to_gcj02_arrays(lon, lat))


def wgs84_to_bd09_arrays(lon: Any, lat: Any) -> tuple[FloatArray, FloatArray]:
    """Convert WGS-84 arrays to BD-09."""
    return gcj02_to_bd09_arrays(*wgs84_to_gcj02_arrays(lon, lat))


def _scalar(func: Any, lon: float, lat: float) -> tuple[float, float]:
    x, y = func(np.array([lon], dtype=float), np.array([lat], dtype=float))
    return float(x[0]), float(y[0])


def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    """Convert one WGS-84 point to GCJ-02."""
    return _scalar(wgs84_to_gcj02_arrays, lon, lat)


def gcj02_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    """Convert one GCJ-02 point to WGS-84 (iterative inverse)."""
    return _scalar(gcj02_to_wgs84_arrays, lon, lat)


def gcj02_to_bd09(lon: float, lat: float) -> tuple[float, float]:
    """Convert one GCJ-02 point to BD-09."""
    return _scalar(gcj02_to_bd09_arrays, lon, lat)


def bd09_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    """Convert one BD-09 point to GCJ-02."""
    return _scalar(bd09_to_gcj02_arrays, lon, lat)


def bd09_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    """Convert one BD-09 point to WGS-84."""
    return _scalar(bd09_to_wgs84_arrays, lon, lat)


def wgs84_to_bd09(lon: float, lat: float) -> tuple[float, float]:
    """Convert one WGS-84 point to BD-09."""
    return _scalar(wgs84_to_bd09_arrays, lon, lat)


def normalize_crs(crs: object) -> str:
    """Return "WGS84", "GCJ02" or "BD09" for a CRS label such as "gcj-02"; raise ValueError otherwise."""
    if isinstance(crs, str):
        key = re.sub(r"[\s_\-]", "", crs).upper()
        if key in _CRS_ALIASES:
            return _CRS_ALIASES[key]
    raise ValueError(f"unknown coordinate system {crs!r}: expected WGS84, GCJ02 or BD09")


def to_wgs84(lon: float, lat: float, crs: str) -> tuple[float, float]:
    """Convert one point from crs ("WGS84" / "GCJ02" / "BD09", case and dashes ignored) to WGS-84."""
    x, y = to_wgs84_arrays(np.array([lon], dtype=float), np.array([lat], dtype=float), crs)
    return float(x[0]), float(y[0])


_TO_WGS84 = {"GCJ02": gcj02_to_wgs84_arrays, "BD09": bd09_to_wgs84_arrays}


def to_wgs84_arrays(lon: Any, lat: Any, crs: Any) -> tuple[FloatArray, FloatArray]:
    """Convert arrays to WGS-84; crs is one label for all points or an array of labels, one per point."""
    lon, lat = _as_float(lon), _as_float(lat)
    if lon.shape != lat.shape:
        raise ValueError(f"lon and lat shapes differ: {lon.shape} vs {lat.shape}")
    if isinstance(crs, str):
        kind = normalize_crs(crs)
        return (lon, lat) if kind == "WGS84" else _TO_WGS84[kind](lon, lat)
    labels = np.asarray(crs, dtype=object)
    if labels.shape != lon.shape:
        raise ValueError(f"crs shape {labels.shape} does not match coordinates {lon.shape}")
    normalized = {}
    bad = []
    for value in dict.fromkeys(labels.ravel().tolist()):
        try:
            normalized[value] = normalize_crs(value)
        except ValueError:
            bad.append(value)
    if bad:
        raise ValueError(f"unknown coordinate system(s) {bad!r}: expected WGS84, GCJ02 or BD09")
    kinds = np.array([normalized[v] for v in labels.ravel().tolist()], dtype=object).reshape(lon.shape)
    for kind, func in _TO_WGS84.items():
        mask = kinds == kind
        if mask.any():
            lon[mask], lat[mask] = func(lon[mask], lat[mask])
    return lon, lat


# Mainland China plus Hainan, Taiwan and the north-eastern tip: a bounding box for plausibility checks
# (lon 73.5-135.1, lat 18.1-53.6). It leaves out the South China Sea islands and includes bits of
# neighbouring countries, which is fine for catching swapped or projected venue coordinates.
_CHINA_LON = (73.5, 135.1)
_CHINA_LAT = (18.1, 53.6)


def in_china_extent_arrays(lon: Any, lat: Any) -> np.ndarray:
    """Vectorised in_china_extent: a boolean array (NaN gives False)."""
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    return (lon >= _CHINA_LON[0]) & (lon <= _CHINA_LON[1]) & (lat >= _CHINA_LAT[0]) & (lat <= _CHINA_LAT[1])


def in_china_extent(lon: float, lat: float) -> bool:
    """Whether a lon/lat point falls in China's bounding box (lon 73.5-135.1, lat 18.1-53.6)."""
    return bool(in_china_extent_arrays(lon, lat))


# ---------------------------------------------------------------------------------------------------------
# Boundary files
# ---------------------------------------------------------------------------------------------------------

MAX_BOUNDARY_BYTES = 50 * 1024 * 1024
_ROUND_DIGITS = 5  # ~1 m at these latitudes

# Looked up case-insensitively, first present wins.
_CODE_KEYS = (
    "code",
    "adcode",
    "区划代码",
    "行政区划代码",
    "xzqdm",
    "xzqhdm",
    "乡镇代码",
    "街道代码",
    "pac",
    "gb",
)
_NAME_KEYS = (
    "name",
    "名称",
    "xzqmc",
    "xzqhmc",
    "行政区划名称",
    "乡镇名称",
    "街道名称",
    "name_zh",
    "mc",
)


class BoundaryError(ValueError):
    """A boundary file that cannot be used; the message is in Chinese for the user."""


@dataclass
class BoundaryFeature:
    """One polygonal area of a boundary file."""

    code: str | None
    name: str | None
    geometry: Polygon | MultiPolygon
    properties: dict[str, Any]
    warnings: list[str] = field(default_factory=list)


def _property(props: Mapping[str, Any], keys: Sequence[str], numeric_ok: bool) -> str | None:
    lowered: dict[str, Any] = {}
    for key, value in props.items():
        lowered.setdefault(str(key).strip().lower(), value)
    for key in keys:
        value = lowered.get(key)
        if value is None or isinstance(value, bool):
            continue
        if numeric_ok and isinstance(value, int):
            return str(value)
        if numeric_ok and isinstance(value, float) and value.is_integer():
            return str(int(value))
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _label(index: int, code: str | None, name: str | None) -> str:
    detail = name or code
    return f"第 {index} 个区域（{detail}）" if detail else f"第 {index} 个区域"


def _ring(raw: Any, where: str) -> np.ndarray:
    if not isinstance(raw, list) or not raw:
        raise BoundaryError(f"{where}的坐标为空或格式不正确。")
    try:
        arr = np.asarray(raw, dtype=float)
    except (TypeError, ValueError):
        arr = None
    if arr is None or arr.ndim != 2 or arr.shape[1] < 2:
        raise BoundaryError(f"{where}的坐标格式不正确：每个点应为 [经度, 纬度]。")
    arr = arr[:, :2]  # drop Z (and M)
    if not np.isfinite(arr).all():
        raise BoundaryError(f"{where}的坐标包含空值或非数字。")
    if len(arr) < 3:
        raise BoundaryError(f"{where}有一个环只有 {len(arr)} 个点，至少需要 3 个点才能构成面。")
    return arr


def _check_lon_lat(arr: np.ndarray, where: str, crs_name: str | None) -> None:
    lon, lat = arr[:, 0], arr[:, 1]
    if (np.abs(lon) <= 180).all() and (np.abs(lat) <= 90).all():
        return
    bad = arr[(np.abs(lon) > 180) | (np.abs(lat) > 90)][0]
    sample = f"{bad[0]:g}, {bad[1]:g}"
    if (np.abs(lat) <= 180).all() and (np.abs(lon) <= 90).all():
        raise BoundaryError(
            f"{where}的坐标超出经纬度范围（例如 {sample}），经度和纬度的顺序可能颠倒了。"
            "GeoJSON 要求每个点写成 [经度, 纬度]。"
        )
    declared = f"文件声明的坐标系是 {crs_name}，" if crs_name else ""
    raise BoundaryError(
        f"{where}的坐标超出经纬度范围（例如 {sample}），看起来是以米为单位的投影坐标"
        f"（如 EPSG:3857 或 CGCS2000 高斯投影）。{declared}"
        "文件必须使用经纬度坐标：请在 QGIS 中“导出 → 要素另存为”，坐标系选 EPSG:4326（WGS 84）后再上传。"
    )


def _polygon(raw: Any, where: str, crs_name: str | None) -> Polygon:
    if not isinstance(raw, list) or not raw:
        raise BoundaryError(f"{where}的坐标为空。")
    rings = [_ring(r, where) for r in raw]
    for ring in rings:
        _check_lon_lat(ring, where, crs_name)
    try:
        return Polygon(rings[0], rings[1:])
    except (ValueError, shapely.errors.GEOSException) as exc:
        raise BoundaryError(f"{where}有一个环的点数不足，无法构成面。") from exc


# GEOS validity reasons (explain_validity) in the words a user sees.
_INVALID_REASONS = {
    "Ring Self-intersection": "环自相交",
    "Self-intersection": "自相交",
    "Hole lies outside shell": "洞位于外环之外",
    "Nested shells": "外环相互嵌套",
    "Nested holes": "洞相互嵌套",
    "Interior is disconnected": "内部被分割",
    "Duplicate Rings": "环重复",
    "Too few points in geometry component": "点数不足",
}


def _invalid_reason(geom: BaseGeometry) -> str:
    reason = explain_validity(geom)
    match = re.match(r"([^\[]+)\[([-\d.eE+]+) ([-\d.eE+]+)", reason)
    if not match:
        return reason
    text = _INVALID_REASONS.get(match.group(1).strip(), match.group(1).strip())
    return f"{text}，位置 {float(match.group(2)):.6f}, {float(match.group(3)):.6f}"


def _polygonal_parts(geom: BaseGeometry) -> list[Polygon]:
    if isinstance(geom, Polygon):
        return [] if geom.is_empty else [geom]
    if hasattr(geom, "geoms"):
        return [p for g in geom.geoms for p in _polygonal_parts(g)]
    return []


def _crs_name(doc: Mapping[str, Any]) -> str | None:
    crs = doc.get("crs")
    if isinstance(crs, dict):
        props = crs.get("properties")
        if isinstance(props, dict) and isinstance(props.get("name"), str):
            return props["name"]
    return None


def _features_of(doc: Any) -> list[Any]:
    if not isinstance(doc, dict):
        raise BoundaryError("文件不是 GeoJSON：顶层应是一个 FeatureCollection 对象。")
    kind = doc.get("type")
    if kind == "FeatureCollection":
        features = doc.get("features")
        if not isinstance(features, list):
            raise BoundaryError("文件是 FeatureCollection，但缺少 features 列表。")
        return features
    if kind == "Feature":
        return [doc]
    if kind in ("Polygon", "MultiPolygon"):
        return [{"type": "Feature", "properties": {}, "geometry": doc}]
    raise BoundaryError(f"文件不是 GeoJSON FeatureCollection（顶层 type 为 {kind!r}）。")


def _parse_feature(raw: Any, index: int, crs_name: str | None) -> BoundaryFeature:
    if not isinstance(raw, dict):
        raise BoundaryError(f"第 {index} 个区域不是 GeoJSON Feature 对象。")
    props = raw.get("properties")
    props = dict(props) if isinstance(props, dict) else {}
    code = _property(props, _CODE_KEYS, numeric_ok=True)
    name = _property(props, _NAME_KEYS, numeric_ok=False)
    where = _label(index, code, name)
    geometry = raw.get("geometry")
    if not isinstance(geometry, dict) or not geometry.get("type"):
        raise BoundaryError(f"{where}没有几何图形。")
    kind = geometry["type"]
    coords = geometry.get("coordinates")
    if kind == "Polygon":
        geom: Polygon | MultiPolygon = _polygon(coords, where, crs_name)
    elif kind == "MultiPolygon":
        if not isinstance(coords, list) or not coords:
            raise BoundaryError(f"{where}的坐标为空。")
        geom = MultiPolygon([_polygon(p, where, crs_name) for p in coords])
    else:
        raise BoundaryError(f"{where}的几何类型是 {kind}，边界文件只接受面（Polygon 或 MultiPolygon）。")
    warnings: list[str] = []
    if not geom.is_valid:
        reason = _invalid_reason(geom)
        parts = [p for p in _polygonal_parts(shapely.make_valid(geom)) if p.area > 0]
        if not parts:
            raise BoundaryError(f"{where}的边界无效（{reason}），且无法自动修复。")
        geom = parts[0] if kind == "Polygon" and len(parts) == 1 else MultiPolygon(parts)
        warnings.append(f"{where}的边界存在问题（{reason}），已自动修复，请在地图上核对。")
    if geom.is_empty or geom.area == 0:
        raise BoundaryError(f"{where}的面积为零，无法作为边界使用。")
    centre = geom.representative_point()
    if not in_china_extent(centre.x, centre.y):
        warnings.append(f"{where}不在中国境内范围（{centre.x:.4f}, {centre.y:.4f}），请检查坐标。")
    return BoundaryFeature(code=code, name=name, geometry=geom, properties=props, warnings=warnings)


def parse_boundary_file(data: bytes) -> list[BoundaryFeature]:
    """Parse and validate a GeoJSON boundary file; raise BoundaryError (Chinese message) if unusable."""
    if len(data) > MAX_BOUNDARY_BYTES:
        raise BoundaryError(
            f"文件大小为 {len(data) / 1024 / 1024:.1f} MB，"
            f"超过 {MAX_BOUNDARY_BYTES // 1024 // 1024} MB 的上限。"
            "请先在 QGIS 中简化边界（矢量 → 几何工具 → 简化）后再上传。"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BoundaryError("文件不是 UTF-8 编码的文本。请用 UTF-8 编码导出 GeoJSON 后再上传。") from exc
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BoundaryError(
            f"文件不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列附近有错误），请确认上传的是 GeoJSON 文件。"
        ) from exc
    features = _features_of(doc)
    if not features:
        raise BoundaryError("文件中没有任何区域（features 为空）。")
    crs_name = _crs_name(doc) if isinstance(doc, dict) else None
    return [_parse_feature(raw, i, crs_name) for i, raw in enumerate(features, start=1)]


def rewind_for_vega(geom: Polygon | MultiPolygon) -> Polygon | MultiPolygon:
    """Orient outer rings clockwise and holes counter-clockwise (planar lon/lat), as Vega expects."""
    # d3-geo (hence Vega's geoshape) reads rings spherically: an RFC 7946 counter-clockwise outer ring
    # encloses the rest of the globe and renders as a whole-map fill.
    if isinstance(geom, Polygon):
        return orient(geom, sign=-1.0)
    if isinstance(geom, MultiPolygon):
        return MultiPolygon([orient(p, sign=-1.0) for p in geom.geoms])
    raise TypeError(f"expected Polygon or MultiPolygon, got {geom.geom_type}")


def _ring_coords(ring: Any) -> list[list[float]]:
    arr = np.round(np.asarray(ring.coords)[:, :2], _ROUND_DIGITS)
    keep = np.ones(len(arr), dtype=bool)
    keep[1:] = np.any(arr[1:] != arr[:-1], axis=1)
    if keep.sum() >= 4:  # rounding merged neighbouring vertices; keep the ring a ring
        arr = arr[keep]
    return arr.tolist()


def _polygon_coords(poly: Polygon) -> list[list[list[float]]]:
    return [_ring_coords(poly.exterior), *(_ring_coords(r) for r in poly.interiors)]


def _geometry_json(geom: Polygon | MultiPolygon) -> dict[str, Any]:
    if isinstance(geom, Polygon):
        return {"type": "Polygon", "coordinates": _polygon_coords(geom)}
    return {"type": "MultiPolygon", "coordinates": [_polygon_coords(p) for p in geom.geoms]}


def to_feature_collection(
    pairs: Iterable[tuple[str | None, BoundaryFeature]], names: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Build a rewound GeoJSON FeatureCollection (properties code, name; 5 decimals) for mark_geoshape."""
    features = []
    for code, feature in pairs:
        name = (names or {}).get(code or "", None) or feature.name
        features.append(
            {
                "type": "Feature",
                "properties": {"code": code, "name": name},
                "geometry": _geometry_json(rewind_for_vega(feature.geometry)),
            }
        )
    return {"type": "FeatureCollection", "features": features}


def dump_feature_collection(fc: Mapping[str, Any]) -> bytes:
    """Serialise a FeatureCollection compactly as UTF-8 JSON (the size simplify_for_browser measures)."""
    return json.dumps(fc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _serialized_size(features: Sequence[BoundaryFeature]) -> int:
    return len(dump_feature_collection(to_feature_collection((f.code, f) for f in features)))


def _simplify_one(geom: Polygon | MultiPolygon, tolerance: float) -> Polygon | MultiPolygon:
    simplified = geom.simplify(tolerance, preserve_topology=True)
    if not simplified.is_valid:
        parts = [p for p in _polygonal_parts(shapely.make_valid(simplified)) if p.area > 0]
        simplified = MultiPolygon(parts) if parts else simplified
    if simplified.is_empty or simplified.area == 0 or not simplified.is_valid:
        return geom  # never hand the browser an empty or broken area
    if isinstance(geom, MultiPolygon) and isinstance(simplified, Polygon):
        return MultiPolygon([simplified])
    return simplified


# 1e-5° (~1 m) up to ~0.12° (~12 km) in steps of sqrt(2).
_TOLERANCES = tuple(1e-5 * 2 ** (k / 2) for k in range(28))


def simplify_for_browser(
    features: Sequence[BoundaryFeature], max_bytes: int = 300_000
) -> tuple[list[BoundaryFeature], float]:
    """Simplify (topology-preserving per feature) until the serialised collection fits max_bytes."""
    # Each feature is simplified on its own, so neighbours' shared edges can drift apart by up to the
    # tolerance; at the few-metre to ~100 m tolerances a district map needs this is not visible.
    features = list(features)
    size = _serialized_size(features)
    if size <= max_bytes:
        return features, 0.0
    geoms = [f.geometry for f in features]
    bytes_per_vertex = size / max(int(shapely.get_num_coordinates(geoms).sum()), 1)
    for tolerance in _TOLERANCES:
        # Topology-preserving simplification and serialising are the slow parts: skip tolerances whose
        # plain Douglas-Peucker vertex count (about the same, 4x faster) clearly leaves too many vertices.
        rough = shapely.simplify(geoms, tolerance, preserve_topology=False)
        if bytes_per_vertex * int(shapely.get_num_coordinates(rough).sum()) > 1.1 * max_bytes:
            continue
        candidate = [replace(f, geometry=_simplify_one(f.geometry, tolerance)) for f in features]
        if _serialized_size(candidate) <= max_bytes:
            return candidate, tolerance
    raise BoundaryError(
        f"边界文件简化后仍超过 {max_bytes // 1000} KB（区域数量或细碎的小块过多），"
        "请只保留本区的乡镇（街道）边界后再上传。"
    )


# ---------------------------------------------------------------------------------------------------------
# Matching boundary features to the township registry
# ---------------------------------------------------------------------------------------------------------


@dataclass
class BoundaryMatch:
    """Result of matching boundary features to townships (code, name) from the database."""

    matched: list[tuple[str, BoundaryFeature]]
    unmatched_features: list[BoundaryFeature]
    unmatched_townships: list[tuple[str, str]]
    # A second (third …) feature claiming an already matched township: (township code, feature).
    duplicates: list[tuple[str, BoundaryFeature]] = field(default_factory=list)
    # township code -> "code" | "name" | "normalized_name"
    methods: dict[str, str] = field(default_factory=dict)


def _canonical_code(code: str | None) -> str | None:
    if not code:
        return None
    s = unicodedata.normalize("NFKC", code).strip()
    # 12-digit statistical codes pad 9-digit township codes (and those pad 6-digit county codes) with zeros.
    if s.isascii() and s.isdigit():
        while len(s) in (9, 12) and s.endswith("000"):
            s = s[:-3]
    return s or None


_OFFICE_SUFFIXES = ("人民政府", "办事处")
_TYPE_SUFFIXES = ("民族苏木", "民族乡", "街道", "苏木", "地区", "镇", "乡")


def _normalized_name(name: str | None) -> str | None:
    if not name:
        return None
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))
    for suffix in _OFFICE_SUFFIXES:
        if s.endswith(suffix) and len(s) > len(suffix):
            s = s[: -len(suffix)]
    return s or None


def _core_name(name: str | None) -> str | None:
    s = _normalized_name(name)
    if not s:
        return None
    for suffix in _TYPE_SUFFIXES:
        if s.endswith(suffix) and len(s) > len(suffix):
            return s[: -len(suffix)]
    return s


def _unique_index(townships: Sequence[tuple[str, str]], key: Any) -> dict[str, str]:
    seen: dict[str, list[str]] = {}
    for code, name in townships:
        k = key(name)
        if k:
            seen.setdefault(k, []).append(code)
    return {k: codes[0] for k, codes in seen.items() if len(codes) == 1}


def match_townships(features: Sequence[BoundaryFeature], townships: Sequence[tuple[str, str]]) -> BoundaryMatch:
    """Match features to townships by code (9/12 digits), then exact name, then normalised name."""
    by_code: dict[str, str] = {}
    for code, _name in townships:
        key = _canonical_code(code)
        if key:
            by_code.setdefault(key, code)
    by_name = _unique_index(townships, lambda n: (n or "").strip() or None)
    by_normalized = _unique_index(townships, _normalized_name)
    by_core = _unique_index(townships, _core_name)

    def lookup(index: Mapping[str, str], key: str | None) -> str | None:
        return index.get(key) if key else None

    methods = (
        ("code", lambda f: lookup(by_code, _canonical_code(f.code))),
        ("name", lambda f: lookup(by_name, (f.name or "").strip() or None)),
        ("normalized_name", lambda f: lookup(by_normalized, _normalized_name(f.name))),
        # Last resort: "青溪" vs "青溪街道", only when unambiguous in the registry.
        ("normalized_name", lambda f: lookup(by_core, _core_name(f.name))),
    )
    assigned: dict[str, BoundaryFeature] = {}
    how: dict[str, str] = {}
    duplicates: list[tuple[str, BoundaryFeature]] = []
    pending = list(features)
    for method, find in methods:
        still_pending = []
        for feature in pending:
            code = find(feature)
            if code is None:
                still_pending.append(feature)
            elif code in assigned:
                duplicates.append((code, feature))
            else:
                assigned[code] = feature
                how[code] = method
        pending = still_pending
    return BoundaryMatch(
        matched=[(code, assigned[code]) for code, _ in townships if code in assigned],
        unmatched_features=pending,
        unmatched_townships=[(code, name) for code, name in townships if code not in assigned],
        duplicates=duplicates,
        methods=how,
    )


# ---------------------------------------------------------------------------------------------------------
# Points and polygons
# ---------------------------------------------------------------------------------------------------------


def point_in_township(lon: float, lat: float, geometry: BaseGeometry) -> bool:
    """Whether the point lies in the geometry (a point on the boundary counts as inside)."""
    if not (math.isfinite(lon) and math.isfinite(lat)):
        return False
    return bool(shapely.intersects_xy(geometry, lon, lat))


def locate_points(lons: Any, lats: Any, geometries: Mapping[str, BaseGeometry]) -> list[str | None]:
    """For each point, the code of the first geometry containing it (boundary inclusive), else None."""
    lons, lats = np.asarray(lons, dtype=float).ravel(), np.asarray(lats, dtype=float).ravel()
    result: list[str | None] = [None] * len(lons)
    codes = list(geometries)
    if not codes or not len(lons):
        return result
    finite = np.flatnonzero(np.isfinite(lons) & np.isfinite(lats))
    tree = shapely.STRtree([geometries[c] for c in codes])
    point_idx, geom_idx = tree.query(shapely.points(lons[finite], lats[finite]), predicate="intersects")
    # On a shared border a point touches two townships: the one listed first wins.
    order = np.lexsort((geom_idx, point_idx))
    for p, g in zip(point_idx[order], geom_idx[order], strict=True):
        i = finite[p]
        if result[i] is None:
            result[i] = codes[g]
    return result


def convert_geometry_crs(geom: Polygon | MultiPolygon, crs: str) -> Polygon | MultiPolygon:
    """Convert every vertex of a lon/lat geometry from crs (WGS84 / GCJ02 / BD09) to WGS-84."""
    kind = normalize_crs(crs)
    if kind == "WGS84":
        return geom

    def convert(coords: np.ndarray) -> np.ndarray:
        lon, lat = to_wgs84_arrays(coords[:, 0], coords[:, 1], kind)
        return np.column_stack([lon, lat])

    converted = shapely.transform(geom, convert)
    if not converted.is_valid:
        parts = [p for p in _polygonal_parts(shapely.make_valid(converted)) if p.area > 0]
        if parts:
            converted = MultiPolygon(parts) if len(parts) > 1 or isinstance(geom, MultiPolygon) else parts[0]
    return converted


def convert_features_crs(features: Iterable[BoundaryFeature], crs: str) -> list[BoundaryFeature]:
    """Convert the geometry of every feature from crs to WGS-84 (e.g. DataV files, published in GCJ-02)."""
    return [replace(f, geometry=convert_geometry_crs(f.geometry, crs)) for f in features]
