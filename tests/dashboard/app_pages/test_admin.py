"""The admin page's boundary upload: a dry-run match report first, the database changed only by the confirm button."""

import json
from pathlib import Path

import sqlalchemy as sa

DEMO = Path(__file__).resolve().parents[3] / "seed_data" / "demo" / "boundaries.geojson"


def outlines(session) -> dict[str, str]:
    session.expire_all()
    return dict(session.execute(sa.text("select code, boundary from township order by code")).all())


def moved_demo_file(extra_feature: bool = True) -> bytes:
    collection = json.loads(DEMO.read_bytes())
    first = collection["features"][0]
    first["geometry"]["coordinates"][0] = [[x + 0.001, y] for x, y in first["geometry"]["coordinates"][0]]
    if extra_feature:
        neighbour = {"type": "Feature", "properties": {"name": "邻区某镇"}, "geometry": first["geometry"]}
        collection["features"].append(neighbour)
    return json.dumps(collection, ensure_ascii=False).encode()


def test_upload_shows_the_match_report_then_imports_on_confirm(app_as, demo_session):
    before = outlines(demo_session)
    at = app_as("admin", "admin")
    assert not at.exception
    assert any(c.value.startswith("当前边界：第 ") for c in at.caption)
    at.file_uploader(key="boundary_file").upload("qingxi.geojson", moved_demo_file(), "application/geo+json").run()
    assert not at.exception
    checked = "「qingxi.geojson」（街镇边界）检查通过，匹配 16 个街镇：新增边界 0 个，更新 1 个，未变 15 个。"
    assert [i.value for i in at.info] == [checked + "（试运行，未写入）"]
    (matched,) = at.dataframe
    assert sorted(matched.value["code"]) == sorted(before)
    assert [w.value for w in at.warning] == ["**对不上本区街镇的区域（将忽略）**\n\n- 邻区某镇"]
    assert outlines(demo_session) == before  # nothing written by the check

    (confirm,) = [b for b in at.button if b.label == "确认导入"]
    confirm.click().run()
    assert [s.value for s in at.success][0].startswith("「qingxi.geojson」（街镇边界）已导入为第 ")
    after = outlines(demo_session)
    changed = [code for code in before if before[code] != after[code]]
    assert changed == [json.loads(DEMO.read_bytes())["features"][0]["properties"]["code"]]


def test_a_broken_file_is_refused_with_no_confirm_button(app_as, demo_session):
    before = outlines(demo_session)
    at = app_as("admin", "admin")
    at.file_uploader(key="boundary_file").upload("bad.geojson", b'{"type": "Point"}', "application/geo+json").run()
    assert [e.value for e in at.error] == [
        "「bad.geojson」（街镇边界）未导入：文件不是 GeoJSON FeatureCollection（顶层 type 为 'Point'）。"
    ]
    assert "确认导入" not in [b.label for b in at.button]
    assert outlines(demo_session) == before


def test_datav_files_are_checked_in_gcj02_when_chosen(app_as):
    at = app_as("admin", "admin")
    at.segmented_control(key="boundary_crs").set_value("GCJ02").run()
    at.file_uploader(key="boundary_file").upload("d.geojson", moved_demo_file(False), "application/json").run()
    # Shifted from GCJ-02 to WGS-84, every outline differs from the stored WGS-84 one.
    assert at.info[0].value.endswith("新增边界 0 个，更新 16 个，未变 0 个。（试运行，未写入）")
