"""Charts of 示范点与免费开放 (plain Altair, no Streamlit)."""

import altair as alt
import pandas as pd

from dashboard.charts import PALETTE, styled


def stage_pipeline_chart(pipeline: pd.DataFrame, *, labels: dict[str, str], height: int = 300) -> alt.Chart:
    """Sites per stage (申报 → 已授牌, left to right), stacked by batch year, the stage's total above each bar.

    `pipeline` is transforms.sites.stage_pipeline's frame; `labels` gives the stage, sites, batch and total titles
    and `batch_format` (e.g. "{year}年批次").
    """
    frame = pipeline.copy()
    frame["batch"] = frame["batch_year"].map(lambda y: labels["batch_format"].format(year=y))
    stages = list(dict.fromkeys(frame.sort_values("stage_order")["stage"]))
    batches = list(dict.fromkeys(frame.sort_values("batch_year")["batch"]))
    x = alt.X("stage:N", sort=stages, title=labels["stage"], axis=alt.Axis(labelAngle=0, labelFontSize=15))
    totals = frame.groupby("stage", as_index=False)["sites"].sum()
    top = max(int(totals["sites"].max()) if len(totals) else 0, 1) * 1.2
    bars = (
        alt.Chart(frame[frame["sites"] > 0])
        .mark_bar(size=56)
        .encode(
            x=x,
            y=alt.Y("sites:Q", title=labels["sites"], stack="zero", scale=alt.Scale(domain=[0, top], nice=False)),
            color=alt.Color(
                "batch:N",
                sort=batches,
                scale=alt.Scale(domain=batches, range=PALETTE[: len(batches)] or PALETTE[:1]),
                legend=alt.Legend(title=labels["batch"], orient="top"),
            ),
            order=alt.Order("batch_year:O"),
            tooltip=[
                alt.Tooltip("stage:N", title=labels["stage"]),
                alt.Tooltip("batch:N", title=labels["batch"]),
                alt.Tooltip("sites:Q", title=labels["sites"], format=",d"),
            ],
        )
    )
    text = (
        alt.Chart(totals)
        .mark_text(dy=-10, fontSize=16, fontWeight="bold")
        .encode(x=x, y=alt.Y("sites:Q"), text=alt.Text("sites:Q", format=",d"))
    )
    chart = alt.layer(bars, text).properties(width="container", height=height)
    return styled(chart)
