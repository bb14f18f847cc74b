import json
from pathlib import Path

import pytest
import shapely
import sqlalchemy as sa
from shapely.geometry import shape

from culture_dash import cli, geo
from culture_dash.boundaries import MAX_MAP_BYTES, import_boundaries
from culture_dash.ingest.pipeline import import_file
from culture_dash.ingest.write import undo_batch
from culture_dash.permissions import Actor
from models import Township, UploadBatch
from tests.factories import TOWNSHIPS, csv_bytes, load, seed_registry, snapshot

ROOT = Path(__file__).resolve().parents[2]
DEMO_BOUNDARIES = ROOT / "seed_data" / "demo" / "boundaries.geojson"
DEMO_TOWNSHIPS = ROOT / "seed_data" / "demo" / "townships.csv"
CHENGDU = ROOT.parent / "shared" / "geo" / "chengdu_510100_datav.json"

# Two counter-clockwise (RFC 7946) squares for the two townships of tests.factories, side by side.
QINGXI = [[103.90, 30.90], [104.00, 30.90], [104.00, 31.00], [103.90, 31.00], [103.90, 30.90]]
BAIHE = [[104.00, 30.90], [104.10, 30.90], [104.10, 31.00], [104.00, 31.00], [104.00, 30.90]]


def feature(props: dict, ring: list, kind: str = "Polygon") -> dict:
    coords = [ring] if kind == "Polygon" else [[ring]]
    return {"type": "Feature", "properties": props, "geometry": {"type": kind, "coordinates": coords}}


def collection(*features: dict) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}, ensure_ascii=False).encode()


TWO_SQUARES = collection(feature({"name": "青溪街道"}, QINGXI), feature({"code": "510199002"}, BAIHE))


def stored(session) -> dict[str, dict | None]:
    rows = session.execute(sa.select(Township.code, Township.boundary).order_by(Township.code)).all()
    return {code: json.loads(text) if text else None for code, text in rows}


def outer_rings(geometry: dict) -> list[list]:
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    return [polygon[0] for polygon in polygons]


def winding(ring: list) -> str:
    return "ccw" if shapely.LinearRing(ring).is_ccw else "cw"


def test_two_squares_are_matched_rewound_and_stored_as_one_batch(session):
    load(session, "townships", TOWNSHIPS)
    report = import_boundaries(session, TWO_SQUARES, "qingxi.geojson")
    assert report.accepted, report.text()
    assert (report.added, report.updated, report.unchanged) == (2, 0, 0)
    assert [(m["code"], m["method"]) for m in report.matched] == [("510199001", "name"), ("510199002", "code")]
    outlines = stored(session)
    assert list(outlines) == ["510199001", "510199002"]
    # RFC 7946 counter-clockwise in the file; clockwise in the database, as Vega draws it.
    assert [winding(r) for g in outlines.values() for r in outer_rings(g)] == ["cw", "cw"]
    assert shape(outlines["510199001"]).equals(shapely.Polygon(QINGXI))
    batch = session.get(UploadBatch, report.batch_id)
    assert (batch.kind, batch.rows_inserted, batch.rows_replaced, batch.file_name) == (
        "boundaries",
        0,
        2,
        "qingxi.geojson",
    )
    assert session.execute(sa.select(Township.batch_id).distinct()).scalars().all() == [report.batch_id]


def test_the_same_file_again_changes_nothing(session):
    load(session, "townships", TOWNSHIPS)
    import_boundaries(session, TWO_SQUARES, "a.geojson")
    before = snapshot(session)
    report = import_boundaries(session, TWO_SQUARES, "a.geojson")
    assert report.no_change and report.batch_id is None
    assert "完全一致" in report.summary()
    assert snapshot(session) == before


def test_dry_run_reports_the_match_and_writes_nothing(session):
    load(session, "townships", TOWNSHIPS)
    before = snapshot(session)
    report = import_boundaries(session, TWO_SQUARES, "a.geojson", dry_run=True)
    assert report.accepted and report.added == 2
    assert "试运行" in report.summary()
    assert snapshot(session) == before


def test_unmatched_on_both_sides_are_listed_and_the_rest_stored(session):
    load(session, "townships", TOWNSHIPS)
    data = collection(
        feature({"name": "青溪街道"}, QINGXI), feature({"name": "邻区某镇", "adcode": "510200001"}, BAIHE)
    )
    report = import_boundaries(session, data, "partial.geojson")
    assert report.accepted
    assert report.unmatched_features == ["邻区某镇（510200001）"]
    assert report.unmatched_townships == [{"code": "510199002", "name": "白鹤镇", "kept": False}]
    assert "白鹤镇（510199002）" in report.text() and "邻区某镇（510200001）" in report.text()
    assert [code for code, outline in stored(session).items() if outline] == ["510199001"]


def test_a_partial_file_keeps_the_other_townships_outlines(session):
    load(session, "townships", TOWNSHIPS)
    import_boundaries(session, TWO_SQUARES, "all.geojson")
    before = stored(session)["510199002"]
    smaller = [[103.92, 30.92], [103.98, 30.92], [103.98, 30.98], [103.92, 30.98], [103.92, 30.92]]
    report = import_boundaries(session, collection(feature({"name": "青溪街道"}, smaller)), "one.geojson")
    assert (report.added, report.updated) == (0, 1)
    assert report.unmatched_townships == [{"code": "510199002", "name": "白鹤镇", "kept": True}]
    assert stored(session)["510199002"] == before


POINT = {"type": "Point", "coordinates": [104, 30]}
POINT_FILE = collection({"type": "Feature", "properties": {"name": "青溪街道"}, "geometry": POINT})
# Web Mercator metres instead of degrees, as a GIS export left in EPSG:3857 would have.
PROJECTED_FILE = collection(
    feature({"name": "青溪街道"}, [[1.157e7, 3.59e6], [1.158e7, 3.59e6], [1.158e7, 3.6e6], [1.157e7, 3.59e6]])
)


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (b"not json at all", "不是有效的 JSON"),
        (b'{"type": "FeatureCollection", "features": []}', "没有任何区域"),
        (POINT_FILE, "只接受面"),
        (PROJECTED_FILE, "投影坐标"),
        (collection(feature({"name": "某地"}, QINGXI)), "都对不上本区的街镇"),
    ],
)
def test_a_broken_file_writes_nothing_and_says_why_in_chinese(session, data, needle):
    load(session, "townships", TOWNSHIPS)
    before = snapshot(session)
    report = import_boundaries(session, data, "bad.geojson")
    assert not report.accepted
    assert needle in report.file_error
    assert report.summary().startswith("「bad.geojson」（街镇边界）未导入：")
    assert snapshot(session) == before


def test_boundaries_need_townships_first_and_an_admin(session):
    assert "请先导入「行政区划」" in import_boundaries(session, TWO_SQUARES, "a.geojson").file_error
    load(session, "townships", TOWNSHIPS)
    report = import_boundaries(session, TWO_SQUARES, "a.geojson", actor=Actor("staff", "staff"))
    assert report.file_error == "只有管理员可以上传边界文件。"
    assert all(v is None for v in stored(session).values())


def test_undo_restores_the_previous_outlines(session):
    load(session, "townships", TOWNSHIPS)
    import_boundaries(session, TWO_SQUARES, "first.geojson")
    first = stored(session)
    moved = [[x + 0.01, y] for x, y in QINGXI]
    second = import_boundaries(session, collection(feature({"name": "青溪街道"}, moved)), "second.geojson")
    assert stored(session) != first
    undo_batch(session, second.batch_id, username="admin")
    assert stored(session) == first


def test_demo_file_loads_every_township_rewound(session):
    in_file = [r for f in json.loads(DEMO_BOUNDARIES.read_bytes())["features"] for r in outer_rings(f["geometry"])]
    assert {winding(r) for r in in_file} == {"ccw"}  # RFC 7946, as QGIS writes it
    assert import_file(session, DEMO_TOWNSHIPS.read_bytes(), "townships.csv").accepted
    report = import_boundaries(session, DEMO_BOUNDARIES.read_bytes(), "boundaries.geojson")
    assert report.accepted and report.added == 16 and not report.unmatched_townships
    rings = [r for g in stored(session).values() for r in outer_rings(g)]
    assert {winding(r) for r in rings} == {"cw"}


@pytest.mark.skipif(not CHENGDU.exists(), reason="shared/geo/chengdu_510100_datav.json is not on this machine")
def test_real_datav_file_of_chengdu_in_gcj02(session):
    source = json.loads(CHENGDU.read_bytes())
    registry = [
        {"code": f"{f['properties']['adcode']}000", "name": f["properties"]["name"], "kind": "镇"}
        for f in source["features"]
    ]
    load(session, "townships", registry)
    report = import_boundaries(session, CHENGDU.read_bytes(), CHENGDU.name, crs="GCJ02")
    assert report.accepted, report.text()
    assert (len(report.matched), report.unmatched_features, report.unmatched_townships) == (20, [], [])
    assert {m["method"] for m in report.matched} == {"code"}
    assert report.stored_bytes <= MAX_MAP_BYTES
    outlines = stored(session)
    rings = [r for g in outlines.values() for r in outer_rings(g)]
    assert {winding(r) for r in rings} == {"cw"}
    # Converted to WGS-84: each district's centre moved by the GCJ-02 offset (a few hundred metres here).
    for feat in source["features"]:
        original = shape(feat["geometry"]).centroid
        expected = shapely.Point(geo.gcj02_to_wgs84(original.x, original.y))
        centre = shape(outlines[f"{feat['properties']['adcode']}000"]).centroid
        assert centre.distance(expected) < 0.0005 < centre.distance(original)


@pytest.mark.skipif(not CHENGDU.exists(), reason="shared/geo/chengdu_510100_datav.json is not on this machine")
def test_a_tight_budget_simplifies_below_it(session):
    source = json.loads(CHENGDU.read_bytes())
    registry = [
        {"code": f"{f['properties']['adcode']}000", "name": f["properties"]["name"]} for f in source["features"]
    ]
    load(session, "townships", registry)
    report = import_boundaries(session, CHENGDU.read_bytes(), CHENGDU.name, crs="GCJ02", max_bytes=60_000)
    assert report.accepted and report.tolerance > 0
    assert sum(len(json.dumps(g, separators=(",", ":"))) for g in stored(session).values()) <= 60_000


def mobile_point(code: str, township: str, lon: str) -> dict:
    return {"venue_code": code, "name": code, "type": "流动服务点", "township": township, "lon": lon, "lat": "30.95"}


def test_venue_outside_its_own_township_is_a_warning_once_outlines_exist(session):
    seed_registry(session)
    inside = {
        "venue_code": "P1",
        "name": "甲",
        "type": "流动服务点",
        "township": "青溪街道",
        "lon": "103.95",
        "lat": "30.95",
    }
    wrong = {
        "venue_code": "P2",
        "name": "乙",
        "type": "流动服务点",
        "township": "青溪街道",
        "lon": "104.05",
        "lat": "30.95",
    }
    nowhere = {
        "venue_code": "P3",
        "name": "丙",
        "type": "流动服务点",
        "township": "白鹤镇",
        "lon": "104.50",
        "lat": "30.95",
    }
    report = load(session, "venues", [inside, wrong, nowhere])
    assert report.warning_count == 0  # no outlines stored yet: nothing to check against
    import_boundaries(session, TWO_SQUARES, "a.geojson")
    report = import_file(session, csv_bytes("venues", [inside, wrong, nowhere]), "venues.csv", dry_run=True)
    assert report.accepted
    warnings = report.issues[report.issues["level"] == "warning"][["row", "message"]].values.tolist()
    assert warnings == [
        [3, "坐标不在所属街镇「青溪街道」的边界内（落在「白鹤镇」），请核对经纬度和坐标系"],
        [4, "坐标不在所属街镇「白鹤镇」的边界内（不在本区任何街镇的边界内），请核对经纬度和坐标系"],
    ]


def test_cli_boundaries_command(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    (tmp_path / "t.csv").write_bytes(csv_bytes("townships", TOWNSHIPS))
    assert cli.main(["import", str(tmp_path / "t.csv")]) == 0
    # The squares given as GCJ-02 are shifted to WGS-84 on the way in.
    (tmp_path / "b.geojson").write_bytes(TWO_SQUARES)
    assert cli.main(["boundaries", str(tmp_path / "b.geojson"), "--crs", "GCJ02"]) == 0
    assert "新增边界 2 个" in capsys.readouterr().out
    (tmp_path / "bad.geojson").write_bytes(b"{")
    assert cli.main(["boundaries", str(tmp_path / "bad.geojson")]) == 1
    assert "不是有效的 JSON" in capsys.readouterr().out
    assert cli.main(["boundaries", str(tmp_path / "missing.geojson")]) == 2
