import pandas as pd

from culture_dash.transforms import sites as transforms
from dashboard.charts import sites as charts

STAGES = ("申报", "建设中", "已验收", "已授牌")
LABELS = {"stage": "阶段", "sites": "示范点（个）", "batch": "批次", "batch_format": "{year}年批次"}


def test_the_pipeline_stacks_batches_per_stage_in_stage_order_with_totals():
    sites = pd.DataFrame({"batch_year": [2022, 2022, 2024], "stage": ["已授牌", "已授牌", "申报"]})
    spec = charts.stage_pipeline_chart(transforms.stage_pipeline(sites, STAGES), labels=LABELS).to_dict()
    bars, totals = spec["layer"]
    assert bars["encoding"]["x"]["sort"] == list(STAGES)
    assert bars["encoding"]["color"]["scale"]["domain"] == ["2022年批次", "2024年批次"]
    assert bars["encoding"]["y"]["title"] == "示范点（个）"
    bar_rows = spec["datasets"][bars["data"]["name"]]
    assert sorted((r["batch"], r["stage"], r["sites"]) for r in bar_rows) == [
        ("2022年批次", "已授牌", 2),
        ("2024年批次", "申报", 1),
    ]  # empty stage × batch cells are not drawn
    total_rows = spec["datasets"][totals["data"]["name"]]
    assert {r["stage"]: r["sites"] for r in total_rows} == {"申报": 1, "建设中": 0, "已验收": 0, "已授牌": 2}
    assert spec["config"]["font"].startswith("Noto Sans CJK SC")
