"""Charts of the overview (plain Altair, no Streamlit)."""

import altair as alt
import pandas as pd

from culture_dash.formatting import percent
from dashboard.charts import PALETTE, styled


def activity_completion_chart(completion: pd.DataFrame, *, labels: dict[str, str]) -> alt.Chart:
    """Activities held per category (bars) against the pro-rated plan (black ticks), completion rate as text.

    `completion` is transforms.activity_completion's frame (its 合计 row is left out); `labels` gives the
    category, held, planned and rate titles.
    """
    frame = completion[completion["category"] != "合计"][["category", "held", "planned", "rate"]].copy()
    frame["planned"] = frame["planned"].round(1)
    frame["rate_text"] = [percent(r) if r is not None and not pd.isna(r) else "—" for r in frame["rate"]]
    frame = frame.drop(columns="rate")
    order = list(frame["category"])
    y = alt.Y("category:N", sort=order, title=None, axis=alt.Axis(labelLimit=200))
    tooltip = [
        alt.Tooltip("category:N", title=labels["category"]),
        alt.Tooltip("held:Q", title=labels["held"], format=",.0f"),
        alt.Tooltip("planned:Q", title=labels["planned"], format=",.1f"),
        alt.Tooltip("rate_text:N", title=labels["rate"]),
    ]
    base = alt.Chart(frame).encode(y=y, tooltip=tooltip)
    # Room on the right for the rate printed after the longer of bar and tick.
    top = float(max(frame["held"].max(), frame["planned"].max(), 1)) * 1.25
    x = alt.X("held:Q", title=labels["axis"], scale=alt.Scale(domain=[0, top], nice=False))
    held = base.mark_bar(color=PALETTE[1], height=26).encode(x=x)
    planned = base.mark_tick(color="#111827", thickness=3, size=34).encode(x="planned:Q")
    rate = base.mark_text(align="left", dx=8, fontSize=15, fontWeight="bold").encode(
        x=alt.X("max_value:Q"), text="rate_text:N"
    )
    rate = rate.transform_calculate(max_value="max(datum.held, datum.planned)")
    chart = alt.layer(held, planned, rate).properties(width="container", height=alt.Step(48))
    return styled(chart)
