import datetime as dt

import pandas as pd

from culture_dash.transforms import trends as transforms
from dashboard.charts import PALETTE, styled
from dashboard.charts import trends as charts

TITLES = {"month_title": "月份", "value_title": "到馆人次（人次）"}


def monthly(series_names, months=3):
    rows = [
        {"month": dt.date(2026, m, 1), "series": name, "value": float(10 * i + m), "reporting": 5}
        for i, name in enumerate(series_names)
        for m in range(1, months + 1)
    ]
    return pd.DataFrame(rows)


def data_rows(spec: dict) -> list[dict]:
    (rows,) = spec["datasets"].values()
    return rows


def test_monthly_lines_ship_one_row_per_point_with_chinese_titles():
    frame = monthly(["文化馆", "图书馆"])
    spec = styled(
        charts.monthly_lines(
            frame,
            title="到馆人次月度走势（2026年1月—2026年3月）",
            series_title="按场馆类型",
            reporting_title="报送场馆数",
            **TITLES,
        )
    ).to_dict()
    assert spec["title"] == "到馆人次月度走势（2026年1月—2026年3月）"
    assert len(data_rows(spec)) == len(frame) == 6
    encoding = spec["encoding"]
    assert encoding["x"]["timeUnit"] == "utcyearmonth"
    assert encoding["x"]["axis"]["format"] == "%Y年%-m月"
    assert encoding["y"]["title"] == "到馆人次（人次）"
    assert encoding["color"]["scale"]["domain"] == ["文化馆", "图书馆"]
    assert [t["title"] for t in encoding["tooltip"]] == ["按场馆类型", "月份", "到馆人次（人次）", "报送场馆数"]
    assert spec["config"]["font"].startswith("Noto Sans CJK SC")


def test_a_single_series_has_no_legend():
    spec = charts.monthly_lines(monthly(["全区"]), title="t", series_title="全区合计", **TITLES).to_dict()
    assert spec["encoding"]["color"] == {"value": PALETTE[0]}


def test_sixteen_townships_get_sixteen_distinct_colours():
    names = [f"镇{i}" for i in range(16)]
    spec = charts.monthly_lines(monthly(names, months=1), title="t", series_title="按街镇", **TITLES).to_dict()
    scale = spec["encoding"]["color"]["scale"]
    assert scale["domain"] == names
    assert len(set(scale["range"])) == 16


def test_year_overlay_puts_this_year_first_in_red_and_labels_months_in_chinese():
    frame = pd.DataFrame(
        {
            "month": [dt.date(2025, 1, 1), dt.date(2025, 2, 1), dt.date(2026, 1, 1)],
            "series": "全区",
            "value": [1.0, 2, 3],
        }
    )
    overlay = transforms.year_overlay(frame, year=2026, year_format="{year}年")
    spec = charts.year_overlay(overlay, title="同比", year_title="年度", **TITLES).to_dict()
    assert len(data_rows(spec)) == 3
    assert spec["encoding"]["color"]["scale"] == {"domain": ["2026年", "2025年"], "range": [PALETTE[0], "#6B7280"]}
    assert spec["encoding"]["x"]["axis"]["labelExpr"] == "datum.value + '月'"


def test_heatmap_layers_share_one_dataset_of_one_row_per_cell():
    frame = pd.DataFrame(
        {
            "month": [dt.date(2025, m, 1) for m in range(1, 13)],
            "series": "全区",
            "value": [float(m) for m in range(1, 13)],
        }
    )
    grid = transforms.seasonality(frame, year_format="{year}年")
    spec = charts.seasonality_heatmap(grid, title="季节性", year_title="年度", **TITLES).to_dict()
    assert spec["title"] == "季节性"
    assert len(spec["datasets"]) == 1
    assert len(data_rows(spec)) == 12
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["rect", "text"]
